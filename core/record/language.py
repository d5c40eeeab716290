"""The program's text: parsing, positions, and the error a program's mistake becomes.

`parse` and `check_size` refuse, with line, column and a sentence, programs that don't
parse, are too big or are nested too deeply (`core.engine.policy.check` adds what the safe mode
refuses). Torch-free: the GUI imports `ProgramError` from here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from core.record import refusals
from core.record.wording import QT_TRANSLATE_NOOP, Wording, said

MAX_SOURCE_CHARS = 100_000
MAX_STATEMENTS = 2_000
MAX_DEPTH = 60  # nesting of expressions and blocks
MAX_MESSAGE_CHARS = 1_000  # an error's message; the rest is elided


@dataclass(frozen=True)
class ProgramError(Exception):
    """A mistake or a refusal in the user's program, with where it is (1-based); when
    the message is one of core's marked sentences, its `wording` (the same sentence as data,
    which the window shows in the user's language: `core.record.wording`); of a trusted
    program, the `folder` it ran in (its current directory: a lesson names it)."""

    message: str
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None
    trust: str = ""  # set when plain Python would run it: what needs trust ("import numpy")
    wording: Wording | None = None  # the message as data, when core's sentence says it all
    # an error inside the program's own functions: how it got there, outermost first, as
    # (function, the line it was called from): d2l's linreg fails on line 4, called from
    # line 10's training loop -> (("linreg", 10),)
    calls: tuple[tuple[str, int], ...] = ()
    folder: str | None = None  # the folder a trusted program ran in (a file it opened is there)

    def __post_init__(self) -> None:  # (a message quoting a huge value: its start is enough)
        if len(self.message) > MAX_MESSAGE_CHARS:
            object.__setattr__(self, "message", shortened(self.message, MAX_MESSAGE_CHARS))
        if self.wording is not None and self.wording.text != self.message:
            object.__setattr__(self, "wording", None)  # (shortened: the English it is)

    @classmethod
    def saying(cls, said: str | Wording, line: int = 1, col: int = 1,
               end_line: int | None = None, end_col: int | None = None,
               trust: str = "") -> ProgramError:  # fmt: skip
        """The error saying `said` (English, or one of core's sentences as data) there."""
        if isinstance(said, Wording):
            return cls(said.text, line, col, end_line, end_col, trust, said)
        return cls(said, line, col, end_line, end_col, trust)

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col}: {self.message}"

    @property
    def span(self) -> tuple[int, int, int, int]:
        return (self.line, self.col, self.end_line or self.line, self.end_col or self.col + 1)


def shortened(text: str, most: int) -> str:
    """text, or its first characters and how many were left out."""
    if len(text) <= most:
        return text
    kept = max(most - 40, 0)
    return f"{text[:kept]}… ({len(text) - kept:,} more characters)"


