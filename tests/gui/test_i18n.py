"""The window speaks the user's language: every visible string goes through Qt's translation
(`translate`), the Spanish translation is complete and up to date, the system's locale
picks it, and English stays the default.

Three checks that a string bypassing translation fails: the .ts holds every translatable
text of gui/ (lupdate adds none); a scan of gui/'s syntax trees finds no literal text given
to a Qt text setter without translate(); and the real window in Spanish, every menu, dock,
dialog and player caption walked, shows no English text of ours.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from core.record import layout, lessons, refusals
from core.record.wording import Wording, said
from gui.look import i18n
from gui.model import i18n as model_i18n

from .conftest import LESSON, ROOT

TS = ROOT / "resources" / "i18n" / "autograd_lens_es.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
SOURCES = sorted(str(p) for folder in ("gui", "core/record") for p in (ROOT / folder).rglob("*.py"))


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, <translation>) for every message of a .ts file."""
    root = ET.parse(ts).getroot()
    return [(c.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
            for c in root.iter("context") for m in c.iter("message")]  # fmt: skip


def spanish() -> dict[str, str]:
    """English source -> Spanish, for every message whose Spanish differs."""
    return {s: t.text or "" for _, s, t in messages(TS) if (t.text or "") != s}


def plain(text: str) -> str:
    """A text as the eye reads it: no accelerator marks (&), no tags, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
    return " ".join(text.split())


# --- 1. the translation files -------------------------------------------------------------------
def test_the_spanish_translation_is_complete():
    found = messages(TS)
    assert len(found) > 300
    assert ET.parse(TS).getroot().get("language") == "es_ES"
    for context, source, translation in found:
        assert translation is not None and translation.get("type") is None, (context, source)
        assert (translation.text or "").strip(), (context, source)
        for name in re.findall(r"\{\w*\}", source):  # every placeholder kept, none invented
            assert name in translation.text, (context, source, name)
        assert set(re.findall(r"\{\w*\}", translation.text)) <= set(
            re.findall(r"\{\w*\}", source))  # fmt: skip


def test_the_translation_is_up_to_date_with_the_sources(tmp_path):
    """lupdate over gui/ finds no text the .ts lacks, and none it holds has gone."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    done = subprocess.run([BIN / "pyside6-lupdate", "-no-obsolete", "-locations", "none",
                           *SOURCES, "-ts", str(copy)], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = {(c, s) for c, s, _ in messages(TS)}
    after = {(c, s) for c, s, _ in messages(copy)}
    assert after - before == set(), "new texts: run `make translations` and translate them"
    assert before - after == set(), "texts gone from the sources: run `make translations`"
    assert not [s for _, s, t in messages(copy) if t.get("type")], "unfinished after lupdate"


