"""The safe mode's compiler: the program's own syntax tree, rewritten so that every
attribute read and write, subscript, call, operator, iteration and import passes a runtime
check (`core.engine.interpreter` supplies the checks), then compiled by CPython with its source
positions kept.

Before rewriting, `refusals` walks the tree once and names the first construct the safe
mode refuses outright (dunder names, `eval`/`open` and friends, imports outside torch, math
and random, metaclasses, async code). What is left is checked at run time, when the kind
of each value is known (`core.engine.namespace`).

Each checked place is a *site*: a number passed to the check, whose span
(line, column, end line, end column) `Rewrite.spans` holds, so a tensor made inside a
function or a method still points at its exact source.
"""

from __future__ import annotations

import ast
import copy
import types
from dataclasses import dataclass, field
from typing import Any

from core.engine import allowlist as allow
from core.engine.namespace import IMPORTABLE, MODULES, Module, suggested
from core.record import refusals as safe_mode
from core.record.language import ProgramError, check_size, error_at, parse, source_lines, span_of
from core.record.wording import Wording, said

FILENAME = "<program>"
P = "__lens_"  # the prefix of every name the rewrite adds (a dunder: programs can't write it)

BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
          ast.LShift, ast.RShift, ast.BitOr, ast.BitAnd, ast.BitXor)  # fmt: skip
UNARYOPS = (ast.USub, ast.UAdd, ast.Invert)
COMPARES = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)

_REFUSED = {
    ast.AsyncFunctionDef: "async functions",
    ast.AsyncFor: "async loops",
    ast.AsyncWith: "async with statements",
    ast.Await: "await expressions",
    ast.Match: "match statements",
    ast.TryStar: "except* clauses",
}


@dataclass
class Rewrite:
    """A program made ready to run: its code, and where each site is."""

    code: types.CodeType
    spans: list[tuple[int, int, int, int]]
    members: dict[str, tuple[str, str]]  # global name -> (module, member) it stands for
    nodes: list[ast.AST]  # the original node of each site (operands' texts for constants)
    operands: dict[int, list[ast.expr]] = field(default_factory=dict)  # site -> its operands


def compile_program(tree: ast.Module, lines: list[str], trusted: bool = False) -> Rewrite:
    """Rewrite and compile a parsed program (checked by `refusals` unless trusted). The
    tree is left as it was; the last few programs' rewrites are kept (re-runs of one
    program, for the chain rule or the check by hand, reuse them)."""
    key = (ast.dump(tree, include_attributes=True), trusted)
    if key in _compiled:
        return _compiled[key]
    rewriter = _Rewriter(lines, trusted, {} if trusted else _module_aliases(tree))
    new = rewriter.visit_Module(copy.deepcopy(tree))
    ast.fix_missing_locations(new)
    try:
        code = compile(new, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as e:  # what only the compiler sees: `yield` outside a function, ...
        raise ProgramError.saying(said(safe_mode.SYNTAX_ERROR, message=str(e.msg)), e.lineno or 1,
                                  max(e.offset or 1, 1)) from None  # fmt: skip
    _compiled[key] = rewrite = Rewrite(code, rewriter.spans, rewriter.members, rewriter.nodes,
                                       rewriter.operands)  # fmt: skip
    while len(_compiled) > 8:
        del _compiled[next(iter(_compiled))]
    return rewrite


_compiled: dict[tuple[str, bool], Rewrite] = {}


# --- what is refused before anything runs -----------------------------------------------
def check(source: str, trusted: bool = False) -> ast.Module:
    """Parse and check a program; raise ProgramError naming the first refused construct
    (only its size and nesting when trusted: plain Python runs the rest)."""
    tree = parse(source)
    lines = source_lines(source)
    check_size(tree, lines)
    if not trusted:
        refusals(tree, lines)
    return tree


def refusals(tree: ast.Module, lines: list[str]) -> None:
    """Raise ProgramError for the first refused construct, in reading order."""
    aliases = _module_aliases(tree)
    bound = _bound_names(tree)
    for node in _in_order(tree):
        if isinstance(node, ast.Name) and node.id in bound and node.id in allow.FORBIDDEN_NAMES:
            continue  # the program's own variable (`input = torch.randn(3)`), not the builtin
        problem = _problem(node, aliases)
        if problem is not None:
            message, trust = problem
            raise error_at(node, lines, message, trust)


def _in_order(tree: ast.AST) -> list[ast.AST]:
    nodes = [n for n in ast.walk(tree) if hasattr(n, "lineno")]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]
    return nodes


