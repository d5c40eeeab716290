"""Plain words for an evaluation that did not finish: stopped, out of time, or crashed.

The worker's exceptions carry what is known as data (the line that was running, the
process's return code); this module turns them into the one sentence the window shows,
reading those fields, never the exceptions' own text.
"""

from __future__ import annotations

from core.process.client import EvaluationStopped, EvaluationTimeout, WorkerCrashed, WorkerError
from core.process.protocol import LAYOUT
from core.record.language import ProgramError
from core.record.wording import Wording
from gui.model.core_text import error_message, lesson_text, worded
from gui.model.i18n import translate


def failure_text(error: Exception, time_limit: float) -> str:
    """What to tell the user about `error`; a program's own error is its message."""
    if isinstance(error, EvaluationStopped):
        return translate("Failures", "Stopped. Your text is unchanged; edit it to run it again.")
    if isinstance(error, EvaluationTimeout):
        line = running_line(error)
        if error.line == LAYOUT:
            text = translate(
                "Failures",
                "Stopped after {seconds} s while laying out the graph (it is very big): the "
                "program ran too long. Make it smaller, or raise the time limit.",
            )
        elif line:
            text = translate(
                "Failures",
                "Stopped after {seconds} s at line {line}: the program ran too long. Make it "
                "smaller, or raise the time limit.",
            )
        else:
            text = translate(
                "Failures",
                "Stopped after {seconds} s: the program ran too long. Make it smaller, or raise "
                "the time limit.",
            )
        return text.format(seconds=f"{time_limit:g}", line=line)
    if isinstance(error, WorkerCrashed):
        return translate(
            "Failures",
            "The worker process crashed ({cause}); it has been restarted. Your text is safe.",
        ).format(cause=crash_cause(error))
    if not isinstance(error, ProgramError):
        return str(error)
    said = program_error_text(error)
    lesson = lesson_text(error.message, error.folder)
    if lesson:  # the program's own error (PyTorch's words), then the lesson behind it
        return translate("Failures", "{error}\nWhy: {lesson}").format(error=said, lesson=lesson)
    return said


def program_error_text(error: ProgramError) -> str:
    """Where the program's error is and what it says: the safe mode's refusals and core's
    other sentences in the user's language, PyTorch's and Python's own words as they are."""
    where = translate("Failures", "line {line}, column {col}: {message}").format(
        line=error.line, col=error.col, message=error_message(error)
    )
    return where + calls_text(error.calls)


def calls_text(calls: tuple[tuple[str, int], ...]) -> str:
    """How an error inside the program's functions was reached, innermost first:
    " (in linreg(), called from line 10)"; "" at the module level."""
    if not calls:
        return ""
    parts = [
        translate("Failures", "in {function}(), called from line {line}").format(
            function=function, line=line
        )
        for function, line in reversed(calls)
    ]
    return " (" + "; ".join(parts) + ")"


def running_line(error: Exception) -> int | None:
    """The program line that was running when the worker was stopped, if it said."""
    line = error.line if isinstance(error, WorkerError) else None
    return line if line is not None and line > 0 else None


def crash_cause(error: WorkerCrashed) -> str:
    """'SIGSEGV', 'exit status 3', or 'cause unknown': how the worker process ended (in the
    user's language; a signal's name as it is)."""
    cause = error.cause_wording
    return worded(cause) if isinstance(cause, Wording) else cause


def why_out_of_date(error: Exception) -> str:
    """Why the graph shown is not the text's, for the banner over it."""
    if isinstance(error, ProgramError):
        return translate("Failures", "line {line} has an error").format(line=error.line)
    if isinstance(error, EvaluationStopped):
        return translate("Failures", "the run was stopped")
    if isinstance(error, EvaluationTimeout):
        return translate("Failures", "the run hit the time limit")
    if isinstance(error, WorkerCrashed):
        return translate("Failures", "the worker crashed")
    return translate("Failures", "the last run did not finish")


def ran_out_in_layout(error: Exception) -> bool:
    """Whether the time limit struck while Graphviz was laying the graph out (the program
    itself had finished)."""
    return isinstance(error, EvaluationTimeout) and error.line == LAYOUT
