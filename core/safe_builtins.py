"""The builtins and operators a program may use, each bounded by the size limits.

`make_builtins` gives one evaluation its table of builtins: `print` writes to the transcript,
`range` is capped at the loop limit, `list`, `tuple` and `sum` refuse to build sequences
past the sequence limit. The operator tables map syntax to the `operator` functions the
interpreter calls (after `core.limits.check_binop`).
"""

from __future__ import annotations

import ast
import builtins
import operator
import weakref
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

import torch

from core import allowlist as allow
from core.limits import Limits

if TYPE_CHECKING:
    from core.interpreter import Interpreter


def make_builtins(interp: Interpreter) -> dict[str, Any]:
    limits = interp.limits
    # print reaches the interpreter weakly: a strong reference would make a cycle, and the
    # interpreter, with every tensor the program made, would wait for the garbage collector
    owner = weakref.ref(interp)

    def print_(*args: Any, sep: str = " ", end: str = "\n") -> None:
        text = str(sep).join(str(a) for a in args) + str(end)
        interp = owner()
        if interp is not None and interp.statement is not None:
            interp.show(interp.statement, text.rstrip("\n"), "print")

    def range_(*args: int) -> range:
        r = range(*args)
        if len(r) > limits.max_loop:
            raise ValueError(f"range of {len(r):,} is too large (at most {limits.max_loop:,})")
        return r

    table: dict[str, Any] = {"print": print_, "range": range_, "True": True, "False": False,
                             "None": None}  # fmt: skip
    table["list"] = _bounded(list, limits)
    table["tuple"] = _bounded(tuple, limits)
    table["sum"] = _bounded_sum(limits)
    for name in ("min", "max", "enumerate", "zip"):
        table[name] = _iterating(getattr(builtins, name), limits.max_pieces)
    for name in allow.BUILTINS - table.keys():
        table[name] = getattr(builtins, name)
    return table


def _check_rows(x: Any, most: int) -> None:
    """Going through a tensor one row at a time makes one tensor per row (all at once:
    torch unbinds it first); refuse a huge number of them."""
    if isinstance(x, torch.Tensor) and x.dim() > 0 and x.shape[0] > most:
        raise ValueError(f"going through a tensor of {x.shape[0]:,} rows one by one is too "
                         f"large (at most {most:,})")  # fmt: skip


def _iterating(fn: Callable[..., Any], most: int) -> Callable[..., Any]:
    """min(), max(), enumerate(), zip() held to the row limit for tensors they iterate."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if fn in (builtins.enumerate, builtins.zip) or len(args) == 1:
            for arg in args:
                _check_rows(arg, most)
        return fn(*args, **kwargs)

    call.__name__ = call.__qualname__ = fn.__name__
    return call


def _length(iterable: Any) -> int | None:
    try:
        return len(iterable)
    except TypeError:
        return None


def _bounded(kind: type, limits: Limits) -> Callable[..., Any]:
    """list() or tuple() that refuses more than `most` items before making them."""
    most = limits.max_sequence

    def make(iterable: Any = ()) -> Any:
        _check_rows(iterable, limits.max_pieces)
        n = _length(iterable)
        if n is not None and n > most:
            raise ValueError(f"a {kind.__name__} of {n:,} items is too large (at most {most:,})")
        items = kind(islice(iterable, most + 1))
        if len(items) > most:
            raise ValueError(f"a {kind.__name__} of more than {most:,} items is too large")
        return items

    make.__name__ = make.__qualname__ = kind.__name__
    return make


def _bounded_sum(limits: Limits) -> Callable[..., Any]:
    """sum(); joining lists or tuples with it is held to the sequence limit."""
    most = limits.max_sequence

    def sum_(iterable: Any, start: Any = 0) -> Any:
        _check_rows(iterable, limits.max_pieces)
        if not isinstance(start, list | tuple):
            return builtins.sum(iterable, start)
        items = _bounded(list, limits)(iterable)
        total = len(start) + builtins.sum(_length(i) or 0 for i in items)
        if total > most:
            raise ValueError(f"a {type(start).__name__} of {total:,} items is too large")
        return builtins.sum(items, start)

    sum_.__name__ = sum_.__qualname__ = "sum"
    return sum_


BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}  # fmt: skip
INPLACE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift, ast.BitOr: operator.ior, ast.BitAnd: operator.iand,
    ast.BitXor: operator.ixor,
}  # fmt: skip
UNARYOPS: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
    ast.Invert: operator.invert,
}  # fmt: skip
COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_,
    ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip
