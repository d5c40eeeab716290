"""Presenter mode (full screen, graph and caption, clicker keys, the view follows the step),
its colour-blind-safe palette, and the window's handout export."""

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QAbstractAnimation, Qt

from gui.graph.view import GLIDE_MS
from gui.model.captions import caption_for
from gui.model.theme import HIGH_CONTRAST
from gui.window.presenter import EDITOR_SHARE, MIN_ZOOM, PRESENTER_THEME

TALL = (
    "x = torch.ones(2, requires_grad=True)\ny = x\n"
    "for i in range(40):\n    y = y * 1.01\n"
    "z = y.sum()\nz.backward()\n"
)


def layout(w) -> dict:
    """What presenter mode must give back."""
    left = w.splitter.widget(0)
    return {
        "visible": [
            x.isVisible()
            for x in (w.menuBar(), w.statusBar(), w.inspector_dock, w.chain_dock, w.player, left)
            + (w.editor,)
        ]
        + [left.widget(1).isVisible(), w.presenter.caption.isVisible()],
        "full screen": w.isFullScreen(),
        "size": (w.width(), w.height()),
        "splitter": w.splitter.sizes(),
        "theme": (w.theme.name, w.scene.theme.name),
        "zoom": round(w.view.zoom(), 6),
        "scroll bars": w.view.verticalScrollBarPolicy(),
        "editor font": w.editor.font().pixelSize() or w.editor.font().pointSizeF(),
    }


def test_entering_and_leaving_restores_the_layout(make_window, qtbot):
    w = make_window()
    w.view.setFocus()
    before = layout(w)
    qtbot.keyClick(w.view, Qt.Key.Key_F5)
    assert w.presenter.active and w.isFullScreen()
    assert not w.splitter.widget(0).isVisible() and not w.player.isVisible()
    assert not w.menuBar().isVisible() and not w.inspector_dock.isVisible()
    assert not w.chain_dock.isVisible()  # graph and caption only
    assert w.presenter.caption.isVisible()
    assert w.presenter.caption.text() == caption_for(w.controller.record, w.controller.step)
    assert w.presenter.caption.font().pixelSize() >= 20  # large type
    assert w.theme is HIGH_CONTRAST and w.scene.theme is HIGH_CONTRAST
    assert w.theme.name == PRESENTER_THEME and w.theme_actions[PRESENTER_THEME].isChecked()
    qtbot.waitUntil(lambda: w.view.zoom() >= MIN_ZOOM)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(w.view, Qt.Key.Key_E, ctrl_shift)
    assert w.editor.isVisible() and w.presenter.show_editor  # the editor, on request
    assert w.editor.font().pixelSize() > before["editor font"]
    sizes = w.splitter.sizes()  # its column wide enough for its large type
    assert sizes[0] >= EDITOR_SHARE * sum(sizes) - 2, sizes
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)
    assert not w.presenter.active
    qtbot.waitUntil(lambda: layout(w) == before)
    # the editor shown in presenter mode is remembered for the next time, the layout is not
    qtbot.keyClick(w.view, Qt.Key.Key_F5)
    assert w.presenter.active and w.editor.isVisible()
    qtbot.keyClick(w.view, Qt.Key.Key_F5)  # F5 leaves too
    qtbot.waitUntil(lambda: layout(w) == before)
    w.presenter.enter()
    w.close()  # quitting leaves presenter mode first: the layout stored at quit is the user's
    assert not w.presenter.active and w.theme.name == before["theme"][0]
    assert not w.isFullScreen() and w.menuBar().isVisibleTo(w)


def test_clicker_keys_step_with_the_menu_bar_hidden(make_window, qtbot):
    w = make_window()
    record = w.controller.record
    w.presenter.enter()
    w.view.setFocus()
    assert not w.menuBar().isVisible()
    qtbot.keyClick(w.view, Qt.Key.Key_Home)
    assert w.controller.step == 0
    for key, step in (
        (Qt.Key.Key_PageDown, 1),
        (Qt.Key.Key_Right, 2),
        (Qt.Key.Key_PageDown, 3),
        (Qt.Key.Key_PageUp, 2),
        (Qt.Key.Key_Left, 1),
    ):
        qtbot.keyClick(w.view, key)
        assert w.controller.step == step
        assert w.presenter.caption.text() == caption_for(record, step)
    qtbot.keyClick(w.view, Qt.Key.Key_Space)
    assert w.controller.step == 2 and not w.player.timer.isActive()  # Space steps, as in slides
    qtbot.keyClick(w.view, Qt.Key.Key_F8)
    assert w.player.timer.isActive()  # F8 plays
    qtbot.keyClick(w.view, Qt.Key.Key_F8)
    assert not w.player.timer.isActive()
    w.presenter.leave()


