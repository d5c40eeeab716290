"""Handouts: the backward pass as a multi-page PDF and an animated GIF, from the library,
the command line and the window. Pages and frames are read back with real parsers
(pypdf, Pillow); the numbers on them are checked against PyTorch."""

import gc
import math
import shutil
import subprocess
import time
from dataclasses import replace

import pytest
from PIL import Image
from pypdf import PdfReader

from core.record.graph import GraphRecord
from core.record.labels import value_text
from gui.export.handout import DEFAULT_FRAME_MS, write_gif, write_handout, write_pdf
from gui.model.captions import caption_for, compact
from gui.model.theme import LIGHT
from tests.gui.conftest import LESSON, ROOT
from tests.oracle import plain_value, run_plain
from tests.test_cli import cli


def squashed(text: str) -> str:
    """Text without any white space (PDF text extraction splits and joins words freely)."""
    return "".join(text.split())


def page_texts(path) -> list[str]:
    return [squashed(page.extract_text()) for page in PdfReader(path).pages]


def gif_frames(path) -> tuple[list[Image.Image], list[int]]:
    with Image.open(path) as gif:
        frames, durations = [], []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(gif.convert("RGB"))
            durations.append(gif.info["duration"])
    return frames, durations


def reddish(image: Image.Image, colour: str = LIGHT.gradient, tol: int = 40) -> int:
    """How many pixels are near the colour of gradients and the running step."""
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.NEAREST)
    return sum(1 for p in small.get_flattened_data() if math.dist(p, target) < tol)


@pytest.fixture(scope="module")
def torch_x_grad():
    return plain_value(run_plain(LESSON)["x"].grad)


def test_pdf_has_a_page_per_state_with_the_captions(qtbot, lesson, tmp_path, torch_x_grad):
    out = tmp_path / "h.pdf"
    assert write_pdf(lesson, out) == len(lesson.backward) + 1
    texts = page_texts(out)
    assert len(texts) == len(lesson.backward) + 1 == 7
    for n, text in enumerate(texts):
        assert squashed(caption_for(lesson, n, hints=False)) in text
        assert f"page{n + 1}of7" in text
    # before backward no box shows a gradient; at the end x's box shows torch's x.grad
    assert texts[0].count("gradNone") == 2  # x and o: every tensor that requires grad
    final = squashed(f"grad {value_text(torch_x_grad)}")
    assert final == "grad[10.,10.]"
    assert final not in texts[0] and final in texts[-1]
    assert squashed(f"x.grad becomes {compact(torch_x_grad)}") in texts[-1]
    assert "o=(1/2)*torch.sum(y)" in texts[0]  # the first page lists the program


def test_pdf_prints_the_chain_rule_lines_the_record_has(qtbot, lesson, tmp_path):
    """Each step's page shows the formula and chain-rule lines the record has for that step
    (the chain-rule panel's); the page before backward, and a step without them, show none."""
    assert all(step.formula and step.chain for step in lesson.backward)
    steps = list(lesson.backward)
    steps[3] = replace(steps[3], formula=None, chain=())  # as for an op outside the table
    record = replace(lesson, backward=tuple(steps))
    out = tmp_path / "chain.pdf"
    write_pdf(record, out)
    texts = page_texts(out)
    for n, step in enumerate(record.backward, start=1):
        if step.formula is None:
            assert "Localderivative" not in texts[n]
            continue
        assert squashed(f"Local derivative: {step.formula}") in texts[n]
        assert all(squashed(line) in texts[n] for line in step.chain)
    assert "Localderivative" not in texts[0]


