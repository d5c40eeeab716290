"""Records backward() as it runs: every node execution, in order, with its gradients.

Before each backward() the program calls, hooks go on every autograd node reachable from
the tensor (DESIGN.md, "Autograd facts"): a pre-hook sees the gradients a node receives, a
post-hook the ones it sends on, and a post-accumulate hook on each leaf its new `.grad`.
The hooks return None, so they never change a gradient, and they are removed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import torch

from core import chain_rule
from core.values import value_of

SAVED_PREFIX = "_saved_"


@dataclass
class RawStep:
    run: int
    fn: Any
    grad_outputs: tuple[Any, ...]
    grad_inputs: tuple[Any, ...] = ()
    leaf_grad: Any = None
    explained: chain_rule.Explained | None = None  # the chain rule, with the numbers


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


@dataclass
class BackwardRecorder:
    """Wraps the program's backward() calls; keeps the steps and per-node gradient sums."""

    keep_saved: bool = False
    runs: int = 0
    steps: list[RawStep] = field(default_factory=list)
    grad_sums: dict[Any, torch.Tensor] = field(default_factory=dict)
    saved: dict[Any, list[tuple[str, Any]]] = field(default_factory=dict)
    last_tensor: torch.Tensor | None = None
    _running: dict[Any, int] = field(default_factory=dict)

    def backward(self, tensor: torch.Tensor, args: tuple, kwargs: dict) -> None:
        """Run tensor.backward(*args, **kwargs) with every node hooked."""
        fns = list(walk(tensor.grad_fn)) if tensor.grad_fn is not None else []
        if self.keep_saved:
            for fn in fns:
                if fn not in self.saved:
                    self.saved[fn] = saved_attributes(fn)
        handles = []
        for fn in fns:
            handles.append(fn.register_prehook(partial(self._before, fn)))
            handles.append(fn.register_hook(partial(self._after, fn)))
            leaf = getattr(fn, "variable", None)
            if isinstance(leaf, torch.Tensor):
                hook = partial(self._accumulated, fn)
                handles.append(leaf.register_post_accumulate_grad_hook(hook))
        try:
            tensor.backward(*args, **kwargs)
        finally:
            for h in handles:
                h.remove()
            self.runs += 1
            self._running.clear()
        self.last_tensor = tensor

    def _before(self, fn: Any, grad_outputs: tuple) -> None:
        self._running[fn] = len(self.steps)
        received = tuple(value_of(g) for g in grad_outputs)
        self.steps.append(RawStep(self.runs, fn, received))
        self.steps[-1].explained = chain_rule.explain(
            fn, grad_outputs, saved_attributes(fn), received
        )
        first = grad_outputs[0] if grad_outputs else None
        if first is not None and not hasattr(fn, "variable"):
            first = first.detach()
            total = self.grad_sums.get(fn)
            self.grad_sums[fn] = first.clone() if total is None else total + first

    def _after(self, fn: Any, grad_inputs: tuple, grad_outputs: tuple) -> None:
        step = self.steps[self._running[fn]]
        step.grad_inputs = tuple(value_of(g) for g in grad_inputs)

    def _accumulated(self, fn: Any, leaf: torch.Tensor) -> None:
        self.steps[self._running[fn]].leaf_grad = value_of(leaf.grad)
