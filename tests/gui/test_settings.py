"""Settings that stay (QSettings in a temporary folder): preferences, the Preferences
dialog with Reset to Defaults, the window's geometry and docks, display toggles."""

import dataclasses
import os
import subprocess
import sys

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox

from core.process.client import default_memory_limit
from gui.window import preferences, settings
from gui.window.settings import Preferences

from .conftest import ROOT, VIEW

CUSTOM = Preferences(
    theme="dark",
    text_scale=1.5,
    time_limit=42.0,
    memory_limit=3 << 30,
    show_values=False,
    show_saved=True,
    show_attrs=True,
)


def test_the_settings_live_in_the_test_folder_not_the_users(settings_dir):
    s = settings.store()
    assert s.format() == QSettings.Format.IniFormat
    assert s.fileName() == str(settings_dir / "autograd-lens.ini")
    settings.save_preferences(CUSTOM)
    assert (settings_dir / "autograd-lens.ini").is_file()


def test_preferences_round_trip_through_the_file(settings_dir):
    assert settings.load_preferences() == Preferences()  # nothing stored: the defaults
    settings.save_preferences(CUSTOM)
    assert settings.load_preferences() == CUSTOM
    settings.save_preferences(Preferences())
    assert settings.load_preferences() == Preferences()
    assert (
        "memory_limit" not in (settings_dir / "autograd-lens.ini").read_text()
    )  # follows the machine


def test_a_foreign_or_broken_settings_file_reads_as_defaults(settings_dir):
    (settings_dir / "autograd-lens.ini").write_text(
        "[view]\ntheme=purple\ntext_scale=nan\nshow_values=maybe\nshow_saved=true\n"
        "[limits]\ntime_limit=-5\nmemory_limit=lots\n[files]\nrecent=7\n"
        "[window]\ngeometry=oops\n",
        encoding="utf-8",
    )
    p = settings.load_preferences()
    assert p == Preferences(show_saved=True)  # the one valid value is kept
    assert settings.recent_files() == []  # only absolute paths are recent files
    assert settings.window_layout() == (None, None)


def test_the_settings_persist_across_processes(settings_dir):
    """What one run stores, the next run (a new process) reads."""
    settings.save_preferences(CUSTOM)
    settings.add_recent(ROOT / "main.py")
    code = (
        "from gui.window import settings; p = settings.load_preferences();"
        "print(p.theme, p.text_scale, p.time_limit, p.memory_limit, p.show_saved,"
        " settings.recent_files()[0])"
    )
    env = dict(os.environ, AUTOGRAD_LENS_SETTINGS_DIR=str(settings_dir))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    assert out == ["dark", "1.5", "42.0", str(3 << 30), "True", str(ROOT / "main.py")]


def test_restore_puts_the_stored_preferences_into_a_new_window(make_window, qtbot):
    settings.save_preferences(CUSTOM)
    w = make_window(wait=False)
    preferences.restore(w)
    c = w.controller
    assert w.theme.name == "dark" and w.theme_actions["dark"].isChecked()
    assert w.text_scale == 1.5
    assert c.time_limit == 42.0
    assert (c.show_values, c.show_saved, c.show_attrs) == (False, True, True)
    assert not w.values_action.isChecked()
    assert all(a.isChecked() for a in w.graph_option_actions.values())
    assert c.evaluator.worker.memory_limit == 3 << 30
    c.evaluator.worker.memory_limit = default_memory_limit()  # before anything evaluates
    assert preferences.current(w) == dataclasses.replace(CUSTOM, memory_limit=None)


