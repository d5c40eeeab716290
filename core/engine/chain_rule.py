"""The chain rule with the numbers, for each backward step.

`explain` runs in the recorder's pre-hook, while the node's saved tensors are alive: it
evaluates the op's local derivative from `core.engine.rules` (its own arithmetic, not
autograd's) and keeps the numbers as plain values. `describe` turns that into what the
record holds: the formula and one line per input, "∂o/∂a = ∂o/∂y × b = 1 × 0.5 = 0.5".
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch

from core.engine.rules import RULES, Ctx, Part
from core.engine.values import value_of
from core.record.graph import ChainTerm, Value
from core.record.labels import value_text
from core.record.language import without_jupyter_lines

LINE_CHARS = 60  # how much of each value a chain line shows
MAX_TERMS = 32  # inputs a step's chain rule is written out for (torch.stack of 3,000 has
# 3,000 inputs, each term carrying the whole incoming gradient: n² numbers); the rest counted
ACCUMULATE = "AccumulateGrad"


@dataclass
class RawTerm:
    input: int
    symbol: str
    template: str
    show: dict[str, tuple[str, Value]]
    incoming: Value
    local: Value
    outgoing: Value
    summed: bool = False


@dataclass
class Explained:
    """What the pre-hook worked out for one node execution (plain values only)."""

    formula: str | None
    terms: list[RawTerm] = field(default_factory=list)
    note: str | None = None  # why there is no formula
    more: int = 0  # inputs past MAX_TERMS, not written out


def explain(
    fn: Any, grad_outputs: tuple, saved: list[tuple[str, Any]], incoming: tuple[Value, ...] = ()
) -> Explained:
    """The local derivative of `fn` and, per input, incoming × local = outgoing
    (`incoming`: grad_outputs as values, when the caller has them already)."""
    name = type(fn).__name__
    rule = RULES.get(name)
    if rule is None and name != ACCUMULATE:
        return Explained(None, note=f"the formula for {name} isn't listed")
    try:
        if torch.is_grad_enabled():  # backward runs without grad mode unless create_graph=True
            with torch.no_grad():
                return _explain(rule, fn, grad_outputs, saved, incoming)
        return _explain(rule, fn, grad_outputs, saved, incoming)
    except Exception as e:  # noqa: BLE001 — a hook must never break the user's backward()
        return Explained(None, note=f"the formula for {name} isn't listed for this case ({e})")


def _explain(
    rule: Any, fn: Any, grad_outputs: tuple, saved: list[tuple[str, Any]],
    incoming: tuple[Value, ...],
) -> Explained:  # fmt: skip
    if rule is None:
        return _accumulate(fn, grad_outputs)
    local = rule(Ctx(fn, dict(saved), tuple(grad_outputs)))
    g = incoming[0] if incoming else value_of(grad_outputs[0] if grad_outputs else None)
    parts = [(i, p) for i, p in enumerate(local.parts) if p is not None]
    terms = [_term(i, p, g) for i, p in parts[:MAX_TERMS]]
    return Explained(local.formula, terms, more=len(parts) - len(terms))


def _term(i: int, part: Part, g: Value) -> RawTerm:
    local = _plain(part.local)
    show = {k: (sym, local if v is part.local else _plain(v)) for k, (sym, v) in part.show.items()}
    return RawTerm(i, part.symbol, part.template, show, g, local, value_of(part.out), part.summed)


def _plain(v: Any) -> Value:
    if isinstance(v, torch.Tensor):
        return value_of(v)
    if isinstance(v, bool | int | float):
        return float(v)
    return None


def _accumulate(fn: Any, grad_outputs: tuple) -> Explained:
    leaf = fn.variable
    return accumulated(grad_outputs[0], leaf.grad, leaf.dtype)


def accumulated(g: torch.Tensor, before: torch.Tensor | None, dtype: torch.dtype) -> Explained:
    """AccumulateGrad's rule: `g` arriving at a leaf whose .grad was `before`."""
    new = g.to(dtype) if before is None else before + g
    template = "{g}" if before is None else "{before} + {g}"
    show = {"before": (".grad", value_of(before))} if before is not None else {}
    term = RawTerm(0, "x", template, show, value_of(g), None, value_of(new))
    return Explained("x.grad ← x.grad + ∂o/∂x  (AccumulateGrad adds what arrives to .grad)",
                     [term])  # fmt: skip


Label = Callable[[Any], str | None]
Text = Callable[[Value], str]


def _v(value: Value) -> str:
    return value_text(value, LINE_CHARS)


