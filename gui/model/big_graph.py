"""What the window shows first of a graph too big to draw usefully: counts by op, and the
part of the graph around the output, cut from the full layout, or sketched in rows when
the graph has no layout (Graphviz would have taken longer than the time limit).

Pure Python over a `GraphRecord` (no Qt): the summary view draws what this returns.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import replace

from core.record.graph import Edge, GraphRecord
from core.record.labels import FONT_SIZE, node_lines
from gui.model.i18n import translate

BIG_GRAPH_NODES = 2_000  # beyond this many nodes, a summary comes first
AROUND_HOPS = 4  # the output's neighbourhood: nodes this many edges away, at most ...
AROUND_LIMIT = 40  # ... and no more than this many nodes
PAD = 4.0  # points around the cut-out picture
CHAR_WIDTH = 0.602 * FONT_SIZE  # DejaVu Sans Mono's advance, as Graphviz measures it
LINE_HEIGHT = 1.2 * FONT_SIZE
ROW_GAP, COLUMN_GAP = 36.0, 18.0


def is_big(record: GraphRecord) -> bool:
    return len(record.nodes) > BIG_GRAPH_NODES


def is_laid_out(record: GraphRecord) -> bool:
    """Whether the record has positions to draw (it may lack them: no Graphviz, or skipped)."""
    return not record.nodes or (record.width > 0 and record.height > 0)


def counts_by_kind(record: GraphRecord) -> list[tuple[str, int]]:
    """Rows for the summary table, the commonest first: ops by name, then tensor kinds."""
    ops = Counter(n.op or "?" for n in record.nodes if n.kind == "op")
    others = Counter(_kind_name(n.kind, n.role) for n in record.nodes if n.kind != "op")
    return ops.most_common() + others.most_common()


def _kind_name(kind: str, role: str | None) -> str:
    if kind == "saved":
        return translate("BigGraph", "saved tensor")
    if role == "leaf":
        return translate("BigGraph", "tensor (leaf)")
    if role == "output":
        return translate("BigGraph", "tensor (output)")
    if role == "base":
        return translate("BigGraph", "tensor (base)")
    return translate("BigGraph", "tensor")


def around_output(
    record: GraphRecord, hops: int = AROUND_HOPS, limit: int = AROUND_LIMIT
) -> list[str]:
    """Ids of the nodes at most `hops` edges from the output (either way), nearest first."""
    if not record.nodes:
        return []
    start = record.output if record.output is not None else record.nodes[-1].id
    neighbours: dict[str, list[str]] = {}
    for e in record.edges:
        neighbours.setdefault(e.target, []).append(e.source)
        neighbours.setdefault(e.source, []).append(e.target)
    seen, queue = {start: 0}, deque([start])
    while queue and len(seen) < limit:
        node = queue.popleft()
        if seen[node] == hops:
            continue
        for other in neighbours.get(node, []):
            if other not in seen and len(seen) < limit:
                seen[other] = seen[node] + 1
                queue.append(other)
    return list(seen)


def cut_out(record: GraphRecord, node_ids: list[str]) -> GraphRecord:
    """The part of a laid-out record made of these nodes and the edges between them, moved
    to the origin; no backward (the plain torchviz picture)."""
    keep = set(node_ids)
    nodes = [n for n in record.nodes if n.id in keep]
    edges = [e for e in record.edges if e.source in keep and e.target in keep]
    if not nodes:
        return replace(record, nodes=(), edges=(), backward=(), width=0.0, height=0.0)
    left = min(n.x for n in nodes) - PAD
    top = min(n.y for n in nodes) - PAD
    right = max(n.x + n.width for n in nodes) + PAD
    bottom = max(n.y + n.height for n in nodes) + PAD
    for e in edges:
        for x, y in e.points:
            left, top = min(left, x - PAD), min(top, y - PAD)
            right, bottom = max(right, x + PAD), max(bottom, y + PAD)
    return replace(
        record,
        nodes=tuple(replace(n, x=n.x - left, y=n.y - top) for n in nodes),
        edges=tuple(_moved(e, left, top) for e in edges),
        backward=(),
        width=right - left,
        height=bottom - top,
    )


def _moved(edge: Edge, dx: float, dy: float) -> Edge:
    return replace(edge, points=tuple((x - dx, y - dy) for x, y in edge.points))


def sketch(record: GraphRecord, node_ids: list[str], show_values: bool) -> GraphRecord:
    """These nodes laid out without Graphviz: one row per distance from the output (the
    output at the bottom, as torchviz draws it), straight edges between them."""
    rows = _rows(record, node_ids)
    keep = set(node_ids)
    by_id = {n.id: n for n in record.nodes if n.id in keep}
    sizes = {i: _box(by_id[i], show_values) for i in node_ids}
    width = max(sum(sizes[i][0] for i in row) + COLUMN_GAP * (len(row) - 1) for row in rows)
    nodes, y = {}, PAD
    for row in reversed(rows):  # the farthest row first, at the top
        x = PAD + (width - sum(sizes[i][0] for i in row) - COLUMN_GAP * (len(row) - 1)) / 2
        for i in row:
            w, h = sizes[i]
            nodes[i] = replace(by_id[i], x=x, y=y, width=w, height=h)
            x += w + COLUMN_GAP
        y += max(sizes[i][1] for i in row) + ROW_GAP
    edges = [_straight(e, nodes) for e in record.edges if e.source in nodes and e.target in nodes]
    return replace(
        record,
        nodes=tuple(nodes[i] for i in node_ids),
        edges=tuple(edges),
        backward=(),
        width=width + 2 * PAD,
        height=y - ROW_GAP + PAD,
    )


def _rows(record: GraphRecord, node_ids: list[str]) -> list[list[str]]:
    """The nodes by distance from the first one (around_output lists them nearest first)."""
    keep = set(node_ids)
    neighbours: dict[str, list[str]] = {}
    for e in record.edges:
        if e.source in keep and e.target in keep:
            neighbours.setdefault(e.target, []).append(e.source)
            neighbours.setdefault(e.source, []).append(e.target)
    depth = {node_ids[0]: 0}
    queue = deque(node_ids[:1])
    while queue:
        node = queue.popleft()
        for other in neighbours.get(node, []):
            if other not in depth:
                depth[other] = depth[node] + 1
                queue.append(other)
    rows: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for i in node_ids:
        rows[depth.get(i, len(rows) - 1)].append(i)
    return rows


def _box(node, show_values: bool) -> tuple[float, float]:
    lines = node_lines(node, show_values)
    return max(len(line) for line in lines) * CHAR_WIDTH + 16, len(lines) * LINE_HEIGHT + 8


def _straight(edge: Edge, nodes: dict) -> Edge:
    a, b = nodes[edge.source], nodes[edge.target]
    down = a.y < b.y
    start = (a.x + a.width / 2, a.y + a.height if down else a.y)
    end = (b.x + b.width / 2, b.y if down else b.y + b.height)
    return replace(edge, points=(start, start, end, end))
