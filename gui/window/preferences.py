"""Edit → Preferences…: the settings that stay between runs (`gui.window.settings`), and putting
them into a window.

`restore` applies the stored settings and the last geometry and dock layout when the app
starts; `remember` stores the window's look and layout when it quits (themes, text size
and display toggles changed from the View menu stay too); the dialog edits every setting
and has "Reset to defaults", and the programs trusted to run as plain Python can be
forgotten there. A session file's time limit and look apply to that session only: they
are not stored as preferences.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QLocale
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.process.client import default_memory_limit
from core.record.session_file import TIME_LIMIT_RANGE
from gui.look.appearance import TEXT_SCALES
from gui.look.i18n import LANGUAGES, QT_TRANSLATE_NOOP, translate
from gui.model.theme import THEME_CHOICES
from gui.window import settings
from gui.window.interface import Window
from gui.window.settings import Preferences

GB = 1 << 30
THEME_LABELS = {  # View → Theme and Preferences name the themes so
    "light": QT_TRANSLATE_NOOP("Preferences", "Light"),
    "dark": QT_TRANSLATE_NOOP("Preferences", "Dark"),
    "high contrast": QT_TRANSLATE_NOOP("Preferences", "High contrast"),
    "system": QT_TRANSLATE_NOOP("Preferences", "System"),
}


def theme_label(name: str) -> str:
    """A theme's name as the menu and the dialog show it ("Light", "Claro")."""
    return translate("Preferences", THEME_LABELS.get(name, name.capitalize()))


def memory_bytes(p: Preferences) -> int:
    """The worker's memory limit for `p` (its default: half the physical memory)."""
    return default_memory_limit() if p.memory_limit is None else p.memory_limit


def current(w: Window) -> Preferences:
    """The preferences the window runs with now."""
    c = w.controller
    memory = c.evaluator.worker.memory_limit
    return Preferences(
        theme=w.theme_choice,
        text_scale=w.text_scale,
        time_limit=c.time_limit,
        memory_limit=None if memory == default_memory_limit() else memory,
        show_values=c.show_values,
        show_saved=c.show_saved,
        show_attrs=c.show_attrs,
    )


def apply(w: Window, p: Preferences, starting: bool = False) -> None:
    """Put `p` into the window. `starting`: nothing is evaluated yet, so only set the
    options (the first program is evaluated with them); else changed options re-evaluate."""
    c = w.controller
    if p.theme != w.theme_choice:
        w.set_theme(p.theme)
    w.menu_actions.themes[p.theme].setChecked(True)
    _set_text_scale(w, p.text_scale)
    c.set_time_limit(p.time_limit)
    c.evaluator.worker.memory_limit = memory_bytes(p)  # from the next evaluation on
    if starting:
        c.show_values, c.show_saved, c.show_attrs = p.show_values, p.show_saved, p.show_attrs
        w.scene.set_show_values(p.show_values)
    else:
        c.set_graph_options(p.show_saved, p.show_attrs)
        w.set_show_values(p.show_values)
    w.menu_actions.values.setChecked(p.show_values)
    for name, action in w.menu_actions.graph_options.items():
        action.setChecked(getattr(p, name))


def _set_text_scale(w: Window, scale: float) -> None:
    """Step the window's text size to the allowed scale nearest `scale`."""
    target = min(TEXT_SCALES, key=lambda s: abs(s - scale))
    for _ in TEXT_SCALES:
        if w.text_scale == target:
            break
        w.scale_text(1 if target > w.text_scale else -1)


def restore(w: Window) -> None:
    """At start: the stored preferences, and the window where and as it was left."""
    apply(w, settings.load_preferences(), starting=True)
    geometry, state = settings.window_layout()
    if geometry is not None:
        w.restoreGeometry(geometry)
        w.fit_on_screen()  # (saved on a bigger monitor: brought onto this one)
    if state is not None:
        w.restoreState(state)


def remember(w: Window) -> None:
    """At quit: the window's look and layout (limits are stored by the dialog only)."""
    now = current(w)
    settings.update_preferences(
        theme=now.theme,
        text_scale=now.text_scale,
        show_values=now.show_values,
        show_saved=now.show_saved,
        show_attrs=now.show_attrs,
    )
    settings.save_window_layout(w.saveGeometry(), w.saveState())


def add_graph_toggles(w: Window, menu: QMenu) -> dict[str, QAction]:
    """View → Show Saved Tensors / Show grad_fn Attributes (torchviz's make_dot options);
    their actions, by option name."""
    actions = {}
    for name, text in (
        ("show_saved", translate("Preferences", "Show Sa&ved Tensors")),
        ("show_attrs", translate("Preferences", "Show grad_fn &Attributes")),
    ):
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(getattr(w.controller, name))
        action.toggled.connect(partial(_toggle, w, name))
        actions[name] = action
    return actions


def _toggle(w: Window, name: str, on: bool) -> None:
    c = w.controller
    options = {"show_saved": c.show_saved, "show_attrs": c.show_attrs, name: on}
    c.set_graph_options(**options)