def _bound_names(tree: ast.Module) -> set[str]:
    """Every name the program binds somewhere: assigned, a parameter, defined, imported."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.alias):
            out.add(node.asname or node.name.split(".")[0])
    return out


_DEFINITIONS = (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef, ast.ExceptHandler)


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound by imports, to the module path they name."""
    out: dict[str, str] = {"torch": "torch", "F": "torch.nn.functional", "math": "math"}
    for node in ast.walk(tree):  # a name bound any other way is not only a module
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.pop(node.id, None)
        elif isinstance(node, ast.arg):
            out.pop(node.arg, None)
        elif isinstance(node, _DEFINITIONS) and node.name:
            out.pop(node.name, None)
        elif isinstance(node, ast.alias):
            bound = node.asname or node.name.split(".")[0]
            if bound in out and node.name not in MODULES and bound != node.name.split(".")[0]:
                out.pop(bound, None)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out[a.asname] = a.name
                else:
                    out[a.name.split(".")[0]] = a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if full in MODULES:
                    out[a.asname or a.name] = full
    return out


Problem = tuple[str | Wording, str]  # (the refusal, what needs trust or '')


def _problem(node: ast.AST, aliases: dict[str, str]) -> Problem | None:
    """(message, what needs trust or '') if node is refused."""
    if type(node) in _REFUSED:
        what = _REFUSED[type(node)]
        return said(safe_mode.REFUSED_CONSTRUCTS[what]), what
    if isinstance(node, ast.Name):
        return _name_problem(node.id, isinstance(node.ctx, ast.Load))
    if isinstance(node, ast.arg):
        return _name_problem(node.arg, False)
    if isinstance(node, ast.Attribute):
        return _attribute_problem(node, aliases)
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        if node.name.startswith("__") and node.name not in allow.DUNDER_METHODS:
            return said(safe_mode.DEFINING_DUNDER, name=node.name), ""
        if isinstance(node, ast.ClassDef) and node.keywords:
            return said(safe_mode.CLASS_KEYWORDS), ""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return _import_problem(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
        for kw in node.keywords:
            if kw.arg not in ("sep", "end", "flush"):
                return (said(safe_mode.PRINT_KEYWORD, name=str(kw.arg)),
                        f"print(..., {kw.arg}=...)")  # fmt: skip
    if isinstance(node, ast.Constant) and isinstance(node.value, bytes | complex):
        return said(safe_mode.CONSTANTS, kind=type(node.value).__name__), ""
    if isinstance(node, ast.With) and _yields(node.body):
        return said(safe_mode.YIELD_IN_WITH), ""
    if isinstance(node, ast.Global | ast.Nonlocal):
        for name in node.names:
            problem = _name_problem(name, False)
            if problem:
                return problem
    return None


def _yields(body: list[ast.stmt]) -> bool:
    """Whether these statements yield (not counting functions defined in them)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return True
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _name_problem(name: str, load: bool) -> Problem | None:
    if name.startswith("__") and not (load and name == "__name__"):
        return said(safe_mode.DUNDER_NAME, name=name), ""
    if name in allow.FORBIDDEN_NAMES and load:
        why = allow.FORBIDDEN_NAMES[name]
        return (said(safe_mode.FORBIDDEN_NAME, name=name, why=said(safe_mode.FORBIDDEN_WHY[why])),
                name)  # fmt: skip
    return None


def _attribute_problem(node: ast.Attribute, aliases: dict[str, str]) -> Problem | None:
    attr = node.attr
    if attr.startswith("__") and attr.endswith("__"):
        if attr == "__init__" and _is_super_call(node.value) or attr in allow.NAME_DUNDERS:
            return None  # (a name is a string: `type(p).__name__`)
        return said(safe_mode.DUNDER_ATTRIBUTE, name=attr), ""
    dotted = _dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    if head not in aliases:
        return None
    path = f"{aliases[head]}.{rest}"
    parent, _, name = path.rpartition(".")
    shown = f"{head}.{rest}"
    if not isinstance(node.ctx, ast.Load) and parent in MODULES:
        return said(safe_mode.MODULE_MEMBER_FIXED, name=shown), ""
    if parent in MODULES and name not in MODULES[parent].members:
        if f"{parent}.{name}" in MODULES:
            return None
        return missing(MODULES[parent], name, shown)
    return None


def missing(module: Module, name: str, shown: str) -> Problem:
    """The message for a module member the safe mode doesn't have (and what needs trust)."""
    if module.has(name):
        return suggested(said(safe_mode.NOT_AVAILABLE, name=shown), name, module.members), shown
    return suggested(said(safe_mode.DOES_NOT_EXIST, name=shown), name, module.members), ""


def _is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (node.func.id == "super")
    )


