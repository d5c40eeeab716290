"""The DOT text: torchviz's look, valid for `dot` and the graphviz package, labels exact."""

import json
import subprocess
import warnings

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.record import labels
from core.record.dot import BIG_COST, LONG_EDGE_WORK, graph_attrs, layout_cost, quote, to_dot
from core.record.graph import Edge, GraphRecord, Node
from tests.oracle import reference_number_text, reference_value_text

WEIRD = 'a "quoted" \\N name\\ <b>{x|y}</b>\\'


def record_with_everything() -> GraphRecord:
    """Leaf, AccumulateGrad, op with attributes, saved tensor, view base, output; x * x."""
    nodes = (
        Node("n1", "tensor", name=WEIRD, shape=(2,), role="leaf", value=[1.0, 2.0]),
        Node("n2", "op", op="AccumulateGrad"),
        Node("n3", "op", op="MulBackward0", attrs=(("other", '"1\\2"'), ("self", "<x>"))),
        Node("n4", "saved", shape=(2,), role="self"),
        Node("n5", "tensor", name="base", shape=(2,), role="base"),
        Node("n6", "op", op="ViewBackward0"),
        Node("n7", "tensor", name="out", shape=(1, 2), role="output"),
    )
    edges = (
        Edge("n1", "n2"),
        Edge("n2", "n3"),
        Edge("n2", "n3"),  # x * x: the same input twice
        Edge("n3", "n4", kind="saved"),
        Edge("n3", "n5"),
        Edge("n3", "n6"),
        Edge("n6", "n7"),
        Edge("n5", "n7", kind="view"),
    )
    return GraphRecord(source="", output="n7", nodes=nodes, edges=edges)


