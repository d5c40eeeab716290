"""What a program can reach: the allow-listed modules as it sees them, the attributes it
may read by the kind of object, and the callables it may call.

`core.language` refuses everything else by name before the program runs; the interpreter
asks these again at run time, when the kind of each value is known.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional

from core import allowlist as allow


class Module:
    """A module as a program sees it: only its allow-listed names."""

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


def _module(name: str, source: Any, names: set[str]) -> Module:
    return Module(name, {n: getattr(source, n) for n in sorted(names) if hasattr(source, n)})


FUNCTIONAL = _module("torch.nn.functional", torch.nn.functional, allow.FUNCTIONAL)
NN = Module("torch.nn", {"functional": FUNCTIONAL})
TORCH = _module("torch", torch, allow.TORCH)
TORCH.members["nn"] = NN
AUTOGRAD = _module("torch.autograd", torch.autograd, allow.AUTOGRAD)
TORCH.members["autograd"] = AUTOGRAD
MATH = _module("math", math, allow.MATH)
_ALLOWED_FUNCTIONS = {
    id(f)
    for m in (TORCH, FUNCTIONAL, MATH, AUTOGRAD)
    for f in m.members.values()
    if callable(f) and not isinstance(f, Module)
}


def attribute(obj: Any, name: str) -> Any:
    """The attribute reads a program may make, by the kind of object."""
    if isinstance(obj, Module):
        if name in obj.members:
            return obj.members[name]
        raise AttributeError(f"'{obj.name}.{name}' is not available in Autograd Lens")
    if isinstance(obj, torch.Tensor):
        if name in allow.TENSOR_ATTRIBUTES or name in allow.TENSOR_METHODS:
            return getattr(obj, name)
    elif isinstance(obj, torch.autograd.graph.Node):
        if name in allow.NODE_MEMBERS:
            return getattr(obj, name)
    elif isinstance(obj, tuple) and type(obj).__module__ == "torch.return_types":
        if name in allow.RESULT_FIELDS:
            return getattr(obj, name)
    raise AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}' here")


def callable_allowed(fn: Any, builtins: dict[str, Any]) -> bool:
    """Only allow-listed functions, our builtins and allow-listed bound methods are called."""
    if id(fn) in _ALLOWED_FUNCTIONS:
        return True
    owner = getattr(fn, "__self__", None)
    name = getattr(fn, "__name__", "")
    if isinstance(owner, torch.Tensor):  # (no builtin is a tensor's method)
        return name in allow.TENSOR_METHODS
    if any(fn is b for b in builtins.values()):
        return True
    if isinstance(owner, torch.autograd.graph.Node):
        return name in allow.NODE_MEMBERS
    return False


def is_method(fn: Any, name: str) -> bool:
    return isinstance(getattr(fn, "__self__", None), torch.Tensor) and fn.__name__ == name


def callable_name(fn: Any) -> str:
    return f"'{getattr(fn, '__name__', type(fn).__name__)}'"
