"""Benchmarks (not tests): medians, and ratios against a baseline measured in this run.

Prints `name: value` lines and writes the same to bench/results.json. The machines are
shared and noisy, so each figure that has a natural baseline is a ratio against it.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.programs import LESSON, MODEL_1K, TRAIN_2K, chain  # noqa: E402


def plain_dot(dot_source: str) -> str:
    """The same DOT without the speed attributes `core.record.dot` adds: plain Graphviz."""
    from core.record.dot import BIG_ATTRS, FAST_ATTRS, LONG_EDGE_ATTRS, attr_list

    graph_line = next(line for line in dot_source.splitlines() if line.startswith("\tgraph "))
    attrs = {k: v for k, v in _parse_attrs(graph_line).items()
             if k not in {**FAST_ATTRS, **BIG_ATTRS, **LONG_EDGE_ATTRS}}  # fmt: skip
    return dot_source.replace(graph_line, f"\tgraph {attr_list(attrs)}", 1)


def _parse_attrs(line: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'"([^"]+)"="([^"]*)"', line))


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median time `fn()` takes to give its result. The result is let go after the
    clock stops: freeing it is not part of making it (the worker keeps an evaluation until
    the next program comes, and frees the last reply after sending it)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        del result
    return statistics.median(times)


def interleaved_medians(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """`median_time` of each of `fns`, taking turns round by round: a ratio of two of them
    is not skewed by the machine being slower while one of them ran (it is shared)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name].append(median_time(fn, 1))
    return {name: statistics.median(t) for name, t in times.items()}


def plain_forward_backward(source: str) -> Callable[[], object]:
    """The baseline: the program run as plain Python. Its variables (the tensors and their
    graph) are the result, let go after the clock stops, as ours are."""
    import torch

    code = compile(source, "<bench>", "exec")

    def run() -> dict[str, object]:
        torch.manual_seed(0)
        variables = {"torch": torch}
        with contextlib.redirect_stdout(io.StringIO()):  # (its prints go to a transcript)
            exec(code, variables)  # noqa: S102 — the baseline: plain Python, our own program
        return variables

    return run


def dot_json(dot_source: str) -> None:
    subprocess.run(["dot", "-Tjson"], input=dot_source, text=True, capture_output=True,
                   check=True)  # fmt: skip


def bench_worker(results: dict[str, float]) -> None:
    """Lesson text -> laid-out record in a warm worker: each run after a program of another
    shape, so the worker's layout memo can't answer it (`lesson_same_shape_ms`: it can)."""
    from core.process.client import Worker

    other = "x = torch.ones(3, requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
    with Worker(timeout=120) as worker:
        worker.evaluate(LESSON)
        fresh, same = [], []
        for _ in range(15):
            worker.evaluate(other, show_values=True)
            fresh.append(median_time(lambda: worker.evaluate(LESSON, show_values=True), 1))
            same.append(median_time(lambda: worker.evaluate(LESSON, show_values=True), 1))
    results["lesson_text_to_layout_ms"] = 1000 * statistics.median(fresh)
    results["lesson_same_shape_ms"] = 1000 * statistics.median(same)


def explained(evaluation: Any) -> tuple[Any, Any]:
    """The evaluation and its chain-rule lines: both the result (see median_time)."""
    return evaluation, evaluation.explain()


def bench_record(results: dict[str, float], source: str, tag: str) -> None:
    """The program run and recorded, ready to lay out, as the worker sends it to the window
    (the chain-rule lines follow on request: `chain_rule_*`), and as the CLI does it (with
    them at once), each against plain exec of the same program, taking turns. The garbage
    collector is set as the worker sets it (both sides of each ratio run with it)."""
    import gc

    from core.engine.evaluate import run_program
    from core.process.server import quiet_collector

    run_program(source)
    threshold = gc.get_threshold()
    quiet_collector()
    try:
        medians = interleaved_medians({
            "first": lambda: run_program(source, chain_rule=False),
            "whole": lambda: run_program(source),
            "later": lambda: explained(run_program(source, chain_rule=False)),
            "plain": plain_forward_backward(source),
            "interpreted": interpreted(source, hooked=False),
            "hooked": interpreted(source, hooked=True),
            "contents": contents_floor(source),
        }, 9)  # fmt: skip
        first, whole, later, plain = (medians[k] for k in ("first", "whole", "later", "plain"))
    finally:  # the other figures are measured as before
        gc.unfreeze()
        gc.set_threshold(*threshold)
    results[f"record_{tag}_ms"] = 1000 * first
    results[f"record_with_chain_rule_{tag}_ms"] = 1000 * whole
    results[f"chain_rule_later_{tag}_ms"] = 1000 * (later - first)
    results[f"plain_forward_backward_{tag}_ms"] = 1000 * plain
    results[f"record_overhead_{tag}"] = first / plain
    results[f"record_with_chain_rule_overhead_{tag}"] = whole / plain
    results[f"record_floor_interpreter_{tag}"] = medians["interpreted"] / plain
    results[f"record_floor_hooks_{tag}"] = medians["hooked"] / plain
    results[f"record_floor_contents_{tag}"] = medians["contents"] / plain


