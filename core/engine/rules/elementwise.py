"""Chain rules of elementwise ops: one input (exp, tanh, relu, …) and two (add, mul, pow, …)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from core.engine.rules.base import (
    RULES,
    Ctx,
    Local,
    Part,
    R,
    Tensor,
    num,
    rule,
    short,
    times,
    unary,
)

# --- elementwise, one input ------------------------------------------------------------------
UNARY: dict[str, tuple[str, str, Callable[[Ctx], Any]]] = {
    "NegBackward0": ("d(−x)/dx = −1", "−1", lambda c: -1.0),
    "ExpBackward0": ("d eˣ/dx = eˣ", "eˣ", lambda c: c[R]),
    "Exp2Backward0": ("d 2ˣ/dx = 2ˣ·ln 2", "2ˣ·ln 2", lambda c: c[R] * math.log(2)),
    "Expm1Backward0": ("d(eˣ − 1)/dx = eˣ", "eˣ", lambda c: c[R] + 1),
    "LogBackward0": ("d ln x/dx = 1/x", "1/x", lambda c: 1 / c["self"]),
    "Log2Backward0": ("d log₂x/dx = 1/(x·ln 2)", "1/(x·ln 2)",
                      lambda c: 1 / (c["self"] * math.log(2))),
    "Log10Backward0": ("d log₁₀x/dx = 1/(x·ln 10)", "1/(x·ln 10)",
                       lambda c: 1 / (c["self"] * math.log(10))),
    "Log1PBackward0": ("d ln(1 + x)/dx = 1/(1 + x)", "1/(1 + x)", lambda c: 1 / (1 + c["self"])),
    "SqrtBackward0": ("d √x/dx = 1/(2√x)", "1/(2√x)", lambda c: 1 / (2 * c[R])),
    "RsqrtBackward0": ("d x^(−½)/dx = −½·x^(−3/2)", "−½·x^(−3/2)", lambda c: -0.5 * c[R] ** 3),
    "ReciprocalBackward0": ("d(1/x)/dx = −1/x²", "−1/x²", lambda c: -(c[R] ** 2)),
    "AbsBackward0": ("d|x|/dx = sign(x)", "sign(x)", lambda c: c["self"].sign()),
    "SinBackward0": ("d sin x/dx = cos x", "cos x", lambda c: c["self"].cos()),
    "CosBackward0": ("d cos x/dx = −sin x", "−sin x", lambda c: -c["self"].sin()),
    "TanBackward0": ("d tan x/dx = 1 + tan²x", "1 + tan²x", lambda c: 1 + c[R] ** 2),
    "SinhBackward0": ("d sinh x/dx = cosh x", "cosh x", lambda c: c["self"].cosh()),
    "CoshBackward0": ("d cosh x/dx = sinh x", "sinh x", lambda c: c["self"].sinh()),
    "AtanBackward0": ("d atan x/dx = 1/(1 + x²)", "1/(1 + x²)", lambda c: 1 / (1 + c["self"] ** 2)),
    "AsinBackward0": ("d asin x/dx = 1/√(1 − x²)", "1/√(1 − x²)",
                      lambda c: (1 - c["self"] ** 2).rsqrt()),
    "TanhBackward0": ("d tanh x/dx = 1 − tanh²x", "1 − tanh²x", lambda c: 1 - c[R] ** 2),
    "SigmoidBackward0": ("dσ(x)/dx = σ(x)·(1 − σ(x))", "σ(x)(1 − σ(x))",
                         lambda c: c[R] * (1 - c[R])),
    "LogSigmoidBackward0": ("d ln σ(x)/dx = 1 − σ(x)", "1 − σ(x)",
                            lambda c: 1 - c["self"].sigmoid()),
    "ReluBackward0": ("d relu(x)/dx = 1 if x > 0, else 0", "[x > 0]",
                      lambda c: (c[R] > 0).to(c[R].dtype)),
    "ErfBackward0": ("d erf x/dx = (2/√π)·e^(−x²)", "(2/√π)e^(−x²)",
                     lambda c: 2 / math.sqrt(math.pi) * (-c["self"] ** 2).exp()),
    "SiluBackward0": ("d(x·σ(x))/dx = σ(x)·(1 + x·(1 − σ(x)))", "σ(x)(1 + x(1 − σ(x)))",
                      lambda c: c["self"].sigmoid() * (1 + c["self"] * (1 - c["self"].sigmoid()))),
    "CloneBackward0": ("d clone(x)/dx = 1", "1", lambda c: 1.0),
    "ToCopyBackward0": ("d x.to(dtype)/dx = 1 (cast back to x's dtype)", "1", lambda c: 1.0),
    "SignBackward0": ("d sign(x)/dx = 0 (almost everywhere)", "0", lambda c: 0.0),
    "RoundBackward0": ("d round(x)/dx = 0 (almost everywhere)", "0", lambda c: 0.0),
    "FloorBackward0": ("d⌊x⌋/dx = 0 (almost everywhere)", "0", lambda c: 0.0),
    "CeilBackward0": ("d⌈x⌉/dx = 0 (almost everywhere)", "0", lambda c: 0.0),
    "FracBackward0": ("d frac(x)/dx = 1", "1", lambda c: 1.0),
}  # fmt: skip
for _name, (_formula, _shown, _local) in UNARY.items():
    RULES[_name] = unary(_formula, _shown, _local)


@rule("LeakyReluBackward0")
def _leaky(c: Ctx) -> Local:
    slope = num(c["negative_slope"])
    local = torch.where(c["self"] > 0, 1.0, slope).to(c["self"].dtype)
    return Local(f"d leaky_relu(x)/dx = 1 if x > 0, else α = {slope:g}",
                 [times("x", c, 0, local, "[x > 0 ? 1 : α]")])  # fmt: skip


@rule("ClampBackward1", "ClampBackward0", "ClampMinBackward0", "ClampMaxBackward0")
def _clamp(c: Ctx) -> Local:
    if any(c.needs(i) for i in range(1, len(c.fn.next_functions))):
        raise LookupError("clamp with bounds that need gradients is not listed")
    x = c["self"]
    lo, hi = c.saved.get("min"), c.saved.get("max")
    inside = torch.ones_like(x, dtype=torch.bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    bounds = " ≤ ".join(s for s in (_bound(lo), "x", _bound(hi)) if s)
    return Local(f"d clamp(x)/dx = 1 where {bounds}, else 0",
                 [times("x", c, 0, inside.to(x.dtype), f"[{bounds}]")])  # fmt: skip


def _bound(v: Any) -> str:
    return "" if v is None else short(num(v))


@rule("HardtanhBackward0")
def _hardtanh(c: Ctx) -> Local:
    x, lo, hi = c["self"], num(c["min_val"]), num(c["max_val"])
    local = ((x > lo) & (x < hi)).to(x.dtype)
    return Local(f"d hardtanh(x)/dx = 1 where {lo:g} < x < {hi:g}, else 0",
                 [times("x", c, 0, local, f"[{lo:g} < x < {hi:g}]")])  # fmt: skip


@rule("SoftplusBackward0")
def _softplus(c: Ctx) -> Local:
    x, beta, limit = c["self"], num(c["beta"]), num(c["threshold"])
    local = torch.where(x * beta > limit, torch.ones_like(x), (x * beta).sigmoid())
    return Local(f"d softplus(x)/dx = σ(βx), β = {beta:g} (1 above the threshold)",
                 [times("x", c, 0, local, "σ(βx)")])  # fmt: skip


@rule("GeluBackward0")
def _gelu(c: Ctx) -> Local:
    if c["approximate"] != "none":
        raise LookupError("tanh-approximated GELU is not listed")
    x = c["self"]
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = (-0.5 * x * x).exp() / math.sqrt(2 * math.pi)
    return Local("d(x·Φ(x))/dx = Φ(x) + x·φ(x)", [times("x", c, 0, cdf + x * pdf, "Φ(x) + xφ(x)")])


@rule("PowBackward0")
def _pow_scalar(c: Ctx) -> Local:
    n, x = num(c["exponent"]), c["self"]
    local = torch.zeros_like(x) if n == 0 else n * x ** (n - 1)
    return Local(f"d xⁿ/dx = n·xⁿ⁻¹, n = {n:g}", [times("x", c, 0, local, _power(n))])


SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def _power(n: float) -> str:
    """n·xⁿ⁻¹ with the numbers in: 2·x, 3·x², 0.5·x^-0.5."""
    m = n - 1
    if m == 0:
        return f"{n:g}"
    power = "x" if m == 1 else ("x" + f"{m:g}".translate(SUPERSCRIPT) if m == int(m)
                                else f"x^{m:g}")  # fmt: skip
    return f"{n:g}·{power}"


# --- elementwise, two inputs -----------------------------------------------------------------
@rule("AddBackward0")
def _add(c: Ctx) -> Local:
    alpha = num(c["alpha"])
    a_part = times("a", c, 0, 1.0, "1")
    formula = "∂(a + b)/∂a = 1, ∂(a + b)/∂b = 1"
    if alpha != 1:
        formula = f"∂(a + α·b)/∂a = 1, ∂(a + α·b)/∂b = α = {alpha:g}"
    return Local(formula, [a_part, times("b", c, 1, alpha, short(alpha))])


@rule("SubBackward0")
def _sub(c: Ctx) -> Local:
    alpha = num(c["alpha"])
    formula = "∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1"
    if alpha != 1:
        formula = f"∂(a − α·b)/∂a = 1, ∂(a − α·b)/∂b = −α = {-alpha:g}"
    return Local(formula, [times("a", c, 0, 1.0, "1"), times("b", c, 1, -alpha, short(-alpha))])


@rule("RsubBackward0", "RsubBackward1")
def _rsub(c: Ctx) -> Local:
    alpha = num(c["alpha"])
    parts = [times("a", c, 0, -alpha, short(-alpha))]
    if len(c.fn.next_functions) > 1:
        parts.append(times("b", c, 1, 1.0, "1"))
    return Local("∂(b − a)/∂a = −1, ∂(b − a)/∂b = 1 (b − a: a number minus a tensor)", parts)


@rule("MulBackward0", "DotBackward0")
def _mul(c: Ctx) -> Local:
    a, b = c.saved.get("self"), c.saved.get("other", c.saved.get("tensor"))
    formula = "∂(a·b)/∂a = b, ∂(a·b)/∂b = a"
    if "Dot" in type(c.fn).__name__:
        formula = "∂(a·b)/∂aᵢ = bᵢ, ∂(a·b)/∂bᵢ = aᵢ  (dot product)"
    return Local(formula, [times("a", c, 0, b, "b"), times("b", c, 1, a, "a")])


@rule("DivBackward0")
def _div(c: Ctx) -> Local:
    b = c["other"]
    parts = [times("a", c, 0, 1 / b, "1/b")]
    parts.append(times("b", c, 1, -c["self"] / b**2, "−a/b²") if c.needs(1) else None)
    return Local("∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²", parts)


@rule("PowBackward1")
def _pow_tensor(c: Ctx) -> Local:
    a, b, result = c["self"], c["exponent"], c[R]
    da = torch.where(b == 0, torch.zeros_like(a), b * a ** (b - 1))
    db = torch.where((a == 0) & (b >= 0), torch.zeros_like(result), result * a.log())
    return Local("∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a",
                 [times("a", c, 0, da, "b·aᵇ⁻¹"), times("b", c, 1, db, "aᵇ·ln a")])  # fmt: skip


@rule("PowBackward2")
def _pow_base(c: Ctx) -> Local:
    base, result = num(c["self"]), c[R]
    local = torch.zeros_like(result) if base == 0 else result * math.log(base)
    return Local(f"∂(cᵇ)/∂b = cᵇ·ln c, c = {base:g}", [times("b", c, 0, local, "cᵇ·ln c")])


@rule("MaximumBackward0", "MinimumBackward0")
def _max_min(c: Ctx) -> Local:
    a, b = c["self"], c["other"]
    word, wins = ("max", a > b) if "Max" in type(c.fn).__name__ else ("min", a < b)
    la = torch.where(a == b, 0.5, wins.to(a.dtype)).to(a.dtype)
    parts = [times("a", c, 0, la, "[a wins]"), times("b", c, 1, 1 - la, "[b wins]")]
    return Local(f"∂ {word}(a, b)/∂a = 1 where a wins, ½ on a tie, else 0 (and b alike)", parts)


@rule("Atan2Backward0")
def _atan2(c: Ctx) -> Local:
    a, b = c["self"], c["other"]
    r2 = a**2 + b**2
    return Local("∂ atan2(a, b)/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²)",
                 [times("a", c, 0, b / r2, "b/(a² + b²)"),
                  times("b", c, 1, -a / r2, "−a/(a² + b²)")])  # fmt: skip


@rule("HypotBackward0")
def _hypot(c: Ctx) -> Local:
    r = c[R]
    parts = [times("a", c, 0, c["self"] / r, "a/r"), times("b", c, 1, c["other"] / r, "b/r")]
    return Local("∂√(a² + b²)/∂a = a/√(a² + b²), and b alike", parts)


@rule("LogaddexpBackward0")
def _logaddexp(c: Ctx) -> Local:
    a, b = c["self"], c["other"]
    return Local("∂ ln(eᵃ + eᵇ)/∂a = eᵃ/(eᵃ + eᵇ), and b alike",
                 [times("a", c, 0, (a - b).sigmoid(), "σ(a − b)"),
                  times("b", c, 1, (b - a).sigmoid(), "σ(b − a)")])  # fmt: skip


@rule("WhereBackward0")
def _where(c: Ctx) -> Local:
    cond = c["condition"]
    return Local("∂ where(c, a, b)/∂a = 1 where c, else 0; ∂/∂b = the rest",
                 [times("a", c, 0, cond.to(c.g.dtype), "[c]"),
                  times("b", c, 1, (~cond).to(c.g.dtype), "[not c]")])  # fmt: skip


@rule("LerpBackward0")
def _lerp(c: Ctx) -> Local:
    w = c["weight"]
    if isinstance(w, Tensor) and w.dim() > 0:
        raise LookupError("lerp with a tensor weight is not listed")
    w = num(w)
    parts = [times("a", c, 0, 1 - w, short(1 - w)), times("b", c, 1, w, short(w))]
    return Local(f"∂ lerp(a, b, w)/∂a = 1 − w, ∂/∂b = w, w = {w:g}", parts)


@rule("MaskedFillBackward0")
def _masked_fill(c: Ctx) -> Local:
    mask = c["mask"]
    parts: list[Part | None] = [times("x", c, 0, (~mask).to(c.g.dtype), "[not mask]")]
    if c.needs(1):  # a tensor fill value
        parts.append(Part("v", "Σ {g}[mask]", c.fit(1, (c.g * mask).sum())))
    return Local("∂ masked_fill(x, mask, v)/∂x = 0 where mask, else 1; ∂/∂v = Σ over mask", parts)