def test_gif_has_a_frame_per_state_first_without_last_with_gradients(qtbot, lesson, tmp_path):
    out = tmp_path / "h.gif"
    assert write_gif(lesson, out, frame_ms=700) == 7
    frames, durations = gif_frames(out)
    assert len(frames) == len(lesson.backward) + 1
    assert set(durations) == {700}
    assert len({f.size for f in frames}) == 1
    assert reddish(frames[0]) == 0  # before backward: no gradient on any edge, nothing runs
    assert all(reddish(f) > 50 for f in frames[1:])  # a running node and its gradient
    assert len({f.tobytes() for f in frames}) == len(frames)  # every step changes the picture


def test_gif_last_frame_shows_the_leaf_done(qtbot, lesson, tmp_path):
    """At the end x's box has its full (not faded) leaf colour; before, it is faded."""
    out = tmp_path / "h.gif"
    write_gif(lesson, out)
    frames, durations = gif_frames(out)
    assert set(durations) == {DEFAULT_FRAME_MS}
    leaf = tuple(int(LIGHT.leaf[i : i + 2], 16) for i in (1, 3, 5))

    def leaf_pixels(image: Image.Image) -> int:
        return sum(1 for p in image.get_flattened_data() if math.dist(p, leaf) < 6)

    assert leaf_pixels(frames[0]) < 50 < leaf_pixels(frames[-1])


def test_no_backward_is_one_page_and_one_frame(qtbot, worker, tmp_path):
    record = worker.evaluate("x = torch.ones(2, requires_grad=True)\ny = x * 2\n", show_values=True)
    assert write_handout(record, tmp_path / "a.pdf") == 1
    assert write_handout(record, tmp_path / "a.gif") == 1
    assert len(PdfReader(tmp_path / "a.pdf").pages) == 1
    assert "Nobackward()inthisprogram." in page_texts(tmp_path / "a.pdf")[0]


def test_bad_paths_and_settings_raise(qtbot, lesson, tmp_path):
    with pytest.raises(ValueError):
        write_gif(lesson, tmp_path / "h.gif", frame_ms=0)
    with pytest.raises(ValueError):
        write_pdf(lesson, tmp_path / "h.png")
    with pytest.raises(OSError):
        write_handout(lesson, tmp_path / "missing" / "h.pdf")


def test_handout_export_times_are_measured(qtbot, lesson, worker, tmp_path):
    """Reports the handout export time of the lesson and of a ~100-step program."""
    source = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.tensor([0.5, -0.5], requires_grad=True)\ny = x\n"
        "for i in range(49):\n    y = torch.tanh(y * w)\nL = y.sum()\nL.backward()\n"
    )
    hundred: GraphRecord = worker.evaluate(source, show_values=True)
    assert len(hundred.backward) == 101
    report = []
    for name, record in (("lesson", lesson), ("101-step program", hundred)):
        for suffix in (".pdf", ".gif"):
            start = time.perf_counter()
            count = write_handout(record, tmp_path / f"t{suffix}")
            report.append(f"{name} {suffix}: {(time.perf_counter() - start) * 1000:.0f} ms")
            assert count == len(record.backward) + 1
    print("\nHandout export " + ", ".join(report))
    assert len(PdfReader(tmp_path / "t.pdf").pages) == 102


def test_cli_writes_the_handout_pdf_and_the_gif(tmp_path):
    pdf, single, gif = tmp_path / "h.pdf", tmp_path / "one.pdf", tmp_path / "h.gif"
    program = tmp_path / "p.py"
    program.write_text(LESSON, encoding="utf-8")
    done = cli("--export", str(pdf), "--handout", str(program))
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(pdf).pages) == 7
    done = cli("--export", str(single), "--expr", LESSON)  # without --handout: one picture
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(single).pages) == 1
    done = cli("--export", str(gif), "--frame-ms", "450", str(program))
    assert done.returncode == 0, done.stderr
    frames, durations = gif_frames(gif)
    assert len(frames) == 7 and set(durations) == {450}
    done = cli("--export", str(tmp_path / "h.png"), "--handout")
    assert done.returncode == 2 and "handout" in done.stderr  # a bad argument (issue 20)
    assert not (tmp_path / "h.png").exists()


