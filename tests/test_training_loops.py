"""Training loops: every backward() gets a one-line summary, the first runs and the last
are recorded whole, any other on request, and memory stays flat however long the loop."""

import math

import pytest
import torch

from core.engine.evaluate import run_program
from core.engine.recorder import DETAILED_RUNS
from core.record.graph import GraphRecord
from tests.oracle import close, plain_value, reachable_ops, run_plain


def fit(steps: int) -> str:
    """PyTorch's "Learning PyTorch with Examples" polynomial fit, `steps` steps."""
    return (
        "import math\nimport torch\n"
        "x = torch.linspace(-math.pi, math.pi, 200)\ny = torch.sin(x)\n"
        "a = torch.randn((), requires_grad=True)\nb = torch.randn((), requires_grad=True)\n"
        "losses = []\n"
        f"for t in range({steps}):\n"
        "    y_pred = a + b * x\n"
        "    loss = (y_pred - y).pow(2).sum()\n"
        "    losses.append(loss.item())\n"
        "    loss.backward()\n"
        "    with torch.no_grad():\n"
        "        a -= 1e-4 * a.grad\n        b -= 1e-4 * b.grad\n"
        "        a.grad = None\n        b.grad = None\n"
    )


def test_each_run_has_its_output_value_as_plain_pytorch_gives_it():
    source = fit(50)
    record = run_program(source).record
    plain = run_plain(source)["losses"]
    assert [r.run for r in record.runs] == list(range(50))
    assert all(
        math.isclose(r.value, v, rel_tol=1e-6) for r, v in zip(record.runs, plain, strict=True)
    )


def test_the_first_runs_and_the_last_are_recorded_whole():
    record = run_program(fit(50)).record
    whole = {r.run for r in record.runs if r.detailed}
    assert whole == {*range(DETAILED_RUNS), 49}
    assert {s.run for s in record.backward} == whole
    last = [s for s in record.backward if s.run == 49]
    assert {record.node(s.node).op for s in last} >= {"PowBackward0", "SumBackward0"}


def test_a_run_asked_for_shows_its_graph_and_steps():
    source = fit(50)
    ev = run_program(source, run=20)
    assert 20 in {s.run for s in ev.record.backward}
    assert math.isclose(ev.output.item(), run_plain(source)["losses"][20], rel_tol=1e-6)
    output = ev.record.node(ev.record.output)
    assert close(output.value, plain_value(ev.output))
    ops = [n.op for n in ev.record.nodes if n.kind == "op"]
    assert sorted(ops) == sorted(reachable_ops(ev.output).elements())


def test_steps_of_a_later_run_carry_the_gradients_pytorch_computed():
    """The last run's AccumulateGrad steps give each leaf's .grad as PyTorch left it."""
    source = fit(30).replace("        a.grad = None\n        b.grad = None\n", "")
    source = source.replace("    loss.backward()\n", "    a.grad = None\n    b.grad = None\n"
                            "    loss.backward()\n")  # fmt: skip
    ev = run_program(source)
    plain = run_plain(source)
    for name in ("a", "b"):
        leaf = ev.variables[name]
        step = next(s for s in reversed(ev.record.backward)
                    if s.run == 29 and ev.record.node(s.node).op == "AccumulateGrad"
                    and close(s.leaf_grad, plain_value(plain[name].grad)))  # fmt: skip
        assert close(step.leaf_grad, plain_value(leaf.grad))


@pytest.mark.parametrize("chain_rule", [True, False])
def test_memory_does_not_grow_with_the_number_of_runs(chain_rule):
    short, long = (
        run_program(fit(20), chain_rule=chain_rule),
        run_program(fit(200), chain_rule=chain_rule),
    )
    assert len(long.builder.tracker.tensors) == len(short.builder.tracker.tensors)
    assert len(long.builder.recorder.steps) == len(short.builder.recorder.steps)
    assert len(long.builder.recorder.grad_sums) == len(short.builder.recorder.grad_sums)
    assert len(long.record.backward) == len(short.record.backward)


def test_runs_round_trip_through_json():
    record = run_program(fit(5)).record
    assert GraphRecord.from_json(record.to_json()).runs == record.runs


def test_a_lesson_with_a_few_runs_keeps_every_step():
    source = (
        "x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
        "y.backward(retain_graph=True)\ny.backward(retain_graph=True)\ny.backward()\n"
    )
    record = run_program(source).record
    assert [r.detailed for r in record.runs] == [True, True, True]
    assert {s.run for s in record.backward} == {0, 1, 2}
    assert torch.equal(run_program(source).variables["x"].grad, torch.full((2,), 6.0))


@pytest.mark.parametrize("chain_rule", [True, False])
def test_the_last_runs_accumulate_grad_says_what_grad_was_before(chain_rule):
    """The last run of a loop that sets .grad to None before backward(): its AccumulateGrad
    steps say .grad was None (not the sum it became)."""
    ev = run_program(fit(10), chain_rule=chain_rule)
    steps = ev.explain() if not chain_rule else ev.record.backward
    last = [s for s in steps if s.run == 9 and ev.record.node(s.node).op == "AccumulateGrad"]
    assert len(last) == 2
    assert all("(.grad was None)" in s.chain[0] for s in last), [s.chain for s in last]


def snapshot_after_backward(source: str, run: int, names: tuple[str, ...]) -> str:
    """The program with plain-Python lines that copy each named leaf and its .grad right
    after backward() number `run` (the oracle for what that run's graph shows)."""
    copies = "; ".join(
        f"{n}_then = {n}.detach().clone(); {n}_grad_then = {n}.grad.detach().clone()" for n in names
    )
    return source.replace(
        "    loss.backward()\n",
        f"    loss.backward()\n    if t == {run}:\n        {copies}\n",
    )


@pytest.mark.parametrize("run", [1, 20])
def test_an_earlier_run_shows_its_leaves_as_they_were_after_its_backward(run):
    """A training loop's optimizer changes the leaves after each backward(): the graph of
    an earlier run shows the values it was computed with and the .grad it gave, not the
    program's end (the new-user trial saw the last run's leaves under run 1's graph)."""
    source = fit(40)
    ev = run_program(source, run=run)
    plain = run_plain(snapshot_after_backward(source, run, ("a", "b")))
    for name in ("a", "b"):
        node = next(n for n in ev.record.nodes if n.name == name and n.kind == "tensor")
        assert close(node.value, plain_value(plain[f"{name}_then"]))
        assert close(node.grad, plain_value(plain[f"{name}_grad_then"]))
        assert not close(node.value, plain_value(plain[name]))  # (the end differs)


def test_an_earlier_run_of_an_optimizer_loop_shows_the_parameters_it_used():
    source = (
        "import torch\nfrom torch import nn\n"
        "model = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "X = torch.randn(8, 3)\nY = torch.randn(8, 1)\n"
        "for t in range(12):\n"
        "    opt.zero_grad()\n"
        "    loss = ((model(X) - Y) ** 2).mean()\n"
        "    loss.backward()\n"
        "    w = model.weight\n"
        "    opt.step()\n"
    )
    ev = run_program(source, run=5)
    plain = run_plain(snapshot_after_backward(source, 5, ("w",)))
    node = next(n for n in ev.record.nodes if n.name == "model.weight")
    assert close(node.value, plain_value(plain["w_then"]))
    assert close(node.grad, plain_value(plain["w_grad_then"]))
    last = run_program(source)  # the last run's graph: the program's end, as before
    node = next(n for n in last.record.nodes if n.name == "model.weight")
    assert close(node.value, plain_value(plain["model"].weight))
