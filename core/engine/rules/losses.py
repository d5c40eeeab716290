"""Chain rules of the losses: mse, nll (cross_entropy's last step), binary cross-entropy, huber."""

from __future__ import annotations

import torch

from core.engine.rules.base import Ctx, Local, Part, Tensor, num, rule

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