# --- long exports: progress, a window that answers, Cancel --------------------------------
def test_the_window_answers_during_a_handout_export_and_cancel_leaves_no_file(
    make_window, qtbot, tmp_path
):
    """A 20-step program's handout: written a page per turn of the event loop (a 10 ms
    timer is never held up 100 ms), with a progress dialog counting pages; Cancel after
    a few pages stops at once and leaves neither the file nor a partial one."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from gui.export.handout_menu import export_handout

    w = make_window()
    program = "x = torch.tensor([0.5, 1.0], requires_grad=True)\ny = x\n"
    program += "for i in range(20):\n    y = torch.sin(y) * 1.1\ny.sum().backward()\n"
    w.editor.setPlainText(program)
    qtbot.waitUntil(lambda: w.controller.record is not None
                    and len(w.controller.record.backward) > 40, timeout=60_000)  # fmt: skip
    gaps, clock = [], QElapsedTimer()
    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    probe.start()
    w.answers["save_path"] = str(tmp_path / "long.pdf")
    job = export_handout(w, ".pdf")
    qtbot.waitUntil(lambda: job.done, timeout=120_000)
    probe.stop()
    assert job.written == tmp_path / "long.pdf" and job.total > 40
    assert len(PdfReader(job.written).pages) == job.total
    print(f"handout: {job.total} pages, the longest stall {max(gaps[1:])} ms")
    assert max(gaps[1:]) < 100, max(gaps)  # the window never stalled 100 ms
    w.answers["save_path"] = str(tmp_path / "cut.gif")
    job = export_handout(w, ".gif")
    qtbot.waitUntil(lambda: job.dialog.value() >= 3, timeout=60_000)
    assert job.dialog.maximum() == job.total and isinstance(job.dialog, QProgressDialog)
    cancel = next(b for b in job.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    assert job.done and job.written is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.pdf"]  # nothing partial


def test_a_gif_is_streamed_frame_by_frame(lesson, tmp_path):
    """The GIF is written as it goes (the file grows before the last frame) and holds the
    frames a whole-image writer would: the same pictures, frame for frame."""
    from gui.export.handout import FrameMaker, handout_job, states, to_pillow

    out = tmp_path / "s.gif"
    total, steps = handout_job(lesson, out, frame_ms=500)
    partial = tmp_path / ".s.gif.partial"
    sizes = []
    for _ in steps:
        sizes.append(partial.stat().st_size if partial.exists() else 0)
    assert sizes[1] < sizes[-1] and out.exists() and not partial.exists()
    frames, durations = gif_frames(out)
    maker = FrameMaker(lesson)
    whole = [to_pillow(maker.frame(s)) for s in states(lesson)]
    assert len(frames) == total == len(whole) and set(durations) == {500}
    for mine, drawn in zip(frames, whole, strict=True):
        assert mine.size == drawn.size
        pairs = zip(mine.convert("RGB").get_flattened_data(), drawn.get_flattened_data(),
                    strict=True)  # fmt: skip
        differing = sum(1 for a, b in pairs if math.dist(a, b) > 60)
        assert differing < mine.width * mine.height * 0.01  # the same picture (256 colours)


D2L = (  # d2l.ai's control-flow example: a tall chain (its GIF cut off the top)
    "import torch\ndef f(a):\n    b = a * 2\n    while b.norm() < 1000:\n        b = b * 2\n"
    "    if b.sum() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\n"
    "a = torch.randn(size=(), requires_grad=True)\nd = f(a)\nd.backward()\n"
)
WIDE = (  # 24 leaves side by side
    "xs = [torch.ones(1, requires_grad=True) for i in range(24)]\n"
    "torch.stack(xs).sum().backward()\n"
)


def qt_frames(path) -> list:
    """The GIF's frames as Qt reads them (whole frames: Qt composes each one's changed
    rectangle onto the last)."""
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(path))
    images = []
    while True:
        image = reader.read()
        if image.isNull():
            break
        images.append(image)
    return images


def pixels(image):
    """A Qt image as an array of RGB rows."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)


