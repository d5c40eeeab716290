"""Records backward() as it runs: every node execution, in order, with its gradients.

Before each backward() the program calls, hooks go on every autograd node reachable from
the tensor (DESIGN.md, "Autograd facts"). One post-hook per node sees both the gradients
it received and the ones it sent on; the engine frees a node's saved tensors only after
its post-hooks, so the chain rule can still read them there. AccumulateGrad nodes also
get a pre-hook, to see the leaf's `.grad` before it is added to (the post-hook reads the
new one). The hooks return None, so they never change a gradient, and they are removed
afterwards.

A post-hook only notes the node, its gradients (the tensors) and its saved attributes;
`_settle` turns them into plain values when backward() returns, before the program can
touch them. Until then nothing changes them: no program code runs inside backward()
(the language refuses tensor hooks and custom autograd Functions), and the engine adds
into a gradient in place only when nothing else holds it, which the notes do. The
exception is a leaf's .grad, which AccumulateGrad adds to in place and which may be one
of them (`x.grad = v; y.backward(v)`), so AccumulateGrad's pre-hook settles first; so
does a post-hook once the gradients held pass HOLD_ELEMENTS. A gradient a node sends on
usually arrives as the next node's input: it is read once. What flowed into each node is
summed over runs, from the recorded values.

The chain rule (`core.engine.chain_rule.explain`) is worked out in the hook, or, with
`explain_now=False`, later (`explain_pending`): the hook then keeps the node's saved
tensors and incoming gradients (with their version counters, up to KEEP_ELEMENTS
elements in all; past that it explains at once). A leaf among them is copied, since
an optimizer step changes leaves in place; if anything kept changed all the same,
`explain_pending` says so and the caller works it out again from a fresh run.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import torch

from core.engine import chain_rule
from core.engine.values import MAX_NESTED, from_value, to_value, value_of

SAVED_PREFIX = "_saved_"
DETAILED_RUNS = 3  # backward() calls recorded whole; past them only the latest (and any asked
#   for) are kept, so a training loop's record and memory don't grow with its length
KEEP_ELEMENTS = 1 << 22  # tensor elements kept for a later chain rule (16 MB of float32)
HOLD_ELEMENTS = 1 << 22  # elements of received gradients held until their values are read


@dataclass(slots=True)
class RawStep:
    run: int
    fn: Any
    grad_outputs: tuple[Any, ...]
    grad_inputs: tuple[Any, ...] = ()
    leaf_grad: Any = None
    explained: chain_rule.Explained | None = None  # the chain rule, with the numbers
    kept: Kept | None = None  # what a later chain rule needs (explain_now=False)


@dataclass(slots=True)
class Kept:
    """A node's incoming gradients and saved attributes, kept for its chain rule (the
    version counter each had then is in `BackwardRecorder._versions`)."""

    grads: tuple[Any, ...]
    saved: list[tuple[str, Any]]


@dataclass(slots=True)
class GradSum:
    """The gradient that flowed into one node (its first input), summed over runs."""

    shape: torch.Size
    dtype: torch.dtype
    value: Any  # the sum as a plain value; None until `total` is converted
    total: torch.Tensor | None = None  # kept only where `value` can't give it back

    def tensor(self) -> torch.Tensor:
        if self.total is not None:
            return self.total
        return from_value(self.value, self.dtype, self.shape)

    def plain(self) -> Any:
        if self.value is None:
            self.value = value_of(self.total)
        return self.value


_reading = [False]


def recording_reads() -> bool:
    """Whether the recorder is reading saved tensors now: a program's saved-tensor hooks
    run then, as a side effect plain Python wouldn't have (their prints aren't shown)."""
    return _reading[0]


def walk(root: Any) -> Iterator[Any]:
    """Every autograd node reachable from root through next_functions, each once (no recursion)."""
    seen = {root}
    stack = [root]
    while stack:
        fn = stack.pop()
        yield fn
        for child, _ in fn.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)


_saved_names: dict[type, list[str]] = {}
_has_variable: dict[type, bool] = {}


def saved_attributes(fn: Any) -> list[tuple[str, Any]]:
    """A node's `_saved_*` attributes as (name without the prefix, value)."""
    names = _saved_names.get(type(fn))
    if names is None:
        names = _saved_names[type(fn)] = [a for a in dir(fn) if a.startswith(SAVED_PREFIX)]
    out = []
    _reading[0] = True
    try:
        for attr in names:
            try:
                out.append((attr[len(SAVED_PREFIX) :], getattr(fn, attr)))
            except RuntimeError:  # freed by an earlier backward
                continue
    finally:
        _reading[0] = False
    return out


