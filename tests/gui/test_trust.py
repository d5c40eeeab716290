"""Full Python on trust, in the window: a refusal that plain Python would run gets a bar
("Line 3: import numpy — the safe mode doesn't run this.") with *Run as Python — only
for code you trust*; only that click runs the program as plain Python, and the exact
text (its SHA-256, in the settings) runs so from then on, typed or opened; any other text,
a changed file included, runs in the safe mode and asks again.

The first tests drive the real worker; the last ones check the window's side alone, with
an evaluator that records what it is asked (no program runs)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from core.record.language import ProgramError
from gui.look.appearance import COLOURS
from gui.panels.trust_bar import RUN_TEXT, TRUSTED_TEXT, trust_text
from gui.window import settings
from gui.window.controller import Controller, State
from gui.window.evaluator import Evaluator
from gui.window.main_window import MainWindow

NEEDS_NUMPY = (
    "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\nimport numpy as np\ny.backward()\n"
)
DUNDER = "x = torch.ones(2).__class__\n"


def reads_a_file(path):
    """Plain Python runs it; the safe mode refuses it (it reads a file, on line 2)."""
    return (
        "x = torch.ones(2, requires_grad=True)\n"
        f"scale = float(open({str(path)!r}).read())\n"
        "y = (x * scale).sum()\n"
        "y.backward()\n"
    )


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "scale.txt"
    path.write_text("3\n")
    return path


def refused(qtbot, window, text):
    """Put `text` in the editor as a new document and wait for the refusal to show."""
    c = window.controller
    with qtbot.waitSignal(c.errorChanged, timeout=60_000, check_params_cb=lambda e: e is not None):
        window.load_text(text, "test.py")
    return c.error


def grad_of(window, name):
    return next(n for n in window.controller.record.nodes if n.name == name).grad


# --- with the real worker -------------------------------------------------------------------
def test_a_refusal_plain_python_would_run_shows_the_bar_with_its_line_and_what(make_window, qtbot):
    w = make_window()
    error = refused(qtbot, w, NEEDS_NUMPY)
    bar = w.graph.trust_bar
    assert isinstance(error, ProgramError) and error.line == 3 and "import numpy" in error.trust
    assert bar.isVisible()
    assert bar.label.text().startswith("Line 3: import numpy")
    assert bar.label.text().endswith("— the safe mode doesn't run this.")
    assert bar.button.text() == RUN_TEXT
    assert w.editor.error_selection() is not None  # the usual error is shown too
    assert not w.status_area.trusted.isVisible()
    assert not settings.trusted_hashes()  # nothing is trusted without the click


def test_run_as_python_runs_it_remembers_the_text_and_says_so(make_window, qtbot, data):
    w = make_window()
    text = reads_a_file(data)
    error = refused(qtbot, w, text)
    assert error.line == 2 and error.trust and w.graph.trust_bar.isVisible()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        qtbot.mouseClick(w.graph.trust_bar.button, Qt.MouseButton.LeftButton)
    assert grad_of(w, "x") == [3.0, 3.0]  # it ran, as plain Python
    assert any(i.node.name == "x" for i in w.scene.node_items())  # the graph is drawn
    assert w.controller.error is None and w.controller.state == State.READY
    assert not w.graph.trust_bar.isVisible()
    assert w.status_area.trusted.isVisible() and w.status_area.trusted.text() == TRUSTED_TEXT
    assert w.editor.toPlainText() == text  # the text is the user's, untouched
    assert settings.is_trusted(text)


def test_a_trusted_text_runs_trusted_in_a_new_window_and_a_changed_one_does_not(
    make_window, qtbot, data, tmp_path
):
    """Remembered per text for this user: a second window (same settings) runs the same
    text, opened from a file, without asking; the file changed is another text."""
    text = reads_a_file(data)
    first = make_window()
    refused(qtbot, first, text)
    with qtbot.waitSignal(first.controller.recordChanged, timeout=60_000):
        first.graph.trust_bar.button.click()

    program = tmp_path / "reads.py"
    program.write_text(text, encoding="utf-8")
    second = make_window()
    with qtbot.waitSignal(second.controller.recordChanged, timeout=60_000):
        assert second.open_path(program)
    assert grad_of(second, "x") == [3.0, 3.0]
    assert second.controller.trusted and second.status_area.trusted.isVisible()
    assert not second.graph.trust_bar.isVisible()

    program.write_text(text + "z = y * 1\n", encoding="utf-8")  # the file changed
    with qtbot.waitSignal(second.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        assert second.open_path(program)
    assert second.graph.trust_bar.isVisible() and not second.controller.trusted
    assert not second.status_area.trusted.isVisible()


def test_editing_a_trusted_text_asks_again(make_window, qtbot, data):
    """Typing makes another text: it runs in the safe mode, and the bar asks again."""
    text = reads_a_file(data)
    w = make_window()
    refused(qtbot, w, text)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.graph.trust_bar.button.click()
    with qtbot.waitSignal(w.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        w.editor.appendPlainText("z = y * 1")
    assert w.graph.trust_bar.isVisible() and not w.controller.trusted
    assert w.controller.record_text == text and w.controller.out_of_date  # the last graph


def test_a_plain_refusal_shows_no_bar(make_window, qtbot):
    """A dunder escape is refused with no offer: plain Python is not what it needs."""
    w = make_window()
    error = refused(qtbot, w, DUNDER)
    assert isinstance(error, ProgramError) and not error.trust
    assert not w.graph.trust_bar.isVisible()
    assert "__class__" in w.error_line.text()


# --- the window's side alone ----------------------------------------------------------------
class Recording(Evaluator):
    """Records each request's number, text and options; runs nothing."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def start(self):
        pass

    def request(self, number, source, time_limit=None, **options):
        self.newest = number
        self.asked.append((number, source, options))

    def explain(self, number):
        pass

    def refuse(self, trust="import numpy", line=3):
        number = self.asked[-1][0]
        error = ProgramError("Only torch, math and random can be imported.", line, 1, line,
                             19, trust)  # fmt: skip
        self.failed.emit(number, error)
        return error

    @property
    def trusted(self):
        return self.asked[-1][2].get("trusted")