def _import_problem(node: ast.Import | ast.ImportFrom) -> Problem | None:
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name == "torchviz":
                return said(safe_mode.NO_TORCHVIZ), "import torchviz"
            if a.name not in IMPORTABLE:
                return said(safe_mode.IMPORT_ONLY, name=a.name), f"import {a.name}"
        return None
    module = node.module or ""
    if node.level or module not in IMPORTABLE:
        shown = "." * node.level + module
        return said(safe_mode.FROM_IMPORT_ONLY, name=shown), f"import {shown}"
    members = MODULES[module].members if module in MODULES else None
    for a in node.names:
        if a.name == "*":
            return said(safe_mode.STAR_IMPORT, module=module), ""
        if members is not None and a.name not in members and f"{module}.{a.name}" not in MODULES:
            message, trust = missing(MODULES[module], a.name, f"{module}.{a.name}")
            within = said(safe_mode.IN_FROM_IMPORT, module=module, name=a.name, message=message)
            return within, trust
    return None


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


# --- the rewrite --------------------------------------------------------------------------
def hook_name(id_: str) -> str:
    """The name of a check in the rewritten program (dunder-shaped: a class body would
    mangle a name that only starts with two underscores)."""
    return f"{P}{id_}__"


def _name(id_: str) -> ast.Name:
    return ast.Name(id=hook_name(id_), ctx=ast.Load())


def _call(fn: str, *args: ast.expr, keywords: list[ast.keyword] | None = None) -> ast.Call:
    return ast.Call(func=_name(fn), args=list(args), keywords=keywords or [])


def _const(value: Any) -> ast.Constant:
    return ast.Constant(value=value)


