"""`make install-desktop` / `make uninstall-desktop` into a temporary HOME: the entry
validates, the icons and the .alens type are there (and the desktop's own databases
say so), the entry starts the app on a session, and uninstall leaves nothing behind."""

import configparser
import hashlib
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.record.session_file import Session, save
from gui.desktop import install as di

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh HOME whose XDG_DATA_HOME is elsewhere, so the two can't be confused."""
    home = tmp_path / "home"
    data = tmp_path / "data"
    home.mkdir()
    data.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return data


def run_cli(action, env=None):
    return subprocess.run(
        [sys.executable, "-m", "gui.desktop.install", action],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def command_for(exec_value: str, file: str) -> list[str]:
    """The desktop entry spec's reading of Exec: string escapes, then quoting, then %f."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t"}.get(m[1], m[1]), exec_value)
    args, arg, quoted, i = [], None, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and text[i + 1] in '"`$\\':
            arg, i = arg + text[i + 1], i + 2
            continue
        if c == '"':
            quoted, arg = not quoted, arg or ""
        elif c == " " and not quoted:
            if arg is not None:
                args.append(arg)
            arg = None
        else:
            arg = (arg or "") + c
        i += 1
    assert not quoted, f"unbalanced quotes in {exec_value!r}"
    args += [arg] if arg is not None else []
    return [file if a == "%f" else a.replace("%%", "%") for a in args]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_install_writes_the_entry_icons_and_mime_type(home):
    done = run_cli("install")
    assert done.returncode == 0, done.stderr
    desktop = home / "applications" / "autograd-lens.desktop"
    e = entry(desktop)
    assert e["Type"] == "Application" and e["Name"] == "Autograd Lens"
    assert e["Comment"] and e["Icon"] == "autograd-lens"
    assert e["Categories"] == "Education;Science;"
    assert e["MimeType"] == "application/x-autograd-lens;"
    assert command_for(e["Exec"], "/tmp/s.alens") == [
        str(ROOT / ".venv" / "bin" / "python"),
        str(MAIN),
        "/tmp/s.alens",
    ]
    assert Path(e["TryExec"]).is_absolute() and os.access(e["TryExec"], os.X_OK)
    for size in PNG_SIZES:
        png = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "autograd-lens.png"
        assert png_size(png) == (size, size)
        assert (
            png.read_bytes()
            == (ROOT / "resources/icons" / f"autograd-lens-{size}.png").read_bytes()
        )
    svg = home / "icons" / "hicolor" / "scalable" / "apps" / "autograd-lens.svg"
    assert svg.read_bytes() == (ROOT / "resources/icons/autograd-lens.svg").read_bytes()
    xml = (home / "mime" / "packages" / "autograd-lens.xml").read_text(encoding="utf-8")
    assert 'type="application/x-autograd-lens"' in xml and 'pattern="*.alens"' in xml
    assert not (Path(os.environ["HOME"]) / ".local").exists()  # XDG_DATA_HOME was honoured


NO_VALIDATOR = "desktop-file-validate is missing (apt-get install desktop-file-utils)"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason=NO_VALIDATOR)
def test_the_entry_validates(home):
    assert run_cli("install").returncode == 0
    desktop = home / "applications" / "autograd-lens.desktop"
    checked = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    problems = [line for line in checked.stdout.splitlines() if ": hint: " not in line]
    assert problems == []  # the one hint: Education and Science are both main categories


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason=NO_VALIDATOR)
@pytest.mark.parametrize(
    "folder", ["plain", "with space", 'quote"and$dollar', "back\\slash`tick", "100%done"]
)
def test_any_project_folder_gives_a_valid_entry_that_names_it_exactly(folder, tmp_path):
    python = tmp_path / folder / ".venv" / "bin" / "python"
    main = tmp_path / folder / "main.py"
    text = di.desktop_entry(python, main)
    path = tmp_path / "x.desktop"
    path.write_text(text, encoding="utf-8")
    checked = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert command_for(entry(path)["Exec"], "F") == [str(python), str(main), "F"]


def test_the_desktop_databases_map_alens_to_the_type(home):
    """update-mime-database's globs and Qt's MIME database (what KDE and Qt file dialogs
    ask) both say x.alens is application/x-autograd-lens; the entry opens that type."""
    if not shutil.which("update-mime-database"):
        pytest.skip("update-mime-database missing (apt-get install shared-mime-info)")
    assert run_cli("install").returncode == 0
    globs = (home / "mime" / "globs2").read_text(encoding="utf-8").splitlines()
    assert "50:application/x-autograd-lens:*.alens" in globs
    code = (
        "from PySide6.QtCore import QMimeDatabase as D;"
        "t = D().mimeTypeForFile('lesson.alens', D.MatchMode.MatchExtension);"
        "print(t.name(), t.iconName(), t.comment(), sep='|')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "application/x-autograd-lens|autograd-lens|Autograd Lens session"
    if shutil.which("update-desktop-database"):
        cache = (home / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
        assert "application/x-autograd-lens=autograd-lens.desktop;" in cache.splitlines()


def test_uninstall_leaves_a_fresh_home_as_it_was(home):
    before = tree(home)
    assert run_cli("install").returncode == 0
    assert len(tree(home)) > 20
    done = run_cli("uninstall")
    assert done.returncode == 0, done.stderr
    assert tree(home) == before == set()
    assert run_cli("uninstall").stdout.strip() == "nothing to do"  # twice is harmless


def test_uninstall_removes_only_what_install_wrote(home):
    """Another app's entry, icon and MIME type stay as they were; the caches still list them."""
    other_mime = home / "mime" / "packages" / "other.xml"
    other_mime.parent.mkdir(parents=True)
    other_mime.write_text(
        '<?xml version="1.0"?><mime-info xmlns="http://www.freedesktop.org/standards/'
        'shared-mime-info"><mime-type type="application/x-other"><glob pattern="*.oth"/>'
        "</mime-type></mime-info>",
        encoding="utf-8",
    )
    other_app = home / "applications" / "other.desktop"
    other_app.parent.mkdir(parents=True)
    other_app.write_text(
        "[Desktop Entry]\nType=Application\nName=Other\nExec=other %f\n"
        "MimeType=application/x-other;\n",
        encoding="utf-8",
    )
    other_icon = home / "icons" / "hicolor" / "48x48" / "apps" / "other.png"
    other_icon.parent.mkdir(parents=True)
    other_icon.write_bytes((ROOT / "resources/icons/autograd-lens-48.png").read_bytes())
    notes = home / "autograd-lens-notes.txt"  # a file of the user's that merely looks related
    notes.write_text("mine", encoding="utf-8")
    before = snapshot(home)
    assert run_cli("install").returncode == 0
    assert run_cli("uninstall").returncode == 0
    after = snapshot(home)
    for name, content in before.items():
        assert after.get(name) == content, f"{name} was changed or removed"
    caches = {n for n in after.keys() - before.keys() if not n.startswith("mime/packages")}
    assert all(n.startswith("mime/") or n == "applications/mimeinfo.cache" for n in caches)
    assert not [n for n in after if "autograd-lens" in n and n != notes.name]
    if shutil.which("update-mime-database"):
        globs = (home / "mime" / "globs2").read_text(encoding="utf-8")
        assert "*.oth" in globs and "*.alens" not in globs
    if shutil.which("update-desktop-database"):
        cache = (home / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
        assert "other.desktop" in cache and "autograd-lens" not in cache


def test_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert di.data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert di.data_home() == tmp_path / ".local" / "share"


def test_install_refuses_without_the_venv_and_writes_nothing(home, tmp_path):
    with pytest.raises(FileNotFoundError, match="make setup"):
        di.install(python=tmp_path / "nowhere" / "python")
    assert tree(home) == set()


def test_the_make_targets_run_the_module():
    dry = subprocess.run(["make", "-n", "install-desktop", "uninstall-desktop"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "-m gui.desktop.install install" in dry
    assert "-m gui.desktop.install uninstall" in dry
    packages = re.search(r"SYSTEM_PACKAGES := ((?:.*\\\n)*.*)", (ROOT / "Makefile").read_text())
    assert packages and {"desktop-file-utils", "shared-mime-info"} <= set(
        packages[1].replace("\\", " ").split()
    )


def test_the_installer_imports_neither_qt_nor_torch():
    code = "import sys, gui.desktop.install; print(sorted(m for m in sys.modules " \
        "if m.split('.')[0] in ('PySide6', 'torch', 'shiboken6')))"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.slow
def test_the_installed_entry_opens_a_session_as_a_double_click_would(home, tmp_path):
    """The Exec line, with %f a session file, starts the app and shows that session."""
    assert run_cli("install").returncode == 0
    e = entry(home / "applications" / "autograd-lens.desktop")
    program = "a = torch.ones(3, requires_grad=True)\nb = (a * 4).sum()\nb.backward()\n"
    session = save(Session(program), tmp_path / "double click.alens")
    state, prefs = tmp_path / "state.json", tmp_path / "settings"
    prefs.mkdir()
    (prefs / "autograd-lens.ini").write_text("[view]\ntext_scale=1.5\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AUTOGRAD_LENS_STATE_FILE=str(state),
               AUTOGRAD_LENS_SETTINGS_DIR=str(prefs))  # fmt: skip
    proc = subprocess.Popen(command_for(e["Exec"], str(session)), env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    want = hashlib.sha256(program.encode()).hexdigest()
    try:
        deadline, seen = time.monotonic() + 90, {}
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                seen = json.loads(state.read_text())
            except (OSError, ValueError):
                seen = {}
            if seen.get("state") == "ready" and seen.get("nodes"):
                break
            time.sleep(0.1)
        assert seen.get("editor_sha256") == want, (seen, proc.poll())
        assert seen["shown"] and seen["nodes"] > 0 and seen["steps"] > 0  # drawn, with backward
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    stored = (prefs / "autograd-lens.ini").read_text(encoding="utf-8")  # what the quit stored
    assert "text_scale=1.5" in stored and "geometry=@ByteArray" in stored
    assert str(session) in stored  # the session is a recent file now
