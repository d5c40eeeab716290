"""Recording backward() without a Python hook per autograd node: the prototypes measured for
issue 16 (bench/HISTORY.md, 2026-12-05). Not used by the app.

    python -m bench.no_hooks [rounds]   # record_overhead_1k / _train_2k of each prototype
    python -m bench.no_hooks order      # (b): the engine's order computed vs observed
    python -m bench.no_hooks parts      # where the recorder's backward() time goes

Each prototype makes the recorder's own RawSteps (tests/test_bench_no_hooks.py checks that
the records match the real recorder's), for what the bench programs need: a backward()
without arguments from one tensor; anything else goes to the real recorder's hooks.

- `GradPass` (a): the gradients every node received from ONE C++ pass,
  `torch.autograd.grad(out, [GradientEdge(node, slot) for every node and slot])`; what a
  node sent on an edge is what arrived at the slot the edge leads to (so it declines graphs
  where a slot has several senders: those would need their senders hooked). With
  `replace=False` the program's backward() then runs as written (the pass keeps the graph
  for it); with `replace=True` the pass *is* the backward and the leaves' `.grad` are added
  to in Python: faster, but not PyTorch's backward() (no gradient stealing or layout
  contract, no leaf hooks, no partial `.grad` on an error): a figure, not a candidate.
- `HalfHooks` (c): post-hooks on a subset of nodes; a node outside it has one sender per
  slot, hooked, and sends only to hooked nodes' slots with no other sender, so its
  gradients are its neighbours'. About half the hooks on a chain.
- `NoKeep`: today's hooks, keeping nothing for a later chain rule (explain() would run the
  program again): what keeping the saved tensors costs.
- `engine_order` (b): the order PyTorch's CPU engine runs the nodes of a backward(), from
  the graph alone (dependencies counted; a ready queue that is libstdc++'s priority_queue
  on sequence_nr, AccumulateGrad's being the largest), used by the first two.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import torch
from torch.autograd.graph import GradientEdge

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.engine import chain_rule  # noqa: E402
from core.engine import evaluate as _evaluate  # noqa: E402
from core.engine.recorder import (  # noqa: E402
    BackwardRecorder,
    Kept,
    RawStep,
    _held,
    leaf_of,
    saved_attributes,
    walk,
)
from core.engine.values import value_of  # noqa: E402

# --- (b) the engine's order -----------------------------------------------------------


def _push(heap: list, item: tuple) -> None:
    """std::priority_queue::push (libstdc++'s push_heap), largest item[0] on top."""
    heap.append(item)
    hole = len(heap) - 1
    parent = (hole - 1) // 2
    while hole > 0 and heap[parent][0] < item[0]:
        heap[hole] = heap[parent]
        hole = parent
        parent = (hole - 1) // 2
    heap[hole] = item


def _pop(heap: list) -> tuple:
    """std::priority_queue::top, then pop (libstdc++'s pop_heap / __adjust_heap)."""
    top, last = heap[0], heap.pop()
    n = len(heap)
    if not n:
        return top
    hole = second = 0
    while second < (n - 1) // 2:
        second = 2 * (second + 1)
        if heap[second][0] < heap[second - 1][0]:
            second -= 1
        heap[hole] = heap[second]
        hole = second
    if not n & 1 and second == (n - 2) // 2:
        second = 2 * (second + 1)
        heap[hole] = heap[second - 1]
        hole = second - 1
    parent = (hole - 1) // 2
    while hole > 0 and heap[parent][0] < last[0]:
        heap[hole] = heap[parent]
        hole = parent
        parent = (hole - 1) // 2
    heap[hole] = last
    return top


def engine_order(root: Any, fns: list[Any]) -> list[Any]:
    """The nodes `fns` (all those reachable from root) in the order PyTorch's CPU engine
    runs them for a backward() from root without `inputs=`: a node is ready once every
    edge into it has delivered; of the ready ones, the largest sequence_nr runs first."""
    deps: dict[Any, int] = dict.fromkeys(fns, 0)
    for fn in fns:
        for child, _ in fn.next_functions:
            if child is not None:
                deps[child] += 1
    heap: list[tuple[int, Any]] = [(root._sequence_nr(), root)]
    order = []
    while heap:
        fn = _pop(heap)[1]
        order.append(fn)
        for child, _ in fn.next_functions:
            if child is not None:
                deps[child] -= 1
                if not deps[child]:
                    _push(heap, (child._sequence_nr(), child))
    return order


# --- the prototypes ---------------------------------------------------------------------


def _plain_backward(tensors: list[torch.Tensor], run: Any) -> bool:
    """Whether `run` is tensor.backward() without arguments, from one tensor with a graph."""
    return (
        len(tensors) == 1 and isinstance(run, partial) and not run.args and not run.keywords
        and getattr(run.func, "__name__", "") == "backward" and tensors[0].grad_fn is not None
    )  # fmt: skip


class _Prototype(BackwardRecorder):
    """The recorder, with `_record` instead of hooks where it applies (the first record:
    explain_now=False, keep_saved=False, as `record_overhead_*` measures)."""

    def _hooked(self, tensors: list[torch.Tensor], run: Any) -> Any:
        if self.keep_saved or self.explain_now or not _plain_backward(tensors, run):
            return super()._hooked(tensors, run)
        root = tensors[0].grad_fn
        return self._record(tensors, run, root, list(walk(root)))

    def _record(self, tensors: list[torch.Tensor], run: Any, root: Any, fns: list) -> Any:
        raise NotImplementedError

    def _post(self, fn: Any, sent: tuple, got: tuple, saved: list) -> None:
        """What `_ran` does with a node's gradients, its saved attributes read already."""
        size = sum(g.numel() for g in got if g is not None)
        kept = self._keep(size, got, saved)
        explained = chain_rule.explain(fn, got, saved) if kept is None else None
        self._pending.append((len(self.steps), fn, sent, got, kept, explained))
        self.steps.append(None)  # type: ignore[arg-type]
        self._held += size

    def _finish_run(self) -> None:
        self._settle()
        self.runs += 1
        self._running.clear()


class GradPass(_Prototype):
    """(a): one autograd.grad pass over every node's slots; see the module's docstring."""

    replace = False

    def _record(self, tensors: list[torch.Tensor], run: Any, root: Any, fns: list) -> Any:
        senders: set[tuple[Any, int]] = set()
        for fn in fns:
            for edge in fn.next_functions:
                if edge[0] is not None:
                    if edge in senders:  # a slot with several senders: not prototyped
                        return BackwardRecorder._hooked(self, tensors, run)
                    senders.add(edge)
        self._note_run(tensors)
        saved, before = {}, {}
        for fn in fns:  # what the hooks read while a node runs
            if leaf_of(fn) is None:
                saved[fn] = saved_attributes(fn)
            else:
                before[fn] = fn.variable.grad
        slots = [len(fn._input_metadata) for fn in fns]
        edges = [GradientEdge(fn, i) for fn, n in zip(fns, slots, strict=True) for i in range(n)]
        grads = torch.autograd.grad(tensors[0], edges, retain_graph=not self.replace,
                                    allow_unused=True)  # fmt: skip
        got, i = {}, 0
        for fn, n in zip(fns, slots, strict=True):
            got[fn], i = grads[i : i + n], i + n
        droppable = self._droppable is not None
        accumulate = {}  # AccumulateGrad's step, made while .grad is still the one before
        for fn, grad in before.items():
            g = got[fn]
            if droppable:
                held = _held(g)
                kept = [("before", None if grad is None else grad.detach().clone())]
                accumulate[fn] = RawStep(self.runs, fn, held, kept=Kept(held, kept))
            else:
                values = tuple([value_of(x) for x in g])
                explained = chain_rule.explain(fn, g, [], values)
                accumulate[fn] = RawStep(self.runs, fn, values, explained=explained)
        try:
            if not self.replace:
                return run()
            with torch.no_grad():  # (not PyTorch's AccumulateGrad: see the docstring)
                for fn in before:
                    g, leaf = got[fn][0], fn.variable
                    if g is not None:
                        if leaf.grad is None:
                            leaf.grad = g.detach().clone()
                        else:
                            leaf.grad += g
            return None
        finally:
            for fn in engine_order(root, fns):
                step = accumulate.get(fn)
                if step is None:
                    sent = tuple([None if c is None else got[c][nr] for c, nr in fn.next_functions])
                    self._post(fn, sent, got[fn], saved[fn])
                    continue
                self._settle()
                self.steps.append(step)
                grad = fn.variable.grad
                if droppable:
                    step.leaf_grad = None if grad is None else grad.clone()
                else:
                    step.leaf_grad = value_of(grad)
            self._finish_run()


class GradPassReplacing(GradPass):
    replace = True


class HalfHooks(_Prototype):
    """(c): post-hooks on a subset of nodes; see the module's docstring."""

    def _record(self, tensors: list[torch.Tensor], run: Any, root: Any, fns: list) -> Any:
        senders: dict[tuple[Any, int], list[Any]] = {}
        for fn in fns:
            for child, nr in fn.next_functions:
                if child is not None:
                    senders.setdefault((child, nr), []).append(fn)
        order = engine_order(root, fns)
        hooked, forced = set(), set()
        for fn in order:
            free = fn is not root and fn not in forced and leaf_of(fn) is None
            free = free and all(
                len(s := senders.get((fn, nr), ())) == 1 and s[0] in hooked
                for nr in range(len(fn._input_metadata))
            )
            free = free and all(
                child is None or (len(senders[(child, nr)]) == 1 and leaf_of(child) is None)
                for child, nr in fn.next_functions
            )
            if free:
                forced.update(c for c, _ in fn.next_functions if c is not None)
            else:
                hooked.add(fn)
        self._note_run(tensors)
        noted: dict[Any, tuple] = {}
        saved = {fn: saved_attributes(fn) for fn in fns if fn not in hooked}
        handles = []
        for fn in hooked:
            leaf = leaf_of(fn)
            if leaf is not None:  # AccumulateGrad: the recorder's own two hooks
                handles.append(fn.register_prehook(partial(self._started, fn)))
                handles.append(fn.register_hook(partial(self._accumulated, fn, leaf)))
            else:
                handles.append(fn.register_hook(partial(_noted, noted, fn)))
        try:
            return run()
        finally:
            for handle in handles:
                handle.remove()
            made = [s for s in self.steps if s is not None and s.run == self.runs]
            del self.steps[len(self.steps) - len(made) :]  # AccumulateGrad's, put back in order
            accumulate = {s.fn: s for s in made}
            for fn in order:
                if fn in accumulate:
                    self._settle()
                    self.steps.append(accumulate[fn])
                elif fn in noted:
                    got, sent, fn_saved = noted[fn]
                    self._post(fn, sent, got, fn_saved)
                else:
                    got_list = []
                    for nr in range(len(fn._input_metadata)):
                        parent = senders[(fn, nr)][0]
                        edge = parent.next_functions.index((fn, nr))
                        got_list.append(noted[parent][1][edge])
                    sent = tuple([None if c is None else noted[c][0][nr]
                                  for c, nr in fn.next_functions])  # fmt: skip
                    self._post(fn, sent, tuple(got_list), saved[fn])
            self._finish_run()


def _noted(noted: dict, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
    noted[fn] = (grad_outputs, grad_inputs, saved_attributes(fn))


class NoKeep(BackwardRecorder):
    """Today's hooks, keeping nothing for a later chain rule (see the module's docstring)."""

    def _ran(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        size = sum(g.numel() for g in grad_outputs if g is not None)
        self._pending.append((len(self.steps), fn, grad_inputs, grad_outputs, None, None))
        self.steps.append(None)  # type: ignore[arg-type]
        self._held += size


PROTOTYPES: dict[str, type[BackwardRecorder]] = {
    "hooks": BackwardRecorder,  # today's recorder
    "a_grad_pass_then_backward": GradPass,
    "a_grad_pass_instead_of_backward": GradPassReplacing,
    "c_half_the_hooks": HalfHooks,
    "no_keep_for_chain_rule": NoKeep,
}


@contextlib.contextmanager
def recording_with(cls: type[BackwardRecorder]) -> Iterator[None]:
    """run_program with `cls` as its recorder."""
    _evaluate.BackwardRecorder = cls  # type: ignore[misc]
    try:
        yield
    finally:
        _evaluate.BackwardRecorder = BackwardRecorder  # type: ignore[misc]


def recorded(source: str, cls: type[BackwardRecorder]) -> Callable[[], object]:
    def run() -> object:
        with recording_with(cls):
            return _evaluate.run_program(source, chain_rule=False)

    return run


def measure(source: str, rounds: int) -> dict[str, tuple[float, float]]:
    """Each prototype's run / plain Python's (wall clock, and this thread's CPU time: the
    machine is shared), taking turns round by round, the collector set as the worker sets
    it; medians."""
    import gc

    from bench.__main__ import plain_forward_backward
    from core.process.server import quiet_collector

    fns = {"plain": plain_forward_backward(source)}
    fns |= {name: recorded(source, cls) for name, cls in PROTOTYPES.items()}
    for fn in fns.values():
        fn()
    threshold = gc.get_threshold()
    quiet_collector()
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    try:
        for _ in range(rounds):
            for name, fn in fns.items():
                w, c = time.perf_counter(), time.thread_time()
                result = fn()
                cpu[name].append(time.thread_time() - c)
                wall[name].append(time.perf_counter() - w)
                del result
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    w0, c0 = statistics.median(wall["plain"]), statistics.median(cpu["plain"])
    return {name: (statistics.median(wall[name]) / w0, statistics.median(cpu[name]) / c0)
            for name in PROTOTYPES} | {"plain_ms": (1000 * w0, 1000 * c0)}  # fmt: skip


def order_check(paths: list[Path]) -> tuple[int, int, int]:
    """(b) on programs: (backward() runs whose order engine_order gave, runs it didn't,
    runs not checked: autograd.grad, backward(inputs=...))."""
    same = differ = skipped = 0

    class Checked(BackwardRecorder):
        def _hooked(self, tensors: list[torch.Tensor], run: Any) -> Any:
            nonlocal same, differ, skipped
            kwargs = getattr(run, "keywords", None) or {}
            if (
                "inputs" in kwargs
                or len(tensors) != 1
                or tensors[0].grad_fn is None
                or (getattr(getattr(run, "func", None), "__name__", "") != "backward")
            ):
                skipped += 1
                return super()._hooked(tensors, run)
            root = tensors[0].grad_fn
            expected = engine_order(root, list(walk(root)))
            try:
                return super()._hooked(tensors, run)
            finally:
                seen = [s.fn for s in self.steps if s is not None and s.run == self.runs - 1]
                same, differ = same + (seen == expected), differ + (seen != expected)

    for path in paths:
        with recording_with(Checked), contextlib.suppress(Exception):  # (refused ones)
            _evaluate.run_program(path.read_text(), trusted="trust" in str(path),
                                  chain_rule=False)  # fmt: skip
    return same, differ, skipped


class _Parts(BackwardRecorder):
    """The recorder doing only part of its work in its hooks (`parts`); `upto`: how much."""

    upto = ""

    def _ran(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        if self.upto in ("settle", "all"):
            return super()._ran(fn, grad_inputs, grad_outputs)
        if self.upto == "hooks":
            return
        saved = saved_attributes(fn) if self.upto in ("saved", "keep") else []
        kept = None
        if self.upto == "keep":
            size = sum(g.numel() for g in grad_outputs if g is not None)
            kept = self._keep(size, grad_outputs, saved)
        self._pending.append((len(self.steps), fn, grad_inputs, grad_outputs, kept, saved))
        self.steps.append(None)  # type: ignore[arg-type]

    def _settle(self) -> None:
        if self.upto != "all":
            self._pending = []
            return
        super()._settle()

    def _started(self, fn: Any, grad_outputs: tuple) -> None:
        if self.upto in ("all", "settle"):
            super()._started(fn, grad_outputs)

    def _accumulated(self, fn: Any, leaf: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        if self.upto in ("all", "settle"):
            super()._accumulated(fn, leaf, grad_inputs, grad_outputs)


def parts(rounds: int = 60) -> dict[str, float]:
    """ms of this thread's CPU time the recorder (explain_now=False, as for the first record)
    adds to a plain backward() of a 1,001-node chain made without our interpreter, as its
    hooks do more and more: "hooks" (hooks that do nothing, put on and taken off), "note"
    (they note the gradients), "saved" (and read the saved attributes), "keep" (and keep
    them for the chain rule), "settle" (everything but reading the values), "all"."""
    import gc

    from core.engine.values import start_record

    def graph() -> torch.Tensor:
        y = x = torch.linspace(0, 1, 4, requires_grad=True)
        for _ in range(500):
            y = torch.sin(y) * 1.01
        del x
        return y.sum()

    def timed(upto: str | None) -> float:
        out = graph()
        start_record()
        recorder = type("Part", (_Parts,), {"upto": upto})(explain_now=False)
        start = time.thread_time()
        if upto is None:
            out.backward()
        else:
            recorder.backward(out, (), {})
        return time.thread_time() - start

    names = [None, "hooks", "note", "saved", "keep", "settle", "all"]
    times: dict[str | None, list[float]] = {name: [] for name in names}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            for name in names:
                times[name].append(timed(name))
            gc.collect()
    finally:
        if enabled:
            gc.enable()
    plain = statistics.median(times[None])
    return {"plain_backward": 1000 * plain} | {
        str(name): 1000 * (statistics.median(times[name]) - plain) for name in names[1:]
    }


def main() -> None:
    if sys.argv[1:] == ["parts"]:
        print(", ".join(f"{k} {v:.2f} ms" for k, v in parts().items()))
        return
    if sys.argv[1:] == ["order"]:
        import os
        import tempfile

        paths = sorted((ROOT / "tests" / "programs").rglob("*.py"))
        with tempfile.TemporaryDirectory() as tmp:  # (the trusted ones write files)
            here = os.getcwd()
            os.chdir(tmp)
            try:
                same, differ, skipped = order_check(paths)
            finally:
                os.chdir(here)
        print(f"{len(paths)} programs: engine_order = the order observed in {same} backward() "
              f"runs, not in {differ}; {skipped} not checked")  # fmt: skip
        return
    from bench.programs import TRAIN_2K, chain

    rounds = int(sys.argv[1]) if sys.argv[1:] else 15
    for tag, source, n in (("1k", chain(1000), rounds), ("train_2k", TRAIN_2K, 5)):
        figures = measure(source, n)
        plain = figures.pop("plain_ms")
        print(f"record_overhead_{tag} ({n} rounds; plain {plain[0]:.1f} ms wall, "
              f"{plain[1]:.1f} ms CPU): " + ", ".join(
                  f"{name} {w:.2f} ({c:.2f} CPU)" for name, (w, c) in figures.items()))  # fmt: skip


if __name__ == "__main__":
    main()
