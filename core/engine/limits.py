"""Size limits checked before anything is allocated.

A student's typo (`torch.ones(10**6, 10**6)`, `10**10**10`, `"a" * 10**10`) must be refused
at once with a message, not attempted. The worker process also has an address-space limit
(`core.process.server.limit_memory`); these checks make the common cases fail early and
clearly, and `out_of_memory_message` words the rest. The shape rules are in `core.engine.sizes`.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from core.engine import sizes
from core.engine.sizes import broadcast
from core.record import refusals
from core.record.wording import Wording, said

__all__ = ["Limits", "broadcast", "check_binop", "check_call", "check_index", "check_sizes",
           "counted_as", "too_large", "out_of_memory_message", "ran_out_of_memory",
           "set_memory_allowance"]  # fmt: skip

Fail = Callable[[Any, str | Wording], Exception]  # (where: an AST node or a site number, message)
_NUMBER = int | float | bool  # (made once: `int | float | bool` in a call makes a new union)
_NUMBERS = frozenset({int, float, bool})  # (`type(x) in`: quicker than isinstance)
_SEQUENCE = str | list | tuple
_SHAPED = torch.Tensor | _NUMBER
_GROWING = ast.Mult | ast.Add


@dataclass(frozen=True)
class Limits:
    max_elements: int = 10_000_000  # per tensor: 40 MB of float32
    max_loop: int = 100_000  # iterations of one `for i in range(n)`
    max_steps: int = 1_000_000  # statements run in all
    max_int_bits: int = 10_000  # Python ints (10**3000 is fine, 10**10**10 is not)
    max_sequence: int = 1_000_000  # strings, lists and tuples built by *, + or list()
    max_pieces: int = 100_000  # tensors one split/chunk/unbind may make
    max_printed: int = 1_000_000  # characters the transcript may hold
    max_printed_lines: int = 10_000  # prints (and reprs) the transcript may hold


def too_large(count: float, limits: Limits, made: bool = False) -> str | Wording:
    """The refusal of a tensor of `count` elements: before it is made, or (`made`) as soon
    as the program would get it (a path no rule here counts ahead, bounded meanwhile by the
    worker's memory cap)."""
    if made:
        return said(refusals.TENSOR_TOO_LARGE_MADE, count=f"{count:,.0f}",
                    limit=f"{limits.max_elements:,}")  # fmt: skip
    return said(refusals.TENSOR_TOO_LARGE, count=f"{count:,.0f}", limit=f"{limits.max_elements:,}")


def check_binop(op: ast.operator, left: Any, right: Any, limits: Limits, node: Any,
                fail: Fail) -> None:  # fmt: skip
    """Refuse an arithmetic operation whose result would be huge."""
    if type(left) is int and type(right) is int:  # (the int rule below, asked first: `i + 1`)
        _check_int(op, left, right, limits, node, fail)
        return
    if isinstance(left, torch.Tensor):  # the common cases first: nothing to count exactly
        if type(right) in _NUMBERS:
            if left.numel() <= limits.max_elements:
                return  # a number broadcasts to the tensor's shape
        elif isinstance(right, torch.Tensor):
            bound = left.numel() * right.numel()  # the result has at most this many elements
            if bound <= limits.max_elements and (bound or not isinstance(op, ast.MatMult)):
                return  # (a product with an empty operand can still be large: counted below)
    elif type(left) in _NUMBERS and isinstance(right, torch.Tensor):
        if right.numel() <= limits.max_elements:
            return
    if isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor):
        count = sizes.matmul_elements(left, right) if isinstance(op, ast.MatMult) else None
        if count is None:
            count = _broadcast_elements(left, right)
        if count is not None and count > limits.max_elements:
            raise fail(node, too_large(count, limits))
        return
    if _is_int(left) and _is_int(right):
        _check_int(op, left, right, limits, node, fail)
    elif isinstance(op, _GROWING):
        length = _sequence_length(op, left, right)
        if length is not None and length > limits.max_sequence:
            kind = type(left if isinstance(left, _SEQUENCE) else right).__name__
            raise fail(node, said(refusals.SEQUENCE_TOO_LARGE, kind=kind, count=f"{length:,.0f}",
                                  limit=f"{limits.max_sequence:,}"))  # fmt: skip


