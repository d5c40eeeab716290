"""The app's own version and its packages' versions, read without importing them (no Qt,
no torch): Help → About, `--version` and crash reports."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from gui.model.i18n import translate

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
DIST = "autograd-lens"


def app_version() -> str:
    """The project's version: pyproject.toml in a source checkout, else the installed one's."""
    try:
        with PYPROJECT.open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    return package_version(DIST)


def package_version(name: str) -> str:
    """An installed package's version, or "not installed"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return translate("Versions", "not installed")