def excerpt(line: str, col: int, width: int = 100) -> tuple[str, int]:
    """A window of at most about `width` characters of a long line around column `col`
    (1-based), elided with … at either end, and col's column in it."""
    if len(line) <= width:
        return line, col
    start = max(0, min(col - 1 - width // 2, len(line) - width))
    text = line[start : start + width]
    col -= start
    if start > 0:
        text, col = "…" + text, col + 1
    if start + width < len(line):
        text += "…"
    return text, col


def _set_dunder(self: ProgramError, name: str, value: object) -> None:
    """A frozen error, whose traceback Python (and contextlib) may still set."""
    if not (name.startswith("__") and name.endswith("__")):
        raise AttributeError(f"can't set '{name}': a ProgramError is immutable")
    object.__setattr__(self, name, value)


ProgramError.__setattr__ = _set_dunder  # type: ignore[method-assign, assignment]


def span_of(node: ast.AST, lines: list[str]) -> tuple[int, int, int, int]:
    """An AST node's span as 1-based (line, column, end line, end column) in characters."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    col = _char_col(lines, line, getattr(node, "col_offset", 0))
    end_col = _char_col(lines, end_line, getattr(node, "end_col_offset", None) or 0)
    return (line, col + 1, end_line, end_col + 1)


def source_segment(lines: list[str], node: ast.AST) -> str | None:
    """`ast.get_source_segment` over the program's lines (`source_lines`), split once by
    the caller: the standard one splits the whole text again on every call. Lines are
    joined by "\n"; None where the node has no end position."""
    end_line = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    if end_line is None or end_col is None:
        return None
    line, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
    if not (1 <= line <= end_line <= len(lines)):
        return None
    if line == end_line:
        return lines[line - 1].encode()[col:end_col].decode()
    first = lines[line - 1].encode()[col:].decode()
    last = lines[end_line - 1].encode()[:end_col].decode()
    return "\n".join([first, *lines[line : end_line - 1], last])


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    # ast columns count UTF-8 bytes; people count characters.
    if 1 <= line <= len(lines):
        return len(lines[line - 1].encode()[:byte_col].decode(errors="ignore"))
    return byte_col


def error_at(node: ast.AST, lines: list[str], message: str | Wording,
             trust: str = "") -> ProgramError:  # fmt: skip
    return ProgramError.saying(message, *span_of(node, lines), trust=trust)


def source_lines(source: str) -> list[str]:
    """The program's lines as Python numbers them (str.splitlines also splits at form
    feeds, U+2028 and the like, which would shift every later line's columns)."""
    return re.split(r"\r\n|\r|\n", source)


def parse(source: str) -> ast.Module:
    """Parse a program, turning Python's syntax errors into ProgramError. A notebook's
    lines for Jupyter (`%matplotlib inline`, `!pip install ...`: `jupyter_lines`) are
    read as blank lines: the rest keeps its lines and columns."""
    if len(source) > MAX_SOURCE_CHARS:
        raise ProgramError.saying(said(refusals.PROGRAM_TOO_LONG, count=f"{len(source):,}",
                                       limit=f"{MAX_SOURCE_CHARS:,}"))  # fmt: skip
    try:
        return ast.parse(without_jupyter_lines(source), mode="exec")
    except SyntaxError as e:
        line = e.lineno or 1
        col = max(e.offset or 1, 1)
        raise ProgramError.saying(said(refusals.SYNTAX_ERROR, message=e.msg), line, col) from None
    except (RecursionError, MemoryError, ValueError) as e:
        reason = str(e or "nested too deeply")
        raise ProgramError.saying(said(refusals.PROGRAM_UNREADABLE, reason=reason)) from None


JUPYTER_MAGIC = QT_TRANSLATE_NOOP("core", "Line {line}: {command} is a Jupyter command; skipped.")
JUPYTER_SHELL = QT_TRANSLATE_NOOP(
    "core", "Line {line}: {command} is a shell command for Jupyter; skipped (never run)."
)
_JUPYTER_START = re.compile(r"^[ \t]*(?:%|!(?!=))", re.MULTILINE)


def jupyter_lines(source: str) -> tuple[int, ...]:
    """The 1-based numbers of the lines that are commands to Jupyter, not Python: IPython's
    magics (`%matplotlib inline`, `%%time`) and shell lines (`!pip install d2l`), which
    notebook code is published with. Only where Python can't read the line: a program
    that parses is never changed (`a % b`, or a `% b)` continuing a line, stays Python)."""
    if _JUPYTER_START.search(source) is None:  # (almost every program: no parse here)
        return ()
    return _jupyter_lines(source)


@lru_cache(maxsize=8)
def _jupyter_lines(source: str) -> tuple[int, ...]:
    lines = source_lines(source)
    skipped: list[int] = []
    for _ in range(len(lines)):
        try:
            ast.parse(_blanked(lines, skipped), mode="exec")
        except SyntaxError as e:
            at = e.lineno or 0
            if (
                at in skipped
                or not 1 <= at <= len(lines)
                or not _JUPYTER_START.match(lines[at - 1])
            ):
                break  # a mistake of Python's own: parse says it
            skipped.append(at)
        except (RecursionError, MemoryError, ValueError):
            break  # (parse says it)
        else:
            break
    return tuple(sorted(skipped))


def _blanked(lines: list[str], skipped: list[int] | tuple[int, ...]) -> str:
    """The program with the `skipped` lines empty (in a block: `pass`, at their indent)."""
    if not skipped:
        return "\n".join(lines)
    out = list(lines)
    for n in skipped:
        line = out[n - 1]
        indent = line[: len(line) - len(line.lstrip())]
        out[n - 1] = f"{indent}pass" if indent else ""
    return "\n".join(out)


def without_jupyter_lines(source: str) -> str:
    """The program as Python reads it: its Jupyter commands (`jupyter_lines`) blanked."""
    skipped = jupyter_lines(source)
    return _blanked(source_lines(source), skipped) if skipped else source


def jupyter_notes(source: str) -> list[tuple[int, Wording]]:
    """What the transcript says at each skipped Jupyter line: (line, its note)."""
    lines = source_lines(source)
    notes = []
    for n in jupyter_lines(source):
        command = shortened(lines[n - 1].strip(), 80)
        template = JUPYTER_SHELL if command.startswith("!") else JUPYTER_MAGIC
        notes.append((n, said(template, line=str(n), command=command)))
    return notes


def check_size(tree: ast.Module, lines: list[str]) -> None:
    count = sum(1 for n in ast.walk(tree) if isinstance(n, ast.stmt))
    if count > MAX_STATEMENTS:
        raise ProgramError.saying(said(refusals.TOO_MANY_STATEMENTS, count=str(count),
                                       limit=str(MAX_STATEMENTS)))  # fmt: skip
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise error_at(node, lines, said(refusals.NESTED_TOO_DEEPLY, limit=str(MAX_DEPTH)))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