class _Rewriter(ast.NodeTransformer):
    def __init__(self, lines: list[str], trusted: bool, aliases: dict[str, str]) -> None:
        self.lines = lines
        self.trusted = trusted
        self.aliases = aliases  # names that only ever stand for a module
        self.members: dict[str, tuple[str, str]] = {}
        self.spans: list[tuple[int, int, int, int]] = []
        self.nodes: list[ast.AST] = []
        self.operands: dict[int, list[ast.expr]] = {}
        self.temps = 0
        self.functions: list[ast.FunctionDef | ast.Lambda] = []  # the enclosing ones
        self.depth = 0  # of function and class bodies (0: the module's)

    def site(self, node: ast.AST, operands: list[ast.expr] | None = None) -> ast.Constant:
        self.spans.append(span_of(node, self.lines))
        self.nodes.append(node)
        if operands:
            self.operands[len(self.spans) - 1] = operands
        return _const(len(self.spans) - 1)

    def temp(self) -> str:
        self.temps += 1
        return hook_name(f"t{self.temps}")

    # statements ---------------------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> ast.Module:
        return ast.Module(body=self.body(node.body, top=True), type_ignores=[])

    def body(self, stmts: list[ast.stmt], top: bool = False) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in stmts:
            line = ast.Expr(_call("line", _const(stmt.lineno)))
            out.append(ast.copy_location(line, stmt))
            if top and isinstance(stmt, ast.Expr) and not _is_docstring(stmt):
                shown = _call("show", self.site(stmt), self.visit(stmt.value))
                out.append(ast.copy_location(ast.Expr(shown), stmt))
                continue
            new = self.visit(stmt)
            out.extend(new if isinstance(new, list) else [new])
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, name, self.body(value))
            elif isinstance(value, list):
                setattr(node, name, [self.visit(v) if isinstance(v, ast.AST) else v
                                     for v in value])  # fmt: skip
            elif isinstance(value, ast.AST):
                setattr(node, name, self.visit(value))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> list[ast.stmt]:
        decorators = [self.visit(d) for d in node.decorator_list]
        node.decorator_list = []
        node.args = self.visit(node.args)
        node.returns = None
        self.functions.append(node)
        self.depth += 1
        node.body = self.body(node.body)
        self.depth -= 1
        self.functions.pop()
        return [node, *self.decorate(node, node.name, decorators)]

    def visit_ClassDef(self, node: ast.ClassDef) -> list[ast.stmt]:
        decorators = [self.visit(d) for d in node.decorator_list]
        node.decorator_list = []
        node.bases = [self.visit(b) for b in node.bases]
        functions, self.functions = self.functions, []
        self.depth += 1
        node.body = self.body(node.body)
        self.depth -= 1
        self.functions = functions
        return [node, *self.decorate(node, node.name, decorators)]

    def decorate(self, node: ast.stmt, name: str, decorators: list[ast.expr]) -> list[ast.stmt]:
        """`@d def f` as `f = d(f)` after the definition, through the call check."""
        out: list[ast.stmt] = []
        for d in reversed(decorators):
            value = _call("call", self.site(d), d, ast.Name(id=name, ctx=ast.Load()))
            out.append(
                ast.copy_location(
                    ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value), node
                )
            )
        return out

    def visit_Lambda(self, node: ast.Lambda) -> ast.Lambda:
        node.args = self.visit(node.args)
        self.functions.append(node)
        node.body = self.visit(node.body)
        self.functions.pop()
        return node

    def visit_arguments(self, node: ast.arguments) -> ast.arguments:
        node.defaults = [self.visit(d) for d in node.defaults]
        node.kw_defaults = [self.visit(d) if d is not None else None for d in node.kw_defaults]
        for a in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg):
            if a is not None:
                a.annotation = None
        return node

    def visit_Assign(self, node: ast.Assign) -> list[ast.stmt]:
        value = self.visit(node.value)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0]
            node.value = _call("named", self.site(target), _const(target.id), value)
            return [node]
        node.value = value
        after: list[ast.stmt] = []
        node.targets = [self.target(t, after) for t in node.targets]
        return [node, *after]

    def visit_AnnAssign(self, node: ast.AnnAssign) -> list[ast.stmt]:
        if node.value is None:
            return [ast.copy_location(ast.Pass(), node)]
        assign = ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)
        return self.visit_Assign(assign)

    def target(self, target: ast.expr, after: list[ast.stmt]) -> ast.expr:
        """A Store target; attributes and subscripts become temporaries set after."""
        if isinstance(target, ast.Name):
            after.append(ast.copy_location(ast.Expr(_call(
                "named", self.site(target), _const(target.id),
                ast.Name(id=target.id, ctx=ast.Load()))), target))  # fmt: skip
            return target
        if isinstance(target, ast.Tuple | ast.List):
            target.elts = [self.target(t, after) for t in target.elts]
            return target
        if isinstance(target, ast.Starred):
            target.value = self.target(target.value, after)
            return target
        temp = self.temp()
        held = ast.Name(id=temp, ctx=ast.Load())
        if isinstance(target, ast.Attribute):
            store = _call("setattr", self.site(target), self.visit(target.value),
                          _const(target.attr), held)  # fmt: skip
        elif isinstance(target, ast.Subscript):
            store = _call("setitem", self.site(target), self.visit(target.value),
                          self.visit(target.slice), held)  # fmt: skip
        else:
            raise ProgramError.saying(said(safe_mode.CANT_ASSIGN), *span_of(target, self.lines)[:2])
        after.append(ast.copy_location(ast.Expr(store), target))
        return ast.copy_location(ast.Name(id=temp, ctx=ast.Store()), target)

    def visit_AugAssign(self, node: ast.AugAssign) -> list[ast.stmt]:
        op = _const(BINOPS.index(type(node.op)))
        value = self.visit(node.value)
        site = self.site(node, [node.target, node.value])
        t = node.target
        if isinstance(t, ast.Name):
            current = ast.Name(id=t.id, ctx=ast.Load())
            new = _call("inplace", site, op, current, value)
            return [ast.copy_location(ast.Assign(targets=[t], value=new), node)]
        obj = self.temp()
        first = ast.Assign(targets=[ast.Name(id=obj, ctx=ast.Store())], value=self.visit(t.value))
        held = ast.Name(id=obj, ctx=ast.Load())
        if isinstance(t, ast.Attribute):
            read = _call("getattr", held, _const(t.attr), site)
            write = _call("setattr", site, held, _const(t.attr),
                          _call("inplace", site, op, read, value))  # fmt: skip
            return [ast.copy_location(s, node) for s in (first, ast.Expr(write))]
        if isinstance(t, ast.Subscript):
            key = self.temp()
            second = ast.Assign(targets=[ast.Name(id=key, ctx=ast.Store())],
                                value=self.visit(t.slice))  # fmt: skip
            k = ast.Name(id=key, ctx=ast.Load())
            read = _call("getitem", held, k, site)
            write = _call("setitem", site, held, k, _call("inplace", site, op, read, value))
            return [ast.copy_location(s, node) for s in (first, second, ast.Expr(write))]
        raise ProgramError.saying(said(safe_mode.CANT_ASSIGN), node.lineno, node.col_offset + 1)

    def visit_Delete(self, node: ast.Delete) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        names: list[ast.expr] = []
        for t in node.targets:
            if isinstance(t, ast.Attribute):
                call = _call("delattr", self.site(t), self.visit(t.value), _const(t.attr))
                out.append(ast.copy_location(ast.Expr(call), node))
            elif isinstance(t, ast.Subscript):
                call = _call("delitem", self.site(t), self.visit(t.value), self.visit(t.slice))
                out.append(ast.copy_location(ast.Expr(call), node))
            else:
                names.append(t)
        if names:
            out.insert(0, ast.copy_location(ast.Delete(targets=names), node))
        return out

    def loop_target(self, target: ast.expr) -> ast.expr:
        if isinstance(target, ast.Name):
            return target
        if isinstance(target, ast.Tuple | ast.List):
            target.elts = [self.loop_target(t) for t in target.elts]
            return target
        if isinstance(target, ast.Starred):
            target.value = self.loop_target(target.value)
            return target
        line, col = span_of(target, self.lines)[:2]
        raise ProgramError.saying(said(safe_mode.LOOP_VARIABLE), line, col)

    def visit_For(self, node: ast.For) -> ast.For:
        node.iter = _call("iter", self.site(node.iter), self.visit(node.iter))
        node.target = self.loop_target(node.target)
        node.body = self.body(node.body)
        node.orelse = self.body(node.orelse)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        node.iter = _call("iter", self.site(node.iter), self.visit(node.iter))
        node.target = self.loop_target(node.target)
        node.ifs = [self.visit(i) for i in node.ifs]
        return node

    def visit_withitem(self, node: ast.withitem) -> ast.withitem:
        node.context_expr = self.visit(node.context_expr)
        if node.optional_vars is not None:
            node.optional_vars = self.loop_target(node.optional_vars)
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.ExceptHandler:
        """A bare `except:` catches what an `except Exception:` does: never the app's own
        signals (the time limit, Stop), which are BaseExceptions."""
        if node.type is None and not self.trusted:
            node.type = ast.copy_location(ast.Name(id="Exception", ctx=ast.Load()), node)
        return self.generic_visit(node)  # type: ignore[return-value]

    def visit_Import(self, node: ast.Import) -> ast.stmt:
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.stmt:
        return node

    # expressions --------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        if not isinstance(node.ctx, ast.Load):  # (targets are handled by their statements)
            return node
        member = self.module_member(node)
        if member is not None:  # `torch.sin`: the same object every time, read once
            return ast.copy_location(ast.Name(id=member, ctx=ast.Load()), node)
        site = self.site(node)
        return ast.copy_location(
            _call("getattr", self.visit(node.value), _const(node.attr), site), node
        )

    def module_member(self, node: ast.Attribute) -> str | None:
        """The global name standing for a module's member (`torch.nn.functional.relu`)
        read through names that only ever stand for modules, or None."""
        dotted = _dotted(node)
        head, _, rest = (dotted or "").partition(".")
        if not rest or head not in self.aliases:
            return None
        module, _, name = f"{self.aliases[head]}.{rest}".rpartition(".")
        if module not in MODULES or name not in MODULES[module].members:
            return None
        global_name = hook_name("m_" + f"{module}.{name}".replace(".", "_"))
        self.members[global_name] = (module, name)
        return global_name

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        if not isinstance(node.ctx, ast.Load):
            return node
        keys = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        site = self.site(node, [node.value, *keys])  # (index tensors are constants: ys)
        return ast.copy_location(
            _call("getitem", self.visit(node.value), self.visit(node.slice), site), node
        )

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        site = self.site(node, [node.left, node.right])
        op = _const(BINOPS.index(type(node.op)))
        new = _call("binop", site, op, self.visit(node.left), self.visit(node.right))
        return ast.copy_location(new, node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        if isinstance(node.op, ast.Not):
            return self.generic_visit(node)  # type: ignore[return-value]
        site = self.site(node, [node.operand])
        op = _const(UNARYOPS.index(type(node.op)))
        return ast.copy_location(_call("unary", site, op, self.visit(node.operand)), node)

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        if len(node.ops) != 1 or not isinstance(node.ops[0], COMPARES):
            return self.generic_visit(node)  # type: ignore[return-value]
        site = self.site(node, [node.left, node.comparators[0]])
        op = _const(COMPARES.index(type(node.ops[0])))
        new = _call("compare", site, op, self.visit(node.left), self.visit(node.comparators[0]))
        return ast.copy_location(new, node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.FormattedValue:
        """`{value!r:>{w}}` in an f-string: formatted by `__lens_format__(site, value,
        conversion, spec)` (the size rules, and no memory addresses) into text that the
        f-string then takes as it is."""
        site = self.site(node, [node.value])
        spec = self.visit(node.format_spec) if node.format_spec is not None else _const("")
        value = _call("format", site, self.visit(node.value), _const(node.conversion), spec)
        return ast.copy_location(ast.FormattedValue(value=value, conversion=-1), node)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        receiver = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        site = self.site(node, [*receiver, *node.args])
        func = self.visit(node.func)
        args = [self.visit(a) for a in node.args]
        keywords = [self.visit(k) for k in node.keywords]
        if _is_super_call(node) and not node.args and self.functions:
            first = _first_argument(self.functions[-1])
            if first is not None:  # super() reads its class and self from its own frame:
                args = [ast.Name(id="__class__", ctx=ast.Load()),  # pass them explicitly
                        ast.Name(id=first, ctx=ast.Load())]  # fmt: skip
        return ast.copy_location(_call("call", site, func, *args, keywords=keywords), node)


def _first_argument(fn: ast.FunctionDef | ast.Lambda) -> str | None:
    args = [*fn.args.posonlyargs, *fn.args.args]
    return args[0].arg if args else None


def _is_docstring(stmt: ast.Expr) -> bool:
    return isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
