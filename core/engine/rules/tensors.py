"""Chain rules of matrix products and of ops that only move numbers (view, select, cat, …)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from core.engine.rules.base import (
    RULES,
    Ctx,
    Local,
    Part,
    Tensor,
    num,
    rule,
    short,
    structural,
    times,
)


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
        times("b", c, 0, beta, short(beta)),
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
    return Local(f"∂ x.repeat{short(reps)}/∂xᵢ = 1 per copy: the copies' gradients add up", [part])


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
