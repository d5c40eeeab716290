"""Where programs run: the folder a request names (the program file's, or the command
line's current directory), as `python prog.py` runs from the program's folder. A trusted
program opens a file beside it by its bare name; one it can't find gets a Why line naming
the folder; the worker itself starts in the app's own folder and imports by package, so a
user's file named like a module (torch.py, core/) can't shadow what it imports."""

import os
from pathlib import Path

import pytest
import torch

from core.process.client import Worker, program_folder
from core.record.language import ProgramError
from core.record.lessons import FILE_MISSING, FOLDER_UNUSABLE, explain, lesson
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
