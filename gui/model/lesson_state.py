"""What the lesson commands have asked of the shown program: lines appended after it
(Backward again, Zero grad), tensors to retain_grad() (by the span that made them), and
whether constants are drawn. Plain data; the controller sends it with each evaluation.

Editing the text forgets the lines and the spans (they belonged to the old text);
"Show constants" is a display setting and stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.record.graph import GraphRecord, Span
from core.record.lessons import ZERO_GRAD
from core.record.session_file import Lesson
from gui.model.added_backward import accumulation_note


@dataclass
class LessonState:
    lines: list[str] = field(default_factory=list)  # appended after the program, in order
    retained: set[Span] = field(default_factory=set)
    show_constants: bool = False
    pending: int = 0  # how many of `lines` the evaluation in flight added

    def forget(self) -> None:
        """A new or edited text: nothing added, nothing retained."""
        self.lines, self.retained, self.pending = [], set(), 0

    def add(self, lines: list[str]) -> None:
        self.lines += lines
        self.pending = len(lines)

    def settle(self) -> None:
        """The evaluation with the pending lines succeeded: they stay."""
        self.pending = 0

    def undo_last(self) -> str | None:
        """Drop the lines whose evaluation failed; the first of them, or None if none was
        pending (then something else failed: the added backward itself)."""
        if not self.pending:
            return None
        failed = self.lines[-self.pending :]
        del self.lines[-self.pending :]
        self.pending = 0
        return failed[0]

    def snapshot(self, backward: bool, gradient: str | None) -> Lesson:
        """What a session keeps of it (`backward`, `gradient`: the controller's added
        backward() call, and the gradient given to it)."""
        return Lesson(
            retain_grad=tuple(sorted(self.retained)),
            show_constants=self.show_constants,
            backward=backward,
            gradient=gradient,
            lines=tuple(self.lines[: len(self.lines) - self.pending]),
        )

    def restore(self, lesson: Lesson) -> None:
        """A session's lesson, as if its commands had just been given and had worked."""
        self.lines, self.pending = list(lesson.lines), 0
        self.retained = set(lesson.retain_grad)
        self.show_constants = lesson.show_constants

    def toggle_retain(self, span: Span) -> None:
        self.retained ^= {tuple(span)}  # type: ignore[arg-type]

    def options(self) -> dict[str, Any]:
        """The worker options for the shown program."""
        options: dict[str, Any] = {}
        if self.retained:
            options["retain_grad"] = sorted(self.retained)
        if self.show_constants:
            options["show_constants"] = True
        if any(".backward(" in line for line in self.lines):  # Backward Again: every
            options["retain_graph"] = True  # backward() before it keeps its graph
        return options

    def note(self, record: GraphRecord) -> str:
        """What the added lines did, in the player's note ("" when none were added)."""
        if not self.lines:
            return ""
        runs: list[list] = []  # consecutive repeats: [line, count]
        for line in self.lines:
            if runs and runs[-1][0] == line:
                runs[-1][1] += 1
            else:
                runs.append([line, 1])
        calls = "; ".join(line + (f" (×{n})" if n > 1 else "") for line, n in runs)
        parts = [f"Then added {calls}; your text is unchanged."]
        zeroed = any(line.endswith(".grad = None") for line in self.lines)
        if zeroed:
            parts.append(ZERO_GRAD)
        accumulated = accumulation_note(record)
        if accumulated:
            parts.append(accumulated if zeroed else "Gradients accumulate: " + accumulated)
        return " ".join(parts)
