"""Check by hand: ∂output/∂leaf by central finite differences, beside autograd's gradient.

The program is run again by the interpreter (never exec'd), in float64, up to its first
backward() call, with one element of one leaf nudged by ±h; the estimate is
(f(x + h) − f(x − h)) / 2h, where f is the tensor backward() ran from (or Σ gradient·tensor
when backward was given a gradient). Leaves are found in the re-run by the order the
program first showed them requiring grad (`Tracker.leaves`). The float64 run: every
floating tensor the program makes is widened to float64 as it is made (random numbers are
drawn as in the real run, then widened), so the re-run starts from the same numbers.

Bounded: the first CAP elements of each leaf, and no more re-runs than fit in BUDGET seconds
(measured as they run: a pair of re-runs starts only if, at the first run's pace, it ends
within the budget).
"""

from __future__ import annotations

import ast
import math
import time
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from core.engine.interpreter import Interpreter, Tracker
from core.engine.limits import Limits
from core.engine.policy import check
from core.engine.recorder import BackwardRecorder
from core.engine.values import value_of
from core.record import checks as why
from core.record.graph import HandCheck, LeafCheck, Value
from core.record.wording import Wording, said

CAP = 64  # elements checked per leaf
STEP = 1e-6  # h = STEP · max(1, |x|)
BUDGET = 2.0  # seconds of re-runs at most
NARROW = (torch.float16, torch.bfloat16, torch.float32)


class _Reached(BaseException):
    """The re-run reached backward(): f is known (BaseException: the interpreter's guard,
    which turns every Exception into the user's error, lets it through)."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value


class _Float64(TorchFunctionMode):
    """Every floating tensor a torch call returns is widened to float64 (a leaf stays a leaf)."""

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        return _widen(func(*args, **(kwargs or {})))


def _widen(x: Any) -> Any:
    if isinstance(x, torch.Tensor) and x.dtype in NARROW:
        if x.is_leaf:
            return x.detach().to(torch.float64).requires_grad_(x.requires_grad)
        return x.to(torch.float64)
    if type(x) is tuple or type(x) is list:
        return type(x)(_widen(i) for i in x)
    return x


class _Nudging(Tracker):
    """A tracker that nudges element `index` of leaf number `leaf` by `delta` when it appears."""

    def __init__(self, leaf: int | None = None, index: int = 0, delta: float = 0.0) -> None:
        super().__init__()
        self.target, self.index, self.delta = leaf, index, delta

    def new_leaf(self, tensor: torch.Tensor) -> None:
        if len(self.leaves) - 1 == self.target:
            with torch.no_grad():
                tensor[_position(self.index, tuple(tensor.shape))] += self.delta


def _position(index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A flat (row-major) index as one index per dimension."""
    out = []
    for size in reversed(shape):
        index, i = divmod(index, size)
        out.append(i)
    return tuple(reversed(out))


def _f(tensor: torch.Tensor, args: tuple, kwargs: dict) -> float:
    gradient = kwargs.get("gradient", args[0] if args else None)
    t = tensor.detach().double()
    if gradient is not None:
        t = t * torch.as_tensor(gradient).double()
    return float(t.sum())


def rerun(
    source: str, limits: Limits | None, leaf: int | None = None, index: int = 0,
    delta: float = 0.0, tree: ast.Module | None = None, trusted: bool = False,
) -> tuple[float, list[torch.Tensor]]:  # fmt: skip
    """f, and the leaves, of the program run in float64 to its first backward()."""

    reached: list[float] = []  # (kept here too: a program's __exit__ may swallow _Reached)

    def stop(tensor: torch.Tensor, args: tuple, kwargs: dict) -> None:
        if not reached:
            reached.append(_f(tensor, args, kwargs))
        raise _Reached(reached[0])

    interp = Interpreter(source, stop, limits, tree, trusted=trusted, quiet=True)
    interp.tracker = _Nudging(leaf, index, delta)
    try:
        with _Float64():
            interp.run()
    except _Reached:
        pass
    if reached:
        return reached[0], interp.tracker.leaves
    raise LookupError("the re-run did not reach backward()")


