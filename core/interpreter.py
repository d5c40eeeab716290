"""Runs a checked program (see `core.language`) by walking its syntax tree.

Nothing is compiled or exec'd: every name resolves to an allow-listed torch function, a
safe builtin, or the program's own variables, and every call is checked against those
lists again (a call keeps the answer while its function stays the same object). Each
tensor the program makes is remembered with the source span that made it and the variable
name it was given, so the graph can point back into the text.
"""

from __future__ import annotations

import ast
import operator
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional
from torch import Tensor  # (a global name: one lookup fewer on the busiest paths)

from core.language import ProgramError, check, error_at, source_lines, span_of
from core.limits import (
    Limits,
    check_binop,
    check_index,
    check_sizes,
    counted_as,
    out_of_memory_message,
    ran_out_of_memory,
)
from core.namespace import (  # noqa: F401  (MATH, Module, NN: part of this module's API)
    FUNCTIONAL,
    MATH,
    NN,
    TORCH,
    Module,
    attribute,
    callable_allowed,
    callable_name,
    is_method,
)
from core.record import Span, TranscriptEntry
from core.safe_builtins import BINOPS, COMPARE, INPLACE, UNARYOPS, make_builtins


@dataclass(slots=True)
class Made:
    """A tensor the program made: where, and the name it was last given."""

    tensor: torch.Tensor
    span: Span
    name: str | None = None


@dataclass
class Operand:
    """A constant an op was given: a Python number, or a tensor that doesn't require grad."""

    value: Any
    span: Span
    text: str  # its source text, shortened


@dataclass
class Stop:
    """Where the graph stops: a tensor made from ones that require grad, that doesn't."""

    how: str  # "detach()" | "no_grad"
    sources: list[torch.Tensor]


@dataclass
class Tracker:
    """Every tensor and grad_fn the program made, with spans and names."""

    tensors: dict[int, Made] = field(default_factory=dict)  # id(tensor) -> Made
    fns: dict[Any, Made] = field(default_factory=dict)  # grad_fn -> Made of its tensor
    last_assigned: torch.Tensor | None = None
    leaves: list[torch.Tensor] = field(default_factory=list)  # leaves that require grad, in
    #   the order the program first showed them so (a re-run finds them by this order)
    leaf_ids: set[int] = field(default_factory=set)
    constants: dict[Any, list[Operand]] = field(default_factory=dict)  # grad_fn -> constants
    stops: dict[int, Stop] = field(default_factory=dict)  # id(tensor) -> where it was cut off
    parts: dict[int, list[Operand]] = field(default_factory=dict)  # id(constant) -> its operands

    def made(self, tensor: torch.Tensor, spans: Mapping[Any, Span], where: Any) -> Made:
        """Remember tensor; spans[where] is where it was made (looked up only if it is new)."""
        key = id(tensor)
        made = self.tensors.get(key)
        if made is None:
            made = self.tensors[key] = Made(tensor, spans[where])
        try:  # (is_leaf is `grad_fn is None`: one read, and it raises alike)
            fn = tensor.grad_fn
        except RuntimeError:  # a no_grad view whose base was changed in place: PyTorch
            return made  # forbids reading its autograd state, but only if the program does
        if fn is None:
            if key not in self.leaf_ids and tensor.requires_grad:
                self.leaf_ids.add(key)
                self.leaves.append(tensor)
                self.new_leaf(tensor)
        elif fn not in self.fns:
            self.fns[fn] = made
        return made

    def new_leaf(self, tensor: torch.Tensor) -> None:
        """A leaf that requires grad, seen for the first time (re-runs perturb it here)."""

    def named(self, tensor: torch.Tensor, name: str, spans: Mapping[Any, Span],
              where: Any) -> None:  # fmt: skip
        """The first name a tensor is given is its name (`y = x` does not rename x)."""
        self.made(tensor, spans, where)
        self.name(tensor, name)

    def name(self, tensor: torch.Tensor, name: str) -> None:
        """`named`, for a tensor `made` has just seen (nothing ran since: nothing to note)."""
        made = self.tensors[id(tensor)]
        if made.name is None:  # shared with tracker.fns: the grad_fn's node gets it too
            made.name = name
        self.last_assigned = tensor


