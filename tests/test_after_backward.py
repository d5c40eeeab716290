"""What a training loop does after backward(), said as the boxes show it.

A loop's last run shows its leaves as the program ends: after the update (optimizer.step(),
`w -= lr * w.grad` under no_grad, makemore's `p.data += -lr * p.grad`), beside the .grad
that backward() computed before it. The record names those leaves and the last step's
caption says so; an emptied .grad between runs (zero_grad) is not "added up" to; an earlier
run whose graph is gone is told by what it sent, in the program's names. PyTorch is the
oracle: a leaf is named when, and only when, plain PyTorch changed its value after the
last backward().
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from core.engine.evaluate import run_program
from gui.model.captions import caption_for
from gui.model.playback import playback_of
from gui.model.runs import plays_one_run, shown_record
from tests.oracle import plain_value

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "tests" / "programs" / "published"
EXAMPLES = ROOT / "resources" / "examples"

SGD = """w = torch.tensor([1.0, 2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for i in range(3):
    opt.zero_grad()
    loss = (w * w).sum()
    loss.backward()
    opt.step()
"""
NO_GRAD = """w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
loss = (w * w).sum() + b
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
"""
THROUGH_DATA = """w = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    w.grad = None
    loss = (w * w).sum()
    loss.backward()
    w.data += -0.1 * w.grad
"""
UNCHANGED = """w = torch.tensor([1.0, float('nan')], requires_grad=True)
loss = (w * w).sum()
loss.backward()
print(w.data)
"""
ACCUMULATING = SGD.replace("    opt.zero_grad()\n", "")


def plain_updates(source: str) -> set[str]:
    """The leaves plain PyTorch changed after the program's last backward() call: the
    program run with backward() wrapped to copy every named leaf when it returns."""
    seen: dict[str, torch.Tensor] = {}
    names: dict[int, str] = {}
    original = torch.Tensor.backward

    def backward(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.clear()
        for t_id, name in names.items():
            seen[name] = namespace_tensors[t_id].detach().clone()

    namespace_tensors: dict[int, torch.Tensor] = {}

    class Watch(dict):
        def __setitem__(self, key, value):
            if isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad:
                namespace_tensors[id(value)] = value
                names[id(value)] = key
            super().__setitem__(key, value)

    namespace = Watch(torch=torch)
    torch.Tensor.backward = backward
    try:
        exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102
    finally:
        torch.Tensor.backward = original
    return {
        name
        for name, then in seen.items()
        if not torch.allclose(namespace[name].detach(), then, rtol=0, atol=0, equal_nan=True)
    }


@pytest.mark.parametrize(
    "source", [SGD, NO_GRAD, THROUGH_DATA, UNCHANGED], ids=["sgd", "no_grad", "data", "none"]
)
def test_the_record_names_the_leaves_plain_pytorch_changed_after_backward(source):
    record = run_program(source).record
    named = {record.node(n).name for n in record.changed_after_backward}
    assert named == plain_updates(source)
    final = {k: v for k, v in _plain(source).items() if isinstance(v, torch.Tensor)}
    for node_id in record.changed_after_backward:  # the box shows the value after it
        node = record.node(node_id)
        assert node.value == plain_value(final[node.name])


def _plain(source: str) -> dict:
    namespace: dict = {"torch": torch}
    exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102
    return namespace


def test_an_earlier_run_shown_as_it_was_names_no_update():
    record = run_program(SGD, run=1).record
    assert record.changed_after_backward == ()


def test_the_last_step_says_the_boxes_show_the_updated_value():
    record = run_program(SGD).record
    last = caption_for(record, len(record.backward))
    assert "then the program updated w in place (e.g. optimizer.step()): its box" in last
    assert "updated" not in caption_for(record, len(record.backward) - 1)
    assert "updated" not in caption_for(run_program(UNCHANGED).record, 2)


def test_zero_grad_between_runs_is_no_adding_up():
    record = run_program(SGD).record
    captions = [caption_for(record, n) for n in range(len(record.backward) + 1)]
    assert not any("gradients add up" in c for c in captions), captions
    accumulating = run_program(ACCUMULATING).record  # no zero_grad: they do add up
    last = caption_for(accumulating, len(accumulating.backward))
    grads = _plain(ACCUMULATING)["w"].grad.tolist()
    assert "gradients add up" in last and f"w.grad becomes [{grads[0]:.4g}" in last


def test_an_earlier_runs_leaf_step_is_told_by_what_it_received_in_the_programs_names():
    """Runs 1 and 2's graphs are gone (only w's AccumulateGrad is in run 3's): their steps
    don't call what arrived backward()'s gradient argument, and their chain-rule lines
    say ∂loss/∂w (the run started from loss), not ∂w/∂w."""
    record = run_program(SGD).record
    first = record.backward[0]
    assert first.run == 0 and playback_of(record).nodes[first.node].op == "AccumulateGrad"
    caption = caption_for(record, 1)
    assert "gradient argument" not in caption
    assert "received [2, 4]" in caption  # 2w at w = [1, 2]
    assert "∂loss/∂w" in first.chain[0] and "∂w/∂w" not in first.chain[0]


@pytest.mark.parametrize(
    "name, updated",
    [
        ("karpathy_makemore_bigram", {"W"}),  # W.data += -50 * W.grad
        ("pytorch_examples_polynomial_autograd", {"a", "b", "c", "d"}),  # under no_grad
        ("pytorch_examples_polynomial_optim", set()),  # a model's parameters: no name
    ],
)
def test_published_loops_say_what_their_update_did(name, updated):
    source = (PUBLISHED / f"{name}.py").read_text(encoding="utf-8")
    record = run_program(source).record
    named = {record.node(n).name for n in record.changed_after_backward}
    assert updated <= named
    if named:
        assert "then the program updated" in caption_for(record, len(record.backward))
    captions = [caption_for(record, n) for n in range(len(record.backward) + 1)]
    assert not any("gradients add up" in c for c in captions)  # each zeroes .grad first


SEPARATE_GRAPHS = """x = torch.tensor(2.0, requires_grad=True)
for i in range(2):
    y = x ** 3
    y.backward()
"""


def test_a_short_loop_whose_runs_build_their_own_graphs_plays_the_shown_run():
    """Three runs, each its own graph: the graph shown is the last's, so the player plays
    that run (the earlier ones: a click in the runs strip), not the earlier runs' lone
    AccumulateGrad steps. A lesson's backward() calls through one graph play them all."""
    sgd = run_program(SGD).record
    assert plays_one_run(sgd, None)
    played = shown_record(sgd, None)
    assert {s.run for s in played.backward} == {2} and len(played.backward) == 3
    lesson = run_program((EXAMPLES / "gradient_accumulation.py").read_text()).record
    assert not plays_one_run(lesson, None) and shown_record(lesson, None) is lesson


def test_the_shown_run_says_what_grad_held_from_an_earlier_run_not_played():
    """No zero_grad: the second run adds to the first's .grad. Played alone, its leaf step
    still says what .grad held (from the chain rule's numbers), as PyTorch has it."""
    played = shown_record(run_program(SEPARATE_GRAPHS).record, None)
    assert {s.run for s in played.backward} == {1}
    x = _plain(SEPARATE_GRAPHS)["x"]
    last = caption_for(played, len(played.backward))
    assert (
        f"x.grad becomes {x.grad.item():g} (it held {x.grad.item() / 2:g}: gradients add up)"
        in (last)
    )
