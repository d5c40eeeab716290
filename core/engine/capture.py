"""Turns live tensors into a GraphRecord: the graph torchviz's make_dot would draw, plus
names, spans, values and the recorded backward pass.

The walk mirrors torchviz's `make_dot` (op nodes from `next_functions`, leaves behind
AccumulateGrad, saved tensors, view bases) but is iterative and returns data.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import torch

from core.engine import chain_rule
from core.engine.interpreter import Made, Operand, Stop, Tracker
from core.engine.recorder import (
    BackwardRecorder,
    has_variable,
    leaf_of,
    saved_attributes,
    summed,
    summed_shape,
)
from core.engine.values import dtype_name, to_value, value_of
from core.record.graph import BackwardStep, Edge, Node
from core.record.language import source_lines


@dataclass
class GraphBuilder:
    """Collects nodes and edges; `objects` maps each node id to the torch object it shows."""

    tracker: Tracker
    recorder: BackwardRecorder
    show_saved: bool = False
    show_attrs: bool = False
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)
    ids: dict[Any, str] = field(default_factory=dict)  # torch object (or its id) -> node id
    source: str = ""  # the program, for short labels of unnamed tensors in chain-rule lines
    # leaves as an earlier run saw them (`BackwardRecorder.as_of`): id -> (value, truncated,
    # grad); a leaf not in it shows as it is now
    then: dict[int, tuple[Any, bool, Any]] = field(default_factory=dict)
    # leaves shown as they are now whose version moved since a backward() reached them
    # (`BackwardRecorder.changed_since_backward`): their node ids, in the order they were made
    changed: list[str] = field(default_factory=list)

    def new_id(self, key: Any, obj: Any) -> str:
        node_id = f"n{len(self.ids)}"
        self.ids[key] = node_id
        self.objects[node_id] = obj
        return node_id

    # --- tensors ------------------------------------------------------------------
    def tensor_node(self, t: torch.Tensor, role: str, name: str | None = None) -> str:
        node_id = self.new_id(("tensor", id(t)), t)
        made = self.tracker.tensors.get(id(t))
        then = self.then.get(id(t)) if role == "leaf" else None
        if then is not None:
            value, truncated, grad = then
        else:
            value, truncated = to_value(t)
            grad = self.tensor_grad(t, role)
            if role == "leaf" and self.recorder.changed_since_backward(t):
                self.changed.append(node_id)
        self.nodes.append(
            Node(
                id=node_id, kind="saved" if role not in ("leaf", "output", "base") else "tensor",
                name=name or (made.name if made else None), shape=tuple(t.shape),
                dtype=dtype_name(t), requires_grad=t.requires_grad, is_leaf=t.is_leaf,
                value=value, truncated=truncated, grad=grad,
                span=made.span if made else None, role=role,
                retains_grad=t.retains_grad if t.requires_grad else False,
            )
        )  # fmt: skip
        return node_id

    def tensor_grad(self, t: torch.Tensor, role: str) -> Any:
        if t.is_leaf or t.retains_grad:
            return value_of(t.grad)
        total = self.recorder.grad_sums.get(t.grad_fn) if role == "output" else None
        return summed(total) if total is not None else None

    def add_output(self, t: torch.Tensor, role: str = "output") -> None:
        """torchviz's add_base_tensor: the tensor, its grad_fn graph, and view bases."""
        view_id = None
        while True:
            known = self.ids.get(("tensor", id(t)))
            node_id = known or self.tensor_node(t, role)
            if view_id is not None:
                self.edges.append(Edge(node_id, view_id, "view"))
            if known:
                return
            if t.grad_fn is not None:
                self.add_graph(t.grad_fn)
                self.edges.append(Edge(self.ids[t.grad_fn], node_id))
            if not t._is_view() or t._base is None:
                return
            t, role, view_id = t._base, "base", node_id

    # --- autograd nodes -----------------------------------------------------------
    def add_graph(self, root: Any) -> None:
        """Every op node reachable from root (iteratively), then one edge per input. An op
        made by the program, with nothing more to show than its tensor (the common case,
        ~1,000 of them in a 1,000-node graph), gets its box here (`_op_node`, as every op's
        box is made) without add_op's call; any other goes to add_op, which adds what it
        shows beside its box."""
        added = []
        stack = [root]
        ids, objects, nodes = self.ids, self.objects, self.nodes
        made_of, sums = self.tracker.fns.get, self.recorder.grad_sums
        inline = not (self.show_saved or self.show_attrs)
        add_op = self.add_op
        while stack:
            fn = stack.pop()
            if fn in ids:
                continue
            made = made_of(fn)
            if inline and made is not None and _plain_op(fn):
                node_id = ids[fn] = f"n{len(ids)}"
                objects[node_id] = fn
                nodes.append(_op_node(node_id, fn, made, sums))
            else:
                add_op(fn)
            inputs = [c for c, _ in fn.next_functions if c is not None]
            added.append((ids[fn], inputs))
            inputs.reverse()
            stack.extend(inputs)
        self.edges.extend([Edge(ids[child], fn_id) for fn_id, inputs in added
                           for child in reversed(inputs)])  # fmt: skip

    def add_op(self, fn: Any) -> None:
        """An op's box and what it shows beside it: its saved tensors and attributes (when
        asked), the leaf behind an AccumulateGrad, a custom Function's saved tensors."""
        saved = self.saved_of(fn) if (self.show_saved or self.show_attrs) else []
        node_id = self.new_id(fn, fn)
        attrs = _attrs(saved) if self.show_attrs else ()
        made = self.tracker.fns.get(fn)
        self.nodes.append(_op_node(node_id, fn, made, self.recorder.grad_sums, attrs))
        if self.show_saved:
            self.add_saved(fn, node_id, saved)
        leaf = leaf_of(fn)
        if leaf is not None:
            leaf_id = self.ids.get(("tensor", id(leaf))) or self.tensor_node(leaf, "leaf")
            self.edges.append(Edge(leaf_id, node_id))
        for i, t in enumerate(custom_saved_tensors(fn)):
            saved_id = self.tensor_node(t, f"saved_tensors[{i}]")
            self.edges.append(Edge(saved_id, node_id, "saved"))

    def saved_of(self, fn: Any) -> list[tuple[str, Any]]:
        if fn in self.recorder.saved:
            return self.recorder.saved[fn]
        return saved_attributes(fn)

    def add_saved(self, fn: Any, node_id: str, saved: list[tuple[str, Any]]) -> None:
        for attr, val in saved:
            items = [(attr, val)] if torch.is_tensor(val) else []
            if isinstance(val, tuple):
                items = [(f"{attr}[{i}]", t) for i, t in enumerate(val) if torch.is_tensor(t)]
            for name, t in items:
                saved_id = self.new_id(("saved", node_id, name), t)
                value, truncated = to_value(t)
                self.nodes.append(
                    Node(id=saved_id, kind="saved", role=name, shape=tuple(t.shape),
                         dtype=dtype_name(t), requires_grad=t.requires_grad,
                         is_leaf=t.is_leaf, value=value, truncated=truncated)
                )  # fmt: skip
                self.edges.append(Edge(node_id, saved_id, "saved"))

    # --- constants (not in torchviz's graph: drawn dimmed, on request) --------------
    def constants_used(
        self, output: torch.Tensor | None, variables: dict[str, Any]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names of the program's tensors that don't require grad which the graph's ops
        were made from (`Made.feeds`: `b * x` took x, `y_pred - y` took y, and a constant
        made of x took x too), and of those that went where the tracker can't follow them
        (`Tracker.unfollowed`), not among the first. Autograd keeps no node for either.
        A program's other name for one of them (`y = x.float()` is x) is named too."""
        tensors, fns, objects = self.tracker.tensors, self.tracker.fns, self.objects
        used: set[str] = set()
        for node in self.nodes:
            if node.kind == "op":
                made = fns.get(objects[node.id])
                if made is not None:
                    used.update(made.feeds)
        if output is not None and output.grad_fn is None:  # a graph of one tensor
            made = tensors.get(id(output))
            used.update(made.feeds if made is not None else ())
        unknown = self.tracker.unfollowed - used
        for name, value in variables.items():
            if isinstance(value, torch.Tensor) and not value.requires_grad:
                made = tensors.get(id(value))
                first = made.name if made is not None else None
                if first is not None and first in used:
                    used.add(name)
                elif first is not None and first in unknown:
                    unknown.add(name)
        for name in list(unknown):  # a name the program gave a tensor that requires grad since
            value = variables.get(name)
            if isinstance(value, torch.Tensor) and value.requires_grad:
                unknown.discard(name)
        return tuple(sorted(used)), tuple(sorted(unknown - used))

    def data_tensors(self, variables: dict[str, Any]) -> tuple[str, ...]:
        """The program's names, in order, for tensors that hold data a graph could use: a
        float (or complex) tensor, and any other (makemore's xs and ys) unless a tensor
        the program gave that name was only ever used to index tensors that don't require
        grad (`Made.index`: a batch's `ix` in `Xb = Xtr[ix]`, the next character's in
        `dC[ix] += ...`). Not a Generator, a number, a module, or such."""
        indexes = {
            m.name for m in self.tracker.tensors.values()
            if m.index and not m.data and m.name and not m.local
        }  # fmt: skip
        names = []
        for name, value in variables.items():
            if not isinstance(value, torch.Tensor):
                continue
            if name in indexes and not (value.is_floating_point() or value.is_complex()):
                continue
            names.append(name)
        return tuple(names)

    def add_constants(self) -> None:
        """Each op's constant operands as dimmed nodes, and where the graph was cut off
        (detach(), no_grad) as edges from the tensor it was cut from."""
        ops = [(n.id, self.objects[n.id]) for n in self.nodes if n.kind == "op"]
        work = deque((c, op_id) for op_id, fn in ops for c in self.tracker.constants.get(fn, ()))
        while work:  # a constant made of constants (c * k) shows its parts too
            operand, target = work.popleft()
            const_id, new = self.constant_node(operand)
            self.edges.append(Edge(const_id, target, "constant"))
            if new and isinstance(operand.value, torch.Tensor):
                work.extend((c, const_id) for c in self.tracker.parts.get(id(operand.value), ()))

    def constant_node(self, operand: Operand) -> tuple[str, bool]:
        """The node of a constant, and whether it is new."""
        value = operand.value
        is_tensor = isinstance(value, torch.Tensor)
        key = ("tensor", id(value)) if is_tensor else ("number", operand.span)
        if key in self.ids:
            return self.ids[key], False
        node_id = self.new_id(key, value)
        stop = self.tracker.stops.get(id(value)) if is_tensor else None
        shown, truncated = to_value(value) if is_tensor else (value, False)
        self.nodes.append(
            Node(id=node_id, kind="tensor", role="constant", name=operand.text,
                 shape=tuple(value.shape) if is_tensor else None,
                 dtype=dtype_name(value) if is_tensor else type(value).__name__,
                 requires_grad=False, is_leaf=True, value=shown, truncated=truncated,
                 span=operand.span, cut=self.cut_text(stop) if stop else None)
        )  # fmt: skip
        for source in stop.sources if stop else ():
            try:
                source_id = self.ids.get(("tensor", id(source))) or self.ids.get(source.grad_fn)
            except RuntimeError:  # PyTorch won't read its graph (see Tracker.made)
                continue
            if source_id is not None:
                self.edges.append(Edge(source_id, node_id, "detached"))
        return node_id, True

    def cut_text(self, stop: Stop) -> str:
        """ "y.detach()" or "no_grad", naming the tensor it was cut from when it can."""
        if stop.how != "detach()":
            return stop.how
        made = self.tracker.tensors.get(id(stop.sources[0]))
        return f"{made.name}.detach()" if made and made.name else "detach()"

    # --- backward -----------------------------------------------------------------
    def steps(self, chain: bool = True) -> tuple[BackwardStep, ...]:
        """The recorded backward steps; `chain`: with their chain-rule lines (the
        recorder's explanations, worked out by now)."""
        ids = self.ids
        if not chain:
            return tuple([
                BackwardStep(s.run, ids[s.fn], s.grad_outputs, s.grad_inputs, s.leaf_grad)
                for s in self.recorder.steps if s.fn in ids
            ])  # fmt: skip
        label = chain_rule.Labeler(self.tracker, source_lines(self.source))
        text = chain_rule.Texts()
        roots: dict[int, str] = {}
        out = []
        for s in self.recorder.steps:
            # what the run started from: its first step's, kept or not (a training loop's
            # earlier runs: only the leaves' AccumulateGrad is in this graph; ∂loss/∂w)
            root = roots.setdefault(s.run, label(s.fn) or "L")
            node = ids.get(s.fn)
            if node is None:
                continue
            texts = chain_rule.describe(s.explained, s.fn, root, label, s.grad_outputs,
                                        s.grad_inputs, ids.get, text)  # fmt: skip
            out.append(BackwardStep(s.run, node, s.grad_outputs, s.grad_inputs,
                                    s.leaf_grad, *texts))  # fmt: skip
        return tuple(out)


def _op_node(node_id: str, fn: Any, made: Made | None, sums: dict[Any, Any],
             attrs: tuple[tuple[str, str], ...] = ()) -> Node:  # fmt: skip
    """The box of an autograd node, the one way the record makes one. `made`: the tensor
    the program made with it, if any (its value, name and span); `sums`: what flowed into
    each node (the recorder's), its grad unless the tensor retains its own."""
    if made is None:  # a node the program never saw made (AccumulateGrad, a view's base's)
        total = sums.get(fn)
        shape, grad = (None, None) if total is None else (summed_shape(total), summed(total))
        return Node(node_id, "op", None, type(fn).__name__, shape, grad=grad, attrs=attrs)
    t = made.tensor
    value, truncated = to_value(t)
    retains = t.retains_grad
    total = None if retains else sums.get(fn)
    grad = value_of(t.grad) if retains else None if total is None else summed(total)
    return Node(node_id, "op", made.name, type(fn).__name__, tuple(t.shape), dtype_name(t),
                True, False, value, grad, made.span, 0.0, 0.0, 0.0, 0.0, truncated, None,
                attrs, retains)  # fmt: skip


_custom: dict[type, bool] = {}


def _is_custom(kind: type) -> bool:
    """Whether a node type is a custom autograd Function's (it has `saved_tensors`)."""
    custom = _custom.get(kind)
    if custom is None:
        custom = _custom[kind] = hasattr(kind, "saved_tensors")
    return custom


def _plain_op(fn: Any) -> bool:
    """Whether fn's node shows nothing beyond its own box: no leaf behind it
    (AccumulateGrad) and no custom Function's saved tensors."""
    return not has_variable(fn) and not _is_custom(type(fn))


def custom_saved_tensors(fn: Any) -> tuple[torch.Tensor, ...]:
    """The saved tensors of a custom autograd Function's node (other nodes have none)."""
    if not _is_custom(type(fn)):
        return ()
    try:
        return getattr(fn, "saved_tensors", ()) or ()
    except RuntimeError:  # freed by a backward() that ran through it (no retain_graph)
        return ()


def _attrs(saved: list[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    """grad_fn attributes as torchviz's show_attrs writes them."""
    out = []
    for name, val in saved:
        if torch.is_tensor(val):
            out.append((name, "[saved tensor]"))
        elif isinstance(val, tuple) and any(torch.is_tensor(t) for t in val):
            out.append((name, "[saved tensors]"))
        else:
            out.append((name, str(val)))
    return tuple(out)
