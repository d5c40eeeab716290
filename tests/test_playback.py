"""The one playback model (`gui.model.playback`), without Qt, against PyTorch.

For the lesson and every shipped example, each frame's gradients are the ones the recorder
saw PyTorch compute at that step (a leaf's .grad after its AccumulateGrad ran, what flowed
into each op), and the last frame's leaves hold PyTorch's own .grad; a tensor reached by
several paths shows one part per path, and the parts add up to what PyTorch summed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import torch

from core.engine.evaluate import run_program
from core.record.additions import added
from core.record.language import ProgramError
from core.record.steps import add_values
from gui.model.playback import Playback, playback_of
from tests.oracle import close, plain_value, run_plain

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "resources" / "examples").glob("*.py"))


def expected_grads(record, n):
    """Each node's gradient after n steps, worked out here from the recorder's steps."""
    if n == len(record.backward):
        return {node.id: node.grad for node in record.nodes}
    nodes = {node.id: node for node in record.nodes}
    leaf_of = {e.target: e.source for e in record.edges if nodes[e.source].role == "leaf"}
    made = {
        e.target: e.source
        for e in record.edges
        if e.kind == "data" and nodes[e.target].kind == "tensor" and nodes[e.source].kind == "op"
    }
    grads = dict.fromkeys(nodes)
    for s in record.backward[:n]:
        if s.node in leaf_of:
            grads[leaf_of[s.node]] = s.leaf_grad
        elif s.grad_outputs:
            grads[s.node] = add_values(grads[s.node], s.grad_outputs[0])
    for tensor, op in made.items():
        grads[tensor] = grads[op]
    return grads


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_frame_has_the_gradients_pytorch_computed(path):
    source = path.read_text()
    record = run_program(source).record
    plain = run_plain(source)
    play = Playback(record)
    total = len(record.backward)
    order = [*range(total + 1), *reversed(range(total + 1)), total // 2, total]  # both ways
    for n in order:
        frame = play.frame(n)
        assert frame.grads == expected_grads(record, n), (path.stem, n)
        if n:
            s = record.backward[n - 1]
            assert frame.running == s.node and frame.states[s.node] == "running"
            arrival = frame.arrival
            if s.grad_outputs and s.grad_outputs[0] is not None:
                parts = [p.value for p in arrival.parts]
                total_parts = parts[0]
                for v in parts[1:]:
                    total_parts = add_values(total_parts, v)
                assert close(total_parts, s.grad_outputs[0], 1e-5), (path.stem, n)
    last = play.frame(total)
    for node in record.nodes:  # the end: PyTorch's own .grad for every named leaf
        value = plain.get(node.name or "")
        if node.role == "leaf" and isinstance(value, torch.Tensor) and value.is_leaf:
            assert close(last.grads[node.id], plain_value(value.grad), 1e-6), node.name


def tensor_used_twice():
    """y = x * x: PyTorch's two parts, each factor made its own leaf."""
    x1 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x1 * x2).backward(torch.ones(3))
    return plain_value(x1.grad), plain_value(x2.grad)


def test_a_tensor_used_twice_shows_both_parts_and_their_sum():
    source = (
        "import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x * x\ny.backward(torch.ones_like(y))\n"
    )
    record = run_program(source).record
    plain = run_plain(source)
    play = Playback(record)
    acc = next(i for i, s in enumerate(record.backward, 1) if s.leaf_grad is not None)
    frame = play.frame(acc)
    parts = [p.value for p in frame.arrival.parts]
    assert parts == list(tensor_used_twice()) == [[1.0, 2.0, 3.0]] * 2
    assert frame.arrival.total == plain_value(plain["x"].grad) == [2.0, 4.0, 6.0]
    assert "[1, 2, 3] + [1, 2, 3] = [2, 4, 6]" in frame.caption
    assert any("[1, 2, 3] (from MulBackward0 (y)) + [1, 2, 3] (from MulBackward0 (y))"
               " = [2, 4, 6]" in line for line in frame.chain)  # fmt: skip


def test_the_used_twice_example_adds_the_parts_pytorch_sends_along_each_path():
    source = (EXAMPLES[0].parent / "used_twice.py").read_text()
    record = run_program(source).record
    plain = run_plain(source)
    # PyTorch's parts: x (and y) split into one copy per use
    x1, x2, y1, y2 = (torch.tensor(v, requires_grad=True) for v in (-2.0, -2.0, 3.0, 3.0))
    ((x1 * y1) * (x2 + y2)).backward()
    play = playback_of(record)
    for name, (first, second) in {"x": (x1, x2), "y": (y1, y2)}.items():
        leaf = next(n for n in record.nodes if n.name == name and n.role == "leaf")
        acc = next(e.target for e in record.edges if e.source == leaf.id)
        n = next(i for i, s in enumerate(record.backward, 1) if s.node == acc)
        frame = play.frame(n)
        got = sorted(p.value for p in frame.arrival.parts)
        assert got == sorted([plain_value(first.grad), plain_value(second.grad)])
        assert frame.arrival.total == plain_value(plain[name].grad) == frame.grads[leaf.id]
        assert " + " in frame.caption.split(";")[0]