@pytest.fixture
def offline(qtbot):
    """A window on an evaluator that runs nothing."""
    made = []

    def make():
        evaluator = Recording()
        window = MainWindow(Controller(evaluator))
        window.ask_save_changes = lambda: "discard"
        qtbot.addWidget(window)
        window.show()
        made.append(evaluator)
        return window, evaluator

    yield make
    for evaluator in made:
        evaluator.close()
    QApplication.instance().setStyleSheet("")  # the window styles the whole app


def test_the_bar_offers_and_only_its_button_trusts(offline, qtbot):
    w, ev = offline()
    w.load_text(NEEDS_NUMPY, "test.py")
    assert ev.trusted is False  # every program starts in the safe mode
    with qtbot.waitSignal(w.controller.trustNeeded):
        error = ev.refuse()
    assert w.graph.trust_bar.isVisible()
    assert w.graph.trust_bar.label.text() == trust_text(error)
    assert trust_text(error) == "Line 3: import numpy — the safe mode doesn't run this."
    assert ev.trusted is False and not settings.trusted_hashes()

    w.graph.trust_bar.close_button.click()  # closed: still refused, nothing trusted
    assert not w.graph.trust_bar.isVisible() and not settings.trusted_hashes()
    assert len(ev.asked) == 1

    w.load_text(NEEDS_NUMPY, "test.py")
    ev.refuse()
    w.graph.trust_bar.button.click()
    assert ev.trusted is True and ev.asked[-1][1] == NEEDS_NUMPY
    assert settings.trusted_hashes() == [settings.program_hash(NEEDS_NUMPY)]
    assert not w.graph.trust_bar.isVisible()
    assert w.status_area.trusted.isVisible()


