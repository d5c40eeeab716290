"""The window's look: Fusion style, a light or dark palette, the style sheet, the text size.

The style sheet is a plain file (resources/style/window.qss) with $names filled in here,
so one place decides every colour the widgets use; the graph's colours are gui.model.theme's.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STYLE_SHEET = RESOURCES / "style" / "window.qss"
MONO = "DejaVu Sans Mono"
BASE_PIXELS = 13  # the window's text at scale 1
TEXT_SCALES = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.4, 3.0)  # View → Larger/Smaller Text

COLOURS = {
    "light": {
        "window": "#f6f7f9",
        "panel": "#f0f2f5",
        "base": "#ffffff",
        "border": "#d5d9e0",
        "text": "#1f2328",
        "muted": "#5b6573",
        "selection": "#b6d4fe",
        "accent": "#2f6fdf",
        "accent_hover": "#255fc7",
        "accent_border": "#2458b8",
        "accent_text": "#ffffff",
        "warn_bg": "#fff4d6",
        "warn_text": "#6b4b00",
        "warn_border": "#f0d58c",
        "error_bg": "#fdecec",
        "error_text": "#a40e26",
        "error_border": "#f3c2c2",
        "info_bg": "#e8f0fe",
        "info_text": "#163a75",
        "info_border": "#b6cdf5",
    },
    "dark": {
        "window": "#1b1d21",
        "panel": "#202328",
        "base": "#16181c",
        "border": "#30343b",
        "text": "#e6edf3",
        "muted": "#9aa4b0",
        "selection": "#264f78",
        "accent": "#3b82f6",
        "accent_hover": "#4c8ff7",
        "accent_border": "#2f6fdf",
        "accent_text": "#ffffff",
        "warn_bg": "#3a2f12",
        "warn_text": "#f2cc60",
        "warn_border": "#5c4a1a",
        "error_bg": "#3b1d20",
        "error_text": "#ff9b94",
        "error_border": "#5c2a2e",
        "info_bg": "#172a44",
        "info_text": "#b3cffd",
        "info_border": "#2b4a75",
    },
}


def is_dark(theme_name: str) -> bool:
    return theme_name == "dark"


def apply(app: QApplication, theme_name: str, scale: float) -> None:
    """Style the whole application for a theme ("light", "dark", "high contrast") and scale."""
    colours = COLOURS["dark" if is_dark(theme_name) else "light"]
    app.setStyle("Fusion")
    app.setPalette(_palette(colours))
    font = QFont(app.font())
    font.setPixelSize(round(BASE_PIXELS * scale))
    app.setFont(font)
    sizes = {
        "small_px": f"{round(12 * scale)}px",
        "big_px": f"{round(16 * scale)}px",
        "caption_px": f"{round(14 * scale)}px",
        "mono": MONO,
    }
    text = STYLE_SHEET.read_text(encoding="utf-8")
    app.setStyleSheet(Template(text).safe_substitute(colours, **sizes))
    _spread_font(app)


def _spread_font(app: QApplication) -> None:
    """Give the application's font to every widget that has none of its own, now.

    Qt passes a new application font on only to widgets it has polished already: the
    window built before the event loop starts kept the platform's 9 pt until a later
    theme change (presenter mode's, F5) gave it 13 px, so leaving presenter mode left
    the menu and status bars larger than they had been. Told here, every widget has
    the same font after any number of theme changes."""
    change = QEvent.Type.ApplicationFontChange
    for widget in app.allWidgets():
        if not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            QApplication.sendEvent(widget, QEvent(change))


def _palette(c: dict[str, str]) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["panel"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.Button: c["panel"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.Highlight: c["accent"],
        QPalette.ColorRole.HighlightedText: c["accent_text"],
        QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.PlaceholderText: c["muted"],
        QPalette.ColorRole.Mid: c["border"],
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c["muted"]))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c["muted"]))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(c["muted"]))
    return p
