"""Install Autograd Lens into the current user's desktop (freedesktop: Linux and the BSDs).

    python -m gui.desktop.install install      (make install-desktop)
    python -m gui.desktop.install uninstall    (make uninstall-desktop)
    autograd-lens --install-desktop            (the same, from an installed copy)
    autograd-lens --uninstall-desktop

`install` writes, under $XDG_DATA_HOME (default ~/.local/share):
  applications/autograd-lens.desktop    the menu entry; it runs this project's .venv Python
                                        (an installed copy: the Python it is installed in)
                                        on this project's main.py, by absolute path
  icons/hicolor/NxN/apps/autograd-lens.png (every committed size) and scalable/…/.svg
  mime/packages/autograd-lens.xml        `*.alens` is application/x-autograd-lens
then refreshes the desktop's caches with update-mime-database, update-desktop-database
and gtk-update-icon-cache, each where it is installed. `uninstall` removes exactly those
files, refreshes the caches again, and removes a cache or folder only when nothing but
the install's own traces is left in it. Standard library only: no Qt, no torch.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template

PROJECT = Path(__file__).resolve().parents[2]
RESOURCES = PROJECT / "resources"
TEMPLATES = RESOURCES / "desktop"
ICONS = RESOURCES / "icons"
APP_ID = "autograd-lens"
MIME_TYPE = "application/x-autograd-lens"
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_FILE = f"{APP_ID}.xml"
# What update-mime-database generates beside packages/ (shared-mime-info 2.x).
MIME_DATABASE = ("XMLnamespaces", "aliases", "generic-icons", "globs", "globs2", "icons",
                 "magic", "mime.cache", "subclasses", "treemagic", "types", "version")  # fmt: skip
RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")  # Exec arguments with any of these are quoted


def data_home() -> Path:
    """$XDG_DATA_HOME when it is an absolute path (as the spec says), else ~/.local/share."""
    chosen = os.environ.get("XDG_DATA_HOME", "")
    return Path(chosen) if os.path.isabs(chosen) else Path.home() / ".local" / "share"


def venv_python(project: Path = PROJECT) -> Path:
    """The interpreter the entry runs: a source checkout's own .venv (not resolved: the
    venv's symlink is what makes it a venv), else, in an installed copy (pip, pipx), the
    Python running this, which is the one the app is installed in."""
    checkout = project / ".venv" / "bin" / "python"
    return (
        checkout
        if checkout.exists() or (project / "pyproject.toml").exists()
        else (Path(sys.executable))
    )


def exec_argument(arg: str) -> str:
    """One argument of a desktop entry's Exec key, quoted and escaped as the spec asks."""
    if any(c in RESERVED for c in arg):
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return arg.replace("%", "%%").replace("\\", "\\\\")  # the value is a string: \ is \\


def desktop_entry(python: Path, main: Path) -> str:
    template = Template((TEMPLATES / f"{DESKTOP_FILE}.in").read_text(encoding="utf-8"))
    command = " ".join(exec_argument(str(p)) for p in (python, main))
    return template.substitute(exec=command, try_exec=exec_argument(str(python)))


