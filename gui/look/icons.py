"""The player's icons, painted in the theme's text colour (crisp at any device pixel ratio).

Standard style icons are dark-grey on every theme and vanish on a dark one; these are
plain shapes drawn for the colour asked.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

SIZE = 32  # drawn at 2× a 16-px icon


def _triangle(painter: QPainter, x: float, pointing_right: bool, width: float = 12) -> None:
    tip, base = (x + width, x) if pointing_right else (x, x + width)
    painter.drawPolygon(QPolygonF([QPointF(base, 7), QPointF(base, 25), QPointF(tip, 16)]))


def _bar(painter: QPainter, x: float, width: float = 4) -> None:
    painter.drawRect(QRectF(x, 7, width, 18))


SHAPES = {
    "play": lambda p: _triangle(p, 9, True, 15),
    "pause": lambda p: (_bar(p, 9, 5), _bar(p, 18, 5)),
    "forward": lambda p: (_triangle(p, 8, True), _bar(p, 21)),
    "back": lambda p: (_bar(p, 7), _triangle(p, 12, False)),
    "first": lambda p: (_bar(p, 4), _triangle(p, 8, False), _triangle(p, 17, False)),
    "last": lambda p: (_triangle(p, 3, True), _triangle(p, 12, True), _bar(p, 24)),
}


def icon(name: str, colour: QColor, disabled: QColor) -> QIcon:
    """One of SHAPES as an icon, with a normal and a disabled look."""
    result = QIcon()
    for mode, c in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled)):
        pixmap = QPixmap(SIZE, SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c)
        SHAPES[name](painter)
        painter.end()
        result.addPixmap(pixmap, mode)
    return result
