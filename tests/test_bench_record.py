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
