"""What a program can reach: the modules as it sees them (only their allow-listed names),
and the rules for which attribute of which kind of object it may read or write.

The rules are type-aware: a tensor's public methods minus those that reach storage,
pointers or other devices; a layer's or an optimizer's public members; every attribute of
the program's own objects and classes but the dunders; a handful of members of nodes,
sizes, devices and dtypes; nothing at all of functions, generators, frames, exceptions or
classes the program didn't write. `core.engine.policy` rewrites every attribute access of a
program into a call of `readable`/`writable` (through `core.engine.interpreter`).
"""

from __future__ import annotations

import collections
import difflib
import math
import random as _random
import re
import types
from typing import Any

import torch
import torch.autograd.forward_ad
import torch.autograd.functional
import torch.func
import torch.nn as nn
import torch.nn.functional
import torch.nn.init
import torch.optim
import torch.optim.lr_scheduler
import torch.utils.data
from torch.autograd.function import FunctionCtx
from torch.utils.hooks import RemovableHandle

from core.engine import allowlist as allow
from core.record import refusals
from core.record.wording import Wording, python_error, said


class Module:
    """A module as a program sees it: only its allow-listed names. (Python's import
    machinery reads members with plain getattr; the program's own reads go through
    `readable`, which looks only at `members`.)"""

    def __init__(self, name: str, members: dict[str, Any], source: Any = None) -> None:
        self.name = name
        self.members = members
        self.source = source  # the real module

    def has(self, name: str) -> bool:
        """Whether the real module has a public `name` (that the safe mode leaves out)."""
        return not name.startswith("_") and self.source is not None and hasattr(
            self.source, name
        )  # fmt: skip

    def __getattr__(self, name: str) -> Any:  # import machinery only (IMPORT_FROM)
        try:
            return self.__dict__["members"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


def _module(name: str, source: Any, names: set[str] | list[str]) -> Module:
    members = {n: getattr(source, n) for n in sorted(names) if hasattr(source, n)}
    return Module(name, members, source)


def _public_callables(source: Any, deny: re.Pattern[str] | None = None) -> list[str]:
    """The public functions and classes a torch module defines itself."""
    out = []
    for n in dir(source):
        if n.startswith("_") or (deny is not None and deny.match(n)):
            continue
        v = getattr(source, n)
        kinds = (types.FunctionType, types.BuiltinFunctionType, type)
        if isinstance(v, kinds) and (getattr(v, "__module__", "") or "torch").startswith("torch"):
            out.append(n)
    return out


_TORCH_C_OPS = [
    n for n in dir(torch)
    if not n.startswith("_") and type(getattr(torch, n)) is types.BuiltinFunctionType
    and not allow.TORCH_DENY.match(n)
]  # fmt: skip
TORCH = _module("torch", torch, set(_TORCH_C_OPS) | allow.TORCH)
FUNCTIONAL = _module(
    "torch.nn.functional", torch.nn.functional,
    _public_callables(torch.nn.functional, allow.FUNCTIONAL_DENY),
)  # fmt: skip
INIT = _module("torch.nn.init", torch.nn.init, _public_callables(torch.nn.init))
NN_UTILS = _module("torch.nn.utils", torch.nn.utils, allow.NN_UTILS)
NN = _module("torch.nn", nn, [n for n in dir(nn) if isinstance(getattr(nn, n), type)
                              and not n.startswith("_") and n not in allow.NN_DENY])  # fmt: skip
NN.members.update(functional=FUNCTIONAL, init=INIT, utils=NN_UTILS)
LR_SCHEDULER = _module(
    "torch.optim.lr_scheduler", torch.optim.lr_scheduler, allow.LR_SCHEDULERS
)  # fmt: skip
OPTIM = _module("torch.optim", torch.optim, allow.OPTIMIZERS)
OPTIM.members["lr_scheduler"] = LR_SCHEDULER
AUTOGRAD_FUNCTIONAL = _module(
    "torch.autograd.functional", torch.autograd.functional, allow.AUTOGRAD_FUNCTIONAL
)  # fmt: skip
AUTOGRAD = _module("torch.autograd", torch.autograd, allow.AUTOGRAD)
AUTOGRAD.members["functional"] = AUTOGRAD_FUNCTIONAL
LINALG = _module("torch.linalg", torch.linalg, _public_callables(torch.linalg))
SPECIAL = _module("torch.special", torch.special, _public_callables(torch.special))
DATA = _module("torch.utils.data", torch.utils.data, allow.DATA)
UTILS = Module("torch.utils", {"data": DATA}, torch.utils)
FORWARD_AD = _module("torch.autograd.forward_ad", torch.autograd.forward_ad, allow.FORWARD_AD)
AUTOGRAD.members["forward_ad"] = FORWARD_AD
FUNC = _module("torch.func", torch.func, allow.FUNC)


def _set_default_device(device: Any) -> None:
    """torch.set_default_device, for the CPU only (the run puts it back when it ends)."""
    if device is not None and torch.device(device).type != "cpu":
        raise python_error(ValueError, said(refusals.CPU_DEVICE, device=repr(device)))
    torch.set_default_device(device)
    default_device_set[0] = device is not None


default_device_set = [False]  # the run puts torch's default device back when it ends


_set_default_device.__name__ = "set_default_device"
TORCH.members["set_default_device"] = _set_default_device
CUDA = Module("torch.cuda", {"is_available": lambda: False, "device_count": lambda: 0},
              torch.cuda)  # fmt: skip


def _current_accelerator(check_available: bool = False) -> None:
    """torch.accelerator.current_accelerator: none here (the program runs on the CPU)."""
    return None


# the tutorials' `torch.accelerator.current_accelerator().type if
# torch.accelerator.is_available() else "cpu"`: the CPU, as on a machine without one
ACCELERATOR = Module("torch.accelerator", {"is_available": lambda: False, "device_count":
                     lambda: 0, "current_accelerator": _current_accelerator},
                     torch.accelerator)  # fmt: skip
# `"mps" if torch.backends.mps.is_available() else "cpu"` (the quickstart's device line)
MPS = Module("torch.backends.mps", {"is_available": lambda: False, "is_built": lambda: False},
             torch.backends.mps)  # fmt: skip
BACKENDS = Module("torch.backends", {"mps": MPS}, torch.backends)
TORCH.members.update(nn=NN, optim=OPTIM, autograd=AUTOGRAD, linalg=LINALG, special=SPECIAL,
                     cuda=CUDA, accelerator=ACCELERATOR, backends=BACKENDS, utils=UTILS,
                     func=FUNC)  # fmt: skip
MATH = _module("math", math, [n for n in dir(math) if not n.startswith("_")])


def random_module(seed: int = 0) -> Module:
    """`import random` for one run: its own generator, seeded, shared with no one."""
    rng = _random.Random(seed)
    return Module("random", {n: getattr(rng, n) for n in allow.RANDOM})


MODULES: dict[str, Module] = {
    "torch": TORCH, "torch.nn": NN, "torch.nn.functional": FUNCTIONAL, "torch.nn.init": INIT,
    "torch.nn.utils": NN_UTILS, "torch.optim": OPTIM, "torch.optim.lr_scheduler": LR_SCHEDULER,
    "torch.autograd": AUTOGRAD, "torch.autograd.functional": AUTOGRAD_FUNCTIONAL,
    "torch.linalg": LINALG, "torch.special": SPECIAL, "torch.cuda": CUDA,
    "torch.accelerator": ACCELERATOR, "torch.backends": BACKENDS, "torch.backends.mps": MPS,
    "math": MATH,
    "torch.utils": UTILS, "torch.utils.data": DATA, "torch.autograd.forward_ad": FORWARD_AD,
    "torch.func": FUNC,
}  # fmt: skip
IMPORTABLE = set(MODULES) | {"random"}

ALLOWED_FUNCTIONS = {
    id(f)
    for m in MODULES.values()
    for f in m.members.values()
    if callable(f) and not isinstance(f, Module)
}


# --- attributes, by the kind of object ----------------------------------------------------
_TENSOR_READ = frozenset(
    n for n in dir(torch.Tensor) if not n.startswith("_") and not allow.TENSOR_DENY.match(n)
)
_MODULE_READ = frozenset(
    n for n in dir(nn.Module) if not n.startswith("_") and n not in allow.LAYER_DENY
)
_OPTIMIZER_READ = frozenset(
    {"step", "zero_grad", "param_groups", "state", "defaults", "add_param_group",
     "state_dict", "load_state_dict"}
)  # fmt: skip
_SCHEDULER_READ = frozenset({"step", "get_last_lr", "last_epoch", "base_lrs", "optimizer"})
_SMALL: dict[type, frozenset[str]] = {
    torch.Size: frozenset({"numel", "index", "count"}),
    torch.dtype: frozenset({"is_floating_point", "is_complex", "is_signed", "itemsize"}),
    torch.device: frozenset({"type", "index"}),
    torch.Generator: frozenset({"manual_seed", "seed", "initial_seed", "device"}),
    property: frozenset({"setter", "getter", "deleter"}),
    slice: frozenset({"start", "stop", "step"}),
    RemovableHandle: frozenset({"remove", "id"}),
    torch.utils.data.DataLoader: frozenset({"dataset", "batch_size", "drop_last", "sampler"}),
    torch.utils.data.TensorDataset: frozenset({"tensors"}),
    torch.utils.data.Subset: frozenset({"dataset", "indices"}),
    torch.autograd.forward_ad.UnpackedDualTensor: frozenset({"primal", "tangent"}),
    range: frozenset({"start", "stop", "step", "count", "index"}),
}
_CONTAINERS = (list, dict, set, frozenset, tuple, str, int, float, bool, complex,
               collections.OrderedDict)  # fmt: skip
_CONTAINER_READ = {
    t: frozenset(n for n in dir(t) if not n.startswith("_")) - allow.CONTAINER_DENY
    for t in _CONTAINERS
}
_NODE_READ = frozenset(allow.NODE_MEMBERS)
_CTX_READ = frozenset({"save_for_backward", "saved_tensors", "needs_input_grad", "mark_dirty",
                       "mark_non_differentiable", "set_materialize_grads"})  # fmt: skip
_LAYER_PRIVATE = frozenset(n for n in vars(nn.Module()) if "hook" in n)  # a layer's hooks
#   (registering them is refused; d2l's own code uses _modules, so those stay)
_RESULT_READ = frozenset(allow.RESULT_FIELDS)

_user_classes: set[int] = set()  # ids of the classes the running program defined
_user_class_objects: list[type] = []  # (kept alive while their ids are in the set)


def register_class(cls: type) -> None:
    _user_classes.add(id(cls))
    _user_class_objects.append(cls)


def forget_classes() -> None:
    _user_classes.clear()
    _user_class_objects.clear()


def is_user_class(cls: Any) -> bool:
    return id(cls) in _user_classes


def is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _owner(cls: type, name: str) -> type | None:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass
    return None


def readable(obj: Any, name: str) -> bool:
    """May a program read obj.name?"""
    t = type(obj)
    rule = _CONTAINER_READ.get(t) or _SMALL.get(t)
    if rule is not None:
        return name in rule
    if t is Module:
        return name in obj.members
    if t is super:  # as the class after the super()'s class defines it
        return _super_member(obj, name)
    if is_dunder(name):  # a name (a string, checked when read: `Interpreter.getattr`)
        return name in allow.NAME_DUNDERS
    if isinstance(obj, torch.Tensor):
        if is_user_class(t):
            return _user_member(obj, t, name) or name in _TENSOR_READ
        return name in _TENSOR_READ
    if isinstance(obj, type):
        return _class_member(obj, name)
    if id(t) in _user_classes or any(id(k) in _user_classes for k in t.__mro__[1:-1]):
        if _user_member(obj, t, name):
            return True
    if isinstance(obj, nn.Module):
        return name in _MODULE_READ or (not name.startswith("_") and _is_submodule(obj, name))
    if isinstance(obj, torch.optim.Optimizer):
        return name in _OPTIMIZER_READ
    if isinstance(obj, torch.optim.lr_scheduler.LRScheduler):
        return name in _SCHEDULER_READ
    if isinstance(obj, FunctionCtx):  # (in backward(), ctx is the node itself)
        return name in _CTX_READ or (not name.startswith("_") and name in _dict_of(obj))
    if isinstance(obj, torch.autograd.graph.Node):
        return name in _NODE_READ
    if isinstance(obj, tuple) and t.__module__ == "torch.return_types":
        return name in _RESULT_READ
    if isinstance(obj, Exception) and not is_user_class(t):
        return name == "args"
    return False


def _dict_of(obj: Any) -> Any:
    return getattr(obj, "__dict__", None) or {}


def _super_member(sup: super, name: str) -> bool:
    """`super().name`: allowed as the class that really supplies it says (the program's
    classes: all but dunders and __init__; a library class: its own public rules)."""
    this, of = getattr(sup, "__thisclass__", None), getattr(sup, "__self_class__", None)
    mro = of.__mro__ if of is not None else ()
    start = mro.index(this) + 1 if this in mro else len(mro)
    for klass in mro[start:]:
        if name in klass.__dict__:
            break
    else:
        return False
    if name == "__init__":
        return True
    if id(klass) in _user_classes:
        return not is_dunder(name)
    return library_member(klass, name)


def library_member(klass: type, name: str) -> bool:
    """May a program use `name` as the library class `klass` defines it?"""
    if name.startswith("_"):
        return False
    if issubclass(klass, nn.Module):
        return name in _MODULE_READ
    if issubclass(klass, torch.optim.Optimizer):
        return name in _OPTIMIZER_READ
    if issubclass(klass, torch.optim.lr_scheduler.LRScheduler):
        return name in _SCHEDULER_READ
    if issubclass(klass, torch.Tensor):
        return name in _TENSOR_READ
    if issubclass(klass, torch.autograd.Function):  # (before FunctionCtx: it is one too)
        return name == "apply"
    if issubclass(klass, FunctionCtx):
        return name in _CTX_READ
    return False


def listed_member(owner: Any, name: str) -> bool:
    """Whether `name` is on the short list of what may be used of owner's exact type."""
    rule = _SMALL.get(type(owner))
    return rule is not None and name in rule


def defining_class(owner: Any, name: str, func: Any) -> type | None:
    """The class along owner's (or its class's) order that defines `name` as `func`."""
    cls = owner if isinstance(owner, type) else type(owner)
    for klass in cls.__mro__:
        value = klass.__dict__.get(name)
        if value is func or getattr(value, "__func__", None) is func:
            return klass
    return None


def _is_submodule(obj: nn.Module, name: str) -> bool:
    d = obj.__dict__
    return any(name in d.get(k, ()) for k in ("_modules", "_parameters", "_buffers"))


def _user_member(obj: Any, t: type, name: str) -> bool:
    """A member the program itself gave obj or one of its classes (not a library base)."""
    d = getattr(obj, "__dict__", None)
    if d is not None and name in d:
        return name not in _LAYER_PRIVATE or not isinstance(obj, nn.Module)
    owner = _owner(t, name)
    if owner is not None and id(owner) in _user_classes:
        return True
    return isinstance(obj, nn.Module) and _is_submodule(obj, name)


def _class_member(cls: type, name: str) -> bool:
    """A class's own members: the program's classes' (and `apply` of its autograd
    Functions); nothing of a library class."""
    if id(cls) not in _user_classes:
        return False
    owner = _owner(cls, name)
    if owner is not None and id(owner) in _user_classes:
        return True
    return name == "apply" and issubclass(cls, torch.autograd.Function)


_TENSOR_WRITE = frozenset({"requires_grad", "grad", "data"})


def writable(obj: Any, name: str) -> bool:
    """May a program set obj.name (or delete it)?"""
    if is_dunder(name):
        return False
    t = type(obj)
    if isinstance(obj, torch.Tensor) and not is_user_class(t):
        return name in _TENSOR_WRITE
    if isinstance(obj, type):
        return id(obj) in _user_classes
    if isinstance(obj, nn.Module) and name in _LAYER_PRIVATE:
        return False
    if id(t) in _user_classes or any(id(k) in _user_classes for k in t.__mro__[1:-1]):
        return True
    if isinstance(obj, nn.Module):
        return not name.startswith("_") and name not in _MODULE_READ
    return isinstance(obj, FunctionCtx) and not name.startswith("_") and not hasattr(t, name)


def suggested(message: str | Wording, name: str, choices: Any) -> str | Wording:
    """`message` followed by " Did you mean 'sigmoid'?" for a near miss of `name`, else
    `message` alone."""
    choices = [c for c in choices if not c.startswith("_")]
    close = difflib.get_close_matches(name, choices, 1, cutoff=0.75)
    return said(refusals.SUGGESTED, message=message, name=close[0]) if close else message


def attribute_choices(obj: Any) -> list[str]:
    """What a program may read of obj (for "did you mean")."""
    if isinstance(obj, Module):
        return list(obj.members)
    if isinstance(obj, torch.Tensor):
        return list(_TENSOR_READ)
    if isinstance(obj, nn.Module):
        return list(_MODULE_READ)
    return [n for n in dir(obj) if not n.startswith("_") and readable(obj, n)]


def callable_name(fn: Any) -> str:
    return f"'{getattr(fn, '__name__', type(fn).__name__)}'"
