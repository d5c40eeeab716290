"""The Backward command for a program that never calls backward(): what to append to a
copy of its text (never to the user's text), and how to say so in the player."""

from __future__ import annotations

import ast
import math

from core.record import GraphRecord


def backward_call(record: GraphRecord) -> str | None:
    """The call to append so that backward runs from the shown output, or None if none can.

    A one-element output gets `o.backward()`. A bigger one gets
    `y.backward(torch.ones_like(y))`: the gradient PyTorch would ask for, with every element
    starting at 1. That keeps the graph the program made (`y.sum().backward()` would add a
    SumBackward0 node that is not in the user's text).
    """
    if record.output is None:
        return None
    out = record.node(record.output)
    if not out.requires_grad or not out.name or not out.name.isidentifier():
        return None
    if out.shape is not None and math.prod(out.shape) == 1:
        return f"{out.name}.backward()"
    return f"{out.name}.backward(torch.ones_like({out.name}))"


def backward_refusal(record: GraphRecord) -> str:
    """Why Backward can't run on this record (when `backward_call` is None)."""
    out = record.node(record.output) if record.output else None
    if out is None or not out.requires_grad:
        return "Nothing to run backward from: no tensor here requires grad."
    return "Backward needs a named result: assign it (loss = ...) and press Backward."


def backward_note(call: str | None) -> str:
    """The player's note about an added call ("" when nothing was added)."""
    if not call:
        return ""
    note = f"Added {call} for display; your text is unchanged."
    if "ones_like" in call:
        note += " The output is not a scalar, so each element's gradient starts at 1."
    return note


def has_backward_call(source: str) -> bool:
    """Whether the text calls .backward(...) or autograd.grad(...) anywhere."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "backward(" in source
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("backward", "grad"):
                return True
    return False
