"""The runs strip, offscreen: a training loop's loss per backward() call, the shown run,
choosing another run (a click on the plot, the spin box, First/Last), the player playing
that run's steps; lessons with two or three backward() calls play as they always have."""

import math

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest

from core.record.graph import BackwardStep, GraphRecord, Node, RunSummary
from gui.model.captions import caption_for
from gui.model.runs import (
    for_player,
    number,
    plays_one_run,
    range_texts,
    run_label,
    shown_run,
    value_text,
)
from gui.panels.runs_strip import RunsPlot

from .conftest import ROOT, explained

STEPS = 50
TRAIN = f"""import torch
import math

x = torch.linspace(-math.pi, math.pi, 200)
y = torch.sin(x)
a = torch.zeros((), requires_grad=True)
b = torch.zeros((), requires_grad=True)
c = torch.zeros((), requires_grad=True)
d = torch.zeros((), requires_grad=True)

learning_rate = 2e-5
for t in range({STEPS}):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
"""
ACCUMULATION = (ROOT / "resources" / "examples" / "gradient_accumulation.py").read_text()


def runs_of(record):
    return {s.run for s in record.backward}


def click_run(qtbot, w, run):
    """Click run's point on the plot and wait for its record."""
    plot = w.runs.plot
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        QTest.mouseClick(plot, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         plot.point_at(run))  # fmt: skip
    return w.controller.record


def same_value(a, b):
    return a == b if isinstance(a, str) or a is None else math.isclose(a, b, rel_tol=1e-6)


def output_value(record):
    value = record.node(record.output).value
    while isinstance(value, list):  # a one-element tensor
        (value,) = value
    return value


@pytest.fixture
def train_window(make_window):
    return make_window(TRAIN)


# --- the window ---------------------------------------------------------------------------


def test_the_strip_is_hidden_for_a_program_with_one_backward(make_window):
    w = make_window()  # the lesson: one backward() call
    assert len(w.controller.record.runs) == 1
    assert w.runs.isHidden()


def test_a_training_loop_shows_every_runs_value_and_the_last_run(train_window):
    w = train_window
    record = w.controller.record
    assert len(record.runs) == STEPS
    assert w.runs.isVisible()
    plotted = w.runs.plot.plotted_values()
    assert len(plotted) == STEPS and all(v is not None for v in plotted)
    for r, shown, given in zip(record.runs, plotted, w.runs.shown_values(), strict=True):
        assert given == r.value and math.isclose(shown, r.value)
    assert w.runs.spin.value() == STEPS and w.runs.spin.maximum() == STEPS
    last = record.runs[-1].value
    assert w.runs.label.text() == f"Run {STEPS} of {STEPS} — loss {value_text(last)}"
    assert w.runs.plot.shown == STEPS - 1 and w.controller.shown_run() == STEPS - 1
    assert not w.runs.log_box.isChecked() and not w.runs.plot.log  # 99.5 to 52: linear
    # the player plays the last run's steps only (the graph is the last run's)
    assert runs_of(record) == {STEPS - 1} and len(record.backward) == 13
    assert w.controller.step == len(record.backward)  # as the program ended
    assert w.player.slider.maximum() == len(record.backward)
    assert same_value(output_value(record), last)
    assert f"(backward #{STEPS})" in w.player.caption.full_text
    top, bottom = w.runs.plot.range_labels()
    values = [r.value for r in record.runs]
    assert (top, bottom) == (value_text(max(values)), value_text(min(values)))


def test_clicking_a_point_shows_that_runs_graph_and_steps(train_window, qtbot):
    w = train_window
    c = w.controller
    asked = []
    real_request = c.evaluator.request
    c.evaluator.request = lambda *a, **k: (asked.append(k.get("run")), real_request(*a, **k))
    record = click_run(qtbot, w, 9)
    assert asked == [9]
    assert runs_of(record) and runs_of(record) == {9}
    assert w.scene.record is record and c.shown_run() == 9 and c.run == 9
    assert same_value(output_value(record), record.runs[9].value)  # run 9's loss tensor
    assert w.runs.plot.shown == 9 and w.runs.spin.value() == 10
    assert w.runs.label.text() == run_label(record, 9)
    assert w.runs.label.text().startswith(f"Run 10 of {STEPS} — loss ")
    assert "(backward #10)" in caption_for(record, len(record.backward))
    assert w.editor.toPlainText() == TRAIN  # the text is never touched
    # the player steps through run 9 from its start
    w.player.play()
    assert c.step == 0
    w.player.pause()
    for n in range(1, len(record.backward) + 1):
        w.player.step_forward()
        assert c.step == n and w.scene.node_item(record.backward[n - 1].node) is not None


