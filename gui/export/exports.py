"""Pictures and files out of the window: the graph as shown (step, theme, values), or data.

`graph_image` makes the image; the other functions save or copy it, or write the record's
DOT and JSON. The picture functions are gui.graph.render's, the same ones the command line uses,
so the window and `main.py --export` give identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from core.record.dot import to_dot
from core.record.graph import GraphRecord
from gui.graph.render import export_picture, render_image
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.playback import playback_of
from gui.model.theme import Theme


@dataclass(frozen=True)
class Shown:
    """What the graph pane shows: enough to draw it again anywhere."""

    record: GraphRecord
    step: int | None  # None: the record has no backward to step through
    theme: Theme
    show_values: bool


@dataclass(frozen=True)
class Format:
    label: str  # menu text, in English: the settings keep it; the menu shows translate()
    suffix: str
    scale: float = 1.0


FORMATS = (
    Format(QT_TRANSLATE_NOOP("Exports", "PNG (1×)…"), ".png", 1.0),
    Format(QT_TRANSLATE_NOOP("Exports", "PNG (2×)…"), ".png", 2.0),
    Format(QT_TRANSLATE_NOOP("Exports", "PNG (4×)…"), ".png", 4.0),
    Format(QT_TRANSLATE_NOOP("Exports", "SVG…"), ".svg"),
    Format(QT_TRANSLATE_NOOP("Exports", "PDF…"), ".pdf"),
    Format(QT_TRANSLATE_NOOP("Exports", "DOT (Graphviz source)…"), ".dot"),
    Format(QT_TRANSLATE_NOOP("Exports", "JSON (the record)…"), ".json"),
)

# the file dialogs' types, in English: show them with file_filter()
FILTERS = {
    ".png": QT_TRANSLATE_NOOP("Exports", "PNG image (*.png)"),
    ".svg": QT_TRANSLATE_NOOP("Exports", "SVG drawing (*.svg)"),
    ".pdf": QT_TRANSLATE_NOOP("Exports", "PDF document (*.pdf)"),
    ".dot": QT_TRANSLATE_NOOP("Exports", "Graphviz DOT (*.dot)"),
    ".json": QT_TRANSLATE_NOOP("Exports", "Autograd Lens record (*.json)"),
}


def file_filter(suffix: str) -> str:
    """The file dialog's type for `suffix`, in the window's language."""
    return translate("Exports", FILTERS[suffix])


def write(shown: Shown, fmt: Format, path: str | Path) -> Path:
    """Write the shown graph in `fmt` to `path` (its suffix is added when missing)."""
    path = Path(path)
    if path.suffix.lower() != fmt.suffix:
        path = path.with_name(path.name + fmt.suffix)
    if fmt.suffix == ".json":
        path.write_text(shown.record.to_json(), encoding="utf-8")
    elif fmt.suffix == ".dot":
        state = (
            playback_of(shown.record).state(shown.step)
            if shown.step is not None
            else (shown.record)
        )
        path.write_text(to_dot(state, show_values=shown.show_values), encoding="utf-8")
    else:
        export_picture(shown.record, path, fmt.scale, shown.step, shown.theme, shown.show_values)
    return path


def graph_image(shown: Shown, scale: float = 2.0) -> QImage:
    return render_image(shown.record, shown.step, scale, shown.theme, shown.show_values)


def copy_image(shown: Shown) -> QImage:
    """Put the graph on the clipboard (at 2×: crisp when pasted into slides)."""
    image = graph_image(shown)
    QApplication.clipboard().setImage(image)
    return image


def save_window(window: QWidget, path: str | Path) -> Path:
    """A screenshot of the whole window, as a PNG."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        path = path.with_name(path.name + ".png")
    if not window.grab().save(str(path), "PNG"):
        raise OSError(translate("Exports", "can't write {path}").format(path=path))
    return path
