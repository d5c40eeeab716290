"""Benchmarks (not tests): medians, and ratios against a baseline measured in this run.

Prints `name: value` lines and writes the same to bench/results.json. The machines are
shared and noisy, so each figure that has a natural baseline is a ratio against it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LESSON = (ROOT / "resources" / "examples" / "lesson.py").read_text()


def chain(ops: int) -> str:
    """A program whose graph has about `ops` autograd nodes (sin and mul, alternating)."""
    return (
        "x = torch.linspace(0, 1, 4, requires_grad=True)\ny = x\n"
        f"for i in range({ops // 2}):\n    y = torch.sin(y) * 1.01\n"
        "loss = y.sum()\nloss.backward()\n"
    )


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_forward_backward(source: str) -> Callable[[], object]:
    import torch

    code = compile(source, "<bench>", "exec")

    def run() -> None:
        torch.manual_seed(0)
        exec(code, {"torch": torch})  # noqa: S102 — the baseline: plain Python, our own program

    return run


def dot_json(dot_source: str) -> None:
    subprocess.run(["dot", "-Tjson"], input=dot_source, text=True, capture_output=True,
                   check=True)  # fmt: skip


def bench_worker(results: dict[str, float]) -> None:
    from core.worker import Worker

    with Worker(timeout=120) as worker:
        worker.evaluate(LESSON)
        results["lesson_text_to_layout_ms"] = 1000 * median_time(
            lambda: worker.evaluate(LESSON, show_values=True), 15
        )


def bench_record(results: dict[str, float], ops: int, tag: str) -> None:
    from core.session import run_program

    source = chain(ops)
    run_program(source)
    ours = median_time(lambda: run_program(source), 5)
    plain = median_time(plain_forward_backward(source), 5)
    results[f"record_{tag}_ms"] = 1000 * ours
    results[f"plain_forward_backward_{tag}_ms"] = 1000 * plain
    results[f"record_overhead_{tag}"] = ours / plain


def bench_layout(results: dict[str, float], ops: int, tag: str, repeat: int) -> None:
    from torchviz import make_dot

    from core.dot import to_dot
    from core.layout import layout
    from core.session import run_program

    ev = run_program(chain(ops).replace("loss.backward()\n", ""))
    record = ev.record
    sys.setrecursionlimit(100_000)  # make_dot recurses once per node
    ours = median_time(lambda: layout(record, show_values=True), repeat)
    same_text = to_dot(record, show_values=True)
    plain = median_time(lambda: dot_json(same_text), repeat)
    theirs = median_time(lambda: dot_json(make_dot(ev.output).source), repeat)
    results[f"layout_{tag}_ms"] = 1000 * ours
    results[f"dot_json_same_graph_{tag}_ms"] = 1000 * plain
    results[f"make_dot_and_dot_json_{tag}_ms"] = 1000 * theirs
    results[f"layout_{tag}_vs_dot"] = ours / plain
    results[f"layout_{tag}_vs_make_dot_and_dot"] = ours / theirs


def main() -> None:
    results: dict[str, float] = {}
    bench_worker(results)
    bench_record(results, 1000, "1k")
    bench_layout(results, 1000, "1k", 5)
    for name, value in results.items():
        print(f"{name}: {value:.3f}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
