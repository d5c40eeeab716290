"""Size limits checked before anything is allocated.

A student's typo (`torch.ones(10**6, 10**6)`, `10**10**10`, `"a" * 10**10`) must be refused
at once with a message, not attempted. The worker process also has an address-space limit;
these checks make the common cases fail early and clearly.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

import torch

Fail = Callable[[ast.AST, str], Exception]


@dataclass(frozen=True)
class Limits:
    max_elements: int = 10_000_000  # per tensor: 40 MB of float32
    max_loop: int = 100_000  # iterations of one `for i in range(n)`
    max_steps: int = 1_000_000  # statements run in all
    max_int_bits: int = 10_000  # Python ints (10**3000 is fine, 10**10**10 is not)
    max_sequence: int = 1_000_000  # strings, lists and tuples built by * or +


def too_large(count: float, limits: Limits) -> str:
    return (f"This tensor would be too large: {count:,.0f} elements (the limit is "
            f"{limits.max_elements:,}); refused before allocating.")  # fmt: skip


def check_binop(op: ast.operator, left: Any, right: Any, limits: Limits, node: ast.AST,
                fail: Fail) -> None:  # fmt: skip
    """Refuse an arithmetic operation whose result would be huge."""
    if isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor):
        count = _matmul_elements(left, right) if isinstance(op, ast.MatMult) else None
        if count is None:
            count = _broadcast_elements(left, right)
        if count is not None and count > limits.max_elements:
            raise fail(node, too_large(count, limits))
        return
    if _is_int(left) and _is_int(right):
        bits = _int_result_bits(op, left, right)
        if bits > limits.max_int_bits:
            raise fail(node, f"This number would be too large (about {bits:,.0f} bits).")
    elif isinstance(op, ast.Mult):
        seq, times = (left, right) if _is_int(right) else (right, left)
        if isinstance(seq, str | list | tuple) and _is_int(times):
            if len(seq) * times > limits.max_sequence:
                raise fail(node, f"This {type(seq).__name__} would be too large "
                                 f"({len(seq) * times:,} items).")  # fmt: skip


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _int_result_bits(op: ast.operator, left: int, right: int) -> float:
    if isinstance(op, ast.Pow) and right > 0:
        return max(abs(left).bit_length() - 1, 0) * float(right) + 1
    if isinstance(op, ast.LShift) and right > 0:
        return abs(left).bit_length() + float(right)
    if isinstance(op, ast.Mult):
        return abs(left).bit_length() + abs(right).bit_length()
    return max(abs(left).bit_length(), abs(right).bit_length()) + 1


def _shape(x: Any) -> tuple[int, ...] | None:
    if isinstance(x, torch.Tensor):
        return tuple(x.shape)
    if isinstance(x, int | float | bool):
        return ()
    return None


def _broadcast_elements(left: Any, right: Any) -> int | None:
    a, b = _shape(left), _shape(right)
    if a is None or b is None:
        return None
    shape = broadcast(a, b)
    return None if shape is None else math.prod(shape)  # None: PyTorch will say what is wrong


def _matmul_elements(left: Any, right: Any) -> int | None:
    a, b = _shape(left), _shape(right)
    if not a or not b or len(a) < 2 or len(b) < 2:
        return None
    batch = broadcast(a[:-2], b[:-2])
    return None if batch is None else math.prod(batch) * a[-2] * b[-1]


def broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The broadcast shape of a and b, or None if they don't broadcast.

    (torch.broadcast_shapes would do, but its first call imports sympy: 0.5 s.)
    """
    out = []
    for x, y in zip_longest(reversed(a), reversed(b), fillvalue=1):
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def check_call(fn: Any, args: Sequence[Any], kwargs: dict[str, Any], limits: Limits,
               node: ast.AST, fail: Fail) -> None:  # fmt: skip
    """Refuse a call that would allocate a huge tensor."""
    counter = _COUNTERS.get(getattr(fn, "__name__", ""))
    if counter is None or not _is_torch(fn):
        return
    try:
        count = counter(fn, args, kwargs)
    except (TypeError, ValueError, IndexError, OverflowError):
        return  # malformed arguments: PyTorch will say what is wrong
    if count is not None and count > limits.max_elements:
        raise fail(node, too_large(count, limits))


def _is_torch(fn: Any) -> bool:
    owner = getattr(fn, "__self__", None)
    return (
        isinstance(owner, torch.Tensor)
        or (getattr(fn, "__module__", "") or "").startswith("torch")
        or owner is torch
        or type(owner).__name__ == "module"
    )


def _size(values: Sequence[Any]) -> float:
    if len(values) == 1 and isinstance(values[0], Sequence | torch.Size):
        values = values[0]
    return math.prod(float(v) for v in values)


def _from_size(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return _size(kwargs["size"]) if "size" in kwargs else _size(list(args))


def _full(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return _size([kwargs.get("size", args[0] if args else ())])


def _randint(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    size = kwargs.get("size")
    if size is None:
        size = next(a for a in args if isinstance(a, Sequence | torch.Size))
    return _size([size])


def _arange(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    start, end, step = 0.0, None, 1.0
    if len(args) == 1:
        end = args[0]
    elif len(args) >= 2:
        start, end = args[0], args[1]
        step = args[2] if len(args) > 2 else kwargs.get("step", 1.0)
    end = kwargs.get("end", end)
    if end is None:
        raise ValueError("no end")
    return math.ceil(abs((float(end) - float(start)) / float(step or 1)))


def _steps(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return float(kwargs.get("steps", args[2] if len(args) > 2 else 0))


def _eye(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    n = float(args[0] if args else kwargs["n"])
    m = float(args[1] if len(args) > 1 else kwargs.get("m", n))
    return n * m


def _expand(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    own = tuple(fn.__self__.shape)
    sizes = list(args[0]) if len(args) == 1 and isinstance(args[0], Sequence) else list(args)
    shape = [s if s != -1 else own[i - len(sizes) + len(own)] for i, s in enumerate(sizes)]
    return _size(shape)


def _repeat(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return fn.__self__.numel() * _size(list(args))


def _outer(fn: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> float:
    tensors = [a for a in (getattr(fn, "__self__", None), *args) if isinstance(a, torch.Tensor)]
    return math.prod(float(t.numel()) for t in tensors)


_COUNTERS: dict[str, Callable[[Any, Sequence[Any], dict[str, Any]], float]] = {
    "ones": _from_size, "zeros": _from_size, "rand": _from_size, "randn": _from_size,
    "empty": _from_size, "full": _full, "randint": _randint, "arange": _arange,
    "linspace": _steps, "logspace": _steps, "eye": _eye, "expand": _expand,
    "broadcast_to": _expand, "repeat": _repeat, "outer": _outer, "kron": _outer,
}  # fmt: skip
