"""The chain rule worked out after the record (`run_program(chain_rule=False)`, then
`Evaluation.explain()`; the worker's "explain" request) gives exactly the steps worked
out during backward(), also when the program changes tensors in place afterwards."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from core.engine import evaluate as session
from core.engine import recorder as recorder_module
from core.engine.evaluate import run_program
from core.process.client import Worker, WorkerError
from core.record.graph import GraphRecord
from tests.test_chain_rule import GRAD
from tests.test_chain_rule import PROGRAMS as OP_PROGRAMS

VALID = sorted((Path(__file__).parent / "programs" / "valid").glob("*.py"))
LESSON = (Path(__file__).parent.parent / "resources" / "examples" / "lesson.py").read_text()

SGD = """w = torch.tensor([1.0, -2.0], requires_grad=True)
for i in range(3):
    loss = (w * w).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
    w.grad.zero_()
"""
# b is saved by the multiplication (not a leaf, so not copied); changed after backward()
CHANGED_AFTER = """a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 3
c = (b * b).sum()
c.backward()
with torch.no_grad():
    b.add_(1)
"""


def later(source: str) -> tuple[GraphRecord, session.Evaluation]:
    ev = run_program(source, chain_rule=False)
    return ev.record, ev


def complete(record: GraphRecord, ev: session.Evaluation) -> GraphRecord:
    return record.with_chain(ev.explain())


def without_addresses(record: GraphRecord) -> GraphRecord:
    """The record with objects' addresses out of its transcript (print(y.grad_fn) shows one,
    different in each run)."""
    entries = tuple(replace(e, text=re.sub(r"0x[0-9a-f]+", "0x…", e.text))
                    for e in record.transcript)  # fmt: skip
    return replace(record, transcript=entries)


def assert_same_as_at_once(source: str) -> GraphRecord:
    at_once = without_addresses(run_program(source).record)
    record, ev = later(source)
    record = without_addresses(record)
    assert record.chain_rule_pending == bool(at_once.backward)
    assert all(s.formula is None and not s.chain and not s.terms for s in record.backward)
    assert record.with_chain(at_once.backward) == at_once  # all else was there already
    done = complete(record, ev)
    assert done == at_once
    assert done.to_json() == at_once.to_json()
    return done


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_corpus_programs_explain_later_as_at_once(path):
    assert_same_as_at_once(path.read_text())


@pytest.mark.parametrize("op", sorted(OP_PROGRAMS))
def test_every_listed_op_explains_later_as_at_once(op):
    done = assert_same_as_at_once("import torch.nn.functional as F\n" + OP_PROGRAMS[op] + GRAD)
    assert any(s.formula for s in done.backward)


def test_an_optimizer_step_after_backward_keeps_the_numbers_of_that_backward(monkeypatch):
    """w changes in place after each backward(): the recorder kept a copy of the leaf, so
    no re-run is needed and each run's lines show the w it used."""
    expected = run_program(SGD).record
    record, ev = later(SGD)
    monkeypatch.setattr(session, "run_program", fail_if_run_again)
    done = complete(record, ev)
    assert done == expected
    mul = next(s for s in done.backward if done.node(s.node).op == "MulBackward0")
    assert mul.run == 2 and mul.terms[0].local == pytest.approx([0.9604, -1.9208])
    assert "0.9604" in mul.chain[0]  # w at the last backward() (0.98² w₀), not w now (0.98³ w₀)


def fail_if_run_again(*args, **kwargs):
    raise AssertionError("the program was run again")


def test_a_saved_tensor_changed_after_backward_makes_it_run_again(monkeypatch):
    """b (saved by b * b, not a leaf) changes after backward(): the kept numbers are gone,
    so explain() runs the program again, explaining at once: the same lines."""
    runs = []
    real = session.run_program

    def counting(*args, **kwargs):
        runs.append(kwargs.get("chain_rule", True))
        return real(*args, **kwargs)

    expected = real(CHANGED_AFTER).record
    ev = real(CHANGED_AFTER, chain_rule=False)
    assert not ev.builder.recorder.explain_pending()  # the version counter moved
    ev = real(CHANGED_AFTER, chain_rule=False)
    monkeypatch.setattr(session, "run_program", counting)
    done = ev.record.with_chain(ev.explain())
    assert runs == [True]
    assert done == expected
    assert any("b" in line for s in done.backward for line in s.chain)


def test_a_re_run_that_backpropagates_differently_is_refused(monkeypatch):
    """The re-run's lines are used only if its steps are the record's (same runs, same
    nodes, same order): a program that ran differently can't lend its lines."""
    real = session.run_program
    ev = real(CHANGED_AFTER, chain_rule=False)
    other = real(LESSON)
    monkeypatch.setattr(session, "run_program", lambda *a, **k: other)
    with pytest.raises(RuntimeError, match="differently"):
        ev.explain()


def test_past_the_keep_budget_steps_are_explained_at_once(monkeypatch):
    """Over KEEP_ELEMENTS the recorder stops keeping tensors and explains in the hook;
    the result is the same."""
    monkeypatch.setattr(recorder_module, "KEEP_ELEMENTS", 10)
    record, ev = later(LESSON)
    steps = ev.builder.recorder.steps
    assert any(s.kept is not None for s in steps) and any(s.explained for s in steps[1:])
    assert complete(record, ev) == run_program(LESSON).record


def test_explain_lets_the_kept_tensors_go():
    record, ev = later(LESSON)
    assert any(s.kept is not None for s in ev.builder.recorder.steps)
    steps = ev.explain()
    assert ev.builder is None
    assert ev.explain() == record.backward  # nothing kept any more: as the record has them
    assert steps != record.backward


def test_a_record_without_backward_is_not_pending():
    record, ev = later("x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n")
    assert not record.chain_rule_pending and not record.backward
    assert ev.explain() == ()


def test_the_worker_explains_its_last_evaluation_on_request():
    with Worker(timeout=60) as worker:
        with pytest.raises(WorkerError, match="no longer has"):
            worker.explain()  # nothing evaluated yet
        record = worker.evaluate(LESSON, chain_rule=False)
        assert record.chain_rule_pending and record.backward
        steps = worker.explain()
        expected = run_program(LESSON).record.backward
        assert steps == expected
        assert record.with_chain(steps).backward == expected
        with pytest.raises(WorkerError, match="no longer has"):
            worker.explain()  # asked once: the worker let its tensors go
        worker.evaluate(LESSON, chain_rule=False)
        worker.evaluate("x = torch.ones(1)\n", chain_rule=False)
        with pytest.raises(WorkerError, match="no longer has"):
            worker.explain()  # the last program has no backward: nothing to explain
        default = worker.evaluate(LESSON)
        assert not default.chain_rule_pending and default.backward == expected


def test_with_chain_drops_only_the_pending_flag():
    record, ev = later(LESSON)
    done = complete(record, ev)
    assert done.options == {k: v for k, v in record.options.items() if k != "chain_rule_pending"}
    assert replace(done, backward=record.backward, options=record.options) == record
