"""The chain-rule panel follows the player's step and shows exactly what the record holds;
"Check by hand" fetches finite differences from the worker and lists them."""

import time

import pytest
from PySide6.QtCore import Qt, QTimer

from core.process.client import Worker, WorkerError
from core.record.language import ProgramError
from gui.model.playback import op_label
from gui.panels.chain_panel import HOLD_MS, NOT_LISTED, WORKING
from gui.panels.hand_check import difference, number
from gui.window.controller import CHAIN_OUT_OF_DATE, Controller
from gui.window.evaluator import Evaluator
from gui.window.main_window import MainWindow

from .conftest import LESSON, ROOT


def test_panel_text_follows_the_step_and_equals_the_record(make_window, qtbot):
    w = make_window()
    record, panel = w.controller.record, w.chain_panel
    total = len(record.backward)
    assert total == 6 and not w.chain_dock.isHidden()
    w.player.first_action.trigger()
    assert "before backward" in panel.text()
    for k in range(1, total + 1):
        w.player.forward_action.trigger()  # the player's action, as a key or clicker sends it
        step = record.backward[k - 1]
        assert w.controller.step == k
        lines = panel.text().split("\n")
        assert lines[0] == f"Step {k}/{total} · {op_label(record, record.node(step.node))}"
        assert lines[1] == step.formula
        assert lines[2:] == list(step.chain)
    assert "x.grad = ∂o/∂x = [10., 10.]" in panel.lines.text()
    w.player.back_action.trigger()
    assert panel.lines.text() == "\n".join(record.backward[total - 2].chain)  # one line


def test_several_inputs_get_a_bulleted_line_each(make_window, qtbot):
    """x1 * w1 sends to both: two lines, each its own bullet (long lines wrap)."""
    w = make_window((ROOT / "resources" / "examples" / "neuron.py").read_text())
    record = w.controller.record
    k = next(i for i, s in enumerate(record.backward, 1) if len(s.chain) == 2)
    w.controller.set_step(k)
    step = record.backward[k - 1]
    assert w.chain_panel.lines.text() == "\n".join("• " + line for line in step.chain)
    assert w.chain_panel.text().split("\n")[2:] == list(step.chain)


def test_an_unlisted_op_says_so_and_still_shows_gradients(make_window, qtbot):
    w = make_window("a = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)\n"
                    "y = torch.median(a) * 3\ny.backward()\n")  # fmt: skip
    record = w.controller.record
    k = next(i for i, s in enumerate(record.backward, 1) if s.formula is None)
    w.controller.set_step(k)
    text = w.chain_panel.text()
    assert NOT_LISTED in text and "isn't listed" in text
    assert all(line in text for line in record.backward[k - 1].chain)


def test_check_by_hand_lists_estimates_beside_grads(make_window, qtbot):
    w = make_window()
    assert w.controller.record.check is None  # only on request
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        dialog = w.chain_panel.open_check()
    check = w.controller.record.check
    assert check is not None and dialog.isVisible()
    (leaf,) = check.leaves
    assert leaf.name == "x" and leaf.autograd == (10.0, 10.0)
    table = dialog.table
    assert table.rowCount() == 2
    for r in range(2):
        assert table.item(r, 0).text() == "x"
        assert table.item(r, 1).text() == f"[{r}]"
        assert table.item(r, 2).text() == number(leaf.estimate[r])
        assert table.item(r, 3).text() == "10"
        assert float(table.item(r, 2).text()) == float(f"{leaf.estimate[r]:.10g}")
    assert f"Largest difference: {difference(check.max_difference)}" in dialog.summary.text()
    assert abs(leaf.estimate[0] - 10.0) < 1e-6
    w.controller.set_step(2)  # stepping keeps the check (it is the record's)
    assert dialog.table.rowCount() == 2
    dialog.close()
    assert "check" not in w.controller.extra_options


def test_check_by_hand_menu_action(make_window, qtbot):
    w = make_window()
    action = next(a for a in w.findChildren(type(w.stop_action)) if a.text() == "Check by &Hand…")
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        action.trigger()
    assert w.chain_panel.dialog is not None and w.controller.record.check is not None
    qtbot.keyClick(w.chain_panel.dialog, Qt.Key.Key_Escape)
    assert not w.chain_panel.dialog.isVisible()
    assert "check" not in w.controller.extra_options


