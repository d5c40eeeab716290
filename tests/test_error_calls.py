"""An error inside the program's own functions says how it was reached: d2l's linreg fails
at its matmul (line 4), called from the training loop; Python's traceback is the oracle."""

import traceback

import pytest
import torch

from core.engine.evaluate import run_program
from core.process.client import Worker
from core.record.language import ProgramError
from gui.model.failures import failure_text

PROGRAM = """import torch

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def loss_of(X, w, b):
    return (linreg(X, w, b) ** 2).sum()

w = torch.normal(0, 0.01, size=(3, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
X = torch.ones(10, 2)
for epoch in range(3):
    l = loss_of(X, w, b)
    l.backward()
"""


def python_says(source: str) -> list[tuple[str, int]]:
    """(function, line) of each frame of the program in plain Python's traceback."""
    try:
        exec(compile(source, "<program>", "exec"), {"torch": torch})  # noqa: S102
    except RuntimeError as e:
        return [(f.name, f.lineno) for f in traceback.extract_tb(e.__traceback__)
                if f.filename == "<program>"]  # fmt: skip
    raise AssertionError("the program should fail")


def expected_calls(source: str) -> tuple[tuple[str, int], ...]:
    frames = python_says(source)
    return tuple((inner[0], outer[1]) for outer, inner in zip(frames, frames[1:], strict=False))


def test_the_calls_are_pythons_own():
    with pytest.raises(ProgramError) as caught:
        run_program(PROGRAM)
    assert caught.value.line == 4 and "shapes cannot be multiplied" in caught.value.message
    assert caught.value.calls == expected_calls(PROGRAM) == (("loss_of", 13), ("linreg", 7))


def test_an_error_at_the_module_level_has_no_calls():
    with pytest.raises(ProgramError) as caught:
        run_program("import torch\nx = torch.ones(2, 2) @ torch.ones(3)\n")
    assert caught.value.calls == ()


def test_deep_recursion_names_only_the_last_calls():
    source = (
        "import torch\ndef f(n):\n    if n == 0:\n"
        "        return torch.ones(2) @ torch.ones(3)\n    return f(n - 1)\nf(50)\n"
    )
    with pytest.raises(ProgramError) as caught:
        run_program(source)
    assert caught.value.calls == expected_calls(source)[-3:] == (("f", 5),) * 3


def test_the_calls_cross_the_worker_and_the_window_says_them():
    worker = Worker()
    try:
        with pytest.raises(ProgramError) as caught:
            worker.evaluate(PROGRAM)
    finally:
        worker.close()
    error = caught.value
    assert error.calls == (("loss_of", 13), ("linreg", 7))
    text = failure_text(error, 10.0)
    assert text.startswith("line 4, column 12: RuntimeError: mat1 and mat2 shapes")
    assert "(in linreg(), called from line 7; in loss_of(), called from line 13)" in text
