"""The runs strip: for a program that calls backward() more than once (a training loop), a
small plot of the output's value per run (the loss curve), the shown run marked, and a
run selector. Choosing a run (a point on the plot, the spin box, First/Last) asks the
controller for that run's graph and steps (`Controller.show_run`): the program runs again
with the worker's option run=k; its text is not touched.

Hidden for a program with one backward() or none. Colours come from the palette (light,
dark, high contrast); text from the widget's font, so View → Larger Text and presenter
mode (`set_presenting`) scale it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from core.record.graph import GraphRecord
from gui.look import icons
from gui.look.appearance import BASE_PIXELS
from gui.look.i18n import translate
from gui.model.runs import has_runs, number, output_name, range_texts, run_label, value_text

PAD = 6.0  # px between the plot's frame and its curve (room for the markers)
DOTS_FROM = 6.0  # px between runs from which each run gets a dot
PICK_PIXELS = 6.0  # px either side of a click within which the nearest drawn point is picked
CHOOSE_DELAY_MS = 250  # the spin box asks for its run once it rests this long
PRESENTER_SCALE = 1.75  # the strip's text in presenter mode, against the window's
ICON_PIXELS = 16  # First / Last, as the player's buttons
LOG_FROM = 100.0  # values spanning this factor or more are plotted on a log scale at first


class RunsPlot(QWidget):
    """The output's value per run, as a line (gaps where a run has no single finite value);
    the shown run is marked; a click chooses a run (`runClicked`)."""

    runClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPlot")
        self.values: list[float | str | None] = []  # per run, as the record has them
        self.name = "value"
        self.shown: int | None = None
        self.pending: int | None = None
        self.hover: int | None = None
        self.log = False
        self._cache: tuple[object, list[QPolygonF]] | None = None
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)
        self._fit_height()

    # --- data -------------------------------------------------------------------------------
    def set_runs(self, values: list[float | str | None], name: str = "value") -> None:
        self.values, self.name = list(values), name
        self.hover = None
        self._cache = None
        self.update()

    def set_marks(self, shown: int | None, pending: int | None) -> None:
        if (shown, pending) != (self.shown, self.pending):
            self.shown, self.pending = shown, pending
            self.update()

    def set_log(self, log: bool) -> None:
        if log != self.log:
            self.log = log
            self._cache = None
            self.update()

    def can_log(self) -> bool:
        """Whether a log scale fits: every value plotted is above zero."""
        finite = self.plotted_values()
        return any(v is not None for v in finite) and all(v is None or v > 0 for v in finite)

    def wants_log(self) -> bool:
        """Whether a log scale suits the values best: all above zero, spanning LOG_FROM or
        more (a training loss falling from 2e5 to 12 is a flat line on a linear scale)."""
        span = self._range()
        return self.can_log() and span is not None and span[1] >= LOG_FROM * span[0]

    def plotted_values(self) -> list[float | None]:
        """What each run plots: its value, or None for a gap (no single value, nan, inf)."""
        return [number(v) for v in self.values]

    # --- geometry ---------------------------------------------------------------------------
    def _label_font(self) -> QFont:
        font = QFont(self.font())
        pixels = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 4 / 3)
        font.setPixelSize(max(9, round(pixels * 0.85)))
        return font

    def _range(self) -> tuple[float, float] | None:
        finite = [v for v in self.plotted_values() if v is not None]
        if not finite:
            return None
        return min(finite), max(finite)

    def range_labels(self) -> tuple[str, str]:
        """The plot's top and bottom labels: its largest and smallest value."""
        span = self._range()
        if span is None:
            return "", ""
        return range_texts(span[0], span[1])

    def plot_rect(self) -> QRectF:
        """Where the curve is drawn (inside the frame, right of the value labels)."""
        metrics = QFontMetricsF(self._label_font())
        top, bottom = self.range_labels()
        gutter = max(metrics.horizontalAdvance(top), metrics.horizontalAdvance(bottom)) + 8
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        pad = max(PAD, metrics.height() / 2 + 2)  # room for the labels at the top and bottom
        return frame.adjusted(gutter + PAD, pad, -PAD, -pad)

    def _scaled(self, v: float) -> float:
        return math.log10(v) if self.log else v

    def _y(self, v: float | None, rect: QRectF) -> float:
        span = self._range()
        if v is None or span is None:
            return rect.center().y()
        lo, hi = self._scaled(span[0]), self._scaled(span[1])
        if hi <= lo:
            return rect.center().y()
        return rect.bottom() - (self._scaled(v) - lo) / (hi - lo) * rect.height()

    def _x(self, run: int, rect: QRectF) -> float:
        n = len(self.values)
        return rect.center().x() if n < 2 else rect.left() + run / (n - 1) * rect.width()

    def point_at(self, run: int) -> QPoint:
        """Where run's point is, in the widget (at mid-height for a run with no value)."""
        rect = self.plot_rect()
        return QPointF(self._x(run, rect), self._y(self.plotted_values()[run], rect)).toPoint()

    def run_at(self, x: float, y: float | None = None) -> int | None:
        """The run nearest to x (None when there are none). With `y`, the run whose point
        is nearest to (x, y) among those drawn within a few pixels of x: with 2,000 runs
        in 600 pixels a click on the first point's dot picks run 0, not run 5."""
        n = len(self.values)
        if not n:
            return None
        rect = self.plot_rect()
        if n < 2 or rect.width() <= 0:
            return 0
        nearest = max(0, min(n - 1, round((x - rect.left()) / rect.width() * (n - 1))))
        if y is None:
            return nearest
        reach = math.ceil(PICK_PIXELS / rect.width() * (n - 1))
        values = self.plotted_values()
        return min(
            range(max(0, nearest - reach), min(n - 1, nearest + reach) + 1),
            key=lambda r: math.hypot(self._x(r, rect) - x, self._y(values[r], rect) - y),
        )

    def _fit_height(self) -> None:
        height = math.ceil(QFontMetricsF(self._label_font()).height() * 4 + 2 * PAD)
        self.setFixedHeight(max(48, height))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()
            self._cache = None

    # --- painting ---------------------------------------------------------------------------
    def _lines(self, rect: QRectF) -> list[QPolygonF]:
        """The curve, one polyline per stretch of runs with values. More runs than pixels:
        per pixel column, its first, lowest, highest and last value (spikes stay)."""
        key = (rect.getRect(), self.log)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        values = self.plotted_values()
        n = len(values)
        lines: list[QPolygonF] = []
        current: list[QPointF] = []

        def cut() -> None:
            if current:
                lines.append(QPolygonF(current))
                current.clear()

        columns = max(1, int(rect.width()))
        if n <= 2 * columns:
            for run, v in enumerate(values):
                if v is None:
                    cut()
                else:
                    current.append(QPointF(self._x(run, rect), self._y(v, rect)))
        else:
            for column in range(columns + 1):
                first = math.ceil((column - 0.5) / columns * (n - 1))
                last = math.floor((column + 0.5) / columns * (n - 1))
                part = values[max(0, first) : min(n - 1, last) + 1]
                if not part or any(v is None for v in part):
                    cut()
                finite = [v for v in part if v is not None]
                if finite:
                    x = rect.left() + column / columns * rect.width()
                    for v in (finite[0], min(finite), max(finite), finite[-1]):
                        current.append(QPointF(x, self._y(v, rect)))
        cut()
        self._cache = (key, lines)
        return lines

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(base)
        painter.drawRoundedRect(frame, 3, 3)
        rect = self.plot_rect()
        self._paint_axis(painter, rect, muted)
        values = self.plotted_values()
        if not values:
            painter.end()
            return
        curve = QColor(text)
        curve.setAlphaF(0.75)
        painter.setPen(QPen(curve, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for line in self._lines(rect):
            if line.size() == 1:
                painter.drawEllipse(line.at(0), 1.5, 1.5)
            else:
                painter.drawPolyline(line)
        step = rect.width() / max(1, len(values) - 1)
        if step >= DOTS_FROM:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(curve)
            for run, v in enumerate(values):
                if v is not None:
                    painter.drawEllipse(QPointF(self._x(run, rect), self._y(v, rect)), 2, 2)
        self._paint_gaps(painter, rect, muted)
        if self.pending is not None and self.pending != self.shown:
            self._mark(painter, rect, self.pending, accent, base, dashed=True)
        if self.shown is not None:
            self._mark(painter, rect, self.shown, accent, base)
        if self.hover is not None:
            painter.setPen(QPen(text, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(self.point_at(self.hover)), 5, 5)
        if not any(v is not None for v in values):
            painter.setPen(muted)
            painter.setFont(self._label_font())
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignCenter,
                translate("RunsStrip", "no single {name} to plot").format(name=self.name),
            )
        painter.end()

    def _paint_axis(self, painter: QPainter, rect: QRectF, muted: QColor) -> None:
        """The largest and smallest value, beside the top and bottom of the curve."""
        top, bottom = self.range_labels()
        if not top:
            return
        grid = QColor(muted)
        grid.setAlphaF(0.35)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
        painter.drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()))
        font = self._label_font()
        painter.setFont(font)
        painter.setPen(muted)
        height = QFontMetricsF(font).height()
        right = rect.left() - PAD - 2
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for label, y in ((top, rect.top()), (bottom, rect.bottom())):
            box = QRectF(2, y - height / 2, right - 2, height)
            box.moveTop(max(1.0, min(box.top(), self.height() - height - 1)))
            painter.drawText(box, align, label)
        if self.log:
            painter.drawText(
                QRectF(2, rect.center().y() - height / 2, right - 2, height),
                align,
                translate("RunsStrip", "log"),
            )

    def _paint_gaps(self, painter: QPainter, rect: QRectF, muted: QColor) -> None:
        """A short tick at the foot of the plot for a run whose value is nan or ±inf."""
        painter.setPen(QPen(muted, 1))
        for run, v in enumerate(self.values):
            if isinstance(v, str):
                x = self._x(run, rect)
                painter.drawLine(QPointF(x, rect.bottom() + 1), QPointF(x, rect.bottom() - 4))

    def _mark(
        self, painter: QPainter, rect: QRectF, run: int, accent: QColor, base: QColor,
        dashed: bool = False,
    ) -> None:  # fmt: skip
        if not 0 <= run < len(self.values):
            return
        x = self._x(run, rect)
        line = QColor(accent)
        line.setAlphaF(0.6 if dashed else 0.45)
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        painter.setPen(QPen(line, 1.5, style))
        painter.drawLine(QPointF(x, rect.top() - PAD + 2), QPointF(x, rect.bottom() + PAD - 2))
        if self.plotted_values()[run] is None:
            return
        centre = QPointF(self.point_at(run))
        painter.setPen(QPen(accent if dashed else base, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush if dashed else accent)
        painter.drawEllipse(centre, 4.5, 4.5)

    # --- the mouse --------------------------------------------------------------------------
    def tip(self, run: int) -> str:
        value = value_text(self.values[run]) if 0 <= run < len(self.values) else ""
        if value:
            text = translate(
                "RunsStrip", "Run {run} of {count} — {name} {value}\nClick to show its graph"
            )
        else:
            text = translate("RunsStrip", "Run {run} of {count}\nClick to show its graph")
        return text.format(run=run + 1, count=len(self.values), name=self.name, value=value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        run = self.run_at(event.position().x(), event.position().y())
        if run != self.hover:
            self.hover = run
            self.update()
        if run is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.tip(run), self)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        super().leaveEvent(event)
        if self.hover is not None:
            self.hover = None
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        run = self.run_at(event.position().x(), event.position().y())
        if run is not None and self.rect().contains(event.position().toPoint()):
            self.runClicked.emit(run)


class RunsStrip(QWidget):
    """The plot and the run selector, following the controller's record and run."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.controller = controller
        self._record: GraphRecord | None = None
        self._syncing = False
        self._choose_timer = QTimer(self)
        self._choose_timer.setSingleShot(True)
        self._choose_timer.setInterval(CHOOSE_DELAY_MS)
        self._choose_timer.timeout.connect(self._choose_from_spin)
        self._make_widgets()
        controller.recordChanged.connect(self._on_record)
        controller.runChanged.connect(self._on_marks)
        controller.busyChanged.connect(self._on_marks)
        self._on_record()

    def _make_widgets(self) -> None:
        self.title = QLabel(translate("RunsStrip", "Runs"))
        self.title.setObjectName("runsTitle")
        self.title.setToolTip(
            translate("RunsStrip", "Each backward() call the program made, and its output's value")
        )
        self.plot = RunsPlot()
        self.plot.runClicked.connect(self.choose)
        self.first_button = self._button(
            "first", translate("RunsStrip", "First run (the first backward() call)")
        )
        self.first_button.clicked.connect(lambda: self.choose(0))
        self.last_button = self._button(
            "last", translate("RunsStrip", "Last run (as the program ends)")
        )
        self.last_button.clicked.connect(lambda: self.choose(None))
        self.spin = QSpinBox()
        self.spin.setObjectName("runSpin")
        self.spin.setKeyboardTracking(False)  # typing 150 asks for run 150, not 1, 15, 150
        self.spin.setAccelerated(True)
        self.spin.setToolTip(
            translate("RunsStrip", "The backward() call whose graph and steps are shown")
        )
        self.spin.valueChanged.connect(self._on_spin)
        self.log_box = QCheckBox(translate("RunsStrip", "Log"))
        self.log_box.setToolTip(translate("RunsStrip", "Plot the values on a logarithmic scale"))
        self.log_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.log_box.toggled.connect(self.plot.set_log)
        self.log_box.clicked.connect(self._on_log_clicked)
        self._log_chosen = False  # the user set the scale: keep it; else it suits the values
        self._program = -1  # the controller's `program` the strip shows (a new one: no choice)
        self.label = QLabel()
        self.label.setObjectName("runsLabel")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setSpacing(4)
        for w in (self.first_button, self.spin, self.last_button):
            row.addWidget(w)
        row.addSpacing(6)
        row.addWidget(self.log_box)
        row.addStretch(1)
        controls = QVBoxLayout()
        controls.setSpacing(2)
        controls.addStretch(1)
        controls.addLayout(row)
        controls.addWidget(self.label)
        controls.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls)
        self._paint_icons()

    def _button(self, icon: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setProperty("iconName", icon)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setIconSize(QSize(ICON_PIXELS, ICON_PIXELS))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _paint_icons(self) -> None:
        text = self.palette().color(QPalette.ColorRole.ButtonText)
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
        for button in (self.first_button, self.last_button):
            button.setIcon(icons.icon(button.property("iconName"), text, muted))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a theme change: repaint the icons
            self._paint_icons()

    def set_presenting(self, on: bool) -> None:
        """Larger text for a projector (presenter mode), or the window's text again."""
        # each widget by itself: under a style sheet a parent's font doesn't reach them all
        for widget in (self, *self.findChildren(QWidget)):
            if on:
                font = QFont(widget.font())
                font.setPixelSize(round(BASE_PIXELS * PRESENTER_SCALE))
                widget.setFont(font)
            else:
                widget.setFont(QFont())  # the application's font again (View → text size)
        side = round(ICON_PIXELS * PRESENTER_SCALE) if on else ICON_PIXELS
        for button in (self.first_button, self.last_button):
            button.setIconSize(QSize(side, side))

    def _on_log_clicked(self) -> None:
        self._log_chosen = True

    # --- choosing a run ---------------------------------------------------------------------
    def choose(self, run: int | None) -> None:
        """Show run's graph and steps (0-based; None: the last)."""
        self._choose_timer.stop()
        self.controller.show_run(run)

    def _on_spin(self, value: int) -> None:
        if not self._syncing:
            self._choose_timer.start()  # arrows held down: ask once they rest

    def _choose_from_spin(self) -> None:
        self.choose(self.spin.value() - 1)

    # --- following the controller -----------------------------------------------------------
    def _on_record(self, *_: object) -> None:
        record = self.controller.record
        self.setVisible(has_runs(record))
        if not has_runs(record):
            self._record = None
            return
        new_program = self.controller.program != self._program
        if new_program:  # another program: the scale suits its values again
            self._program, self._log_chosen = self.controller.program, False
        if self._record is None or self._record.runs != record.runs or new_program:
            values = [r.value for r in record.runs]
            self.plot.set_runs(values, output_name(record))
            can = self.plot.can_log()
            self.log_box.setEnabled(can)
            if not can:
                self.log_box.setChecked(False)
            elif not self._log_chosen:
                self.log_box.setChecked(self.plot.wants_log())
        self._record = record
        self._on_marks()

    def _on_marks(self, *_: object) -> None:
        record = self._record
        if record is None:
            return
        c = self.controller
        shown, pending = c.shown_run(), c.pending_run()
        self.plot.set_marks(shown, pending)
        wanted = pending if pending is not None else shown
        self._syncing = True
        self.spin.setRange(1, len(record.runs))
        if wanted is not None and not self._choose_timer.isActive():
            self.spin.setValue(wanted + 1)
        self._syncing = False
        last = len(record.runs) - 1
        self.first_button.setEnabled(wanted != 0)
        self.last_button.setEnabled(wanted != last)
        self.label.setText(self.label_text())

    def label_text(self) -> str:
        """ "Run 2000 of 2000 — loss 11.41", and what is on its way or played."""
        record, c = self._record, self.controller
        if record is None:
            return ""
        shown, pending = c.shown_run(), c.pending_run()
        if pending is not None:
            return translate("RunsStrip", "{run} · running the program to it…").format(
                run=run_label(record, pending)
            )
        text = run_label(record, shown) if shown is not None else ""
        if len({s.run for s in record.backward}) > 1:
            return translate("RunsStrip", "{run} · the player plays every run").format(run=text)
        return text

    def shown_values(self) -> list[float | str | None]:
        """What the plot was given, per run (the record's `runs` values)."""
        return list(self.plot.values)