def describe(
    explained: Explained | None,
    fn: Any,
    root: str,
    label: Label,
    grad_outputs: tuple[Value, ...],
    grad_inputs: tuple[Value, ...],
    source_id: Callable[[Any], str | None],
    text: Text = _v,
) -> tuple[str | None, tuple[str, ...], tuple[ChainTerm, ...]]:
    """(formula, one line per input, structured terms) for one step of the record
    (`text`: how a value is written, e.g. a `Texts` shared by all the steps)."""
    here = label(fn) or "out"
    d_out = f"∂{wrap(root)}/∂{wrap(here)}"
    root = wrap(root)
    if explained is None or explained.formula is None:
        return None, _unlisted(explained, fn, d_out, grad_outputs, grad_inputs, root, text), ()
    if type(fn).__name__ == ACCUMULATE:
        return _accumulate_text(explained, fn, root, label, source_id, text)
    lines, terms = [], []
    g_text = text(explained.terms[0].incoming) if explained.terms else ""  # one g for all inputs
    names = {t.input: label(fn.next_functions[t.input][0]) for t in explained.terms}
    rename = symbols_for(explained, names, getattr(label, "taken", frozenset()), label)
    for t in explained.terms:
        child = fn.next_functions[t.input][0]
        name = names[t.input]
        symbol = rename.get(t.symbol, t.symbol)
        template = renamed(t.template, rename)
        symbolic = _fill(template, d_out, {k: renamed(s, rename) for k, (s, _) in t.show.items()})
        line = f"∂{root}/∂{symbol} = {symbolic} = "
        if t.show:  # the same with the numbers (a rearrangement alone has none to show)
            line += _fill(template, g_text, {k: text(v) for k, (_, v) in t.show.items()}) + " = "
        line += text(t.outgoing)
        if t.summed:
            line += f"  (summed to {symbol}'s shape)"
        if name and name != symbol:
            line += f"   [{symbol} = {name}]"
        lines.append(line)
        terms.append(ChainTerm(t.input, symbol, source_id(child), name, t.incoming, t.local,
                               t.outgoing))  # fmt: skip
    if explained.more:
        lines.append(f"… and {explained.more:,} more inputs, each by the same rule")
    return renamed(explained.formula, rename), tuple(lines), tuple(terms)


def _accumulate_text(
    explained: Explained, fn: Any, root: str, label: Label,
    source_id: Callable[[Any], str | None], text: Text,
) -> tuple[str | None, tuple[str, ...], tuple[ChainTerm, ...]]:  # fmt: skip
    leaf = label(fn) or next(iter(neutral(getattr(label, "taken", frozenset()))))
    t = explained.terms[0]
    if t.show:
        before = text(t.show["before"][1])
        line = f"{leaf}.grad = {before} + {text(t.incoming)} = {text(t.outgoing)}"
    else:
        line = f"{leaf}.grad = ∂{root}/∂{leaf} = {text(t.outgoing)}   (.grad was None)"
    formula = (
        (explained.formula or "")
        .replace("x.grad", f"{leaf}.grad")
        .replace("∂o/∂x", f"∂{root}/∂{leaf}")
    )
    term = ChainTerm(0, leaf, source_id(fn), leaf, t.incoming, None, t.outgoing)
    return formula, (line,), (term,)


def _unlisted(
    explained: Explained | None, fn: Any, d_out: str, grad_outputs: tuple[Value, ...],
    grad_inputs: tuple[Value, ...], root: str, text: Text,
) -> tuple[str, ...]:  # fmt: skip
    note = explained.note if explained is not None and explained.note else (
        f"the formula for {type(fn).__name__} isn't listed")  # fmt: skip
    received = ", ".join(text(g) for g in grad_outputs) or "nothing"
    lines = [f"{d_out} = {received} arrives ({note})"]
    for i, g in enumerate(grad_inputs):
        if g is not None:
            lines.append(f"∂{root}/∂input{i} = {text(g)} goes on (as autograd computed it)")
    return tuple(lines)


def _fill(template: str, g: str, show: dict[str, str]) -> str:
    return template.format(g=g, **show)


PAIRS = ({"a", "b"}, {"x", "y"}, {"A", "B"})  # a rule's inputs go by these in twos
NEUTRAL = ("u", "v", "w", "z", "q", "k", "m", "h")  # for inputs without a name of their own
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def neutral(taken: frozenset[str] | set[str]) -> Iterator[str]:
    """Symbols none of `taken` (the program's names, the formula's letters) can be."""
    for symbol in NEUTRAL:
        if symbol not in taken:
            yield symbol
    for i in itertools.count(1):  # u₁, u₂, …: not even a Python identifier
        yield "u" + "".join(SUBSCRIPTS[int(d)] for d in str(i))


SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


