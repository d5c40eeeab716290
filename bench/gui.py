"""The GUI-side figures of `make bench`, measured on the real window.

`bench_gui(results)` starts a child process (`python -m bench.gui`) that opens the main
window offscreen on a warm worker, with a temporary data and settings folder (no autosave
or settings of the user's are touched), measures, and prints one JSON object; the bench
process itself never loads Qt. The child never imports torch (the worker does; it is a
process of its own, reported beside the GUI's memory but not counted in it).

"Painted" means the graph view's viewport really painted: `PaintClock` filters the
viewport's paint events, does the paint itself (as the view would) and notes when it
ended and what the scene held. Stalls are gaps between the beats of a 5 ms timer.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEAT_MS = 5  # the heartbeat's period: a stall is a gap between beats


def bench_gui(results: dict[str, float], args: list[str] | None = None) -> dict[str, Any]:
    """Run the window's measurements in a child process; put the figures into `results`.
    `args` are the child's options (the defaults: the contract's sizes). Returns
    everything the child said, the figures and what it saw."""
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            AUTOGRAD_LENS_DATA_DIR=str(Path(tmp) / "data"),
            AUTOGRAD_LENS_SETTINGS_DIR=str(Path(tmp) / "settings"),
        )
        env.pop("AUTOGRAD_LENS_STATE_FILE", None)
        env.pop("AUTOGRAD_LENS_SCREENSHOT", None)
        done = subprocess.run(
            [sys.executable, "-m", "bench.gui", *(args or [])],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the window's bench failed:\n{done.stderr[-4000:]}")
    said = json.loads(done.stdout.strip().splitlines()[-1])
    results.update(said["figures"])
    return said


# --- in the child: the window and its clocks ---------------------------------------------------
def _child(options: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    import gui.model.big_graph
    from bench.programs import LESSON, chain
    from gui.model import collector
    from gui.window import preferences
    from gui.window.autosave import Autosave
    from gui.window.controller import Controller
    from gui.window.evaluator import Evaluator
    from gui.window.main_window import MainWindow

    if options.big_nodes is not None:
        gui.model.big_graph.BIG_GRAPH_NODES = options.big_nodes  # tests: the summary path, small
    app = QApplication.instance() or QApplication(sys.argv[:1])
    evaluator = Evaluator()
    evaluator.start()
    window = MainWindow(Controller(evaluator))
    window.ask_save_changes = lambda: "discard"  # no dialog may hold the closing window
    preferences.restore(window)
    autosave = Autosave(window)
    autosave.claim()
    window.show()
    collector.settle_after_start()  # as run_app does
    said: dict[str, Any] = {"figures": {}}
    try:
        clock = PaintClock(window)
        for part in (
            measure_edit_to_paint(window, clock, LESSON, options.edits),
            measure_edit_same_shape(window, clock, chain(options.step_ops), options.edits),
            measure_step_repaint(window, clock, chain(options.step_ops), options.steps),
            measure_rss(window, options.step_ops),
            measure_stall(window, clock, chain(options.stall_ops)),
        ):
            said["figures"] |= part.pop("figures")
            said |= part
        if "torch" in sys.modules:
            raise AssertionError("the GUI process imported torch")
    finally:
        window.player.pause()
        autosave.finish()
        window.close()
        evaluator.close()
        app.processEvents()
    return said


class PaintClock:
    """Times the graph view's paints. An event filter on its viewport does each paint
    itself (calling the view's own `viewportEvent`, as Qt would) and notes when it ended
    and what the scene held then."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.window, self.view, self.scene = window, window.view, window.scene
        self.paints: list[tuple[float, float, object, int | None]] = []  # end, ms, record, step
        clock = self

        class Filter(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: N802
                if event.type() != QEvent.Type.Paint:
                    return False
                start = time.perf_counter()
                clock.view.viewportEvent(event)
                end = time.perf_counter()
                clock.paints.append(
                    (end, 1000 * (end - start), clock.scene.record, clock.scene.step)
                )
                return True

        class Seen(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    clock.summary_paints.append(time.perf_counter())
                return False

        self._filter = Filter(window)
        self.view.viewport().installEventFilter(self._filter)
        self.summary_paints: list[float] = []  # when the big-graph summary's picture painted
        self._seen = Seen(window)
        window.graph.summary.around_view.viewport().installEventFilter(self._seen)

    def painted_since(self, since: float, record: object, step: int | None = None) -> float | None:
        """When the first paint after `since` that showed `record` (at `step`) ended: the
        same record, or the same one before its chain-rule lines came (`with_chain`)."""
        nodes = getattr(record, "nodes", record)
        for end, _ms, shown, shown_step in self.paints:
            if (
                end > since
                and getattr(shown, "nodes", shown) is nodes
                and (step is None or shown_step == step)
            ):
                return end
        return None


class Heartbeat:
    """A timer beating every BEAT_MS on the GUI thread; `gaps` holds (gap ms, when, phase,
    CPU ms): the CPU time the GUI thread itself used in the gap tells work from waiting
    for a core (the machine is shared)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.phase = ""
        self.gaps: list[tuple[float, float, str, float]] = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)
        self._timer.start(BEAT_MS)

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append(
            (1000 * (now - self._last), now, self.phase, 1000 * (cpu - self._last_cpu))
        )
        self._last, self._last_cpu = now, cpu

    def stop(self) -> None:
        self._beat()  # the gap up to now counts too
        self._timer.stop()

    def longest(self) -> tuple[float, float, str, float]:
        return max(self.gaps, default=(0.0, 0.0, "", 0.0))


def wait_for(condition: Callable[[], object], timeout: float = 120.0, what: str = "") -> None:
    """Run the event loop (a real one: no sleeps between events) until `condition()`."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    poll = QTimer()
    poll.timeout.connect(lambda: (condition() or time.perf_counter() > deadline) and loop.quit())
    poll.start(2)
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError(f"waited {timeout:g} s for {what or 'the window'}")


def _load(window, clock: PaintClock, source: str, name: str) -> None:
    """Open `source` as a new document and wait until its graph (or summary) is up."""
    started = time.perf_counter()
    window.load_text(source, name)
    c = window.controller
    wait_for(lambda: c.record is not None and c.record.source == source and not c.busy,
             what=f"{name}'s record")  # fmt: skip
    if window.graph.showing() == "graph":
        wait_for(lambda: clock.painted_since(started, c.record), what=f"{name} painted")


# --- the figures ---------------------------------------------------------------------------------
def measure_edit_to_paint(window, clock: PaintClock, lesson: str, edits: int) -> dict[str, Any]:
    """One keystroke changes the constant in `y = 5 * (x + 1) ** 2`; the time from the end of
    the editor's pause (the controller starts evaluating) to the new graph painted. The pause
    itself (`Controller.pause_ms`: twice the last evaluation, 40..300 ms) apart."""
    where = lesson.index("y = 5 *") + len("y = ")
    return measure_edit(window, clock, lesson, where, edits, "edit", "6789")


def measure_edit_same_shape(window, clock: PaintClock, source: str, edits: int) -> dict[str, Any]:
    """A 1,000-node program: one keystroke changes the last digit of the loop's constant
    (`* 1.01`), so the graph keeps its shape: the worker reuses its layout and the scene
    its items. The same clock as `measure_edit_to_paint`."""
    where = source.index("* 1.01") + len("* 1.0")
    return measure_edit(window, clock, source, where, edits, "edit_same_shape", "2345")


def measure_edit(window, clock: PaintClock, source: str, where: int, edits: int, name: str,
                 digits: str) -> dict[str, Any]:  # fmt: skip
    """Type one of `digits` over the character at `where`, `edits` times (after two to warm
    up): the figures `{name}_ms` (evaluation asked -> painted) and its parts."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    _load(window, clock, source, f"{name}.py")
    c, editor = window.controller, window.editor
    marks: dict[str, float] = {}
    c.stateChanged.connect(
        lambda s: s == "evaluating" and marks.setdefault("asked", time.perf_counter())
    )
    c.evaluator.finished.connect(lambda _n, _r, seconds: marks.setdefault("worker", seconds))
    rows: list[dict[str, float]] = []
    for i in range(edits + 2):  # the first two warm up
        digit = digits[i % len(digits)]  # never the program's own digit
        cursor = editor.textCursor()
        cursor.setPosition(where)
        cursor.setPosition(where + 1, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        marks.clear()
        pause = c.pause_ms()
        typed = time.perf_counter()
        QTest.keyClick(editor, digit)
        text = editor.toPlainText()

        def shown(text: str = text, typed: float = typed) -> float | None:
            r = c.record
            return clock.painted_since(typed, r) if r is not None and r.source == text else None

        wait_for(shown, what=f"the edited {name} program painted")
        painted = shown()
        assert painted is not None
        if i >= 2:
            rows.append({
                "pause": pause,
                "debounce": 1000 * (marks["asked"] - typed),
                "worker": 1000 * marks["worker"],  # the pool thread's round trip
                "gui": 1000 * (painted - marks["asked"] - marks["worker"]),
                "to_paint": 1000 * (painted - marks["asked"]),
                "keystroke_to_paint": 1000 * (painted - typed),
            })  # fmt: skip
    seen = {
        item.node.name: {"value": item.node.value, "grad": item.node.grad}
        for item in window.scene.node_items()
        if item.node.kind == "tensor" and item.node.name
    }

    def med(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    main_figure = "edit_to_paint_ms" if name == "edit" else f"{name}_ms"
    return {
        "figures": {
            main_figure: med("to_paint"),
            f"{name}_debounce_ms": med("debounce"),
            f"{name}_keystroke_to_paint_ms": med("keystroke_to_paint"),
            f"{name}_worker_ms": med("worker"),
            f"{name}_gui_ms": med("gui"),
        },
        name: {"source": window.controller.record.source, "seen": seen, "rows": rows},
    }


def measure_step_repaint(window, clock: PaintClock, source: str, steps: int) -> dict[str, Any]:
    """Step Forward (the action behind → and PgDown) `steps` times on `source`'s graph; each
    time from the action to the step painted. Once with the whole graph fitted in the view,
    once at actual size (the view scrolls to the running node)."""
    _load(window, clock, source, "chain.py")
    player, view, c = window.player, window.view, window.controller
    assert window.graph.showing() == "graph", "a graph this size is summarised, not drawn"
    count = min(steps, c.step_count())
    medians = {}
    for how in ("fit", "actual"):
        view.fit_to_window() if how == "fit" else view.actual_size()
        start = time.perf_counter()
        player.first_action.trigger()
        wait_for(lambda: clock.painted_since(start, c.record, 0), what="step 0 painted")  # noqa: B023
        times = []
        for step in range(1, count + 1):
            start = time.perf_counter()
            player.forward_action.trigger()
            wait_for(lambda s=step: clock.painted_since(start, c.record, s), what=f"step {step}")  # noqa: B023
            times.append(1000 * (clock.painted_since(start, c.record, step) - start))  # type: ignore[operator]
        medians[how] = statistics.median(times)
    return {
        "figures": {
            "step_repaint_ms_1k": max(medians.values()),
            "step_repaint_ms_1k_fit": medians["fit"],
            "step_repaint_ms_1k_actual": medians["actual"],
        },
        "steps": {"count": count, "nodes": len(c.record.nodes)},
    }


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident memory (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmRSS for {pid}")


def measure_rss(window, ops: int) -> dict[str, Any]:
    """The GUI process's memory with the (drawn, stepped) graph on screen; the worker's too."""
    worker = window.controller.evaluator.worker.pid
    return {
        "figures": {
            "gui_rss_mb_1k": rss_mb(),
            "worker_rss_mb_1k": rss_mb(worker) if worker else math.nan,
        },
        "rss": {
            "ops": ops,
            "nodes": len(window.controller.record.nodes),
            "showing": window.graph.showing(),
        },  # fmt: skip
    }


def measure_stall(window, clock: PaintClock, source: str) -> dict[str, Any]:
    """The longest gap in the GUI thread's heartbeat from opening `source` until its whole
    graph is painted: evaluated, laid out (if the worker runs out of time, on request),
    summarised, drawn whole ("Draw the whole graph") and painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    c, pane = window.controller, window.graph
    beat = Heartbeat()
    started = time.perf_counter()
    c.stateChanged.connect(lambda s: setattr(beat, "phase", f"state {s}"))
    c.recordChanged.connect(lambda _r: setattr(beat, "phase", f"record ({pane.showing()})"))
    window.load_text(source, "big.py")
    wait_for(lambda: c.record is not None and c.record.source == source and not c.busy,
             timeout=600, what="the big record")  # fmt: skip
    path = []
    if pane.showing() == "summary":
        path.append("summary" if pane.summary.draw_button.text().startswith("Draw") else "unlaid")
        beat.phase = "summary"
        shown = time.perf_counter()  # the user clicks the button once the summary is up
        wait_for(lambda: pane.summary.filled() and clock.summary_paints[-1:] > [shown],
                 what="the summary shown")  # fmt: skip
        beat.phase = "draw clicked"
        QTest.mouseClick(pane.summary.draw_button, Qt.MouseButton.LeftButton)
        wait_for(lambda: pane.showing() == "graph", timeout=900, what="the whole graph")
    beat.phase = "first paint"
    wait_for(lambda: clock.painted_since(started, c.record), what="the big graph painted")
    drawn = time.perf_counter()
    beat.stop()
    gap, when, phase, cpu = beat.longest()
    return {
        "figures": {
            "ui_max_stall_ms_10k": gap,
            "ui_max_stall_cpu_ms_10k": max(g[3] for g in beat.gaps),
            "stall_run_s_10k": drawn - started,
        },
        "stall": {
            "nodes": len(c.record.nodes),
            "path": path,
            "phase": phase,
            "cpu_ms": cpu,
            "at_s": when - started,
            "beats": len(beat.gaps),
            "top": sorted(beat.gaps, reverse=True)[:8],
        },  # fmt: skip
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--step-ops", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--stall-ops", type=int, default=10_000)
    parser.add_argument("--big-nodes", type=int, default=None, help="BIG_GRAPH_NODES (tests)")
    said = _child(parser.parse_args())
    print(json.dumps(said, default=str))


if __name__ == "__main__":
    main()
