"""Published teaching programs, as their authors wrote them: every tensor, grad and print.

tests/programs/published/ holds programs from PyTorch's tutorials, Dive into Deep Learning,
micrograd, Andrej Karpathy's lectures and fastbook (each file's first lines name its source
and what was changed: only data and the few helper calls that stand for it). For each one,
the app's record must equal plain Python running the same text: each module-level tensor's
value, requires_grad and (for leaves) .grad, the op nodes (the grad_fns reachable from the
output) and the text of every print().

tests/programs/published_trust/ holds programs that need what only a trusted run allows
(files in the working directory, as published); they run with run_program(trusted=True),
each in a directory of its own holding the data files they read (published_trust/data/).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib.util
import io
import random
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import torch

from core.engine.evaluate import Evaluation, run_program
from tests.oracle import close, plain_value, reachable_ops

HERE = Path(__file__).parent / "programs"
PUBLISHED = sorted((HERE / "published").glob("*.py"))
TRUSTED = sorted((HERE / "published_trust").glob("*.py"))
TRUST_DATA = HERE / "published_trust" / "data"  # names.txt, input.txt: what they read

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # repr of grad_fns and other objects


def run_plain(source: str) -> tuple[dict[str, Any], list[str]]:
    """Run a program as ordinary Python, seeded as the app seeds a run (torch's CPU
    generator with 0, and `random` with 0); its variables and the text of each print()."""
    printed: list[str] = []

    def print_(*args: Any, sep: str | None = " ", end: str | None = "\n", **kw: Any) -> None:
        buffer = io.StringIO()
        builtins.print(*args, sep=sep, end=end, file=buffer)
        printed.append(buffer.getvalue())
        builtins.print(buffer.getvalue(), end="", **kw)

    namespace: dict[str, Any] = {"__name__": "__main__", "print": print_}
    torch.manual_seed(0)
    random.seed(0)
    with contextlib.redirect_stdout(io.StringIO()) as stdout:
        try:
            exec(compile(source, "<published program>", "exec"), namespace)  # noqa: S102
        finally:
            torch.set_default_device(None)  # one program sets it, as published
    assert stdout.getvalue() == "".join(printed), "something printed without print()"
    variables = {k: v for k, v in namespace.items() if not k.startswith("__") and k != "print"}
    return variables, [text.rstrip("\n") for text in printed]


def printed_texts(ev: Evaluation) -> list[str]:
    """The text of each print() in the app's transcript (without its trailing newline)."""
    return [entry.text for entry in ev.record.transcript if entry.kind == "print"]


def same_text(text: str) -> str:
    """Printed text without memory addresses (`<AddBackward0 object at 0x7f...>`): the safe
    mode leaves them out (see `core.engine.safe_builtins.unaddressed`), a trusted run doesn't."""
    return ADDRESS.sub("", text)


def run_both(path: Path, *, trusted: bool, workdir: Path | None = None):
    """The program's source, the app's evaluation of it and plain Python's run of it."""
    source = path.read_text()
    try:
        if workdir is None:
            plain = run_plain(source)
            ev = run_program(source, trusted=trusted) if trusted else run_program(source)
        else:
            with contextlib.chdir(fresh_dir(workdir / "plain")):
                plain = run_plain(source)
            with contextlib.chdir(fresh_dir(workdir / "app")):
                ev = run_program(source, trusted=True)
    finally:
        torch.set_default_device(None)
    return source, ev, plain


def fresh_dir(path: Path) -> Path:
    """A new working directory holding the data files the trusted programs read."""
    path.mkdir(parents=True)
    for data in TRUST_DATA.iterdir():
        shutil.copy(data, path / data.name)
    return path


def missing_module(source: str) -> str | None:
    """A module the program imports that is not installed here (numpy, matplotlib...)."""
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if importlib.util.find_spec(name.split(".")[0]) is None:
                return name
    return None


# --- the corpora ------------------------------------------------------------------------


def test_the_published_corpus_is_large_enough():
    assert len(PUBLISHED) >= 45


def test_the_trusted_corpus_is_large_enough():
    assert len(TRUSTED) >= 3


@pytest.mark.parametrize("path", PUBLISHED + TRUSTED, ids=lambda p: p.stem)
def test_each_program_names_its_source_and_what_was_changed(path):
    """The first comment lines say where the program comes from and what was changed."""
    header = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    text = "\n".join(header)
    assert header and header[0].startswith("# Source: "), path.name
    assert "Changed:" in text, path.name


# --- published programs: the app's record equals plain PyTorch ---------------------------


@pytest.fixture(scope="module", params=PUBLISHED, ids=lambda p: p.stem)
def published(request):
    return run_both(request.param, trusted=False)


def test_published_variables_equal_plain_pytorch(published):
    """Each module-level tensor's value, requires_grad and (for leaves) .grad."""
    _, ev, (plain, _) = published
    check_variables(ev, plain)


def test_published_op_nodes_are_the_reachable_grad_fns(published):
    _, ev, _ = published
    check_ops(ev)


def test_published_prints_equal_plain_python(published):
    _, ev, (_, printed) = published
    check_prints(ev, printed)


# --- programs that need a trusted run ----------------------------------------------------


@pytest.fixture(scope="module", params=TRUSTED, ids=lambda p: p.stem)
def trusted(request, tmp_path_factory):
    missing = missing_module(request.param.read_text())
    if missing:
        pytest.skip(f"needs {missing}, which is not installed here")
    workdir = tmp_path_factory.mktemp(request.param.stem)
    return run_both(request.param, trusted=True, workdir=workdir)


def test_trusted_variables_equal_plain_pytorch(trusted):
    _, ev, (plain, _) = trusted
    check_variables(ev, plain)


def test_trusted_op_nodes_are_the_reachable_grad_fns(trusted):
    _, ev, _ = trusted
    check_ops(ev)


def test_trusted_prints_equal_plain_python(trusted):
    _, ev, (_, printed) = trusted
    check_prints(ev, printed)


# --- the comparisons ---------------------------------------------------------------------


def check_variables(ev: Evaluation, plain: dict[str, Any]) -> None:
    tensors = {k: v for k, v in plain.items() if isinstance(v, torch.Tensor)}
    assert tensors, "the program leaves no tensor in a module-level variable"
    for name, expected in tensors.items():
        assert name in ev.variables, name
        got = ev.variables[name]
        assert isinstance(got, torch.Tensor), name
        assert tuple(got.shape) == tuple(expected.shape), name
        assert close(plain_value(got), plain_value(expected)), name
        assert got.requires_grad == expected.requires_grad, name
        if expected.is_leaf:
            assert close(plain_value(got.grad), plain_value(expected.grad)), name


def check_ops(ev: Evaluation) -> None:
    """The op nodes are exactly the multiset of grad_fn classes reachable from the output."""
    ops = Counter(n.op for n in ev.record.nodes if n.kind == "op")
    if ev.output is None or ev.output.grad_fn is None:
        assert not ops
        return
    assert ops == reachable_ops(ev.output)


def check_prints(ev: Evaluation, printed: list[str]) -> None:
    got = [same_text(text) for text in printed_texts(ev)]
    expected = [same_text(text) for text in printed]
    assert "\n".join(got) == "\n".join(expected)
    assert got == expected