def dot_json(text: str) -> dict:
    """Run `dot -Tjson` on the text and parse its answer."""
    done = subprocess.run(["dot", "-Tjson"], input=text.encode(), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def laid_out() -> tuple[GraphRecord, dict]:
    record = record_with_everything()
    return record, dot_json(to_dot(record))


def drawn_lines(obj: dict) -> list[str]:
    """The text lines Graphviz drew in a node, top to bottom."""
    return [op["text"] for op in obj["_ldraw_"] if op["op"] == "T"]


def test_dot_reads_every_node_and_edge(laid_out):
    """dot parses the text and finds each record node by id and every edge, duplicates kept."""
    record, data = laid_out
    assert [o["name"] for o in data["objects"]] == [n.id for n in record.nodes]
    assert len(data["edges"]) == len(record.edges)


def test_labels_survive_escaping(laid_out):
    """Quotes, backslashes, \\N, <b>, braces come out as the very lines labels.node_lines gives."""
    record, data = laid_out
    for node, obj in zip(record.nodes, data["objects"], strict=True):
        assert drawn_lines(obj) == labels.node_lines(node)
    assert drawn_lines(data["objects"][0])[0] == WEIRD


def test_graphviz_package_renders_it_without_warnings():
    """The graphviz Python package takes the text as-is and renders it, with no DOT warnings."""
    text = to_dot(record_with_everything(), show_values=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = graphviz.Source(text).pipe(format="json")
    assert len(json.loads(out)["objects"]) == 7


def test_fill_colours_are_torchviz_colours(laid_out):
    """Leaf lightblue, output darkolivegreen1, base darkolivegreen3, saved orange, ops default."""
    _, data = laid_out
    colours = {o["name"]: o.get("fillcolor") for o in data["objects"]}
    assert colours == {
        "n1": "lightblue",
        "n2": None,
        "n3": None,
        "n4": "orange",
        "n5": "darkolivegreen3",
        "n6": None,
        "n7": "darkolivegreen1",
    }
    op = data["objects"][1]
    fill = next(d["color"] for d in op["_draw_"] if d["op"] == "C")
    assert fill == "#d3d3d3"  # lightgrey: Graphviz's fill for style=filled without a colour


def test_node_attributes_are_torchviz_node_attributes(laid_out):
    """make_dot's node_attr, with the font named explicitly instead of "monospace"."""
    _, data = laid_out
    for obj in data["objects"]:
        assert obj["style"] == "filled" and obj["shape"] == "box" and obj["align"] == "left"
        assert obj["fontsize"] == str(labels.FONT_SIZE) == "10"
        assert obj["ranksep"] == "0.1" and obj["height"] != ""
        assert obj["fontname"] == labels.FONT_FAMILY


def test_font_is_named_on_graph_nodes_and_edges(laid_out):
    """The font family appears on the graph, every node and every edge."""
    _, data = laid_out
    assert data["fontname"] == labels.FONT_FAMILY
    assert all(e["fontname"] == labels.FONT_FAMILY for e in data["edges"])
    text = to_dot(record_with_everything(), fontname="Courier")
    assert f'"{labels.FONT_FAMILY}"' not in text and text.count('"Courier"') == 3


def test_edge_styles_by_kind(laid_out):
    """saved: dir=none (no arrowhead); view: dotted; data: plain arrows, in record order."""
    record, data = laid_out
    names = {o["_gvid"]: o["name"] for o in data["objects"]}
    by_ends = {(names[e["tail"]], names[e["head"]]): e for e in data["edges"]}
    saved, view, plain = by_ends[("n3", "n4")], by_ends[("n5", "n7")], by_ends[("n6", "n7")]
    assert saved.get("dir") == "none" and "_hdraw_" not in saved
    assert view.get("style") == "dotted" and "_hdraw_" in view
    assert "dir" not in plain and "style" not in plain and "_hdraw_" in plain
    edge_lines = [line for line in to_dot(record).splitlines() if "->" in line]
    assert [line.split()[:3] for line in edge_lines] == [
        [quote(e.source), "->", quote(e.target)] for e in record.edges
    ]


def test_show_values_adds_value_lines(laid_out):
    """With show_values the leaf's box gains its value line; without, it has none."""
    record, _ = laid_out
    leaf = dot_json(to_dot(record, show_values=True))["objects"][0]
    assert drawn_lines(leaf)[-1] == "value [1., 2.]"
    assert "value" not in to_dot(record)


def test_quote_escapes_for_dot():
    """quote() doubles backslashes, escapes quotes, and turns newlines into \\n."""
    assert quote('a"b') == '"a\\"b"'
    assert quote("a\\") == '"a\\\\"'
    assert quote("one\ntwo") == '"one\\ntwo"'


def old_quote(text: str) -> str:  # quote() before its fast path for ids
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{text}"'


@settings(max_examples=300, deadline=None)
@given(st.text() | st.from_regex(r"\A[A-Za-z_]\w*\Z") | st.sampled_from(["n0", "n1\n", "é", "_"]))
def test_quote_is_the_same_with_its_fast_path_for_ids(text):
    assert quote(text) == old_quote(text)


NUMBERS = (
    st.floats()
    | st.floats(min_value=-2e6, max_value=2e6).map(round).map(float)
    | st.sampled_from([1e6, -1e6, 999999.0, -999999.0, -0.0, 0.0, 1e16, 5e-324])
    | st.integers()
    | st.booleans()
    | st.sampled_from(["nan", "inf", "-inf"])
)
VALUES = st.recursive(NUMBERS, lambda inner: st.lists(inner, max_size=60), max_leaves=200)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_value_text_is_the_same_as_before_it_went_faster(value):
    assert labels.number_text(value) == reference_number_text(value)
    assert labels._nested_text(value) == reference_value_text(value, max_chars=10**9)


def chain(n: int) -> GraphRecord:
    nodes = tuple(Node(f"n{i}", "op", op="AddBackward0") for i in range(n))
    edges = tuple(Edge(f"n{i}", f"n{i + 1}") for i in range(n - 1))
    return GraphRecord(source="", output=None, nodes=nodes, edges=edges)


def hub(n: int) -> GraphRecord:
    """A leaf used at every step of a loop: its AccumulateGrad feeds every op of a chain."""
    base = chain(n)
    extra = tuple(Edge("n0", f"n{i}") for i in range(2, n))
    return GraphRecord(source="", output=None, nodes=base.nodes, edges=base.edges + extra)


def test_speed_attributes_only_for_big_graphs():
    """newrank always; nslimit=0 only once the estimated layout work passes BIG_COST."""
    small, long_chain, big_hub = chain(50), chain(BIG_COST + 1), hub(100)
    assert graph_attrs(small) == {"fontname": labels.FONT_FAMILY, "newrank": "true"}
    assert layout_cost(small) == 50
    assert layout_cost(hub(10)) == 10 + 3 * sum(range(1, 9))  # n0->n_i: i-1 virtual nodes
    assert graph_attrs(long_chain)["nslimit"] == "0"
    assert layout_cost(big_hub) > BIG_COST and graph_attrs(big_hub)["nslimit"] == "0"


def test_long_edges_are_drawn_straight_only_when_routing_them_would_take_long():
    """A leaf shared by every step of a long loop (an RNN's weights) makes edges whose
    routing costs dot about the square of their length; past LONG_EDGE_WORK they are
    straight lines, and nothing else changes for the graphs below it."""

    def squares(n: int) -> int:  # hub(n): the edge n0 -> n_i skips i - 1 ranks
        return sum((i - 1) ** 2 for i in range(2, n))

    small, big = hub(100), hub(200)
    assert squares(100) < LONG_EDGE_WORK < squares(200)
    assert "splines" not in graph_attrs(small) and "mclimit" not in graph_attrs(small)
    assert graph_attrs(big)["splines"] == "line" and float(graph_attrs(big)["mclimit"]) < 1
    assert "splines" not in graph_attrs(chain(20_000))  # long, but every edge is short
    dot = subprocess.run(["dot", "-Tjson0"], input=to_dot(big), text=True,
                         capture_output=True, check=True)  # fmt: skip
    assert len(json.loads(dot.stdout)["edges"]) == len(big.edges)


def test_layout_cost_survives_cycles_and_stray_edges():
    """A cycle or an edge to an unknown id doesn't hang or crash the estimate."""
    nodes = (Node("a", "op"), Node("b", "op"))
    edges = (Edge("a", "b"), Edge("b", "a"), Edge("a", "ghost"))
    assert layout_cost(GraphRecord(source="", output=None, nodes=nodes, edges=edges)) == 2