class PreferencesDialog(QDialog):
    """The settings as a form; OK applies and stores them, Reset to Defaults fills in the
    defaults (OK then applies those)."""

    def __init__(self, parent: QWidget, p: Preferences) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Preferences", "Preferences"))
        self.setObjectName("preferences")
        form = QFormLayout()
        self._make_fields()
        self._add_look_rows(form)
        self._add_limit_rows(form)
        form.addRow(translate("Preferences", "Show:"), self.show_values)
        form.addRow("", self.show_saved)
        form.addRow("", self.show_attrs)
        form.addRow(translate("Preferences", "Trusted:"), self._trusted_row())
        self._show_trusted()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.RestoreDefaults
            | QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.reset_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.reset_button.clicked.connect(self._restore_defaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self.set_values(p)
        self.language.setCurrentIndex(self.language.findData(settings.language()))

    def _make_fields(self) -> None:
        """The editable fields, empty: `set_values` fills them."""
        self.theme = QComboBox()
        for name in THEME_CHOICES:
            self.theme.addItem(theme_label(name), name)
        self.text_scale = QComboBox()
        for s in TEXT_SCALES:
            self.text_scale.addItem(f"{s:.0%}", s)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():  # each language in its own words
            self.language.addItem(
                translate("Preferences", name) if code == "system" else name, code
            )
        self.language.setToolTip(
            translate(
                "Preferences",
                "The window's texts, Qt's dialogs and the lessons' Why lines. What PyTorch and "
                "Python say (their error messages) and the code stay as they say it, in English.",
            )
        )
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(*TIME_LIMIT_RANGE)
        self.time_limit.setDecimals(0)
        self.time_limit.setSuffix(" s")
        self.memory = QDoubleSpinBox()
        self.memory.setRange(0, max(1024.0, 2 * default_memory_limit() / GB))
        self.memory.setDecimals(1)
        self.memory.setSingleStep(0.5)
        self.memory.setSuffix(" GB")
        self.memory.setSpecialValueText(translate("Preferences", "No limit"))
        self.show_values = QCheckBox(translate("Preferences", "Values and grads in the boxes"))
        self.show_saved = QCheckBox(
            translate("Preferences", "Saved tensors (torchviz's show_saved)")
        )
        self.show_attrs = QCheckBox(
            translate("Preferences", "grad_fn attributes (torchviz's show_attrs)")
        )

    def _add_look_rows(self, form: QFormLayout) -> None:
        form.addRow(translate("Preferences", "&Theme:"), self.theme)
        form.addRow(translate("Preferences", "Te&xt size:"), self.text_scale)
        form.addRow(translate("Preferences", "&Language:"), self.language)
        form.addRow("", _muted(
            translate("Preferences", "A new language applies when Autograd Lens starts again.")
        ))  # fmt: skip

    def _add_limit_rows(self, form: QFormLayout) -> None:
        form.addRow(translate("Preferences", "&Time limit:"), self.time_limit)
        form.addRow(translate("Preferences", "&Memory limit:"), self.memory)
        size = QLocale().toString(default_memory_limit() / GB, "f", 1)
        note = translate("Preferences", "The default is half the memory ({size} GB).")
        form.addRow("", _muted(note.format(size=size)))

    def _trusted_row(self) -> QHBoxLayout:
        """How many programs are trusted, and the button that forgets them."""
        self.trusted = QLabel()
        self.forget_button = QPushButton(translate("Preferences", "Forget"))
        self.forget_button.setToolTip(
            translate(
                "Preferences",
                "Every program runs in the safe mode again until you say yes to it "
                "again (at once: Cancel doesn't undo it)",
            )
        )
        self.forget_button.setAutoDefault(False)
        self.forget_button.clicked.connect(self._forget_trusted)
        row = QHBoxLayout()
        row.addWidget(self.trusted, 1)
        row.addWidget(self.forget_button)
        return row

    def _restore_defaults(self) -> None:
        self.set_values(Preferences())
        self.language.setCurrentIndex(self.language.findData("system"))

    def _show_trusted(self) -> None:
        count = len(settings.trusted_hashes())
        if count == 1:  # (one and more than one: as English, so Spanish; see gui.model.i18n)
            text = translate("Preferences", "1 program run as plain Python")
        elif count:
            text = translate("Preferences", "{count} programs run as plain Python").format(
                count=count
            )
        else:
            text = translate("Preferences", "No program runs as plain Python")
        self.trusted.setText(text)
        self.forget_button.setEnabled(count > 0)

    def _forget_trusted(self) -> None:
        settings.forget_trusted()
        self._show_trusted()

    def set_values(self, p: Preferences) -> None:
        self.theme.setCurrentIndex(self.theme.findData(p.theme))
        nearest = min(TEXT_SCALES, key=lambda s: abs(s - p.text_scale))
        self.text_scale.setCurrentIndex(TEXT_SCALES.index(nearest))
        self.time_limit.setValue(p.time_limit)
        self.memory.setValue(memory_bytes(p) / GB)
        self.show_values.setChecked(p.show_values)
        self.show_saved.setChecked(p.show_saved)
        self.show_attrs.setChecked(p.show_attrs)

    def values(self) -> Preferences:
        memory: int | None = round(self.memory.value() * GB)
        if abs(self.memory.value() - default_memory_limit() / GB) < 0.05:
            memory = None  # the default, to the shown precision: it follows the machine
        return Preferences(
            theme=self.theme.currentData(),
            text_scale=self.text_scale.currentData(),
            time_limit=self.time_limit.value(),
            memory_limit=memory,
            show_values=self.show_values.isChecked(),
            show_saved=self.show_saved.isChecked(),
            show_attrs=self.show_attrs.isChecked(),
        )


def edit(w: Window) -> PreferencesDialog:
    """Open the dialog (window-modal); OK applies and stores what it shows."""
    dialog = PreferencesDialog(w, current(w))

    def accepted() -> None:
        p = dialog.values()
        apply(w, p)
        settings.save_preferences(p)
        language = dialog.language.currentData()
        if language != settings.language():
            settings.set_language(language)
            w.flash(
                translate(
                    "Preferences", "The new language applies when Autograd Lens starts again."
                ),
                10_000,
            )

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _muted(text: str) -> QLabel:
    """A note under a field, in the theme's muted colour."""
    label = QLabel(text)
    label.setObjectName("muted")
    return label