def _check_int(op: ast.operator, left: int, right: int, limits: Limits, node: Any,
               fail: Fail) -> None:  # fmt: skip
    bits = _int_result_bits(op, left, right)
    if bits > limits.max_int_bits:
        raise fail(node, said(refusals.NUMBER_TOO_LARGE, bits=f"{bits:,.0f}"))


def _sequence_length(op: ast.operator, left: Any, right: Any) -> float | None:
    kinds = _SEQUENCE
    if isinstance(op, ast.Add):
        if isinstance(left, kinds) and isinstance(right, kinds):
            return float(len(left) + len(right))
        return None
    seq, times = (left, right) if _is_int(right) else (right, left)
    if isinstance(seq, kinds) and _is_int(times):
        return float(len(seq)) * times
    return None


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


def _broadcast_elements(left: Any, right: Any) -> int | None:
    if isinstance(left, torch.Tensor) and isinstance(right, _NUMBER):
        return left.numel()  # a number broadcasts to the tensor's shape
    if isinstance(right, torch.Tensor) and isinstance(left, _NUMBER):
        return right.numel()
    a, b = _number_shape(left), _number_shape(right)
    if a is None or b is None:
        return None
    shape = broadcast(a, b)
    return None if shape is None else math.prod(shape)  # None: PyTorch will say what is wrong


def _number_shape(x: Any) -> tuple[int, ...] | None:
    return sizes.shape_of(x) if isinstance(x, _SHAPED) else None


def check_call(fn: Any, args: Sequence[Any], kwargs: dict[str, Any], limits: Limits,
               node: Any, fail: Fail) -> None:  # fmt: skip
    """Refuse a torch call that would allocate a huge tensor or a huge number of them."""
    name = counted_as(fn)
    if name is not None:
        owner = getattr(fn, "__self__", None)
        ops = (owner, *args) if isinstance(owner, torch.Tensor) else tuple(args)
        check_sizes(name, ops, kwargs, limits, node, fail)


def counted_as(fn: Any) -> str | None:
    """The name check_call counts a call of fn by: fn's own, if it is a tensor's method or
    torch's (or a module's) function; else None (nothing to count). It depends on fn alone."""
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, torch.Tensor) or _is_torch(fn, owner):
        return getattr(fn, "__name__", "")
    return None


def check_sizes(name: str, ops: Sequence[Any], kwargs: dict[str, Any], limits: Limits,
                node: Any, fail: Fail) -> None:  # fmt: skip
    """check_call, for a call counted as `name` (see counted_as) of these operands (for a
    tensor's method, the tensor first)."""
    if name not in _COUNTED and (
        len(ops) + len(kwargs) < 2  # nothing to broadcast
        or name in sizes.NOT_BROADCAST
        or _broadcast_bound(ops, kwargs) <= limits.max_elements  # (no larger than this)
    ):
        return
    try:
        count = _elements(name, ops, kwargs)
        pieces = sizes.PIECES[name](ops, kwargs) if name in sizes.PIECES else None
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError, KeyError,
            StopIteration, RuntimeError, ZeroDivisionError):  # fmt: skip
        return  # malformed arguments: PyTorch will say what is wrong
    if count is not None and count > limits.max_elements:
        raise fail(node, too_large(count, limits))
    if pieces is not None and pieces > limits.max_pieces:
        raise fail(node, said(refusals.TOO_LARGE_A_SPLIT, count=f"{pieces:,.0f}",
                              limit=f"{limits.max_pieces:,}"))  # fmt: skip


