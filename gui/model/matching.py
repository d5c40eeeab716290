"""Which node of a new record is the one the user was looking at in the old one."""

from __future__ import annotations

from core.record.graph import GraphRecord


def first_parameter(record: GraphRecord) -> str:
    """The node a new document starts inspected: its first leaf that requires grad."""
    for node in record.nodes:
        if node.kind == "tensor" and node.is_leaf and node.requires_grad:
            return node.id
    return ""


def same_node(old: GraphRecord | None, new: GraphRecord, node_id: str) -> str:
    """The node of `new` that is `node_id` of `old` (same kind, name and op), or ""."""
    if old is None or not node_id:
        return ""
    was = next((n for n in old.nodes if n.id == node_id), None)
    if was is None:
        return ""
    key = (was.kind, was.name, was.op, was.role)
    matches = [n.id for n in new.nodes if (n.kind, n.name, n.op, n.role) == key]
    return node_id if node_id in matches else (matches[0] if matches else "")
