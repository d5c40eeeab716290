"""The no-hook prototypes of bench/no_hooks.py (issue 16's measured investigation): they
make the recorder's own record, and the engine's order computed from the graph is the
order backward() runs the nodes in."""

from pathlib import Path

import pytest

from bench.no_hooks import PROTOTYPES, engine_order, order_check, recording_with
from bench.programs import LESSON, TRAIN_2K, chain
from core.engine.evaluate import run_program
from core.engine.recorder import BackwardRecorder, walk

TIES = """\
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = torch.tensor([5.0, 6.0], requires_grad=True)
d = torch.tensor(2.0, requires_grad=True)
y = a * b + c * d + a.exp() + torch.stack([a, c]).sum(0) * d
z = (y * y).sum() + (b * c).mean()
z.backward()
"""
SHORT_TRAIN = TRAIN_2K.replace("range(2000)", "range(7)").replace("t % 100 == 99", "t == 5")
PROGRAMS = {"lesson": LESSON, "chain": chain(200), "ties": TIES, "train": SHORT_TRAIN}


def record(source: str, cls: type[BackwardRecorder]) -> tuple:
    """The first record, and (but for NoKeep, which keeps nothing for it) the chain rule's."""
    with recording_with(cls):
        evaluation = run_program(source, chain_rule=False)
        first = evaluation.record
        later = evaluation.explain() if cls is not PROTOTYPES["no_keep_for_chain_rule"] else ()
        return first.nodes, first.edges, first.runs, first.backward, later


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_each_prototype_makes_the_recorders_record(name: str) -> None:
    source = PROGRAMS[name]
    expected = record(source, BackwardRecorder)
    for prototype, cls in PROTOTYPES.items():
        made = record(source, cls)
        assert made[:4] == expected[:4], prototype
        assert made[4] in (expected[4], ()), prototype


def test_engine_order_is_the_order_backward_runs(tmp_path: Path) -> None:
    paths = []
    for name, source in PROGRAMS.items():
        paths.append(tmp_path / f"{name}.py")
        paths[-1].write_text(source)
    same, differ, _ = order_check(paths)
    assert (same, differ) == (1 + 1 + 1 + 7, 0)  # every backward() of the four


def test_engine_order_breaks_ties_as_the_engine_does() -> None:
    """Several AccumulateGrad nodes (all of the largest sequence_nr) ready at once: the
    priority queue's order among them, not their order of arrival."""
    import torch

    leaves = [torch.ones(2, requires_grad=True) for _ in range(9)]
    out = torch.stack(leaves).sum()
    ran: list = []
    fns = list(walk(out.grad_fn))
    handles = [fn.register_prehook(lambda g, fn=fn: ran.append(fn)) for fn in fns]
    out.backward()
    for handle in handles:
        handle.remove()
    arrival = [fn for fn, _ in fns[1].next_functions]
    assert ran[2:] != arrival  # (the queue reorders them: a FIFO would not do)
    assert engine_order(out.grad_fn, fns) == ran
