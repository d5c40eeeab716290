"""The forward pass's fast paths give exactly what the slow, general ones give.

`core.engine.values.to_value` has an inline path for small finite float tensors; these tests hold
it to a plain reference (every number through `tolist()`, non-finite ones spelled out),
with the exact Python types and signs (-0.0 stays -0.0, ints stay ints, bools stay bools).
`core.engine.limits` lets a call or an operation through at once when a cheap bound (the product
of its tensors' sizes) is within the limit; these tests hold its refusals, messages
included, to an exact count made every time. The interpreter's shortcuts (naming what eval
has just tracked, a call's answers about its function kept, a module's member read once per
place) are held to what the tracker must remember; `core.record.labels`' float case to the text
numbers always had.
"""

from __future__ import annotations

import ast
import math
import random
import struct
from typing import Any

import pytest
import torch

from core.engine import sizes
from core.engine.interpreter import Interpreter, Tracker
from core.engine.limits import Limits, check_binop, check_call, check_index, too_large
from core.engine.values import MAX_KEPT, to_value, value_of
from core.record import labels
from core.record.language import ProgramError
from tests.oracle import reference_number_text, reference_value_text, spelled

NUMBERS = [0.0, -0.0, 1.5, -2.25, 1e-45, 3e38, -3e38, math.nan, math.inf, -math.inf]
FLOATS = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
EXACT = [torch.int64, torch.int32, torch.uint8, torch.int8, torch.bool]


def reference(tensor: torch.Tensor | None, limit: int = MAX_KEPT) -> tuple[Any, bool]:
    """What to_value means, written the slow, obvious way."""
    if tensor is None or tensor.dtype.is_complex or tensor.layout != torch.strided:
        return None, False
    flat = tensor.detach().reshape(-1)
    if flat.numel() > limit:
        return spelled(flat[:limit].tolist()), True
    return spelled(tensor.detach().tolist()), False


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


# --- core.engine.limits: refusals decided by a cheap bound first, counted exactly only near it ---

SHAPES = [(), (0,), (1,), (3,), (1, 3), (3, 1), (2, 3), (2, 0), (0, 5), (4, 0), (2, 1, 3)]
LIMITS = [Limits(max_elements=m) for m in (0, 1, 2, 3, 5, 6, 12, 18, 100)]


def _fail(node: Any, message: Any) -> ProgramError:  # (English, or a Wording)
    return ProgramError.saying(message)


def _too_large(count: float | None, limits: Limits) -> str | None:
    if count is None or count <= limits.max_elements:
        return None
    said = too_large(count, limits)
    return said if isinstance(said, str) else said.text


def _refusal(check: Any, *args: Any) -> str | None:
    try:
        check(*args, None, _fail)
    except ProgramError as e:
        return e.message
    return None


def exact_binop(op: ast.operator, left: Any, right: Any, limits: Limits) -> str | None:
    """check_binop's tensor rule, counted exactly every time (as it was before the bound)."""
    count = sizes.matmul_elements(left, right) if isinstance(op, ast.MatMult) else None
    if count is None:
        shapes = [sizes.shape_of(x) for x in (left, right)]
        if None in shapes:
            return None
        shape = sizes.broadcast(*shapes)
        count = None if shape is None else math.prod(shape)
    return _too_large(count, limits)


@pytest.mark.parametrize("op", [ast.Add(), ast.Mult(), ast.MatMult()], ids=["add", "mul", "matmul"])
def test_check_binop_refuses_exactly_what_an_exact_count_refuses(op):
    operands = [torch.empty(s) for s in SHAPES] + [2, 0.5, True]
    for left in operands:
        for right in operands:
            if not isinstance(left, torch.Tensor) and not isinstance(right, torch.Tensor):
                continue
            for limits in LIMITS:
                got = _refusal(check_binop, op, left, right, limits)
                assert got == exact_binop(op, left, right, limits), (op, left, right, limits)