def symbols_for(
    explained: Explained, names: dict[int, str | None], taken: frozenset[str], label: Any
) -> dict[str, str]:
    """The rule's input symbols -> the program's own name of that input (x, model.w) or a
    neutral symbol that none of the program's names, nor the formula's other letters, is:
    "∂o/∂u … [u = x + 1]" where the rule's own letter (x) would clash with the program's."""
    own = getattr(label, "own", None)
    used = {t.symbol for t in explained.terms}
    for pair in PAIRS:
        if used & pair:
            used |= pair
    texts = [explained.formula or ""] + [t.template for t in explained.terms]
    texts += [sym for t in explained.terms for sym, _ in t.show.values()]
    letters = {w for text in texts for w in _WORD.findall(text)} - used
    rename: dict[str, str] = {}
    for t in explained.terms:
        name = own(names[t.input]) if own is not None else None
        if name and t.symbol not in rename:
            rename[t.symbol] = name
    fresh = neutral(set(taken) | letters | set(rename.values()))
    for symbol in sorted(used, key=lambda s: (s.lower(), s)):
        if symbol not in rename:
            rename[symbol] = next(fresh)
    return rename


def renamed(text: str, rename: dict[str, str]) -> str:
    """`text` with each standalone symbol of `rename` (xᵢ, dx and 2·x too) replaced, all at
    once (a → b and b → a swap); English words stay ("a number")."""
    if not rename or not text:
        return text
    keys = "|".join(re.escape(k) for k in sorted(rename, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![A-Za-z0-9_.])(d?)({keys})(?![A-Za-z0-9_])(?! (?:number|tensor|wins))"
    )
    return pattern.sub(lambda m: m.group(1) + rename[m.group(2)], text)


_FLAT = frozenset({float, str})  # what a float tensor's flat value holds ("nan" as a str)


class Texts:
    """`value_text(value, LINE_CHARS)`, each distinct number or short flat list of floats
    written once: a gradient one step sends on is written again where the next one receives
    it, and the same local derivative comes back step after step. Equal floats (and tuples
    of them) give equal text (0.0 and -0.0 both give "0."), so the value is the key."""

    MAX_ITEMS = 64  # longer lists are written each time (hashing them would cost as much)

    def __init__(self) -> None:
        self.known: dict[float | tuple[float | str, ...], str] = {}

    def __call__(self, value: Value) -> str:
        kind = type(value)
        if kind is float:
            key = value
        elif kind is list and len(value) <= self.MAX_ITEMS and _FLAT.issuperset(map(type, value)):
            key = tuple(value)
        else:
            return value_text(value, LINE_CHARS)
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = value_text(value, LINE_CHARS)
        return text


@functools.lru_cache(maxsize=1024)
def wrap(label: str) -> str:
    """A label as an operand: "(x + 1)" keeps its parentheses off a plain name or call."""
    plain = all(ch.isalnum() or ch in "_.[]" for ch in label)
    closed = label.startswith("(") and label.endswith(")") and label.count("(") == 1
    return label if plain or closed else f"({label})"


class Labeler:
    """What a chain-rule line calls a node's tensor: the program's name for it, else its
    source text when short ("x + 1"), else None."""

    MAX_TEXT = 20

    def __init__(self, tracker: Any, lines: list[str]) -> None:
        self.tracker = tracker
        self.lines = lines
        self.known: dict[Any, str | None] = {}
        self.taken = program_names("\n".join(lines))

    def own(self, label: str | None) -> str | None:
        """`label` if it is the program's own name for a tensor (x, model.fc1.weight), not
        a piece of its text (x + 1)."""
        if label and all(part.isidentifier() for part in label.split(".")):
            return label
        return None

    def __call__(self, fn: Any) -> str | None:
        if fn not in self.known:
            self.known[fn] = self._label(fn)
        return self.known[fn]

    def _label(self, fn: Any) -> str | None:
        if fn is None:
            return None
        leaf = getattr(fn, "variable", None)
        made = self.tracker.tensors.get(id(leaf)) if leaf is not None else self.tracker.fns.get(fn)
        if made is None:
            return None
        return made.name or self._text(made.span)

    def _text(self, span: tuple[int, int, int, int]) -> str | None:
        line, col, end_line, end_col = span
        if line != end_line or not 1 <= line <= len(self.lines):
            return None
        text = self.lines[line - 1][col - 1 : end_col - 1].strip()
        return text if text and len(text) <= self.MAX_TEXT else None


def program_names(source: str) -> frozenset[str]:
    """Every name the program uses (variables, functions, arguments, attributes)."""
    try:
        tree = ast.parse(without_jupyter_lines(source))
    except (SyntaxError, ValueError):
        return frozenset(_WORD.findall(source))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names.add(node.name)
    return frozenset(names)
