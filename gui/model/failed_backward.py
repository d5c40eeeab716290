"""A program whose backward() fails still shows its graph: the program up to that line.

When PyTorch refuses a backward() in the text, the worker answers with PyTorch's error and
the graph of the text up to that line (`core.record.additions.graph_before`; the client
raises `core.process.client.BackwardFailed`), and the window shows that graph with the
error beside it. Plain text work: no Qt.
"""

from __future__ import annotations

from gui.model.i18n import translate


def status_line(error_text: str, line: int) -> str:
    """The status bar's one line for a graph shown up to a failed backward()."""
    first = error_text.split("\n", 1)[0]
    return translate(
        "FailedBackward", "The graph up to line {line}, where backward() failed · {error}"
    ).format(line=line, error=first)