def bench_training(results: dict[str, float]) -> None:
    """A training loop of 2,000 backward() calls, recorded as the worker records it for the
    window (`record_overhead_train_2k`), against plain Python running it, taking turns."""
    import gc

    from core.engine.evaluate import run_program
    from core.process.server import quiet_collector

    run_program(TRAIN_2K)
    threshold = gc.get_threshold()
    quiet_collector()
    try:
        medians = interleaved_medians({
            "ours": lambda: run_program(TRAIN_2K, chain_rule=False),
            "plain": plain_forward_backward(TRAIN_2K),
        }, 5)  # fmt: skip
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    results["record_train_2k_ms"] = 1000 * medians["ours"]
    results["plain_train_2k_ms"] = 1000 * medians["plain"]
    results["record_overhead_train_2k"] = medians["ours"] / medians["plain"]


def interpreted(source: str, hooked: bool) -> Callable[[], object]:
    """What our record costs before it records anything (`record_floor_*`): the program
    run by our interpreter (the language's allowlist) with a plain backward(), and
    `hooked`, with one hook per autograd node that does nothing, put on and taken off as
    the recorder does (which also puts a pre-hook on each leaf's AccumulateGrad: a few
    nodes more). The interpreter is ours, so the first floor is our cost, not PyTorch's."""
    from core.engine.interpreter import Interpreter

    backward = hooked_backward(_no_op if hooked else None)

    def run() -> tuple[Any, dict[str, Any]]:
        interp = Interpreter(source, backward)  # its tracker holds every tensor made:
        return interp, interp.run()  # let go after the clock stops, as ours is

    return run