def test_an_empty_matrix_product_is_still_counted():
    # (10000, 0) @ (0, 10000): no element in either operand, 10**8 in the result
    got = _refusal(check_binop, ast.MatMult(), torch.empty(10_000, 0), torch.empty(0, 10_000),
                   Limits())  # fmt: skip
    assert got is not None and "100,000,000 elements" in got


def exact_call(fn: Any, args: tuple, kwargs: dict, limits: Limits) -> str | None:
    owner = getattr(fn, "__self__", None)
    ops = (owner, *args) if isinstance(owner, torch.Tensor) else args
    name = fn.__name__
    if name in sizes.ELEMENTS:
        count = sizes.ELEMENTS[name](ops, kwargs)
    elif name in sizes.NOT_BROADCAST:
        count = None
    else:
        count = sizes.broadcast_all([*ops, *kwargs.values()])
    return _too_large(count, limits)


def test_check_call_refuses_exactly_what_an_exact_count_refuses():
    tensors = [torch.empty(s) for s in SHAPES]
    for a in tensors:
        for b in tensors:
            calls = [
                (torch.sin, (a,), {}),
                (torch.add, (a, b), {}),
                (torch.add, (a,), {"other": b}),
                (torch.where, (torch.empty(b.shape, dtype=torch.bool), a, b), {}),
                (torch.lerp, (a, b, 0.5), {}),
                (a.mul, (b,), {}),
                (a.sum, (), {}),
                (torch.dot, (a, b), {}),  # not broadcast
            ]
            for fn, args, kwargs in calls:
                for limits in LIMITS:
                    got = _refusal(check_call, fn, args, kwargs, limits)
                    assert got == exact_call(fn, args, kwargs, limits), (fn, a, b, limits)


def test_check_index_counts_only_advanced_indexing():
    x = torch.empty(4, 5)
    keys = [0, -1, slice(1, 3), slice(None), (0, slice(None)), True, None,
            torch.tensor([0, 1, 1]), [0, 2, 3], (slice(None), torch.tensor([1, 1]))]  # fmt: skip
    for key in keys:
        for limits in LIMITS:
            want = _too_large(sizes.index_elements(x, key), limits)
            assert _refusal(check_index, x, key, limits) == want, (key, limits)


# --- core.engine.interpreter: what the tracker remembers, through the shortcuts ---


def tracked(source: str, **options: Any) -> Tracker:
    interp = Interpreter(source, lambda t, a, k: t.backward(*a, **k), **options)
    interp.run()
    return interp.tracker


def test_is_leaf_is_grad_fn_is_none_and_both_raise_alike():
    """Tracker.made reads grad_fn alone: PyTorch's is_leaf is `grad_fn is None`."""
    x = torch.ones(3, requires_grad=True)
    base = x.clone()
    with torch.no_grad():
        view = base[1:]
    base.add_(1)  # a no_grad view of a base changed in place: both refuse to be read
    for t in (x, x * 2, torch.ones(2), x.detach(), x[1:], (x * 2)[1:], base, view):
        try:
            leaf = t.is_leaf
        except RuntimeError as e:
            with pytest.raises(RuntimeError, match=str(e)[:40]):
                _ = t.grad_fn
            continue
        assert leaf == (t.grad_fn is None)


def test_names_leaves_and_grad_fns_through_assignment_shortcuts():
    tracker = tracked(
        "x = torch.ones(2, requires_grad=True)\ny = x\nz = y * 2\na = b = z + 1\n"
        "c, d = z, z.exp()\nw = torch.zeros(2)\nw.requires_grad_()\nv = w * 1\n"
    )
    names = {m.name for m in tracker.tensors.values()}
    assert names == {"x", "z", "a", "d", "w", "v"}  # y = x and c = z rename nothing
    assert [tracker.tensors[id(t)].name for t in tracker.leaves] == ["x", "w"]
    assert tracker.last_assigned is not None
    assert tracker.tensors[id(tracker.last_assigned)].name == "v"
    assert sorted(type(fn).__name__ for fn in tracker.fns) == [
        "AddBackward0", "ExpBackward0", "MulBackward0", "MulBackward0"]  # fmt: skip


