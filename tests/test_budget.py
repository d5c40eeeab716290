"""Bounded by construction: programs that used to run until the time limit, fill memory,
flood the transcript or make a huge record, each through the real command line: a clear
program error at the line that crossed a limit (or a record kept small), within 20 s, in
bounded memory, with a short stderr and no traceback (issue 17's hostile findings)."""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (id, program, phrase of the error, its line): refused where it crosses a limit
REFUSED = [
    ("compare_broadcast", "a = torch.ones(20000, 1)\nb = torch.ones(20000)\nc = a == b\n",
     "too large", 3),
    ("empty_dim_sum", "x = torch.ones(10**8, 0)\ny = x.sum(1)\n", "too large", 2),
    ("empty_dim_linear", "x = torch.ones(10**8, 0)\nw = torch.ones(3, 0)\ny = F.linear(x, w)\n",
     "too large", 3),
    ("empty_dim_mv", "m = torch.ones(10**8, 0)\nv = torch.ones(0)\ny = torch.mv(m, v)\n",
     "too large", 3),
    ("empty_dim_cosine", "a = torch.ones(10**8, 0)\ny = F.cosine_similarity(a, a)\n",
     "too large", 2),
    ("index_tuple", "x = torch.ones(1, 10**5)\ny = x[(tuple([0] * 1000),)]\n", "too large", 2),
    ("einsum_ellipsis",
     "a = torch.ones(5000, 1)\nb = torch.ones(1, 5000)\n"
     "c = torch.einsum('...i,...j->...ij', a, b)\n",
     "too large", 3),
    ("max_key_allocates", "m = max([[10000, 10000]], key=torch.ones)\n", "too large", 1),
    ("map_allocates", "m = list(map(torch.ones, [10**5, 10**5], [10**5, 10**5]))\n",
     "too large", 1),
    ("list_grows_by_ranges", "l = []\nfor i in range(100):\n    l += range(100000)\n",
     "too large", 3),
    ("list_grows_by_rows", "l = []\nl += torch.zeros(10**6)\n", "too many tensors", 2),
    ("list_extends_itself", "l = [0]\nfor i in range(40):\n    l.extend(l)\n", "too large", 3),
    ("percent_width", "s = '%100000000s' % 'a'\n", "too large", 1),
    ("fstring_width", "s = f\"{'a':>100000000}\"\n", "too large", 1),
    ("format_width", "s = '{:>{}}'.format('a', 10**8)\n", "too large", 1),
    ("ljust", "s = 'a'.ljust(10**8)\n", "too large", 1),
    ("replace_multiplies", "s = ('a' * 10**5).replace('', 'b' * 10**5)\n", "too large", 1),
    ("join_multiplies", "s = ('x' * 10**5).join(['a'] * 10**5)\n", "too large", 1),
    ("print_nested", "l = [0]\nfor i in range(40):\n    l = [l, l]\nprint(l)\n", "too large", 4),
    ("str_nested", "l = [0]\nfor i in range(40):\n    l = [l, l]\ns = f'{l}'\n", "too large", 4),
    ("empty_prints", "for i in range(1000):\n    for j in range(999):\n        print()\n",
     "printed too many times", 3),
]  # fmt: skip

# (id, program, most bytes of JSON): they run; their record stays small
RECORDED = [
    ("stack_of_3000", "x = torch.ones(4, requires_grad=True)\ny = torch.stack([x] * 3000).sum()\n"
     "y.backward()\n", 5_000_000),
    ("600_steps_of_4096", "x = torch.ones(4096, requires_grad=True)\ny = x\nfor i in range(600):\n"
     "    y = y * 1.001\ny.sum().backward()\n", 40_000_000),
    ("rows_of_nothing", "x = torch.ones(10**7, 0, requires_grad=True)\ny = x.sum()\ny.backward()\n",
     100_000),
]  # fmt: skip


def run_cli(source: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path, float]:
    program, out = tmp_path / "p.py", tmp_path / "p.json"
    program.write_text(source)
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), str(program), "--export",
                           str(out)], capture_output=True, text=True, timeout=60)  # fmt: skip
    return done, out, time.monotonic() - start


def bounded(done: subprocess.CompletedProcess, seconds: float) -> None:
    assert seconds < 20, seconds
    assert len(done.stderr) < 1 << 20 and "Traceback" not in done.stderr, done.stderr[-2000:]
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert largest < 3 << 30, largest


@pytest.mark.parametrize(("program", "phrase", "line"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])  # fmt: skip
def test_refused_at_the_line_that_crossed_a_limit(program, phrase, line, tmp_path):
    done, out, seconds = run_cli(program, tmp_path)
    bounded(done, seconds)
    assert done.returncode == 2, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"error: line {line},") and phrase in first, first
    assert not out.exists()


@pytest.mark.parametrize(("program", "most"), [r[1:] for r in RECORDED],
                         ids=[r[0] for r in RECORDED])  # fmt: skip
def test_the_record_stays_small(program, most, tmp_path):
    done, out, seconds = run_cli(program, tmp_path)
    bounded(done, seconds)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size < most
    record = json.loads(out.read_text())
    assert record["backward"], "the backward steps are recorded"
