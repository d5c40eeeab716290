"""Tensors as plain values: nested lists with non-finite numbers spelled as strings."""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

import torch

MAX_KEPT = 4_096  # elements kept per tensor in a record; beyond it the value is summarised
RECORD_NUMBERS = 1_000_000  # numbers one evaluation's record may hold (values, gradients,
# chain-rule terms: ~20 MB of JSON); past them each tensor keeps only SUMMARY_KEPT numbers
SUMMARY_KEPT = 16
MAX_NESTED = 64  # dimensions a value is nested lists for; a deeper tensor's is flat, as a
# summary's is: a value hundreds of lists deep can't be pickled, written as JSON or shown

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_STRIDED = torch.strided


_budget: list[int | None] = [None]  # numbers the record may still hold (None: no record)


def start_record(numbers: int | None = RECORD_NUMBERS) -> None:
    """An evaluation begins: the values made from now on share `numbers` (None: no limit)."""
    _budget[0] = numbers


def to_value(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> tuple[Any, bool]:
    """(nested list, truncated): a tensor's numbers, or the first `limit` of them (fewer
    once the record's numbers are spent: `start_record`), flat (as are those of a tensor
    of more than MAX_NESTED dimensions); an empty tensor of very many rows' is []."""
    if tensor is None:
        return None, False
    kind = _kinds.get(tensor.dtype)
    if kind is None:
        kind = _kind(tensor.dtype)
    if kind is _COMPLEX or tensor.layout is not _STRIDED:  # (layouts are singletons)
        return None, False
    count = tensor.numel()
    left = _budget[0]
    if left is not None:
        if count > left:
            limit = min(limit, max(left, SUMMARY_KEPT))
        _budget[0] = left - min(count, limit)
    if count > limit or tensor.dim() > MAX_NESTED or (not count and _rows(tensor) > MAX_KEPT):
        data = _numbers(tensor.detach().reshape(-1)[:limit])
        if kind is _FLOAT and not _all_finite(data, 1):
            data = _safe(data)
        return data, bool(count) or tensor.dim() > 1
    try:
        data = tensor.tolist()
    except RuntimeError:  # (asked only when tolist() refuses: see _numbers)
        data = _numbers(tensor)
    if kind is _FLOAT:  # inline for a number, a list and rows of numbers: one sum
        if type(data) is float:
            total = data
        elif not data or type(data[0]) is float:
            total = sum(data)
        elif not data[0] or type(data[0][0]) is float:
            total = sum(chain.from_iterable(data))
        else:
            total = 0.0 if _all_finite(data, tensor.dim()) else math.nan
        if total - total != 0.0:  # a nan or inf among them (or a sum that overflowed)
            data = _safe(data)
    return data, False


def _rows(tensor: torch.Tensor) -> int:
    """The lists an empty tensor's nested value would be made of ((10**7, 0): 10**7)."""
    return math.prod(tensor.shape[:-1]) if tensor.dim() > 1 else 0


def _numbers(tensor: torch.Tensor) -> Any:
    """tensor.tolist(), also for a "zero tensor": a gradient PyTorch knows to be all zeros
    without storing them (double backward through abs or softsign sends one)."""
    if tensor._is_zerotensor():
        return torch.zeros(tensor.shape, dtype=tensor.dtype).tolist()
    return tensor.tolist()


def value_of(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> Any:
    return None if tensor is None else to_value(tensor, limit)[0]


def from_value(value: Any, dtype: torch.dtype, shape: tuple[int, ...]) -> torch.Tensor:
    """The tensor a whole (not truncated) value came from: `to_value`'s inverse."""
    return torch.tensor(_unsafe(value), dtype=dtype).reshape(shape)


_FLOAT, _EXACT, _COMPLEX = "float", "exact", "complex"
_kinds: dict[torch.dtype, str] = {}


def _kind(dtype: torch.dtype) -> str:
    kind = _COMPLEX if dtype.is_complex else _FLOAT if dtype.is_floating_point else _EXACT
    _kinds[dtype] = kind
    return kind


def _all_finite(data: Any, dim: int) -> bool:
    """No nan or inf among the numbers of a nested list `dim` deep (one sum: a sum is
    finite when every term is, unless it overflows; then `_safe` looks at each number)."""
    flat = data if dim else [data]
    for _ in range(dim - 1):
        flat = chain.from_iterable(flat)
    total = sum(flat)
    return total - total == 0.0


def _safe(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return "nan" if math.isnan(data) else ("inf" if data > 0 else "-inf")
    if isinstance(data, list):
        return [_safe(x) for x in data]
    return data


def _unsafe(data: Any) -> Any:
    if isinstance(data, list):
        return [_unsafe(x) for x in data]
    return _NON_FINITE.get(data, data) if isinstance(data, str) else data


_dtype_names: dict[torch.dtype, str] = {}


def dtype_name(tensor: torch.Tensor) -> str:
    name = _dtype_names.get(tensor.dtype)
    if name is None:
        name = _dtype_names[tensor.dtype] = str(tensor.dtype).removeprefix("torch.")
    return name
