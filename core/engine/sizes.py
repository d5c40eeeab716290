"""How big a torch call's result would be, worked out from its arguments' shapes alone.

`core.engine.limits` refuses calls whose result would pass the element limit before anything is
allocated; these are the size rules it uses. Each counter gets the call's operands (for a
tensor method the tensor itself comes first) and its keyword arguments, and returns the
number of elements of the result; it raises TypeError, ValueError, IndexError or
AttributeError on arguments PyTorch will refuse anyway (and then PyTorch says why).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from itertools import zip_longest
from typing import Any

import torch

MAX_NESTING = 64  # torch.tensor of lists nested deeper is refused outright

Counter = Callable[[Sequence[Any], dict[str, Any]], float]


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


def shape_of(x: Any) -> tuple[int, ...] | None:
    """A tensor's or a number's shape; a nested list's (from its first items); else None."""
    if isinstance(x, torch.Tensor):
        return tuple(x.shape)
    if isinstance(x, int | float | bool):
        return ()
    if isinstance(x, list | tuple):
        shape: list[int] = []
        while isinstance(x, list | tuple):
            if len(shape) >= MAX_NESTING:
                raise ValueError("nested too deeply")
            shape.append(len(x))
            x = x[0] if x else None
        if isinstance(x, torch.Tensor):  # torch.tensor([t, t]) of equal-shaped tensors
            shape.extend(x.shape)
        return tuple(shape)
    return None


def broadcast_all(operands: Sequence[Any]) -> float | None:
    """Elements of the broadcast of every tensor operand (None: fewer than two, or they
    don't broadcast, and then PyTorch will say so)."""
    shapes = [t.shape for t in operands if isinstance(t, torch.Tensor)]
    if len(shapes) < 2:
        return None
    shape: tuple[int, ...] | None = tuple(shapes[0])
    for other in shapes[1:]:
        shape = broadcast(shape, other) if shape is not None else None
    return None if shape is None else math.prod(shape)


def matmul_elements(left: Any, right: Any) -> float | None:
    """Elements of left @ right (torch.matmul's rules, 1-D operands included)."""
    a, b = shape_of(left), shape_of(right)
    if not a or not b or not isinstance(left, torch.Tensor) or not isinstance(right, torch.Tensor):
        return None
    a2 = a if len(a) > 1 else (1, *a)
    b2 = b if len(b) > 1 else (*b, 1)
    batch = broadcast(a2[:-2], b2[:-2])
    if batch is None:
        return None
    return math.prod(batch) * (a2[-2] if len(a) > 1 else 1) * (b2[-1] if len(b) > 1 else 1)


def _size(values: Sequence[Any]) -> float:
    if len(values) == 1 and isinstance(values[0], Sequence | torch.Size):
        values = values[0]
    return math.prod(float(v) for v in values)