class Spans(dict[ast.AST, Span]):
    """AST node -> its span in the program's lines, worked out the first time it is asked
    for (a dict's own lookup after that: no call)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, node: ast.AST) -> Span:
        span = self[node] = span_of(node, self.lines)
        return span


BackwardHook = Callable[[torch.Tensor, tuple, dict], Any]
GradHook = Callable[[tuple, dict], Any]

_line_listener: Callable[[int], None] | None = None


def set_line_listener(listener: Callable[[int], None] | None) -> None:
    """Tell `listener` the line of every statement as it starts (the worker process
    writes it where the app can read it after a kill)."""
    global _line_listener
    _line_listener = listener


class Interpreter:
    """Evaluates one program; `run` returns the user's variables."""

    def __init__(
        self, source: str, on_backward: BackwardHook, limits: Limits | None = None,
        tree: ast.Module | None = None, retain: Collection[Span] = (),
        on_grad: GradHook | None = None, constants: bool = False,
    ) -> None:  # fmt: skip
        """`on_backward(tensor, args, kwargs)` runs tensor.backward, `on_grad(args, kwargs)`
        torch.autograd.grad (both recorded); `tree`: the program, already checked (re-runs
        of one program pass it); `retain`: spans whose non-leaf tensors get retain_grad()
        as they are made; `constants`: note ops' constant operands (`Tracker.constants`)."""
        self.on_grad = on_grad
        self.constants = constants
        self.source = source
        self.retain = frozenset(tuple(s) for s in retain)
        self.lines = source_lines(source)
        self.tree = tree if tree is not None else check(source)
        self.on_backward = on_backward
        self.limits = limits or Limits()
        self.tracker = Tracker()
        self.transcript: list[TranscriptEntry] = []
        self.variables: dict[str, Any] = {}
        self.names: dict[str, Any] = {"torch": TORCH, "F": FUNCTIONAL, "math": MATH}
        self.builtins = make_builtins(self)
        self.statements_run = 0
        self.statement: ast.stmt | None = None  # the one running, for print's line
        self.printed = 0  # characters in the transcript
        self.spans = Spans(self.lines)  # AST node -> its span, worked out once
        self.loads: dict[int, ast.expr] = {}  # id(AugAssign) -> its target, read
        self.sites: dict[int, tuple] = {}  # id(Call) -> call_site() of the function it calls
        self.members: dict[int, Any] = {}  # id(Attribute) -> the module member it always reads

    def span(self, node: ast.AST) -> Span:
        return self.spans[node]

    def fail(self, node: ast.AST, message: str) -> ProgramError:
        return error_at(node, self.lines, message)

    def run(self) -> dict[str, Any]:
        torch.default_generator.manual_seed(0)  # the CPU's; torch.manual_seed also queues a
        with torch.enable_grad():  # lazy CUDA seeding that costs ~1 ms (a stack trace) a run
            for stmt in self.tree.body:
                self.execute(stmt, top=True)
        return self.variables

    # --- statements -------------------------------------------------------------------
    def execute(self, node: ast.stmt, top: bool = False) -> None:
        self.statements_run += 1
        self.statement = node
        if _line_listener is not None:
            _line_listener(node.lineno)
        if self.statements_run > self.limits.max_steps:
            raise self.fail(node, f"The program ran more than {self.limits.max_steps:,} "
                                  "statements; stopped.")  # fmt: skip
        _STATEMENTS[type(node)](self, node, top)

    def exec_Expr(self, node: ast.Expr, top: bool) -> None:
        value = self.eval(node.value)
        if top and value is not None:
            self.show(node, repr(value), "repr")

    def show(self, node: ast.AST, text: str, kind: str) -> None:
        self.printed += len(text)
        if self.printed > self.limits.max_printed:
            raise self.fail(node, f"The printed output is too large (more than "
                                  f"{self.limits.max_printed:,} characters); stopped.")  # fmt: skip
        line, _, end_line, _ = self.span(node)
        self.transcript.append(TranscriptEntry(line, end_line, text, kind))

    def exec_Assign(self, node: ast.Assign, top: bool) -> None:
        value = self.eval(node.value)
        targets = node.targets
        if isinstance(value, Tensor) and len(targets) == 1 and type(targets[0]) is ast.Name:
            name = targets[0].id  # `y = <tensor>`: eval has just tracked it; only the name is new
            self.variables[name] = value
            self.tracker.name(value, name)
            return
        for target in targets:
            self.assign(target, value)

    def exec_AugAssign(self, node: ast.AugAssign, top: bool) -> None:
        load = self.loads.get(id(node))
        if load is None:  # kept: spans are cached by id(node), so the copy must live on
            load = self.loads[id(node)] = _as_load(node.target)
        current = self.eval(load)
        value = self.eval(node.value)
        check_binop(node.op, current, value, self.limits, node, self.fail)
        result = self.guard(node, INPLACE[type(node.op)], current, value)
        self.assign(node.target, result)

    def exec_For(self, node: ast.For, top: bool) -> None:
        target, body, variables = node.target, node.body, self.variables
        for i in self.eval(node.iter):
            if type(i) is int and type(target) is ast.Name:
                variables[target.id] = i  # self.assign, inline for range()'s numbers
            else:
                self.assign(target, i)
            for stmt in body:
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
            if isinstance(value, Tensor):
                self.tracker.named(value, target.id, self.spans, target)
        elif isinstance(target, _SEQUENCE_TARGET):
            items = self.guard(target, self.builtins["list"], value)
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
        value = _EXPRESSIONS[type(node)](self, node)
        kind = type(value)
        if kind in _UNTRACKED:  # (a quicker question than isinstance(value, Tensor))
            return value
        if kind is Tensor or isinstance(value, Tensor):  # self.made, inline: the busiest path
            if not value.is_cpu:
                self.made(node, value)  # (raises)
            made = self.tracker.made(value, self.spans, node)
            if self.retain and made.span in self.retain:
                self.retained(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Tensor):
                    self.made(node, item)
        return value

    def made(self, node: ast.expr, tensor: torch.Tensor) -> None:
        if not tensor.is_cpu:  # e.g. 'meta': no values to show
            raise self.fail(node, f"Only tensors on the CPU can be shown (this one is on "
                                  f"'{tensor.device.type}').")  # fmt: skip
        made = self.tracker.made(tensor, self.spans, node)
        if self.retain and made.span in self.retain:
            self.retained(tensor)

    def retained(self, tensor: torch.Tensor) -> None:
        """A tensor made at a span to retain: retain_grad() if it is not a leaf."""
        if tensor.requires_grad and not _is_leaf(tensor):
            tensor.retain_grad()

    def note_operands(self, result: Any, pairs: list[tuple[ast.expr, Any]], how: str = "") -> None:
        """Remember an op's constant operands, and where a result stops the graph (only
        when constants are shown: it costs a little on every op)."""
        if not self.constants or not isinstance(result, torch.Tensor):
            return
        try:
            fn = result.grad_fn
        except RuntimeError:  # PyTorch forbids reading it (see Tracker.made): nothing to note
            return
        constants = [
            Operand(v, self.span(n), self.operand_text(n, v)) for n, v in pairs if _is_constant(v)
        ]
        if fn is not None:
            self.tracker.constants.setdefault(fn, constants)
        elif not result.requires_grad and id(result) not in self.tracker.tensors:  # new
            if any(isinstance(c.value, torch.Tensor) for c in constants):  # e.g. c * k
                self.tracker.parts[id(result)] = constants
            sources = [v for _, v in pairs if isinstance(v, torch.Tensor) and v.requires_grad]
            how = how or ("no_grad" if not torch.is_grad_enabled() else "")
            if sources and how:
                self.tracker.stops[id(result)] = Stop(how, sources)

    def note_call(self, node: ast.Call, fn: Any, args: tuple, result: Any) -> None:
        pairs = list(zip(node.args, args, strict=True))
        owner = getattr(fn, "__self__", None)
        if isinstance(owner, torch.Tensor) and isinstance(node.func, ast.Attribute):
            pairs.insert(0, (node.func.value, owner))
        self.note_operands(result, pairs, "detach()" if is_method(fn, "detach") else "")

    def operand_text(self, node: ast.expr, value: Any) -> str:
        made = self.tracker.tensors.get(id(value)) if isinstance(value, torch.Tensor) else None
        if made is not None and made.name:
            return made.name
        text = " ".join((ast.get_source_segment(self.source, node) or "?").split())
        return text if len(text) <= 24 else text[:23] + "…"

    def guard(self, node: ast.AST, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call fn; any exception becomes a ProgramError at this node."""
        try:
            return fn(*args, **kwargs)
        except ProgramError:
            raise
        except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
            raise self.failure(node, e) from None

    def failure(self, node: ast.AST, e: Exception) -> ProgramError:
        """The user's program raised e at node: say what went wrong, in its words."""
        if isinstance(e, RecursionError):
            return self.fail(node, "The program nests too deeply.")
        if isinstance(e, MemoryError) or ran_out_of_memory(e):
            return self.fail(node, out_of_memory_message())
        return self.fail(node, describe(e))

    def eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def eval_Name(self, node: ast.Name) -> Any:
        name = node.id
        if name in self.variables:
            return self.variables[name]
        if name in self.names:
            return self.names[name]
        if name in self.builtins:
            return self.builtins[name]
        raise self.fail(node, f"NameError: name '{node.id}' is not defined.")

    def eval_Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.eval(e) for e in node.elts)

    def eval_List(self, node: ast.List) -> list:
        return [self.eval(e) for e in node.elts]

    def eval_BinOp(self, node: ast.BinOp) -> Any:
        a, b = node.left, node.right  # (a number written in the program needs no eval)
        left = a.value if type(a) is ast.Constant else self.eval(a)
        right = b.value if type(b) is ast.Constant else self.eval(b)
        check_binop(node.op, left, right, self.limits, node, self.fail)
        try:  # self.guard, inline (as in eval_Call)
            result = BINOPS[type(node.op)](left, right)
        except ProgramError:
            raise
        except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
            raise self.failure(node, e) from None
        if self.constants:
            self.note_operands(result, [(node.left, left), (node.right, right)])
        return result

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.eval(node.operand)
        return self.guard(node, UNARYOPS[type(node.op)], operand)

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
            result = self.guard(node, COMPARE[type(op)], left, right)
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
        check_index(obj, key, self.limits, node, self.fail)
        return self.guard(node, operator.getitem, obj, key)

    def eval_Slice(self, node: ast.Slice) -> slice:
        lower = None if node.lower is None else self.eval(node.lower)
        upper = None if node.upper is None else self.eval(node.upper)
        return slice(lower, upper, None if node.step is None else self.eval(node.step))

    def eval_Attribute(self, node: ast.Attribute) -> Any:
        member = self.members.get(id(node), _NOTHING)
        if member is not _NOTHING:
            return member
        obj = self.eval(node.value)
        if type(obj) is Module and node.attr in obj.members:  # attribute(), its first case
            member = obj.members[node.attr]
            value = node.value  # torch.sin, F.relu, torch.nn.functional.relu: the same each
            static = type(value) is ast.Name and value.id in self.names or id(value) in self.members
            if static and type(member) in _UNTRACKED:  # (the language refuses `torch = ...`)
                self.members[id(node)] = member
            return member
        try:  # self.guard, inline
            return attribute(obj, node.attr)
        except ProgramError:
            raise
        except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
            raise self.failure(node, e) from None

    def call_site(self, node: ast.Call, fn: Any) -> tuple[Any, str | None, Tensor | None]:
        """What a call asks of its function alone: may it be called here (raises if not),
        what check_call counts it by, and the tensor it is a method of (or None). Kept for
        the call's next time when fn will be the same object (not a bound method)."""
        if not callable_allowed(fn, self.builtins):
            raise self.fail(node.func, f"{callable_name(fn)} can't be called here.")
        owner = getattr(fn, "__self__", None)
        site = (fn, counted_as(fn), owner if isinstance(owner, Tensor) else None)
        if owner is None or isinstance(owner, types.ModuleType):  # torch.sin, F.relu, len, ...
            self.sites[id(node)] = site
        return site

    def eval_Call(self, node: ast.Call) -> Any:
        fn = self.members.get(id(node.func), _NOTHING)  # torch.sin: eval_Attribute's answer
        if fn is _NOTHING:
            fn = self.eval(node.func)
        args: tuple = ()
        if node.args:
            args = (
                (self.eval(node.args[0]),) if len(node.args) == 1
                else tuple([self.eval(a) for a in node.args])
            )  # fmt: skip
        kwargs = (
            {kw.arg: self.eval(kw.value) for kw in node.keywords if kw.arg} if node.keywords else {}
        )
        site = self.sites.get(id(node))
        if site is None or site[0] is not fn:  # not the function this call made last time
            site = self.call_site(node, fn)
        _, counted, owner = site
        if counted is not None:  # check_call(fn, args, kwargs, ...), its answers about fn kept
            ops = args if owner is None else (owner, *args)
            check_sizes(counted, ops, kwargs, self.limits, node, self.fail)
        if owner is not None and fn.__name__ == "backward":  # is_method(fn, "backward")
            return self.guard(node, self.on_backward, owner, args, kwargs)
        if fn is torch.autograd.grad and self.on_grad is not None:
            return self.guard(node, self.on_grad, args, kwargs)
        try:  # self.guard, inline: this is the interpreter's busiest call
            result = fn(*args, **kwargs)
        except ProgramError:
            raise
        except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
            raise self.failure(node, e) from None
        if self.constants:
            self.note_call(node, fn, args, result)
        return result


