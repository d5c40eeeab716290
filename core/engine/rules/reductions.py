"""Chain rules of reductions: sum, mean, max, softmax, norms, …"""

from __future__ import annotations

import math

import torch

from core.engine.rules.base import Ctx, Local, Part, R, dims_of, keep_dims, num, rule, short, times

# --- reductions -------------------------------------------------------------------------------


@rule("SumBackward0")
def _sum(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    part = Part("x", "{g} copied to every xᵢ", c.g.expand(shape), local=1.0)
    return Local("∂(Σᵢ xᵢ)/∂xᵢ = 1", [part])


@rule("SumBackward1")
def _sum_dim(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    dims = dims_of(c["dim"], len(shape))
    out = keep_dims(c.g, dims, c["keepdim"]).expand(shape)
    part = Part("x", "{g} copied along dim " + short(tuple(dims)), out, local=1.0)
    return Local(f"∂(Σ over dim {short(tuple(dims))})/∂xᵢ = 1", [part])


@rule("MeanBackward0", "MeanBackward1")
def _mean(c: Ctx) -> Local:
    shape = tuple(c["self_sym_sizes"])
    dims = dims_of(c.saved.get("dim"), len(shape))
    n = math.prod(shape[d] for d in dims) if shape else 1
    g = keep_dims(c.g, dims, c.saved.get("keepdim", False)) if "dim" in c.saved else c.g
    out = (g / n).expand(shape)
    where = "" if "dim" not in c.saved else f" over dim {short(tuple(dims))}"
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
    dims = dims_of(c["dim"], x.dim())
    best = keep_dims(c[R], dims, keepdim)
    hit = (x == best).to(x.dtype)
    local = hit / hit.sum(dim=dims, keepdim=True)
    out = keep_dims(c.g, dims, keepdim) * local
    word = "amax" if "Amax" in type(c.fn).__name__ else "amin"
    part = Part("x", "{g} × {L}", out, {"L": ("[xᵢ = best]/ties", local)}, local)
    return Local(f"∂ {word}(x, dim)/∂xᵢ = 1 at the best along the dim (shared on ties)", [part])


@rule("MaxBackward0", "MinBackward0")
def _max_dim(c: Ctx) -> Local:
    shape, dim, keepdim = tuple(c["self_sym_sizes"]), c["dim"], c["keepdim"]
    idx = c["indices"]
    d = dim % max(len(shape), 1)
    g, idx = keep_dims(c.g, [d], keepdim), keep_dims(idx, [d], keepdim)
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
    dims = dims_of(c["dim"], x.dim())
    s = (x - keep_dims(c[R], dims, keepdim)).exp()
    out = keep_dims(c.g, dims, keepdim) * s
    part = Part("x", "{g} × {s}", out, {"s": ("softmax(x)", s)}, s)
    return Local("∂ ln Σⱼ e^xⱼ/∂xᵢ = softmax(x)ᵢ", [part])


@rule("VarBackward0", "StdBackward0")
def _var_std(c: Ctx) -> Local:
    x, keepdim = c["self"], c["keepdim"]
    corr = 1.0 if c["correction"] is None else num(c["correction"])
    dims = dims_of(c["dim"], x.dim())
    n = math.prod(x.shape[d] for d in dims) if x.dim() else 1
    centred = x - x.mean(dim=dims, keepdim=True)
    local = 2 * centred / (n - corr)
    formula = f"∂ var(x)/∂xᵢ = 2(xᵢ − x̄)/(N − {corr:g}), N = {n}"
    if "Std" in type(c.fn).__name__:
        local = local / (2 * keep_dims(c[R], dims, keepdim))
        formula = f"∂ std(x)/∂xᵢ = (xᵢ − x̄)/((N − {corr:g})·std), N = {n}"
    out = keep_dims(c.g, dims, keepdim) * local
    return Local(formula, [Part("x", "{g} × {L}", out, {"L": ("local", local)}, local)])


@rule("LinalgVectorNormBackward0")
def _norm(c: Ctx) -> Local:
    if num(c["ord"]) != 2:
        raise LookupError("only the 2-norm is listed")
    x, keepdim = c["self"], c["keepdim"]
    dims = dims_of(c["dim"], x.dim())
    r = keep_dims(c[R], dims, keepdim)
    local = torch.where(r == 0, torch.zeros_like(x), x / r)
    out = keep_dims(c.g, dims, keepdim) * local
    return Local("∂‖x‖/∂xᵢ = xᵢ/‖x‖", [Part("x", "{g} × {L}", out, {"L": ("x/‖x‖", local)}, local)])
