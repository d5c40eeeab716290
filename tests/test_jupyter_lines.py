"""Notebook code as published: a line for Jupyter (`%matplotlib inline`, `!pip install`) is
skipped with a note in the transcript; everything else runs, at its own lines and columns,
as plain PyTorch runs the code without those lines. Python that parses is never changed."""

import subprocess
import sys
from pathlib import Path

import pytest

from core.engine.evaluate import run_program
from core.record.language import ProgramError, jupyter_lines, parse, without_jupyter_lines
from tests.test_published import HERE, check_prints, check_variables, run_plain

ROOT = Path(__file__).resolve().parent.parent
D2L = HERE / "published" / "d2l_linear_regression_scratch.py"


def as_in_the_notebook(path: Path) -> tuple[str, str, int]:
    """d2l's cell as the notebook has it: `%matplotlib inline` above its imports (the file
    left it out); the text without it, the text with it, and the magic's line."""
    lines = path.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    plain = "".join(lines)
    with_magic = "".join(lines[:first] + ["%matplotlib inline\n"] + lines[first:])
    return plain, with_magic, first + 1


def test_d2ls_cell_with_matplotlib_inline_runs_as_plain_pytorch_runs_it_without():
    plain, text, at = as_in_the_notebook(D2L)
    assert "\n%matplotlib inline\n" not in plain  # (its header says it was left out)
    with pytest.raises(SyntaxError):
        compile(text, "cell", "exec")  # (not Python: what the app was refusing)
    ev = run_program(text)
    variables, printed = run_plain(plain)
    check_variables(ev, variables)
    check_prints(ev, printed)
    notes = [t for t in ev.record.transcript if t.kind == "note"]
    assert [(t.line, t.text) for t in notes] == [
        (at, f"Line {at}: %matplotlib inline is a Jupyter command; skipped.")
    ]


def test_the_other_lines_keep_their_positions():
    text = "%matplotlib inline\nx = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n"
    ev = run_program(text)
    blank = run_program("\n" + text.split("\n", 1)[1])
    spans = sorted(n.span for n in ev.record.nodes if n.span)
    assert spans and spans == sorted(n.span for n in blank.record.nodes if n.span)
    assert (2, 5, 2, 38) in spans  # torch.ones(...) on line 2, from column 5
    with pytest.raises(ProgramError) as error:
        run_program("%matplotlib inline\nx = torch.ones(2)\ny = x +* 2\n")
    with pytest.raises(SyntaxError) as python:
        compile("\nx = torch.ones(2)\ny = x +* 2\n", "cell", "exec")
    where = (python.value.lineno, python.value.offset)
    assert (error.value.line, error.value.col) == where == (3, 8)  # the real mistake


@pytest.mark.parametrize("trusted", [False, True])
def test_a_shell_line_is_skipped_with_a_note_and_never_run(tmp_path, trusted, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (
        "!pip install x\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "!touch ran.txt\n"
        "(x * x).sum().backward()\n"
    )
    ev = run_program(text, trusted=trusted)
    assert ev.variables["x"].grad.tolist() == [2.0, 4.0]
    notes = [(t.line, t.text) for t in ev.record.transcript if t.kind == "note"]
    assert notes == [
        (1, "Line 1: !pip install x is a shell command for Jupyter; skipped (never run)."),
        (3, "Line 3: !touch ran.txt is a shell command for Jupyter; skipped (never run)."),
    ]
    assert not (tmp_path / "ran.txt").exists()


def test_a_magic_in_a_block_and_a_cell_magic():
    text = "%%time\ns = 0\nfor i in range(3):\n    %time s = s + i\n    s = s + i\n"
    assert jupyter_lines(text) == (1, 4)
    assert run_program(text).variables["s"] == 3
    assert without_jupyter_lines(text).split("\n")[3] == "    pass"


@pytest.mark.parametrize(
    "text",
    [
        "a = 7\nb = 3\nc = a % b\n",
        "a = 7\nb = 3\nc = (a\n% b)\n",  # a line starting with % inside parentheses
        "a = 7\nb = 3\nc = (a\n   != b)\n",
        "s = '''\n%matplotlib inline\n!pip install x\n'''\n",  # in a string: text
    ],
)
def test_python_that_parses_is_unchanged(text):
    assert jupyter_lines(text) == () and without_jupyter_lines(text) == text
    namespace: dict = {}
    exec(text, namespace)  # noqa: S102 — the test's own text
    got = run_program(text).variables
    assert {k: got[k] for k in namespace if k != "__builtins__"} == {
        k: v for k, v in namespace.items() if k != "__builtins__"
    }
    assert parse(text)


def test_a_plain_syntax_error_is_unchanged():
    with pytest.raises(ProgramError) as error:
        parse("x = 1 +\n")
    assert str(error.value) == "line 1, column 8: Python syntax error: invalid syntax."


def test_the_command_line_notes_the_skipped_lines(tmp_path):
    program = tmp_path / "cell.py"
    program.write_text("%matplotlib inline\nx = torch.ones(2, requires_grad=True)\n")
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--export", str(out), str(program)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "note: Line 1: %matplotlib inline is a Jupyter command; skipped." in done.stderr
    assert '"kind": "note"' in out.read_text()