def _leaves_now(fns: dict[Any, None]) -> dict[int, tuple[Any, bool, Any]]:
    """Each leaf behind fns' AccumulateGrad nodes: id -> (value, truncated, .grad) now."""
    out = {}
    for fn in fns:
        leaf = leaf_of(fn)
        if leaf is not None:
            out[id(leaf)] = (*to_value(leaf), value_of(leaf.grad))
    return out


def has_variable(fn: Any) -> bool:
    """Whether fn is an AccumulateGrad node (it has the leaf as `variable`)."""
    has = _has_variable.get(type(fn))
    if has is None:
        has = _has_variable[type(fn)] = hasattr(fn, "variable")
    return has


def leaf_of(fn: Any) -> torch.Tensor | None:
    """The leaf tensor behind an AccumulateGrad node; None for any other node."""
    leaf = fn.variable if has_variable(fn) else None
    return leaf if isinstance(leaf, torch.Tensor) else None


SEEN_ELEMENTS = 4096  # a leaf this small is copied as backward() reaches it (see leaves_seen)


def reads_data(tree: ast.AST) -> bool:
    """Whether a program reads some tensor's `.data`: a view that changes its tensor without
    moving the tensor's version counter on (see `BackwardRecorder.leaves_seen`)."""
    return any(isinstance(n, ast.Attribute) and n.attr == "data" for n in ast.walk(tree))