def _no_op(fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
    """A node's post-hook that notes nothing (see `interpreted`)."""


def hooked_backward(hook: Callable[..., None] | None,
                    ran: list | None = None) -> Callable[..., None]:  # fmt: skip
    """The floors' backward() for our interpreter: PyTorch's own, with `hook(node,
    grad_inputs, grad_outputs)` on every autograd node as the recorder puts its post-hooks
    on (and takes them off after; not its pre-hook on each AccumulateGrad), or none if
    `hook` is None. Each tensor it ran from is appended to `ran`, if given (a list made
    for one run: it keeps the graphs alive)."""
    from functools import partial

    from core.engine.recorder import walk

    def backward(tensor: Any, args: tuple, kwargs: dict) -> None:
        handles = []
        if hook is not None and tensor.grad_fn is not None:
            handles = [fn.register_hook(partial(hook, fn)) for fn in walk(tensor.grad_fn)]
        try:
            tensor.backward(*args, **kwargs)
        finally:
            for handle in handles:
                handle.remove()
        if ran is not None:
            ran.append(tensor)

    return backward


def contents_floor(source: str) -> Callable[[], object]:
    """The least any recorder built like ours (Python hooks, Python record objects) does
    to give the record's contents for a program whose one backward() ends it (`record_
    floor_contents_*`): the program run by our interpreter; a hook per autograd node
    noting the gradients it received and sent; then their values, each gradient read
    once; a Node per autograd node and tensor (value, shape, dtype, name, role, grad), an
    Edge per edge (one pass over the graph, as ours makes) and a BackwardStep per node run
    (with the leaf's new .grad where it is one). Nothing of what ours does besides: no sums
    over several backward() calls, no saved tensors kept for the chain rule, no views,
    constants or retain_grad() calls. Its result (let go after the clock stops, as ours
    is): the interpreter, the variables, the Nodes, the Edges and the BackwardSteps."""
    from functools import partial

    from core.engine.interpreter import Interpreter
    from core.engine.recorder import leaf_of
    from core.engine.values import dtype_name, to_value
    from core.record.graph import BackwardStep, Edge, Node

    def run() -> tuple[Any, dict[str, Any], list[Node], list[Edge], list[BackwardStep]]:
        noted: list[tuple[Any, tuple, tuple]] = []  # (node, grads sent, grads received)
        outputs: list[Any] = []
        interp = Interpreter(source, hooked_backward(partial(_noted, noted), outputs))
        variables = interp.run()
        values: dict[int, Any] = {}  # id(gradient) -> its value (one sent on arrives as is)

        def read(grads: tuple) -> tuple:
            out = []
            for g in grads:
                if g is not None and id(g) not in values:
                    values[id(g)] = to_value(g)[0]
                out.append(None if g is None else values[id(g)])
            return tuple(out)

        ran, received = [], {}  # received: node -> (the value that reached it, its shape)
        for fn, sent, got in noted:
            sent_values, got_values = read(sent), read(got)
            ran.append((fn, sent_values, got_values))
            if got and got[0] is not None:
                received[fn] = (got_values[0], tuple(got[0].shape))
        made, tensors = interp.tracker.fns.get, interp.tracker.tensors.get
        output = outputs[-1]
        grad, _ = received.get(output.grad_fn, (None, None))
        nodes = [_tensor_node("n0", output, tensors(id(output)), "output", grad)]
        edges = [Edge("n1", "n0")]
        ids, leaf_grads = {output.grad_fn: "n1"}, {}
        stack = [output.grad_fn]
        while stack:
            fn = stack.pop()
            node_id, m, leaf = ids[fn], made(fn), leaf_of(fn)
            grad, shape = received.get(fn, (None, None)) if leaf is None else (None, None)
            if m is not None:
                t = m.tensor
                value, truncated = to_value(t)
                nodes.append(Node(node_id, "op", m.name, type(fn).__name__, tuple(t.shape),
                                  dtype_name(t), True, False, value, grad, m.span,
                                  truncated=truncated, retains_grad=t.retains_grad))  # fmt: skip
            else:
                nodes.append(Node(node_id, "op", None, type(fn).__name__, shape, grad=grad))
            if leaf is not None:
                leaf_id, leaf_grads[fn] = f"{node_id}_leaf", to_value(leaf.grad)[0]
                nodes.append(_tensor_node(leaf_id, leaf, tensors(id(leaf)), "leaf",
                                          leaf_grads[fn]))  # fmt: skip
                edges.append(Edge(leaf_id, node_id))
            for child, _ in fn.next_functions:
                if child is not None:
                    child_id = ids.get(child)
                    if child_id is None:
                        child_id = ids[child] = f"n{len(ids) + 1}"
                        stack.append(child)
                    edges.append(Edge(child_id, node_id))
        steps = [BackwardStep(0, ids[fn], got, sent, leaf_grads.get(fn)) for fn, sent, got in ran]
        return interp, variables, nodes, edges, steps

    return run


def _noted(noted: list, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
    """`contents_floor`'s post-hook: the node and its gradients, as they are."""
    noted.append((fn, grad_inputs, grad_outputs))


def _tensor_node(node_id: str, t: Any, made: Any, role: str, grad: Any) -> Any:
    """`contents_floor`'s box of a tensor (`role`: "leaf" or "output")."""
    from core.engine.values import dtype_name, to_value
    from core.record.graph import Node

    value, truncated = to_value(t)
    return Node(node_id, "tensor", made.name if made else None, None, tuple(t.shape),
                dtype_name(t), t.requires_grad, t.is_leaf, value, grad,
                made.span if made else None, truncated=truncated, role=role,
                retains_grad=t.retains_grad if t.requires_grad else False)  # fmt: skip


def bench_layout(results: dict[str, float], source: str, tag: str, repeat: int) -> None:
    """Our layout (DOT text + dot + reading it back) against plain `dot -Tjson` on the same
    graph, and against torchviz's make_dot + the same."""
    from torchviz import make_dot

    from core.engine.evaluate import run_program
    from core.record.dot import to_dot
    from core.record.layout import layout

    ev = run_program(source.replace("loss.backward()\n", ""))
    record = ev.record
    sys.setrecursionlimit(100_000)  # make_dot recurses once per node
    ours = median_time(lambda: layout(record, show_values=True), repeat)
    text = to_dot(record, show_values=True)
    same = median_time(lambda: dot_json(text), repeat)
    plain = median_time(lambda: dot_json(plain_dot(text)), max(1, repeat // 3))
    theirs = median_time(lambda: dot_json(make_dot(ev.output).source), max(1, repeat // 3))
    results[f"layout_{tag}_ms"] = 1000 * ours
    results[f"dot_json_{tag}_ms"] = 1000 * plain
    results[f"dot_json_tuned_{tag}_ms"] = 1000 * same
    results[f"make_dot_and_dot_json_{tag}_ms"] = 1000 * theirs
    results[f"layout_{tag}_vs_dot"] = ours / plain
    results[f"layout_{tag}_vs_dot_same_text"] = ours / same
    results[f"layout_{tag}_vs_make_dot_and_dot"] = ours / theirs


PY = sys.executable


def run_process(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT, timeout=600)
    return time.perf_counter() - start


def torch_import_s(repeat: int = 3) -> float:
    return statistics.median(run_process([PY, "-c", "import torch"]) for _ in range(repeat))


def window_startup_s(until: Callable[[dict], bool]) -> float:
    """Launch `main.py` (offscreen) and wait until its state file satisfies `until`."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AUTOGRAD_LENS_STATE_FILE=str(state))
        start = time.perf_counter()
        proc = subprocess.Popen([PY, "main.py"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - start < 60:
                if state.exists() and until(json.loads(state.read_text() or "{}")):
                    return time.perf_counter() - start
                time.sleep(0.005)
            raise TimeoutError("the window did not get there in 60 s")
        finally:
            proc.terminate()
            proc.wait(10)


def bench_startup(results: dict[str, float]) -> None:
    baseline = torch_import_s()
    shown = statistics.median(window_startup_s(lambda s: s.get("shown")) for _ in range(3))
    drawn = statistics.median(window_startup_s(lambda s: s.get("nodes", 0) > 0)
                              for _ in range(3))  # fmt: skip
    results["torch_import_ms"] = 1000 * baseline
    results["startup_window_vs_torch_import"] = shown / baseline
    results["startup_graph_vs_torch_import"] = drawn / baseline


TORCHVIZ_PNG = """
import sys, torch
from torchviz import make_dot
sys.setrecursionlimit(100000)
ns = {"torch": torch}
exec(open(sys.argv[1]).read(), ns)
make_dot(ns[sys.argv[2]]).render(sys.argv[3], format="png", cleanup=True)
"""


def bench_png_export(results: dict[str, float], source: str, output: str, tag: str,
                     repeat: int) -> None:  # fmt: skip
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        program = Path(tmp) / "program.py"
        program.write_text(source)
        ours_runs, their_runs = [], []
        for _ in range(repeat):  # interleaved: a busy spell on the machine hits both
            ours_runs.append(run_process([PY, "main.py", "--export", f"{tmp}/ours.png",
                                          str(program)]))  # fmt: skip
            their_runs.append(run_process([PY, "-c", TORCHVIZ_PNG, str(program), output,
                                           f"{tmp}/theirs"]))  # fmt: skip
        ours, theirs = statistics.median(ours_runs), statistics.median(their_runs)
    results[f"export_png_{tag}_ms"] = 1000 * ours
    results[f"torchviz_png_{tag}_ms"] = 1000 * theirs
    results[f"export_png_{tag}_vs_torchviz"] = ours / theirs


def main() -> None:
    results: dict[str, float] = {}
    bench_worker(results)
    bench_record(results, chain(1000), "1k")
    bench_record(results, MODEL_1K, "model_1k")
    bench_training(results)
    bench_layout(results, MODEL_1K, "1k", 5)
    bench_layout(results, chain(1000), "chain_1k", 5)
    bench_layout(results, chain(10_000), "10k", 1)
    bench_startup(results)
    bench_png_export(results, LESSON, "o", "lesson", 5)
    bench_png_export(results, MODEL_1K, "loss", "1k", 1)
    bench_png_export(results, chain(1000), "loss", "chain_1k", 3)
    bench_gui_figures(results)
    for name, value in results.items():
        print(f"{name}: {value:.3f}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1))


def bench_gui_figures(results: dict[str, float]) -> None:
    """The window's figures (bench/gui.py): edit_to_paint_ms, step_repaint_ms_1k,
    ui_max_stall_ms_10k, gui_rss_mb_1k and their parts, from the real window offscreen."""
    from bench.gui import bench_gui

    bench_gui(results)


if __name__ == "__main__":
    main()
