"""The language refuses what it must, before anything runs, and says where and why."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from core.engine.evaluate import run_program
from core.engine.policy import check
from core.record import wording
from core.record.language import ProgramError
from tests.oracle import close, plain_value, run_plain
from tests.programs.refused import ALLOWED, REFUSED
from tests.programs.torch_errors import TORCH_ERRORS

ROOT = Path(__file__).resolve().parent.parent


def _entries():
    for entry in REFUSED:
        ident, program, phrase, *line = entry
        yield pytest.param(program, phrase, line[0] if line else 1, id=ident)


def entries():
    return list(_entries())


def test_corpus_is_large_enough():
    """At least 40 refused programs and 6 PyTorch errors."""
    assert len(REFUSED) >= 40 and len(TORCH_ERRORS) >= 6


@pytest.mark.parametrize(("program", "phrase", "line"), entries())
def test_refused_with_line_and_reason(program, phrase, line, tmp_path, monkeypatch):
    """Each escape attempt is a ProgramError naming its line and construct, with no effect."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProgramError) as info:
        run_program(program)
    assert phrase in info.value.message.lower()
    assert info.value.line == line
    assert list(tmp_path.iterdir()) == []  # no file was made


@pytest.mark.parametrize(("program", "phrase", "line"), entries())
def test_a_refusal_keeps_its_sentence_as_data_beside_the_english(program, phrase, line):
    """The window translates a refusal from its wording (template and values), never by
    reading the message: the wording's English is exactly the message."""
    with pytest.raises(ProgramError) as info:
        run_program(program)
    e = info.value
    if e.wording is not None:
        assert e.wording.text == e.message
        assert e.wording.template in wording.TEMPLATES


def test_the_common_refusals_have_their_wording_and_their_english_is_unchanged():
    worded = 0
    for entry in REFUSED:
        try:
            run_program(entry[1])
        except ProgramError as e:
            worded += e.wording is not None
    assert worded >= 180, worded  # of 266 (187 when their wordings came)
    cases = {
        "from torch import sigmod\n":
            "In 'from torch import sigmod': 'torch.sigmod' does not exist. Did you mean "
            "'sigmoid'?",
        "x = torch.ones(2)\nx.gard\n":
            "AttributeError: 'Tensor' object has no attribute 'gard'. Did you mean 'grad'?",
        "x = torch.ones(100000, 100000)\n":
            "This tensor would be too large: 10,000,000,000 elements (the limit is 10,000,000); "
            "refused before allocating.",
        "__x = 1\n": "Names like '__x' (dunders) are not allowed in the safe mode.",
    }  # fmt: skip
    for program, english in cases.items():
        with pytest.raises(ProgramError) as info:
            run_program(program)
        assert info.value.message == english
        assert info.value.wording is not None and info.value.wording.text == english


STATIC = ("import", "__", "getattr", "eval", "exec", "open", "torch.", "f.torch", "math.",
          "async", "globals", "locals", "vars", "dir", "input", "breakpoint", "compile",
          "memoryview", "builtins", "importlib", "format(", "id", "nested too deeply",
          "too long", "too many statements", "file", "hasattr")  # fmt: skip


@pytest.mark.parametrize(("program", "phrase", "line"), entries())
def test_refused_by_name_before_anything_runs(program, phrase, line):
    """What the safe mode refuses by name (imports, dunders, eval and friends, module members
    it leaves out) is refused by the checker, before the program runs at all; the rest
    depends on the kind of a value or its size, known when its statement runs."""
    computed = "getattr(" in program or "setattr(" in program  # (names known when run)
    if phrase.startswith(STATIC) and phrase not in ("torch.autograd.graph",) and not computed:
        with pytest.raises(ProgramError) as info:
            check(program)
        assert info.value.line == line
    else:
        try:
            check(program)
        except ProgramError as e:
            assert e.line == line


