"""DOT source for a `GraphRecord`, in torchviz's look.

The same text is what `main.py --export out.dot` writes and what `core.record.layout` hands to
Graphviz, so the boxes Graphviz sizes are the boxes the window draws: every label is
`labels.node_lines(...)` in the font `labels.FONT_FAMILY` at `labels.FONT_SIZE` points.
"""

from __future__ import annotations

import math

from core.record import labels
from core.record.graph import Edge, GraphRecord, Node

# torchviz's make_dot node attributes, with an explicit font instead of "monospace".
# torchviz puts ranksep among the *node* attributes, where Graphviz ignores it; it is kept
# there so the ranks are spaced exactly as torchviz spaces them.
NODE_ATTRS = {
    "style": "filled",
    "shape": "box",
    "align": "left",
    "fontsize": str(labels.FONT_SIZE),
    "ranksep": "0.1",
    "height": "0.2",
}

TENSOR_COLORS = {"leaf": "lightblue", "output": "darkolivegreen1", "base": "darkolivegreen3"}
SAVED_COLOR = "orange"

# Constants are not in torchviz's graph: drawn dimmed and dashed beside it, on request.
CONSTANT_STYLE = {"style": "filled,dashed", "fillcolor": "#f4f4f4", "color": "#9a9a9a",
                  "fontcolor": "#6e6e6e"}  # fmt: skip
EDGE_STYLES = {
    "saved": {"dir": "none"},
    "view": {"style": "dotted"},
    "constant": {"style": "dashed", "color": "#9a9a9a"},
    "detached": {"style": "dashed", "arrowhead": "tee", "color": "#9a9a9a"},
}

# Graph attributes that keep big layouts fast. newrank=true ranks with one network-simplex
# pass (dot 2.43: a 10,000-node chain in 0.5 s instead of 4.5 s) and gave identical layouts
# on every small graph tried. nslimit=0 stops dot's x-placement after its first feasible
# solution: boxes pack to the left and edges bend more, but a 5,000-node graph takes 0.8 s
# instead of 8 s, and a 1,000-node MLP looped over a batch 0.5 s instead of 20 s, so it is
# only set when the graph is big (see `layout_cost`).
FAST_ATTRS = {"newrank": "true"}
BIG_ATTRS = {"nslimit": "0"}
BIG_COST = 5000
# Long edges (a weight shared by every step of an RNN) cost dot's crossing minimisation and
# spline routing about the square of their length: an RNN of 120 steps (967 nodes) took
# minutes. Past LONG_EDGE_WORK (sum of squared spans; about 1 s of routing) the edges are
# drawn straight and crossing minimisation gets a tenth of its passes: 1.7 s.
LONG_EDGE_ATTRS = {"splines": "line", "mclimit": "0.1"}
LONG_EDGE_WORK = 1_000_000


def quote(text: str) -> str:
    """`text` as a double-quoted DOT string that Graphviz reads back literally.

    Backslashes are doubled (so label escapes such as \\N or \\l stay plain text),
    double quotes are escaped, and line breaks become DOT's centred-line escape.
    """
    if text.isidentifier():  # a node id: nothing to escape (30,000 of them at 10,000 nodes)
        return f'"{text}"'
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{text}"'


def label_text(node: Node, show_values: bool = False) -> str:
    """The quoted DOT label of a node: its `labels.node_lines`, one centred line each."""
    lines = labels.node_lines(node, show_values)
    return quote("\n".join(lines))


def fill_color(node: Node) -> str | None:
    """torchviz's fill colour for a node, or None for Graphviz's default (op nodes)."""
    if node.kind == "saved":
        return SAVED_COLOR
    if node.kind == "tensor":
        return TENSOR_COLORS.get(node.role or "", TENSOR_COLORS["leaf"])
    return None


def attr_list(attrs: dict[str, str]) -> str:
    """A DOT attribute list, "[k="v" ...]", every key and value quoted."""
    return "[" + " ".join(f"{quote(k)}={quote(v)}" for k, v in attrs.items()) + "]"


def node_statement(node: Node, show_values: bool = False) -> str:
    """The DOT statement declaring one node."""
    attrs = f"label={label_text(node, show_values)}"
    if node.role == "constant":
        attrs += " " + attr_list(CONSTANT_STYLE)[1:-1]
        return f"\t{quote(node.id)} [{attrs}]"
    color = fill_color(node)
    if color is not None:
        attrs += f" fillcolor={quote(color)}"
    return f"\t{quote(node.id)} [{attrs}]"


