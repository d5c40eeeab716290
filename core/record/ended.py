"""How the worker process ended, in words the window translates (`core.process.client.
WorkerCrashed.cause_wording`): a signal's name as it is ("SIGSEGV"), or one of these."""

from __future__ import annotations

from core.record.wording import QT_TRANSLATE_NOOP

CAUSE_UNKNOWN = QT_TRANSLATE_NOOP("core", "cause unknown")
EXIT_STATUS = QT_TRANSLATE_NOOP("core", "exit status {code}")
SIGNAL_NUMBER = QT_TRANSLATE_NOOP("core", "signal {number}")
