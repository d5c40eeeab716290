"""Hostile and broken input through a real worker: escape attempts, random text, random
programs, non-finite values and PyTorch's own errors. The only outcomes are a record or a
ProgramError; the worker never dies, starts nothing, and writes no file."""

from __future__ import annotations

import os
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.process.client import Worker, WorkerError
from core.record.graph import GraphRecord
from core.record.language import ProgramError
from tests.hostile_programs import bounded_programs, programs, sane_programs
from tests.proc_util import children
from tests.programs.refused import REFUSED

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

NORMAL = "x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
RANDOM = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the project
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-cwd")


@pytest.fixture(scope="module")
def worker(sandbox):
    """One worker for the whole module, running in an empty directory of its own."""
    with Worker(timeout=30, cwd=sandbox) as w:
        w.start()
        yield w


def outcome(worker: Worker, source: str) -> str:
    """'record' or 'program error'; anything else fails the test with the program."""
    try:
        record = worker.evaluate(source)
    except ProgramError as e:
        assert e.line >= 1 and e.col >= 1 and e.message.strip()
        return "program error"
    except WorkerError as e:
        raise AssertionError(f"the worker failed ({e}) on:\n{source}") from None
    assert isinstance(record, GraphRecord)
    record.to_json()  # strict JSON, non-finite values included
    return "record"


def test_escape_corpus_through_the_worker(worker, sandbox, capsys):
    """Every refused program comes back as a ProgramError with its reason and line; no
    file appears, no process starts, the worker is never replaced; then a normal program
    runs as usual."""
    worker.evaluate(NORMAL)
    pid, ours = worker.pid, children(os.getpid())
    for ident, program, phrase, *line in REFUSED:
        with pytest.raises(ProgramError) as info:
            worker.evaluate(program)
        assert phrase in info.value.message.lower(), (ident, info.value.message)
        assert info.value.line == (line[0] if line else 1), ident
        assert list(sandbox.iterdir()) == [], ident
        assert children(pid) == set(), ident
    assert worker.pid == pid and children(os.getpid()) == ours
    assert worker.evaluate(NORMAL).backward
    escapes = sum(1 for entry in REFUSED if "too large" not in entry[2])
    with capsys.disabled():
        sizes = len(REFUSED) - escapes
        print(f"\n{len(REFUSED)} refused programs through one worker: {escapes} escape "
              f"attempts, {sizes} oversized; all refused, worker unharmed")  # fmt: skip


RUN_TIME_REFUSALS = [
    (
        "x = torch.ones(2, requires_grad=True)\nm = max([x], key=(x * 2).grad_fn)\n",
        "can't be passed",
    ),
    ("def g():\n    yield 1\nf = g().gi_frame\n", "gi_frame"),
    ("x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = y.grad_fn(x)\n", "can't be called"),
    ("x = torch.ones(2)\ny = x(1)\n", "can't be called"),
    ("t = torch.ones(2).shape\nn = t.__len__()\n", "__len__"),
    ("x = torch.ones(2).to('meta')\n", "CPU"),
    ("x = torch.ones(2, device='meta', requires_grad=True)\n", "CPU"),
    ("for i in range(1000):\n    for j in range(1000):\n        x = 1\n", "1,000,000 statements"),
]


@pytest.mark.parametrize(("program", "phrase"), RUN_TIME_REFUSALS)
def test_refused_when_reached(worker, sandbox, program, phrase):
    """What only shows at run time (a value's type, a device) is refused when reached."""
    pid = worker.pid
    with pytest.raises(ProgramError) as info:
        worker.evaluate(program)
    assert phrase in info.value.message
    assert worker.pid == pid and list(sandbox.iterdir()) == []


VALUES_AND_ERRORS = [
    ("x = torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0], requires_grad=True)\n"
     "y = (x * 2).sum()\ny.backward()\n", None),
    ("x = torch.log(torch.tensor([-1.0, 0.0, 1.0], requires_grad=True))\n", None),
    ("x = torch.ones(2, requires_grad=True) / 0\n", None),
    ("x = torch.tensor([70000.0], dtype=torch.float16, requires_grad=True)\n", None),
    ("x = torch.tensor([2**63 - 1]) + 1\n", None),
    ("x = torch.tensor([1e-45, 1e38]) * 1e10\nprint(x)\n", None),
    ("x = 1 / 0\n", "division by zero"),
    ("x = torch.ones(2, dtype=torch.int64, requires_grad=True)\n", "floating point"),
    ("x = torch.ones(2) + torch.ones(3)\n", "must match the size"),
    ("x = torch.ones(2, 2, dtype=torch.float64) @ torch.ones(2, 2)\n", "dtype"),
    ("x = torch.ones(2, device='cuda')\n", "not compiled with cuda"),
    ("x = torch.ones(2, dtype=torch.bool) - torch.ones(2, dtype=torch.bool)\n", "bool"),
    ("x = torch.tensor(2**64)\n", "overflow"),
    ("x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward()\n", "scalar outputs"),
    ("x = math.sqrt(-1)\n", "math domain error"),
]  # fmt: skip