@dataclass
class BackwardRecorder:
    """Wraps the program's backward() calls; keeps the steps and per-node gradient sums."""

    keep_saved: bool = False
    explain_now: bool = True  # False: keep what the chain rule needs, for explain_pending
    runs: int = 0
    steps: list[RawStep] = field(default_factory=list)
    # what flowed into each node, summed over runs: its plain value (one run, kept whole:
    # the common case, no object made) or a GradSum (see `summed`, `summed_shape`)
    grad_sums: dict[Any, Any] = field(default_factory=dict)
    saved: dict[Any, list[tuple[str, Any]]] = field(default_factory=dict)
    last_tensor: torch.Tensor | None = None
    wanted: frozenset[int] = frozenset()  # runs past DETAILED_RUNS to keep whole all the same
    summaries: list[tuple[int, Any]] = field(default_factory=list)  # (run, output's value)
    outputs: dict[int, torch.Tensor] = field(default_factory=dict)  # wanted run -> its tensor
    # the leaves of a wanted run as they were right after its backward(): id(leaf) ->
    # (value, truncated, .grad). A training loop's optimizer changes them later; run k's
    # graph shows what run k computed with (see `as_of`)
    leaves_then: dict[int, dict[int, tuple[Any, bool, Any]]] = field(default_factory=dict)
    # each leaf as a backward() last reached it: id(leaf) -> (its version counter, a copy
    # of its value if `copy_leaves` and it has at most SEEN_ELEMENTS). An in-place change
    # after it moves the counter on (optimizer.step(), `w -= lr * w.grad` under no_grad); a
    # change through `.data` (`p.data += -lr * p.grad`, makemore's) doesn't: the copy tells
    # it, made only for a program that reads `.data` (`reads_data`)
    copy_leaves: bool = False
    leaves_seen: dict[int, tuple[int, torch.Tensor | None]] = field(default_factory=dict)
    _droppable: tuple[int, int, int] | None = None  # the latest run, until the next comes
    _dropped: set[int] = field(default_factory=set)  # runs whose steps were let go
    _running: dict[Any, int] = field(default_factory=dict)
    # post-hooks' steps waiting for `_settle`: (index in steps, fn, grad_inputs,
    # grad_outputs, what is kept for a later chain rule, or the chain rule worked out)
    _pending: list[tuple[int, Any, tuple, tuple, Kept | None, Any]] = field(default_factory=list)
    _held: int = 0  # elements of the gradients pending
    _kept_elements: int = 0
    _copies: dict[int, tuple[torch.Tensor, int, torch.Tensor]] = field(default_factory=dict)
    _versions: list[tuple[torch.Tensor, int]] = field(default_factory=list)  # of all kept

    def backward(self, tensor: torch.Tensor, args: tuple, kwargs: dict) -> None:
        """Run tensor.backward(*args, **kwargs) with every node hooked."""
        self._hooked([tensor], partial(tensor.backward, *args, **kwargs))
        self.last_tensor = tensor

    def detailed(self, run: int) -> bool:
        """Whether run's steps are in the record (the first runs, the last, those asked for)."""
        return run not in self._dropped

    def _note_run(self, tensors: list[torch.Tensor]) -> None:
        """The summary line of the run starting now; the run before it let go of, if it was
        kept only as the latest."""
        run = self.runs
        if self._droppable is not None:
            self._drop(*self._droppable)
            self._dropped.add(run - 1)
            self._droppable = None
        if run >= DETAILED_RUNS and run not in self.wanted:
            self._droppable = (len(self.steps), len(self._versions), self._kept_elements)
        if run in self.wanted and tensors:
            self.outputs[run] = tensors[0]
        value = None
        if tensors and tensors[0].numel() == 1:
            number = float(tensors[0].detach().reshape(()))
            value = number if math.isfinite(number) else str(number)
        self.summaries.append((run, value))

    def finish(self) -> None:
        """The program ended: its last run, recorded as one that might be let go of, stays.
        Its gradients become values and (if explaining now) its chain rule is worked out."""
        if self._droppable is None:
            return
        start = self._droppable[0]
        self._droppable = None
        for step in self.steps[start:]:
            step.grad_outputs = tuple(_value(g) for g in step.grad_outputs)
            step.grad_inputs = tuple(_value(g) for g in step.grad_inputs)
            step.leaf_grad = _value(step.leaf_grad)
            leaf = leaf_of(step.fn)
            if leaf is not None and step.kept is not None:  # (now: it needs .grad as it was)
                kept, step.kept = step.kept, None
                step.explained = chain_rule.accumulated(kept.grads[0], kept.saved[0][1],
                                                        leaf.dtype)  # fmt: skip
            elif self.explain_now and step.kept is not None:
                kept, step.kept = step.kept, None
                step.explained = chain_rule.explain(step.fn, kept.grads, kept.saved,
                                                    step.grad_outputs)  # fmt: skip

    def _drop(self, start: int, versions: int, kept: int) -> None:
        """Let go of the steps from `start` on (one run's), and of what they kept."""
        dropped = self.steps[start:]
        del self.steps[start:]
        del self._versions[versions:]
        self._kept_elements = kept
        for step in dropped:
            if leaf_of(step.fn) is None:  # its graph is gone (an AccumulateGrad's leaf stays)
                self.grad_sums.pop(step.fn, None)
                self.saved.pop(step.fn, None)

    def grad(self, args: tuple, kwargs: dict) -> Any:
        """Run torch.autograd.grad(*args, **kwargs) with every node hooked; its result."""
        outputs = args[0] if args else kwargs.get("outputs")
        tensors = [outputs] if isinstance(outputs, torch.Tensor) else list(outputs or ())
        tensors = [t for t in tensors if isinstance(t, torch.Tensor)]
        result = self._hooked(tensors, partial(torch.autograd.grad, *args, **kwargs))
        if tensors:
            self.last_tensor = tensors[0]
        return result

    def _hooked(self, tensors: list[torch.Tensor], run: Any) -> Any:
        self._note_run(tensors)
        fns: dict[Any, None] = {}  # in walk order, each once
        for t in tensors:
            if t.grad_fn is not None:
                fns.update(dict.fromkeys(walk(t.grad_fn)))
        if self.keep_saved:
            for fn in fns:
                if fn not in self.saved:
                    self.saved[fn] = saved_attributes(fn)
        ran, started, accumulated = self._ran, self._started, self._accumulated
        handles = []
        for fn in fns:
            leaf = leaf_of(fn)
            if leaf is not None:
                handles.append(fn.register_prehook(partial(started, fn)))
                handles.append(fn.register_hook(partial(accumulated, fn, leaf)))
            else:
                handles.append(fn.register_hook(partial(ran, fn)))
        try:
            return run()
        finally:
            for h in handles:
                h.remove()
            self._settle()
            if self.runs in self.wanted:
                self.leaves_then[self.runs] = _leaves_now(fns)
            self.runs += 1
            self._running.clear()

    def changed_since_backward(self, leaf: torch.Tensor) -> bool:
        """Whether the program changed `leaf` in place after a backward() last reached it."""
        seen = self.leaves_seen.get(id(leaf))
        if seen is None:
            return False
        version, copy = seen
        if leaf._version != version:
            return True
        return copy is not None and not torch.allclose(leaf.detach(), copy, rtol=0, atol=0,
                                                       equal_nan=True)  # fmt: skip

    def as_of(self, run: int | None) -> dict[int, tuple[Any, bool, Any]]:
        """The leaves of run `run`'s graph as they were right after its backward(), when a
        later run followed (the last run's graph shows the program's end, as for one run)."""
        if run is None or run >= self.runs - 1:
            return {}
        return self.leaves_then.get(run, {})

    def _ran(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        """Post-hook of a node other than AccumulateGrad: it received grad_outputs and sent
        grad_inputs on (its saved tensors are freed after this). Only what can't wait is
        done here: the saved tensors read, and kept for the chain rule (`_keep`) or it
        worked out now; the gradients' values are read in `_settle`."""
        saved = saved_attributes(fn)
        size = 0
        for g in grad_outputs:
            if g is not None:
                size += g.numel()
        explained = kept = None
        now = self.explain_now and self._droppable is None  # (a run that may be let go of:
        if now or (kept := self._keep(size, grad_outputs, saved)) is None:  # explain later)
            explained = chain_rule.explain(fn, grad_outputs, saved)
        self._pending.append((len(self.steps), fn, grad_inputs, grad_outputs, kept, explained))
        self.steps.append(None)  # type: ignore[arg-type]  # (filled in by _settle)
        self._held += size
        if self._held > HOLD_ELEMENTS:  # big gradients: don't keep them all to the end
            self._settle()

    def _settle(self) -> None:
        """The steps the post-hooks left pending, made with their gradients' values (see
        the module's docstring for why those are still the values they had)."""
        pending, self._pending, self._held = self._pending, [], 0
        values: dict[int, Any] = {}  # id(gradient) -> its value: one sent on arrives as is
        cut: set[int] = set()  # id(gradient) of those whose value is a summary

        def read(grads: tuple) -> tuple[Any, ...]:
            out = []
            for g in grads:
                value = None if g is None else values.get(id(g), values)
                if value is values:
                    value, summary = to_value(g)
                    values[id(g)] = value
                    if summary:
                        cut.add(id(g))
                out.append(value)
            return tuple(out)

        run = self.runs
        steps, sums = self.steps, self.grad_sums
        if self._droppable is not None:  # values read only if this run stays (`finish`)
            read = _held
        for index, fn, grad_inputs, grad_outputs, kept, explained in pending:
            received = read(grad_outputs)
            steps[index] = RawStep(run, fn, received, read(grad_inputs), None, explained, kept)
            if received and (grad := grad_outputs[0]) is not None:
                if fn in sums:
                    self._add_grad(fn, grad)
                elif self._droppable is not None:
                    sums[fn] = GradSum(grad.shape, grad.dtype, None, received[0])
                elif (
                    received[0] is not None
                    and id(grad) not in cut
                    and grad.numel()
                    and grad.dim() <= MAX_NESTED
                ):
                    sums[fn] = received[0]  # whole (and its shape can be read off it)
                else:
                    sums[fn] = GradSum(grad.shape, grad.dtype, received[0], grad.detach().clone())

    def _started(self, fn: Any, grad_outputs: tuple) -> None:
        """Pre-hook of AccumulateGrad: the leaf's .grad is still the one before."""
        self._settle()
        self._running[fn] = len(self.steps)
        if self._droppable is not None:  # (see `finish`): the .grad it adds to, as it is now
            copies = _held(grad_outputs)
            before = fn.variable.grad
            saved = [("before", None if before is None else before.detach().clone())]
            self.steps.append(RawStep(self.runs, fn, copies, kept=Kept(copies, saved)))
            return
        received = tuple([value_of(g) for g in grad_outputs])
        explained = chain_rule.explain(fn, grad_outputs, [], received)
        self.steps.append(RawStep(self.runs, fn, received, explained=explained))

    def _accumulated(self, fn: Any, leaf: torch.Tensor, grad_inputs: tuple,
                     grad_outputs: tuple) -> None:  # fmt: skip
        grad = leaf.grad
        self.leaves_seen[id(leaf)] = (
            leaf._version,
            leaf.detach().clone() if self.copy_leaves and leaf.numel() <= SEEN_ELEMENTS else None,
        )
        if self._droppable is not None:
            self.steps[self._running[fn]].leaf_grad = None if grad is None else grad.clone()
        else:
            self.steps[self._running[fn]].leaf_grad = value_of(grad)

    def _keep(self, size: int, grads: tuple, saved: list[tuple[str, Any]]) -> Kept | None:
        """What a later chain rule needs (the incoming gradients, `size` elements, and the
        node's saved attributes `saved`), if it fits in KEEP_ELEMENTS with what is kept
        already, each tensor's version noted as it is now (nothing can change them before
        `_settle`: see the module's docstring); leaves are replaced by copies. None if it
        doesn't fit."""
        versions = self._versions
        mark = len(versions)
        for g in grads:
            if g is not None:
                versions.append((g, g._version))
        leaves = []
        for i, (_, value) in enumerate(saved):
            if isinstance(value, torch.Tensor):
                size += value.numel()
                if value.is_leaf and value.requires_grad:  # optimizers change leaves in place
                    leaves.append(i)
                else:
                    versions.append((value, value._version))
            elif type(value) is tuple:
                for v in value:
                    if isinstance(v, torch.Tensor):
                        size += v.numel()
                        versions.append((v, v._version))
        size += self._kept_elements
        if size > KEEP_ELEMENTS:
            del versions[mark:]
            return None
        self._kept_elements = size
        for i in leaves:
            name, leaf = saved[i]
            saved[i] = (name, self._copy(leaf))
        return Kept(grads, saved)

    def _copy(self, leaf: torch.Tensor) -> torch.Tensor:
        """A copy of leaf as it is now; one per leaf and version (a weight is saved by
        every op that reads it)."""
        known = self._copies.get(id(leaf))
        if known is None or known[0] is not leaf or known[1] != leaf._version:
            known = self._copies[id(leaf)] = (leaf, leaf._version, leaf.detach().clone())
        return known[2]

    def explain_pending(self) -> bool:
        """Work out the chain rule of every step kept for later; False (and nothing done)
        if a kept tensor was changed in place since (the numbers it had are gone)."""
        if not all(t._version == v for t, v in self._versions):
            return False
        pending = [s for s in self.steps if s.kept is not None]
        for s in pending:
            kept, s.kept = s.kept, None
            assert kept is not None
            s.explained = chain_rule.explain(s.fn, kept.grads, kept.saved, s.grad_outputs)
        self._kept_elements = 0
        self._copies.clear()
        self._versions.clear()
        return True

    def _add_grad(self, fn: Any, grad: torch.Tensor) -> None:
        """Add what flowed into fn again (a later run's grad, of the same shape and dtype)
        to its sum."""
        total = self.grad_sums[fn]
        if type(total) is not GradSum:  # one run's whole value so far
            total = self.grad_sums[fn] = GradSum(grad.shape, grad.dtype, total)
        total.total, total.value = total.tensor() + grad.detach(), None


def _held(grads: tuple) -> tuple:
    """Gradients kept as the tensors they are (a run that may be let go of): the engine
    adds in place only into a gradient nothing else holds (see the module's docstring), and
    holding one keeps AccumulateGrad from taking it over as the leaf's .grad."""
    return tuple(grads)


def _value(g: Any) -> Any:
    return value_of(g) if isinstance(g, torch.Tensor) else g


def summed(total: Any) -> Any:
    """The plain value of a `BackwardRecorder.grad_sums` entry."""
    return total.plain() if type(total) is GradSum else total


def summed_shape(total: Any) -> tuple[int, ...]:
    """The shape of a `BackwardRecorder.grad_sums` entry. A plain one is a whole value of
    at least one element: nested lists, none of them empty, down to a number."""
    if type(total) is GradSum:
        return tuple(total.shape)
    shape = []
    while type(total) is list:
        shape.append(len(total))
        total = total[0]
    return tuple(shape)
