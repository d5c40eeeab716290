"""Tutorial and textbook programs: every value and grad in the record is PyTorch's."""

from collections import Counter
from pathlib import Path

import pytest
import torch

from core.engine.evaluate import run_program
from tests.oracle import close, plain_value, reachable_ops, run_plain

PROGRAMS = sorted((Path(__file__).parent / "programs" / "valid").glob("*.py"))
# one program per construct of the language (functions, classes, loops, optimizers, ...)
CONSTRUCTS = sorted((Path(__file__).parent / "programs" / "constructs").glob("*.py"))


def test_corpus_is_large_enough():
    """At least 25 programs beyond the lesson."""
    assert len(PROGRAMS) >= 26


@pytest.fixture(scope="module", params=PROGRAMS + CONSTRUCTS, ids=lambda p: p.stem)
def program(request):
    source = request.param.read_text()
    return source, run_program(source), run_plain(source)


def test_variables_equal_pytorch(program):
    """Each tensor variable's value, requires_grad and .grad equal plain PyTorch's."""
    _, ev, plain = program
    tensors = {k: v for k, v in plain.items() if isinstance(v, torch.Tensor)}
    assert tensors, "the program makes no tensors"
    for name, expected in tensors.items():
        got = ev.variables[name]
        assert close(plain_value(got), plain_value(expected)), name
        assert got.requires_grad == expected.requires_grad, name
        if expected.is_leaf:
            assert close(plain_value(got.grad), plain_value(expected.grad)), name


def test_record_values_equal_the_tensors(program):
    """Each node's value and grad in the record equal the live tensor it describes."""
    _, ev, _ = program
    for node in ev.record.nodes:
        obj = ev.objects[node.id]
        if isinstance(obj, torch.Tensor):
            assert node.shape == tuple(obj.shape)
            assert node.requires_grad == obj.requires_grad
            if not node.truncated:
                assert close(node.value, plain_value(obj))
            if node.kind == "tensor" and obj.is_leaf:
                assert close(node.grad, plain_value(obj.grad)), node


def test_op_nodes_are_the_reachable_grad_fns(program):
    """The op nodes are exactly the multiset of grad_fn classes reachable from the output."""
    _, ev, _ = program
    if ev.output is None or ev.output.grad_fn is None:
        assert not [n for n in ev.record.nodes if n.kind == "op"]
        return
    ours = Counter(n.op for n in ev.record.nodes if n.kind == "op")
    assert ours == reachable_ops(ev.output)


def test_backward_order_is_one_autograd_could_run(program):
    """Within each backward run, every node comes after all nodes that consume its output."""
    _, ev, _ = program
    record = ev.record
    consumers: dict[str, set[str]] = {}
    for e in record.edges:
        if e.kind == "data" and record.node(e.target).kind == "op":
            consumers.setdefault(e.source, set()).add(e.target)
    runs = sorted({s.run for s in record.backward})
    for run in runs:
        order = [s.node for s in record.backward if s.run == run]
        assert len(order) == len(set(order)), "a node ran twice in one backward"
        position = {node: i for i, node in enumerate(order)}
        for node in order:
            for consumer in consumers.get(node, ()):
                if consumer in position:
                    assert position[consumer] < position[node], (consumer, node)


def test_grads_received_match_the_leaf_grads(program):
    """At each AccumulateGrad step the leaf's new .grad is the incoming gradient, added to
    the .grad of its previous step unless the program reset it in between."""
    _, ev, _ = program
    last: dict[str, object] = {}
    for step in ev.record.backward:
        if ev.record.node(step.node).op != "AccumulateGrad" or step.leaf_grad is None:
            continue
        incoming = step.grad_outputs[0]
        previous = last.get(step.node)
        fresh = close(step.leaf_grad, incoming, 1e-5)
        summed = previous is not None and close(
            step.leaf_grad, (torch.tensor(previous) + torch.tensor(incoming)).tolist(), 1e-5
        )
        assert fresh or summed, step
        last[step.node] = step.leaf_grad


def test_an_output_whose_graph_pytorch_wont_read_is_a_program_error_at_its_line():
    """A view made under no_grad, then changed in place: the program runs in plain PyTorch,
    but reading its graph raises (torchviz's make_dot too). The app says so at the line
    that made it, instead of failing inside."""
    from torchviz import make_dot

    from core.record.language import ProgramError

    source = (
        "a = torch.ones(2, requires_grad=True)\nloss = (a * 2).sum()\n"
        "with torch.no_grad():\n    a = a.t().zero_()\n"
    )
    namespace = {"torch": torch}
    exec(source, namespace)  # noqa: S102 — the oracle: plain PyTorch runs it
    with pytest.raises(RuntimeError, match="view was created in no_grad mode"):
        make_dot(namespace["a"])
    with pytest.raises(ProgramError) as caught:
        run_program(source)
    assert (caught.value.line, caught.value.col) == (4, 9)
    assert "view was created in no_grad mode" in caught.value.message
