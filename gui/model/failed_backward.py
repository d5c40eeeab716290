"""A program whose backward() fails still shows its graph: the program up to that line.

PyTorch refuses `y.backward()` on a non-scalar `y` (and a second backward through a freed
graph, …) after the forward pass has built the graph a teacher wants to show. When the
error is on a line that calls backward() or autograd.grad(), the window asks for the text
up to that line (`graph_before`), shows that graph, and keeps PyTorch's error beside it.
Plain text work: no Qt.
"""

from __future__ import annotations

import re

from core.record.language import ProgramError
from gui.model.i18n import translate

_CALL = re.compile(r"\.backward\s*\(|autograd\.grad\s*\(")


def graph_before(source: str, error: Exception) -> str | None:
    """The program's text before the failing backward() line (the rest left out; `pass`
    stands in for it inside a block), or None when the error is not in such a call."""
    if not isinstance(error, ProgramError) or error.trust:
        return None
    lines = source.split("\n")
    first = error.line
    last = getattr(error, "end_line", None) or first
    if not 1 <= first <= last <= len(lines):
        return None
    statement = "\n".join(lines[first - 1 : last])
    if not _CALL.search(statement):
        return None
    indent = re.match(r"[ \t]*", lines[first - 1]).group(0)  # type: ignore[union-attr]
    stand_in = [indent + "pass"] if indent else []  # a block can't end empty
    return "\n".join([*lines[: first - 1], *stand_in]) + "\n"


def status_line(error_text: str, line: int) -> str:
    """The status bar's one line for a graph shown up to a failed backward()."""
    first = error_text.split("\n", 1)[0]
    return translate(
        "FailedBackward", "The graph up to line {line}, where backward() failed · {error}"
    ).format(line=line, error=first)
