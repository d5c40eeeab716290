"""Accessible themes (issue 19, item 4): every text on every background of every theme
meets WCAG AA (4.5:1), an unchecked check box shows on the dark theme, and a "System"
theme follows the OS's light or dark."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

from gui.look import appearance
from gui.model import theme as themes

AA = 4.5


def luminance(colour: str) -> float:
    def channel(i: int) -> float:
        c = int(colour[i : i + 2], 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def faded(fill: str, toward: str, amount: float) -> str:
    a = [int(fill[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(toward[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def graph_pairs(t):
    """What the graph draws, worked out here from the theme's fields (the test's own
    account, not the module's)."""
    fills = [t.leaf, t.output, t.base, t.saved, t.op]
    yield from ((f"text on {f}", t.text, f) for f in fills)
    yield from (
        (f"faded text on {f}", t.faded_text, faded(f, t.not_reached, t.fade)) for f in fills
    )
    yield "constant's text", getattr(t, "constant_text", t.faded_text), t.constant
    yield "gradient label", getattr(t, "label_text", "") or t.gradient, t.label_back


def window_pairs(colours):
    """The window's: the style sheet's rules (color on background, or on every surface)
    and the palette's text roles."""
    surfaces = ("window", "panel", "base")
    for s in surfaces:
        yield f"text on {s}", colours["text"], colours[s]
        yield f"muted on {s}", colours["muted"], colours[s]
    yield "highlighted", colours["accent_text"], colours["accent"]
    sheet = appearance.STYLE_SHEET.read_text(encoding="utf-8")
    for selector, body in re.findall(r"([^{}/]+)\{([^}]*)\}", sheet):
        fg = re.search(r"(?<![-\w])color:\s*\$(\w+)", body)
        bg = re.search(r"background:\s*\$(\w+)", body)
        if fg:
            for s in [bg.group(1)] if bg else surfaces:
                yield selector.strip(), colours[fg.group(1)], colours[s]


@pytest.mark.parametrize("name", list(themes.THEMES))
def test_every_text_meets_wcag_aa(name):
    t = themes.THEMES[name]
    poor = [(w, fg, bg, round(contrast(fg, bg), 2)) for w, fg, bg in graph_pairs(t)]
    colours = appearance.COLOURS["dark" if appearance.is_dark(name) else "light"]
    poor += [(w, fg, bg, round(contrast(fg, bg), 2)) for w, fg, bg in window_pairs(colours)]
    assert [p for p in poor if p[3] < AA] == []
    # the modules' own lists agree, and pass
    for what, fg, bg in [*themes.text_pairs(t), *appearance.text_pairs(name)]:
        assert themes.contrast(fg, bg) >= AA, (name, what, fg, bg)


def indicator_contrast(box: QCheckBox) -> float:
    """The strongest contrast between the unchecked box's indicator and what is around it."""
    image = box.grab().toImage()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    around = box.palette().color(box.backgroundRole()).name()
    best = 1.0
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            best = max(best, contrast(image.pixelColor(x, y).name(), around))
    return best


def test_an_unchecked_box_shows_on_every_theme(qtbot):
    app = QApplication.instance()
    try:
        for name in themes.THEMES:
            appearance.apply(app, name, 1.0)
            box = QCheckBox("Show saved tensors")
            qtbot.addWidget(box)
            box.show()
            assert indicator_contrast(box) >= 3.0, name  # WCAG's 3:1 for a control's edge
    finally:
        app.setStyleSheet("")


def test_the_system_theme_follows_the_os(make_window, qtbot, monkeypatch):
    """(The offscreen platform has no colour scheme of its own: the OS's is played here.)"""
    hints = QGuiApplication.styleHints()
    scheme = {"now": Qt.ColorScheme.Dark}
    monkeypatch.setattr(hints, "colorScheme", lambda: scheme["now"], raising=False)
    monkeypatch.setattr(
        appearance,
        "system_theme",
        lambda: "dark" if scheme["now"] == Qt.ColorScheme.Dark else "light",
    )
    w = make_window()
    assert "system" in w.theme_actions
    w.theme_actions["system"].trigger()
    assert w.theme_choice == "system" and w.theme.name == "dark"
    assert w.scene.theme.name == "dark"
    scheme["now"] = Qt.ColorScheme.Light
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the OS changed: it follows
    assert w.theme.name == "light" and w.scene.theme.name == "light"
    w.presenter.enter()
    assert w.theme.name == "high contrast"
    w.presenter.leave()
    assert w.theme_choice == "system" and w.theme_actions["system"].isChecked()
