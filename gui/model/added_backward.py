"""What the Backward, Backward again and Zero grad commands append to a copy of the
program's text (never to the user's text), and how to say so in the player."""

from __future__ import annotations

import ast
import math

from core.record import lessons
from core.record.graph import GraphRecord, Node, Value
from gui.model.playback import compact


def backward_call(record: GraphRecord, gradient: str | None = None) -> str | None:
    """The call to append so that backward runs from the shown output, or None if none can.

    A one-element output gets `o.backward()`. A bigger one gets the `gradient` the user
    gave (a nested list: `y.backward(torch.tensor([...], dtype=y.dtype))`; "" for none, to
    see PyTorch refuse), or by default `y.backward(torch.ones_like(y))`: every element
    starting at 1. That keeps the graph the program made (`y.sum().backward()` would add a
    SumBackward0 node that is not in the user's text).
    """
    out = named_output(record)
    if out is None:
        return None
    if is_scalar(out) or gradient == "":
        return f"{out.name}.backward()"
    if gradient is not None:
        return f"{out.name}.backward({tensor_text(gradient, out)})"
    return f"{out.name}.backward(torch.ones_like({out.name}))"


def named_output(record: GraphRecord) -> Node | None:
    """The output, if backward can be called on it by name."""
    if record.output is None:
        return None
    out = record.node(record.output)
    if not out.requires_grad or not out.name or not out.name.isidentifier():
        return None
    return out


def is_scalar(node: Node) -> bool:
    return node.shape is not None and math.prod(node.shape) == 1


def needs_gradient(record: GraphRecord) -> bool:
    """Whether Backward must ask for the `gradient` argument (a named non-scalar output)."""
    out = named_output(record)
    return out is not None and not is_scalar(out)


def tensor_text(literal: str, out: Node) -> str:
    return f"torch.tensor({literal}, dtype={out.name}.dtype)"


def seed_of(record: GraphRecord) -> Value:
    """The gradient the last backward() started from (what its first node received)."""
    last = record.backward[-1].run
    first = next(s for s in record.backward if s.run == last)
    return first.grad_outputs[0] if first.grad_outputs else None


def again_call(record: GraphRecord, gradient: str | None = None) -> str | None:
    """`o.backward(retain_graph=True)` once more, from the same gradient as the last run
    (the worker keeps every graph for it); None if it can't. A leaf's backward() has no
    steps to read the gradient from: `gradient` (the one the user gave), else ones."""
    out = named_output(record)
    if out is None or not (record.backward or record.runs):
        return None
    seed = seed_of(record) if record.backward else gradient or None
    if is_scalar(out):
        return f"{out.name}.backward(retain_graph=True)"
    if seed is None:
        return f"{out.name}.backward(torch.ones_like({out.name}), retain_graph=True)"
    text = seed if isinstance(seed, str) else repr(seed)
    return f"{out.name}.backward({tensor_text(text, out)}, retain_graph=True)"


def zero_grad_lines(record: GraphRecord) -> list[str]:
    """`x.grad = None` for every named leaf that requires grad (set_to_none, as
    optimizer.zero_grad() does by default)."""
    leaves = [n for n in record.nodes if n.role == "leaf" and n.requires_grad and n.name]
    return [f"{n.name}.grad = None" for n in leaves if n.name and n.name.isidentifier()]


def accumulation_note(record: GraphRecord) -> str:
    """Each leaf's .grad after each backward() run, e.g. "x.grad after each backward():
    [10, 10] → [20, 20]." ("" when there was a single run)."""
    parts = []
    leaf_of = {e.target: record.node(e.source) for e in record.edges if e.kind == "data"}
    for node_id, leaf in leaf_of.items():
        grads = [s.leaf_grad for s in record.backward if s.node == node_id]
        if len(grads) > 1 and leaf.role == "leaf":
            shown = " → ".join(compact(g) for g in grads)  # "24", never "24.."
            parts.append(f"{leaf.name or 'the leaf'}.grad after each backward(): {shown}")
    return "; ".join(parts) + "." if parts else ""


def failure_note(what: str, error: Exception) -> str:
    """Why an added call failed: PyTorch's own message, then the lesson behind it."""
    message = getattr(error, "message", None) or str(error)
    lesson = lessons.explain(message)
    return f"{what} failed — PyTorch: {message}" + (f"\nWhy: {lesson}" if lesson else "")


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