def edge_statement(edge: Edge, xlabel: str | None = None) -> str:
    """The DOT statement for one edge, styled by its kind as torchviz styles it; with
    `xlabel`, an external label Graphviz places after the layout (which it doesn't change)."""
    style = dict(EDGE_STYLES.get(edge.kind) or {})
    if xlabel is not None:
        style.update(xlabel=xlabel, fontsize=str(LABEL_FONT_SIZE))
    tail = f" {attr_list(style)}" if style else ""
    return f"\t{quote(edge.source)} -> {quote(edge.target)}{tail}"


LABEL_FONT_SIZE = labels.FONT_SIZE - 1  # an edge's gradient label (gui.graph.items' size)
LABEL_CHARS = 24  # its longest text (gui.graph.edges.LABEL_CHARS)


def gradient_label(record: GraphRecord, edge: Edge) -> str | None:
    """Text about as long as the gradient an edge can carry: the gradient going back to
    the edge's source has the shape of the tensor the source holds or makes, about 7
    characters a number (from the shape alone: a layout depends on no value, so an edit
    of a constant keeps it); None for the edges that carry none (saved tensors, views,
    constants). Graphviz places a label that size (`Edge.label_at`)."""
    if edge.kind != "data":
        return None
    shape = record.node(edge.source).shape or ()
    count = math.prod(shape)
    chars = 6 if not shape else min(LABEL_CHARS, 2 + 7 * count + 2 * (len(shape) - 1))
    return quote(" " + "0" * chars + " ")  # digits: as wide as any character of the font


def edge_spans(record: GraphRecord) -> list[int]:
    """For each edge, the virtual nodes dot needs for it: ranks skipped between its ends.

    Ranks are longest-path ranks from the sources; nodes on a cycle keep rank 0.
    """
    rank, edges = _ranks(record)
    return [max(0, rank[t] - rank[s] - 1) for s, t in edges]


def rank_count(record: GraphRecord) -> int:
    """How many ranks (rows) dot will need for the graph: its longest path, plus one."""
    rank, _ = _ranks(record)
    return max(rank.values(), default=-1) + 1


def _ranks(record: GraphRecord) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Each node's longest-path rank from the sources, and the edges between known nodes."""
    ids = {n.id for n in record.nodes}
    edges = [(e.source, e.target) for e in record.edges if e.source in ids and e.target in ids]
    indegree = dict.fromkeys(ids, 0)
    outgoing: dict[str, list[str]] = {i: [] for i in ids}
    for source, target in edges:
        indegree[target] += 1
        outgoing[source].append(target)
    rank = dict.fromkeys(ids, 0)
    ready = [i for i in ids if indegree[i] == 0]
    while ready:
        source = ready.pop()
        for target in outgoing[source]:
            if rank[source] >= rank[target]:
                rank[target] = rank[source] + 1
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return rank, edges


def layout_cost(record: GraphRecord, spans: list[int] | None = None) -> int:
    """A rough measure of dot's x-placement work: boxes, plus three for each virtual node
    that an edge spanning several ranks needs (a leaf used at every step of a loop makes
    n²/2 of them; they cost dot far more than boxes do)."""
    spans = edge_spans(record) if spans is None else spans
    return len(record.nodes) + 3 * sum(spans)


def graph_attrs(record: GraphRecord, fontname: str = labels.FONT_FAMILY) -> dict[str, str]:
    """The graph attributes: the font, and the speed settings this graph's size calls for."""
    attrs = {"fontname": fontname, **FAST_ATTRS}
    spans = edge_spans(record)
    if layout_cost(record, spans) > BIG_COST:
        attrs.update(BIG_ATTRS)
    if sum(span * span for span in spans) > LONG_EDGE_WORK:
        attrs.update(LONG_EDGE_ATTRS)
    return attrs


def to_dot(
    record: GraphRecord,
    show_values: bool = False,
    *,
    fontname: str = labels.FONT_FAMILY,
    edge_labels: bool = False,
) -> str:
    """DOT source for the record's graph, in torchviz's look.

    Nodes come in record order, then edges in record order (duplicates kept: `x * x`
    feeds one node into the same op twice). DOT node names are the record's node ids.
    With `show_values`, tensor boxes also show values and gradients. `fontname` is the
    font named on the graph, nodes and edges; leave it alone unless you know the
    Graphviz build measures text differently (see `core.record.layout`). `edge_labels`
    (for the layout, not for export) gives each edge that carries gradients an xlabel the
    size of its gradient's text (`gradient_label`), for Graphviz to place.
    """
    font = {"fontname": fontname}
    lines = [
        "digraph {",
        f"\tgraph {attr_list(graph_attrs(record, fontname))}",
        f"\tnode {attr_list({**NODE_ATTRS, **font})}",
        f"\tedge {attr_list(font)}",
    ]
    lines += [node_statement(n, show_values) for n in record.nodes]
    if edge_labels:
        lines += [edge_statement(e, gradient_label(record, e)) for e in record.edges]
    else:
        lines += [edge_statement(e) for e in record.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
