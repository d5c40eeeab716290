"""Where programs run: the folder a request names (the program file's, or the command
line's current directory), as `python prog.py` runs from the program's folder. A trusted
program opens a file beside it by its bare name; one it can't find gets a Why line naming
the folder; the worker itself starts in the app's own folder and imports by package, so a
user's file named like a module (torch.py, core/) can't shadow what it imports.

A trusted program with a file imports the modules beside it (`script_folder`), as `python
prog.py` does, for that run only and read afresh each run; a file beside it named like
one of the worker's modules is passed over with a note; the safe mode's refusal names it."""

import os
from pathlib import Path

import pytest
import torch

from core.process.client import Worker, program_folder
from core.record.language import ProgramError
from core.record.lessons import (
    FILE_MISSING,
    FOLDER_UNUSABLE,
    MODULE_NOT_BESIDE,
    explain,
    lesson,
)
from core.record.wording import said

READS_NAMES = (
    "names = open('names.txt').read().split()\n"
    "x = torch.ones(len(names), requires_grad=True)\n"
    "y = (x * len(names[0])).sum()\n"
    "y.backward()\n"
)


def torch_grad(names: list[str]) -> list[float]:
    """PyTorch's x.grad for READS_NAMES on `names`, run here in plain Python."""
    x = torch.ones(len(names), requires_grad=True)
    (x * len(names[0])).sum().backward()
    return x.grad.tolist()


@pytest.fixture(scope="module")
def worker():
    with Worker(timeout=60) as w:
        yield w


@pytest.fixture
def beside(tmp_path):
    """A folder holding names.txt and, to tempt the worker, files named like modules."""
    (tmp_path / "names.txt").write_text("ada grace alan\n")
    (tmp_path / "torch.py").write_text("raise SystemExit('the user torch.py was imported')\n")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("raise SystemExit('the user core/')\n")
    return tmp_path


def x_grad(record):
    return next(n for n in record.nodes if n.name == "x").grad


def test_a_trusted_program_reads_a_file_in_the_folder_it_is_asked_to_run_in(worker, beside):
    record = worker.evaluate(READS_NAMES, trusted=True, cwd=beside)
    assert x_grad(record) == torch_grad(["ada", "grace", "alan"])


def test_a_worker_started_in_a_folder_of_shadowing_modules_still_works(beside):
    """Worker(cwd=...) is where programs run; the process starts in the app's folder."""
    with Worker(timeout=60, cwd=beside) as w:
        record = w.evaluate(READS_NAMES, trusted=True)
        assert x_grad(record) == torch_grad(["ada", "grace", "alan"])
        assert w.evaluate("x = torch.ones(1, requires_grad=True)\n").nodes  # the safe mode too