_STATEMENTS: dict[type, Callable[[Interpreter, Any, bool], None]] = {
    getattr(ast, name[5:]): method for name, method in vars(Interpreter).items()
    if name.startswith("exec_")
}  # fmt: skip
_EXPRESSIONS: dict[type, Callable[[Interpreter, Any], Any]] = {
    getattr(ast, name[5:]): method for name, method in vars(Interpreter).items()
    if name.startswith("eval_")
}  # fmt: skip


# Kinds of value that are neither tensors nor tuples (which may hold tensors): eval has
# nothing to track in them.
_UNTRACKED = frozenset({
    int, float, bool, str, type(None), list, slice, range, Module, torch.dtype, type,
    types.BuiltinFunctionType, types.FunctionType, types.MethodType,
})  # fmt: skip
_NOTHING = object()
_SEQUENCE_TARGET = ast.Tuple | ast.List  # (made once: `a | b` in a call makes a new union)
_NUMBER = int | float


def _is_leaf(tensor: torch.Tensor) -> bool:
    try:
        return tensor.is_leaf
    except RuntimeError:  # see Tracker.made
        return True


def _is_constant(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return not value.requires_grad
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def describe(e: BaseException) -> str:
    """An exception as one or two plain sentences (PyTorch's own words kept)."""
    text = str(e).strip().split("\n")[0] or type(e).__name__
    return f"{type(e).__name__}: {text}"


def _as_load(target: ast.expr) -> ast.expr:
    copy = ast.fix_missing_locations(ast.copy_location(type(target)(**vars(target)), target))
    copy.ctx = ast.Load()  # type: ignore[attr-defined]
    return copy
