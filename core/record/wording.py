"""core's sentences that the window shows in the user's language.

core never imports Qt and its records, exports and command-line messages stay English.
A sentence of core's that a student meets in the window (a lesson's Why line, a refusal of
the safe mode, why the graph has no layout) is defined once, as a constant, through
`QT_TRANSLATE_NOOP("core", ...)`: the identity here, but the name Qt's `pyside6-lupdate`
extracts, so `make translations` puts it in the .ts files (context "core") beside gui's
texts. Each is a whole sentence with `{placeholders}` (filled with `.format`), never a
fragment glued to others.

The window matches a message against `TEMPLATES` (`gui.model.core_text`) and shows the
translation with the same values; whatever matches none (PyTorch's own words, Python's)
stays as it was said. A module marking templates must live in core.record (the window
can import it) and be imported by `gui.model.core_text`.
"""

from __future__ import annotations

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
