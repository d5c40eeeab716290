"""Pictures: PNG at 1/2/4x, SVG, PDF; torchviz's colours; CLI and window draw the same."""

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QColor, QImage

from core.record.graph import GraphRecord
from gui.graph.render import MAX_PIXELS, MAX_SIDE, export_picture, fitted_scale, render_image
from gui.model.theme import DARK, LIGHT
from tests.gui.conftest import ROOT

TORCHVIZ = {"leaf": "#add8e6", "output": "#caff70", "op": "#d3d3d3"}


def colours(image: QImage, step: int = 1) -> set[str]:
    """The distinct colours of an image (every `step`th pixel)."""
    found = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            found.add(QColor(image.pixel(x, y)).name())
    return found


def test_png_size_scales_with_scale(qtbot, lesson, tmp_path):
    """A ×2 / ×4 PNG is two / four times the ×1 PNG's size, and ×1 is one pixel a point."""
    sizes = {}
    for scale in (1, 2, 4):
        out = tmp_path / f"g{scale}.png"
        export_picture(lesson, out, scale=scale)
        image = QImage(str(out))
        sizes[scale] = (image.width(), image.height())
    w, h = sizes[1]
    assert w >= lesson.width and h >= lesson.height
    for scale in (2, 4):
        assert abs(sizes[scale][0] - scale * w) <= scale
        assert abs(sizes[scale][1] - scale * h) <= scale


def test_image_is_not_blank_and_has_torchviz_colours(qtbot, lesson):
    """The lesson's picture shows text and the leaf, output and op fills."""
    found = colours(render_image(lesson, scale=2))
    assert set(TORCHVIZ.values()) <= found
    assert "#000000" in found and len(found) > 20  # text and lines, antialiased


def test_states_show_in_the_picture(qtbot, lesson):
    """At a step the running outline's colour appears, and not at the plain end."""
    running = LIGHT.running
    assert running in colours(render_image(lesson, step=3, scale=2))
    assert running not in colours(render_image(lesson, scale=2))


def test_dark_theme_background(qtbot, lesson):
    """The dark theme's picture has its background colour in the corner."""
    image = render_image(lesson, theme=DARK)
    assert QColor(image.pixel(0, 0)).name() == DARK.background


def test_svg_parses_and_contains_the_node_names(qtbot, lesson, tmp_path):
    """The SVG is well-formed XML whose text includes x, o, y's op and the op names."""
    out = tmp_path / "g.svg"
    export_picture(lesson, out)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = {(t.text or "").strip() for t in root.iter() if t.tag.endswith("text")}
    for expected in ("x", "o", "AccumulateGrad", "PowBackward0", "y = [20., 20.]"):
        assert expected in texts


def test_pdf_has_one_page_the_graphs_size(qtbot, lesson, tmp_path):
    """The PDF starts with %PDF and has one page, its MediaBox the graph's size in points."""
    out = tmp_path / "g.pdf"
    export_picture(lesson, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    assert box and abs(float(box[1]) - (lesson.width + 16)) < 1.5


def test_unknown_suffix_and_unwritable_path_raise(qtbot, lesson, tmp_path):
    """A .gif is refused with ValueError; a path in a missing folder gives OSError."""
    with pytest.raises(ValueError):
        export_picture(lesson, tmp_path / "g.gif")
    for suffix in (".png", ".svg", ".pdf"):
        with pytest.raises(OSError):
            export_picture(lesson, tmp_path / "missing" / f"g{suffix}")


def test_cli_and_window_pictures_are_identical(qtbot, lesson, tmp_path):
    """`main.py --export x.png` (no display, no app) gives the pixels render_image gives."""
    out = tmp_path / "cli.png"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--export",
            str(out),
            "--step",
            "3",
            "--scale",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    from core.record.steps import state_at

    mine = render_image(state_at(lesson, 3), step=3, scale=2)
    theirs = QImage(str(out)).convertToFormat(mine.format())
    assert theirs.size() == mine.size()
    assert theirs == mine


def test_png_export_times_are_measured(qtbot, lesson, chain, tmp_path):
    """Reports the PNG export time of the lesson and of a 1,000-node chain (in process)."""
    report = []
    for name, record in (("lesson", lesson), ("1,000-node chain", chain)):
        start = time.perf_counter()
        export_picture(record, tmp_path / "t.png")
        report.append(f"{name}: {(time.perf_counter() - start) * 1000:.0f} ms")
    print("\nPNG export " + ", ".join(report))
    expected = chain.height * fitted_scale(chain.width, chain.height, 1.0)
    assert QImage(str(tmp_path / "t.png")).height() >= int(expected)


def test_json_record_renders_like_the_worker_record(qtbot, lesson):
    """A record read back from JSON draws exactly as the worker's record does."""
    again = GraphRecord.from_json(lesson.to_json())
    assert render_image(again, step=2) == render_image(lesson, step=2)


def test_huge_pictures_are_scaled_down_to_the_pixel_limits(qtbot, lesson, tmp_path):
    """A PNG that would pass MAX_PIXELS or MAX_SIDE is drawn smaller, and says by how much;
    SVG keeps the full size."""
    assert fitted_scale(100, 100, 4.0) == 4.0
    assert fitted_scale(MAX_SIDE * 2, 10, 1.0) == pytest.approx(0.5)
    assert fitted_scale(20_000, 20_000, 1.0) ** 2 * 20_000**2 == pytest.approx(MAX_PIXELS)
    wide = lesson.with_nodes(lesson.nodes, width=lesson.width * 400)  # a 400x wider canvas
    used = export_picture(wide, tmp_path / "wide.png", scale=2.0)
    image = QImage(str(tmp_path / "wide.png"))
    assert used < 2.0 and image.width() <= MAX_SIDE
    assert image.width() * image.height() <= MAX_PIXELS
    assert export_picture(lesson, tmp_path / "small.png", scale=2.0) == pytest.approx(2.0, 1e-3)
