"""Translation for the Qt-free model: `translate(context, text)` as Qt's
`QCoreApplication.translate` is called, so `pyside6-lupdate` extracts these calls too.

It is the identity (with `%n` replaced, as Qt does) until the app points it at Qt's
translator at start-up (`gui.look.i18n.install`); tests and exports without a window get
English. Keep sentences whole: placeholders (`{name}`), never concatenated fragments.
Plurals: the window names one and many with two source texts, chosen by the count
(`"1 step"` / `"{count} steps"`), which suits English and Spanish without an English .qm;
a language with more plural forms would need Qt's `%n` (pass the count positionally,
`translate(ctx, "%n steps", None, n)`: lupdate only sees it there) and an English .qm.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str, str | None, int], str]


def _english(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return text.replace("%n", str(n)) if n >= 0 else text


_translator: Translator = _english


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the user's language (English until a translator is set)."""
    return _translator(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name: lupdate's)
    """Marks `text` for lupdate where it is defined; `translate` it where it is shown."""
    return text


def set_translator(translator: Translator | None) -> None:
    """Route `translate` through `translator` (Qt's), or back to English with None."""
    global _translator
    _translator = translator or _english