def drawn(image, background):
    """Which pixels are not the background."""
    import numpy as np

    return np.abs(pixels(image) - np.array(background)).sum(axis=2) > 40


def graph_box(ink) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the drawing at the top of a frame: it ends at the first
    band of 10 empty rows (the gap above the caption)."""
    rows = [bool(r.any()) for r in ink]
    top = rows.index(True)
    bottom = top
    while bottom < len(rows) and any(rows[bottom : bottom + 10]):
        bottom += 1
    columns = ink[top:bottom].any(axis=0).nonzero()[0]
    return top, bottom, int(columns[0]), int(columns[-1]) + 1


@pytest.mark.parametrize("program", [D2L, WIDE], ids=["d2l-tall", "wide"])
def test_every_gif_frame_holds_the_whole_graph(qtbot, worker, tmp_path, program):
    from gui.export.handout import GIF_SCALE
    from gui.graph.render import render_image

    record = worker.evaluate(program, show_values=True, chain_rule=True)
    out = tmp_path / "g.gif"
    count = write_gif(record, out)
    images = qt_frames(out)
    assert len(images) == count > 5
    assert len({(i.width(), i.height()) for i in images}) == 1  # every frame one size
    background = tuple(int(LIGHT.background[i : i + 2], 16) for i in (1, 3, 5))
    pad = 8 * GIF_SCALE
    for n in (0, count - 1):  # the graph in the frame, as the picture export draws it whole
        ink = drawn(images[n], background)
        assert not ink[: int(pad)].any()  # nothing cut at the frame's top
        top, bottom, left, right = graph_box(ink)
        picture = render_image(record, n, 1.0)
        ptop, pbottom, pleft, pright = graph_box(drawn(picture, background))
        aspect, whole = (right - left) / (bottom - top), (pright - pleft) / (pbottom - ptop)
        assert abs(aspect / whole - 1) < 0.05, (n, aspect, whole)
        assert left > pad / 2 and right < images[n].width() - pad / 2


# A real network's handout (the trial's PyTorch blitz LeNet + SGD): its graph is bigger than
# an A4 page at full size. Every page shows the graph whole, inside the margins, scaled down,
# with the program, caption and chain-rule lines in their own areas under (or beside) it.
LENET = ROOT / "tests" / "programs" / "published" / "pytorch_blitz_neural_networks.py"


@pytest.fixture(scope="module")
def lenet(worker):
    return worker.evaluate(LENET.read_text(encoding="utf-8"), show_values=True, chain_rule=True)


@pytest.fixture(scope="module")
def wide(worker):
    return worker.evaluate(WIDE, show_values=True, chain_rule=True)


def laid_out(record):
    """(the scene's rect, landscape?, the pages' layouts, each page's running node's box)
    as the PDF lays them."""
    from gui.export.handout import blocks_for, focus_point, pdf_layouts, program_block, states
    from gui.graph.render import build_scene

    scene = build_scene(record, states(record)[0], LIGHT)
    whole = scene.sceneRect()
    texts = [blocks_for(record, s, LIGHT, 13) for s in states(record)]
    focus = [focus_point(scene, s) for s in states(record)]
    landscape, layouts = pdf_layouts(whole, texts, program_block(record, LIGHT, 13), focus=focus)
    steps = [record.output] + [s.node for s in record.backward]
    running = [scene.node_item(n).sceneBoundingRect() for n in steps]
    # Freed here, not whenever Python's cycle collector next runs: a scene collected later,
    # while pytest-qt processed Qt's events after another test, crashed the process.
    del scene
    gc.collect()
    return whole, landscape, layouts, running


def within(outer, inner, tol=1e-6) -> bool:
    return outer.adjusted(-tol, -tol, tol, tol).contains(inner)


@pytest.mark.parametrize("name", ["lenet", "lesson", "wide"])
def test_every_page_lays_out_the_whole_graph_inside_the_margins_apart_from_the_text(
    qtbot, request, name
):
    from itertools import combinations

    from PySide6.QtCore import QRectF

    from gui.export.handout import A4_PORTRAIT, MARGIN, MIN_TEXT_PT, block_heights

    record = request.getfixturevalue(name)
    whole, landscape, layouts, running = laid_out(record)
    assert len(layouts) == len(record.backward) + 1
    assert landscape == (name == "wide")  # LeNet's and the lesson's graphs are tall
    page = A4_PORTRAIT.transposed() if landscape else A4_PORTRAIT
    margins = QRectF(MARGIN, MARGIN, page.width() - 2 * MARGIN, page.height() - 2 * MARGIN)
    for n, page_layout in enumerate(layouts):
        graph, areas = page_layout.graph, page_layout.text_areas()
        assert within(margins, page_layout.content)
        for rect in (graph, *areas):
            assert within(page_layout.content, rect), (n, rect)
        for a, b in combinations((graph, *areas), 2):
            assert not a.intersects(b), (n, a, b)
        assert page_layout.cropped == (name == "wide")
        if page_layout.cropped:  # too wide to print whole with its text: the step's part
            part = page_layout.source
            assert within(whole, part) and page_layout.scale == MIN_TEXT_PT / 10
            assert part.width() == pytest.approx(graph.width() / page_layout.scale)
            assert part.height() == pytest.approx(graph.height() / page_layout.scale)
            assert part.contains(running[n])
            assert "this page shows the part around the step" in page_layout.blocks[0].text
            continue
        # the whole graph, its aspect kept, at the page's scale
        assert page_layout.source == whole
        assert graph.width() == pytest.approx(whole.width() * page_layout.scale)
        assert graph.height() == pytest.approx(whole.height() * page_layout.scale)
        # the text fits its area, as laid out
        heights = block_heights(list(page_layout.blocks), page_layout.text.width())
        assert sum(heights) <= page_layout.text.height() + 1e-6
        if page_layout.side is not None:
            assert page_layout.side_block is not None
            side = block_heights([page_layout.side_block], page_layout.side.width())[0]
            assert side <= page_layout.side.height() + 1e-6
        small = 10 * page_layout.scale < MIN_TEXT_PT  # the graph's text is 10 pt at scale 1
        assert small == ("The whole graph is drawn at" in page_layout.blocks[0].text), n
    assert layouts[0].side is not None and "Program:" in layouts[0].side_block.text
    assert all(p.side is None for p in layouts[1:])
    steps = [p.scale for p in layouts[1:]]
    assert max(steps) / min(steps) < 1.2  # the graph keeps (nearly) its size as pages turn
    if name == "lenet":  # bigger than the page: scaled down, its text small and said so
        assert all(0.4 <= p.scale < 0.5 for p in layouts)
    elif name == "lesson":
        assert all(p.scale > 1 for p in layouts)


def test_a_wide_graph_gets_a_landscape_page_and_long_text_leaves_the_graph_room(qtbot):
    from PySide6.QtCore import QRectF

    from gui.export import handout as h

    caption = [h.Block("Step 1/1 · a caption", h.font("DejaVu Sans", 13), "#000000")]
    assert h.pdf_layouts(QRectF(0, 0, 2000, 300), [caption], None)[0]  # landscape
    assert not h.pdf_layouts(QRectF(0, 0, 300, 2000), [caption], None)[0]  # portrait
    content = h.page_content(h.A4_PORTRAIT)
    lines = "\n".join(f"line {i}" for i in range(500))
    page = h.layout_page(
        QRectF(0, 0, 400, 400), content, [*caption, h.Block(lines, caption[0].font, "#000")]
    )
    assert page.text.height() <= content.height() * h.MAX_TEXT
    assert "more lines" in page.blocks[-1].text
    assert page.graph.height() > content.height() / 2 and not page.graph.intersects(page.text)


def placed_texts(page) -> list[tuple[str, float, float, float]]:
    """A PDF page's text as drawn: (text, x, y of its baseline, size), in points from the
    page's top left (as Qt lays the page out)."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font_dict, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = math.hypot(tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3])
            found.append((" ".join(text.split()), x, height - y, size * scale))

    page.extract_text(visitor_text=visit)
    return found