def test_the_selector_and_first_and_last_choose_runs(train_window, qtbot):
    w = train_window
    c = w.controller
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.runs.spin.setValue(3)  # (as the arrows or Enter set it)
    assert c.shown_run() == 2 and runs_of(c.record) == {2}
    assert w.runs.first_button.isEnabled() and w.runs.last_button.isEnabled()
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.runs.first_button.click()
    assert c.shown_run() == 0 and runs_of(c.record) == {0} and w.runs.spin.value() == 1
    assert not w.runs.first_button.isEnabled()
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.runs.last_button.click()
    assert c.run is None and c.shown_run() == STEPS - 1 and runs_of(c.record) == {STEPS - 1}
    assert w.runs.spin.value() == STEPS and not w.runs.last_button.isEnabled()


def test_a_run_on_its_way_is_marked_and_stopping_keeps_the_shown_one(train_window, qtbot):
    w = train_window
    c = w.controller
    c.evaluator.request = lambda *a, **k: None  # the answer never comes
    c.show_run(4)
    assert c.busy and c.pending_run() == 4 and c.shown_run() == STEPS - 1
    assert w.runs.plot.pending == 4 and w.runs.spin.value() == 5
    assert "running the program to it" in w.runs.label.text()
    c.stop()
    assert c.run is None and c.pending_run() is None
    assert w.runs.plot.pending is None and w.runs.spin.value() == STEPS


def test_editing_keeps_the_chosen_run(train_window, qtbot):
    w = train_window
    c = w.controller
    click_run(qtbot, w, 5)
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.editor.setPlainText(TRAIN.replace("2e-5", "1e-5"))
    assert c.shown_run() == 5 and runs_of(c.record) == {5}
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):  # fewer runs than the one shown
        w.editor.setPlainText(TRAIN.replace(f"range({STEPS})", "range(3)"))
    assert c.run is None and c.shown_run() == 2 and len(c.record.runs) == 3


SLOW_LOOP = """import torch
w = torch.ones(3, requires_grad=True)
for i in range(5):
    loss = (w * 2).sum() + 10
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
        w.grad = None
"""


def test_another_program_pasted_in_starts_at_its_last_run_and_end_with_its_own_scale(
    train_window, qtbot
):
    """Run 2 of the loop chosen, the player at step 2, Log turned on; then another training
    loop pasted over the text: it opens as a new program does (its last run, the end of
    backward) and the scale suits its values (16 to 15.5: linear), not the old choice."""
    w = train_window
    c = w.controller
    click_run(qtbot, w, 1)
    c.set_step(2)
    w.runs.log_box.click()
    assert (c.shown_run(), c.step, w.runs.log_box.isChecked()) == (1, 2, True)
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.editor.selectAll()
        w.editor.insertPlainText(SLOW_LOOP)  # (a paste over the whole text)
    explained(qtbot, w)
    record = c.record
    assert len(record.runs) == 5 and c.run is None and c.shown_run() == 4
    assert runs_of(record) == {4} and c.step == len(record.backward) > 2
    assert w.runs.spin.value() == 5 and w.runs.plot.shown == 4
    assert not w.runs.plot.wants_log() and not w.runs.log_box.isChecked()
    assert not w.runs.plot.log
    # an edit of it (a number changed) keeps the run and the step chosen
    click_run(qtbot, w, 2)
    c.set_step(1)
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.editor.setPlainText(SLOW_LOOP.replace("0.01", "0.02"))
    assert (c.shown_run(), c.step) == (2, 1)


def test_backward_again_shows_the_new_last_run(train_window, qtbot):
    """Backward Again acts after the program: its run is the last. The loop freed its
    graphs; the worker runs it again keeping them (issue 19), so PyTorch runs the added
    backward() and the new last run is shown, whichever run was chosen."""
    w = train_window
    c = w.controller
    click_run(qtbot, w, 7)
    with qtbot.waitSignal(c.backwardNoteChanged, timeout=60_000,
                          check_params_cb=lambda text: bool(text)):  # fmt: skip
        w.player.again_action.trigger()
    qtbot.waitUntil(lambda: not c.busy, timeout=60_000)
    assert c.run is None and c.shown_run() == STEPS and runs_of(c.record) == {STEPS}
    assert "loss.backward(retain_graph=True)" in w.player.note.text()
    assert "failed" not in w.player.note.text()


