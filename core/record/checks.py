"""Why the check by hand has nothing to show, or left something out, in sentences the
window translates (`core.engine.check_by_hand` fills them in; `HandCheck.note_wording`)."""

from __future__ import annotations

from core.record.wording import QT_TRANSLATE_NOOP

NO_BACKWARD = QT_TRANSLATE_NOOP("core", "No backward() ran: there is no .grad to check.")
NO_LEAF = QT_TRANSLATE_NOOP("core", "No leaf that requires grad was reached.")
NOT_RERUN = QT_TRANSLATE_NOOP("core", "The program could not be re-run: {reason}")
"""{reason}: the error's own words."""
NUDGE_FAILED = QT_TRANSLATE_NOOP("core", "A nudged re-run failed: {reason}")
LEFT_OUT = QT_TRANSLATE_NOOP("core", "{count} elements left out: the re-runs would take too long.")
NOT_THE_SAME = QT_TRANSLATE_NOOP(
    "core", "The re-run did not make the same leaves (the program is not repeatable)."
)
DIFFERENT = QT_TRANSLATE_NOOP(
    "core", "The re-run's leaves differ from the real run's (the program is not repeatable)."
)
