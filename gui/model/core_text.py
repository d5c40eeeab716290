"""core's sentences in the user's language, from the data core sends beside its English.

core (no Qt) writes its messages in English. Where a message is one of its marked sentences
(`core.record.wording`: the lessons' Why lines, the safe mode's refusals and limits, why a
file or session can't be opened, why the graph has no layout) core keeps the same sentence
as data: a `Wording`, the template and its values. It comes as a ProgramError's `wording`
(through the worker's reply), a SessionError's or FileRefused's `wording`, a record's
`layout_wording`, or `core.record.lessons.lesson` (made here from PyTorch's message).
`worded` translates the template (context "core") and fills it with the values, themselves
translated when they are wordings too ("{message} Did you mean '{name}'?"). A message with
no wording (PyTorch's or Python's own words, core's internal failures) is shown as it is said:
nothing here reads an English message back.
"""

from __future__ import annotations

from core.record import (
    checks,
    ended,
    files,
    language,
    layout,
    lessons,
    notes,
    refusals,
    session_file,
    wording,
)
from core.record.graph import GraphRecord, HandCheck
from core.record.wording import Wording, said
from gui.model.i18n import translate

MODULES = (
    lessons,
    layout,
    refusals,
    language,
    files,
    session_file,
    ended,
    checks,
    notes,
)  # every core.record module that marks templates


def worded(sentence: Wording) -> str:
    """The sentence in the user's language (English without a translator)."""
    values = {k: worded(v) if isinstance(v, Wording) else v for k, v in sentence.values}
    try:
        return translate(wording.CONTEXT, sentence.template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation naming other values: English
        return sentence.text


def marked(template: str) -> str:
    """One of core's marked sentences that has no values (`lessons.SCALAR_RULE`), translated."""
    return worded(said(template))


def error_message(error: Exception) -> str:
    """What an error says: in the user's language when core sent its wording, else as said."""
    sentence = getattr(error, "wording", None)
    if isinstance(sentence, Wording):
        return worded(sentence)
    return getattr(error, "message", None) or str(error)


def lesson_text(message: str, folder: str | None = None) -> str | None:
    """The lesson behind PyTorch's `message` (`lessons.lesson`; `folder`: where a trusted
    program ran), translated, or None."""
    found = lessons.lesson(message, folder)
    return None if found is None else worded(found)


def layout_reason(record: GraphRecord) -> str | None:
    """Why the record has no layout, translated when core sent the wording, or None."""
    if record.layout_wording is not None:
        return worded(record.layout_wording)
    return record.layout_error


def hand_check_note(check: HandCheck) -> str:
    """Why the check by hand has nothing to show or left something out, translated when core
    sent the wording ("" for no note)."""
    if check.note_wording is not None:
        return worded(check.note_wording)
    return check.note