_COUNTED = sizes.ELEMENTS.keys() | sizes.PIECES.keys()  # calls with rules of their own


def _broadcast_bound(ops: Sequence[Any], kwargs: dict[str, Any]) -> int:
    """At least the elements of the broadcast of the tensor operands (their sizes'
    product), or 0 when there are fewer than two (then nothing is broadcast)."""
    bound, tensors = 1, 0
    for t in (*ops, *kwargs.values()) if kwargs else ops:
        if isinstance(t, torch.Tensor):
            bound *= t.numel()
            tensors += 1
    return bound if tensors > 1 else 0


def _elements(name: str, ops: Sequence[Any], kwargs: dict[str, Any]) -> float | None:
    if name in sizes.ELEMENTS:
        return sizes.ELEMENTS[name](ops, kwargs)
    if name in sizes.NOT_BROADCAST:
        return None
    return sizes.broadcast_all([*ops, *kwargs.values()])


def _is_torch(fn: Any, owner: Any) -> bool:
    """Whether fn (not a tensor's method; `owner`: its __self__) is torch's, or a module's."""
    return (
        (getattr(fn, "__module__", "") or "").startswith("torch")
        or owner is torch
        or type(owner).__name__ == "module"
    )


def check_index(obj: Any, key: Any, limits: Limits, node: Any, fail: Fail) -> None:
    """Refuse `x[index]` whose advanced (tensor or list) index would copy a huge tensor."""
    if not isinstance(obj, torch.Tensor) or type(key) is slice or type(key) is int:
        return  # (plain slicing or an int index makes a view: nothing to count)
    try:
        count = sizes.index_elements(obj, key)
    except (TypeError, ValueError, IndexError, OverflowError, RuntimeError):
        return
    if count is not None and count > limits.max_elements:
        raise fail(node, too_large(count, limits))


_allowance: int | None = None  # the worker's memory limit for programs, in bytes


def set_memory_allowance(allowance: int | None) -> None:
    global _allowance
    _allowance = allowance


def ran_out_of_memory(e: BaseException) -> bool:
    """PyTorch's allocator failing (a RuntimeError) or Python's MemoryError."""
    return isinstance(e, MemoryError) or (
        isinstance(e, RuntimeError) and "can't allocate memory" in str(e)
    )


def out_of_memory_message() -> Wording:
    if _allowance:
        size = f"{_allowance / 2**30:.1f} GB" if _allowance >= 2**30 else f"{_allowance >> 20} MB"
        return said(refusals.OUT_OF_MEMORY_LIMIT, size=size)
    return said(refusals.OUT_OF_MEMORY)


# --- text and containers: checked where they are built ---------------------------------

_WIDTHS = re.compile(r"\d+")  # a format spec's numbers: its width and precision
_PERCENT = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def text_size(obj: Any, most: int) -> int:
    """At least how many characters str(obj) or repr(obj) has (more than `most`: it stops
    counting there): what it would build, counted before building it. Containers shared
    inside others are counted each time they are written, as they are written; a container
    inside itself, once (Python writes [...])."""
    if type(obj) is str:  # (its str() is itself; its repr, two quotes more)
        return len(obj)
    count = 0
    stack: list[Any] = [obj]
    path: set[int] = set()
    while stack and count <= most:
        x = stack.pop()
        if x is _LEAVE:
            path.discard(stack.pop())
            continue
        kind = type(x)
        if kind is str:
            count += len(x) + 2
        elif kind in (list, tuple, set, frozenset, dict):
            if id(x) in path:
                count += 5
                continue
            path.add(id(x))
            stack += (id(x), _LEAVE)
            items = [*x.keys(), *x.values()] if kind is dict else x
            count += 2 + len(x)
            stack.extend(items)
        elif isinstance(x, torch.Tensor):  # torch summarises a big one (print options)
            count += 8 * min(x.numel(), 1_000) + 20
        else:
            count += 1
    return count