def test_with_no_graph_yet_the_placeholder_says_why_under_the_bar(offline, qtbot):
    """A first program refused: the placeholder no longer says "Loading PyTorch…", and it
    stays centred in the view the bar made smaller."""
    w, ev = offline()
    w.load_text(NEEDS_NUMPY, "test.py")
    ev.refuse()
    placeholder = w.graph.placeholder
    assert placeholder.isVisible() and "safe mode" in placeholder.text()
    qtbot.waitUntil(lambda: placeholder.geometry() == w.view.rect())
    w.graph.trust_bar.close_button.click()
    qtbot.waitUntil(lambda: placeholder.geometry() == w.view.rect())
    w.load_text(DUNDER, "test.py")
    ev.refuse(trust="", line=1)
    assert placeholder.text().startswith("The program has an error.")


def test_trust_follows_the_exact_text_into_a_new_controller(offline, qtbot):
    settings.trust(NEEDS_NUMPY)
    w, ev = offline()
    w.load_text(NEEDS_NUMPY, "test.py")
    assert ev.trusted is True and w.status_area.trusted.isVisible()
    w.load_text(NEEDS_NUMPY + " ", "test.py")  # one more character: another text
    assert ev.trusted is False and not w.status_area.trusted.isVisible()


def test_a_refusal_of_a_trusted_run_and_a_plain_refusal_offer_nothing(offline, qtbot):
    w, ev = offline()
    w.load_text(DUNDER, "test.py")
    ev.refuse(trust="")
    assert w.controller.error is not None and not w.graph.trust_bar.isVisible()
    settings.trust(NEEDS_NUMPY)
    w.load_text(NEEDS_NUMPY, "test.py")
    ev.refuse()  # (the core would not): the bar never asks about a trusted run
    assert not w.graph.trust_bar.isVisible()


def test_an_edit_withdraws_the_offer(offline, qtbot):
    """The bar asks about one text: typing makes another, and the button can't trust it."""
    w, ev = offline()
    w.load_text(NEEDS_NUMPY, "test.py")
    ev.refuse()
    assert w.graph.trust_bar.isVisible()
    qtbot.keyClicks(w.editor, "# ")
    assert not w.graph.trust_bar.isVisible() and w.controller.trust_needed is None
    w.controller.run_trusted()  # a stray call: nothing to say yes to
    assert not settings.trusted_hashes()
    qtbot.waitUntil(lambda: len(ev.asked) == 2)  # the edit is evaluated, in the safe mode
    assert ev.trusted is False


