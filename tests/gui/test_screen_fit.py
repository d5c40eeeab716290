"""The window fits the screen it opens on (a new user's 1366×768 laptop lost the status bar
and the chain-rule panel's bottom under the screen's edge): 1280×800 where it fits, else
the screen's available area less the title bar; a geometry saved on a bigger monitor is
brought back onto a smaller one."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from gui.model.screen_fit import DEFAULT_SIZE, FRAME_GUESS, fits, fitted_place, fitted_size
from tests.gui.conftest import ROOT


def test_the_size_is_the_wanted_one_where_it_fits_and_the_screens_where_not():
    assert fitted_size(DEFAULT_SIZE, (1920, 1040)) == (1280, 800)
    assert fitted_size(DEFAULT_SIZE, (1920, 1040), FRAME_GUESS) == (1280, 800)
    assert fitted_size(DEFAULT_SIZE, (1366, 728), (0, 37)) == (1280, 691)  # a laptop
    assert fitted_size(DEFAULT_SIZE, (1024, 728), (8, 37)) == (1016, 691)
    assert fitted_size((3000, 1900), (1366, 768), (2, 2)) == (1364, 766)  # a bigger monitor's
    assert fitted_size(DEFAULT_SIZE, (500, 300), (0, 40), least=(621, 420)) == (621, 420)


def test_the_place_keeps_the_frame_on_the_screen():
    laptop = (0, 32, 1366, 728)  # under a 32 px top panel
    assert fitted_place((100, 100, 1280, 600), laptop) == (86, 100)
    assert fitted_place((2500, -50, 1280, 700), laptop) == (86, 32)
    assert fitted_place((10, 40, 800, 600), laptop) == (10, 40)  # it fits: left where it is
    assert fitted_place((0, 0, 2000, 900), laptop) == (0, 32)  # too big: its top left shows
    assert fits((86, 32, 1280, 728), laptop) and not fits((86, 32, 1280, 729), laptop)


def _frame_fits(w) -> bool:
    room = w.screen().availableGeometry()
    return room.contains(w.frameGeometry())


def test_on_a_big_screen_the_window_keeps_1280_by_800(make_window, qtbot):
    w = make_window(wait=False)
    qtbot.wait(50)
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.width() >= 1300 and room.height() >= 900  # (tests/screens/desktop.json)
    assert (w.width(), w.height()) == DEFAULT_SIZE
    assert _frame_fits(w)


def test_a_geometry_from_a_bigger_monitor_is_brought_onto_this_screen(make_window, qtbot):
    from gui.window import preferences, settings

    w = make_window(wait=False)
    qtbot.wait(50)
    w.setGeometry(QRect(1500, 700, 2400, 1500))  # as a 2560×1600 monitor left it
    assert not _frame_fits(w)
    settings.save_window_layout(w.saveGeometry(), w.saveState())
    again = make_window(wait=False)
    preferences.restore(again)
    qtbot.wait(50)
    assert _frame_fits(again), (again.frameGeometry(), again.screen().availableGeometry())
    room = again.screen().availableGeometry()
    assert again.frameGeometry().width() >= room.width() - 4  # as large as the screen holds


SHOW = """
import json
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.window.controller import Controller
from gui.window.evaluator import Evaluator
from gui.window.main_window import MainWindow
w = MainWindow(Controller(Evaluator()))
w.show()
QTimer.singleShot(200, app.quit)
app.exec()
r, f, g = app.primaryScreen().availableGeometry(), w.frameGeometry(), w.geometry()
print(json.dumps({"room": r.getRect(), "frame": f.getRect(), "inner": g.getRect()}))
"""


@pytest.mark.parametrize("screen", ["laptop", "offscreen"])
def test_the_first_start_fits_a_small_screen(screen, tmp_path):
    """A first start (no settings) on a 1366×768 screen, and on Qt's 800×800 offscreen one:
    the window's frame (title bar to status bar) is inside the screen's available area."""
    platform = "offscreen"
    if screen != "offscreen":
        platform += f":configfile={ROOT / 'tests' / 'screens' / f'{screen}.json'}"
    env = dict(os.environ, QT_QPA_PLATFORM=platform, PYTHONPATH=str(ROOT),
               AUTOGRAD_LENS_SETTINGS_DIR=str(tmp_path))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True,
                          env=env, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    room, frame = QRect(*shown["room"]), QRect(*shown["frame"])
    assert room.width() < 1400 and room.contains(frame), shown
    assert shown["inner"][3] >= room.height() - 2 * FRAME_GUESS[1], shown  # no smaller