def icon_files() -> dict[str, Path]:
    """The hicolor folder name ("16x16", …, "scalable") for each icon file of the app."""
    found = {}
    for png in ICONS.glob(f"{APP_ID}-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        if size.isdigit():
            found[f"{size}x{size}"] = png
    found["scalable"] = ICONS / f"{APP_ID}.svg"
    return found


def planned(home: Path, python: Path) -> dict[Path, bytes]:
    """Every file `install` writes under `home`, with its content."""
    files = {
        home / "applications" / DESKTOP_FILE: desktop_entry(python, PROJECT / "main.py").encode(),
        home / "mime" / "packages" / MIME_FILE: (TEMPLATES / MIME_FILE).read_bytes(),
    }
    for folder, source in icon_files().items():
        target = home / "icons" / "hicolor" / folder / "apps" / f"{APP_ID}{source.suffix}"
        files[target] = source.read_bytes()
    return files


def installed(home: Path) -> list[Path]:
    """The files of an install under `home` (whichever sizes an earlier version put there)."""
    candidates = [home / "applications" / DESKTOP_FILE, home / "mime" / "packages" / MIME_FILE]
    candidates += sorted((home / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*"))
    return [p for p in candidates if p.is_file()]


def install(home: Path | None = None, python: Path | None = None) -> list[str]:
    """Write the entry, icons and MIME type, then refresh the caches; what was done."""
    home = home or data_home()
    python = python or venv_python()
    if not python.exists():
        raise FileNotFoundError(f"{python} is missing: run `make setup` in {PROJECT} first")
    done = []
    for path, content in planned(home, python).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        done.append(f"wrote {path}")
    return done + refresh(home)


def uninstall(home: Path | None = None) -> list[str]:
    """Remove what `install` wrote, refresh the caches, drop folders left empty."""
    home = home or data_home()
    done = []
    removed = installed(home)
    for path in removed:
        path.unlink()
        done.append(f"removed {path}")
    done += refresh(home, uninstalling=True)
    for path in removed:
        _remove_empty_parents(path.parent, home)
    _remove_empty_parents(home / "mime" / "application", home)
    return done


def refresh(home: Path, uninstalling: bool = False) -> list[str]:
    """Run the desktop's cache tools where they are installed; on uninstall, a cache that
    would now describe nothing is removed instead (it was made for this app)."""
    env = dict(os.environ, XDG_DATA_HOME=str(home))
    done = []
    mime, apps = home / "mime", home / "applications"
    hicolor = home / "icons" / "hicolor"
    if uninstalling and not any((mime / "packages").glob("*.xml")):
        done += _remove([mime / name for name in MIME_DATABASE])
        done += _remove(list((mime / "application").glob("*.xml")))
    elif mime.is_dir():
        done += _run(["update-mime-database", str(mime)], env)
    if uninstalling and not any(apps.glob("*.desktop")):
        done += _remove([apps / "mimeinfo.cache"])
    elif apps.is_dir():
        done += _run(["update-desktop-database", "-q", str(apps)], env)
    if hicolor.is_dir():
        os.utime(hicolor)  # the icon theme spec: a changed folder time means "look again"
        if (hicolor / "index.theme").is_file():  # a cache only where the user keeps a theme
            done += _run(["gtk-update-icon-cache", "-q", "-f", str(hicolor)], env)
    return done


def _run(command: list[str], env: dict[str, str]) -> list[str]:
    if shutil.which(command[0]) is None:
        return [f"skipped {command[0]} (not installed)"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return [f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}"]
    return [f"ran {command[0]}"]


def _remove(paths: list[Path]) -> list[str]:
    done = []
    for path in paths:
        if path.is_file():
            path.unlink()
            done.append(f"removed {path}")
    return done


def _remove_empty_parents(folder: Path, home: Path) -> None:
    """rmdir `folder` and its parents while they are empty, stopping below `home`."""
    while folder != home and home in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone): leave it and everything above it
        folder = folder.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gui.desktop.install", description=__doc__)
    parser.add_argument("action", choices=("install", "uninstall"))
    parser.add_argument("--data-home", type=Path, help="instead of $XDG_DATA_HOME")
    parser.add_argument("--python", type=Path, help="the interpreter the entry runs")
    args = parser.parse_args(argv)
    if os.name != "posix" or sys.platform == "darwin":
        print("The desktop entry is for Linux and BSD desktops; see the README for macOS "
              "and Windows.", file=sys.stderr)  # fmt: skip
        return 1
    try:
        if args.action == "install":
            done = install(args.data_home, args.python)
        else:
            done = uninstall(args.data_home)
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print("\n".join(done) if done else "nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
