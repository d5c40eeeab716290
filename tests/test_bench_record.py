"""The record figures' floors (bench/__main__.py `interpreted`) do the work they say: the
program run by our interpreter with PyTorch's own backward(), and, hooked, one hook on
every autograd node, taken off again after each backward()."""

import torch

import bench.__main__ as bench
from core.recorder import walk


def test_the_floors_run_the_program_and_its_backward_as_plain_python_does():
    source = bench.chain(40)
    plain = bench.plain_forward_backward(source)()
    for hooked in (False, True):
        variables = bench.interpreted(source, hooked=hooked)()
        assert torch.equal(variables["x"].grad, plain["x"].grad)
        assert torch.equal(variables["loss"], plain["loss"])


def test_the_hooked_floor_runs_one_hook_per_node_and_takes_them_off(monkeypatch):
    """Two backward() calls through the same graph: each node's hook runs once per call
    (a hook left on from the first call would run again in the second)."""
    source = bench.chain(40).replace("loss.backward()\n", "loss.backward(retain_graph=True)\n" * 2)
    seen = []
    monkeypatch.setattr(bench, "_no_op", lambda fn, grad_inputs, grad_outputs: seen.append(fn))
    variables = bench.interpreted(source, hooked=True)()
    nodes = list(walk(variables["loss"].grad_fn))
    assert len(nodes) == 42  # 20 sin, 20 mul, the sum and x's AccumulateGrad
    assert len(seen) == 2 * len(nodes) and set(seen) == set(nodes)
    assert all(seen.count(fn) == 2 for fn in nodes)


def _box(node):
    """What a node's box says, as text (so that boxes sort)."""
    return repr((node.kind, node.op, node.name, node.shape, node.dtype, node.span, node.value,
                 node.grad))  # fmt: skip


def test_the_contents_floor_makes_what_the_record_holds():
    """`record_floor_contents` is a floor, not a shortcut: for a program with one
    backward() it makes the same boxes (values, gradients, names, spans), as many edges,
    and the same steps with the same gradients as the real record, here on a chain and on
    the bushy model (weights feeding every sample, a leaf behind each AccumulateGrad)."""
    from core.session import run_program

    for source in (bench.chain(40), bench.model(6)):
        variables, nodes, edges, steps = bench.contents_floor(source)()
        record = run_program(source, chain_rule=False).record
        assert sorted(map(_box, nodes)) == sorted(map(_box, record.nodes))
        assert len(edges) == len(record.edges)
        names = {n.id: _box(n) for n in nodes}
        real = {n.id: _box(n) for n in record.nodes}
        assert sorted((names[e.source], names[e.target]) for e in edges) == sorted(
            (real[e.source], real[e.target]) for e in record.edges
        )
        assert [(s.grad_outputs, s.grad_inputs) for s in steps] == [
            (s.grad_outputs, s.grad_inputs) for s in record.backward
        ]
        assert torch.equal(variables["loss"], bench.plain_forward_backward(source)()["loss"])
