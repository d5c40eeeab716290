"""The expression language: a safe subset of Python, checked before anything runs.

`check(source)` parses a program and refuses, with line, column and a sentence, every
construct outside the subset (imports other than the lesson's, dunder and underscore names,
eval/exec/open/getattr, lambdas, classes, unbounded loops, torch's file, network and JIT
APIs, ...). What passes is run by `core.interpreter`, which resolves every name against the
allow-lists in `core.allowlist` again at run time.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from core import allowlist as allow

MAX_SOURCE_CHARS = 100_000
MAX_STATEMENTS = 2_000
MAX_DEPTH = 60  # nesting of expressions and blocks


@dataclass(frozen=True)
class ProgramError(Exception):
    """A mistake or a refusal in the user's program, with where it is (1-based)."""

    message: str
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col}: {self.message}"

    @property
    def span(self) -> tuple[int, int, int, int]:
        return (self.line, self.col, self.end_line or self.line, self.end_col or self.col + 1)


def span_of(node: ast.AST, lines: list[str]) -> tuple[int, int, int, int]:
    """An AST node's span as 1-based (line, column, end line, end column) in characters."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    col = _char_col(lines, line, getattr(node, "col_offset", 0))
    end_col = _char_col(lines, end_line, getattr(node, "end_col_offset", None) or 0)
    return (line, col + 1, end_line, end_col + 1)


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    # ast columns count UTF-8 bytes; people count characters.
    if 1 <= line <= len(lines):
        return len(lines[line - 1].encode()[:byte_col].decode(errors="ignore"))
    return byte_col


def error_at(node: ast.AST, lines: list[str], message: str) -> ProgramError:
    line, col, end_line, end_col = span_of(node, lines)
    return ProgramError(message, line, col, end_line, end_col)


def source_lines(source: str) -> list[str]:
    """The program's lines as Python numbers them (str.splitlines also splits at form
    feeds, U+2028 and the like, which would shift every later line's columns)."""
    return re.split(r"\r\n|\r|\n", source)


def parse(source: str) -> ast.Module:
    """Parse a program, turning Python's syntax errors into ProgramError."""
    if len(source) > MAX_SOURCE_CHARS:
        raise ProgramError(f"The program is too long ({len(source):,} characters; at most "
                           f"{MAX_SOURCE_CHARS:,}).")  # fmt: skip
    try:
        return ast.parse(source, mode="exec")
    except SyntaxError as e:
        line = e.lineno or 1
        col = max(e.offset or 1, 1)
        raise ProgramError(f"Python syntax error: {e.msg}.", line, col) from None
    except (RecursionError, MemoryError, ValueError) as e:
        raise ProgramError(f"The program can't be read: {e or 'nested too deeply'}.") from None


def check(source: str) -> ast.Module:
    """Parse and check a program; raise ProgramError naming the first refused construct."""
    tree = parse(source)
    _Checker(source_lines(source)).run(tree)
    return tree


_STATEMENTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.With, ast.Pass,
               ast.Import, ast.ImportFrom)  # fmt: skip
_EXPRESSIONS = (ast.Constant, ast.Name, ast.Tuple, ast.List, ast.BinOp, ast.UnaryOp,
                ast.BoolOp, ast.Compare, ast.Subscript, ast.Slice, ast.Call, ast.Attribute,
                ast.IfExp, ast.keyword, ast.Load, ast.Store, ast.operator, ast.unaryop,
                ast.cmpop, ast.boolop, ast.withitem, ast.alias)  # fmt: skip

_NAMES = {
    ast.Lambda: "lambda expressions",
    ast.FunctionDef: "function definitions (def)",
    ast.AsyncFunctionDef: "function definitions (async def)",
    ast.ClassDef: "class definitions",
    ast.While: "while loops (only `for i in range(n)` is allowed)",
    ast.Try: "try statements",
    ast.Raise: "raise statements",
    ast.Delete: "del statements",
    ast.Global: "global statements",
    ast.Nonlocal: "nonlocal statements",
    ast.Assert: "assert statements",
    ast.Return: "return statements",
    ast.Yield: "yield expressions",
    ast.YieldFrom: "yield expressions",
    ast.Await: "await expressions",
    ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Dict: "dict literals",
    ast.Set: "set literals",
    ast.Starred: "starred (*args) expressions",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.If: "if statements",
    ast.Match: "match statements",
}