class LaterEvaluator(Evaluator):
    """Answers at once with a record whose chain rule is pending; the test says when (and
    what) the explanation brings."""

    def __init__(self, record):
        super().__init__(worker=Worker())
        self.record, self.explains = record, []

    def request(self, number, source, **options):
        self.options = options
        QTimer.singleShot(0, lambda: self.finished.emit(number, self.record, 0.01))

    def explain(self, number):
        self.explains.append(number)

    def close(self):
        pass


@pytest.fixture
def later_window(qtbot):
    from core.engine.evaluate import run_program
    from core.record.layout import layout

    pending = layout(run_program(LESSON, chain_rule=False).record, show_values=True)
    fake = LaterEvaluator(pending)
    w = MainWindow(Controller(fake))
    w.show_message = lambda *m: None
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=10_000):
        w.load_text(LESSON, "lesson.py")
    return w, fake, run_program(LESSON).record


def test_the_graph_comes_first_and_the_chain_rule_follows(later_window, qtbot):
    w, fake, full = later_window
    c = w.controller
    assert fake.options["chain_rule"] is False  # the window asks for the graph first ...
    assert fake.explains == [c._shown_number]  # ... and for the chain rule right after
    c.set_step(3)
    assert WORKING in w.chain_panel.text()
    assert w.scene.step == 3
    fake.explained.emit(fake.explains[0], full.backward)
    assert not c.record.chain_rule_pending and c.record.backward == full.backward
    assert w.chain_panel.text().split("\n")[2:] == list(full.backward[2].chain)
    c.set_step(5)  # the scene still follows the player: the same picture, completed
    assert w.scene.step == 5 and w.scene.record is c.record
    assert w.chain_panel.text().split("\n")[2:] == list(full.backward[4].chain)


def test_a_failed_explanation_says_why(later_window):
    w, fake, _ = later_window
    w.controller.set_step(2)
    fake.explained.emit(fake.explains[0], WorkerError("the worker was stopped"))
    assert "could not be worked out: the worker was stopped" in w.chain_panel.text()
    assert w.controller.record.chain_rule_pending and w.scene.step == 2


def test_an_explanation_made_moot_by_an_error_says_the_graph_is_out_of_date(later_window):
    w, fake, _ = later_window
    c = w.controller
    c.set_step(2)
    c.evaluate_now()  # the text changed: the explanation is skipped for the newer request
    c._on_failed(c._number, ProgramError("bad", 1, 1))  # ... which fails
    assert CHAIN_OUT_OF_DATE in w.chain_panel.text()
    c.evaluate_now()
    fake.explained.emit(fake.explains[0], None)  # (what the skipped job says: no change)
    assert CHAIN_OUT_OF_DATE in w.chain_panel.text() and c.record.chain_rule_pending


def test_exports_of_the_whole_record_wait_for_the_chain_rule(later_window, qtbot):
    w, fake, full = later_window
    QTimer.singleShot(50, lambda: fake.explained.emit(fake.explains[0], full.backward))
    record = w.controller.explained_record()
    assert record is w.controller.record and record.backward == full.backward


def test_an_edit_keeps_the_last_lines_briefly_instead_of_flickering(later_window, qtbot):
    """The next record's lines usually come within HOLD_MS: until then the panel keeps the
    last ones; past it, it says it is working them out; then it shows the new ones."""
    w, fake, full = later_window
    c, panel = w.controller, w.chain_panel
    c.set_step(3)
    fake.explained.emit(fake.explains[-1], full.backward)
    shown = panel.text()
    assert shown.split("\n")[2:] == list(full.backward[2].chain)
    with qtbot.waitSignal(c.recordChanged, timeout=10_000):
        c.evaluate_now()  # the same program again: a new record, its lines to come
    asked = time.monotonic()
    assert c.record.chain_rule_pending and panel.text() == shown  # held, no flicker
    qtbot.waitUntil(lambda: WORKING in panel.text(), timeout=5_000)
    assert time.monotonic() - asked >= HOLD_MS / 1000 * 0.9
    fake.explained.emit(fake.explains[-1], full.backward)
    assert panel.text() == shown and not c.record.chain_rule_pending