def test_the_trusted_list_keeps_the_newest(settings_dir):
    for i in range(settings.MAX_TRUSTED + 5):
        settings.trust(f"x = {i}\n")
    hashes = settings.trusted_hashes()
    assert len(hashes) == settings.MAX_TRUSTED
    assert hashes[0] == settings.program_hash(f"x = {settings.MAX_TRUSTED + 4}\n")
    assert settings.is_trusted("x = 5\n") and not settings.is_trusted("x = 4\n")
    settings.trust("x = 5\n")  # trusted again: to the front, once
    assert settings.trusted_hashes()[0] == settings.program_hash("x = 5\n")
    assert len(settings.trusted_hashes()) == settings.MAX_TRUSTED
    (settings_dir / "autograd-lens.ini").write_text("[trust]\nprograms=nonsense\n")
    assert settings.trusted_hashes() == [] and not settings.is_trusted("x = 5\n")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_bar_takes_the_themes_colours(offline, qtbot, theme):
    w, ev = offline()
    w.set_theme(theme)
    w.load_text(NEEDS_NUMPY, "test.py")
    ev.refuse()
    bar = w.graph.trust_bar
    qtbot.waitUntil(bar.isVisible)
    picture = bar.grab().toImage()
    colours = COLOURS["dark" if theme == "dark" else "light"]
    assert picture.pixelColor(3, bar.height() // 2) == QColor(colours["info_bg"])


def test_preferences_can_forget_the_trusted_programs(offline, qtbot):
    from gui.window.preferences import PreferencesDialog, current

    settings.trust(NEEDS_NUMPY)
    w, ev = offline()
    dialog = PreferencesDialog(w, current(w))
    qtbot.addWidget(dialog)
    assert dialog.trusted.text() == "1 program run as plain Python"
    dialog.forget_button.click()
    assert not settings.trusted_hashes() and not dialog.forget_button.isEnabled()
    w.load_text(NEEDS_NUMPY, "test.py")
    assert ev.trusted is False


# --- where a program runs: its file's folder ------------------------------------------------
READS_BY_NAME = (
    "x = torch.ones(2, requires_grad=True)\n"
    "scale = float(open('scale.txt').read())\n"
    "y = (x * scale).sum()\n"
    "y.backward()\n"
)


def torch_grad(scale: float) -> list[float]:
    import torch

    x = torch.ones(2, requires_grad=True)
    (x * scale).sum().backward()
    return x.grad.tolist()


def test_a_trusted_program_opened_from_a_file_runs_in_its_folder(make_window, qtbot, tmp_path):
    """'scale.txt' beside the program is found by its name, as `python reads.py` would
    from there: the evaluator is given the file's folder."""
    (tmp_path / "scale.txt").write_text("5\n")
    program = tmp_path / "reads.py"
    program.write_text(READS_BY_NAME, encoding="utf-8")
    settings.trust(READS_BY_NAME)
    w = make_window()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert w.open_path(program)
    assert w.controller.evaluator.cwd == tmp_path == w.program_folder()
    assert w.controller.trusted and grad_of(w, "x") == torch_grad(5.0)


def test_an_untitled_program_runs_in_documents_and_saving_moves_it(make_window, qtbot, tmp_path):
    """Untitled, it runs in the user's Documents folder (or home): the file is not there,
    and the Why line names that folder; saved beside the file, it runs again, there."""
    from gui.window.main_window import documents_folder

    text = READS_BY_NAME.replace("scale.txt", "autograd-lens-test-scale.txt")
    settings.trust(text)
    w = make_window()
    with qtbot.waitSignal(w.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        w.load_text(text, "untitled.py")
    assert w.controller.evaluator.cwd == documents_folder() == w.program_folder()
    error_text = w.controller.error_text
    assert "FileNotFoundError" in error_text
    assert f"Why: The program ran in the folder {documents_folder()}," in error_text
    assert w.controller.error.folder == str(documents_folder())

    (tmp_path / "autograd-lens-test-scale.txt").write_text("2\n")
    w.answers["save_path"] = str(tmp_path / "saved.py")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert w.save_as()
    assert w.controller.evaluator.cwd == tmp_path and grad_of(w, "x") == torch_grad(2.0)


USES_UTILS = (
    "from utils import train_step\n"
    "x = torch.ones(2, requires_grad=True)\n"
    "train_step(x).backward()\n"
)


def test_a_trusted_program_imports_the_module_beside_its_file_and_an_untitled_one_not(
    make_window, qtbot, tmp_path
):
    """Opened from a file, a trusted program imports utils.py beside it, as `python
    prog.py` would; the same text untitled (no folder of its own) gets Python's error."""
    (tmp_path / "utils.py").write_text("def train_step(x):\n    return (x * 4).sum()\n")
    program = tmp_path / "prog.py"
    program.write_text(USES_UTILS, encoding="utf-8")
    settings.trust(USES_UTILS)
    w = make_window()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert w.open_path(program)
    assert w.controller.evaluator.script_folder == tmp_path
    assert w.controller.trusted and grad_of(w, "x") == torch_grad(4.0)
    with qtbot.waitSignal(w.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        w.load_text(USES_UTILS, "untitled.py")
    assert w.controller.evaluator.script_folder is None
    assert "ModuleNotFoundError: No module named 'utils'" in w.controller.error_text
    assert "A module of your own: put it beside the program's file" in w.controller.error_text
