"""Where backward is at step n: each node's state and the edges a gradient runs along.

Pure Python over a `GraphRecord` (no Qt), so the scene only has to draw what changed.
Step n means "after n backward steps", as in `core.record.steps`: step 0 is before backward,
and at step n the nth recorded step is the one running. `None` means no player at all:
the plain torchviz picture. Each backward() call (a "run") starts from not reached again.
"""

from __future__ import annotations

from core.record.graph import GraphRecord, Value

PLAIN = "plain"
NOT_REACHED = "not reached"
RUNNING = "running"
DONE = "done"
EXTRA_EDGES = ("constant", "detached")  # drawn beside torchviz's graph; no gradient runs there


class BackwardFlow:
    """Per-step node states and gradient-carrying edges for one record."""

    def __init__(self, record: GraphRecord, like: BackwardFlow | None = None) -> None:
        """`like`: the last record's flow; if record has the very same edges (a same-shape
        edit: the worker reused them) over nodes of the same kinds, its edge maps are
        this one's too (they are only read)."""
        self.record = record
        self.steps = record.backward
        self._run_start: list[int] = []
        for i, step in enumerate(self.steps):
            new_run = i == 0 or self.steps[i - 1].run != step.run
            self._run_start.append(i if new_run else self._run_start[-1])
        self._follows: dict[str, str]  # leaf / saved tensor -> the op it shows the state of
        self._into: dict[str, list[int]]  # op -> data edges from ops into it, record order
        self._leaf_edge: dict[str, int]  # AccumulateGrad op -> its leaf's edge
        self._seed_edges: dict[str, list[int]]  # op -> its edges to the output tensor
        if like is not None and like.record.edges is record.edges and _same_kinds(like, record):
            self._follows, self._into = like._follows, like._into
            self._leaf_edge, self._seed_edges = like._leaf_edge, like._seed_edges
            return
        kinds = {n.id: n for n in record.nodes}
        self._follows, self._into, self._leaf_edge, self._seed_edges = {}, {}, {}, {}
        for i, e in enumerate(record.edges):
            src, dst = kinds[e.source], kinds[e.target]
            if e.kind in EXTRA_EDGES:  # constants carry no gradient
                continue
            if e.kind == "saved":
                saved, op = (dst, src) if src.kind == "op" else (src, dst)
                self._follows[saved.id] = op.id
            elif src.kind == "op" and dst.kind == "op":
                self._into.setdefault(dst.id, []).append(i)
            elif dst.kind == "op":  # a leaf behind its AccumulateGrad
                self._follows[src.id] = dst.id
                self._leaf_edge[dst.id] = i
            elif src.kind == "op" and dst.role == "output":
                self._seed_edges.setdefault(src.id, []).append(i)

    def clamp(self, n: int | None) -> int | None:
        """n within 0..len(steps); None stays None (and is all there is with no backward)."""
        if n is None or not self.steps:
            return None
        return max(0, min(n, len(self.steps)))

    def node_states(self, n: int | None) -> dict[str, str]:
        """Every node's state after n steps: plain, not reached, running or done."""
        n = self.clamp(n)
        if n is None:
            return {node.id: PLAIN for node in self.record.nodes}
        if n == 0:
            return {node.id: NOT_REACHED for node in self.record.nodes}
        last = n - 1
        ops = {self.steps[j].node: DONE for j in range(self._run_start[last], last)}
        ops[self.steps[last].node] = RUNNING
        states = {}
        for node in self.record.nodes:
            if node.role == "constant":  # beside the graph: backward never reaches it
                states[node.id] = PLAIN
            elif node.kind == "op":
                states[node.id] = ops.get(node.id, NOT_REACHED)
            elif node.id in self._follows:  # done once its op has run or runs now
                states[node.id] = DONE if self._follows[node.id] in ops else NOT_REACHED
            else:  # the output (and a view's base): backward starts from it
                states[node.id] = DONE
        return states

    def lit(self, n: int | None) -> tuple[str, ...]:
        """The boxes step n lights, the running op first: with it, an AccumulateGrad's
        leaf (its .grad changes now) and, on a run's first step, the output it starts
        from (the seed's edge). Nothing before backward or with no player."""
        n = self.clamp(n)
        if not n:
            return ()
        node = self.steps[n - 1].node
        edges = self.record.edges
        nodes = [node]
        if node in self._leaf_edge:
            nodes.append(edges[self._leaf_edge[node]].source)
        if self._run_start[n - 1] == n - 1:
            nodes += [edges[i].target for i in self._seed_edges.get(node, [])]
        return tuple(nodes)

    def edge_states(self, node_states: dict[str, str]) -> list[str]:
        """Per edge: plain, or the state of its forward target (gradient comes from there)."""
        return [
            PLAIN if e.kind in EXTRA_EDGES else node_states[e.target] for e in self.record.edges
        ]

    def gradient_edges(self, n: int | None) -> dict[int, Value]:
        """Edge index -> the gradient it carries at step n (None when it can't be told)."""
        n = self.clamp(n)
        if not n:
            return {}
        step = self.steps[n - 1]
        if step.node in self._leaf_edge:  # AccumulateGrad adds what it received to .grad
            received = step.grad_outputs[0] if step.grad_outputs else step.leaf_grad
            return {self._leaf_edge[step.node]: received}
        carried = _match(self._into.get(step.node, []), step.grad_inputs)
        if self._run_start[n - 1] == n - 1 and step.grad_outputs:  # the seed, e.g. 1.
            carried.update(dict.fromkeys(self._seed_edges.get(step.node, []), step.grad_outputs[0]))
        return carried


def _same_kinds(flow: BackwardFlow, record: GraphRecord) -> bool:
    """Whether record's nodes are flow's, id for id, of the same kinds and roles."""
    old = flow.record.nodes
    return len(old) == len(record.nodes) and all(
        a.id == b.id and a.kind == b.kind and a.role == b.role
        for a, b in zip(old, record.nodes, strict=True)
    )


def _match(edges: list[int], grad_inputs: tuple[Value, ...]) -> dict[int, Value]:
    """Line up a node's input edges with the gradients it sent on.

    `grad_inputs` follows `next_functions`, where inputs with no autograd node (constants)
    have no edge and get None; drop those when that makes the counts agree.
    """
    if len(grad_inputs) == len(edges):
        return {i: g for i, g in zip(edges, grad_inputs, strict=True) if g is not None}
    sent = [g for g in grad_inputs if g is not None]
    if len(sent) == len(edges):
        return dict(zip(edges, sent, strict=True))
    return dict.fromkeys(edges)
