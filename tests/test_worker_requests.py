"""One request, one answer: the worker adds what a request asks for by intent (a
backward() call, the lesson commands' lines), the chain-rule lines follow the record as the
later part of the same answer, and a request to lay out the last program again reuses its
record instead of running it once more."""

import pytest
import torch

from core.engine.evaluate import run_program
from core.process.client import AdditionFailed, Worker, WorkerError
from core.record.additions import BackwardFailed, added
from core.record.language import ProgramError

LESSON = "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\no = (1/2) * torch.sum(y)\n"
CLOCK = ("import time\nx = torch.tensor([float(time.perf_counter_ns() % 1000003)],"
         " requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n")  # fmt: skip


@pytest.fixture(scope="module")
def worker():
    with Worker(timeout=60) as w:
        yield w


def test_the_worker_adds_the_backward_call_itself(worker):
    record = worker.evaluate(LESSON, backward={"gradient": None})
    assert added(record) == ("o.backward()", [])
    assert record.source == LESSON + "o.backward()\n"
    assert record.backward == run_program(LESSON + "o.backward()\n").record.backward
    own = worker.evaluate(LESSON + "o.backward()\n", backward={"gradient": None})
    assert added(own) == (None, [])  # the program runs backward() itself: nothing added


def test_lesson_commands_are_asked_by_name(worker):
    zeroed = worker.evaluate(LESSON, backward={"gradient": None}, add="zero_grad")
    assert added(zeroed) == ("o.backward()", ["x.grad = None"])
    # o.backward() freed the graph; the worker runs the text keeping every graph (issue 19)
    freed = worker.evaluate(LESSON, backward={"gradient": None}, added=["x.grad = None"],
                            add="again")  # fmt: skip
    assert added(freed) == ("o.backward()", ["x.grad = None", "o.backward(retain_graph=True)"])
    assert freed.source == LESSON + "o.backward()\nx.grad = None\no.backward(retain_graph=True)\n"
    assert {s.run for s in freed.backward} == {0, 1}
    assert next(n.grad for n in freed.nodes if n.name == "x") == [10.0, 10.0]  # from None
    retained = LESSON + "o.backward(retain_graph=True)\n"
    again = worker.evaluate(retained, add="again")
    assert added(again) == (None, ["o.backward(retain_graph=True)"])
    assert {s.run for s in again.backward} == {0, 1}


def test_a_failing_added_backward_answers_with_the_program_s_own_record(worker):
    text = "x = torch.ones(2)\ny = x * 2\n"  # nothing requires grad: no call can be added
    record = worker.evaluate(text, backward={"gradient": None})
    assert added(record) == (None, []) and not record.backward
    vector = "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
    with pytest.raises(AdditionFailed) as failed:
        worker.evaluate(vector, backward={"gradient": ""})  # no gradient for a vector
    assert failed.value.backward and failed.value.what == "y.backward()"
    assert failed.value.record.source == vector and not failed.value.record.backward


def test_the_chain_rule_is_the_later_part_of_the_same_answer(worker):
    record = worker.evaluate(LESSON + "o.backward()\n", chain_rule=False)
    assert record.chain_rule_pending
    steps = worker.explain()  # read, not asked for
    assert steps == run_program(LESSON + "o.backward()\n").record.backward
    worker.evaluate(LESSON + "o.backward()\n", chain_rule=False)
    worker.evaluate(LESSON + "o.backward()\n", chain_rule=False)  # skips the last one's
    assert worker.explain() == steps
    with pytest.raises(WorkerError, match="no longer has"):
        worker.explain()


