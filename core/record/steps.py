"""The state of the graph after the first n backward steps, from the record alone.

Pure Python (no torch), worked out from scratch at each call: the simple reference the one
playback model (`gui.model.playback`, what the window, the handouts and the command line's
`--step N` draw) is tested against. Step 0 is before backward; step len(record.backward) is the end,
where every node shows what the program finished with.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.record.graph import GraphRecord, Value


def add_values(a: Value, b: Value) -> Value:
    """Elementwise sum of two nested-list values of one shape (None counts as absent)."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, list):
        return [add_values(x, y) for x, y in zip(a, b, strict=True)]
    total = float(a) + float(b)
    if total != total:
        return "nan"
    if total in (float("inf"), float("-inf")):
        return "inf" if total > 0 else "-inf"
    return total


def grads_at(record: GraphRecord, n: int) -> dict[str, Value]:
    """Each node's gradient after n steps: a leaf's .grad, or what flowed into a tensor."""
    n = max(0, min(n, len(record.backward)))
    if n == len(record.backward):
        return {node.id: node.grad for node in record.nodes}
    nodes = {node.id: node for node in record.nodes}
    produced_by = _output_ops(record, nodes)
    leaf_of = {e.target: e.source for e in record.edges if nodes[e.source].role == "leaf"}
    grads: dict[str, Value] = {node.id: None for node in record.nodes}
    for step in record.backward[:n]:
        if step.node in leaf_of:
            grads[leaf_of[step.node]] = step.leaf_grad
        elif step.grad_outputs:
            grads[step.node] = add_values(grads[step.node], step.grad_outputs[0])
    for tensor_id, op_id in produced_by.items():
        grads[tensor_id] = grads[op_id]
    return grads


def state_at(record: GraphRecord, n: int) -> GraphRecord:
    """A copy of the record whose nodes carry the gradients of step n."""
    grads = grads_at(record, n)
    return record.with_nodes(tuple(replace(node, grad=grads[node.id]) for node in record.nodes))


def running_at(record: GraphRecord, n: int) -> str | None:
    """The node that the nth step runs (1-based), or None before backward."""
    return record.backward[n - 1].node if 1 <= n <= len(record.backward) else None


def _output_ops(record: GraphRecord, nodes: dict[str, Any]) -> dict[str, str]:
    """Non-leaf tensor nodes (the output) -> the op node that made them."""
    return {
        e.target: e.source
        for e in record.edges
        if e.kind == "data" and nodes[e.target].kind == "tensor" and nodes[e.source].kind == "op"
    }