def test_each_request_runs_in_its_own_folder(worker, beside, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    (other / "names.txt").write_text("bo\n")
    assert x_grad(worker.evaluate(READS_NAMES, trusted=True, cwd=other)) == torch_grad(["bo"])
    again = worker.evaluate(READS_NAMES, trusted=True, cwd=beside)  # not a kept record
    assert x_grad(again) == torch_grad(["ada", "grace", "alan"])


def test_a_missing_file_names_the_folder_in_the_why_line(worker, tmp_path):
    with pytest.raises(ProgramError) as caught:
        worker.evaluate(READS_NAMES, trusted=True, cwd=tmp_path)
    e = caught.value
    assert e.line == 1 and "FileNotFoundError" in e.message and "names.txt" in e.message
    assert e.folder == str(tmp_path)
    why = explain(e.message, e.folder)
    assert why is not None and str(tmp_path) in why and "'names.txt'" in why
    assert lesson(e.message, e.folder) == said(FILE_MISSING, folder=str(tmp_path),
                                                name="names.txt")  # fmt: skip


def test_the_safe_mode_names_no_folder_and_an_absolute_path_needs_no_lesson(worker, tmp_path):
    with pytest.raises(ProgramError) as caught:
        worker.evaluate(READS_NAMES, cwd=tmp_path)  # refused: the safe mode opens no file
    assert caught.value.trust and caught.value.folder is None
    message = f"FileNotFoundError: [Errno 2] No such file or directory: '{tmp_path}/n.txt'"
    assert explain(message, str(tmp_path)) is None
    assert explain("FileNotFoundError: [Errno 2] No such file or directory: 'n.txt'") is None


def test_a_folder_that_is_gone_is_a_program_error_saying_so(worker, tmp_path):
    gone = tmp_path / "gone"
    with pytest.raises(ProgramError) as caught:
        worker.evaluate("x = torch.ones(1)\n", cwd=gone)
    e = caught.value
    assert e.wording is not None and e.wording.template == FOLDER_UNUSABLE
    assert str(gone) in e.message
    (tmp_path / "names.txt").write_text("a\n")  # the worker goes on with the next request
    assert x_grad(worker.evaluate(READS_NAMES, trusted=True, cwd=tmp_path)) == torch_grad(["a"])


def test_without_a_folder_programs_run_in_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert program_folder(None) == os.getcwd() == str(tmp_path)
    assert program_folder(Path("sub")) == str(tmp_path / "sub")


# --- a trusted program imports the modules beside it, as `python prog.py` does -------------
USES_UTILS = (
    "from utils import train_step\n"
    "x = torch.ones(2, requires_grad=True)\n"
    "loss = train_step(x)\n"
    "loss.backward()\n"
)
UTILS = (
    "import torch\nfrom helpers import SCALE\n\ndef train_step(x):\n    return (x * SCALE).sum()\n"
)


def scaled_grad(scale: float) -> list[float]:
    """PyTorch's x.grad for USES_UTILS when train_step multiplies by `scale`."""
    x = torch.ones(2, requires_grad=True)
    (x * scale).sum().backward()
    return x.grad.tolist()


@pytest.fixture
def course(tmp_path):
    """A teacher's folder: prog.py beside utils.py, which imports a package beside it."""
    (tmp_path / "prog.py").write_text(USES_UTILS)
    (tmp_path / "utils.py").write_text(UTILS)
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text("SCALE = 3\n")
    return tmp_path


SEES = (
    "import sys\n"
    "print({folder!r} in sys.path, [m for m in ('utils', 'helpers') if m in sys.modules])\n"
)


def test_a_trusted_program_imports_the_modules_beside_it(worker, course):
    record = worker.evaluate(USES_UTILS, trusted=True, cwd=course, script_folder=course)
    assert x_grad(record) == scaled_grad(3)
    checked = worker.evaluate(
        USES_UTILS, trusted=True, cwd=course, script_folder=course, check=True
    )  # check by hand runs it again, importing again
    assert checked.check and x_grad(checked) == scaled_grad(3)


def test_a_module_edited_beside_it_is_read_again_at_the_next_run(worker, course):
    """The teacher changes utils.py (same size, the same second: a .pyc would pass
    Python's check) and runs again: the change is what runs; nothing is written into the
    folder (no __pycache__)."""
    assert x_grad(worker.evaluate(USES_UTILS, trusted=True, cwd=course, script_folder=course)
                  ) == scaled_grad(3)  # fmt: skip
    (course / "helpers" / "__init__.py").write_text("SCALE = 7\n")
    (course / "utils.py").write_text(UTILS.replace("(x * SCALE)", "(x + SCALE)"))
    record = worker.evaluate(USES_UTILS, trusted=True, cwd=course, script_folder=course)
    x = torch.ones(2, requires_grad=True)
    (x + 7).sum().backward()
    assert x_grad(record) == x.grad.tolist()
    assert not list(course.rglob("__pycache__"))


def test_the_next_program_without_a_folder_cannot_import_them(worker, course):
    """After a run that imported utils (even one that failed after), the folder is off
    sys.path and utils out of sys.modules: a program with no folder (typed, never saved)
    gets Python's error, though it runs in that very folder."""
    with pytest.raises(ProgramError):
        worker.evaluate(USES_UTILS + "raise ValueError('after the import')\n", trusted=True,
                        cwd=course, script_folder=course)  # fmt: skip
    with pytest.raises(ProgramError) as caught:
        worker.evaluate(USES_UTILS, trusted=True, cwd=course)
    e = caught.value
    assert e.message == "ModuleNotFoundError: No module named 'utils'" and e.line == 1
    # the Why line: utils.py is right there, but an untitled program imports nothing beside
    assert lesson(e.message, e.folder) == said(MODULE_NOT_BESIDE, file="utils.py",
                                                folder=str(course))  # fmt: skip
    seen = worker.evaluate(SEES.format(folder=str(course)), trusted=True, cwd=course)
    assert [t.text for t in seen.transcript] == ["False []"]


def test_files_named_like_the_workers_modules_are_not_imported_in_their_place(worker, course):
    """torch.py (raising), numpy.py and random.py beside the program: `python prog.py`
    would import them (and fail); here the program, and utils.py too, get the real
    modules, and a note at each of the program's imports names the file passed over."""
    for name in ("torch", "numpy", "random"):
        (course / f"{name}.py").write_text(f"raise SystemExit('the user {name}.py')\n")
    program = "import torch\nimport numpy as np\nimport random\n" + USES_UTILS
    record = worker.evaluate(program, trusted=True, cwd=course, script_folder=course)
    assert x_grad(record) == scaled_grad(3)
    notes = [(t.line, t.text) for t in record.transcript if t.kind == "note"]
    assert [line for line, _ in notes] == [1, 2, 3]
    for (_, text), name in zip(notes, ("torch", "numpy", "random"), strict=True):
        assert f"'import {name}' imports the {name} module" in text
        assert f"not {name}.py beside the program" in text and "Rename the file" in text
    record = worker.evaluate(USES_UTILS, trusted=True, cwd=course, script_folder=course)
    assert x_grad(record) == scaled_grad(3) and not record.transcript  # no import: no note


def test_the_safe_mode_refusal_names_the_module_beside_the_program(worker, course):
    from core.record import refusals

    with pytest.raises(ProgramError) as caught:
        worker.evaluate(USES_UTILS, cwd=course, script_folder=course)
    e = caught.value
    assert e.trust == "import utils" and e.folder is None and e.line == 1
    assert e.wording == said(refusals.FROM_IMPORT_BESIDE, name="utils", file="utils.py")
    assert e.message.startswith("'from utils import ...': utils.py beside the program is "
                                "imported only when it runs as plain Python;")  # fmt: skip
    with pytest.raises(ProgramError) as caught:
        worker.evaluate("import helpers\n", cwd=course, script_folder=course)
    assert caught.value.wording == said(refusals.IMPORT_BESIDE, name="helpers", file="helpers/")
    with pytest.raises(ProgramError) as caught:  # no folder: the refusal as it always was
        worker.evaluate(USES_UTILS, cwd=course)
    assert caught.value.wording == said(refusals.FROM_IMPORT_ONLY, name="utils")
    (course / "numpy.py").write_text("")  # the worker's numpy, not the file: not named
    with pytest.raises(ProgramError) as caught:
        worker.evaluate("import numpy\n", cwd=course, script_folder=course)
    assert caught.value.wording == said(refusals.IMPORT_ONLY, name="numpy")


def test_the_chain_rule_worked_out_later_runs_it_again_with_its_modules(worker, course):
    """A tensor the chain rule needs changes after backward(): the lines asked for later
    come from running the program again, which imports utils.py again."""
    changed_after = USES_UTILS.replace(
        "loss = train_step(x)", "b = x * 2\nloss = train_step(b * b)"
    )
    changed_after += "with torch.no_grad():\n    b.add_(1)\n"
    whole = worker.evaluate(changed_after, trusted=True, cwd=course, script_folder=course)
    later = worker.evaluate(changed_after, trusted=True, cwd=course, script_folder=course,
                            chain_rule=False)  # fmt: skip
    assert later.chain_rule_pending
    assert [s.chain for s in worker.explain()] == [s.chain for s in whole.backward]


def test_a_module_named_like_a_file_of_the_apps_own_folder_is_the_programs(worker, course):
    """main.py beside the program is the program's: the app's own main.py (its folder is
    on the worker's sys.path, for core/) is no module of the worker's."""
    (course / "main.py").write_text("from utils import train_step\n")
    program = USES_UTILS.replace("from utils import", "from main import")
    record = worker.evaluate(program, trusted=True, cwd=course, script_folder=course)
    assert x_grad(record) == scaled_grad(3) and not record.transcript
