"""The chain-rule table: for each autograd op, its local derivative in readable math and a
way to compute, from the op's saved values, what it sends back to each input.

Each rule is evaluated independently of autograd (its own torch arithmetic on the saved
inputs and outputs) during backward, just before the node runs; tests check the numbers
against the gradients autograd then computes. A rule returns `Local`: the formula, and per
input (aligned with `next_functions`) a `Part`, or None where no gradient goes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor


@dataclass
class Part:
    """One input's share: `template` shows how the outgoing gradient is made from {g}
    (the incoming gradient) and the named factors in `show` (placeholder -> symbol, value)."""

    symbol: str
    template: str
    out: Tensor
    show: dict[str, tuple[str, Any]] = field(default_factory=dict)
    local: Any = None  # the local derivative's value, when it is one tensor or number
    summed: bool = False  # incoming × local was summed over broadcast dimensions


@dataclass
class Local:
    formula: str
    parts: list[Part | None]


@dataclass
class Ctx:
    """What a rule sees: the node, its saved attributes and the gradients it received."""

    fn: Any
    saved: dict[str, Any]
    grads: tuple[Tensor | None, ...]

    @property
    def g(self) -> Tensor:
        grad = self.grads[0]
        if grad is None:
            raise LookupError("no incoming gradient")
        return grad

    def __getitem__(self, name: str) -> Any:
        return self.saved[name]

    def needs(self, i: int) -> bool:
        """Whether input i receives a gradient (it has a node behind it)."""
        nexts = self.fn.next_functions
        return i < len(nexts) and nexts[i][0] is not None

    def meta(self, i: int) -> Any:
        child, nr = self.fn.next_functions[i]
        return child._input_metadata[nr]

    def fit(self, i: int, t: Tensor) -> Tensor:
        """Sum a gradient over broadcast dimensions to input i's shape, in its dtype."""
        meta = self.meta(i)
        shape = tuple(meta.shape)
        if tuple(t.shape) != shape:
            t = t.sum_to_size(shape) if t.dim() >= len(shape) else t.expand(shape)
        return t if t.dtype == meta.dtype else t.to(meta.dtype)


Rule = Callable[[Ctx], Local]
RULES: dict[str, Rule] = {}


def rule(*names: str) -> Callable[[Rule], Rule]:
    def register(f: Rule) -> Rule:
        for name in names:
            RULES[name] = f
        return f

    return register


def times(symbol: str, ctx: Ctx, i: int, local: Any, shown: str) -> Part | None:
    """The elementwise case: outgoing = incoming × local (summed to the input's shape)."""
    if not ctx.needs(i):
        return None
    full = ctx.g * local
    out = ctx.fit(i, full)
    show = {"L": (_operand(shown), local)}
    return Part(symbol, "{g} × {L}", out, show, local, full.shape != out.shape)


def _operand(shown: str) -> str:
    return f"({shown})" if any(ch in shown for ch in " +−") and shown[0] not in "([" else shown


def unary(formula: str, shown: str, local: Callable[[Ctx], Any]) -> Rule:
    def apply(ctx: Ctx) -> Local:
        value = local(ctx)
        return Local(formula, [times("x", ctx, 0, value, shown)])

    return apply


def structural(formula: str, template: str, out: Callable[[Ctx], Tensor]) -> Rule:
    """Ops that only move numbers (reshape, transpose, select, …): no factor, a rearrangement."""

    def apply(ctx: Ctx) -> Local:
        names = _fmt(ctx)
        part = Part("x", template.format(g="{g}", **names), out(ctx)) if ctx.needs(0) else None
        return Local(formula.format(**names), [part])

    return apply


