"""The record figures' floors (bench/__main__.py) do the work they say: `interpreted`, the
program run by our interpreter with PyTorch's own backward(), and, hooked, one hook on
every autograd node, taken off again after each backward(); `contents_floor`, the
record's contents and no less."""

import torch

import bench.__main__ as bench
from bench import programs
from core.engine.recorder import walk


def test_the_floors_run_the_program_and_its_backward_as_plain_python_does():
    source = programs.chain(40)
    plain = bench.plain_forward_backward(source)()
    for hooked in (False, True):
        _, variables = bench.interpreted(source, hooked=hooked)()
        assert torch.equal(variables["x"].grad, plain["x"].grad)
        assert torch.equal(variables["loss"], plain["loss"])


def test_the_hooked_floor_runs_one_hook_per_node_and_takes_them_off(monkeypatch):
    """Two backward() calls through the same graph: each node's hook runs once per call
    (a hook left on from the first call would run again in the second)."""
    source = programs.chain(40).replace(
        "loss.backward()\n", "loss.backward(retain_graph=True)\n" * 2
    )
    seen = []
    monkeypatch.setattr(bench, "_no_op", lambda fn, grad_inputs, grad_outputs: seen.append(fn))
    _, variables = bench.interpreted(source, hooked=True)()
    nodes = list(walk(variables["loss"].grad_fn))
    assert len(nodes) == 42  # 20 sin, 20 mul, the sum and x's AccumulateGrad
    assert len(seen) == 2 * len(nodes) and set(seen) == set(nodes)
    assert all(seen.count(fn) == 2 for fn in nodes)


def _box(node):
    """All a node's box says but its id and place, as text (so that boxes sort)."""
    return repr((node.kind, node.op, node.name, node.shape, node.dtype, node.span, node.value,
                 node.grad, node.requires_grad, node.is_leaf, node.truncated, node.role,
                 node.retains_grad))  # fmt: skip


# an op the program didn't make (linear's transpose), and values too long to keep whole
LINEAR = (
    "import torch.nn.functional as F\n"
    "W = torch.randn(5, 4, requires_grad=True)\nx = torch.randn(3, 4)\ny = F.linear(x, W)\n"
    "big = torch.ones(5000, requires_grad=True)\nloss = y.sum() + (big * 2).sum()\n"
    "loss.backward()\n"
)


def test_the_contents_floor_makes_what_the_record_holds():
    """`record_floor_contents` is a floor, not a shortcut: for a program whose one
    backward() ends it, it makes the same boxes (values, gradients, names, spans, roles),
    the same edges between them, and the same steps (the same node each, the same
    gradients, the leaf's new .grad) as the real record: on a chain, on the bushy model
    (weights feeding every sample, a leaf behind each AccumulateGrad), and on a program
    with an op it didn't make and values cut short."""
    from core.engine.evaluate import run_program

    for source in (programs.chain(40), programs.model(6), LINEAR):
        _, variables, nodes, edges, steps = bench.contents_floor(source)()
        record = run_program(source, chain_rule=False).record
        assert sorted(map(_box, nodes)) == sorted(map(_box, record.nodes))
        ours = {n.id: _box(n) for n in nodes}
        real = {n.id: _box(n) for n in record.nodes}
        assert sorted((ours[e.source], ours[e.target], e.kind) for e in edges) == sorted(
            (real[e.source], real[e.target], e.kind) for e in record.edges
        )
        assert [
            (s.run, ours[s.node], s.grad_outputs, s.grad_inputs, s.leaf_grad) for s in steps
        ] == [
            (s.run, real[s.node], s.grad_outputs, s.grad_inputs, s.leaf_grad)
            for s in record.backward
        ]
        assert torch.equal(variables["loss"], bench.plain_forward_backward(source)()["loss"])
    assert any(n.truncated for n in nodes) and any(n.op == "TBackward0" for n in nodes)
    assert any(s.leaf_grad is not None for s in steps)
