"""The window's own bugs: logged to crash.log in the user's data folder (the app keeps
running), and Help → Report a Problem… shows the versions and the log, to copy."""

import os
import subprocess
import sys
import textwrap

from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton

from gui.model.versions import app_version
from gui.window import crash

from .conftest import ROOT

CRASHING_SLOT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from gui.window import crash

    app = QApplication([])
    said = []
    crash.install(Path(sys.argv[1]), said=said.append)
    QTimer.singleShot(0, lambda: 1 / 0)  # a bug in a slot
    QTimer.singleShot(200, app.quit)
    code = app.exec()
    print("still running;", said[0] if said else "nothing said")
    sys.exit(code)
""")


def test_a_bug_in_a_slot_is_logged_and_the_app_keeps_running(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CRASHING_SLOT, str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "still running; Autograd Lens hit a bug and logged it" in done.stdout
    log = (tmp_path / crash.CRASH_LOG).read_text(encoding="utf-8")
    assert log.startswith("=== ") and f"Autograd Lens {app_version()}" in log
    assert "ZeroDivisionError: division by zero" in log and "in <lambda>" in log
    assert (tmp_path / crash.FAULT_LOG).exists()  # where a hard crash would be written


def test_the_log_keeps_the_latest_entries_under_its_cap(tmp_path):
    log = tmp_path / crash.CRASH_LOG
    for i in range(400):
        crash.write_entry(log, f"Traceback {i}\n" + "x" * 1000)
    text = log.read_text(encoding="utf-8")
    assert len(text.encode()) <= crash.CAP and text.startswith("=== ")
    assert "Traceback 399" in text and "Traceback 0\n" not in text


def test_report_a_problem_shows_versions_and_the_log_and_copies_them(make_window, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    monkeypatch.setenv("AUTOGRAD_LENS_DATA_DIR", str(tmp_path))
    w = make_window()
    help_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Help")
    report = next(a for a in help_menu.actions() if a.text() == "Report a &Problem…")
    report.trigger()
    text = w.findChild(QPlainTextEdit, "report-text").toPlainText()
    assert f"Autograd Lens: {app_version()}" in text and "No crash has been logged." in text
    w.findChild(QPlainTextEdit, "report-text").window().close()
    crash.write_entry(tmp_path / crash.CRASH_LOG, "Traceback: KeyError: 'x'")
    report.trigger()
    shown = [d for d in w.findChildren(QPlainTextEdit, "report-text") if d.isVisible()]
    assert "KeyError: 'x'" in shown[-1].toPlainText()
    dialog = shown[-1].window()
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Copy Report")
    copy.click()
    assert "KeyError: 'x'" in QApplication.clipboard().text()