def hand_check(
    source: str, recorder: BackwardRecorder, tracker: Tracker, ids: dict[Any, str],
    limits: Limits | None = None, trusted: bool = False,
) -> HandCheck:  # fmt: skip
    """Finite differences for every leaf the first backward() reached."""
    first = [s for s in recorder.steps if s.run == 0]
    if not first:
        return _missing(None, None, said(why.NO_BACKWARD))
    root = first[0].fn
    made = tracker.fns.get(root)
    output, name = (
        ids.get(("tensor", id(made.tensor))) if made else None,
        made.name if made else None,
    )
    found = [(s, _index(tracker.leaves, getattr(s.fn, "variable", None))) for s in first]
    leaves = [(s, k) for s, k in found if k is not None]
    if not leaves:
        return _missing(output, name, said(why.NO_LEAF))
    start = time.perf_counter()
    tree = check(source, trusted)
    try:
        _, base = rerun(source, limits, tree=tree, trusted=trusted)
    except Exception as e:  # noqa: BLE001 — the check is an extra: say why it is missing
        return _missing(output, name, said(why.NOT_RERUN, reason=str(e)))
    base_seconds = time.perf_counter() - start
    problem = _mismatch(base, [tracker.leaves[k] for _, k in leaves], [k for _, k in leaves])
    if problem:
        return _missing(output, name, problem)
    checks, reruns, left = [], 1, 0
    for step, k in leaves:
        leaf = base[k]
        n = min(leaf.numel(), CAP)
        flat = leaf.detach().reshape(-1)
        estimates: list[Value] = []
        for j in range(n):
            if time.perf_counter() - start + 2 * base_seconds > BUDGET:
                left += n - j
                break
            h = STEP * max(1.0, abs(float(flat[j])))
            try:
                plus, _ = rerun(source, limits, k, j, h, tree, trusted)
                minus, _ = rerun(source, limits, k, j, -h, tree, trusted)
            except Exception as e:  # noqa: BLE001 — e.g. a nudge that makes the program fail
                return _missing(output, name, said(why.NUDGE_FAILED, reason=str(e)))
            reruns += 2
            estimates.append(_number((plus - minus) / (2 * h)))
        autograd = _flat(step.grad_outputs[0])[: len(estimates)]
        checks.append(
            LeafCheck(ids.get(("tensor", id(step.fn.variable)), ""),
                      tracker.tensors[id(step.fn.variable)].name, leaf.numel(),
                      tuple(estimates), tuple(autograd), _max_diff(estimates, autograd))
        )  # fmt: skip
    diffs = [c.max_difference for c in checks if c.estimate]
    note = said(why.LEFT_OUT, count=str(left)) if left else None
    return HandCheck(output, name, tuple(checks), max(diffs) if diffs else None, STEP, CAP,
                     reruns, time.perf_counter() - start, note.text if note else "",
                     note)  # fmt: skip


def _missing(output: str | None, name: str | None, note: Wording) -> HandCheck:
    """A check with nothing to show, saying why."""
    return HandCheck(output, name, note=note.text, note_wording=note)


def _index(leaves: list[torch.Tensor], leaf: torch.Tensor | None) -> int | None:
    if leaf is None:
        return None
    return next((i for i, t in enumerate(leaves) if t is leaf), None)


def _mismatch(base: list[torch.Tensor], originals: list[torch.Tensor],
              order: list[int]) -> Wording | None:  # fmt: skip
    """Why the re-run's leaves are not the real run's (None if they are)."""
    for k, original in zip(order, originals, strict=True):
        if k >= len(base) or tuple(base[k].shape) != tuple(original.shape):
            return said(why.NOT_THE_SAME)
        same = torch.allclose(base[k].detach(), original.detach().double(), rtol=1e-6, atol=1e-6)
        if not same:
            return said(why.DIFFERENT)
    return None


def _flat(value: Value) -> list[Value]:
    if isinstance(value, list):
        return [x for item in value for x in _flat(item)]
    return [value]


def _number(x: float) -> Value:
    return value_of(torch.tensor(x, dtype=torch.float64))


def _max_diff(estimates: list[Value], autograd: list[Value]) -> Value:
    worst = 0.0
    for a, b in zip(estimates, autograd, strict=False):
        if isinstance(a, str) or isinstance(b, str) or b is None:
            return "nan"
        worst = max(worst, abs(float(a) - float(b)))
    return worst if math.isfinite(worst) else "nan"
