"""Plain words for an evaluation that did not finish: stopped, out of time, or crashed.

The worker's exceptions carry what is known as data (the line that was running, the
process's return code); this module turns them into the one sentence the window shows,
reading those fields, never the exceptions' own text.
"""

from __future__ import annotations

from core.process.client import EvaluationStopped, EvaluationTimeout, WorkerCrashed, WorkerError
from core.process.protocol import LAYOUT
from core.record.language import ProgramError
from core.record.lessons import explain


def failure_text(error: Exception, time_limit: float) -> str:
    """What to tell the user about `error`; a program's own error is its message."""
    if isinstance(error, EvaluationStopped):
        return "Stopped. Your text is unchanged; edit it to run it again."
    if isinstance(error, EvaluationTimeout):
        line = running_line(error)
        at = f" at line {line}" if line else ""
        if error.line == LAYOUT:
            at = " while laying out the graph (it is very big)"
        return (
            f"Stopped after {time_limit:g} s{at}: the program ran too long. "
            "Make it smaller, or raise the time limit."
        )
    if isinstance(error, WorkerCrashed):
        return (
            f"The worker process crashed ({crash_cause(error)}); it has been restarted. "
            "Your text is safe."
        )
    lesson = explain(error.message) if isinstance(error, ProgramError) else None
    return f"{error}\nWhy: {lesson}" if lesson else str(error)


def running_line(error: Exception) -> int | None:
    """The program line that was running when the worker was stopped, if it said."""
    line = error.line if isinstance(error, WorkerError) else None
    return line if line is not None and line > 0 else None


def crash_cause(error: WorkerCrashed) -> str:
    """'SIGSEGV', 'exit status 3', or 'cause unknown': how the worker process ended."""
    return error.cause


def why_out_of_date(error: Exception) -> str:
    """Why the graph shown is not the text's, for the banner over it."""
    if isinstance(error, ProgramError):
        return f"line {error.line} has an error"
    if isinstance(error, EvaluationStopped):
        return "the run was stopped"
    if isinstance(error, EvaluationTimeout):
        return "the run hit the time limit"
    if isinstance(error, WorkerCrashed):
        return "the worker crashed"
    return "the last run did not finish"


def ran_out_in_layout(error: Exception) -> bool:
    """Whether the time limit struck while Graphviz was laying the graph out (the program
    itself had finished)."""
    return isinstance(error, EvaluationTimeout) and error.line == LAYOUT
