"""The lesson 'Tensors with Gradients', exactly: every value it prints is in the record."""

from pathlib import Path

import pytest

from core.engine.evaluate import run_program
from tests.oracle import close, plain_value, run_plain

LESSON = Path(__file__).resolve().parent.parent / "resources" / "examples" / "lesson.py"


@pytest.fixture(scope="module")
def lesson():
    source = LESSON.read_text()
    return run_program(source), run_plain(source)


def by_name(record, name, kind=None):
    nodes = [n for n in record.nodes if n.name == name and (kind is None or n.kind == kind)]
    assert nodes, f"no node named {name}"
    return nodes[-1]


def test_x_grad_is_ten_ten(lesson):
    """o.backward() gives x.grad == [10, 10], in the record and in PyTorch."""
    ev, plain = lesson
    assert by_name(ev.record, "x", "tensor").grad == [10.0, 10.0]
    assert plain_value(plain["x"].grad) == [10.0, 10.0]


def test_values_of_y_and_o(lesson):
    """y is [20, 20] and o is 20, as the lesson computes by hand."""
    ev, _ = lesson
    assert by_name(ev.record, "y", "op").value == [20.0, 20.0]
    assert by_name(ev.record, "o", "tensor").value == 20.0


def test_requires_grad_flags(lesson):
    """x, y and o require grad; a plain torch.ones(2, 2) does not."""
    ev, _ = lesson
    assert by_name(ev.record, "x", "tensor").requires_grad is True
    assert by_name(ev.record, "y", "op").requires_grad is True
    assert by_name(ev.record, "o", "tensor").requires_grad is True
    assert ev.variables["plain"].requires_grad is False
    shown = [t.text for t in ev.record.transcript]
    assert shown.count("False") == 1 and shown.count("True") == 4


def test_transcript_matches_pytorch_reprs(lesson):
    """Every statement shows exactly what PyTorch prints for it."""
    ev, plain = lesson
    texts = [t.text for t in ev.record.transcript]
    a, b, x = plain["a"], plain["b"], plain["x"]
    expected = [
        repr(a),
        "True",
        "False",
        str(a + b),
        str(a + b),
        str(a * b),
        str(a * b),
        repr(x.detach().requires_grad_()),
        repr(plain["y"]),
        repr(plain["o"]),
        repr(x.grad),
        "True",
        "True",
        "True",
    ]
    assert texts == expected
    assert "tensor([[2., 2.],\n        [2., 2.]], grad_fn=<AddBackward0>)" in texts
    assert "tensor(20., grad_fn=<MulBackward0>)" in texts


def test_graph_ops_and_backward_order(lesson):
    """The graph has the lesson's five ops and backward ran them output-first."""
    ev, _ = lesson
    ops = [n.op for n in ev.record.nodes if n.kind == "op"]
    assert sorted(ops) == sorted(
        [
            "MulBackward0",
            "SumBackward0",
            "MulBackward0",
            "PowBackward0",
            "AddBackward0",
            "AccumulateGrad",
        ]
    )
    order = [ev.record.node(s.node).op for s in ev.record.backward]
    assert order == [
        "MulBackward0",
        "SumBackward0",
        "MulBackward0",
        "PowBackward0",
        "AddBackward0",
        "AccumulateGrad",
    ]
    last = ev.record.backward[-1]
    assert last.leaf_grad == [10.0, 10.0] and close(last.grad_outputs[0], [10.0, 10.0])


def test_spans_point_at_the_source(lesson):
    """x's node points at the line that made x, and y's op at `5 * (x + 1) ** 2`."""
    ev, _ = lesson
    lines = LESSON.read_text().splitlines()
    x = by_name(ev.record, "x", "tensor")
    assert lines[x.span[0] - 1].startswith("x = torch.ones(2")
    y = by_name(ev.record, "y", "op")
    line, col, _, end_col = y.span
    assert lines[line - 1][col - 1 : end_col - 1] == "5 * (x + 1) ** 2"
