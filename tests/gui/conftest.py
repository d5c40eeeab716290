"""Records for the GUI tests, made by the real worker process and laid out by Graphviz."""

from pathlib import Path

import pytest

from core.process.client import Worker

ROOT = Path(__file__).resolve().parents[2]
LESSON = (ROOT / "resources" / "examples" / "lesson.py").read_text(encoding="utf-8")
CHAIN = (
    "x = torch.ones(2, requires_grad=True)\n"
    "y = x\n"
    "for i in range(1000):\n"
    "    y = y * 1.001\n"
    "z = y.sum()\n"
    "z.backward()\n"
)
TWICE = (
    "a = torch.ones(4, requires_grad=True)\nb = a * 2\nc = b[:2]\nd = (c * c).sum()\nd.backward()\n"
)
VIEW = "a = torch.ones(4, requires_grad=True)\nb = a * 2\nc = b[:2]\n"


@pytest.fixture(autouse=True)
def settings_dir(tmp_path_factory, monkeypatch):
    """Every GUI test starts with no settings, in a folder of its own."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("AUTOGRAD_LENS_SETTINGS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def worker():
    with Worker(timeout=60) as w:
        yield w


@pytest.fixture(scope="session")
def lesson(worker):
    """The lesson's record, as the window gets it."""
    return worker.evaluate(LESSON, show_values=True)


@pytest.fixture(scope="session")
def chain(worker):
    """A 1,000-multiplication chain: ~1,000 nodes and ~1,000 backward steps."""
    return worker.evaluate(CHAIN, show_values=True)


@pytest.fixture(scope="session")
def twice(worker):
    """Saved tensors and a tensor used twice (c * c), with backward."""
    return worker.evaluate(TWICE, show_values=True, show_saved=True)


@pytest.fixture(scope="session")
def view(worker):
    """Every kind of box: leaf, output (a view), its base, a saved tensor, ops."""
    return worker.evaluate(VIEW, show_values=True, show_saved=True)


def explained(qtbot, window):
    """Wait for the shown record's chain-rule lines (they follow the graph)."""
    c = window.controller
    if c.record is not None and c.record.chain_rule_pending and not c.chain_note:
        with qtbot.waitSignal(c.chainChanged, timeout=60_000):
            pass
    assert c.record is None or not c.record.chain_rule_pending, c.chain_note


@pytest.fixture
def make_window(qtbot, worker):
    """A factory: a real window on `worker` (the shared one unless given); the test answers
    its dialogs (window.answers) and collects its messages."""
    from PySide6.QtWidgets import QApplication

    from gui.window.controller import Controller
    from gui.window.evaluator import Evaluator
    from gui.window.main_window import MainWindow

    made = []

    def make(text=LESSON, wait=True, on=None):
        evaluator = Evaluator(worker=on or worker)
        window = MainWindow(Controller(evaluator))
        window.answers = {"save_path": None, "messages": []}
        window.ask_save_changes = lambda: "discard"
        window.ask_save_path = lambda *_: window.answers["save_path"]
        window.show_message = lambda *m: window.answers["messages"].append(m)
        qtbot.addWidget(window)
        made.append((window, evaluator))
        window.show()
        if wait:
            with qtbot.waitSignal(window.controller.recordChanged, timeout=60_000):
                window.load_text(text, "test.py")
            explained(qtbot, window)
        return window

    yield make
    for window, evaluator in made:
        window.player.pause()
        evaluator.close()
    QApplication.instance().setStyleSheet("")  # the window styles the whole app
