"""The modules beside a trusted program: `python prog.py` puts prog.py's folder first on
`sys.path`, so `from utils import train_step` imports the `utils.py` beside it. A trusted
run with a folder (the program's file's: `run_program(script_folder=...)`) does the same,
for that run only (`importing_beside`):

- the folder is `sys.path[0]` while the program runs; after it, `sys.path` is as it was;
- the modules imported from the folder leave `sys.modules` after the run, so the next run
  reads them again (a teacher who edits utils.py sees the change at the next run) and the
  next program, from another folder or none, can't import them; they are compiled from
  their source every time: no `__pycache__` is read (a .pyc written in the same second as
  an edit of the same size would pass Python's check) nor written into the user's folder;
- a file named like one of the worker's own modules (`torch.py`, `numpy.py`, `random.py`:
  what the worker has imported, the standard library, what is installed) is not imported
  in its place. `python prog.py` would import the file, which hides the module (and fails,
  confusingly, in torch's own imports); here the program gets the real module, and a note
  in the transcript at its import line says the file beside it was not imported and that
  renaming it would. The worker itself never sees a sibling module: they are found only
  while the program runs, and dropped after.

A program with no folder (typed, never saved; an example) and a program under the safe
mode imports nothing from any folder; a safe-mode refusal of `import utils` names the file
beside the program when there is one (`naming_sibling`). Torch-free: plain importlib.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.abc import MetaPathFinder
from importlib.machinery import (
    BYTECODE_SUFFIXES,
    EXTENSION_SUFFIXES,
    SOURCE_SUFFIXES,
    ExtensionFileLoader,
    FileFinder,
    ModuleSpec,
    PathFinder,
    SourceFileLoader,
    SourcelessFileLoader,
)
from pathlib import Path
from typing import Any

from core.record import notes as notes_said
from core.record import refusals
from core.record.language import ProgramError, parse
from core.record.wording import Wording, said

APP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
"""The folder holding core/ (on the worker's sys.path: its modules are imported by package,
so main.py or tests/ there are no module of the worker's)."""

SHADOWED_NOTE = notes_said.SHADOWED


def siblings(folder: str) -> dict[str, str]:
    """The modules in `folder` a program there could import by a bare name, as Python
    finds them: name -> the file ("utils.py", a package's "helpers/")."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return {}
    found: dict[str, str] = {}
    suffixes = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES, *BYTECODE_SUFFIXES)
    for entry in sorted(entries, key=lambda e: e.name):
        try:
            if entry.is_dir():
                if entry.name.isidentifier() and any(
                    os.path.isfile(os.path.join(entry.path, f"__init__{s}")) for s in suffixes
                ):
                    found.setdefault(entry.name, f"{entry.name}/")
                continue
        except OSError:
            continue
        for suffix in suffixes:
            stem = entry.name[: -len(suffix)]
            if entry.name.endswith(suffix) and stem.isidentifier():
                found.setdefault(stem, entry.name)
                break
    return found


def workers_path() -> list[str]:
    """sys.path without the app's own folder (a checkout's or an install's, where main.py
    and tests/ are no modules of the worker's; a frozen bundle's is all its own): where
    the worker's own modules are found."""
    if getattr(sys, "frozen", False):
        return list(sys.path)
    return [p for p in sys.path if not _same_folder(p, APP)]


def workers_spec(name: str, path: list[str]) -> ModuleSpec | None:
    """The worker's own module `name` (top-level), as an import would find it if the
    program's folder were not on sys.path: None if it has none."""
    for finder in sys.meta_path:
        if isinstance(finder, _WorkersFirst):
            continue
        try:
            if finder is PathFinder:
                spec = PathFinder.find_spec(name, path)
            else:
                find = getattr(finder, "find_spec", None)
                spec = find(name, None) if find is not None else None
        except Exception:  # noqa: BLE001 — a finder that fails finds nothing
            spec = None
        if spec is not None:
            return spec
    return None


def is_workers(name: str, path: list[str]) -> bool:
    """Whether `name` is one of the worker's own modules: imported, or importable."""
    return name in sys.modules or workers_spec(name, path) is not None


class _WorkersFirst(MetaPathFinder):
    """Before the path finder, while a program runs with its folder on sys.path: a module
    beside it (`names`) named like one of the worker's own is the worker's."""

    def __init__(self, names: dict[str, str], path: list[str]) -> None:
        self.names, self.path = names, path

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if path is not None or name not in self.names:
            return None  # (a submodule is looked for in its package's own folder)
        return workers_spec(name, self.path)


