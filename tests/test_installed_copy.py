"""pyproject.toml's gui-scripts entry point: its target is autograd_lens.main:main (this
folder's main.py, installed inside one package named autograd_lens), and a copy installed
from a wheel (`pip install .`) puts nothing in site-packages under a generic top-level name,
starts from that entry point in another folder and exports the lesson as the source
checkout does."""

import importlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NOT_SHIPPED = (".git", ".venv", "build", "dist",  # dist: make bundle's folder (700 MiB)
               "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")  # fmt: skip


def test_the_gui_script_entry_point_imports_and_is_callable(capsys):
    target = PROJECT["gui-scripts"]["autograd-lens"]
    module, _, name = target.partition(":")
    package, _, module = module.partition(".")
    assert package == "autograd_lens"  # installed, main.py is autograd_lens/main.py
    main = getattr(importlib.import_module(module), name)
    assert callable(main)
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "--export" in capsys.readouterr().out


@pytest.mark.slow
def test_an_installed_copy_starts_from_its_entry_point(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    dist = tmp_path / "dist"
    wheel_it = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)]
    built = subprocess.run(wheel_it, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("autograd_lens-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = next(z.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert "[gui_scripts]\nautograd-lens = autograd_lens.main:main" in entry_points
    needed = {"main.py", "core/process/client.py", "core/engine/rules/base.py",
              "gui/window/app.py", "gui/model/flow.py", "resources/examples/lesson.py",
              "resources/style/window.qss", "resources/icons/autograd-lens-256.png",
              "resources/i18n/autograd_lens_es.qm"}  # fmt: skip
    assert {f"autograd_lens/{n}" for n in needed} <= names
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"autograd_lens"}, tops  # no core/, gui/, main.py or resources/ of its own
    here = {str(p.relative_to(ROOT)) for p in ROOT.glob("[cg]*/**/*.py") if ".venv" not in str(p)}
    assert {f"autograd_lens/{n}" for n in here} <= names  # every module of core/ and gui/
    site = tmp_path / "site"
    done = subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    script = site / "bin" / "autograd-lens"
    assert script.is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(site)  # only the installed copy: not this checkout
    out = tmp_path / "installed.json"
    ran = subprocess.run([sys.executable, str(script), "--export", str(out)], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    here = tmp_path / "checkout.json"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--export", str(here)], env=env,
                   check=True, timeout=120)  # fmt: skip
    assert json.loads(out.read_text()) == json.loads(here.read_text())
    home = tmp_path / "share"  # the menu entry, from the installed copy (no checkout, no .venv)
    env["XDG_DATA_HOME"] = str(home)
    desktop = subprocess.run([sys.executable, str(script), "--install-desktop"], env=env,
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert desktop.returncode == 0, desktop.stderr
    entry = (home / "applications" / "autograd-lens.desktop").read_text(encoding="utf-8")
    assert f"Exec={sys.executable} {site / 'autograd_lens' / 'main.py'} %f" in entry, entry
    x = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "x")
    assert x["grad"] == [
        10.0,
        10.0,
    ]  # the lesson's x.grad (tests/test_lesson.py checks it on torch)
