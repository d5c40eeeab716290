"""What flowed into a node is summed over backward runs exactly as PyTorch adds it, even
where the recorder keeps only plain values between runs."""

import pytest
import torch

from core.engine.evaluate import run_program
from tests.oracle import plain_value, run_plain


def op_node(record, op):
    return next(n for n in record.nodes if n.op == op)


def incoming(record, node_id):
    return [s.grad_outputs[0] for s in record.backward if s.node == node_id]


def test_a_gradient_changed_in_place_between_runs_is_summed_as_it_was():
    """The gradient given to backward() is the very tensor that flows into y's node; the
    program scales it in place after the first run, and the sum keeps the first run's."""
    record = run_program(
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\nv = torch.ones(3)\n"
        "y.backward(v, retain_graph=True)\nv.mul_(10)\ny.backward(v)\n"
    ).record
    mul = op_node(record, "MulBackward0")
    runs = incoming(record, mul.id)
    assert runs == [[1.0, 1.0, 1.0], [10.0, 10.0, 10.0]]
    assert mul.grad == (torch.tensor(runs[0]) + torch.tensor(runs[1])).tolist()


def test_non_finite_gradients_are_summed_over_runs():
    """inf kept as the string "inf" between runs still adds up as inf."""
    record = run_program(
        "x = torch.tensor([0.0, 4.0], requires_grad=True)\ny = x * 1\nz = torch.log(y)\n"
        "s = z.sum()\ns.backward(retain_graph=True)\ns.backward()\n"
    ).record
    mul = op_node(record, "MulBackward0")
    assert incoming(record, mul.id) == [["inf", 0.25], ["inf", 0.25]]
    assert mul.grad == ["inf", 0.5]


def test_truncated_gradients_are_summed_over_runs():
    """A gradient too big to keep whole is summed in full, then cut like any value."""
    record = run_program(
        "w = torch.ones(100, 100, requires_grad=True)\ny = w * 3\ns = y.sum()\n"
        "s.backward(retain_graph=True)\ns.backward()\n"
    ).record
    mul = op_node(record, "MulBackward0")
    assert mul.grad == [2.0] * len(mul.grad) and 0 < len(mul.grad) < 100 * 100
    w = next(n for n in record.nodes if n.name == "w")
    assert w.grad[0] == 6.0


def test_accumulate_grad_records_what_it_received_before_it_writes_grad():
    """x.grad is the very tensor that flows into x's AccumulateGrad, which adds it to
    itself in place: the step shows the gradient as it arrived, and the new .grad."""
    source = (
        "x = torch.ones(3, requires_grad=True)\nv = torch.ones(3)\nx.grad = v\n"
        "y = x + 0\ny.backward(v)\n"
    )
    record = run_program(source).record
    plain = run_plain(source)
    acc = next(s for s in record.backward if record.node(s.node).op == "AccumulateGrad")
    assert acc.grad_outputs == (torch.ones(3).tolist(),)
    assert acc.leaf_grad == plain_value(plain["x"].grad) == plain_value(plain["v"])


def test_a_gradient_changed_in_place_after_it_was_sent_is_read_again():
    """The root sends v itself to a's node; before that node runs, x's AccumulateGrad adds
    into x.grad, which is v. The remembered value of v is stale (v's version moved on), so
    a's node shows v as it arrived: the sum."""
    source = (
        "x = torch.ones(3, requires_grad=True)\nw = torch.ones(3, requires_grad=True)\n"
        "v = torch.ones(3)\nx.grad = v\na = w * 1\nb = x * 3\n"
        "s = torch.add(a, b, alpha=2)\ns.backward(v)\n"
    )
    record = run_program(source).record
    plain = run_plain(source)
    a = next(n for n in record.nodes if n.name == "a")
    step = next(s for s in record.backward if s.node == a.id)
    assert step.grad_outputs == (plain_value(plain["v"]),)
    assert step.grad_inputs[0] == plain_value(plain["w"].grad)


def test_big_gradients_are_read_as_they_come_and_give_the_same_record(monkeypatch):
    """Post-hooks hold gradients until backward() returns, unless they pass
    HOLD_ELEMENTS: then they are read at once. Either way the record is the same, and
    every gradient is the one PyTorch computed."""
    import core.engine.recorder

    source = (
        "x = torch.linspace(-1, 1, 6, requires_grad=True)\ny = x\n"
        "for i in range(12):\n    y = torch.sin(y) * 1.5 + x\ns = y.sum()\ns.backward()\n"
    )
    held = run_program(source).record
    settles = []
    settle = core.engine.recorder.BackwardRecorder._settle
    monkeypatch.setattr(core.engine.recorder, "HOLD_ELEMENTS", 10)

    def counted(self):
        settles.append(len(self._pending))
        settle(self)

    monkeypatch.setattr(core.engine.recorder.BackwardRecorder, "_settle", counted)
    early = run_program(source).record
    assert early == held and sum(settles) == len(held.backward) - 1  # one AccumulateGrad
    assert len([n for n in settles if n]) > 10 and max(settles) <= 3  # 1 + 6 + 6 > 10
    plain = run_plain(source)
    x = next(n for n in early.nodes if n.name == "x")
    assert x.grad == plain_value(plain["x"].grad)
    sums = {}
    for step in early.backward:
        sums.setdefault(step.node, []).append(step.grad_outputs[0])
    for node in early.nodes:
        if node.kind == "op" and node.name == "y":
            assert node.grad == sums[node.id][0]


@pytest.mark.parametrize("runs", [1, 2])
def test_ops_the_program_did_not_make_take_their_shape_from_what_flowed_in(runs):
    """F.linear makes a transpose node the program never sees: its box's shape is that of
    the gradient that flowed into it, as PyTorch's own metadata for the node says, and
    its grad is the sum PyTorch's plain run gives (after one run, the recorder keeps only
    the plain value and reads the shape off it; after two, a sum)."""
    source = (
        "W = torch.randn(3, 2, requires_grad=True)\nx = torch.randn(4, 3)\n"
        "y = torch.nn.functional.linear(x, W.t())\ns = (y * y).sum()\n"
        + "s.backward(retain_graph=True)\n" * (runs - 1)
        + "s.backward()\n"
    )
    ev = run_program(source)
    unseen = [n for n in ev.record.nodes if n.kind == "op" and n.name is None
              and n.op == "TBackward0"]  # fmt: skip
    assert unseen
    plain = run_plain(source)
    w_grad = plain["W"].grad  # the inner transpose gives back W itself: what flows into
    compared = 0  # it, summed over the runs, is W's .grad
    for node in unseen:
        fn = ev.objects[node.id]
        assert node.shape == tuple(fn._input_metadata[0].shape)
        assert len(incoming(ev.record, node.id)) == runs
        if node.shape == tuple(w_grad.shape):
            assert torch.allclose(torch.tensor(node.grad), w_grad)
            compared += 1
    assert compared == 1