def test_the_view_follows_the_step_smoothly_on_a_tall_graph(make_window, qtbot):
    w = make_window(TALL)
    record = w.controller.record
    assert len(record.backward) == 42  # sum, 40 muls, AccumulateGrad
    w.presenter.enter()
    qtbot.waitUntil(lambda: w.view.zoom() >= MIN_ZOOM)
    view, glide = w.view, w.view.glide
    assert w.scene.sceneRect().height() * view.zoom() > 3 * view.viewport().height()

    def in_view(n: int) -> bool:
        item = w.scene.node_item(record.backward[n - 1].node)
        return view.visible_rect().contains(item.sceneBoundingRect())

    qtbot.waitUntil(lambda: in_view(w.controller.step))  # entering shows the current node
    glided = 0
    for n in (1, 2, 20, 21, 42, 10):
        shown = in_view(n)
        w.controller.set_step(n)
        if shown:  # already in view: nothing moves
            assert glide.state() != QAbstractAnimation.State.Running
        else:
            assert glide.state() == QAbstractAnimation.State.Running
            assert glide.duration() == GLIDE_MS
            glided += 1
            qtbot.waitUntil(lambda: glide.state() == QAbstractAnimation.State.Stopped, timeout=2000)
        assert in_view(n), f"step {n}"
    assert glided >= 3
    w.presenter.leave()
    assert not view.smooth_follow


# --- the palette ------------------------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip
OKABE_ITO = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}


def linear(hex_colour: str) -> tuple[float, ...]:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return tuple(channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, matrix) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    return lab(tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix))


def contrast(a: str, b: str) -> float:
    def luminance(h: str) -> float:
        r, g, bl = linear(h)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_presenter_palette_is_okabe_ito_and_stays_apart_for_colour_blind_eyes():
    t = HIGH_CONTRAST
    coloured = {t.leaf, t.output, t.base, t.saved, t.running, t.done, t.gradient, t.selected}
    coloured |= {t.highlight}
    assert coloured <= OKABE_ITO
    # what every step shows (running / done, leaf / output, the editor's marks) stays far
    # apart (CIE76 ΔE > 20) for each deficiency; the rarer boxes (saved tensors, view bases)
    # stay apart too, if less so (Okabe-Ito has no fifth light colour for tritanopes)
    pairs = {
        20: [(t.running, t.done), (t.leaf, t.output), (t.leaf, t.saved), (t.output, t.base),
             (t.highlight, t.selected), (t.running, t.highlight), (t.gradient, t.edge)],
        15: [(t.output, t.saved), (t.leaf, t.base), (t.saved, t.base)],
    }  # fmt: skip
    for least, some in pairs.items():
        for name, matrix in CVD.items():
            for a, b in some:
                la, lb = seen(a, matrix), seen(b, matrix)
                distance = sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
                assert distance > least, f"{a} and {b} look alike with {name} ({distance:.1f})"
    for fill in (t.leaf, t.output, t.base, t.saved, t.op):
        assert contrast(fill, t.text) >= 4.5  # WCAG AA for the text in the boxes
    assert contrast(t.background, t.edge) >= 7 and contrast(t.background, t.running) >= 3


# --- handouts from the window -------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".pdf", ".gif"])
def test_window_exports_the_handout(make_window, qtbot, tmp_path, suffix):
    from gui.export.handout_menu import export_handout

    w = make_window()
    steps = len(w.controller.record.backward)
    two_seconds = next(
        a for a in w.findChildren(type(w.handout_actions[".pdf"])) if a.text() == "2 s"
    )
    two_seconds.trigger()
    assert w.handout_frame_ms == 2000
    w.answers["save_path"] = str(tmp_path / "lesson")  # the suffix is added
    job = export_handout(w, suffix)  # a page a turn of the event loop (issue 20)
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    written = job.written
    assert written == tmp_path / f"lesson{suffix}" and written.exists()
    if suffix == ".pdf":
        assert len(PdfReader(written).pages) == steps + 1
    else:
        with Image.open(written) as gif:
            assert gif.n_frames == steps + 1 and gif.info["duration"] == 2000
    assert not w.answers["messages"]
    w.answers["save_path"] = str(tmp_path / "missing" / f"h{suffix}")
    assert export_handout(w, suffix) is None
    assert w.answers["messages"][-1][0] == "Export failed"