class _Checker:
    """One pass over the tree: every node must be of an allowed kind, in an allowed place."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def fail(self, node: ast.AST, message: str) -> ProgramError:
        return error_at(node, self.lines, message)

    def run(self, tree: ast.Module) -> None:
        count = sum(1 for n in ast.walk(tree) if isinstance(n, ast.stmt))
        if count > MAX_STATEMENTS:
            raise ProgramError(f"The program has too many statements ({count}; at most "
                               f"{MAX_STATEMENTS}).")  # fmt: skip
        stack: list[tuple[ast.AST, int]] = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.fail(node, f"The program is nested too deeply (more than "
                                      f"{MAX_DEPTH} levels).")  # fmt: skip
            self.visit(node)
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Module):
            return
        if type(node) in _NAMES:
            raise self.fail(node, f"{_NAMES[type(node)].capitalize()} are not allowed here.")
        if not isinstance(node, _STATEMENTS + _EXPRESSIONS):
            raise self.fail(node, f"'{type(node).__name__}' is not part of the language.")
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method:
            method(node)

    def visit_Name(self, node: ast.Name) -> None:
        self.check_name(node, node.id)
        if isinstance(node.ctx, ast.Store) and node.id in ("torch", "F", "math", "print"):
            raise self.fail(node, f"'{node.id}' is built in and can't be assigned to.")

    def check_name(self, node: ast.AST, name: str) -> None:
        if name.startswith("_"):
            raise self.fail(node, f"Names starting with an underscore ('{name}') are not "
                                  "allowed.")  # fmt: skip
        if name in allow.FORBIDDEN_NAMES:
            raise self.fail(node, f"'{name}' is not allowed: it {allow.FORBIDDEN_NAMES[name]}.")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("_"):
            raise self.fail(node, f"Attributes starting with an underscore ('.{node.attr}') "
                                  "are not allowed.")  # fmt: skip
        if isinstance(node.value, ast.Constant):
            raise self.fail(node, f"'.{node.attr}' is not allowed: methods of strings and "
                                  "numbers are not part of the language.")  # fmt: skip
        dotted = _dotted(node)
        if isinstance(node.ctx, ast.Store) and node.attr not in allow.ASSIGNABLE:
            raise self.fail(node, f"Assigning to '{dotted or '.' + node.attr}' is not allowed "
                                  "(only '.requires_grad' and '.grad' can be set).")  # fmt: skip
        if dotted and dotted.split(".")[0] in ("torch", "F", "math"):
            _check_module_path(self, node, dotted)
        elif node.attr not in allow.ATTRIBUTES:
            raise self.fail(node, f"'.{node.attr}' is not allowed: it is not on the list of "
                                  "tensor attributes and methods.")  # fmt: skip

    def visit_Call(self, node: ast.Call) -> None:
        for kw in node.keywords:
            if kw.arg is None:
                raise self.fail(kw, "'**' keyword unpacking is not allowed.")
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            for kw in node.keywords:
                if kw.arg not in ("sep", "end"):
                    raise self.fail(kw, f"print(..., {kw.arg}=...) is not allowed; "
                                        "print writes to the transcript only.")  # fmt: skip

    def visit_For(self, node: ast.For) -> None:
        ok_target = isinstance(node.target, ast.Name)
        it = node.iter
        ok_iter = (isinstance(it, ast.Call) and isinstance(it.func, ast.Name)
                   and it.func.id == "range" and not it.keywords)  # fmt: skip
        if not (ok_target and ok_iter) or node.orelse:
            raise self.fail(node, "Only loops of the form `for i in range(n):` are allowed.")

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            expr = item.context_expr
            name = _dotted(expr.func) if isinstance(expr, ast.Call) else None
            if name not in ("torch.no_grad", "torch.enable_grad") or item.optional_vars:
                raise self.fail(node, "Only `with torch.no_grad():` and "
                                      "`with torch.enable_grad():` are allowed.")  # fmt: skip

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if (alias.name, alias.asname) not in allow.ACCEPTED_IMPORTS:
                raise self.fail(node, f"'import {alias.name}' is not allowed: programs can "
                                      "use torch, torch.nn.functional (as F) and math, which "
                                      "are already imported.")  # fmt: skip

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if (node.module, alias.name, alias.asname) not in allow.ACCEPTED_FROM_IMPORTS:
                raise self.fail(node, f"'from {node.module} import {alias.name}' is not "
                                      "allowed: programs can use torch, torch.nn.functional "
                                      "(as F) and math, which are already imported.")  # fmt: skip

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, bytes | complex) or node.value is Ellipsis:
            raise self.fail(node, f"{type(node.value).__name__} constants are not allowed.")


def _dotted(node: ast.AST) -> str | None:
    """'torch.nn.functional.relu' for a chain of plain attribute reads on a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


_MODULES = {
    "torch": allow.TORCH | {"nn", "autograd"},
    "torch.nn": {"functional"},
    "torch.autograd": allow.AUTOGRAD,
    "torch.nn.functional": allow.FUNCTIONAL,
    "F": allow.FUNCTIONAL,
    "math": allow.MATH,
}


def _check_module_path(checker: _Checker, node: ast.Attribute, dotted: str) -> None:
    parent, _, name = dotted.rpartition(".")
    if parent in _MODULES and name not in _MODULES[parent]:
        raise checker.fail(node, f"'{dotted}' is not available in Autograd Lens (it is not "
                                 "on the list of allowed functions).")  # fmt: skip
    if parent not in _MODULES and parent.split(".")[0] in ("torch", "F", "math"):
        # e.g. torch.float64.is_floating_point, torch.pi.real: only plain names are allowed
        if parent.count(".") >= 1 or name not in allow.ATTRIBUTES:
            raise checker.fail(node, f"'{dotted}' is not available in Autograd Lens.")
