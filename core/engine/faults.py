"""Arithmetic the CPU itself refuses, caught before it is done.

Integer division of a type's smallest number by -1 has no answer in that type (2**63
doesn't fit an int64), and the x86 `idiv` instruction stops the process with SIGFPE
instead of wrapping around. torch guards floor division and the remainders itself, but not
`torch.div(..., rounding_mode="trunc")` on int32 and int64 tensors (`Tensor.div`,
`divide`, their in-place forms): the call gate asks `trunc_division_fault` before making
such a call, and the program gets an error at its line instead of a dead worker.
"""

from __future__ import annotations

from typing import Any

import torch

from core.record import refusals
from core.record.wording import Wording, said

FAULTING = (torch.int32, torch.int64)  # what torch divides with idiv of the same width


def trunc_division_fault(operands: tuple, kwargs: dict[str, Any]) -> Wording | None:
    """What is wrong with a call given `rounding_mode="trunc"` that would divide the
    smallest int32 or int64 by -1 (`operands`: the tensor a method is of, then the
    positional arguments), in one sentence; None if it can't fault."""
    if kwargs.get("rounding_mode") != "trunc":
        return None
    dividend: Any = operands[0] if operands else kwargs.get("input")
    divisor: Any = operands[1] if len(operands) > 1 else kwargs.get("other")
    if not (isinstance(dividend, torch.Tensor) or isinstance(divisor, torch.Tensor)):
        return None
    try:
        dtype = torch.result_type(dividend, divisor)
        if dtype not in FAULTING:
            return None
        smallest = torch.iinfo(dtype).min
        low = torch.as_tensor(dividend).to(dtype) == smallest
        minus_one = torch.as_tensor(divisor).to(dtype) == -1
        if not (low.any() and minus_one.any() and (low & minus_one).any()):
            return None
    except (RuntimeError, TypeError, ValueError, OverflowError):
        return None  # not a division torch would do: it says why itself
    name = str(dtype).removeprefix("torch.")
    return said(refusals.DIVISION_OVERFLOWS, name=name, smallest=str(smallest))
