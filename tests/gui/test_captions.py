"""Plain-language step captions: names and numbers come from the record, and the numbers
are the ones PyTorch computes."""

import pytest
import torch

from gui.model.captions import caption_for, compact, op_label
from tests.gui.conftest import LESSON
from tests.oracle import plain_value, run_plain

MULTI = (
    "a = torch.tensor([1.5, -2.0], requires_grad=True)\n"
    "b = torch.tensor([0.5, 3.0], requires_grad=True)\n"
    "c = a * b\n"
    "d = c + a\n"
    "L = d.sum()\n"
    "L.backward()\n"
)


def torch_text(t: torch.Tensor) -> str:
    return compact(plain_value(t))


@pytest.fixture(scope="module")
def multi(worker):
    return worker.evaluate(MULTI, show_values=True)


def captions(record) -> list[str]:
    return [caption_for(record, n) for n in range(len(record.backward) + 1)]


def test_lesson_captions_follow_the_record_and_torch(lesson):
    x = torch.ones(2, requires_grad=True)
    y = 5 * (x + 1) ** 2
    s = torch.sum(y)
    o = (1 / 2) * s
    d_s, d_y = torch.autograd.grad(o, [s, y], retain_graph=True)
    o.backward()
    final = run_plain(LESSON)["x"].grad
    assert torch.equal(final, x.grad)
    text = captions(lesson)
    assert len(text) == 7
    assert text[0] == (
        "Before backward · no gradients yet · 6 steps to go · "
        "Space or → steps (Alt+→ in the editor)"
    )
    assert text[1] == (
        f"Step 1/6 · MulBackward0 (o) received ∂o/∂o = 1 and passes {torch_text(d_s)} "
        "on to SumBackward0"
    )
    assert text[2] == (
        f"Step 2/6 · SumBackward0 received ∂o/∂(torch.sum(y)) = {torch_text(d_s)} "
        f"and passes {torch_text(d_y)} on to MulBackward0 (y)"
    )
    assert text[3].startswith(f"Step 3/6 · MulBackward0 (y) received ∂o/∂y = {torch_text(d_y)}")
    grad = torch_text(final)
    assert grad == "[10, 10]"
    assert (
        text[6] == f"Step 6/6 · AccumulateGrad (x) received ∂o/∂x = {grad}; x.grad becomes {grad}"
    )
    for n, step in enumerate(lesson.backward, start=1):  # every op named as the record names it
        assert str(lesson.node(step.node).op) in text[n]
    assert (
        caption_for(lesson, 0, hints=False) == "Before backward · no gradients yet · 6 steps to go"
    )


def test_multi_input_captions_match_torch(multi):
    ns = run_plain(MULTI.replace("L.backward()\n", ""))
    a, b, c, d, loss = (ns[k] for k in "abcdL")
    d_d, d_c = torch.autograd.grad(loss, [d, c], retain_graph=True)
    to_a, to_b = torch.autograd.grad(c, [a, b], grad_outputs=d_c, retain_graph=True)
    loss.backward()
    by_op = {}
    for n, step in enumerate(multi.backward, start=1):
        by_op[op_label(multi, multi.node(step.node))] = caption_for(multi, n).split(" · ", 1)[1]
    t = torch_text
    assert by_op["SumBackward0 (L)"] == (
        f"SumBackward0 (L) received ∂L/∂L = 1 and passes {t(d_d)} on to AddBackward0 (d)"
    )
    assert by_op["AddBackward0 (d)"] == (
        f"AddBackward0 (d) received ∂L/∂d = {t(d_d)} and passes {t(d_c)} on to "
        f"MulBackward0 (c) and {t(d_d)} on to AccumulateGrad (a)"
    )
    assert by_op["MulBackward0 (c)"] == (
        f"MulBackward0 (c) received ∂L/∂c = {t(d_c)} and passes {t(to_a)} on to "
        f"AccumulateGrad (a) and {t(to_b)} on to AccumulateGrad (b)"
    )
    assert by_op["AccumulateGrad (a)"] == (
        f"AccumulateGrad (a) received ∂L/∂a = {t(d_d)} + {t(to_a)} = {t(a.grad)} (two paths "
        f"add up); a.grad becomes {t(a.grad)}"
    )
    assert by_op["AccumulateGrad (b)"] == (
        f"AccumulateGrad (b) received ∂L/∂b = {t(b.grad)}; b.grad becomes {t(b.grad)}"
    )
    assert len(by_op) == len(multi.backward) == 5
    assert t(a.grad) == "[1.5, 4]"  # b + 1: the two paths into a add up


