"""What the worker appends to a copy of the program's text when a request asks for it
(never to the user's text): the Backward command's `backward()` call, and the lesson
commands' lines (Backward again, Zero grad). The window asks by intent; this is where the
code is written.

A request may carry, among its options:
- `backward`: {"gradient": g} — add a backward() call if the program runs none (g as
  `backward_call` takes it);
- `added`: the lines an earlier answer added after that call (the record says which, in
  its options under ADDED), to add again;
- `add`: one more lesson line to add after them, by name: "again" or "zero_grad".
When a lesson line calls backward() again, the worker runs the program with every
backward() keeping its graph (`retain_graph`, `keeps_graphs`), so Backward again works on
any program, whether or not it retained its graph itself.
The answer's record is of the text with the additions; its options[ADDED] says what was
added: {"backward": the call or None, "lines": the lines after it}.
When the program's own backward() fails, the additions go after the text before that line
(`graph_before`): Backward then runs on the graph the window shows beside the error, with
the gradient the user gave (the fix the lesson teaches: `y.backward(gradient=...)`).
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, replace
from typing import Any

from core.record.graph import GraphRecord, Node, Value
from core.record.language import ProgramError, without_jupyter_lines

ADDED = "added"  # in a record's options: what the worker appended to the program
FAILED = "failed_backward"  # in a graph_before record's options: {"line", "error"} of the
# program's own backward() that failed (the graph is the text before that line)
ADDITIONS = ("backward", "added", "add")  # the options that ask the worker to add lines
INTENTS = ("again", "zero_grad")  # the lesson lines a request may ask for by name


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
    (the worker keeps every graph for it: `RETAIN_GRAPH`); None if it can't. A leaf's
    backward() has no steps to read the gradient from: `gradient` (the one the user gave),
    else ones."""
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


def zero_grad_names(record: GraphRecord) -> list[str]:
    """The named leaves that require grad (whose .grad Zero grad sets to None)."""
    leaves = [n for n in record.nodes if n.role == "leaf" and n.requires_grad and n.name]
    return [n.name for n in leaves if n.name and n.name.isidentifier()]


def zero_grad_lines(record: GraphRecord) -> list[str]:
    """`x.grad = None` for every named leaf that requires grad (set_to_none, as
    optimizer.zero_grad() does by default)."""
    return [f"{name}.grad = None" for name in zero_grad_names(record)]


def intent_lines(intent: str, record: GraphRecord, gradient: str | None = None) -> list[str]:
    """The lines a lesson command (`intent`, one of INTENTS) adds after the program that
    made `record` ([] when it can't: nothing to run backward from, no named leaf);
    `gradient`: the one the user gave Backward (for a leaf's backward() again)."""
    if intent == "again":
        call = again_call(record, gradient)
        return [call] if call is not None else []
    if intent == "zero_grad":
        return zero_grad_lines(record)
    raise ValueError(f"no such addition: {intent!r}")


def keeps_graphs(lines: list[str]) -> bool:
    """Whether a program with these lines after it must run with every backward() keeping
    its graph (the option `retain_graph`): Backward again is among them, and the
    program's own backward() would have freed what it runs through."""
    return any(".backward(" in line for line in lines)


def with_lines(source: str, lines: list[str]) -> str:
    """The text with `lines` after it (the text itself when there are none)."""
    if not lines:
        return source
    return source.rstrip("\n") + "\n" + "".join(f"{line}\n" for line in lines)


def added(record: GraphRecord) -> tuple[str | None, list[str]]:
    """What the worker appended to make `record`: the backward() call (or None) and the
    lesson lines after it."""
    info: Any = record.options.get(ADDED) or {}
    return info.get("backward"), list(info.get("lines", ()))


def has_backward_call(source: str) -> bool:
    """Whether the text calls .backward(...) or autograd.grad(...) anywhere."""
    try:
        tree = ast.parse(without_jupyter_lines(source))
    except SyntaxError:
        return "backward(" in source
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("backward", "grad"):
                return True
    return False


class AdditionFailed(Exception):
    """The program ran, but with what was added to it, it failed (PyTorch refused a second
    backward, say): `error` is that failure, `what` the first line that failed to be added,
    `backward` whether it was the added backward() call, and `record` the program's record
    without the lines that failed (None where the worker did not make one)."""

    def __init__(self, error: Exception, what: str, backward: bool,
                 record: GraphRecord | None = None) -> None:  # fmt: skip
        super().__init__(str(error))
        self.error, self.what, self.backward, self.record = error, what, backward, record

    @property
    def message(self) -> str:
        return getattr(self.error, "message", None) or str(self.error)


@dataclass(frozen=True)
class BackwardFailed(ProgramError):
    """PyTorch refused a backward() in the program's own text: the error is that refusal
    (a ProgramError like any other), and `before` the record of the text up to that line
    (`graph_before`) with what the request asked to add after it (the Backward command's
    call, the lesson's lines), which the window shows beside it; `addition`: what was
    asked to be added but failed (`before` is then without it)."""

    before: GraphRecord | None = None
    addition: AdditionFailed | None = None


def failed_backward(record: GraphRecord) -> tuple[int, str] | None:
    """(line, PyTorch's error) of the program's own backward() that failed, when `record`
    is the graph of the text before it (`graph_before`); None for any other record."""
    info: Any = record.options.get(FAILED)
    if not info:
        return None
    return int(info["line"]), str(info["error"])


def marked_failed(record: GraphRecord, line: int, error: str) -> GraphRecord:
    """`record` (of the text before a failed backward()) saying which line failed, and why."""
    info: Any = {"line": line, "error": error}  # (a record's options hold data, as ADDED does)
    return replace(record, options={**record.options, FAILED: info})


_BACKWARD_CALL = re.compile(r"\.backward\s*\(|autograd\.grad\s*\(")


def graph_before(source: str, error: Exception) -> str | None:
    """The program's text before its failed backward() line (the rest left out; `pass`
    stands in for it inside a block), or None when the error is not in such a call.

    PyTorch refuses `y.backward()` on a non-scalar `y` (and a second backward through a
    freed graph, …) after the forward pass has built the graph a teacher wants to show:
    the worker then answers with the graph of this text beside PyTorch's error."""
    if not isinstance(error, ProgramError) or error.trust:
        return None
    lines = source.split("\n")
    first = error.line
    last = error.end_line or first
    if not 1 <= first <= last <= len(lines):
        return None
    statement = "\n".join(lines[first - 1 : last])
    if not _BACKWARD_CALL.search(statement):
        return None
    indent = re.match(r"[ \t]*", lines[first - 1]).group(0)  # type: ignore[union-attr]
    stand_in = [indent + "pass"] if indent else []  # a block can't end empty
    return "\n".join([*lines[: first - 1], *stand_in]) + "\n"