def test_frames_are_shared_and_stepping_back_undoes():
    record = run_program((EXAMPLES[0].parent / "lesson.py").read_text()).record
    play = playback_of(record)
    assert playback_of(record) is play and play.frame(3) is play.frame(3)
    after = play.grads(4)
    assert play.grads(1) == expected_grads(record, 1) and play.grads(4) == after
    assert play.frame(None).states and play.frame(None).caption == play.caption(0)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_forward_frames_build_the_graph_in_program_order(path):
    """The forward pass: statement by statement, every node appears once, an op never
    before the ops and leaves it uses, the last frame is the whole graph; and a named
    leaf's value shown is PyTorch's."""
    source = path.read_text()
    record = run_program(source).record
    plain = run_plain(source)
    play = Playback(record)
    total = play.forward_count()
    seen: set[str] = set()
    appeared: dict[str, int] = {}
    for k in range(total + 1):
        frame = play.forward_frame(k)
        assert seen <= frame.visible and frame.new == frame.visible - seen
        assert all(record.edges[i].source in frame.visible for i in frame.edges)
        for node_id in frame.new:
            appeared[node_id] = k
        if k:
            assert frame.line is not None and f"line {frame.line}:" in frame.caption
        seen = set(frame.visible)
    assert seen == {n.id for n in record.nodes}
    nodes = {n.id: n for n in record.nodes}
    for e in record.edges:
        if e.kind == "data" and nodes[e.target].kind == "op":
            assert appeared[e.source] <= appeared[e.target], (path.stem, e)
    for node in record.nodes:
        value = plain.get(node.name or "")
        if node.role == "leaf" and isinstance(value, torch.Tensor) and not node.truncated:
            assert close(node.value, plain_value(value), 1e-6), node.name


# line 4: PyTorch refuses a non-scalar's backward() without a gradient
FAILS = "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 3\ny.backward()\n"


def graph_before_failure(**options):
    """What the worker answers for FAILS (with the request's `options`): the record of the
    text before its failed backward(), and what of the additions failed (or None)."""
    from core.process.server import record_before

    with pytest.raises(ProgramError) as refused:
        run_program(FAILS)
    answer = record_before(0, FAILS, {"layout": False, **options}, None, refused.value,
                           time.monotonic())  # fmt: skip
    assert answer is not None
    return answer


def test_the_player_says_the_program_s_own_backward_failed_and_what_works():
    """Not "No backward() in this program": the program has one, on line 4, and it failed;
    Backward runs y.backward(gradient=…) on the graph shown."""
    record, failed = graph_before_failure()
    assert failed is None and not record.backward
    play = Playback(record)
    reason = "grad can be implicitly created only for scalar outputs"
    assert play.caption(0) == (
        f"The program's backward() on line 4 failed: {reason} · Press Backward to run "
        "y.backward(gradient=…) on this graph, with a gradient you give."
    )
    assert play.frame(0).caption_plain == f"The program's backward() on line 4 failed: {reason}."
    assert play.chain_text(0)[2] == (
        "The program's backward() on line 4 failed: press Backward to run one on this graph.",
    )


def test_backward_with_a_gradient_plays_pytorch_s_gradients_on_the_graph_before_it():
    """Backward with gradient [0.5, 2] after the failed y.backward(): the worker runs the
    text before line 4 with y.backward(gradient) after it; every frame's gradients are
    PyTorch's, and the first step starts from the gradient given."""
    record, failed = graph_before_failure(backward={"gradient": "[0.5, 2]"})
    assert failed is None
    assert added(record) == ("y.backward(torch.tensor([0.5, 2], dtype=y.dtype))", [])
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(gradient=torch.tensor([0.5, 2.0]))
    play = Playback(record)
    total = len(record.backward)
    assert total > 0
    for n in range(total + 1):
        assert play.frame(n).grads == expected_grads(record, n)
    leaf = next(n for n in record.nodes if n.name == "x" and n.role == "leaf")
    assert play.frame(total).grads[leaf.id] == plain_value(x.grad) == [1.5, 6.0]
    assert "backward()'s gradient argument [0.5, 2]" in play.caption(1)


def test_a_gradient_of_the_wrong_shape_after_a_failed_backward_says_why():
    record, failed = graph_before_failure(backward={"gradient": "[1, 1, 1]"})
    assert not record.backward and added(record)[0] is None
    fields, what, backward = failed
    assert backward and what == "y.backward(torch.tensor([1, 1, 1], dtype=y.dtype))"
    assert "Mismatch in shape" in fields[0]
