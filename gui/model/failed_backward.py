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


def reason(error_text: str) -> str:
    """PyTorch's reason in short: the error's first line without its exception's name
    ("RuntimeError: grad can be …" → "grad can be …")."""
    first = error_text.strip().split("\n", 1)[0]
    head, sep, rest = first.partition(": ")
    return rest if sep and head.isidentifier() and head.endswith(("Error", "Exception")) else first


def caption(line: int, error_text: str, name: str | None, gradient: bool, hints: bool) -> str:
    """The player's sentence for the graph before a failed backward() that has no steps:
    which line failed and why, then what works (`hints`: the window's, with what to
    press): Backward runs `name`.backward() on this graph, with a gradient the user gives
    when the output is not a scalar (`gradient`); no `name`: nothing to run it from."""
    why = reason(error_text)
    if not hints:
        text = translate(
            "FailedBackward", "The program's backward() on line {line} failed: {reason}."
        )
    elif name and gradient:
        text = translate(
            "FailedBackward",
            "The program's backward() on line {line} failed: {reason} · Press Backward to run "
            "{name}.backward(gradient=…) on this graph, with a gradient you give.",
        )
    elif name:
        text = translate(
            "FailedBackward",
            "The program's backward() on line {line} failed: {reason} · Press Backward to run "
            "{name}.backward() on this graph for display.",
        )
    else:
        text = translate(
            "FailedBackward",
            "The program's backward() on line {line} failed: {reason} · Nothing in this graph "
            "can run backward(): fix that line to play it.",
        )
    return text.format(line=line, reason=why, name=name)


def chain_line(line: int, can_run: bool) -> str:
    """The chain-rule panel's line for the graph before a failed backward() with no steps."""
    if can_run:
        return translate(
            "FailedBackward",
            "The program's backward() on line {line} failed: press Backward to run one on "
            "this graph.",
        ).format(line=line)
    return translate(
        "FailedBackward", "The program's backward() on line {line} failed: no steps to show."
    ).format(line=line)
