"""Runs a checked program (see `core.language`) by walking its syntax tree.

Nothing is compiled or exec'd: every name resolves to an allow-listed torch function, a
safe builtin, or the program's own variables, and every call is checked against those
lists again. Each tensor the program makes is remembered with the source span that made it
and the variable name it was given, so the graph can point back into the text.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional

from core import allowlist as allow
from core.language import ProgramError, check, error_at, span_of
from core.limits import Limits, check_binop, check_call
from core.record import Span, TranscriptEntry


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
MATH = _module("math", math, allow.MATH)
_ALLOWED_FUNCTIONS = {
    id(f) for m in (TORCH, FUNCTIONAL, MATH) for f in m.members.values() if callable(f)
}


@dataclass
class Made:
    """A tensor the program made: where, and the name it was last given."""

    tensor: torch.Tensor
    span: Span
    name: str | None = None


@dataclass
class Tracker:
    """Every tensor and grad_fn the program made, with spans and names."""

    tensors: dict[int, Made] = field(default_factory=dict)  # id(tensor) -> Made
    fns: dict[Any, Made] = field(default_factory=dict)  # grad_fn -> Made of its tensor
    last_assigned: torch.Tensor | None = None

    def made(self, tensor: torch.Tensor, span: Span) -> None:
        if id(tensor) not in self.tensors:
            self.tensors[id(tensor)] = Made(tensor, span)
        fn = tensor.grad_fn
        if fn is not None and fn not in self.fns:
            self.fns[fn] = self.tensors[id(tensor)]

    def named(self, tensor: torch.Tensor, name: str, span: Span) -> None:
        """The first name a tensor is given is its name (`y = x` does not rename x)."""
        self.made(tensor, span)
        made = self.tensors[id(tensor)]
        if made.name is None:  # shared with tracker.fns: the grad_fn's node gets it too
            made.name = name
        self.last_assigned = tensor


BackwardHook = Callable[[torch.Tensor, tuple, dict], Any]


class Interpreter:
    """Evaluates one program; `run` returns the user's variables."""

    def __init__(self, source: str, on_backward: BackwardHook, limits: Limits | None = None):
        self.source = source
        self.lines = source.splitlines()
        self.tree = check(source)
        self.on_backward = on_backward
        self.limits = limits or Limits()
        self.tracker = Tracker()
        self.transcript: list[TranscriptEntry] = []
        self.variables: dict[str, Any] = {}
        self.names: dict[str, Any] = {"torch": TORCH, "F": FUNCTIONAL, "math": MATH}
        self.builtins = _builtins(self)
        self.statements_run = 0
        self.statement: ast.stmt | None = None  # the one running, for print's line

    def fail(self, node: ast.AST, message: str) -> ProgramError:
        return error_at(node, self.lines, message)

    def run(self) -> dict[str, Any]:
        torch.manual_seed(0)
        with torch.enable_grad():
            for stmt in self.tree.body:
                self.execute(stmt, top=True)
        return self.variables

    # --- statements -------------------------------------------------------------------
    def execute(self, node: ast.stmt, top: bool = False) -> None:
        self.statements_run += 1
        self.statement = node
        if self.statements_run > self.limits.max_steps:
            raise self.fail(node, f"The program ran more than {self.limits.max_steps:,} "
                                  "statements; stopped.")  # fmt: skip
        getattr(self, "exec_" + type(node).__name__)(node, top)

    def exec_Expr(self, node: ast.Expr, top: bool) -> None:
        value = self.eval(node.value)
        if top and value is not None:
            self.show(node, _repr(value), "repr")

    def show(self, node: ast.AST, text: str, kind: str) -> None:
        line, _, end_line, _ = span_of(node, self.lines)
        self.transcript.append(TranscriptEntry(line, end_line, text, kind))

    def exec_Assign(self, node: ast.Assign, top: bool) -> None:
        value = self.eval(node.value)
        for target in node.targets:
            self.assign(target, value)

    def exec_AugAssign(self, node: ast.AugAssign, top: bool) -> None:
        current = self.eval(_as_load(node.target))
        value = self.eval(node.value)
        check_binop(node.op, current, value, self.limits, node, self.fail)
        result = self.guard(node, _INPLACE[type(node.op)], current, value)
        self.assign(node.target, result)

    def exec_For(self, node: ast.For, top: bool) -> None:
        for i in self.eval(node.iter):
            self.assign(node.target, i)
            for stmt in node.body:
                self.execute(stmt)

    def exec_With(self, node: ast.With, top: bool) -> None:
        context = self.eval(node.items[0].context_expr)
        with context:
            for stmt in node.body:
                self.execute(stmt)

    def exec_Import(self, node: ast.stmt, top: bool) -> None:
        """The lesson's `import torch` and friends: the names are already bound."""

    exec_ImportFrom = exec_Import

    def exec_Pass(self, node: ast.Pass, top: bool) -> None:
        pass

    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.variables[target.id] = value
            if isinstance(value, torch.Tensor):
                self.tracker.named(value, target.id, span_of(target, self.lines))
        elif isinstance(target, ast.Tuple | ast.List):
            items = list(self.guard(target, list, value))
            if len(items) != len(target.elts):
                raise self.fail(target, f"Can't unpack {len(items)} values into "
                                        f"{len(target.elts)} names.")  # fmt: skip
            for t, v in zip(target.elts, items, strict=True):
                self.assign(t, v)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value)
            if not isinstance(obj, torch.Tensor):
                raise self.fail(target, f"Only a tensor's .{target.attr} can be set.")
            self.guard(target, setattr, obj, target.attr, value)
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value)
            key = self.eval(target.slice)
            self.guard(target, operator.setitem, obj, key, value)
        else:
            raise self.fail(target, "This can't be assigned to.")

    # --- expressions ------------------------------------------------------------------
    def eval(self, node: ast.expr) -> Any:
        value = getattr(self, "eval_" + type(node).__name__)(node)
        if isinstance(value, torch.Tensor):
            self.tracker.made(value, span_of(node, self.lines))
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, torch.Tensor):
                    self.tracker.made(item, span_of(node, self.lines))
        return value

    def guard(self, node: ast.AST, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call fn; any exception becomes a ProgramError at this node."""
        try:
            return fn(*args, **kwargs)
        except ProgramError:
            raise
        except RecursionError:
            raise self.fail(node, "The program nests too deeply.") from None
        except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
            raise self.fail(node, describe(e)) from None

    def eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def eval_Name(self, node: ast.Name) -> Any:
        for scope in (self.variables, self.names, self.builtins):
            if node.id in scope:
                return scope[node.id]
        raise self.fail(node, f"NameError: name '{node.id}' is not defined.")

    def eval_Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.eval(e) for e in node.elts)

    def eval_List(self, node: ast.List) -> list:
        return [self.eval(e) for e in node.elts]

    def eval_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.eval(node.left), self.eval(node.right)
        check_binop(node.op, left, right, self.limits, node, self.fail)
        return self.guard(node, _BINOPS[type(node.op)], left, right)

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.eval(node.operand)
        return self.guard(node, _UNARYOPS[type(node.op)], operand)

    def eval_BoolOp(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for expr in node.values:
            value = self.eval(expr)
            truth = self.guard(expr, bool, value)
            if truth == isinstance(node.op, ast.Or):
                return value
        return value

    def eval_Compare(self, node: ast.Compare) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = self.eval(comp)
            result = self.guard(node, _COMPARE[type(op)], left, right)
            if not isinstance(result, torch.Tensor) and not result:
                return result
            left = right
        return result

    def eval_IfExp(self, node: ast.IfExp) -> Any:
        test = self.guard(node.test, bool, self.eval(node.test))
        return self.eval(node.body if test else node.orelse)

    def eval_Subscript(self, node: ast.Subscript) -> Any:
        obj = self.eval(node.value)
        key = self.eval(node.slice)
        return self.guard(node, operator.getitem, obj, key)

    def eval_Slice(self, node: ast.Slice) -> slice:
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if p is None else self.eval(p) for p in parts))

    def eval_Attribute(self, node: ast.Attribute) -> Any:
        obj = self.eval(node.value)
        return self.guard(node, attribute, obj, node.attr)

    def eval_Call(self, node: ast.Call) -> Any:
        fn = self.eval(node.func)
        args = tuple(self.eval(a) for a in node.args)
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords if kw.arg}
        if not callable_allowed(fn, self.builtins):
            raise self.fail(node.func, f"{_callable_name(fn)} can't be called here.")
        check_call(fn, args, kwargs, self.limits, node, self.fail)
        if _is_method(fn, "backward"):
            return self.guard(node, self.on_backward, fn.__self__, args, kwargs)
        return self.guard(node, fn, *args, **kwargs)


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
    if id(fn) in _ALLOWED_FUNCTIONS or any(fn is b for b in builtins.values()):
        return True
    owner = getattr(fn, "__self__", None)
    name = getattr(fn, "__name__", "")
    if isinstance(owner, torch.Tensor):
        return name in allow.TENSOR_METHODS
    if isinstance(owner, torch.autograd.graph.Node):
        return name in allow.NODE_MEMBERS
    return False


def _is_method(fn: Any, name: str) -> bool:
    return isinstance(getattr(fn, "__self__", None), torch.Tensor) and fn.__name__ == name


def _callable_name(fn: Any) -> str:
    return f"'{getattr(fn, '__name__', type(fn).__name__)}'"


def describe(e: BaseException) -> str:
    """An exception as one or two plain sentences (PyTorch's own words kept)."""
    text = str(e).strip().split("\n")[0] or type(e).__name__
    if isinstance(e, RuntimeError | ValueError | IndexError | TypeError | ZeroDivisionError):
        return f"{type(e).__name__}: {text}"
    return f"{type(e).__name__}: {text}"


def _repr(value: Any) -> str:
    return repr(value)


def _as_load(target: ast.expr) -> ast.expr:
    copy = ast.fix_missing_locations(ast.copy_location(type(target)(**vars(target)), target))
    copy.ctx = ast.Load()  # type: ignore[attr-defined]
    return copy


def _builtins(interp: Interpreter) -> dict[str, Any]:
    limits = interp.limits

    def print_(*args: Any, sep: str = " ", end: str = "\n") -> None:
        text = str(sep).join(str(a) for a in args) + str(end)
        if interp.statement is not None:
            interp.show(interp.statement, text.rstrip("\n"), "print")

    def range_(*args: int) -> range:
        r = range(*args)
        if len(r) > limits.max_loop:
            raise ValueError(f"range of {len(r):,} is too large (at most {limits.max_loop:,})")
        return r

    table: dict[str, Any] = {"print": print_, "range": range_, "True": True, "False": False,
                             "None": None}  # fmt: skip
    import builtins

    for name in allow.BUILTINS - table.keys():
        table[name] = getattr(builtins, name)
    return table


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}  # fmt: skip
_INPLACE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift, ast.BitOr: operator.ior, ast.BitAnd: operator.iand,
    ast.BitXor: operator.ixor,
}  # fmt: skip
_UNARYOPS: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
    ast.Invert: operator.invert,
}  # fmt: skip
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_,
    ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip
