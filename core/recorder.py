"""Records backward() as it runs: every node execution, in order, with its gradients.

Before each backward() the program calls, hooks go on every autograd node reachable from
the tensor (DESIGN.md, "Autograd facts"): a pre-hook sees the gradients a node receives
(and works out the chain rule while the node's saved tensors are alive), a post-hook the
ones it sends on; for AccumulateGrad the post-hook reads the leaf's new `.grad`, which
the node has just written. The hooks return None, so they never change a gradient, and
they are removed afterwards.

Gradients become plain values in the hooks (later on, autograd or the program may change
those tensors in place). A gradient a node sends on usually arrives unchanged as the next
node's input: its value is remembered with the tensor's version counter (which every
in-place change bumps) and used again there if the counter has not moved. What flowed
into each node is summed over runs, from the recorded values.
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


@dataclass(slots=True)
class RawStep:
    run: int
    fn: Any
    grad_outputs: tuple[Any, ...]
    grad_inputs: tuple[Any, ...] = ()
    leaf_grad: Any = None
    explained: chain_rule.Explained | None = None  # the chain rule, with the numbers


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
    runs: int = 0
    steps: list[RawStep] = field(default_factory=list)
    grad_sums: dict[Any, GradSum] = field(default_factory=dict)
    saved: dict[Any, list[tuple[str, Any]]] = field(default_factory=dict)
    last_tensor: torch.Tensor | None = None
    _running: dict[Any, int] = field(default_factory=dict)
    # id(gradient sent on) -> (the tensor, kept so the id stays its own; version; value)
    _sent: dict[int, tuple[torch.Tensor, int, Any]] = field(default_factory=dict)

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
        before, after = self._before, self._after
        handles = []
        for fn in fns:
            handles.append(fn.register_prehook(partial(before, fn)))
            leaf = leaf_of(fn)
            if leaf is not None:
                handles.append(fn.register_hook(partial(self._accumulated, fn, leaf)))
            else:
                handles.append(fn.register_hook(partial(after, fn)))
        try:
            return run()
        finally:
            for h in handles:
                h.remove()
            self.runs += 1
            self._running.clear()
            self._sent.clear()

    def _before(self, fn: Any, grad_outputs: tuple) -> None:
        self._running[fn] = len(self.steps)
        received = tuple([self._received(g) for g in grad_outputs])
        explained = chain_rule.explain(fn, grad_outputs, saved_attributes(fn), received)
        self.steps.append(RawStep(self.runs, fn, received, explained=explained))
        if received and grad_outputs[0] is not None and not has_variable(fn):
            self._add_grad(fn, grad_outputs[0], received[0])

    def _after(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        step = self.steps[self._running[fn]]
        step.grad_inputs = tuple([self._sent_on(g) for g in grad_inputs])

    def _accumulated(self, fn: Any, leaf: torch.Tensor, grad_inputs: tuple,
                     grad_outputs: tuple) -> None:  # fmt: skip
        self.steps[self._running[fn]].leaf_grad = value_of(leaf.grad)

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