def _fmt(ctx: Ctx) -> dict[str, str]:
    return {k: _short(v) for k, v in ctx.saved.items() if not isinstance(v, Tensor)}


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, tuple | list):
        return "(" + ", ".join(_short(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return str(v)


def num(x: Any) -> float:
    return float(x.item()) if isinstance(x, Tensor) else float(x)


# --- elementwise, one input ------------------------------------------------------------------
R = "result"
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
    return "" if v is None else _short(num(v))


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
    return Local(formula, [a_part, times("b", c, 1, alpha, _short(alpha))])


@rule("SubBackward0")
def _sub(c: Ctx) -> Local:
    alpha = num(c["alpha"])
    formula = "∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1"
    if alpha != 1:
        formula = f"∂(a − α·b)/∂a = 1, ∂(a − α·b)/∂b = −α = {-alpha:g}"
    return Local(formula, [times("a", c, 0, 1.0, "1"), times("b", c, 1, -alpha, _short(-alpha))])


@rule("RsubBackward0", "RsubBackward1")
def _rsub(c: Ctx) -> Local:
    alpha = num(c["alpha"])
    parts = [times("a", c, 0, -alpha, _short(-alpha))]
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
    parts = [times("a", c, 0, 1 - w, _short(1 - w)), times("b", c, 1, w, _short(w))]
    return Local(f"∂ lerp(a, b, w)/∂a = 1 − w, ∂/∂b = w, w = {w:g}", parts)


@rule("MaskedFillBackward0")
def _masked_fill(c: Ctx) -> Local:
    mask = c["mask"]
    parts: list[Part | None] = [times("x", c, 0, (~mask).to(c.g.dtype), "[not mask]")]
    if c.needs(1):  # a tensor fill value
        parts.append(Part("v", "Σ {g}[mask]", c.fit(1, (c.g * mask).sum())))
    return Local("∂ masked_fill(x, mask, v)/∂x = 0 where mask, else 1; ∂/∂v = Σ over mask", parts)


# --- reductions -------------------------------------------------------------------------------
def _dims(dim: Any, ndim: int) -> list[int]:
    if dim is None or (isinstance(dim, tuple | list) and len(dim) == 0):
        return list(range(ndim))
    dims = list(dim) if isinstance(dim, tuple | list) else [dim]
    return sorted(d % max(ndim, 1) for d in dims)


def _keep(t: Tensor, dims: list[int], keepdim: bool) -> Tensor:
    """A reduced tensor with its reduced dimensions back (size 1), for broadcasting."""
    if not keepdim:
        for d in dims:
            t = t.unsqueeze(d)
    return t


@rule("SumBackward0")
def _sum(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    part = Part("x", "{g} copied to every xᵢ", c.g.expand(shape), local=1.0)
    return Local("∂(Σᵢ xᵢ)/∂xᵢ = 1", [part])


@rule("SumBackward1")
def _sum_dim(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    dims = _dims(c["dim"], len(shape))
    out = _keep(c.g, dims, c["keepdim"]).expand(shape)
    part = Part("x", "{g} copied along dim " + _short(tuple(dims)), out, local=1.0)
    return Local(f"∂(Σ over dim {_short(tuple(dims))})/∂xᵢ = 1", [part])


@rule("MeanBackward0", "MeanBackward1")
def _mean(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    dims = _dims(c.saved.get("dim"), len(shape))
    n = math.prod(shape[d] for d in dims) if shape else 1
    g = _keep(c.g, dims, c.saved.get("keepdim", False)) if "dim" in c.saved else c.g
    out = (g / n).expand(shape)
    where = "" if "dim" not in c.saved else f" over dim {_short(tuple(dims))}"
    part = Part("x", "{g} × {L}, copied to every xᵢ", out, {"L": ("1/N", 1 / n)}, 1 / n)
    return Local(f"∂(mean{where})/∂xᵢ = 1/N, N = {n}", [part])


@rule("MaxBackward1", "MinBackward1")
def _max_all(c: Ctx) -> Local:
    x, best = c["self"], c[R]
    hit = (x == best).to(x.dtype)
    local = hit / hit.sum()
    word = "max" if "Max" in type(c.fn).__name__ else "min"
    return Local(f"∂ {word}(x)/∂xᵢ = 1 at the {word} (shared on a tie), else 0",
                 [times("x", c, 0, local, f"[xᵢ = {word}]")])  # fmt: skip


@rule("AmaxBackward0", "AminBackward0")
def _amax(c: Ctx) -> Local:
    x, keepdim = c["self"], c["keepdim"]
    dims = _dims(c["dim"], x.dim())
    best = _keep(c[R], dims, keepdim)
    hit = (x == best).to(x.dtype)
    local = hit / hit.sum(dim=dims, keepdim=True)
    out = _keep(c.g, dims, keepdim) * local
    word = "amax" if "Amax" in type(c.fn).__name__ else "amin"
    part = Part("x", "{g} × {L}", out, {"L": ("[xᵢ = best]/ties", local)}, local)
    return Local(f"∂ {word}(x, dim)/∂xᵢ = 1 at the best along the dim (shared on ties)", [part])


@rule("MaxBackward0", "MinBackward0")
def _max_dim(c: Ctx) -> Local:
    shape, dim, keepdim = tuple(c["self_sym_sizes"]), c["dim"], c["keepdim"]
    idx = c["indices"]
    d = dim % max(len(shape), 1)
    g, idx = _keep(c.g, [d], keepdim), _keep(idx, [d], keepdim)
    out = torch.zeros(shape, dtype=g.dtype).scatter(d, idx, g) if shape else g.clone()
    word = "max" if "Max" in type(c.fn).__name__ else "min"
    part = Part("x", "{g} put at the " + word + "'s index along dim " + str(d), out)
    return Local(f"∂ {word}(x, dim)/∂xᵢ = 1 at the index it returns, else 0", [part])


@rule("ProdBackward0")
def _prod(c: Ctx) -> Local:
    x = c["self"].reshape(-1)
    ones = torch.ones(1, dtype=x.dtype)
    left = torch.cat([ones, x[:-1]]).cumprod(0)
    right = torch.cat([ones, x.flip(0)[:-1]]).cumprod(0).flip(0)
    local = (left * right).reshape(c["self"].shape)
    return Local("∂(Πⱼ xⱼ)/∂xᵢ = Πⱼ≠ᵢ xⱼ", [times("x", c, 0, local, "Πⱼ≠ᵢ xⱼ")])


@rule("CumsumBackward0")
def _cumsum(c: Ctx) -> Local:
    d = c["dim"]
    out = c.g.flip(d).cumsum(d).flip(d)
    part = Part("x", "reverse cumsum of {g} along dim " + str(d), out)
    return Local("∂(cumsum x)ⱼ/∂xᵢ = 1 for j ≥ i", [part])


@rule("SoftmaxBackward0")
def _softmax(c: Ctx) -> Local:
    s, d = c[R], c["dim"]
    out = s * (c.g - (c.g * s).sum(d, keepdim=True))
    part = Part("x", "{s} ⊙ ({g} − Σⱼ {g}ⱼ{s}ⱼ)", out, {"s": ("s", s)})
    return Local("∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ), s = softmax(x)", [part])


@rule("LogSoftmaxBackward0")
def _log_softmax(c: Ctx) -> Local:
    ls, d = c[R], c["dim"]
    s = ls.exp()
    out = c.g - s * c.g.sum(d, keepdim=True)
    part = Part("x", "{g} − {s} ⊙ Σⱼ {g}ⱼ", out, {"s": ("s", s)})
    return Local("∂ log sᵢ/∂xⱼ = δᵢⱼ − sⱼ, s = softmax(x)", [part])


@rule("LogsumexpBackward0")
def _logsumexp(c: Ctx) -> Local:
    x, keepdim = c["self"], c["keepdim"]
    dims = _dims(c["dim"], x.dim())
    s = (x - _keep(c[R], dims, keepdim)).exp()
    out = _keep(c.g, dims, keepdim) * s
    part = Part("x", "{g} × {s}", out, {"s": ("softmax(x)", s)}, s)
    return Local("∂ ln Σⱼ e^xⱼ/∂xᵢ = softmax(x)ᵢ", [part])


@rule("VarBackward0", "StdBackward0")
def _var_std(c: Ctx) -> Local:
    x, keepdim = c["self"], c["keepdim"]
    corr = 1.0 if c["correction"] is None else num(c["correction"])
    dims = _dims(c["dim"], x.dim())
    n = math.prod(x.shape[d] for d in dims) if x.dim() else 1
    centred = x - x.mean(dim=dims, keepdim=True)
    local = 2 * centred / (n - corr)
    formula = f"∂ var(x)/∂xᵢ = 2(xᵢ − x̄)/(N − {corr:g}), N = {n}"
    if "Std" in type(c.fn).__name__:
        local = local / (2 * _keep(c[R], dims, keepdim))
        formula = f"∂ std(x)/∂xᵢ = (xᵢ − x̄)/((N − {corr:g})·std), N = {n}"
    out = _keep(c.g, dims, keepdim) * local
    return Local(formula, [Part("x", "{g} × {L}", out, {"L": ("local", local)}, local)])


@rule("LinalgVectorNormBackward0")
def _norm(c: Ctx) -> Local:
    if num(c["ord"]) != 2:
        raise LookupError("only the 2-norm is listed")
    x, keepdim = c["self"], c["keepdim"]
    dims = _dims(c["dim"], x.dim())
    r = _keep(c[R], dims, keepdim)
    local = torch.where(r == 0, torch.zeros_like(x), x / r)
    out = _keep(c.g, dims, keepdim) * local
    return Local("∂‖x‖/∂xᵢ = xᵢ/‖x‖", [Part("x", "{g} × {L}", out, {"L": ("x/‖x‖", local)}, local)])


# --- linear algebra ---------------------------------------------------------------------------
def product(
    c: Ctx, i: int, symbol: str, template: str, shown: str,
    factor: Callable[[], Tensor], out: Callable[[Tensor], Tensor],
) -> Part | None:  # fmt: skip
    """A matrix product's share: `out(factor)`, with the factor shown as `shown`."""
    if not c.needs(i):
        return None
    f = factor()
    return Part(symbol, template, c.fit(i, out(f)), {"F": (shown, f)})


@rule("MmBackward0", "BmmBackward0")
def _mm(c: Ctx) -> Local:
    return Local("∂(A·B)/∂A = (·)Bᵀ, ∂(A·B)/∂B = Aᵀ(·)", [
        product(c, 0, "A", "{g} @ {F}", "Bᵀ", lambda: c["mat2"].mT, lambda f: c.g @ f),
        product(c, 1, "B", "{F} @ {g}", "Aᵀ", lambda: c["self"].mT, lambda f: f @ c.g),
    ])  # fmt: skip


@rule("AddmmBackward0")
def _addmm(c: Ctx) -> Local:
    alpha, beta = num(c["alpha"]), num(c["beta"])
    k = "" if alpha == 1 else f"{alpha:g}·"
    return Local("∂(b + A·B)/∂b = 1, ∂/∂A = (·)Bᵀ, ∂/∂B = Aᵀ(·)  (nn.Linear, F.linear)", [
        times("b", c, 0, beta, _short(beta)),
        product(c, 1, "A", k + "{g} @ {F}", "Bᵀ", lambda: c["mat2"].mT, lambda f: alpha * c.g @ f),
        product(c, 2, "B", k + "{F} @ {g}", "Aᵀ", lambda: c["mat1"].mT, lambda f: alpha * f @ c.g),
    ])  # fmt: skip


@rule("MvBackward0")
def _mv(c: Ctx) -> Local:
    return Local("∂(A·v)/∂A = (·)vᵀ, ∂(A·v)/∂v = Aᵀ(·)", [
        product(c, 0, "A", "{g} ⊗ {F}", "v", lambda: c["vec"], lambda f: torch.outer(c.g, f)),
        product(c, 1, "v", "{F} @ {g}", "Aᵀ", lambda: c["self"].mT, lambda f: f @ c.g),
    ])  # fmt: skip


@rule("TraceBackward0")
def _trace(c: Ctx) -> Local:
    rows, cols = c["self_sym_sizes"]
    eye = torch.eye(rows, cols, dtype=c.g.dtype)
    return Local("∂ tr(X)/∂Xᵢⱼ = 1 if i = j, else 0", [times("X", c, 0, eye, "I")])


# --- moving numbers around ---------------------------------------------------------------------
def _zeros(c: Ctx) -> Tensor:
    return torch.zeros(tuple(c["self_sym_sizes"]), dtype=c.g.dtype)


RULES.update({
    "ViewBackward0": structural("∂ x.view(shape)/∂x: each element goes back to its place",
                                "{g} reshaped to x's shape",
                                lambda c: c.g.reshape(tuple(c["self_sym_sizes"]))),
    "UnsafeViewBackward0": structural("∂ reshape(x)/∂x: each element goes back to its place",
                                      "{g} reshaped to x's shape",
                                      lambda c: c.g.reshape(tuple(c["self_sym_sizes"]))),
    "ReshapeAliasBackward0": structural("∂ reshape(x)/∂x: each element goes back to its place",
                                        "{g} reshaped to x's shape",
                                        lambda c: c.g.reshape(tuple(c["self_sym_sizes"]))),
    "TBackward0": structural("∂ xᵀ/∂x: transpose back", "{g}ᵀ", lambda c: c.g.t()),
    "TransposeBackward0": structural("∂ x.transpose({dim0}, {dim1})/∂x: transpose back",
                                     "{g} transposed back",
                                     lambda c: c.g.transpose(c["dim0"], c["dim1"])),
    "PermuteBackward0": structural("∂ x.permute{dims}/∂x: the inverse permutation",
                                   "{g} permuted back",
                                   lambda c: c.g.permute(_inverse(c["dims"]))),
    "UnsqueezeBackward0": structural("∂ x.unsqueeze({dim})/∂x: drop the added dimension",
                                     "{g} squeezed", lambda c: c.g.squeeze(c["dim"])),
    "ExpandBackward0": structural("∂ x.expand(…)/∂xᵢ = 1 per copy: the copies' gradients add up",
                                  "Σ of {g} over the copies",
                                  lambda c: c.g.sum_to_size(tuple(c["self_sym_sizes"]))),
    "SelectBackward0": structural("∂ x.select({dim}, {index})/∂x: 1 at the selected place, "
                                  "else 0", "zeros with {g} at index {index}",
                                  lambda c: _zeros(c).select_scatter(c.g, c["dim"], c["index"])),
    "SliceBackward0": structural("∂ x[{start}:{end}:{step}] (dim {dim})/∂x: 1 inside the slice, "
                                 "else 0", "zeros with {g} in the slice",
                                 lambda c: _zeros(c).slice_scatter(
                                     c.g, c["dim"], c["start"], c["end"], c["step"])),
    "IndexBackward0": structural("∂ x[idx]/∂x: 1 at each indexed place (repeats add up), else 0",
                                 "zeros with {g} added at the indices",
                                 lambda c: torch.ops.aten.index_put(
                                     _zeros(c), list(c["indices"]), c.g, True)),
    "IndexSelectBackward0": structural("∂ x.index_select({dim}, idx)/∂x: 1 at each selected "
                                       "place (repeats add up)", "zeros with {g} added at idx",
                                       lambda c: _zeros(c).index_add(c["dim"], c["index"], c.g)),
    "GatherBackward0": structural("∂ x.gather({dim}, idx)/∂x: 1 at each gathered place "
                                  "(repeats add up)", "zeros with {g} scattered-added at idx",
                                  lambda c: torch.zeros_like(c["self"], dtype=c.g.dtype)
                                  .scatter_add(c["dim"], c["index"], c.g)),
    "FlipBackward0": structural("∂ x.flip{dims}/∂x: flip back", "{g} flipped back",
                                lambda c: c.g.flip(c["dims"])),
    "RollBackward0": structural("∂ x.roll{shifts}/∂x: roll back", "{g} rolled back",
                                lambda c: c.g.roll([-s for s in c["shifts"]], c["dims"])),
    "TrilBackward0": structural("∂ tril(x)/∂x = 1 on and below diagonal {diagonal}, else 0",
                                "tril({g})", lambda c: c.g.tril(c["diagonal"])),
    "TriuBackward0": structural("∂ triu(x)/∂x = 1 on and above diagonal {diagonal}, else 0",
                                "triu({g})", lambda c: c.g.triu(c["diagonal"])),
})  # fmt: skip
for _n in ("SqueezeBackward0", "SqueezeBackward1", "SqueezeBackward2", "SqueezeBackward3",
           "SqueezeBackward4"):  # fmt: skip
    RULES[_n] = structural("∂ x.squeeze()/∂x: put the size-1 dimensions back",
                           "{g} reshaped to x's shape",
                           lambda c: c.g.reshape(tuple(c["self_sym_sizes"])))  # fmt: skip


def _inverse(dims: Sequence[int]) -> list[int]:
    n = len(dims)
    inv = [0] * n
    for i, d in enumerate(dims):
        inv[d % n] = i
    return inv


@rule("RepeatBackward0")
def _repeat(c: Ctx) -> Local:
    shape, reps = tuple(c["self_sym_sizes"]), tuple(c["repeats"])
    lead = len(reps) - len(shape)
    full = (1,) * lead + shape
    pairs = [s for r, n in zip(reps, full, strict=True) for s in (r, n)]
    out = c.g.reshape(pairs).sum(dim=tuple(range(0, 2 * len(reps), 2))).reshape(shape)
    part = Part("x", "Σ of {g} over the repeats", out, local=1.0)
    return Local(f"∂ x.repeat{_short(reps)}/∂xᵢ = 1 per copy: the copies' gradients add up", [part])


@rule("CatBackward0")
def _cat(c: Ctx) -> Local:
    d, start, parts = c["dim"], 0, []
    for i in range(len(c.fn.next_functions)):
        shape = tuple(c.meta(i).shape)
        dim = d % len(shape) if shape else 0
        size = shape[dim] if shape else 0
        piece = c.g.narrow(dim, start, size) if size else None
        parts.append(Part(_nth(i), f"{{g}}[{start}:{start + size}] along dim {dim}", piece)
                     if c.needs(i) and piece is not None else None)  # fmt: skip
        start += size
    return Local(f"∂ cat(x₀, x₁, …; dim {d})/∂xₖ: each xₖ gets its own slice back", parts)


@rule("StackBackward0")
def _stack(c: Ctx) -> Local:
    d = c["dim"]
    parts = [Part(_nth(i), f"{{g}}[{i}] along dim {d}", c.g.select(d, i)) if c.needs(i) else None
             for i in range(len(c.fn.next_functions))]  # fmt: skip
    return Local(f"∂ stack(x₀, x₁, …; dim {d})/∂xₖ: each xₖ gets its own slice back", parts)


@rule("SplitBackward0", "UnbindBackward0", "SplitWithSizesBackward0")
def _split(c: Ctx) -> Local:
    d = c["dim"]
    pieces = []
    for i, g in enumerate(c.grads):
        if g is None:
            shape = list(c.fn._input_metadata[i].shape)
            g = torch.zeros(shape, dtype=c.fn._input_metadata[i].dtype)
        pieces.append(g.unsqueeze(d) if "Unbind" in type(c.fn).__name__ else g)
    part = Part("x", "the pieces' gradients put back together (missing ones are 0)",
                torch.cat(pieces, d))  # fmt: skip
    return Local("∂ split(x)/∂x: each piece's gradient goes back to its place", [part])


def _nth(i: int) -> str:
    return "x" + "₀₁₂₃₄₅₆₇₈₉"[i] if i < 10 else f"x{i}"


# --- losses -------------------------------------------------------------------------------------
REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduce(c: Ctx, local: Tensor) -> tuple[Tensor, str, float]:
    """g × local for a loss, with the 1/N of a mean; (out, " /N" text, 1/N)."""
    how = REDUCTIONS.get(c["reduction"], "mean")
    scale = 1.0 / local.numel() if how == "mean" else 1.0
    return c.g * local * scale, " / N" if how == "mean" else "", scale


@rule("MseLossBackward0")
def _mse(c: Ctx) -> Local:
    x, y = c["self"], c["target"]
    out, per, _ = _reduce(c, 2 * (x - y))
    parts = [
        Part("x", "{g} × {L}" + per, c.fit(0, out), {"L": ("2(x − y)", 2 * (x - y))})
        if c.needs(0) else None,
        Part("y", "−({g} × {L})" + per, c.fit(1, -out), {"L": ("2(x − y)", 2 * (x - y))})
        if c.needs(1) else None,
    ]  # fmt: skip
    return Local(f"∂ (x − y)²/∂x = 2(x − y){per}, ∂/∂y = −2(x − y){per}  "
                 f"(reduction: {REDUCTIONS.get(c['reduction'])})", parts)  # fmt: skip


@rule("NllLossBackward0")
def _nll(c: Ctx) -> Local:
    x, target, weight = c["self"], c["target"], c.saved.get("weight")
    how, ignore = REDUCTIONS.get(c["reduction"], "mean"), c["ignore_index"]
    batched = x.dim() > 1
    t = target if batched else target.reshape(1)
    xs = x if batched else x.reshape(1, -1)
    w = weight[t.clamp(min=0)] if weight is not None else torch.ones(t.shape, dtype=x.dtype)
    w = torch.where(t == ignore, torch.zeros_like(w), w)
    g = c.g.reshape(-1) if how == "none" else c.g
    per_row = -w * g
    if how == "mean":
        per_row = per_row / w.sum()
    out = torch.zeros_like(xs).scatter(1, t.clamp(min=0).unsqueeze(1), per_row.unsqueeze(1))
    text = "−{g} / N at each row's target class, 0 elsewhere" if how == "mean" else (
        "−{g} at each row's target class, 0 elsewhere")  # fmt: skip
    part = Part("x", text, out.reshape(x.shape)) if c.needs(0) else None
    return Local("∂ −x[n, tₙ]/∂x = −1 at the target class, else 0  (nll_loss; cross_entropy "
                 "is log_softmax then this)", [part])  # fmt: skip


@rule("BinaryCrossEntropyWithLogitsBackward0")
def _bce_logits(c: Ctx) -> Local:
    x, y = c["self"], c["target"]
    weight, pos = c.saved.get("weight"), c.saved.get("pos_weight")
    if pos is not None:
        py = pos * y
        local = (py + 1 - y) * x.sigmoid() - py
    else:
        local = x.sigmoid() - y
    if weight is not None:
        local = local * weight
    out, per, scale = _reduce(c, local)
    parts: list[Part | None] = [
        Part("x", "{g} × {L}" + per, c.fit(0, out), {"L": ("σ(x) − y", local)})
        if c.needs(0) else None]  # fmt: skip
    if c.needs(1):
        if pos is not None:
            raise LookupError("the target's gradient with pos_weight is not listed")
        dy = -x * (weight if weight is not None else 1)
        parts.append(Part("y", "{g} × {L}" + per, c.fit(1, c.g * dy * scale), {"L": ("−x", dy)}))
    return Local(f"∂ BCE(σ(x), y)/∂x = σ(x) − y{per}, ∂/∂y = −x{per}", parts)


@rule("BinaryCrossEntropyBackward0")
def _bce(c: Ctx) -> Local:
    x, y, weight = c["self"], c["target"], c.saved.get("weight")
    local = (x - y) / ((1 - x) * x).clamp(min=1e-12)
    if weight is not None:
        local = local * weight
    out, per, _ = _reduce(c, local)
    part = Part("p", "{g} × {L}" + per, c.fit(0, out), {"L": ("(p − y)/(p(1 − p))", local)})
    return Local(f"∂ BCE(p, y)/∂p = (p − y)/(p(1 − p)){per}", [part if c.needs(0) else None])


@rule("SmoothL1LossBackward0", "HuberLossBackward0")
def _huber(c: Ctx) -> Local:
    x, y = c["self"], c["target"]
    d = x - y
    if "Huber" in type(c.fn).__name__:
        delta = num(c["delta"])
        local = torch.where(d.abs() <= delta, d, delta * d.sign())
        formula, shown = (
            f"∂ huber/∂x = x − y if |x − y| ≤ δ, else δ·sign(x − y); δ = {delta:g}",
            "h'",
        )
    else:
        beta = num(c["beta"])
        local = torch.where(d.abs() < beta, d / beta, d.sign()) if beta else d.sign()
        formula, shown = f"∂ smooth_l1/∂x = (x − y)/β if |x − y| < β, else sign; β = {beta:g}", "s'"
    out, per, _ = _reduce(c, local)
    parts = [Part("x", "{g} × {L}" + per, c.fit(0, out), {"L": (shown, local)})
             if c.needs(0) else None,
             Part("y", "−{g} × {L}" + per, c.fit(1, -out), {"L": (shown, local)})
             if c.needs(1) else None]  # fmt: skip
    return Local(formula + per, parts)