def test_the_dialog_applies_and_stores_what_it_shows(make_window, qtbot, worker):
    w = make_window()
    dialog = preferences.edit(w)
    assert dialog.isVisible() and dialog.values() == preferences.current(w)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_scale.setCurrentIndex(dialog.text_scale.findData(1.3))
    dialog.time_limit.setValue(25)
    dialog.show_saved.setChecked(True)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    stored = settings.load_preferences()
    assert (stored.theme, stored.text_scale, stored.time_limit, stored.show_saved) == (
        "dark", 1.3, 25.0, True,
    )  # fmt: skip
    assert w.theme.name == "dark" and w.text_scale == 1.3 and w.controller.time_limit == 25.0
    assert w.graph_option_actions["show_saved"].isChecked()
    # the graph now has torchviz's saved-tensor boxes, as torch gives them
    wanted = worker.evaluate(w.editor.toPlainText(), show_values=True, show_saved=True)
    got = w.controller.record
    assert sorted(n.kind for n in got.nodes) == sorted(n.kind for n in wanted.nodes)
    assert any(n.kind == "saved" for n in got.nodes)


def test_reset_to_defaults_fills_in_the_defaults_and_ok_stores_them(make_window, qtbot):
    settings.save_preferences(CUSTOM)
    w = make_window(wait=False)
    preferences.restore(w)
    w.controller.evaluator.worker.memory_limit = default_memory_limit()  # the shared worker
    dialog = preferences.edit(w)
    dialog.memory.setValue(3.0)  # as stored (the live worker was put back for other tests)
    assert dialog.values() == CUSTOM
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.values() == Preferences()
    assert dialog.memory.value() == round(default_memory_limit() / (1 << 30), 1)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.load_text(VIEW, "view.py")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        dialog.accept()
    assert settings.load_preferences() == Preferences()
    assert w.theme.name == "light" and w.text_scale == 1.0 and w.controller.time_limit == 10.0
    assert not any(n.kind == "saved" for n in w.controller.record.nodes)


def test_cancel_changes_nothing(make_window, qtbot):
    w = make_window(wait=False)
    dialog = preferences.edit(w)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.reject()
    assert w.theme.name == "light" and settings.load_preferences() == Preferences()


def test_memory_limit_from_the_dialog_reaches_the_worker(make_window, qtbot):
    w = make_window(wait=False)
    worker = w.controller.evaluator.worker
    dialog = preferences.edit(w)
    dialog.memory.setValue(2.5)
    try:
        dialog.accept()
        assert worker.memory_limit == round(2.5 * (1 << 30))
        assert settings.load_preferences().memory_limit == round(2.5 * (1 << 30))
        dialog = preferences.edit(w)
        dialog.memory.setValue(0)
        assert dialog.memory.text() == "No limit"
        dialog.accept()
        assert worker.memory_limit == 0
    finally:
        worker.memory_limit = default_memory_limit()  # the shared worker, before it evaluates


def test_view_menu_toggles_make_the_graph_again_and_are_remembered(make_window, qtbot, worker):
    w = make_window(VIEW)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.graph_option_actions["show_attrs"].trigger()
    wanted = worker.evaluate(VIEW, show_values=True, show_attrs=True)
    got = w.controller.record
    assert [n.attrs for n in got.nodes] == [n.attrs for n in wanted.nodes]
    assert any(n.attrs for n in got.nodes)
    preferences.remember(w)
    assert settings.load_preferences().show_attrs is True


def test_geometry_and_dock_layout_come_back(make_window, qtbot):
    w = make_window(wait=False)
    w.resize(700, 500)  # within the offscreen screen (800×600)
    w.inspector_dock.hide()
    qtbot.waitUntil(lambda: w.inspector_dock.isHidden())
    qtbot.waitUntil(lambda: w.width() < 800)
    size = w.size()  # (the window's minimum width may be above 700)
    preferences.remember(w)
    geometry, state = settings.window_layout()
    assert isinstance(geometry, QByteArray) and isinstance(state, QByteArray)
    again = make_window(wait=False)
    assert not again.inspector_dock.isHidden() and again.size() != size
    preferences.restore(again)
    assert again.inspector_dock.isHidden()
    assert again.size() == size
