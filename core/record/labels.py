"""The text inside each node's box, shared by the DOT export, the layout and the window.

Layout sizes every box from these lines, so whatever draws the graph must draw exactly
these lines (in the font named by `FONT_FAMILY` at `FONT_SIZE` points).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from core.record.graph import Node, Value

FONT_FAMILY = "DejaVu Sans Mono"
FONT_SIZE = 10  # points; torchviz's fontsize

MAX_VALUE_CHARS = 36


def shape_text(shape: Iterable[int] | None) -> str:
    """A shape the way torchviz writes it: "(2, 2)", "()" for a scalar."""
    if shape is None:
        return "?"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def number_text(x: object) -> str:
    """One number, short: 20. / 0.5 / 1e-06 / nan / True."""
    if type(x) is float:  # the common case first (nan and inf: as str() writes them)
        return f"{int(x)}." if -1e6 < x < 1e6 and x == int(x) else f"{x:.4g}"
    if not isinstance(x, float):  # "nan", "inf", "-inf" as the record stores them; bool, int
        return str(x)
    if not math.isfinite(x):  # (a float subclass)
        return str(x)
    return f"{int(x)}." if x.is_integer() and -1e6 < x < 1e6 else f"{x:.4g}"


def value_text(value: Value, max_chars: int = MAX_VALUE_CHARS) -> str:
    """A compact one-line rendering of a nested-list value, cut with "…" when long."""
    if value is None:
        return "None"
    text = number_text(value) if type(value) is float else _nested_text(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text


def whole_elements_text(value: Value, max_chars: int = MAX_VALUE_CHARS) -> str:
    """A value in at most about `max_chars` characters, cut only between elements:
    "[0.2725, 0.2676, 0.2628, …]", "[[1., 2.], …]" — never inside a number, and its
    brackets always closed (for sentences: the captions; boxes keep `value_text`)."""
    if value is None:
        return "None"
    if not isinstance(value, _SEQUENCE):
        return number_text(value)
    return _within(value, max_chars)


def _within(value: list | tuple, room: int) -> str:
    """`value` (a sequence) as "[a, b, …]" in at most `room` characters where it can be:
    elements that don't fit are left out behind one "…"; only the first element may be
    cut inside itself (a nested row, shortened the same way), so that something shows."""
    parts: list[str] = []
    used = 2  # the brackets
    last = len(value) - 1
    for i, item in enumerate(value):
        separator = 2 if parts else 0
        left = room - used - separator - (0 if i == last else 3)  # keep room for ", …"
        if isinstance(item, _SEQUENCE):
            text = _within(item, left) if not parts else _nested_text(item)
        else:
            text = number_text(item)
        if len(text) > left and (parts or not isinstance(item, _SEQUENCE)):
            parts.append("…")
            break
        parts.append(text)
        used += separator + len(text)
    return "[" + ", ".join(parts) + "]"


def _nested_text(value: Value) -> str:
    if type(value) is list and 0 < len(value) <= _FEW and type(value[0]) is float:
        # a short row of numbers: joined at once, if that is all the loop below would join
        text = ", ".join([number_text(x) if type(x) is float else _nested_text(x) for x in value])
        if len(text) + 2 <= _ENOUGH:
            return "[" + text + "]"
    if isinstance(value, _SEQUENCE):
        parts: list[str] = []
        size = 0
        for item in value:
            text = number_text(item) if type(item) is float else _nested_text(item)
            parts.append(text)
            size += len(text) + 2
            if size > _ENOUGH:  # enough to fill a line; the rest would be cut
                parts.append("…")
                break
        return "[" + ", ".join(parts) + "]"
    return number_text(value)


_SEQUENCE = list | tuple  # (made once: `list | tuple` in a call makes a new union)
_ENOUGH = 4 * MAX_VALUE_CHARS
_FEW = 12  # longer rows seldom fit in _ENOUGH: the loop, which stops early, is quicker for them


def node_lines(node: Node, show_values: bool = False) -> list[str]:
    """The lines of text in a node's box."""
    if node.kind == "op":
        lines = [node.op or "?"]
        if node.attrs:
            width = max(len(k) for k, _ in node.attrs)
            lines.append("-" * max(len(lines[0]), width + 12))
            lines.extend(f"{k:<{width}}: {v}" for k, v in node.attrs)
    elif node.role == "constant":  # dimmed, beside torchviz's graph: "5", or "c (2,)"
        lines = [node.name or "?"]
        if node.shape is not None:
            lines.append(shape_text(node.shape))
        if node.cut:
            lines.append(f"cut by {node.cut}")
        if show_values and node.shape is not None:
            lines.append("value " + value_text(node.value))
        return lines
    else:
        label = node.name or (node.role if node.kind == "saved" else "") or ""
        lines = [label, shape_text(node.shape)] if label else [shape_text(node.shape)]
    if show_values and node.kind != "op":
        lines.append("value " + value_text(node.value))
        if node.requires_grad:
            lines.append("grad  " + value_text(node.grad))
    elif show_values and node.op != "AccumulateGrad" and node.value is not None:
        lines.append(f"{node.name or ''} = {value_text(node.value)}".lstrip())
        if node.retains_grad:  # retain_grad(): its .grad is kept, so it is shown
            lines.append("grad " + value_text(node.grad))
    return lines