def test_the_lenet_handout_pdf_draws_every_box_on_every_page_above_its_text(qtbot, lenet, tmp_path):
    """Read back from the PDF: each box's title (its op or the tensor's name, in the graph's
    small print) is on every page, inside the margins, above the caption; the program is
    under the caption."""
    from gui.export.handout import MARGIN

    out = tmp_path / "lenet.pdf"
    count = write_pdf(lenet, out)
    titles = {n.op if n.kind == "op" else n.name for n in lenet.nodes if n.kind != "saved"}
    assert None not in titles and len(titles) > 15
    pages = PdfReader(out).pages
    assert len(pages) == count == len(lenet.backward) + 1
    for n, page in enumerate(pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width < height  # portrait: the graph is about as tall as wide
        texts = placed_texts(page)
        for text, x, y, _ in texts:
            assert MARGIN - 0.5 <= x <= width - MARGIN and MARGIN <= y <= height - MARGIN, text
        boxes = [(t, y) for t, x, y, size in texts if t in titles and size < 5]
        assert {t for t, _ in boxes} == titles, n  # the whole graph
        caption = next(y for t, x, y, _ in texts if t.startswith(("Before backward", "Step ")))
        assert max(y for _, y in boxes) < caption - 13, (n, boxes, texts)  # above the caption
        if n == 0:
            assert next(y for t, x, y, _ in texts if t == "Program:") > caption


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler's pdftoppm is not installed")
def test_the_lenet_handout_pages_rendered_have_ink_only_where_the_layout_puts_it(
    qtbot, lenet, tmp_path
):
    """The PDF rendered (poppler, 72 dpi: a pixel a point): nothing is drawn in the margins,
    nor between the graph and the text under it, nor anywhere the layout has nothing."""
    import numpy as np

    from gui.export.handout import MARGIN

    out = tmp_path / "lenet.pdf"
    write_pdf(lenet, out)
    _, _, layouts, _ = laid_out(lenet)
    for n in (0, 1, len(layouts) // 2, len(layouts) - 1):
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", "-f", str(n + 1),
                        "-l", str(n + 1), str(out), str(tmp_path / "p")], check=True)  # fmt: skip
        with Image.open(tmp_path / "p.png") as image:
            ink = (255 * 3 - np.asarray(image.convert("RGB"), dtype=int).sum(axis=2)) > 60
        height, width = ink.shape
        m = int(MARGIN) - 1
        assert not ink[:m].any() and not ink[-m:].any(), n  # top and bottom margins
        assert not ink[:, :m].any() and not ink[:, -m:].any(), n  # left and right
        page = layouts[n]
        allowed = np.zeros_like(ink)
        for rect in (page.graph, *page.text_areas()):
            allowed[int(rect.top()) - 2 : int(rect.bottom()) + 3,
                    int(rect.left()) - 2 : int(rect.right()) + 3] = True  # fmt: skip
        allowed[height - int(MARGIN) - 12 :] = True  # the footer
        assert not (ink & ~allowed).any(), (n, np.argwhere(ink & ~allowed)[:5])
        gap = ink[int(page.graph.bottom()) + 3 : int(page.text.top()) - 2]
        assert not gap.any(), n  # the graph ends above the text
        assert ink[int(page.graph.top()) : int(page.graph.bottom())].any()  # a graph drawn
