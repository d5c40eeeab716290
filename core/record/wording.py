"""core's sentences that the window shows in the user's language.

core never imports Qt and its records, exports and command-line messages stay English.
A sentence of core's that a student meets in the window (a lesson's Why line, a refusal of
the safe mode, why the graph has no layout) is defined once, as a constant, through
`QT_TRANSLATE_NOOP("core", ...)`: the identity here, but the name Qt's `pyside6-lupdate`
extracts, so `make translations` puts it in the .ts files (context "core") beside gui's
texts. Each is a whole sentence with `{placeholders}`, never a fragment glued to others.

Where core fills one in it keeps the data beside the English: `said(TEMPLATE, name=...)`
is a `Wording` (the template and its values, a value itself a string or a Wording), whose
`.text` is the English sentence. A `ProgramError` carries its wording, the worker's reply
carries it as plain tuples (`plain`, `from_plain`), and a record carries why it has no
layout (`GraphRecord.layout_wording`); the window (`gui.model.core_text`) translates the
template and fills it with the values, never reading the English back. A message with no
wording (PyTorch's or Python's own words, core's internal failures) is shown as it is said.
A module marking templates must live in core.record (the window can import it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

CONTEXT = "core"
TEMPLATES: list[str] = []
"""Every sentence marked so far, in the order marked."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (lupdate looks for it)
    """Mark `text` as one of core's sentences the window translates; it is returned as is."""
    if context != CONTEXT:
        raise ValueError(f"core's sentences are in the context {CONTEXT!r}, not {context!r}")
    if text not in TEMPLATES:
        TEMPLATES.append(text)
    return text


@dataclass(frozen=True)
class Wording:
    """One of core's marked sentences as data: its template and the values filling it
    (in order; a value is a string, already written as it is shown, or a Wording)."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()

    @property
    def text(self) -> str:
        """The sentence in English, as core says it everywhere."""
        return self.template.format(**{k: text_of(v) for k, v in self.values})


Value: TypeAlias = "str | Wording"
Plain: TypeAlias = tuple[str, tuple[tuple[str, Any], ...]]
"""A Wording as plain tuples (what the worker's reply carries): (template, ((name, value
or a nested Plain), ...))."""


def said(template: str, **values: Value) -> Wording:
    """The wording of `template` (a marked sentence) filled with `values`."""
    return Wording(template, tuple(values.items()))


def text_of(value: Value) -> str:
    """A value as English: a string as it is, a Wording's text."""
    return value.text if isinstance(value, Wording) else value


def plain(wording: Wording | None) -> Plain | None:
    """The wording as plain tuples and strings (picklable, nothing to import), or None."""
    if wording is None:
        return None
    values = tuple((k, plain(v) if isinstance(v, Wording) else v) for k, v in wording.values)
    return (wording.template, values)


def from_plain(data: Any) -> Wording | None:
    """The Wording `plain` made, or None for None or anything not shaped like one."""
    if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], str)):
        return None
    template, values = data
    if not isinstance(values, tuple):
        return None
    kept: list[tuple[str, Value]] = []
    for pair in values:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            return None
        name, value = pair
        if not isinstance(value, str):
            value = from_plain(value)
            if value is None:
                return None
        kept.append((name, value))
    return Wording(template, tuple(kept))


def python_error(kind: type[Exception], sentence: Wording) -> Exception:
    """Python's exception `kind` for one of core's sentences written as Python writes an
    error ("ValueError: range of ... is too large"): its message is the text after the
    "ValueError: ", its `wording` the sentence (the interpreter, finding the program's error
    says exactly that, keeps it: `core.engine.interpreter`)."""
    text = sentence.text
    prefix = f"{kind.__name__}: "
    error = kind(text.removeprefix(prefix))
    if text.startswith(prefix):
        error.wording = sentence  # type: ignore[attr-defined]
    return error
