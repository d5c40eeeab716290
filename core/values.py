"""Tensors as plain values: nested lists with non-finite numbers spelled as strings."""

from __future__ import annotations

import math
from typing import Any

import torch

MAX_KEPT = 4_096  # elements kept per tensor in a record; beyond it the value is summarised


def to_value(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> tuple[Any, bool]:
    """(nested list, truncated): a tensor's numbers, or the first `limit` of them, flat."""
    if tensor is None:
        return None, False
    t = tensor.detach()
    if t.is_complex() or t.layout != torch.strided:
        return None, False
    if t.numel() > limit:
        return _safe(t.reshape(-1)[:limit].tolist()), True
    return _safe(t.tolist()), False


def value_of(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> Any:
    return to_value(tensor, limit)[0]


def _safe(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return "nan" if math.isnan(data) else ("inf" if data > 0 else "-inf")
    if isinstance(data, list):
        return [_safe(x) for x in data]
    return data


def dtype_name(tensor: torch.Tensor) -> str:
    return str(tensor.dtype).removeprefix("torch.")