@pytest.mark.parametrize(("program", "phrase"), VALUES_AND_ERRORS)
def test_non_finite_values_and_pytorch_errors(worker, program, phrase):
    """nan and inf are values; dtype, device and shape errors are PyTorch's own words."""
    pid = worker.pid
    if phrase is None:
        assert outcome(worker, program) == "record"
    else:
        with pytest.raises(ProgramError) as info:
            worker.evaluate(program)
        assert phrase in info.value.message.lower()
    assert worker.pid == pid


SMALLEST = "a = torch.tensor([1, -2**63])\nb = torch.tensor([-2**31], dtype=torch.int32)\n"
# Each divides the smallest int64 or int32 by -1 with truncation, on line 3 from column 5:
# the CPU's idiv stops the process with SIGFPE (torch guards floor division and remainders).
ARITHMETIC_FAULTS = [
    "torch.div(a, -1, rounding_mode='trunc')",
    "torch.div(b, -1, rounding_mode='trunc')",
    "torch.divide(a, torch.tensor([-1, -1]), rounding_mode='trunc')",
    "a.div(-1, rounding_mode='trunc')",
    "b.div_(torch.tensor(-1), rounding_mode='trunc')",
    "a.divide_(torch.tensor([1, -1]), rounding_mode='trunc')",
    "torch.div(-2**63, torch.tensor([-1]), rounding_mode='trunc')",
    "torch.div(input=a, other=-1, rounding_mode='trunc')",
    "torch.div(b, torch.tensor([[-1], [1]], dtype=torch.int32), rounding_mode='trunc')",
]
# Their neighbours that torch does answer (wrapping around) are left to it
DIVISIONS_TORCH_ANSWERS = [
    "a // -1", "b // -1", "a % -1", "b % torch.tensor([-1], dtype=torch.int32)",
    "torch.remainder(a, -1)", "torch.fmod(b, -1)", "torch.floor_divide(a, -1)",
    "torch.div(a, -1, rounding_mode='floor')", "torch.div(a, -1.0, rounding_mode='trunc')",
    "torch.div(a, torch.tensor([1, 1]), rounding_mode='trunc')",
    "torch.div(torch.tensor([-128], dtype=torch.int8), -1, rounding_mode='trunc')",
]  # fmt: skip


@pytest.mark.parametrize("trusted", [False, True])
@pytest.mark.parametrize("division", ARITHMETIC_FAULTS)
def test_integer_division_overflow_is_a_program_error_at_its_line(worker, division, trusted):
    """The smallest integer divided by -1 (truncating) is an error at its line and column,
    as plain Python as in the safe mode; the worker lives on."""
    pid = worker.pid
    with pytest.raises(ProgramError) as info:
        worker.evaluate(f"{SMALLEST}c = {division}\n", trusted=trusted)
    assert (info.value.line, info.value.col) == (3, 5)
    assert "overflows" in info.value.message and "divided by -1" in info.value.message
    assert worker.pid == pid
    for answered in DIVISIONS_TORCH_ANSWERS if division == ARITHMETIC_FAULTS[0] else ():
        assert outcome(worker, f"{SMALLEST}c = {answered}\n") == "record", answered
    assert worker.pid == pid


def test_random_text(worker, capsys):
    """Random text (any characters, and the language's own in random order)."""
    alphabet = st.sampled_from(list("x=torch.ones(2)+*[]:\n\t #'\"\\_.,0123456789eE-jlambdaf"))
    outcomes: Counter[str] = Counter()
    pid = worker.pid

    @RANDOM
    @given(st.one_of(st.text(max_size=300), st.text(alphabet=alphabet, max_size=300)))
    def run(source: str) -> None:
        outcomes[outcome(worker, source)] += 1

    run()
    assert worker.pid == pid
    with capsys.disabled():
        print(f"\nrandom text: {dict(outcomes)}, no worker death")


def test_random_programs(worker, capsys):
    """Random programs from the lesson's grammar: records or program errors, nothing else."""
    outcomes: Counter[str] = Counter()
    pid = worker.pid

    @RANDOM
    @given(st.one_of(programs, sane_programs))
    def run(source: str) -> None:
        outcomes[outcome(worker, source)] += 1

    run()
    assert worker.pid == pid and outcomes["record"] > 0
    with capsys.disabled():
        print(f"\nrandom programs: {dict(outcomes)}, no worker death")


def test_random_programs_at_the_limits(worker, capsys):
    """Random programs aimed at the limits: big and empty shapes through operators, einsum
    and F.linear, library functions handed to max(key=) and map, nested containers printed,
    formatted and doubled, lists grown in loops. Records or program errors, each within
    the worker's time limit; the worker lives on."""
    outcomes: Counter[str] = Counter()
    pid = worker.pid

    @settings(RANDOM, max_examples=60)
    @given(bounded_programs)
    def run(source: str) -> None:
        outcomes[outcome(worker, source)] += 1

    run()
    assert worker.pid == pid and outcomes["program error"] > 0
    with capsys.disabled():
        print(f"\nrandom programs at the limits: {dict(outcomes)}, no worker death")
