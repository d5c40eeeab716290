"""The app icon: committed PNGs of every size, rendered from the SVG, on the window."""

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from gui.desktop import app_icon

from .conftest import ROOT


def opaque_fraction(image: QImage) -> float:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = image.width(), image.height()
    return sum(image.pixelColor(x, y).alpha() > 0 for x in range(w) for y in range(h)) / (w * h)


def colours(image: QImage) -> set[int]:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


@pytest.mark.parametrize("size", app_icon.SIZES)
def test_every_png_size_is_there_at_its_size_and_drawn(size, qapp):
    """Each PNG is size×size, mostly covered by the rounded square, and not one flat colour."""
    path = ROOT / "resources" / "icons" / f"autograd-lens-{size}.png"
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is missing or unreadable"
    assert (image.width(), image.height()) == (size, size)
    assert opaque_fraction(image) > 0.8  # the square with round corners: corners transparent
    assert opaque_fraction(image) < 1.0
    assert len(colours(image)) >= 6  # background, three boxes, the edges, the red dot


def test_committed_pngs_are_what_the_svg_renders_now(qapp):
    """`make icons` was run after the SVG last changed: the files match a fresh render."""
    for size in app_icon.SIZES:
        committed = QImage(str(app_icon.png_path(size))).convertToFormat(
            QImage.Format.Format_ARGB32
        )
        fresh = app_icon.render(size).convertToFormat(QImage.Format.Format_ARGB32)
        assert committed == fresh, f"autograd-lens-{size}.png is out of date: run make icons"


def test_the_regeneration_script_writes_every_size(tmp_path):
    """`python -m gui.desktop.app_icon` (what `make icons` runs) renders the PNGs from the SVG."""
    svg = tmp_path / "icon.svg"
    svg.write_text(app_icon.SVG.read_text(encoding="utf-8"), encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from gui.desktop import app_icon as a\n"
        "from PySide6.QtGui import QGuiApplication; app = QGuiApplication([])\n"
        f"a.ICONS = Path({str(tmp_path)!r}); a.NAME = 'icon'\n"
        "print(len(a.write_pngs(a.ICONS / 'icon.svg')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(len(app_icon.SIZES))
    for size in app_icon.SIZES:
        image = QImage(str(tmp_path / f"icon-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
    make = subprocess.run(["make", "-n", "icons"], cwd=ROOT, capture_output=True, text=True)
    assert "gui.desktop.app_icon" in make.stdout


def test_a_broken_svg_is_refused(tmp_path, qapp):
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg", encoding="utf-8")
    with pytest.raises(ValueError, match="not an SVG"):
        app_icon.render(16, bad)


def test_the_window_icon_has_every_size(make_window):
    """The window's icon is made of the PNGs: each size is there as drawn, not scaled."""
    w = make_window(wait=False)
    icon = w.windowIcon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert sizes == {(s, s) for s in app_icon.SIZES}
    assert icon.pixmap(48, 48).toImage().convertToFormat(QImage.Format.Format_ARGB32) == QImage(
        str(app_icon.png_path(48))
    ).convertToFormat(QImage.Format.Format_ARGB32)