class _FromSource(SourceFileLoader):
    """A module beside the program, compiled from its source as it is now: no .pyc read,
    none written into the user's folder."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def _finder_hook(folder: str) -> Any:
    """A sys.path_hooks entry: the finder for `folder` and the folders under it."""
    loaders = [(ExtensionFileLoader, EXTENSION_SUFFIXES), (_FromSource, SOURCE_SUFFIXES),
               (SourcelessFileLoader, BYTECODE_SUFFIXES)]  # fmt: skip

    def hook(path: str) -> FileFinder:
        if not _inside(path, folder):
            raise ImportError("not the program's folder")
        return FileFinder(path, *loaders)

    return hook


@contextmanager
def importing_beside(folder: str | None, source: str) -> Iterator[list[tuple[int, Wording]]]:
    """While the block runs (one trusted run of `source`), the program imports modules
    from `folder` as `python prog.py` would from prog.py's folder (see the module's
    docstring); nothing changes if `folder` is None. Yields the notes (line, text) on the
    program's imports of a name that is both beside it and the worker's own."""
    if folder is None:
        yield []
        return
    folder = os.path.abspath(folder)
    beside = siblings(folder)
    path = workers_path()
    passed_over = notes(source, beside, path)
    saved_path, kept_path = sys.path, list(sys.path)
    modules = dict(sys.modules)
    finder, hook = _WorkersFirst(beside, path), _finder_hook(folder)
    _forget_finders(folder)
    sys.path.insert(0, folder)
    sys.path_hooks.insert(0, hook)
    where = next((i for i, f in enumerate(sys.meta_path) if f is PathFinder), len(sys.meta_path))
    sys.meta_path.insert(where, finder)
    try:
        yield passed_over
    finally:
        saved_path[:] = kept_path
        sys.path = saved_path
        _remove(sys.path_hooks, hook)
        _remove(sys.meta_path, finder)
        _forget_finders(folder)
        for name, module in list(sys.modules.items()):
            if modules.get(name) is not module and _from_folder(module, folder):
                if name in modules:
                    sys.modules[name] = modules[name]
                else:
                    del sys.modules[name]


def notes(source: str, beside: dict[str, str], path: list[str]) -> list[tuple[int, Wording]]:
    """(line, note) for the first import in `source` of each name that is both beside the
    program (`beside`: name -> its file) and one of the worker's own modules (found on
    `path`): the file is not imported."""
    if not beside:
        return []
    try:
        tree = parse(source)
    except ProgramError:
        return []  # (the run says what is wrong with it)
    found: list[tuple[int, Wording]] = []
    seen: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [(a.name, f"import {a.name}") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [(node.module, f"from {node.module} import ...")]
        else:
            continue
        for name, statement in names:
            top = name.split(".")[0]
            if top in beside and top not in seen and is_workers(top, path):
                seen.add(top)
                found.append((node.lineno, said(SHADOWED_NOTE, statement=statement, name=top,
                                                file=beside[top])))  # fmt: skip
    return sorted(found)


def naming_sibling(error: ProgramError, folder: str | None) -> ProgramError:
    """The safe mode's refusal of `import utils` (or `from utils import ...`) when utils.py
    is beside the program: the same refusal, naming the file (a trusted run imports it);
    any other error as it is."""
    wording = error.wording
    templates = {refusals.IMPORT_ONLY: refusals.IMPORT_BESIDE,
                 refusals.FROM_IMPORT_ONLY: refusals.FROM_IMPORT_BESIDE}  # fmt: skip
    if folder is None or wording is None or wording.template not in templates:
        return error
    name = dict(wording.values).get("name")
    if not isinstance(name, str) or not name or name.startswith("."):
        return error
    top = name.split(".")[0]
    file = siblings(os.path.abspath(folder)).get(top)
    if file is None or is_workers(top, workers_path()):
        return error
    better = said(templates[wording.template], name=name, file=file)
    return ProgramError.saying(better, error.line, error.col, error.end_line, error.end_col,
                               error.trust)  # fmt: skip


def _from_folder(module: Any, folder: str) -> bool:
    """Whether `module` was imported from `folder` (or a folder under it)."""
    places = [getattr(module, "__file__", None)]
    places += list(getattr(module, "__path__", None) or ())
    return any(isinstance(p, str) and _inside(p, folder) for p in places)


def _inside(path: str, folder: str) -> bool:
    path = os.path.abspath(path)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _same_folder(a: str, b: str) -> bool:
    try:
        return Path(a or ".").resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return False


def _forget_finders(folder: str) -> None:
    """Drop the cached finders of `folder` and the folders under it: the next run lists
    them afresh (a module added since is found), with its own loaders."""
    for path in [p for p in sys.path_importer_cache if isinstance(p, str) and _inside(p, folder)]:
        del sys.path_importer_cache[path]


def _remove(items: list, item: Any) -> None:
    for i, it in enumerate(items):
        if it is item:
            del items[i]
            return