_LEAVE = object()  # (text_size: a container's items are all counted)


def check_text(values: Sequence[Any], limits: Limits, node: Any, fail: Fail) -> None:
    """Refuse to write values whose text would pass the sequence limit (before writing)."""
    most = limits.max_sequence
    total = 0
    for v in values:
        if type(v) in _NUMBERS or v is None:
            continue
        total += text_size(v, most - total)
        if total > most:
            raise fail(node, said(refusals.TEXT_TOO_LARGE_TO_WRITE, limit=f"{most:,}"))


def check_spec(spec: str, limits: Limits, node: Any, fail: Fail) -> None:
    """Refuse a format spec whose width or precision passes the sequence limit."""
    for number in _WIDTHS.findall(spec):
        if len(number) > 7 or int(number) > limits.max_sequence:
            raise fail(node, said(refusals.WIDTH_TOO_LARGE, number=number,
                                  limit=f"{limits.max_sequence:,}"))  # fmt: skip


def check_percent(template: str, values: Any, limits: Limits, node: Any, fail: Fail) -> None:
    """`template % values`: its widths, '*' widths among the values, and the values' text."""
    items = values if type(values) is tuple else (values,)
    for width, precision in _PERCENT.findall(template):
        for number in (width, precision):
            if number and number != "*":
                check_spec(number, limits, node, fail)
    if "*" in template:
        check_spec(" ".join(str(v) for v in items if type(v) is int), limits, node, fail)
    check_text(items if type(values) is tuple else (values,), limits, node, fail)


def check_str_method(name: str, text: str, args: Sequence[Any], limits: Limits, node: Any,
                     fail: Fail) -> None:  # fmt: skip
    """Refuse a str method whose result would pass the sequence limit: padding to a huge
    width, tabs expanded hugely, replacements or joins that multiply the text."""
    size = _str_method_size(name, text, args)
    if size is not None and size > limits.max_sequence:
        raise fail(node, said(refusals.TEXT_TOO_LARGE_TO_MAKE, count=f"{size:,.0f}",
                              limit=f"{limits.max_sequence:,}"))  # fmt: skip


def _str_method_size(name: str, text: str, args: Sequence[Any]) -> float | None:
    first = args[0] if args else None
    if name in ("ljust", "rjust", "center", "zfill") and type(first) is int:
        return max(len(text), first)
    if name == "expandtabs":
        tab = first if type(first) is int else 8
        return float(len(text)) * max(tab, 1)
    if name == "replace" and len(args) >= 2 and type(args[0]) is str and type(args[1]) is str:
        old, new = args[0], args[1]
        times = (len(text) + 1) if not old else len(text) // len(old)
        if len(args) > 2 and type(args[2]) is int and args[2] >= 0:
            times = min(times, args[2])
        return len(text) + float(times) * len(new)
    if name == "join" and isinstance(first, list | tuple):
        return float(len(text)) * max(len(first) - 1, 0) + sum(
            len(s) for s in first if type(s) is str
        )
    return None


def check_growth(seq: Any, added: Any, limits: Limits, node: Any, fail: Fail) -> None:
    """`seq += added` or `seq.extend(added)`: refuse a list that would pass the sequence
    limit, or one made of a tensor's rows past the pieces limit."""
    if isinstance(added, torch.Tensor):
        rows = added.shape[0] if added.dim() else 0
        if rows > limits.max_pieces:
            raise fail(node, said(refusals.ONE_PER_ROW, count=f"{rows:,}",
                                  limit=f"{limits.max_pieces:,}"))  # fmt: skip
        count: int | None = rows
    else:
        try:
            count = len(added)
        except TypeError:
            count = None
    if count is not None and len(seq) + count > limits.max_sequence:
        raise fail(node, said(refusals.LIST_TOO_LARGE, count=f"{len(seq) + count:,}",
                              limit=f"{limits.max_sequence:,}"))  # fmt: skip