def test_computed_attribute_access_passes_the_same_checks():
    """getattr() and friends are the attribute syntax with a computed name: the same rules."""
    ev = run_program(
        "import torch.nn as nn\nm = nn.Linear(2, 2)\nw = getattr(m, 'weight')\n"
        "has_load = hasattr(torch, 'load')\nhas_sin = hasattr(torch, 'sin')\n"
        "setattr(m, 'scale', 2.0)\ndelattr(m, 'scale')\nmissing = getattr(m, 'nothing', 7)\n"
    )
    v = ev.variables
    assert v["w"] is v["m"].weight and not v["has_load"] and v["has_sin"] and v["missing"] == 7
    assert not hasattr(v["m"], "scale")


@pytest.mark.parametrize(("program"), [pytest.param(p, id=i) for i, p in ALLOWED])
def test_once_refused_now_runs_as_plain_python_does(program, tmp_path, monkeypatch):
    """Programs the old language refused run, and their tensors equal plain Python's."""
    monkeypatch.chdir(tmp_path)
    ev = run_program(program)
    plain = run_plain(program)
    for name, value in plain.items():
        if isinstance(value, torch.Tensor):
            assert close(plain_value(ev.variables[name]), plain_value(value)), name
        elif isinstance(value, int | float | str | list | tuple | dict) and value is not None:
            assert ev.variables[name] == value, name


@pytest.mark.parametrize(
    ("program", "phrase", "line"), [pytest.param(*e[1:], id=e[0]) for e in TORCH_ERRORS]
)
def test_pytorch_errors_keep_pytorchs_words_and_the_line(program, phrase, line):
    """PyTorch's own errors are program errors with its message and the raising line."""
    with pytest.raises(ProgramError) as info:
        run_program(program)
    assert phrase.lower() in info.value.message.lower()
    assert info.value.line == line


def test_refused_program_exits_2_on_the_command_line(tmp_path):
    """A refused program through the CLI: exit 2, a one-line reason, no traceback, no file."""
    marker = tmp_path / "pwned"
    program = f"x = open('{marker}', 'w')\n"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--export",
            str(tmp_path / "o.json"),
            "--expr",
            program,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    assert "line 1, column 5" in result.stderr and "'open' is not allowed" in result.stderr
    assert not marker.exists() and "Traceback" not in result.stderr


def test_random_is_seeded_per_evaluation():
    """torch.randn gives the same numbers every evaluation unless the program seeds."""
    program = "w = torch.randn(3, requires_grad=True)\n"
    first = run_program(program).record.nodes[0].value
    assert run_program(program).record.nodes[0].value == first
    seeded = run_program("torch.manual_seed(1)\n" + program).record.nodes[0].value
    assert seeded != first


def test_lesson_imports_are_accepted():
    """`import torch` and `import torch.nn.functional as F` are accepted as no-ops."""
    ev = run_program(
        "import torch\nimport torch.nn.functional as F\n"
        "from torch.nn import functional as F\ny = F.relu(torch.ones(2))\n"
    )
    assert ev.variables["y"].tolist() == [1.0, 1.0]


def test_columns_count_characters_not_bytes():
    """A column after non-ASCII text counts characters, as the editor does."""
    with pytest.raises(ProgramError) as info:
        run_program("s = 'héllo'; x = eval('1')\n")
    assert info.value.col == len("s = 'héllo'; x = ") + 1


def test_broadcast_shapes_agree_with_torch():
    """Our size check's broadcasting agrees with PyTorch's on matching and clashing shapes."""
    import torch

    from core.engine.limits import broadcast

    cases = [((2, 1, 3), (4, 1)), ((), (5,)), ((3,), (3,)), ((2, 3), (3, 2)), ((1,), (7, 1))]
    for a, b in cases:
        try:
            expected = tuple(torch.broadcast_shapes(a, b))
        except RuntimeError:
            expected = None
        assert broadcast(a, b) == expected
