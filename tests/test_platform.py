"""Installing and starting as a desktop app should: the CPU build of PyTorch or a clear
refusal (set-up, bundle, start), a worker wait that needs no select() on pipes, the
command line's conventions (--version, exit 2 for the input's faults, 1 for the app's or
the environment's), one sentence where there is no display."""

import os
import queue
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

from core.process import client
from core.process.protocol import send
from core.process.torch_build import CPU_INDEX, problem

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
CUDA_NEEDS = ["filelock", "nvidia-cudnn-cu12==9.10.2.21; platform_system == 'Linux'"]


def fake_torch(folder: Path, version: str, requires: list[str]) -> Path:
    """A stand-in torch distribution's metadata (no code): what pip leaves of a CUDA build,
    found by importlib.metadata before the real one when `folder` comes first on the path."""
    info = folder / f"torch-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", "Name: torch", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(args: list[str], timeout: float = 120, **env_changes: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(env_changes)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


# --- the right torch -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "requires", "system", "refused"),
    [("2.13.0+cpu", ["filelock"], "Linux", False),
     ("2.13.0", CUDA_NEEDS, "Linux", True),  # PyPI's Linux wheel
     ("2.13.0", ["filelock"], "Linux", True),  # no +cpu on Linux: not PyTorch's CPU build
     ("2.13.0+cu128", ["filelock"], "Windows", True),
     ("2.13.0+rocm6.4", ["filelock"], "Linux", True),
     ("2.13.0", ["filelock"], "Darwin", False),  # macOS and Windows wheels on PyPI: CPU
     ("2.13.0", ["filelock"], "Windows", False)],
)  # fmt: skip
def test_a_gpu_build_of_torch_is_named_in_one_sentence(version, requires, system, refused):
    said = problem(version, requires, system)
    assert (said is not None) == refused
    if refused:
        assert "GPU build" in said and CPU_INDEX in said and "\n" not in said
    assert "not installed" in problem(None, [], system)


def test_this_machine_has_the_cpu_build():
    done = run([sys.executable, "-m", "core.process.torch_build"])
    assert done.returncode == 0, done.stderr


def test_setup_asks_for_torch_at_its_exact_pin():
    """`make setup` names torch's exact version (an open `torch` would take PyPI's CUDA
    build where the CPU index can't be reached), the one constraints.txt pins."""
    pins = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pin = next(line for line in pins if line.startswith("torch=="))
    done = run(["make", "-n", "-B", "-C", str(ROOT), ".venv/.installed"])
    torch_line = next(line for line in done.stdout.splitlines() if "whl/cpu" in line)
    assert f'"{pin}"' in torch_line, torch_line


def test_setup_the_app_and_the_bundle_refuse_a_cuda_torch(tmp_path):
    """A stub CUDA torch (its metadata first on the path): the check `make setup` runs
    after pip, the app's start and the bundle's spec all stop with the sentence."""
    stub = str(fake_torch(tmp_path / "site", "2.13.0", CUDA_NEEDS))
    check = run([sys.executable, "-m", "core.process.torch_build"], PYTHONPATH=stub)
    assert check.returncode == 1 and "GPU build" in check.stderr
    start = run([sys.executable, "main.py", "--export", str(tmp_path / "x.json")],
                PYTHONPATH=stub)  # fmt: skip
    assert start.returncode == 1 and "GPU build" in start.stderr, start.stderr
    assert not (tmp_path / "x.json").exists()
    spec = f"SPECPATH = {str(ROOT)!r}\nexec(open('autograd-lens.spec').read())"
    bundle = run([sys.executable, "-c", spec], PYTHONPATH=stub)
    assert bundle.returncode == 1 and "GPU build" in bundle.stderr, bundle.stderr
    recipe = run(["make", "-n", "-W", "pyproject.toml", ".venv/.installed"]).stdout
    pip_at, check_at = recipe.find("pip install"), recipe.find("-m core.process.torch_build")
    assert 0 <= pip_at < check_at, recipe
    assert f'--extra-index-url {CPU_INDEX} "torch==' in recipe
    assert "--constraint constraints.txt" in recipe


# --- the worker's wait -----------------------------------------------------------------


def test_the_worker_client_waits_without_select():
    """select() takes no pipes on Windows: the client reads replies on a thread."""
    source = Path(client.__file__).read_text(encoding="utf-8")
    assert "import select" not in source and "select.select" not in source


def test_the_inbox_times_out_reads_in_order_and_finishes_a_reply_begun_in_time():
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as r, open(write_end, "wb") as w:
        inbox = client.Inbox(r)
        with pytest.raises(queue.Empty):
            inbox.next(0.1)  # nothing sent
        send(w, ("first", 1))
        send(w, ("second", [2] * 10))
        assert inbox.next(5) == ("first", 1) and inbox.next(5) == ("second", [2] * 10)
        import pickle

        whole = pickle.dumps(("slow", "x" * 100_000))
        w.write(whole[:1])
        w.flush()

        def rest() -> None:
            time.sleep(0.5)
            w.write(whole[1:])
            w.flush()

        writer = threading.Thread(target=rest)
        writer.start()
        time.sleep(0.05)
        assert inbox.next(0.2) == ("slow", "x" * 100_000)  # begun within 0.2 s: read whole
        writer.join()
    with pytest.raises(EOFError):
        inbox.next(5)  # the other end closed


# --- the command line's conventions ----------------------------------------------------


def test_version():
    done = run([sys.executable, "main.py", "--version"])
    assert done.returncode == 0 and done.stdout.strip() == f"autograd-lens {VERSION}"


@pytest.mark.parametrize(
    "args",
    [["--step", "-3"], ["--scale", "0"], ["--timeout", "0"], ["--frame-ms", "0"],
     ["--steps", "2"], ["--export", "x.bmp"], ["--export", "x.png", "--handout"],
     ["--export", "x.json", "missing.py"]],
    ids=["negative_step", "zero_scale", "zero_timeout", "zero_frame", "unknown_option",
         "unknown_format", "handout_png", "missing_file"],
)  # fmt: skip
def test_what_is_wrong_with_the_input_exits_2_with_a_message(args, tmp_path):
    args = [str(tmp_path / a) if a in ("x.bmp", "x.png", "x.json") else a for a in args]
    done = run([sys.executable, "main.py", *args])
    assert done.returncode == 2 and done.stderr.strip(), done.stderr
    assert "Traceback" not in done.stderr


def test_without_a_display_the_window_says_so_in_one_sentence():
    env = {"QT_QPA_PLATFORM": ""}
    done = run([sys.executable, "main.py"], timeout=60, **env)
    assert done.returncode == 1
    assert done.stderr.startswith("error: no display") and len(done.stderr.splitlines()) == 1


def test_settings_and_data_live_in_folders_of_one_name(monkeypatch):
    """Recovery files go to .../autograd-lens, as the settings do (not "Autograd Lens")."""
    pytest.importorskip("PySide6")
    from gui.window import autosave, settings

    monkeypatch.delenv("AUTOGRAD_LENS_DATA_DIR", raising=False)
    assert autosave.data_dir().name == settings.NAME == "autograd-lens"
