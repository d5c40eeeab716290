"""Records backward() as it runs: every node execution, in order, with its gradients.

Before each backward() the program calls, hooks go on every autograd node reachable from
the tensor (DESIGN.md, "Autograd facts"). One post-hook per node sees both the gradients
it received and the ones it sent on; the engine frees a node's saved tensors only after
its post-hooks, so the chain rule can still read them there. AccumulateGrad nodes also
get a pre-hook, to see the leaf's `.grad` before it is added to (the post-hook reads the
new one). The hooks return None, so they never change a gradient, and they are removed
afterwards.

Gradients become plain values in the hooks (later on, autograd or the program may change
those tensors in place). A gradient a node sends on usually arrives unchanged as the next
node's input: its value is remembered with the tensor's version counter (which every
in-place change bumps) and used again there if the counter has not moved. What flowed
into each node is summed over runs, from the recorded values.

The chain rule (`core.chain_rule.explain`) is worked out in the hook, or, with
`explain_now=False`, later (`explain_pending`): the hook then keeps the node's saved
tensors and incoming gradients (with their version counters, up to KEEP_ELEMENTS
elements in all; past that it explains at once). A leaf among them is copied, since
an optimizer step changes leaves in place; if anything kept changed all the same,
`explain_pending` says so and the caller works it out again from a fresh run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import torch

from core import chain_rule
from core.values import MAX_KEPT, from_value, to_value, value_of

SAVED_PREFIX = "_saved_"
KEEP_ELEMENTS = 1 << 22  # tensor elements kept for a later chain rule (16 MB of float32)


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
    """A node's incoming gradients and saved attributes, kept for its chain rule, with the
    version counter each kept tensor had then."""

    grads: tuple[Any, ...]
    saved: list[tuple[str, Any]]
    versions: tuple[tuple[torch.Tensor, int], ...]

    def intact(self) -> bool:
        return all(t._version == v for t, v in self.versions)


@dataclass(slots=True)
class GradSum:
    """The gradient that flowed into one node (its first input), summed over runs."""

    shape: tuple[int, ...]
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
    for attr in names:
        try:
            out.append((attr[len(SAVED_PREFIX) :], getattr(fn, attr)))
        except RuntimeError:  # freed by an earlier backward
            continue
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


@dataclass
class BackwardRecorder:
    """Wraps the program's backward() calls; keeps the steps and per-node gradient sums."""

    keep_saved: bool = False
    explain_now: bool = True  # False: keep what the chain rule needs, for explain_pending
    runs: int = 0
    steps: list[RawStep] = field(default_factory=list)
    grad_sums: dict[Any, GradSum] = field(default_factory=dict)
    saved: dict[Any, list[tuple[str, Any]]] = field(default_factory=dict)
    last_tensor: torch.Tensor | None = None
    _running: dict[Any, int] = field(default_factory=dict)
    # id(gradient sent on) -> (the tensor, kept so the id stays its own; version; value)
    _sent: dict[int, tuple[torch.Tensor, int, Any]] = field(default_factory=dict)
    _kept_elements: int = 0
    _copies: dict[int, tuple[torch.Tensor, int, torch.Tensor]] = field(default_factory=dict)

    def backward(self, tensor: torch.Tensor, args: tuple, kwargs: dict) -> None:
        """Run tensor.backward(*args, **kwargs) with every node hooked."""
        self._hooked([tensor], partial(tensor.backward, *args, **kwargs))
        self.last_tensor = tensor

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
            self.runs += 1
            self._running.clear()
            self._sent.clear()

    def _ran(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        """Post-hook of a node other than AccumulateGrad: it received grad_outputs and sent
        grad_inputs on (its saved tensors are freed after this)."""
        received = tuple([self._received(g) for g in grad_outputs])
        step = RawStep(self.runs, fn, received)
        saved = saved_attributes(fn)
        if self.explain_now or not self._keep(step, grad_outputs, saved):
            step.explained = chain_rule.explain(fn, grad_outputs, saved, received)
        self.steps.append(step)
        if received and grad_outputs[0] is not None:
            self._add_grad(fn, grad_outputs[0], received[0])
        step.grad_inputs = tuple([self._sent_on(g) for g in grad_inputs])

    def _started(self, fn: Any, grad_outputs: tuple) -> None:
        """Pre-hook of AccumulateGrad: the leaf's .grad is still the one before."""
        self._running[fn] = len(self.steps)
        received = tuple([self._received(g) for g in grad_outputs])
        explained = chain_rule.explain(fn, grad_outputs, [], received)
        self.steps.append(RawStep(self.runs, fn, received, explained=explained))

    def _accumulated(self, fn: Any, leaf: torch.Tensor, grad_inputs: tuple,
                     grad_outputs: tuple) -> None:  # fmt: skip
        self.steps[self._running[fn]].leaf_grad = value_of(leaf.grad)

    def _keep(self, step: RawStep, grads: tuple, saved: list[tuple[str, Any]]) -> bool:
        """Keep what step's chain rule needs for later (`saved`: its node's saved
        attributes; leaves are replaced by copies); False when over KEEP_ELEMENTS."""
        size = self._kept_elements
        versions = []
        for g in grads:
            if g is not None:
                versions.append((g, g._version))
                size += g.numel()
        for i, (name, value) in enumerate(saved):
            if isinstance(value, torch.Tensor):
                if value.is_leaf and value.requires_grad:  # optimizers change leaves in place
                    value = self._copy(value)
                    saved[i] = (name, value)
                versions.append((value, value._version))
                size += value.numel()
            elif type(value) is tuple:
                for v in value:
                    if isinstance(v, torch.Tensor):
                        versions.append((v, v._version))
                        size += v.numel()
        if size > KEEP_ELEMENTS:
            return False
        self._kept_elements = size
        step.kept = Kept(grads, saved, tuple(versions))
        return True

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
        pending = [s for s in self.steps if s.kept is not None]
        if not all(s.kept.intact() for s in pending):  # type: ignore[union-attr]
            return False
        for s in pending:
            kept, s.kept = s.kept, None
            assert kept is not None
            s.explained = chain_rule.explain(s.fn, kept.grads, kept.saved, s.grad_outputs)
        self._kept_elements = 0
        self._copies.clear()
        return True

    def _sent_on(self, grad: torch.Tensor | None) -> Any:
        if grad is None:
            return None
        value, truncated = to_value(grad)
        if value is not None and not truncated:
            self._sent[id(grad)] = (grad, grad._version, value)
        return value

    def _received(self, grad: torch.Tensor | None) -> Any:
        sent = self._sent.pop(id(grad), None)
        if sent is not None and sent[1] == grad._version:  # type: ignore[union-attr]
            return sent[2]
        return value_of(grad)

    def _add_grad(self, fn: Any, grad: torch.Tensor, value: Any) -> None:
        """Add what flowed into fn (grad, whose plain value is `value`) to its sum."""
        total = self.grad_sums.get(fn)
        if total is None:
            whole = value is not None and grad.numel() <= MAX_KEPT
            kept = None if whole else grad.detach().clone()
            self.grad_sums[fn] = GradSum(tuple(grad.shape), grad.dtype, value, kept)
        else:
            total.total, total.value = total.tensor() + grad.detach(), None