def test_laying_out_the_last_program_again_does_not_run_it(worker):
    """A program whose value differs on every run (plain Python, trusted: it reads the
    clock) keeps its value when laid out again: it was not run again."""
    unlaid = worker.evaluate(CLOCK, chain_rule=False, layout=False, trusted=True)
    laid = worker.evaluate(CLOCK, chain_rule=False, reuse=True, trusted=True)
    assert unlaid.width == 0 and laid.width > 0
    assert value_of(laid, "x") == value_of(unlaid, "x")
    assert not laid.chain_rule_pending and laid.backward[0].chain  # its lines came before
    again = worker.evaluate(CLOCK, chain_rule=False, layout=False, trusted=True)
    assert value_of(again, "x") != value_of(unlaid, "x")  # (a run does change it)
    other = worker.evaluate(CLOCK + "# changed\n", chain_rule=False, reuse=True, trusted=True)
    assert value_of(other, "x") != value_of(again, "x")  # another text: run as usual
    worker.evaluate(CLOCK, chain_rule=False, reuse=True, show_saved=True, trusted=True)
    assert worker.explain()  # other options: run as usual, its lines follow


def value_of(record, name):
    return next(n.value for n in record.nodes if n.name == name)


def test_a_failed_backward_answers_with_the_graph_before_it(worker):
    """PyTorch refuses a backward() in the text: the one answer is its error and the
    graph of the text up to that line, laid out, with its values equal to PyTorch's; a
    backward() later in the text that first ran backward() once brings its chain rule."""
    text = "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * x\ny.backward()\n"
    with pytest.raises(BackwardFailed) as failed:
        worker.evaluate(text)
    error, before = failed.value, failed.value.before
    assert error.line == 3 and "scalar outputs" in error.message
    assert before is not None and before.source == "x = torch.tensor([1.0, 2.0, 3.0], " \
        "requires_grad=True)\ny = x * x\n"  # fmt: skip
    assert before.width > 0 and all(n.width > 0 for n in before.nodes)  # laid out
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = next(n for n in before.nodes if n.name == "y")
    assert y.value == (x * x).tolist()
    twice = ("x = torch.ones(2, requires_grad=True)\nfor i in range(2):\n"
             "    o = (x * 3).sum()\n    o.backward()\n    o.backward()\n")  # fmt: skip
    with pytest.raises(BackwardFailed) as failed:
        worker.evaluate(twice, chain_rule=False)  # the second backward(): graph freed
    before = failed.value.before
    assert failed.value.line == 5 and before is not None and before.chain_rule_pending
    assert before.source.endswith("    o.backward()\n    pass\n")
    steps = worker.explain()  # the later part of the same answer
    assert steps and all(s.chain for s in steps if s.formula)
    assert [s.node for s in steps] == [s.node for s in before.backward]
    with pytest.raises(ProgramError) as plain:
        worker.evaluate("x = torch.ones(2)\ny = x +\n")
    assert not isinstance(plain.value, BackwardFailed)  # not a backward(): no graph


def test_the_worker_frees_an_evaluation_s_cycles_between_requests(monkeypatch):
    """After answering (and sending the chain rule), the worker collects what the
    evaluation let go of at once, while the user reads the graph, instead of in the middle
    of the next evaluation (a 1,000-node record leaves thousands of objects in cycles)."""
    import gc
    import io
    import pickle

    from bench.programs import chain
    from core.process import server

    source = chain(1000)
    inbox = io.BytesIO()
    for message in (("evaluate", 1, source, {"chain_rule": False, "layout": False}),
                    ("quit",)):  # fmt: skip
        pickle.dump(message, inbox)
    inbox.seek(0)
    outbox = io.BytesIO()
    freed: list[int] = []
    monkeypatch.setattr(server, "tidy", lambda: freed.append(gc.collect(0)) or freed[-1])
    gc.collect()
    was = gc.isenabled()
    gc.disable()  # (as between the worker's rare collections)
    try:
        server.serve(inbox, outbox)
        left = gc.collect()
    finally:
        if was:
            gc.enable()
    outbox.seek(0)
    kinds = [pickle.load(outbox)[0], pickle.load(outbox)[0]]
    assert kinds == ["record", "explained"]  # the graph, then its chain rule
    assert freed and freed[0] > 5_000  # the evaluation's cycles, freed by tidy()
    assert left < 1_000  # nothing of it was left for a later collection