def test_second_backward_says_gradients_add_up(worker):
    source = "x = torch.tensor(2.0, requires_grad=True)\ny = x**3\n" \
             "y.backward(retain_graph=True)\ny.backward()\n"  # fmt: skip
    record = worker.evaluate(source, show_values=True)
    x = torch.tensor(2.0, requires_grad=True)
    y = x**3
    y.backward(retain_graph=True)
    once = torch_text(x.grad)
    y.backward()
    last = caption_for(record, len(record.backward))
    assert "(backward #2)" in last
    assert last.endswith(f"x.grad becomes {torch_text(x.grad)} (it held {once}: gradients add up)")


def test_external_gradient_is_named_as_such(worker):
    source = "a = torch.tensor([2.0, 3.0], requires_grad=True)\nQ = 3 * a**3\n" \
             "Q.backward(gradient=torch.tensor([1.0, 0.5]))\n"  # fmt: skip
    record = worker.evaluate(source, show_values=True)
    assert "received backward()'s gradient argument [1, 0.5]" in caption_for(record, 1)


def test_no_backward_and_no_record():
    from core.record.graph import GraphRecord

    assert caption_for(None, 0) == ""
    empty = GraphRecord(source="", output=None)
    assert caption_for(empty, 0).startswith("No backward() in this program.")
    assert caption_for(empty, 0, hints=False) == "No backward() in this program."


def test_compact_values():
    assert compact(1.0) == "1"
    assert compact([[10.0, 10.0]]) == "[[10, 10]]"
    assert compact([0.5, -2.0, "nan"]) == "[0.5, -2, nan]"
    assert compact(1e-06) == "1e-06"


def test_compact_cuts_long_values_between_elements():
    """A long value is cut after a whole element, its brackets closed: never inside a
    number ("0.…"), and no dot doubled with the ellipsis ("1.…")."""
    row = [0.2725, 0.2676, 0.2628, 0.2579, 0.2531, 0.2483] * 40
    assert compact(row) == "[0.2725, 0.2676, 0.2628, 0.2579, …]"
    assert compact([1.0] * 2000) == "[1, 1, 1, 1, 1, 1, 1, 1, …]"
    assert compact([[1.0, 2.0]] * 50) == "[[1, 2], [1, 2], [1, 2], …]"
    assert compact([[float(i) for i in range(100)]] * 3) == "[[0, 1, 2, 3, 4, 5, 6, …], …]"
    assert compact([[[1.5] * 30] * 30]) == "[[[1.5, 1.5, 1.5, 1.5, 1.5, …], …]]"
    assert compact([123456.7] * 2) == "[1.235e+05, 1.235e+05]"  # short enough: whole
    for value in (row, [[0.123456] * 9] * 9, [[[0.5] * 9] * 9] * 9, [-1e-06] * 99):
        text = compact(value)
        assert text.count("[") == text.count("]") and text.endswith("…]"), text
        assert ".…" not in text and "…." not in text and len(text) <= 36, text
        shown = [t for t in text.replace("[", " ").replace("]", " ").split(", ") if t.strip()]
        flat = torch.tensor(value).flatten().tolist()  # each number shown is whole, in order
        numbers = [t.strip() for t in shown if t.strip() != "…"]
        assert numbers == [compact(x) for x in flat[: len(numbers)]], text


BIG = (
    "x = torch.linspace(-1, 1, 2000, requires_grad=True)\n"
    "y = torch.sigmoid(3 * x)\n"
    "o = y.sum()\n"
    "o.backward()\n"
)


def test_a_2000_element_gradient_is_captioned_with_whole_numbers(worker):
    record = worker.evaluate(BIG, show_values=True)
    x = torch.linspace(-1, 1, 2000, requires_grad=True)
    y = torch.sigmoid(3 * x)
    y.sum().backward()
    texts = captions(record)
    last = texts[-1]
    grad = [compact(v) for v in x.grad.tolist()]
    assert grad[0] != grad[1]  # (numbers that differ: the caption shows which ones)
    start = "[" + ", ".join(grad[:3]) + ", "
    assert f"∂o/∂x = {start}" in last and f"x.grad becomes {start}" in last, last
    for text in texts:
        assert ".…" not in text and "…." not in text, text
        for value in text.split("[")[1:]:  # every list shown ends with "…]" or whole
            assert "]" in value and value.split("]")[0].rsplit(", ", 1)[-1] in {"…", *grad}