def test_the_committed_qm_is_the_compiled_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    done = subprocess.run([BIN / "pyside6-lrelease", "-silent", str(TS), "-qm", str(fresh)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert fresh.read_bytes() == QM.read_bytes(), "run `make translations` and commit the .qm"


def test_the_translations_ship_with_the_package_and_the_bundle():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"autograd_lens.resources.i18n"' in pyproject
    assert '"autograd_lens.resources.i18n" = ["*.qm", "*.ts"]' in pyproject
    spec = (ROOT / "autograd-lens.spec").read_text(encoding="utf-8")
    assert '"resources/i18n"' in spec and "qtbase_*.qm" in spec


def test_every_examples_title_is_marked_for_translation():
    from gui.window.menus import EXAMPLE_TITLES, EXAMPLES, LESSON, STEP_TITLES, example_title

    titles = {example_title(p) for p in EXAMPLES.glob("*.py") if p != LESSON}
    assert titles <= set(EXAMPLE_TITLES)
    sources = {s for c, s, _ in messages(TS) if c == "Examples"}
    assert set(EXAMPLE_TITLES) | set(STEP_TITLES.values()) <= sources


# --- 2. no literal text reaches a Qt text setter untranslated -----------------------------------
SETTERS = {  # methods whose string arguments are shown
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis",
    "setPlaceholderText", "setLabelText", "setSpecialValueText", "setSuffix", "setPrefix",
    "setFormat", "setTitle", "showMessage", "addMenu", "addAction", "addItem", "addItems",
    "addRow", "addButton", "insertItem", "setHorizontalHeaderLabels", "setVerticalHeaderLabels",
    "setTabText", "setItemText", "drawText", "setHtml", "setPlainText", "insertText",
    "setAccessibleName", "flash", "show_message", "ask_save_path", "ask_open_path",
    "warning", "question", "information", "critical", "about",
}  # fmt: skip
WIDGETS = {  # constructors whose string arguments are shown
    "QAction", "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QToolButton",
    "QDockWidget", "QGroupBox", "QProgressDialog", "QMenu", "QMessageBox", "QTableWidgetItem",
    "QListWidgetItem",
}  # fmt: skip
HELPERS = {"add", "_action", "pane", "said"}  # the app's own: add(menu, text, …)
SHOWN_ANYWAY = {"PNG", " GB"}  # literal texts that are no words of a language (formats, units)
KEY_NAMES = re.compile(r"^(?:(?:Ctrl|Alt|Shift|Meta)\+)+.+$|^(?:Esc|F\d+|Space|Home|End)$")
FILE_NAMES = {"ask_save_path": 2, "ask_open_path": 2}  # (their later argument: a file name)


def _words(node: ast.AST) -> str | None:
    """The literal words a text argument holds without translate(), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):  # f"…": its literal parts
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.BinOp):  # "a" + b
        return _words(node.left) or _words(node.right)
    elif isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("format", "replace", "strip", "join"):  # "…".format(…)
            return _words(node.func.value)
        return None
    elif isinstance(node, ast.List | ast.Tuple):
        return next((w for w in map(_words, node.elts) if w), None)
    else:
        return None
    if text in SHOWN_ANYWAY or KEY_NAMES.match(text):
        return None
    letters = re.sub(r"<[^>]*>|%\w|\{[^}]*\}|&", "", text)  # (tags, placeholders, accelerators)
    return text if re.search(r"[A-Za-z]{2,}", letters) else None


def untranslated(source: str, filename: str = "<text>") -> list[str]:
    """Where `source` gives literal words to a Qt text setter, or an f-string to translate()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("translate", "tr", "QT_TRANSLATE_NOOP"):
            text = node.args[1] if name != "tr" and len(node.args) > 1 else node.args[0]
            computed = isinstance(text, ast.Call) and isinstance(text.func, ast.Attribute)
            if (
                isinstance(text, ast.JoinedStr | ast.BinOp)
                or computed
                and text.func.attr in ("format", "replace", "join")
            ):  # lupdate can't see these; nor can translators
                found.append(f"{filename}:{node.lineno}: translate() of a computed text")
            continue
        if name not in SETTERS | WIDGETS | HELPERS:
            continue
        shown = node.args[: FILE_NAMES.get(name, len(node.args))]
        for arg in [*shown, *(k.value for k in node.keywords)]:
            words = _words(arg)
            if words:
                found.append(f"{filename}:{node.lineno}: {name}({words!r}) not translated")
    return found


def test_no_literal_text_reaches_a_qt_setter_untranslated():
    found = []
    for path in SOURCES:
        found += untranslated(Path(path).read_text(encoding="utf-8"), path)
    assert found == []


@pytest.mark.parametrize("code", [
    'label.setText("Hello there")',
    'QAction("&Open…", w)',
    'w.flash(f"Saved {path}")',
    'menu.addAction("Zoom " + name)',
    'box.setToolTip("Plays {n} steps".format(n=3))',
    'add(menu, "&New", w.new_file)',
    'translate("Menus", f"Saved {path}")',
])  # fmt: skip
def test_the_scan_finds_untranslated_text(code):
    assert untranslated(code)


@pytest.mark.parametrize("code", [
    'label.setText(translate("Menus", "Hello there"))',
    'QAction(translate("Menus", "&Open…"), w)',
    'w.flash(translate("Menus", "Saved {path}").format(path=path))',
    'label.setText(f"⚠ {problem}")',
    'button.setText("×")',
    'menu.addAction(f"&{i % 10} {shown}")',
])  # fmt: skip
def test_the_scan_lets_translated_and_wordless_text_pass(code):
    assert untranslated(code) == []


# --- 3. the window in Spanish --------------------------------------------------------------------
def english_left(texts: list[str], table: dict[str, str]) -> list[str]:
    """The texts that are (or hold) an English text of ours whose Spanish differs (core's
    marked sentences included: the lessons' Why lines, the safe mode's refusals)."""
    whole = {plain(s): plain(t) for s, t in table.items()}
    whole = {s: t for s, t in whole.items() if s != t}
    pieces = set()  # the words between a template's placeholders: "steps to go"
    for s, t in whole.items():
        for piece in re.split(r"\{\w*\}|%\w", s):
            piece = piece.strip(" ·:;,.()—→\n")
            if len(piece.split()) >= 3 and len(piece) >= 12 and piece not in t:
                pieces.add(piece)
    left = []
    for text in texts:
        seen = plain(text)
        if seen in whole or any(p in seen for p in pieces):
            left.append(text)
    return left


def visible_texts(w: QWidget) -> list[str]:
    """Every text a user can read in `w` and its children: titles, labels, buttons, tips,
    placeholders, combo items, table headers, actions (menus included)."""
    texts = [w.windowTitle(), w.toolTip(), w.statusTip()]
    for child in [w, *w.findChildren(QWidget)]:
        texts += [child.windowTitle(), child.toolTip(), child.statusTip()]
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        if isinstance(child, QPlainTextEdit):
            texts.append(child.placeholderText())
        if isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
        if isinstance(child, QTableWidget):
            texts += [child.horizontalHeaderItem(i).text() for i in range(child.columnCount())
                      if child.horizontalHeaderItem(i)]  # fmt: skip
        if isinstance(child, QDockWidget):
            texts.append(child.toggleViewAction().text())
        for action in child.actions():
            texts.extend([action.text(), action.toolTip(), action.statusTip()])
    return [t for t in texts if t]


def menu_texts(w) -> list[str]:
    texts = []

    def walk(menu: QMenu) -> None:
        menu.aboutToShow.emit()  # (Open Recent fills itself as it opens)
        texts.append(menu.title())
        for action in menu.actions():
            texts.extend([action.text(), action.toolTip(), action.statusTip()])
            if action.menu() is not None:
                walk(action.menu())

    for top in w.menuBar().actions():
        texts.append(top.text())
        walk(top.menu())
    return texts


@pytest.fixture
def in_spanish():
    app = QApplication.instance()
    loaded = i18n.install(app, "es")
    assert len(loaded) == 2, "ours and Qt's qtbase_es.qm"
    yield
    i18n.remove(app)


def test_the_window_in_spanish_shows_no_english_text_of_ours(in_spanish, make_window, qtbot):
    from gui.model.playback import playback_of
    from gui.panels.gradient_dialog import GradientDialog
    from gui.window import about, help_menu, preferences
    from gui.window.menus import ABOUT

    table = spanish()
    w = make_window(LESSON)
    assert i18n.language() == "es"
    texts = visible_texts(w) + menu_texts(w)
    assert "&Archivo" in texts and "Regla de la cadena" in texts
    c = w.controller
    for step in range(c.step_count() + 1):  # every caption, chain-rule panel and inspector
        w.player._go(step)
        for node in c.record.nodes:
            c.select(node.id)
            texts += [*w.inspector.fields.values(), w.inspector.title.text()]
        texts += [w.player.caption.text(), w.chain_panel.text(), w.status.text()]
    caption = w.player.caption.text()
    assert caption.startswith("Paso ") and "recibió" in caption, caption
    fp = w.forward_pass  # Backward → Forward Pass: a caption per statement
    fp.start()
    for k in range(playback_of(c.record).forward_count() + 1):
        texts.append(fp.show(k).caption)
    assert texts[-1].startswith("Hacia delante "), texts[-1]
    fp.finish()
    dialogs: list[QDialog] = [
        preferences.edit(w),
        about.show_about(w, i18n.translate("Menus", ABOUT)),
        help_menu.show_shortcuts(w),
        about.show_report_problem(w),
        w.chain_panel.open_check(),
        GradientDialog("o", (2,), w),
    ]
    for dialog in dialogs:
        texts += visible_texts(dialog)
    prefs = dialogs[0]
    assert {b.text() for b in prefs.buttons.buttons()} >= {"&Aceptar", "&Cancelar"} or {
        plain(b.text()) for b in prefs.buttons.buttons()
    } >= {"Aceptar", "Cancelar"}  # Qt's own
    assert "Español" in [prefs.language.itemText(i) for i in range(prefs.language.count())]
    left = english_left(texts, table)
    assert left == []
    for dialog in dialogs:
        dialog.close()


def test_a_refusal_and_presenter_mode_in_spanish(in_spanish, make_window, qtbot):
    """The trust bar, the error line, the status bar and presenter mode's caption."""
    w = make_window(LESSON)
    c = w.controller
    texts = []
    w.presenter.enter()
    w.player._go(2)
    texts += [w.presenter.caption.text(), *visible_texts(w)]
    assert w.presenter.caption.text().startswith("Paso 2/")
    w.presenter.leave()
    needs_numpy = "x = torch.ones(2, requires_grad=True)\nimport numpy as np\n"
    with qtbot.waitSignal(c.errorChanged, timeout=60_000, check_params_cb=lambda e: e is not None):
        w.load_text(needs_numpy, "test.py")
    bar = w.graph.trust_bar
    assert bar.isVisible() and bar.label.text().startswith("Línea 2: import numpy")
    texts += visible_texts(w)
    assert english_left(texts, spanish()) == []


def test_the_check_finds_english_left_over():
    table = spanish()
    assert english_left(["&File", "Save &As…"], table) == ["&File", "Save &As…"]
    assert english_left(["Before backward · no gradients yet · 6 steps to go"], table)
    assert english_left(["&Archivo", "Paso 1/6 · MulBackward0 (o) recibió ∂o/∂o = 1"], table) == []


# --- 4. which language: the system's, the user's, English by default ----------------------------
def test_english_is_the_default_and_needs_no_file(make_window):
    assert i18n.language() == "en" and i18n.chosen("en") is None
    assert model_i18n.translate("Playback", "Step {step}/{total}") == "Step {step}/{total}"
    w = make_window()
    assert [a.text() for a in w.menuBar().actions()][:2] == ["&File", "&Edit"]


def _language_at_start(env: dict[str, str], language: str = "system") -> str:
    code = ("import sys; from PySide6.QtWidgets import QApplication; "
            "from gui.look import i18n; from gui.model.i18n import translate; "
            "app = QApplication([]); i18n.install(app, sys.argv[1]); "
            "print(i18n.language(), translate('Menus', '&File'), "
            "translate('Playback', 'Step {step}/{total}'))")  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
    done = subprocess.run([sys.executable, "-c", code, language], cwd=ROOT, text=True,
                          capture_output=True, env={**clean, "QT_QPA_PLATFORM": "offscreen", **env},
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(("env", "language", "shown"), [
    ({"LANG": "es_ES.UTF-8"}, "system", "es &Archivo Paso {step}/{total}"),
    ({"LANG": "C", "LANGUAGE": "es"}, "system", "es &Archivo Paso {step}/{total}"),
    ({"LANG": "es_MX.UTF-8"}, "system", "es &Archivo Paso {step}/{total}"),
    ({"LANG": "C"}, "system", "en &File Step {step}/{total}"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "en:es"}, "system", "en &File Step {step}/{total}"),
    ({"LANG": "fr_FR.UTF-8"}, "system", "en &File Step {step}/{total}"),
    ({"LANG": "es_ES.UTF-8"}, "en", "en &File Step {step}/{total}"),
    ({"LANG": "C"}, "es", "es &Archivo Paso {step}/{total}"),
])  # fmt: skip
def test_the_locale_or_the_users_choice_picks_the_language(env, language, shown):
    assert _language_at_start(env, language) == shown


def test_the_language_setting_round_trips(settings_dir):
    from gui.window import settings

    assert settings.language() == "system"
    settings.set_language("es")
    assert settings.language() == "es"
    settings.set_language("klingon")
    assert settings.language() == "system"


# --- 5. Qt's own texts: its buttons, file dialogs and the editor's context menu ------------------
def test_pyside6_ships_qts_spanish_and_the_app_needs_nothing_more():
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_es.qm").is_file()


def test_qts_own_buttons_and_the_editors_menu_are_spanish(in_spanish, make_window):
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
    assert plain(box.button(QDialogButtonBox.StandardButton.Cancel).text()) == "Cancelar"
    assert plain(box.button(QDialogButtonBox.StandardButton.Ok).text()) == "Aceptar"
    w = make_window(LESSON)
    menu = w.editor.createStandardContextMenu()
    shown = [plain(a.text().split("\t")[0]) for a in menu.actions() if a.text()]
    assert shown == ["Deshacer", "Rehacer", "Cortar", "Copiar", "Pegar", "Borrar",
                     "Seleccionar todo"]  # fmt: skip
    menu.deleteLater()


def test_qts_file_dialog_is_spanish_gaps_included(in_spanish, qtbot):
    """Qt's Spanish lacks two of its file dialog's labels (`QT_GAPS`): ours fill them in."""
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(None, "x", str(ROOT), "Programs (*.py)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {plain(label.text()) for label in dialog.findChildren(QLabel)}
    assert {"Ver en:", "Nombre de fichero:", "Archivos de tipo:"} <= labels, labels
    buttons = {plain(b.text()) for b in dialog.findChildren(QAbstractButton)}
    assert {"Abrir", "Cancelar"} <= buttons, buttons


def test_a_language_the_system_doesnt_speak_gets_qts_file_dialogs(in_spanish):
    """The desktop's dialogs speak the system's language: with Spanish chosen on an English
    system, the window uses Qt's own (Spanish) file dialogs."""
    assert i18n.native_dialogs() == (i18n.chosen("system") == "es")


# --- 6. core's sentences: the lessons, the safe mode's refusals, the layout's fallbacks -----------
def core_marked() -> set[str]:
    """Every text core marks with QT_TRANSLATE_NOOP("core", ...), read from its sources."""
    found = set()
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "QT_TRANSLATE_NOOP"):  # fmt: skip
                assert path.parent.name == "record", f"{path}: the window can't import it"
                found.add(node.args[1].value)
    return found


def test_every_template_core_exports_has_a_spanish_translation():
    from core.record import wording
    from gui.model import core_text  # (imports every module that marks templates)

    assert core_text.MODULES
    marked = core_marked()
    assert len(marked) >= 25 and set(wording.TEMPLATES) == marked, "import it in core_text"
    table = {s: t for c, s, t in messages(TS) if c == "core"}
    for template in marked:
        spanish_text = table[template].text or ""
        assert spanish_text and spanish_text != template, template
        names = set(re.findall(r"\{\w+\}", template))
        assert set(re.findall(r"\{\w+\}", spanish_text)) == names, template


def _sigmod() -> Wording:
    return said(refusals.SUGGESTED, message=said(refusals.DOES_NOT_EXIST, name="torch.sigmod"),
                name="sigmoid")  # fmt: skip


@pytest.mark.parametrize(("sentence", "english", "spanish_text"), [
    (_sigmod(), "'torch.sigmod' does not exist. Did you mean 'sigmoid'?",
     "'torch.sigmod' no existe. ¿Quería decir 'sigmoid'?"),
    (said(refusals.IMPORT_ONLY, name="numpy"),
     "'import numpy': the safe mode imports only torch (with its nn, optim and autograd), "
     "math and random.",
     "'import numpy': el modo seguro solo importa torch (con sus nn, optim y autograd), math y "
     "random."),
    (said(refusals.MEMBER_NOT_AVAILABLE, name="numpy", kind="Tensor"),
     "'.numpy' of a Tensor is not available in the safe mode.",
     "'.numpy' de un Tensor no está disponible en el modo seguro."),
    (said(layout.TOO_BIG, what=said(layout.TOO_MANY_NODES, count="60,001"), cap="50,000"),
     "This graph is too big for Graphviz to lay out: 60,001 nodes; at most 50,000. Only the "
     "picture is missing: everything else about the program is there.",
     "Este grafo es demasiado grande para que Graphviz lo distribuya: 60,001 nodos; como mucho "
     "50,000. Solo falta el dibujo: todo lo demás del programa está ahí."),
    # Python's own words (a value, not a template) stay as they are said
    (said(refusals.SUGGESTED, message="AttributeError: 'Tensor' object has no attribute 'gard'.",
          name="grad"),
     "AttributeError: 'Tensor' object has no attribute 'gard'. Did you mean 'grad'?",
     "AttributeError: 'Tensor' object has no attribute 'gard'. ¿Quería decir 'grad'?"),
])  # fmt: skip
def test_a_wording_shows_in_spanish_with_its_values(in_spanish, sentence, english,
                                                     spanish_text):  # fmt: skip
    from gui.model.core_text import worded

    assert sentence.text == english  # core's English, made from the same data
    assert worded(sentence) == spanish_text
    assert worded(said(lessons.MODULE_MISSING, name="numpy")).startswith(
        "El módulo numpy no está instalado")  # fmt: skip


def test_a_message_without_a_wording_is_shown_as_it_is_said(in_spanish):
    """PyTorch's words, and core's English even when it reads like a template: only the data
    core sends beside a message is translated, never the message's words."""
    from core.record.language import ProgramError
    from gui.model.core_text import error_message, lesson_text

    torch_said = "RuntimeError: element 0 of tensors does not require grad and has no grad_fn"
    for text in (torch_said, "'torch.sigmod' does not exist. Did you mean 'sigmoid'?"):
        assert error_message(ProgramError(text, 2, 5)) == text
    worded_error = ProgramError.saying(_sigmod(), 2, 5)
    assert worded_error.message == "'torch.sigmod' does not exist. Did you mean 'sigmoid'?"
    assert error_message(worded_error) == "'torch.sigmod' no existe. ¿Quería decir 'sigmoid'?"
    why = lesson_text("RuntimeError: Trying to backward through the graph a second time")
    assert why is not None and why.startswith("backward() libera"), why


def test_core_text_is_english_without_a_translator():
    from gui.model.core_text import marked, worded

    assert marked(lessons.SECOND_BACKWARD) == lessons.SECOND_BACKWARD
    assert worded(_sigmod()) == _sigmod().text


def test_core_text_reads_no_message_back():
    """The window translates from the data core sends, never by matching its words: the
    module imports no `re` and calls none (`grep -nE '\\bre\\.' gui/model/core_text.py` finds
    nothing; a plain "re\\." would find "core.record")."""
    from gui.model import core_text

    source = Path(core_text.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {node.module or "", *(alias.name for alias in node.names)}
    assert "re" not in imported and "re" not in vars(core_text)
    assert not re.search(r"\bre\.", source)


@pytest.mark.parametrize(("program", "template", "spanish_text"), [
    ("import numpy\nx = numpy.ones(2)\n", refusals.IMPORT_ONLY,
     "línea 1, columna 1: 'import numpy': el modo seguro solo importa torch"),
    ("x = torch.ones(2, requires_grad=True)\ny = torch.sigmod(x)\n", refusals.SUGGESTED,
     "línea 2, columna 5: 'torch.sigmod' no existe. ¿Quería decir 'sigmoid'?"),
    ("x = torch.ones(2)\nx.gard\n", refusals.SUGGESTED,
     "línea 2, columna 1: AttributeError: 'Tensor' object has no attribute 'gard'. ¿Quería "
     "decir 'grad'?"),
    ("from torch import load\n", refusals.IN_FROM_IMPORT,
     "línea 1, columna 1: En 'from torch import load': 'torch.load' no está disponible"),
])  # fmt: skip
def test_a_refusal_from_the_worker_comes_with_its_wording_and_shows_in_spanish(
    in_spanish, worker, program, template, spanish_text
):
    from core.record.language import ProgramError
    from gui.model.failures import failure_text

    with pytest.raises(ProgramError) as caught:
        worker.evaluate(program)
    error = caught.value
    assert error.wording is not None and error.wording.template == template
    assert error.wording.text == error.message  # the English, as before
    assert failure_text(error, 10.0).startswith(spanish_text), failure_text(error, 10.0)


def test_a_typical_error_and_a_refusal_show_in_spanish(in_spanish, make_window, qtbot):
    """A second backward(): PyTorch's words as they are, the line and the Why in Spanish; a
    typo: the safe mode's refusal in Spanish, in the error line and the editor's tip."""
    w = make_window(LESSON)
    c = w.controller
    twice = "x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()\n"
    with qtbot.waitSignal(c.errorChanged, timeout=60_000, check_params_cb=lambda e: e is not None):
        w.load_text(twice, "test.py")
    shown = w.error_line.text()
    assert shown.startswith("⚠ línea 4, columna 1: RuntimeError: Trying to backward"), shown
    assert "\nPor qué: backward() libera los tensores guardados del grafo" in shown, shown
    typo = "x = torch.ones(2, requires_grad=True)\ny = torch.sigmod(x)\n"
    with qtbot.waitSignal(c.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None and e.line == 2):  # fmt: skip
        w.load_text(typo, "test.py")
    shown = w.error_line.text()
    assert "línea 2, columna 5: 'torch.sigmod' no existe. ¿Quería decir 'sigmoid'?" in shown
    assert english_left(visible_texts(w), spanish()) == []


def test_a_skipped_jupyter_line_is_said_in_spanish(in_spanish, make_window):
    """`%matplotlib inline` pasted from a notebook: its cell in the transcript says, in
    Spanish, that it was skipped (the record's note is English, for exports)."""
    w = make_window("%matplotlib inline\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    cell = w.transcript.cells[0]
    assert (cell.number, cell.code, cell.first_line) == (1, "%matplotlib inline", 1)
    assert cell.outputs == ["Línea 1: %matplotlib inline es una orden de Jupyter; se omite."]
    assert w.transcript.cells[1].code == "x = torch.ones(2, requires_grad=True)"
    assert w.controller.record is not None and w.controller.error is None


# --- 7. core's rarer sentences: refusals, limits, syntax errors, files, sessions, Graphviz ------
@pytest.mark.parametrize(("program", "english", "spanish_text"), [
    ("async def f():\n    pass\n",
     "Async functions are not part of the safe mode.",
     "línea 1, columna 1: Las funciones async no forman parte del modo seguro."),
    ("x = input()\n",
     "'input' is not allowed in the safe mode: it waits for keyboard input.",
     "línea 1, columna 5: 'input' no está permitido en el modo seguro: espera a que se escriba en "
     "el teclado."),
    ("for i in range(10**6):\n    pass\n",
     "ValueError: range of 1,000,000 is too large (at most 100,000)",
     "línea 1, columna 10: ValueError: un range de 1,000,000 es demasiado grande (como mucho "
     "100,000)"),
    ("x = 2 ** 10 ** 6\n",
     "This number would be too large (about 1,000,001 bits).",
     "línea 1, columna 5: Este número sería demasiado grande (unos 1,000,001 bits)."),
    ("s = 'a' * 10**7\n",
     "This str would be too large (10,000,000 items; at most 1,000,000).",
     "línea 1, columna 5: Este str sería demasiado grande (10,000,000 elementos; como mucho "
     "1,000,000)."),
    ("x = torch.ones(2)\ny = (x\n",  # Python's own words stay as they are
     "Python syntax error: '(' was never closed.",
     "línea 2, columna 5: Error de sintaxis de Python: '(' was never closed."),
    ("print(1, file=None)\n",
     "print(..., file=...) is not allowed; print writes to the transcript only.",
     "línea 1, columna 1: print(..., file=...) no está permitido; print solo escribe en la "
     "transcripción."),
    ("from torch import *\n",
     "'from torch import *' is not allowed in the safe mode.",
     "línea 1, columna 1: 'from torch import *' no está permitido en el modo seguro."),
    ("x = torch.ones(2)\ntorch.sum = 3\n",
     "'torch.sum' can't be assigned to (a module's members are fixed).",
     "línea 2, columna 1: No se puede asignar a 'torch.sum' (los miembros de un módulo son "
     "fijos)."),
    ("x = torch.ones(2, dtype=torch.complex64)\nx\n",
     "Complex tensors can't be shown yet (this one is complex64): use real tensors, e.g. the real "
     "and imaginary parts.",
     "línea 1, columna 5: Los tensores complejos aún no se pueden mostrar (este es complex64): use "
     "tensores reales, p. ej. las partes real e imaginaria."),
    ("def f():\n    return f()\nf()\n",
     "The program nests too deeply (too many calls inside calls).",
     "línea 2, columna 5: El programa anida demasiado (demasiadas llamadas dentro de llamadas)."),
    ("x = list(range(50_000)) * 50\n",
     "This list would be too large (2,500,000 items; at most 1,000,000).",
     "línea 1, columna 5: Este list sería demasiado grande (2,500,000 elementos; como mucho "
     "1,000,000)."),
])  # fmt: skip
def test_a_rarer_refusal_from_the_worker_shows_in_spanish_and_its_english_is_unchanged(
    qapp, in_spanish, worker, program, english, spanish_text
):
    """Real programs a teacher may paste, refused or failing in the worker: the message is the
    English it always was, and its wording (data, not the English read back) shows in Spanish."""
    from core.record.language import ProgramError
    from gui.model.failures import failure_text

    with pytest.raises(ProgramError) as caught:
        worker.evaluate(program)
    error = caught.value
    assert error.message == english
    assert error.wording is not None and error.wording.text == english
    assert failure_text(error, 10.0).startswith(spanish_text), failure_text(error, 10.0)


def test_a_rarer_refusal_shows_in_spanish_in_the_window(in_spanish, make_window, qtbot):
    """The app's whole path: the editor's text, the worker, the error line."""
    w = make_window(LESSON)
    with qtbot.waitSignal(w.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        w.load_text("async def f():\n    pass\n", "test.py")
    shown = w.error_line.text()
    assert "línea 1, columna 1: Las funciones async no forman parte del modo seguro." in shown
    assert english_left(visible_texts(w), spanish()) == []


def test_every_refused_name_and_construct_has_its_sentence():
    from core.engine import allowlist, policy

    assert set(allowlist.FORBIDDEN_NAMES.values()) <= set(refusals.FORBIDDEN_WHY)
    assert set(policy._REFUSED.values()) == set(refusals.REFUSED_CONSTRUCTS)
    for what, template in refusals.REFUSED_CONSTRUCTS.items():  # the English as it was
        assert template == f"{what.capitalize()} are not part of the safe mode."


def test_a_bad_session_and_an_unreadable_file_are_said_in_spanish(in_spanish, make_window,
                                                                   tmp_path):  # fmt: skip
    """Opening a session that isn't one, a newer one, and a folder: the window's message is
    Spanish; the errors' English is as before."""
    from core.record import files, session_file
    from gui.window import sessions

    w = make_window(LESSON)
    cases = [
        ("broken.alens", "{", "This is not a session file, or it is cut short (expecting "
         "property name enclosed in double quotes at line 1, column 2).",
         "No se puede abrir broken.alens: Esto no es un archivo de sesión, o está cortado "
         "(expecting property name enclosed in double quotes at line 1, column 2)."),
        ("newer.alens", '{"format": "autograd-lens-session/7"}',
         "This session was made by a newer version of Autograd Lens (format 7); this version "
         "opens format 1. Update the app to open it.",
         "No se puede abrir newer.alens: Esta sesión se hizo con una versión más nueva de "
         "Autograd Lens (formato 7); esta versión abre el formato 1. Actualice la aplicación "
         "para abrirla."),
        ("theme.alens", '{"format": "autograd-lens-session/1", "program": "x = 1\\n", '
         '"view": {"theme": "pink"}}', None,
         "No se puede abrir theme.alens: El \"theme\" de la sesión debe ser uno de estos: "),
    ]  # fmt: skip
    for name, text, english, spanish_text in cases:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(session_file.SessionError) as caught:
            session_file.load(path)
        if english is not None:
            assert str(caught.value) == english
        assert caught.value.wording is not None
        w.answers["messages"].clear()
        assert sessions.open_session_path(w, path) is False
        (_, said), = w.answers["messages"]  # fmt: skip
        assert said.startswith(spanish_text), said
    folder = tmp_path / "lesson.py"
    folder.mkdir()
    with pytest.raises(files.FileRefused) as refused:
        files.read_text(folder)
    assert str(refused.value) == "Can't read lesson.py: it is a folder, not a file."
    w.answers["messages"].clear()
    assert w.open_path(folder) is False
    assert w.answers["messages"] == [
        (
            "No se puede abrir el archivo",
            "No se puede leer lesson.py: es una carpeta, no un archivo.",
        )
    ]


def test_graphvizs_failures_are_said_in_spanish(qapp, in_spanish):
    from gui.model.core_text import worded

    failed = layout._dot_failure(1, b"Error: <stdin>: syntax error in line 1 near '{'\n")
    assert (
        failed.text
        == "Graphviz dot failed (exit 1): Error: <stdin>: syntax error in line 1 near '{'."
    )
    assert worded(failed) == (
        "El dot de Graphviz falló (exit 1): Error: <stdin>: syntax error in line 1 near '{'."
    )
    killed = layout._dot_failure(-9, b"")
    assert killed.text == (
        f"Graphviz dot failed (SIGKILL). It may have run out of memory: it may use "
        f"{layout.LAYOUT_MEMORY / 2**30:.1f} GiB, and a graph this big can need more."
    )
    assert worded(killed).startswith(
        "El dot de Graphviz falló (SIGKILL). Puede que se haya quedado sin memoria: puede usar "
    )


@pytest.mark.parametrize(("returncode", "english", "spanish_cause"), [
    (3, "exit status 3", "estado de salida 3"),
    (None, "cause unknown", "causa desconocida"),
    (-11, "SIGSEGV", "SIGSEGV"),  # a signal's name, as it is
    (-99, "signal 99", "señal 99"),
])  # fmt: skip
def test_how_the_worker_ended_is_said_in_spanish(qapp, in_spanish, returncode, english,
                                                  spanish_cause):  # fmt: skip
    from core.process.client import WorkerCrashed
    from gui.model.failures import failure_text

    crashed = WorkerCrashed("The worker process crashed.", returncode=returncode)
    assert crashed.cause == english
    assert failure_text(crashed, 10.0) == (
        f"El proceso trabajador falló ({spanish_cause}); se ha reiniciado. Su texto está a salvo."
    )


def test_the_check_by_hands_note_is_said_in_spanish(qapp, in_spanish):
    """A program with no backward(): the record's note is the English it was (exports), the
    Check by Hand panel's summary Spanish; the JSON form has no wording in it."""
    from core.engine.evaluate import run_program
    from core.record.graph import GraphRecord
    from gui.panels.hand_check import summary

    record = run_program("x = torch.ones(2, requires_grad=True)\ny = x * 2\n", check=True).record
    check = record.check
    assert check is not None
    assert check.note == "No backward() ran: there is no .grad to check."
    assert summary(check) == "No se ejecutó ningún backward(): no hay .grad que comprobar."
    again = GraphRecord.from_json(record.to_json())
    assert again.check is not None and again.check.note == check.note
    assert "note_wording" not in record.to_json()


def test_cores_transcript_note_is_said_in_spanish_and_pytorchs_warning_as_it_is(
    qapp, in_spanish, worker
):
    """is_grads_batched=True: the worker's record keeps the English note (exports), the
    window's transcript cell says it in Spanish; a warning PyTorch gives stays as it is."""
    from gui.panels.transcript import cells_of

    record = worker.evaluate(
        "x = torch.randn(3, requires_grad=True)\ny = x * 2\n"
        "(g,) = torch.autograd.grad(y, x, torch.eye(3), is_grads_batched=True)\n"
    )
    (note,) = [e for e in record.transcript if e.kind == "note"]
    assert note.text.startswith("Note: torch.autograd.grad(..., is_grads_batched=True) computes")
    assert "wording" not in record.to_json()
    assert cells_of(record)[2].outputs == [
        "Nota: torch.autograd.grad(..., is_grads_batched=True) calcula muchos gradientes a la "
        "vez (con vmap): su resultado es el de PyTorch, pero sus pasos de backward no se muestran."
    ]
