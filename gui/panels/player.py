"""The backward player: buttons, a scrubber over every recorded step, and a caption.

Stepping only moves the controller's step (the whole backward is in the record); it never
re-evaluates. The step actions carry the keyboard shortcuts and are added to the window's
menu, so they work wherever focus is, except where a text field claims the key for itself.

The keys (`KEYS`, also Help → Keyboard Shortcuts):

- Everywhere, the editor included: PageDown/PageUp (what presentation clickers send),
  Alt+→/Alt+←, F10/F9 step; Alt+Home/Alt+End go to the first/last step; F8 plays and
  pauses. None of them edits text, so they never need the focus moved.
- Outside the editor also →/←, Space (forward) and Shift+Space (back), Home/End; in the
  editor those keys type and move the cursor, as in any editor.

Space steps, it doesn't play: a teacher in front of a class uses it as in slides
(PowerPoint, Keynote, Google Slides, reveal.js: Space is "next"), saying what each step
does before going on; playing runs away from the explanation. Play stays one key away (F8,
as a debugger's Resume) and on its button.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.record.graph import GraphRecord
from gui.look import icons
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.captions import caption_for, captions_to_fit

STEP_MS = 900  # one step per this many ms at 1× speed
ICON_PIXELS = 16  # the buttons' icons at text scale 1
# each action's keys: first those that work while typing in the editor, then the others
KEYS = {
    "forward": ["PgDown", "Alt+Right", "F10", "Right", "Space"],
    "back": ["PgUp", "Alt+Left", "F9", "Left", "Shift+Space"],
    "first": ["Alt+Home", "Home"],
    "last": ["Alt+End", "End"],
    "play": ["F8"],
}
KEY_NAMES = {  # the stepping actions as Help → Keyboard Shortcuts names them
    "forward": QT_TRANSLATE_NOOP("Player", "forward"),
    "back": QT_TRANSLATE_NOOP("Player", "back"),
    "first": QT_TRANSLATE_NOOP("Player", "first"),
    "last": QT_TRANSLATE_NOOP("Player", "last"),
    "play": QT_TRANSLATE_NOOP("Player", "play"),
}
SPEEDS = (0.5, 1.0, 2.0, 4.0)


def _action(parent: QWidget, text: str, keys: list[str], slot, tip: str = "") -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shown = ", ".join(
        QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys
    )
    action.setToolTip(f"{tip or text} ({shown})" if keys else tip or text)
    action.triggered.connect(slot)
    return action


RESERVED_LINES = 3  # a caption keeps room for this many lines of its playback's longest
RESERVED_SAMPLE = 16  # the longest captions (by characters) measured for that room


class WrappedCaption(QLabel):
    """The step's sentence, whole: it wraps onto more lines rather than widen the window
    or be cut (at 900 px wide, or with Ctrl+= text, a step takes two or three lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

        self._reserved: list[str] = []  # the longest captions of the playback it shows
        self._room: dict[tuple[int, str], int] = {}  # (width, font) -> the height they need
        self._measuring = False

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self.setText(text)

    def reserve(self, texts: Iterable[str]) -> None:
        """Keep room for the tallest of these (a playback's captions), up to RESERVED_LINES
        lines: stepping then never resizes the caption, so the graph above it stays put
        (it re-fitted at each step as captions of one, two and three lines came and went).
        A caption taller than that still shows whole: it grows, as it did. The room is the
        label's minimum height (every layout keeps a minimum; a height-for-width answer the
        main window's layout asks for only now and then), set again when its width or font
        changes."""
        self._reserved = sorted(set(texts), key=len)[-RESERVED_SAMPLE:]
        self._room.clear()
        self._keep_room()

    def _room_for(self, width: int) -> int:
        """The height the reserved captions need at this width (0: none reserved), each
        laid out by this label itself (its font, margins and style sheet), text put back."""
        if not self._reserved or width <= 0 or self._measuring:
            return 0
        key = (width, self.font().key())
        if key not in self._room:
            self._measuring, shown = True, self.text()
            try:
                lines = self.fontMetrics().lineSpacing()
                heights = []
                for text in self._reserved:
                    QLabel.setText(self, text)
                    heights.append(QLabel.heightForWidth(self, width))
                QLabel.setText(self, "x")
                most = QLabel.heightForWidth(self, width) + (RESERVED_LINES - 1) * lines
                fitting = [h for h in heights if h <= most + lines // 2]  # (∂, … a pixel)
                self._room[key] = max(fitting) if fitting else most
            finally:
                QLabel.setText(self, shown)
                self._measuring = False
        return self._room[key]

    def _keep_room(self) -> None:
        room = self._room_for(self.width())
        if room != self.minimumHeight():
            self.setMinimumHeight(room)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(super().heightForWidth(width), self._room_for(width))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._keep_room()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._room.clear()
            self._keep_room()


NOTE_LINES = 4  # a note (e.g. PyTorch's error after Backward Again) shows this many, then scrolls


class NoteBox(QScrollArea):
    """A note about backward (what was added, an error explained) over the bottom of the
    graph, at most NOTE_LINES high and scrolling past them: it never moves the graph."""

    def __init__(self, note: QLabel) -> None:
        super().__init__()
        self.setObjectName("noteBox")
        self.setWidget(note)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.StyledPanel)
        self.hide()

    def height_for(self, width: float) -> int:
        """Its height at this width: the note's, up to NOTE_LINES lines."""
        note = self.widget()
        margins = note.contentsMargins()
        lines = note.fontMetrics().lineSpacing() * NOTE_LINES + margins.top() + margins.bottom()
        return min(note.heightForWidth(int(width) - 2), lines) + 2


class Player(QWidget):
    """Plays the controller's recorded backward, one node execution per step."""

    noteChanged = Signal()  # the note over the graph came, went or changed  # noqa: N815

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.controller = controller
        self.timer = QTimer(self)
        self._captioned: tuple[GraphRecord | None, int] = (None, -1)  # the caption shown's
        self.timer.timeout.connect(self._tick)
        self._make_actions()
        self._make_widgets()
        controller.recordChanged.connect(self._on_record)
        controller.stepChanged.connect(self._on_step)
        controller.playRequested.connect(self.play)
        controller.backwardNoteChanged.connect(self._on_note)
        self._on_record()

    def _make_actions(self) -> None:
        c = self.controller
        self.backward_action = _action(
            self,
            translate("Player", "&Backward"),
            ["Ctrl+B"],
            c.run_backward,
            translate("Player", "Play backward() from the start"),
        )
        self.play_action = _action(
            self,
            translate("Player", "&Play"),
            KEYS["play"],
            self.toggle_play,
            translate("Player", "Play / pause"),
        )
        self.back_action = _action(
            self, translate("Player", "Step &Back"), KEYS["back"], self.step_back
        )
        self.forward_action = _action(
            self, translate("Player", "Step &Forward"), KEYS["forward"], self.step_forward
        )
        self.first_action = _action(
            self, translate("Player", "&First Step"), KEYS["first"], lambda: self._go(0)
        )
        self.last_action = _action(
            self, translate("Player", "&Last Step"), KEYS["last"], lambda: self._go(c.step_count())
        )
        self.again_action = _action(
            self,
            translate("Player", "Backward &Again"),
            ["Ctrl+Shift+B"],
            c.backward_again,
            translate(
                "Player",
                "Run backward() on the output once more: .grad accumulates if "
                "the graph was retained (retain_graph=True); otherwise see PyTorch's error",
            ),
        )
        self.zero_grad_action = _action(
            self,
            translate("Player", "&Zero Grad"),
            [],
            c.zero_grad,
            translate(
                "Player",
                "Set every leaf's .grad to None, as optimizer.zero_grad() does (set_to_none=True)",
            ),
        )
        self.lesson_actions = [self.again_action, self.zero_grad_action]
        self._icons = {
            self.play_action: "play",
            self.back_action: "back",
            self.forward_action: "forward",
            self.first_action: "first",
            self.last_action: "last",
        }
        self._paint_icons()
        self.actions_in_menu = [
            self.backward_action,
            self.play_action,
            self.back_action,
            self.forward_action,
            self.first_action,
            self.last_action,
        ]

    def _make_widgets(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.backward_button = QToolButton()
        self.backward_button.setDefaultAction(self.backward_action)
        self.backward_button.setObjectName("backwardButton")
        self.backward_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        row.addWidget(self.backward_button)
        for action in self.actions_in_menu[1:]:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._go)
        row.addWidget(self.slider, 1)
        self.speed = QComboBox()
        self.speed.addItems([f"{s:g}×" for s in SPEEDS])
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip(translate("Player", "Playback speed"))
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(self.speed)
        self.caption = WrappedCaption()
        self.caption.setObjectName("caption")
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_box = NoteBox(self.note)  # the window puts it over the graph
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 4, 8, 6)
        column.setSpacing(2)
        column.addLayout(row)
        lessons = QHBoxLayout()  # beside the caption: the row above keeps its width
        lessons.addWidget(self.caption, 1)
        for action in self.lesson_actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            lessons.addWidget(button)
        column.addLayout(lessons)
        self.buttons = [b for b in self.findChildren(QToolButton) if b is not self.backward_button]

    # --- commands -----------------------------------------------------------------------
    def step_forward(self) -> None:
        self._go(self.controller.step + 1)

    def step_back(self) -> None:
        self._go(self.controller.step - 1)

    def play(self) -> None:
        if not self.controller.step_count():
            return
        if self.controller.step >= self.controller.step_count():
            self.controller.set_step(0)
        self.timer.start(self._interval())
        self._show_playing(True)

    def pause(self) -> None:
        self.timer.stop()
        self._show_playing(False)

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.pause()
        else:
            self.play()

    def _go(self, step: int) -> None:
        self.controller.set_step(step)

    def _tick(self) -> None:
        self.step_forward()
        if self.controller.step >= self.controller.step_count():
            self.pause()

    def _interval(self) -> int:
        return int(STEP_MS / SPEEDS[self.speed.currentIndex()])

    def _on_speed(self) -> None:
        if self.timer.isActive():
            self.timer.start(self._interval())

    def _show_playing(self, playing: bool) -> None:
        self._icons[self.play_action] = "pause" if playing else "play"
        self._paint_icons()
        self.play_action.setText(
            translate("Player", "&Pause") if playing else translate("Player", "&Play")
        )

    def _paint_icons(self) -> None:
        text = self.palette().color(QPalette.ColorRole.ButtonText)
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
        for action, name in self._icons.items():
            action.setIcon(icons.icon(name, text, muted))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a theme change: repaint the icons
            self._paint_icons()

    # --- following the controller ---------------------------------------------------------
    def _on_record(self, *_: object) -> None:
        count = self.controller.step_count()
        self.slider.blockSignals(True)
        self.slider.setRange(0, count)
        self.slider.setValue(self.controller.step)
        self.slider.blockSignals(False)
        self.slider.setEnabled(count > 0)
        for action in self.actions_in_menu[1:]:
            action.setEnabled(count > 0)
        if not count:
            self.pause()
        self.backward_action.setEnabled(self.controller.record is not None)
        for action in self.lesson_actions:
            action.setEnabled(self.controller.record is not None)
        self._on_step(self.controller.step)

    def _on_note(self, text: str) -> None:
        self.note.setText(text)
        self.note_box.setVisible(bool(text))
        self.note_box.verticalScrollBar().setValue(0)
        self.noteChanged.emit()

    def _settle(self) -> None:
        """Lay the window out now with the caption's new room, so the graph's view takes
        its size once, not a moment after it was drawn and fitted."""
        for widget in (self, self.window()):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()

    def set_text_scale(self, scale: float) -> None:
        """Ctrl+= / Ctrl+-: the buttons' icons grow and shrink with the text."""
        side = round(ICON_PIXELS * scale)
        for button in self.buttons:
            button.setIconSize(QSize(side, side))

    def _on_step(self, step: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(step)
        self.slider.blockSignals(False)
        record = self.controller.record
        if self._captioned[0] is not record or self._captioned[1] != step:  # (a new record
            old = self._captioned[0]  # signals its step twice: caption it once)
            new = old is not record
            if new and not _same_steps(old, record):  # a new playback: room for its captions
                self.caption.reserve(captions_to_fit(record))  # (an edited number: as it was)
            self._captioned = (record, step)
            self.caption.set_full_text(caption_for(record, step))
            if new:  # (laid out now: the graph is fitted once, to the room it keeps)
                self._settle()


def _same_steps(old: GraphRecord | None, new: GraphRecord | None) -> bool:
    """Whether two records play the same steps through the same nodes (an edit that changed
    a number): their captions differ only in the numbers, the room kept for them stays."""
    if old is None or new is None or len(old.backward) != len(new.backward):
        return False
    return all(a.node == b.node for a, b in zip(old.backward, new.backward, strict=True))
