"""The window's language: Qt's translators for the user's locale, installed at start-up.

`translate` is Qt's own `QCoreApplication.translate`: every visible string of the Qt code
goes through it (lupdate extracts the calls into resources/i18n/autograd_lens_*.ts; `make
translations` updates the .ts files and compiles the .qm files the app loads). `install`
loads ours for the system's locale (LANG, LC_ALL, LANGUAGE) or for the user's choice, and
Qt's own (qtbase_*.qm, which PySide6 ships: the standard buttons, file dialogs, the
editor's context menu), and points the Qt-free model's `gui.model.i18n.translate` at Qt's.
English is the source language: it needs no file. core's sentences reach the window through
`gui.model.core_text`; PyTorch's and Python's own messages stay English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gui.look.appearance import RESOURCES
from gui.model import i18n
from gui.model.playback import forget_playbacks

translate = QCoreApplication.translate
__all__ = ["QT_TRANSLATE_NOOP", "install", "language", "native_dialogs", "remove", "translate"]
FOLDER = RESOURCES / "i18n"
PREFIX = "autograd_lens"
LANGUAGES = {"system": "System", "en": "English", "es": "Español"}  # the Preferences choice


def chosen(language: str = "system") -> str | None:
    """The language code whose translation the window shows ("es"), or None for English:
    the user's choice, else the first of the system's languages (LANGUAGE, LC_ALL, LANG)
    that is English or that we have a translation for."""
    if language in LANGUAGES and language != "system":
        return None if language == "en" else language
    for tag in QLocale.system().uiLanguages():
        code = tag.replace("_", "-").split("-")[0]
        if code in ("en", "C"):
            return None
        if (FOLDER / f"{PREFIX}_{code}.qm").is_file():
            return code
    return None


QT_GAPS = (  # Qt's texts its own translation lacks (qtbase_es.qm, Qt 6.11): ours fill them in
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


def native_dialogs() -> bool:
    """Whether the desktop's own file dialogs speak the window's language: they follow the
    system's, so a language chosen in Preferences that isn't the system's gets Qt's."""
    return _chosen[0] == chosen("system")


def install(app: QCoreApplication, language: str = "system") -> list[QTranslator]:
    """Install our translator and Qt's for `language` ("system", "en", "es"); the ones that
    loaded (none for English). Call before any window is built."""
    remove(app)
    code = chosen(language)
    _chosen[0] = code
    installed = []
    ours = QTranslator(app) if code is not None else None
    if ours is not None and ours.load(str(FOLDER / f"{PREFIX}_{code}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
        qt = QTranslator(app)  # the standard dialogs' buttons (OK, Cancel, …), Qt's words
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(code), "qtbase", "_", qt_folder):
            app.installTranslator(qt)
            installed.append(qt)
    _installed[:] = installed
    i18n.set_translator(translate if installed else None)
    forget_playbacks()
    return installed


def remove(app: QCoreApplication) -> None:
    """Back to English (tests)."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    _chosen[0] = None
    i18n.set_translator(None)
    forget_playbacks()


def language() -> str:
    """The language the window shows ("es"; "en" with no translation loaded)."""
    return _installed[0].language().replace("-", "_").split("_")[0] if _installed else "en"


_installed: list[QTranslator] = []
_chosen: list[str | None] = [None]  # the language installed last (None: English)
