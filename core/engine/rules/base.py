"""The chain-rule table's frame: rules, and what a rule sees (`Ctx`) and returns (`Local`).

For each autograd op, a rule gives its local derivative in readable math and a way to
compute, from the op's saved values, what it sends back to each input.

Each rule is evaluated independently of autograd (its own torch arithmetic on the saved
inputs and outputs) during backward, just before the node runs; tests check the numbers
against the gradients autograd then computes. A rule returns `Local`: the formula, and per
input (aligned with `next_functions`) a `Part`, or None where no gradient goes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor


@dataclass
class Part:
    """One input's share: `template` shows how the outgoing gradient is made from {g}
    (the incoming gradient) and the named factors in `show` (placeholder -> symbol, value)."""

    symbol: str
    template: str
    out: Tensor
    show: dict[str, tuple[str, Any]] = field(default_factory=dict)
    local: Any = None  # the local derivative's value, when it is one tensor or number
    summed: bool = False  # incoming × local was summed over broadcast dimensions


@dataclass
class Local:
    formula: str
    parts: list[Part | None]


@dataclass
class Ctx:
    """What a rule sees: the node, its saved attributes and the gradients it received."""

    fn: Any
    saved: dict[str, Any]
    grads: tuple[Tensor | None, ...]
    nexts: tuple = field(init=False, repr=False)  # fn.next_functions, read once

    def __post_init__(self) -> None:
        self.nexts = self.fn.next_functions

    @property
    def g(self) -> Tensor:
        grad = self.grads[0]
        if grad is None:
            raise LookupError("no incoming gradient")
        return grad

    def __getitem__(self, name: str) -> Any:
        return self.saved[name]

    def needs(self, i: int) -> bool:
        """Whether input i receives a gradient (it has a node behind it)."""
        nexts = self.nexts
        return i < len(nexts) and nexts[i][0] is not None

    def meta(self, i: int) -> Any:
        child, nr = self.nexts[i]
        return child._input_metadata[nr]

    def fit(self, i: int, t: Tensor) -> Tensor:
        """Sum a gradient over broadcast dimensions to input i's shape, in its dtype."""
        meta = self.meta(i)
        shape = tuple(meta.shape)
        if t.shape != shape:  # torch.Size is a tuple
            t = t.sum_to_size(shape) if t.dim() >= len(shape) else t.expand(shape)
        return t if t.dtype == meta.dtype else t.to(meta.dtype)


R = "result"  # the saved output, as most rules read it: c[R]
Rule = Callable[[Ctx], Local]
RULES: dict[str, Rule] = {}


def rule(*names: str) -> Callable[[Rule], Rule]:
    def register(f: Rule) -> Rule:
        for name in names:
            RULES[name] = f
        return f

    return register


def times(symbol: str, ctx: Ctx, i: int, local: Any, shown: str) -> Part | None:
    """The elementwise case: outgoing = incoming × local (summed to the input's shape)."""
    if not ctx.needs(i):
        return None
    full = ctx.g * local
    out = ctx.fit(i, full)
    show = {"L": (operand(shown), local)}
    return Part(symbol, "{g} × {L}", out, show, local, full.shape != out.shape)


@functools.lru_cache(maxsize=256)  # a handful of constant texts, asked for on every step
def operand(shown: str) -> str:
    return f"({shown})" if any(ch in shown for ch in " +−") and shown[0] not in "([" else shown


def unary(formula: str, shown: str, local: Callable[[Ctx], Any]) -> Rule:
    def apply(ctx: Ctx) -> Local:
        value = local(ctx)
        return Local(formula, [times("x", ctx, 0, value, shown)])

    return apply


def structural(formula: str, template: str, out: Callable[[Ctx], Tensor]) -> Rule:
    """Ops that only move numbers (reshape, transpose, select, …): no factor, a rearrangement."""

    def apply(ctx: Ctx) -> Local:
        names = saved_names(ctx)
        part = Part("x", template.format(g="{g}", **names), out(ctx)) if ctx.needs(0) else None
        return Local(formula.format(**names), [part])

    return apply


def saved_names(ctx: Ctx) -> dict[str, str]:
    return {k: short(v) for k, v in ctx.saved.items() if not isinstance(v, Tensor)}


def short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, tuple | list):
        return "(" + ", ".join(short(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return str(v)


def num(x: Any) -> float:
    return float(x.item()) if isinstance(x, Tensor) else float(x)


def dims_of(dim: Any, ndim: int) -> list[int]:
    if dim is None or (isinstance(dim, tuple | list) and len(dim) == 0):
        return list(range(ndim))
    dims = list(dim) if isinstance(dim, tuple | list) else [dim]
    return sorted(d % max(ndim, 1) for d in dims)


def keep_dims(t: Tensor, dims: list[int], keepdim: bool) -> Tensor:
    """A reduced tensor with its reduced dimensions back (size 1), for broadcasting."""
    if not keepdim:
        for d in dims:
            t = t.unsqueeze(d)
    return t
