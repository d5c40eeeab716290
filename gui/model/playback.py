"""One playback model: everything a step of backward (or of the forward pass) shows.

`Playback(record).frame(n)` is the state after n backward steps (0: before backward;
None: no player, the plain torchviz picture): every node's state, each node's gradient,
the gradients on the edges, the gradients arriving at the running node by several paths
and their sum, the caption, the chain-rule lines and the running node's source span.
`forward_frame(k)` is the graph as the program had built it after its kth statement that
made part of it. Pure Python over the record (no Qt, no torch): the scene, the inspector,
the player, the presenter, the chain-rule panel, the editor and the handouts all draw
frames, and the tests check every frame against PyTorch.

`playback_of(record)` keeps the last record's Playback (records are compared by identity),
so every widget drawing a step shares one; gradients are kept per step as changes, so a
step forward or back costs the nodes it touches, not the whole backward pass again.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from core.record.additions import failed_backward, named_output, needs_gradient
from core.record.graph import BackwardStep, GraphRecord, Node, Span, Value
from core.record.labels import whole_elements_text
from core.record.language import source_lines
from core.record.steps import add_values
from gui.model.failed_backward import caption as failed_caption
from gui.model.failed_backward import chain_line
from gui.model.flow import DONE, NOT_REACHED, PLAIN, RUNNING, BackwardFlow
from gui.model.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.runs import runs_elsewhere

__all__ = ["DONE", "NOT_REACHED", "PLAIN", "RUNNING", "Frame", "ForwardFrame", "Playback"]

MAX_EXPRESSION_CHARS = 24  # longer expressions are called "its result" in ∂o/∂(…)
_TRAILING_DOT = re.compile(r"(?<=\d)\.(?=[,\]\s]|$)")
WORKING = QT_TRANSLATE_NOOP("Playback", "Working out the chain rule…")
NOT_LISTED = QT_TRANSLATE_NOOP(
    "Playback",
    "(no formula listed for this op: the gradients in and out, as autograd computed them)",
)


@dataclass(frozen=True)
class Part:
    """One gradient arriving at a node along one edge: from the op that sent it."""

    source: str | None  # the op node that sent it (None: the gradient backward() began with)
    value: Value


@dataclass(frozen=True)
class Arrival:
    """What reached the running node: the parts, one per path, and what autograd summed
    them to (the node's incoming gradient)."""

    parts: tuple[Part, ...]
    total: Value

    @property
    def summed(self) -> bool:
        """Several paths: the parts were added up before the node ran."""
        return len(self.parts) > 1


@dataclass(frozen=True)
class Frame:
    """What step n of backward shows (see the module's docstring)."""

    step: int | None  # clamped; None: no player (the plain picture)
    total: int
    running: str | None  # the node this step runs
    run: int | None  # which backward() call it belongs to (0 = the first)
    states: dict[str, str]  # node id -> PLAIN | NOT_REACHED | RUNNING | DONE
    edge_states: list[str]  # per record edge
    edge_grads: dict[int, Value]  # record edge index -> the gradient it carries now
    grads: dict[str, Value]  # node id -> its .grad (leaves) or what flowed into it
    arrival: Arrival | None  # what the running node received, path by path
    caption: str  # one sentence, with what to press (the window)
    caption_plain: str  # the same without hints (handouts)
    title: str  # the chain-rule panel's title
    formula: str  # the running op's local derivative ("" for none)
    chain: tuple[str, ...]  # the chain-rule lines, in the program's names
    span: Span | None  # where the program made the running node (the editor lights it)


@dataclass(frozen=True)
class ForwardFrame:
    """The graph as the program had built it after `step` of its statements that made
    nodes (0: nothing yet; `total`: the whole graph)."""

    step: int
    total: int
    line: int | None  # the source line of this statement (1-based)
    visible: frozenset[str]  # node ids built so far
    new: frozenset[str]  # those this statement built
    edges: frozenset[int]  # record edges between visible nodes
    caption: str
    span: Span | None = field(default=None)  # the statement's first new node's span


class Playback:
    """Frames of one record's backward pass (and of its forward pass)."""

    def __init__(self, record: GraphRecord, like: Playback | None = None) -> None:
        self.record = record
        self.steps = record.backward
        self.flow: BackwardFlow = BackwardFlow(record, like=like.flow if like is not None else None)
        self._forward: list[tuple[int, list[str]]] | None = None  # see _statements
        self.nodes = {n.id: n for n in record.nodes}
        self.run_start: list[int] = []  # per step (0-based), the index its run began at
        for i, s in enumerate(self.steps):
            new = i == 0 or self.steps[i - 1].run != s.run
            self.run_start.append(i if new else self.run_start[-1])
        self._leaf_of = {
            e.target: e.source for e in record.edges if self.nodes[e.source].role == "leaf"
        }
        self._made_by: dict[str, list[str]] = {}  # op -> the non-leaf tensors it made
        for e in record.edges:
            src, dst = self.nodes[e.source], self.nodes[e.target]
            if e.kind == "data" and dst.kind == "tensor" and src.kind == "op":
                self._made_by.setdefault(src.id, []).append(dst.id)
        self._carried: dict[int, dict[int, Value]] = {}
        self._arrivals: list[Arrival] | None = None
        self._grads: dict[str, Value] = {n.id: None for n in record.nodes}
        self._at = 0  # steps applied to _grads
        self._undo: list[list[tuple[str, Value]]] = []  # per applied step: (node, before)
        self._frames: dict[int | None, Frame] = {}  # the last few asked for
        self._lines: list[str] | None = None  # the program's lines, split once (see lines)

    @property
    def lines(self) -> list[str]:
        """The record's program as lines, split the first time they are asked for (every
        step's caption may quote its source)."""
        if self._lines is None:
            self._lines = source_lines(self.record.source)
        return self._lines

    # --- backward -------------------------------------------------------------------------
    def clamp(self, n: int | None) -> int | None:
        return self.flow.clamp(n)

    def frame(self, n: int | None) -> Frame:
        """Everything step n shows (cached: widgets drawing one step share one frame)."""
        n = self.clamp(n)
        known = self._frames.get(n)
        if known is not None:
            return known
        total = len(self.steps)
        states = self.flow.node_states(n)
        running = self.steps[n - 1].node if n else None
        caption, plain = self.caption(n or 0, hints=True), self.caption(n or 0, hints=False)
        title, formula, chain = self.chain_text(n or 0)
        frame = Frame(
            step=n,
            total=total,
            running=running,
            run=self.steps[n - 1].run if n else None,
            states=states,
            edge_states=self.flow.edge_states(states),
            edge_grads=self.edge_grads(n),
            grads=self.grads(n),
            arrival=self.arrival(n) if n else None,
            caption=caption,
            caption_plain=plain,
            title=title,
            formula=formula,
            chain=chain,
            span=self._span_of(running) if running else None,
        )
        if len(self._frames) > 8:
            self._frames.clear()
        self._frames[n] = frame
        return frame

    def _span_of(self, node_id: str) -> Span | None:
        """Where the program made a node: an AccumulateGrad's is its leaf's."""
        node = self.nodes[node_id]
        if node.span is None and node_id in self._leaf_of:
            return self.nodes[self._leaf_of[node_id]].span
        return node.span

    def edge_grads(self, n: int | None) -> dict[int, Value]:
        n = self.clamp(n)
        if not n:
            return {}
        if n not in self._carried:
            if len(self._carried) > 64:
                self._carried.clear()
            self._carried[n] = self.flow.gradient_edges(n)
        return self._carried[n]

    def grads(self, n: int | None) -> dict[str, Value]:
        """Each node's gradient after n steps: a leaf's .grad, or what flowed into a
        tensor or an op (None: no player; the end: what the program finished with)."""
        n = self.clamp(n)
        if n is None or n == len(self.steps):
            return {node.id: node.grad for node in self.record.nodes}
        while self._at < n:
            self._apply(self._at)
        while self._at > n:
            for node_id, before in reversed(self._undo.pop()):
                self._grads[node_id] = before
            self._at -= 1
        return dict(self._grads)

    def state(self, n: int | None) -> GraphRecord:
        """A copy of the record whose nodes carry the gradients of step n (what a DOT or
        picture export of that step draws)."""
        grads = self.frame(n).grads
        nodes = tuple(
            node if grads[node.id] is node.grad else replace(node, grad=grads[node.id])
            for node in self.record.nodes
        )
        return self.record.with_nodes(nodes)

    def _apply(self, i: int) -> None:
        step, grads = self.steps[i], self._grads
        changes: list[tuple[str, Value]] = []
        if step.node in self._leaf_of:
            leaf = self._leaf_of[step.node]
            changes.append((leaf, grads[leaf]))
            grads[leaf] = step.leaf_grad
        elif step.grad_outputs:
            changes.append((step.node, grads[step.node]))
            grads[step.node] = add_values(grads[step.node], step.grad_outputs[0])
            for tensor in self._made_by.get(step.node, ()):
                changes.append((tensor, grads[tensor]))
                grads[tensor] = grads[step.node]
        self._undo.append(changes)
        self._at += 1

    def arrival(self, n: int) -> Arrival | None:
        """What the nth step's node (1-based) received, path by path."""
        if not 1 <= n <= len(self.steps):
            return None
        if self._arrivals is None:
            self._arrivals = self._all_arrivals()
        return self._arrivals[n - 1]

    def _all_arrivals(self) -> list[Arrival]:
        edges = self.record.edges
        out: list[Arrival] = []
        pending: dict[str, list[Part]] = {}
        for i, s in enumerate(self.steps):
            if self.run_start[i] == i:
                pending = {}
            total = s.grad_outputs[0] if s.grad_outputs else None
            parts = pending.pop(s.node, None) or [Part(None, total)]
            out.append(Arrival(tuple(parts), total))
            if s.node in self._leaf_of:
                continue
            for e, value in self.flow.gradient_edges(i + 1).items():
                edge = edges[e]
                if edge.target == s.node and edge.kind == "data" and value is not None:
                    pending.setdefault(edge.source, []).append(Part(s.node, value))
        return out

    # --- the caption ------------------------------------------------------------------------
    def caption(self, step: int, hints: bool = True) -> str:
        """One sentence about the state after `step` backward steps (0: before backward);
        `hints` adds what to press (the window), not on paper (handouts)."""
        record = self.record
        total = len(record.backward)
        if not total:
            failed = failed_backward(record)
            if failed is not None:  # the graph before the program's own failed backward()
                out = named_output(record)
                name = out.name if out is not None else None
                return failed_caption(*failed, name, needs_gradient(record), hints)
            if hints:
                return translate(
                    "Playback",
                    "No backward() in this program. Press Backward to run one for display.",
                )
            return translate("Playback", "No backward() in this program.")
        if step <= 0:
            if hints:
                text = translate(
                    "Playback",
                    "Before backward · no gradients yet · {total} steps "
                    "to go · Space or → steps (Alt+→ in the editor)",
                )
            else:
                text = translate(
                    "Playback", "Before backward · no gradients yet · {total} steps to go"
                )
            return text.format(total=total)
        step = min(step, total)
        s = record.backward[step - 1]
        runs = record.backward[0].run != record.backward[-1].run  # more than one (in order)
        runs = runs or not all(r.detailed for r in record.runs)  # one of a training loop's
        if runs:
            head = translate("Playback", "Step {step}/{total} (backward #{run})").format(
                step=step, total=total, run=s.run + 1
            )
        else:
            head = translate("Playback", "Step {step}/{total}").format(step=step, total=total)
        text = f"{head} · {self.describe_step(step)}"
        if step == total:
            text += self._after_backward()
        return text

    def describe_step(self, step: int) -> str:
        """What the `step`th backward step (1-based) received and passed on, in words."""
        record = self.record
        s = record.backward[step - 1]
        node = self.nodes[s.node]
        received = self._received(step, s, node)
        if node.op == "AccumulateGrad":
            return translate("Playback", "{op} received {received}; {update}").format(
                op=op_label(record, node), received=received, update=self._leaf_update(step, node)
            )
        return translate("Playback", "{op} received {received} and {passes}").format(
            op=op_label(record, node), received=received, passes=self._passes(step, s)
        )

    def _received(self, step: int, s: BackwardStep, node: Node) -> str:
        grads = [g for g in s.grad_outputs if g is not None]
        if not grads:
            return translate("Playback", "no gradient")
        root = self._root_name(step)
        if self.run_start[step - 1] == step - 1 and self._gone(step, node):
            return compact(grads[0])  # (from a graph this one doesn't show: ∂?/∂w)
        if self.run_start[step - 1] == step - 1:
            if _all_ones(grads[0]):
                return f"∂{root}/∂{root} = {compact(grads[0])}"
            return translate("Playback", "backward()'s gradient argument {value}").format(
                value=compact(grads[0])
            )
        if len(grads) > 1:
            return ", ".join(compact(g) for g in grads)
        text = f"∂{root}/∂{self._what(node)} = "
        arrival = self.arrival(step)
        if arrival is not None and arrival.summed:
            parts = " + ".join(compact(p.value) for p in arrival.parts)
            count = len(arrival.parts)
            if count == 2:
                paths = translate("Playback", "two paths add up")
            elif count == 3:
                paths = translate("Playback", "three paths add up")
            else:
                paths = translate("Playback", "{count} paths add up").format(count=count)
            return f"{text}{parts} = {compact(grads[0])} ({paths})"
        return text + compact(grads[0])

    def _sender(self, node_id: str | None) -> str:
        return "backward()" if node_id is None else op_label(self.record, self.nodes[node_id])

    def _what(self, node: Node) -> str:
        """The tensor an op made, for ∂o/∂…: its name, a short expression, or "its result"."""
        if node.op == "AccumulateGrad":
            leaf = leaf_of(self.record, node)
            if leaf is not None and leaf.name:
                return leaf.name
        if node.name:
            return node.name
        text = _source_text(self.lines, node)
        if text and len(text) <= MAX_EXPRESSION_CHARS:
            return f"({text})"
        return translate("Playback", "(its result)")

    def _root_name(self, step: int) -> str:
        """The name of what this backward run started from ("o"), or "out"."""
        first = self.steps[self.run_start[step - 1]]
        return self.nodes[first.node].name or "out"

    def _passes(self, step: int, s: BackwardStep) -> str:
        sent = [g for g in s.grad_inputs if g is not None]
        if not sent:
            return translate("Playback", "passes nothing on")
        record = self.record
        targets = [
            (record.edges[i].source, value)
            for i, value in self.edge_grads(step).items()
            if record.edges[i].target == s.node and record.edges[i].kind == "data"
        ]
        if len(targets) != len(sent) or any(v is None for _, v in targets):  # can't line up
            return translate("Playback", "passes {values} on").format(
                values=_and(compact(g) for g in sent)
            )
        parts = [
            translate("Playback", "{value} on to {op}").format(
                value=compact(v), op=op_label(record, self.nodes[t])
            )
            for t, v in targets
        ]
        return translate("Playback", "passes {parts}").format(parts=_and(parts))

    def _leaf_update(self, step: int, node: Node) -> str:
        leaf = leaf_of(self.record, node)
        s = self.steps[step - 1]
        name = leaf.name if leaf is not None and leaf.name else translate("Playback", "the leaf")
        before = _held(s) if leaf is not None else None
        if before is not None:  # what its last step left, if that is it: the exact numbers
            last = self.grad_before(step, node.id)
            before = last if last is not None and _close(last, before) else before
            return translate(
                "Playback", "{name}.grad becomes {value} (it held {before}: gradients add up)"
            ).format(name=name, value=compact(s.leaf_grad), before=compact(before))
        return translate("Playback", "{name}.grad becomes {value}").format(
            name=name, value=compact(s.leaf_grad)
        )

    def _gone(self, step: int, node: Node) -> bool:
        """Whether the run of this step (its first kept one) started in a graph this record
        doesn't show: a training loop's earlier run, of which only the leaves'
        AccumulateGrad nodes are here (its loss and ops were a graph of their own)."""
        return node.op == "AccumulateGrad" and self.steps[step - 1].run in self._elsewhere

    @functools.cached_property
    def _elsewhere(self) -> frozenset[int]:
        return runs_elsewhere(self.record)

    def grad_before(self, step: int, accumulate_id: str) -> Value:
        """The leaf's .grad before this step: what its AccumulateGrad last left there."""
        for s in reversed(self.steps[: step - 1]):
            if s.node == accumulate_id:
                return s.leaf_grad
        return None

    def _after_backward(self) -> str:
        """At the last step: the leaves whose .grad the program changed after backward()
        (zero_grad, `x.grad = None`), and those whose value it changed in place
        (optimizer.step(), `w -= lr * w.grad`), so that the caption says what the boxes
        show: a value after the change beside the .grad computed before it."""
        return self._grads_after() + self._values_after()

    def _grads_after(self) -> str:
        changed = []
        left: dict[str, Value] = {}  # AccumulateGrad -> the .grad its last step left
        for s in self.steps:
            if s.node in self._leaf_of:
                left[s.node] = s.leaf_grad
        for acc, last in left.items():
            leaf = self.nodes[self._leaf_of[acc]]
            if last is not None and leaf.grad != last and leaf.role == "leaf":
                name = leaf.name or translate("Playback", "the leaf")
                shown = "None" if leaf.grad is None else compact(leaf.grad)
                changed.append(f"{name}.grad = {shown}")
        if not changed:
            return ""
        if len(changed) > 2:
            return translate(
                "Playback", " · then the program changed {count} leaves' .grad (as the boxes show)"
            ).format(count=len(changed))
        return translate("Playback", " · then the program set {changes}").format(
            changes=_and(changed)
        )

    def _values_after(self) -> str:
        names = [
            self.nodes[n].name or translate("Playback", "the leaf")
            for n in self.record.changed_after_backward
            if n in self.nodes
        ]
        if not names:
            return ""
        if len(names) > 3:
            return translate(
                "Playback",
                " · then the program updated {count} leaves in place (e.g. optimizer.step()):"
                " their boxes show the values after that, not those backward() used",
            ).format(count=len(names))
        if len(names) > 1:
            return translate(
                "Playback",
                " · then the program updated {names} in place (e.g. optimizer.step()): their"
                " boxes show the values after that, not those backward() used",
            ).format(names=_and(names))
        return translate(
            "Playback",
            " · then the program updated {name} in place (e.g. optimizer.step()): its box"
            " shows the value after that, not the one backward() used",
        ).format(name=names[0])

    # --- the chain-rule panel ----------------------------------------------------------------
    def chain_text(self, step: int, note: str = "") -> tuple[str, str, tuple[str, ...]]:
        """(title, formula, lines) at `step` (1-based; 0 is before backward); `note`: why a
        record's pending chain-rule lines won't come."""
        record = self.record
        total = len(record.backward)
        if not total:
            failed = failed_backward(record)
            if failed is not None:
                return (
                    translate("Playback", "Chain rule"),
                    "",
                    (chain_line(failed[0], named_output(record) is not None),),
                )
            return (
                translate("Playback", "Chain rule"),
                "",
                (
                    translate(
                        "Playback", "No backward() in this program: press Backward to run one."
                    ),
                ),
            )
        if step <= 0:
            return (
                translate("Playback", "Chain rule · before backward"),
                "",
                (
                    translate(
                        "Playback",
                        "Step through backward() ({total} steps) to see the chain "
                        "rule at each node.",
                    ).format(total=total),
                ),
            )
        s = record.backward[min(step, total) - 1]
        node = self.nodes[s.node]
        title = translate("Playback", "Step {step}/{total} · {op}").format(
            step=min(step, total), total=total, op=op_label(record, node)
        )
        if record.chain_rule_pending:
            return title, "", (note or translate("Playback", WORKING),)
        formula = s.formula if s.formula is not None else translate("Playback", NOT_LISTED)
        lines = tuple(s.chain)
        arrival = self.arrival(min(step, total))
        if arrival is not None and arrival.summed and s.grad_outputs:
            root = self._root_name(min(step, total))
            parts = " + ".join(
                translate("Playback", "{value} (from {sender})").format(
                    value=compact(p.value), sender=self._sender(p.source)
                )
                for p in arrival.parts
            )
            total_text = compact(s.grad_outputs[0])
            lines = (f"∂{root}/∂{self._what(node)} = {parts} = {total_text}", *lines)
        return title, formula, lines

    # --- the forward pass ----------------------------------------------------------------------
    def forward_count(self) -> int:
        return len(self._statements())

    def forward_frame(self, k: int) -> ForwardFrame:
        """The graph after the program's first k statements that made nodes of it."""
        statements = self._statements()
        k = max(0, min(k, len(statements)))
        built: set[str] = set()
        for _, ids in statements[:k]:
            built.update(ids)
        new = set(statements[k - 1][1]) if k else set()
        edges = frozenset(
            i for i, e in enumerate(self.record.edges) if e.source in built and e.target in built
        )
        line = statements[k - 1][0] if k else None
        lines = self.lines
        text = lines[line - 1].strip() if line and 1 <= line <= len(lines) else ""
        if k == 0:
            caption = translate(
                "Playback", "Before the program runs · {count} statements build the graph"
            ).format(count=len(statements))
        else:
            made = _and(self._node_text(self.nodes[i]) for i in sorted(new, key=self._made))
            caption = translate(
                "Playback", "Forward {k}/{count} · line {line}: {text} · makes {made}"
            ).format(k=k, count=len(statements), line=line, text=text, made=made)
        span = next((self.nodes[i].span for i in sorted(new, key=self._made) if self.nodes[i].span),
                    None)  # fmt: skip
        return ForwardFrame(k, len(statements), line, frozenset(built), frozenset(new), edges,
                            caption, span)  # fmt: skip

    def _made(self, node_id: str) -> tuple[bool, int]:
        """The order a statement made its nodes in: tensors, then ops inside out (ids
        are given from the output back)."""
        return (self.nodes[node_id].kind != "tensor", -_order(node_id))

    def _node_text(self, node: Node) -> str:
        if node.kind == "op":
            return op_label(self.record, node)
        return node.name or translate("Playback", "a tensor")

    def _statements(self) -> list[tuple[int, list[str]]]:
        """(line, node ids) per statement that made nodes, in program order. A node with
        no span (AccumulateGrad, a saved tensor) comes with the first node it is joined to."""
        if self._forward is not None:
            return self._forward
        first_line: dict[str, int] = {}
        for node in self.record.nodes:
            if node.span is not None:
                first_line[node.id] = node.span[0]
        for _ in range(3):  # spanless nodes take the line of a neighbour with one
            for e in self.record.edges:
                for a, b in ((e.source, e.target), (e.target, e.source)):
                    if a not in first_line and b in first_line:
                        first_line[a] = first_line[b]
        last = max(first_line.values(), default=1)
        by_line: dict[int, list[str]] = {}
        for node in self.record.nodes:
            by_line.setdefault(first_line.get(node.id, last), []).append(node.id)
        self._forward = sorted(by_line.items())
        return self._forward


def _order(node_id: str) -> int:
    return int(node_id[1:]) if node_id[1:].isdigit() else 0


_last: list[Playback] = []


def playback_of(record: GraphRecord) -> Playback:
    """The record's Playback, kept for the last record asked about (records compared by
    identity; a same-shape edit's shares the last one's edge maps)."""
    if not _last or _last[0].record is not record:
        _last[:] = [Playback(record, like=_last[0] if _last else None)]
    return _last[0]


def forget_playbacks() -> None:
    """Drop the kept Playback (its frames' sentences are in the language they were made in)."""
    _last.clear()


def compact(value: Value) -> str:
    """A value as a caption writes it: 1, 0.5, [10, 10], [[1, 2], …] (cut when long, only
    between elements: never inside a number, and the brackets closed)."""
    return _TRAILING_DOT.sub("", whole_elements_text(value))


def op_label(record: GraphRecord, node: Node) -> str:
    """An op as captions name it: "MulBackward0 (y)", "AccumulateGrad (x)", "SumBackward0"."""
    name = node.name
    if node.op == "AccumulateGrad":
        leaf = leaf_of(record, node)
        name = leaf.name if leaf is not None else None
    return f"{node.op} ({name})" if name else str(node.op)


def leaf_of(record: GraphRecord, accumulate: Node) -> Node | None:
    """The leaf tensor an AccumulateGrad node adds into."""
    for e in record.edges:
        if e.target == accumulate.id:
            source = record.node(e.source)
            if source.kind == "tensor":
                return source
    return None


def _source_text(lines: list[str], node: Node) -> str | None:
    if node.span is None or node.span[0] != node.span[2]:
        return None
    line, col, _, end = node.span
    return lines[line - 1][col - 1 : end - 1] if 1 <= line <= len(lines) else None


def _all_ones(value: Value) -> bool:
    if isinstance(value, list):
        return all(_all_ones(v) for v in value)
    return value == 1


def _close(a: Value, b: Value) -> bool:
    """Whether two values hold the same numbers, but for rounding."""
    x, y = _numbers(a), _numbers(b)
    return (
        x is not None
        and y is not None
        and len(x) == len(y)
        and all(math.isclose(u, v, rel_tol=1e-4, abs_tol=1e-6) for u, v in zip(x, y, strict=True))
    )


def _held(step: BackwardStep) -> Value:
    """What .grad held before an AccumulateGrad step added to it, from its chain rule's
    numbers (.grad after − what arrived), when they say it added to something that wasn't
    zero; None otherwise: it was None or zeros (zero_grad(), `w.grad = None` between runs),
    or the numbers aren't known (the chain rule still being worked out)."""
    if len(step.terms) != 1:
        return None
    term = step.terms[0]
    arrived, after = _numbers(term.incoming), _numbers(term.outgoing)
    if arrived is None or after is None or len(arrived) != len(after):
        return None
    held = [b - a for a, b in zip(arrived, after, strict=True)]
    if all(h == 0 for h in held):
        return None
    return _shaped(held, term.outgoing)


def _shaped(flat: list[float], like: Value) -> Value:
    """`flat`'s numbers in the nesting of `like` (a value of as many numbers)."""
    numbers = iter(flat)

    def fill(v: Value) -> Value:
        if isinstance(v, list | tuple):
            return [fill(x) for x in v]
        return next(numbers)

    return fill(like)


def _numbers(value: Value) -> list[float] | None:
    """A value's numbers, flat (None if it holds anything else: "nan", a summary)."""
    out: list[float] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, list | tuple):
            stack.extend(reversed(v))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out.append(float(v))
        else:
            return None
    return out


def _and(parts: Iterable[str]) -> str:
    items = list(parts)
    if len(items) == 1:
        return items[0]
    return translate("Playback", "{first} and {last}").format(
        first=", ".join(items[:-1]), last=items[-1]
    )
