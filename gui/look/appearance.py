"""The window's look: Fusion style, a light or dark palette, the style sheet, the text size.

The style sheet is a plain file (resources/style/window.qss) with $names filled in here,
so one place decides every colour the widgets use; the graph's colours are gui.model.theme's.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from gui.model.theme import SYSTEM

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
        "accent": "#2563eb",  # white text on it 5.2:1 (#3b82f6 was 3.7:1)
        "accent_hover": "#1d4ed8",
        "accent_border": "#3b82f6",
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


def system_theme() -> str:
    """The theme the "system" choice means now: "dark" when the OS is set dark, else
    "light" (also where the platform doesn't say)."""
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def resolve(choice: str) -> str:
    """A theme's name for a menu choice: itself, or for "system" the OS's light or dark."""
    return system_theme() if choice == SYSTEM else choice


def check_image() -> str:
    """The check mark a checked box shows (style sheet indicators have none of their own)."""
    return (RESOURCES / "style" / "check.svg").as_posix()


def text_pairs(theme_name: str) -> list[tuple[str, str, str]]:
    """(where, text colour, background) for every text the window's style draws: the
    palette's text roles, and each style sheet rule's `color` on its `background` (or,
    for a rule without one, on every surface a widget may sit on)."""
    c = COLOURS["dark" if is_dark(theme_name) else "light"]
    surfaces = ("window", "panel", "base")
    pairs = [(f"palette text on {s}", c["text"], c[s]) for s in surfaces]
    pairs += [(f"muted text on {s}", c["muted"], c[s]) for s in surfaces]
    pairs += [
        ("selected text", c["text"], c["selection"]),
        ("highlighted text", c["accent_text"], c["accent"]),
    ]
    sheet = STYLE_SHEET.read_text(encoding="utf-8")
    for selector, body in re.findall(r"([^{}/]+)\{([^}]*)\}", sheet):
        colour = re.search(r"(?<![-\w])color:\s*\$(\w+)", body)
        back = re.search(r"background:\s*\$(\w+)", body)
        if colour is None:
            continue
        for surface in [back.group(1)] if back else surfaces:
            pairs.append((selector.strip(), c[colour.group(1)], c[surface]))
    return pairs


def apply(app: QApplication, theme_name: str, scale: float) -> None:
    """Style the whole application for a theme ("light", "dark", "high contrast", or
    "system": the OS's light or dark) and scale."""
    theme_name = resolve(theme_name)
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
        "check_px": f"{round(13 * scale)}px",
        "check_image": check_image(),
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
