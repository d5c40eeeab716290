"""What the lesson commands have asked of the shown program: lines appended after it
(Backward again, Zero grad), tensors to retain_grad() (by the span that made them), and
whether constants are drawn. Plain data; the app's state sends it with each request (the
lines as the worker wrote them, from the last answer).

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
from gui.model.core_text import marked
from gui.model.i18n import translate


@dataclass
class LessonState:
    lines: list[str] = field(default_factory=list)  # the worker added after the program
    retained: set[Span] = field(default_factory=set)
    show_constants: bool = False

    def forget(self) -> None:
        """A new or edited text: nothing added, nothing retained."""
        self.lines, self.retained = [], set()

    def snapshot(self, backward: bool, gradient: str | None) -> Lesson:
        """What a session keeps of it (`backward`, `gradient`: the controller's added
        backward() call, and the gradient given to it)."""
        return Lesson(
            retain_grad=tuple(sorted(self.retained)),
            show_constants=self.show_constants,
            backward=backward,
            gradient=gradient,
            lines=tuple(self.lines),  # what the worker added (a failed line is not kept)
        )

    def restore(self, lesson: Lesson) -> None:
        """A session's lesson, as if its commands had just been given and had worked."""
        self.lines = list(lesson.lines)  # the worker adds them again, with the next request
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
        parts = [
            translate("LessonState", "Then added {calls}; your text is unchanged.").format(
                calls=calls
            )
        ]
        zeroed = any(line.endswith(".grad = None") for line in self.lines)
        if zeroed:
            parts.append(marked(ZERO_GRAD))
        accumulated = accumulation_note(record)
        if accumulated:
            parts.append(
                accumulated
                if zeroed
                else translate("LessonState", "Gradients accumulate: {note}").format(
                    note=accumulated
                )
            )
        return " ".join(parts)
