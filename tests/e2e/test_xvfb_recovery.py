"""End to end on a real X server: text typed into the real window survives `kill -9` of the
app (the next start restores it and says so), the killed app's worker does not outlive it,
and a clean quit leaves no recovery file behind."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest

from .test_xvfb_window import ROOT, TITLE, alive, display, read_state, wait_for, xdotool

__all__ = ["display"]  # the fixture, shared with the window test

LESSON = (ROOT / "resources" / "examples" / "lesson.py").read_text(encoding="utf-8")
TYPED = "marker = 42"

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


class App:
    """`python main.py` on the display, with its own state file and the test's data folder."""

    def __init__(self, display, tmp_path, data, name):
        self.state_file = tmp_path / f"{name}.json"
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb",
                   AUTOGRAD_LENS_STATE_FILE=str(self.state_file),
                   AUTOGRAD_LENS_DATA_DIR=str(data))  # fmt: skip
        self.proc = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip

    def state(self):
        return read_state(self.state_file) or {}

    def wait_ready(self, what):
        return wait_for(lambda: self._ready(), 90, what)

    def _ready(self):
        state = self.state()
        return state if state.get("state") == "ready" and state.get("nodes") else None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def apps():
    started = []
    yield started
    for app in started:
        if app.proc.poll() is None:
            app.kill()
            print(app.proc.stdout.read().decode(errors="replace"))


def focus(display):
    window = xdotool(display, "search", "--sync", "--onlyvisible", "--name", TITLE).split()[0]
    xdotool(display, "windowfocus", "--sync", window)
    return window


def type_at_the_end(display, text):
    window = focus(display)
    xdotool(display, "mousemove", "--window", window, "200", "200", "click", "1")  # the editor
    xdotool(display, "key", "ctrl+End")
    xdotool(display, "type", "--delay", "30", text)


def test_typed_text_survives_kill_9_and_a_clean_quit_leaves_nothing(display, tmp_path, apps):
    """Quit cleanly: no recovery file. Type, kill -9: the worker goes too, and the next start
    brings the typed text back, saying so."""
    data = tmp_path / "data"
    first = App(display, tmp_path, data, "first")
    apps.append(first)
    first.wait_ready("the first window")
    focus(display)
    xdotool(display, "key", "ctrl+q")
    assert first.proc.wait(timeout=20) == 0
    assert list(data.glob("recovery-*.alens")) == [], "a clean quit left a recovery file"

    second = App(display, tmp_path, data, "second")
    apps.append(second)
    second.wait_ready("the second window")
    type_at_the_end(display, TYPED)
    expected = LESSON + TYPED
    wait_for(lambda: second.state().get("editor_sha256") == sha(expected), 30, "the typed text")
    recovery = data / "recovery-0.alens"
    wait_for(lambda: recovery.exists() and TYPED in recovery.read_text(), 15, "the autosave")
    worker = second.state()["worker_pid"]
    second.kill()
    started = time.monotonic()
    wait_for(lambda: not alive(worker), 10, "the killed app's worker to exit")
    print(f"worker gone {time.monotonic() - started:.1f} s after kill -9 of the app")

    third = App(display, tmp_path, data, "third")
    apps.append(third)
    state = third.wait_ready("the restarted window")
    assert state["editor_sha256"] == sha(expected), "the typed text was not restored"
    assert state["restored"].startswith("Restored unsaved text from ")
    wait_for(lambda: third.state().get("status", "").startswith("Restored unsaved"), 5, "status")
