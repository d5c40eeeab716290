"""Plain-language captions for the backward player, the presenter and the handouts.

`caption_for(record, n)` tells what step n of the record's backward did, in one sentence
built from the record alone: "Step 1/6 · MulBackward0 (o) received ∂o/∂o = 1 and passes
0.5 on to SumBackward0". Gradients are named after the user's variables where the record
has them (else after the source text of the expression, when short), values are compact
(1 rather than 1.). Pure Python over the record (no Qt), so the window, the offscreen
renderer and the tests all read the same text.
"""

from __future__ import annotations

import re

from core.record.graph import BackwardStep, GraphRecord, Node, Value
from core.record.labels import value_text
from core.record.language import source_lines
from gui.model.flow import BackwardFlow

MAX_EXPRESSION_CHARS = 24  # longer expressions are called "its result" in ∂o/∂(…)
_TRAILING_DOT = re.compile(r"(?<=\d)\.(?=[,\]\s]|$)")


def compact(value: Value) -> str:
    """A value as a caption writes it: 1, 0.5, [10, 10], [[1, 2], …] (cut when long)."""
    return _TRAILING_DOT.sub("", value_text(value))


def op_label(record: GraphRecord, node: Node) -> str:
    """An op as captions name it: "MulBackward0 (y)", "AccumulateGrad (x)", "SumBackward0"."""
    name = node.name
    if node.op == "AccumulateGrad":
        leaf = leaf_of(record, node)
        name = leaf.name if leaf is not None else None
    return f"{node.op} ({name})" if name else str(node.op)


def leaf_of(record: GraphRecord, accumulate: Node) -> Node | None:
    """The leaf tensor an AccumulateGrad node adds into."""
    for e in record.edges:
        if e.target == accumulate.id:
            source = record.node(e.source)
            if source.kind == "tensor":
                return source
    return None


def caption_for(record: GraphRecord | None, step: int, hints: bool = True) -> str:
    """One sentence about the state after `step` backward steps (0: before backward);
    `hints` adds what to press (the window), not on paper (handouts)."""
    if record is None:
        return ""
    total = len(record.backward)
    if not total:
        hint = " Press Backward to run one for display." if hints else ""
        return "No backward() in this program." + hint
    if step <= 0:
        hint = " · press → or Play" if hints else ""
        return f"Before backward · no gradients yet · {total} steps to go{hint}"
    step = min(step, total)
    s = record.backward[step - 1]
    runs = record.backward[0].run != record.backward[-1].run  # more than one (in order)
    runs = runs or not all(r.detailed for r in record.runs)  # one of a training loop's
    head = f"Step {step}/{total}" + (f" (backward #{s.run + 1})" if runs else "")
    return f"{head} · {describe_step(record, step)}"


def describe_step(record: GraphRecord, step: int) -> str:
    """What the `step`th backward step (1-based) received and passed on, in words."""
    s = record.backward[step - 1]
    node = record.node(s.node)
    received = _received(record, step, s, node)
    if node.op == "AccumulateGrad":
        return f"{op_label(record, node)} received {received}; {_leaf_update(record, step, node)}"
    return f"{op_label(record, node)} received {received} and {_passes(record, step, s)}"


def _received(record: GraphRecord, step: int, s: BackwardStep, node: Node) -> str:
    grads = [g for g in s.grad_outputs if g is not None]
    if not grads:
        return "no gradient"
    root = _root_name(record, step)
    if _starts_run(record, step):
        if _all_ones(grads[0]):
            return f"∂{root}/∂{root} = {compact(grads[0])}"
        return f"backward()'s gradient argument {compact(grads[0])}"
    if len(grads) > 1:
        return ", ".join(compact(g) for g in grads)
    return f"∂{root}/∂{_what(record, node)} = {compact(grads[0])}"


def _what(record: GraphRecord, node: Node) -> str:
    """The tensor an op made, for ∂o/∂…: its name, a short expression, or "its result"."""
    if node.op == "AccumulateGrad":
        leaf = leaf_of(record, node)
        if leaf is not None and leaf.name:
            return leaf.name
    if node.name:
        return node.name
    text = _source_text(record.source, node)
    return f"({text})" if text and len(text) <= MAX_EXPRESSION_CHARS else "(its result)"


def _source_text(source: str, node: Node) -> str | None:
    if node.span is None or node.span[0] != node.span[2]:
        return None
    lines = source_lines(source)
    line, col, _, end = node.span
    return lines[line - 1][col - 1 : end - 1] if 1 <= line <= len(lines) else None


def _root_name(record: GraphRecord, step: int) -> str:
    """The name of what this backward run started from ("o"), or "out"."""
    first = record.backward[_run_start(record, step) - 1]
    node = record.node(first.node)
    return node.name or "out"


def _run_start(record: GraphRecord, step: int) -> int:
    """The step (1-based) that began the backward() run `step` is part of."""
    if not _starts or _starts[0][0] is not record:
        starts, first = [], 1
        for i, s in enumerate(record.backward, start=1):
            first = i if i == 1 or record.backward[i - 2].run != s.run else first
            starts.append(first)
        _starts[:] = [(record, starts)]
    return _starts[0][1][step - 1]


_starts: list[tuple[GraphRecord, list[int]]] = []  # the last record's run starts, per step
_flows: list[BackwardFlow] = []  # the last record's: a caption per step would make it anew


def flow_of(record: GraphRecord) -> BackwardFlow:
    """The record's `BackwardFlow`, kept for the last record asked about (a new one costs
    10 ms at 10,000 nodes; records are compared by identity)."""
    if not _flows or _flows[0].record is not record:
        _flows[:] = [BackwardFlow(record, like=_flows[0] if _flows else None)]
    return _flows[0]


def _starts_run(record: GraphRecord, step: int) -> bool:
    return _run_start(record, step) == step


def _all_ones(value: Value) -> bool:
    if isinstance(value, list):
        return all(_all_ones(v) for v in value)
    return value == 1


def _passes(record: GraphRecord, step: int, s: BackwardStep) -> str:
    sent = [g for g in s.grad_inputs if g is not None]
    if not sent:
        return "passes nothing on"
    carried = flow_of(record).gradient_edges(step)
    targets = [
        (record.edges[i].source, value)
        for i, value in carried.items()
        if record.edges[i].target == s.node and record.edges[i].kind == "data"
    ]
    if len(targets) != len(sent) or any(v is None for _, v in targets):  # can't line them up
        return f"passes {_and(compact(g) for g in sent)} on"
    parts = [f"{compact(v)} on to {op_label(record, record.node(t))}" for t, v in targets]
    return f"passes {_and(parts)}"


def _leaf_update(record: GraphRecord, step: int, node: Node) -> str:
    leaf = leaf_of(record, node)
    s = record.backward[step - 1]
    name = leaf.name if leaf is not None and leaf.name else "the leaf"
    text = f"{name}.grad becomes {compact(s.leaf_grad)}"
    before = _grad_before(record, step, node.id) if leaf is not None else None
    if before is not None:
        text += f" (it held {compact(before)}: gradients add up)"
    return text


def _grad_before(record: GraphRecord, step: int, accumulate_id: str) -> Value:
    """The leaf's .grad before this step: what its AccumulateGrad last left there (as
    `grads_at(record, step - 1)` has it, without adding up every gradient before)."""
    for s in reversed(record.backward[: step - 1]):
        if s.node == accumulate_id:
            return s.leaf_grad
    return None


def _and(parts) -> str:  # any iterable of str
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
