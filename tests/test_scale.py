"""Big graphs are recorded whole: deep chains past torchviz's recursion limit, wide trees."""

from collections import Counter

from core.engine.evaluate import run_program
from tests.oracle import close, plain_value


def chain(n):
    return (
        "x = torch.ones(2, requires_grad=True)\ny = x\n"
        f"for i in range({n}):\n    y = y * 1.0001\nloss = y.sum()\nloss.backward()\n"
    )


def test_deep_chain_of_10000_is_recorded_with_backward():
    """A 10,000-op chain: every op is a node, and backward ran each once, in chain order."""
    ev = run_program(chain(10_000))
    ops = Counter(n.op for n in ev.record.nodes if n.kind == "op")
    assert ops == Counter({"MulBackward0": 10_000, "SumBackward0": 1, "AccumulateGrad": 1})
    assert len(ev.record.backward) == 10_002
    x = next(n for n in ev.record.nodes if n.name == "x" and n.kind == "tensor")
    assert close(x.grad, plain_value(ev.variables["x"].grad))
    assert close(x.grad, [1.0001**10_000] * 2, 1e-3)


def test_wide_tree_of_500_leaves():
    """500 leaves summed: 500 tensor nodes, each with its own grad, all recorded."""
    ev = run_program(
        "total = torch.zeros(1)\n"
        "for i in range(500):\n"
        "    w = torch.full((1,), float(i), requires_grad=True)\n"
        "    total = total + w * w\n"
        "total.backward()\n"
    )
    leaves = [n for n in ev.record.nodes if n.kind == "tensor" and n.role == "leaf"]
    assert len(leaves) == 500
    assert sorted(n.grad[0] for n in leaves) == [2.0 * i for i in range(500)]
    accumulations = [s for s in ev.record.backward if ev.record.node(s.node).op == "AccumulateGrad"]
    assert len(accumulations) == 500