def test_a_lesson_with_two_backward_calls_plays_both_as_before(make_window, qtbot, worker):
    w = make_window(ACCUMULATION)
    c = w.controller
    plain = worker.evaluate(ACCUMULATION, show_values=True)
    assert c.record.backward == plain.backward or [s.node for s in c.record.backward] == [
        s.node for s in plain.backward
    ]
    assert runs_of(c.record) == {0, 1} and c.step == len(plain.backward)
    assert w.runs.isVisible() and len(w.runs.plot.plotted_values()) == 2
    assert w.runs.label.text().endswith("the player plays every run")
    record = click_run(qtbot, w, 0)
    assert runs_of(record) == {0} and c.shown_run() == 0
    with qtbot.waitSignal(c.recordChanged, timeout=60_000):
        w.runs.last_button.click()
    assert runs_of(c.record) == {0, 1} and c.run is None


def test_the_strip_follows_the_theme_and_presenter_mode(train_window, qtbot):
    w = train_window
    w.set_theme("dark")
    base = w.runs.plot.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 60
    image = w.runs.plot.grab().toImage()
    assert QColor(image.pixelColor(image.width() // 2, 3)).lightness() < 80  # a dark plot
    w.set_theme("light")
    assert w.runs.plot.palette().color(QPalette.ColorRole.Base).lightness() > 200
    height, size = w.runs.plot.height(), w.runs.label.font().pixelSize()
    icon = w.runs.first_button.iconSize()
    w.presenter.enter()
    assert w.runs.isVisible()  # the curve stays on the projector ...
    assert w.runs.label.font().pixelSize() > size and w.runs.plot.height() > height  # larger
    assert w.runs.first_button.iconSize().width() > icon.width()
    w.presenter.leave()
    qtbot.waitUntil(lambda: w.runs.plot.height() == height)
    assert w.runs.label.font().pixelSize() == size and w.runs.first_button.iconSize() == icon
    w.scale_text(+1)  # View → Larger Text reaches the strip too
    qtbot.waitUntil(lambda: w.runs.plot.height() > height)
    assert w.runs.label.font().pixelSize() > size
    w.scale_text(0)
    qtbot.waitUntil(lambda: w.runs.plot.height() == height)


# --- the plot and the helpers, without a worker ---------------------------------------------


def test_the_plot_leaves_gaps_for_runs_without_a_finite_value(qtbot):
    plot = RunsPlot()
    qtbot.addWidget(plot)
    plot.resize(400, plot.height())
    values = [4.0, "nan", 3.0, 2.5, None, 2.0, "inf", "-inf", 1.0]
    plot.set_runs(values, "loss")
    plot.set_marks(1, 6)
    assert plot.plotted_values() == [4.0, None, 3.0, 2.5, None, 2.0, None, None, 1.0]
    lines = plot._lines(plot.plot_rect())
    assert [line.size() for line in lines] == [1, 2, 1, 1]
    assert plot.range_labels() == ("4", "1")
    top, bottom = plot.point_at(0), plot.point_at(8)
    assert top.y() < bottom.y() and top.x() < plot.point_at(2).x() < bottom.x()
    assert plot.run_at(plot.point_at(5).x()) == 5
    assert plot.point_at(1).y() == plot.plot_rect().center().toPoint().y()  # a gap: mid-height
    image = plot.grab().toImage()  # paints with gaps, a nan mark and a pending mark
    assert not image.isNull()
    with qtbot.waitSignal(plot.runClicked, check_params_cb=lambda run: run == 3):
        QTest.mouseClick(plot, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         plot.point_at(3))  # fmt: skip
    assert plot.can_log() and not plot.wants_log()  # 1 to 4: linear suits it
    plot.set_log(True)
    assert plot.point_at(2).y() < plot.point_at(8).y()
    plot.set_runs([215799.875, 138501.4, None, 12.29], "loss")
    assert plot.wants_log() and plot.range_labels() == ("2.158e+05", "12.29")
    plot.set_runs([5.0, -1.0, 100_000.0], "loss")
    assert not plot.can_log() and not plot.wants_log()  # not above zero
    plot.set_runs([None, "nan"], "loss")
    assert not plot.can_log() and plot.range_labels() == ("", "")
    assert not plot.grab().toImage().isNull()


def test_the_plots_range_labels_differ_where_the_values_do():
    """0.68194 and 0.68187 were both written 0.6819 (a trial saw the same number twice);
    a flat loss is written once."""
    assert range_texts(0.68187, 0.68194) == ("0.68194", "0.68187")
    assert range_texts(38.1512, 38.1549) == ("38.155", "38.151")
    assert range_texts(1.0, 4.0) == ("4", "1")
    assert range_texts(2.5, 2.5) == ("2.5", "")


def test_many_runs_are_drawn_per_pixel_column_keeping_spikes(qtbot):
    plot = RunsPlot()
    qtbot.addWidget(plot)
    plot.resize(300, plot.height())
    values = [1.0] * 20_000
    values[12_345] = 100.0
    plot.set_runs(values, "loss")
    rect = plot.plot_rect()
    lines = plot._lines(rect)
    points = [line.at(i) for line in lines for i in range(line.size())]
    assert len(points) <= 4 * (rect.width() + 2)
    assert min(p.y() for p in points) == pytest.approx(rect.top())  # the spike is there
    image = QImage(plot.grab().toImage())
    assert not image.isNull()


def record_of(runs, steps, output_name="loss"):
    nodes = (Node(id="n0", kind="tensor", name=output_name), Node(id="n1", kind="op"))
    return GraphRecord(
        source="", output="n0", nodes=nodes,
        backward=tuple(BackwardStep(run=r, node="n1") for r in steps),
        runs=tuple(RunSummary(i, v, d) for i, (v, d) in enumerate(runs)),
    )  # fmt: skip


def test_the_player_plays_one_run_of_a_training_loop_and_every_run_of_a_lesson():
    lesson = record_of([(8.0, True), (8.0, True)], [0, 0, 1, 1])
    assert not plays_one_run(lesson, None) and for_player(lesson, None) is lesson
    assert shown_run(lesson, None) == 1
    first = for_player(lesson, 0)
    assert runs_of(first) == {0} and [r.detailed for r in first.runs] == [True, False]
    assert for_player(first, 0) == first
    loop = record_of([(5.0, True), (4.0, True), (3.0, True), (2.0, False), (1.0, True)],
                     [0, 1, 2, 4, 4, 4])  # fmt: skip
    assert plays_one_run(loop, None) and shown_run(loop, None) == 4
    played = for_player(loop, None)
    assert runs_of(played) == {4} and len(played.backward) == 3
    assert for_player(played, None) is played
    assert shown_run(loop, 99) == 4 and shown_run(record_of([], []), None) is None
    one = record_of([(1.0, True)], [0, 0])
    assert for_player(one, None) is one


def test_values_in_words():
    assert [value_text(v) for v in (11.4127, 215799.875, 0.000123456, "nan", "-inf", None)] == [
        "11.41", "2.158e+05", "0.0001235", "nan", "-inf", "",
    ]  # fmt: skip
    assert [number(v) for v in (2.0, 3, "inf", None, float("nan"), True)] == [
        2.0, 3.0, None, None, None, None,
    ]  # fmt: skip
    record = record_of([(3.0, True), (None, True), ("nan", True)], [2])
    assert run_label(record, 0) == "Run 1 of 3 — loss 3"
    assert run_label(record, 1) == "Run 2 of 3"
    assert run_label(record, 2) == "Run 3 of 3 — loss nan"
    assert run_label(record_of([(3.0, True), (2.0, True)], [1], None), 1) == "Run 2 of 2 — value 2"


def test_point_positions_are_inside_the_plot(qtbot):
    plot = RunsPlot()
    qtbot.addWidget(plot)
    plot.resize(500, plot.height())
    plot.set_runs([float(i) for i in range(50)], "loss")
    for run in (0, 25, 49):
        p = plot.point_at(run)
        assert plot.rect().contains(p) and plot.run_at(p.x()) == run
    assert plot.point_at(0) != QPoint(plot.point_at(49))


def test_a_click_on_a_dense_plots_point_picks_that_run(qtbot):
    """2,000 runs in 600 px: a click on the first point (a training loop's highest loss)
    picks run 0 (the trial got run 5), on the last picks the last, and a click on the curve
    picks the run drawn there."""
    plot = RunsPlot()
    qtbot.addWidget(plot)
    plot.resize(600, plot.height())
    values = [1000.0 / (1 + i) for i in range(2000)]
    plot.set_runs(values, "loss")
    plot.set_log(True)
    for run, near in ((0, 0), (1999, 0), (700, 7)):  # (mid-curve: 3.3 runs a pixel)
        with qtbot.waitSignal(
            plot.runClicked, check_params_cb=lambda r, run=run, near=near: abs(r - run) <= near
        ):
            QTest.mouseClick(plot, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             plot.point_at(run) + QPoint(1, 0))  # fmt: skip
    assert plot.run_at(plot.point_at(0).x() + 1) != 0  # (by x alone: not the first run)