def _from_size(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return _size(kwargs["size"]) if "size" in kwargs else _size(list(ops))


def _full(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return _size([kwargs.get("size", ops[0] if ops else ())])


def _randint(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    size = kwargs.get("size")
    if size is None:
        size = next(a for a in ops if isinstance(a, Sequence | torch.Size))
    return _size([size])


def _arange(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    start, end, step = kwargs.get("start", 0.0), kwargs.get("end"), kwargs.get("step", 1.0)
    if len(ops) == 1:
        end = ops[0]
    elif len(ops) >= 2:
        start, end = ops[0], ops[1]
        step = ops[2] if len(ops) > 2 else step
    if end is None:
        raise ValueError("no end")
    return math.ceil(abs((float(end) - float(start)) / float(step or 1)))


def _steps(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return float(kwargs.get("steps", ops[2] if len(ops) > 2 else 0))


def _eye(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    n = float(ops[0] if ops else kwargs["n"])
    m = float(ops[1] if len(ops) > 1 else kwargs.get("m", n))
    return n * m


def _expand(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    own = tuple(ops[0].shape)
    rest = list(ops[1:]) or [kwargs["size"]]
    sizes = list(rest[0]) if len(rest) == 1 and isinstance(rest[0], Sequence) else rest
    shape = [s if s != -1 else own[i - len(sizes) + len(own)] for i, s in enumerate(sizes)]
    return _size(shape)


def _repeat(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return ops[0].numel() * _size(list(ops[1:]) or [kwargs["repeats"]])


def _product(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return math.prod(float(t.numel()) for t in ops if isinstance(t, torch.Tensor))


def _matmul(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    count = matmul_elements(ops[-2], ops[-1])  # addmm(input, a, b): the a @ b part
    if count is None:
        raise ValueError("not a matrix product")
    return count


def _inner(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    a, b = ops[0], ops[1]
    if a.dim() == 0 or b.dim() == 0:
        return float(a.numel() * b.numel())
    return math.prod(a.shape[:-1]) * float(math.prod(b.shape[:-1]))


def _einsum(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    equation, operands = ops[0], list(ops[1:])
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = list(operands[0])
    inputs, _, output = equation.replace(" ", "").partition("->")
    terms = inputs.split(",")
    if "." in equation or len(terms) != len(operands):
        raise ValueError("not counted")
    sizes: dict[str, int] = {}
    for term, t in zip(terms, operands, strict=True):
        sizes.update(zip(term, t.shape, strict=False))
    if "->" not in equation:
        output = "".join(sorted(c for c in sizes if inputs.count(c) == 1))
    return math.prod(float(sizes[c]) for c in re.sub(r"[^A-Za-z]", "", output))


def _joined(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    tensors = ops[0] if ops else kwargs["tensors"]
    return math.fsum(float(t.numel()) for t in tensors)


def _diag(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    t = ops[0]
    if t.dim() != 1:
        return float(t.numel())
    side = t.numel() + abs(int(ops[1] if len(ops) > 1 else kwargs.get("diagonal", 0)))
    return float(side) * side


def _one_hot(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    t = ops[0]
    classes = int(ops[1] if len(ops) > 1 else kwargs.get("num_classes", -1))
    if classes < 0:
        classes = int(t.max()) + 1 if t.numel() else 0
    return float(t.numel()) * classes


def _pad(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    shape = list(ops[0].shape)
    pads = list(ops[1] if len(ops) > 1 else kwargs["pad"])
    for i in range(0, len(pads) - 1, 2):
        dim = len(shape) - 1 - i // 2
        shape[dim] = shape[dim] + pads[i] + pads[i + 1]
    return math.prod(float(max(s, 0)) for s in shape)


def _linear(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    x, weight = ops[0], ops[1] if len(ops) > 1 else kwargs["weight"]
    rows = x.numel() / max(x.shape[-1], 1) if x.dim() else 1.0
    return rows * (weight.shape[0] if weight.dim() > 1 else 1)


def _from_data(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    shape = shape_of(ops[0] if ops else kwargs["data"])
    return 0.0 if shape is None else math.prod(float(s) for s in shape)


def _index_select(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    x, dim, index = ops[0], ops[1], ops[2] if len(ops) > 2 else kwargs["index"]
    return x.numel() / max(x.shape[dim], 1) * float(index.numel())


def _gather(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return float((ops[2] if len(ops) > 2 else kwargs["index"]).numel())


ELEMENTS: dict[str, Counter] = {
    "ones": _from_size, "zeros": _from_size, "rand": _from_size, "randn": _from_size,
    "empty": _from_size, "full": _full, "randint": _randint, "arange": _arange,
    "linspace": _steps, "logspace": _steps, "eye": _eye, "expand": _expand,
    "broadcast_to": _expand, "repeat": _repeat, "outer": _product, "kron": _product,
    "ger": _product, "matmul": _matmul, "mm": _matmul, "bmm": _matmul, "addmm": _matmul,
    "baddbmm": _matmul, "inner": _inner, "einsum": _einsum, "cat": _joined,
    "concat": _joined, "stack": _joined, "diag": _diag, "one_hot": _one_hot, "pad": _pad,
    "linear": _linear, "tensor": _from_data, "as_tensor": _from_data,
    "index_select": _index_select, "gather": _gather,
}  # fmt: skip

# Calls of two or more tensors that don't broadcast them into their result.
NOT_BROADCAST = {"type_as", "view_as", "reshape_as", "equal", "dot", "mv", "nll_loss",
                 "cross_entropy"}  # fmt: skip


def _split(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    x = ops[0]
    size = ops[1] if len(ops) > 1 else kwargs.get("split_size_or_sections", 1)
    dim = int(ops[2] if len(ops) > 2 else kwargs.get("dim", 0))
    if isinstance(size, Sequence):
        return float(len(size))
    return math.ceil(x.shape[dim] / max(int(size), 1))


def _chunk(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    x, chunks = ops[0], int(ops[1] if len(ops) > 1 else kwargs["chunks"])
    dim = int(ops[2] if len(ops) > 2 else kwargs.get("dim", 0))
    return float(min(chunks, x.shape[dim]))


def _unbind(ops: Sequence[Any], kwargs: dict[str, Any]) -> float:
    return float(ops[0].shape[int(ops[1] if len(ops) > 1 else kwargs.get("dim", 0))])


PIECES: dict[str, Counter] = {"split": _split, "chunk": _chunk, "unbind": _unbind}


def index_elements(obj: torch.Tensor, key: Any) -> float | None:
    """Elements of obj[key] when key uses integer or boolean index tensors or lists
    (advanced indexing copies); None for plain slicing, which makes a view."""
    keys = key if isinstance(key, tuple) else (key,)
    if not any(isinstance(k, torch.Tensor | list) for k in keys):
        return None
    dims, pos, indexed = list(obj.shape), 0, 1.0
    index_shapes: list[tuple[int, ...]] = []
    for k in keys:
        if k is None:
            continue
        if isinstance(k, torch.Tensor) and k.dtype == torch.bool:
            n = max(k.dim(), 1)
            indexed *= math.prod(dims[pos : pos + n])
            index_shapes.append((math.prod(dims[pos : pos + n]),))
            pos += n
            continue
        if isinstance(k, torch.Tensor | list):
            indexed *= dims[pos] if pos < len(dims) else 1
            index_shapes.append(shape_of(k) or ())
        pos += 1
    shape: tuple[int, ...] | None = ()
    for s in index_shapes:
        shape = broadcast(shape, s) if shape is not None else None
    if shape is None or indexed == 0:
        return None
    return obj.numel() / indexed * math.prod(shape)
