"""The forward pass's fast paths give exactly what the slow, general ones give.

`core.values.to_value` has an inline path for small finite float tensors; these tests hold
it to a plain reference (every number through `tolist()`, non-finite ones spelled out),
with the exact Python types and signs (-0.0 stays -0.0, ints stay ints, bools stay bools).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch

from core.values import MAX_KEPT, to_value, value_of

NUMBERS = [0.0, -0.0, 1.5, -2.25, 1e-45, 3e38, -3e38, math.nan, math.inf, -math.inf]
FLOATS = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
EXACT = [torch.int64, torch.int32, torch.uint8, torch.int8, torch.bool]


def reference(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> tuple[Any, bool]:
    """What to_value means, written the slow, obvious way."""
    if tensor is None or tensor.dtype.is_complex or tensor.layout != torch.strided:
        return None, False
    flat = tensor.detach().reshape(-1)
    if flat.numel() > limit:
        return _spelled(flat[:limit].tolist()), True
    return _spelled(tensor.detach().tolist()), False


def _spelled(x: Any) -> Any:
    if isinstance(x, list):
        return [_spelled(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def typed(x: Any) -> Any:
    """x with every leaf as (type, repr): 0.0 != -0.0, 1 != 1.0 != True."""
    if isinstance(x, list):
        return [typed(v) for v in x]
    return (type(x).__name__, repr(x))


def shapes_of(values: list[float]) -> list[torch.Tensor]:
    t = torch.tensor(values, dtype=torch.float64)
    n = t.numel()
    return [
        t[0].clone(),  # 0-d
        t[1].clone(),  # 0-d, the number under test
        t,  # 1-D
        t.reshape(2, n // 2),  # 2-D
        t.reshape(2, 1, n // 2),  # 3-D
        t.reshape(n // 2, 2).t(),  # not contiguous
        t[:0],  # empty
        t.reshape(2, n // 2)[:, :0],  # rows of nothing
        t.reshape(2, n // 2)[:0],  # no rows
    ]


@pytest.mark.parametrize("dtype", FLOATS + EXACT)
@pytest.mark.parametrize("number", NUMBERS)
def test_to_value_equals_the_reference(dtype, number):
    values = [0.5, number, 2.0, -1.0, number, 0.0]
    for base in shapes_of(values):
        for t in (base.to(dtype), base[..., :1].to(dtype) if base.dim() else base.to(dtype)):
            for limit in (MAX_KEPT, 3, 1):
                got = to_value(t, limit)
                assert typed(got[0]) == typed(reference(t, limit)[0]), (t, limit)
                assert got[1] == reference(t, limit)[1]
                assert typed(value_of(t, limit)) == typed(got[0])


def test_to_value_of_sums_that_overflow_and_of_requires_grad_tensors():
    big = torch.tensor([1.7e308, 1.7e308, -0.0], dtype=torch.float64)  # a sum that isn't finite
    assert to_value(big) == ([1.7e308, 1.7e308, -0.0], False)
    assert typed(to_value(big.reshape(3, 1))[0]) == typed([[1.7e308], [1.7e308], [-0.0]])
    mixed = torch.tensor([[math.inf, 1.0], [-math.inf, -0.0]], requires_grad=True) * 1
    assert to_value(mixed) == ([["inf", 1.0], ["-inf", -0.0]], False)
    assert typed(to_value(mixed)[0][1][1]) == ("float", "-0.0")
    assert to_value(torch.tensor(math.nan)) == ("nan", False)
    assert to_value(torch.tensor(-0.0))[0].hex() == (-0.0).hex()


def test_to_value_refuses_complex_and_sparse_and_none():
    assert to_value(None) == (None, False) and value_of(None) is None
    assert to_value(torch.ones(2, dtype=torch.complex64)) == (None, False)
    assert to_value(torch.ones(2).to_sparse()) == (None, False)