def test_grad_fns_changed_in_place_are_noted_when_next_seen():
    tracker = tracked(
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.add_(1)\ny[0] = 5\nz = y + 1\n"
        "b = x.clone()\nwith torch.no_grad():\n    v = b[1:]\nb.mul_(2)\nu = v\n"
    )
    y = next(m for m in tracker.tensors.values() if m.name == "y")
    assert [type(fn).__name__ for fn, m in tracker.fns.items() if m is y] == [
        "MulBackward0", "AddBackward0", "CopySlices"]  # fmt: skip
    assert any(m.name == "v" for m in tracker.tensors.values())  # unreadable, not a failure


def test_retained_spans_get_retain_grad_as_they_are_made():
    source = "x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = y.sum()\n"
    interp = Interpreter(source, lambda t, a, k: None, retain=[(2, 5, 2, 10), (1, 5, 1, 39)])
    variables = interp.run()
    assert variables["y"].retains_grad and not variables["z"].retains_grad
    assert not variables["x"].retains_grad  # a leaf: nothing to retain


def test_a_call_asks_again_when_its_function_changes():
    """What a call learns about its function (allowed, how its sizes are counted) is kept
    only for the same function object: another one at the same call is asked about again."""
    source = (
        "x = torch.ones(3)\nfs = [torch.sin, len, x.shape]\nfor i in range(3):\n    y = fs[i](x)\n"
    )
    with pytest.raises(ProgramError) as e:
        Interpreter(source, lambda t, a, k: None).run()
    assert (e.value.line, e.value.col, e.value.message) == (
        4,
        9,
        "'Size' can't be called in the safe mode.",
    )
    big = (
        "x = torch.ones(20, 20)\nfs = [print, torch.add]\nfor i in range(2):\n"
        "    y = fs[i](x, x.reshape(20, 20, 1))\n"  # print counts nothing; add: 8,000 elements
    )
    interp = Interpreter(big, lambda t, a, k: None, Limits(max_elements=1000))
    with pytest.raises(ProgramError, match="8,000 elements"):
        interp.run()
    assert len(interp.transcript) == 1


def test_a_module_member_is_kept_only_where_the_module_is_named():
    """torch.exp is the same every time; m.exp, with m a variable, is read again."""
    source = "ms = [math, torch]\nfor i in range(2):\n    m = ms[i]\n    y = m.exp(0.0)\n"
    with pytest.raises(ProgramError) as e:
        Interpreter(source, lambda t, a, k: None).run()
    assert e.value.line == 4 and "must be Tensor" in e.value.message
    interp = Interpreter("for i in range(2):\n    y = torch.nn.functional.relu\n", lambda *a: None)
    assert interp.run()["y"] is torch.nn.functional.relu


# --- core.record.labels: numbers written as they always were ---


def test_number_and_value_texts_equal_the_reference():
    rng = random.Random(7)
    numbers: list[Any] = [0.0, -0.0, math.nan, math.inf, -math.inf, 5e-324, 1e308, 0.5, 1e6,
                          -1e6, 999999.5, 999999.0, -999999.0, 1e16, 2.0**53 + 1, 10**30, -7,
                          True, False, "nan", "-inf"]  # fmt: skip
    numbers += [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(3000)]
    numbers += [rng.gauss(0, 1) * 10 ** rng.randint(-9, 9) for _ in range(3000)]
    numbers += [float(rng.randint(-(10**7), 10**7)) for _ in range(1000)]
    for x in numbers:
        assert labels.number_text(x) == reference_number_text(x), x
    values: list[Any] = [None, 1.5, [], [[]], numbers[:3], numbers[:40], [numbers[:7]] * 9]
    values += [(1.0, 2.0), [[1, True], ["nan", -0.0]], [[[0.25] * 30] * 3] * 2]
    values += [[rng.choice(numbers) for _ in range(rng.randint(0, 30))] for _ in range(300)]
    for value in values:
        for max_chars in (1, 5, 36, 60, 200, 1000):
            assert labels.value_text(value, max_chars) == reference_value_text(value, max_chars)
