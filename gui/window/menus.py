"""The menu bar: File, Edit, Examples, Backward, View, Help — all wiring in one place.

Every action calls a window, editor, view or player method; none holds state of its own.
`build_menus` returns the actions others check or trigger as one `Actions` object (the
window keeps it); it adds nothing to the window itself. Examples are the .py files in
resources/examples, titled by their first comment line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from gui.export import exports
from gui.export.handout_menu import add_handout_menu
from gui.look import appearance
from gui.model.big_graph import is_laid_out
from gui.model.theme import THEME_CHOICES
from gui.panels.player import SPEEDS
from gui.window import help_menu, preferences, recent, sessions, settings
from gui.window.about import show_about, show_report_problem
from gui.window.interface import Window

EXAMPLES = appearance.RESOURCES / "examples"
LESSON = EXAMPLES / "lesson.py"


def example_title(path: Path) -> str:
    """An example's title: its first line's comment ("# A neuron · …" -> "A neuron · …")."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.lstrip("#").strip() if first.startswith("#") else path.stem.replace("_", " ")


ORDER = (
    "neuron",
    "mlp_loss",
    "softmax_cross_entropy",
    "external_gradient",
    "used_twice",
    "gradient_accumulation",
    "retain_grad",
    "view",
)  # simple to subtle; others follow


def examples() -> tuple[list[Path], list[Path]]:
    """(the lesson's steps in order, the other examples in ORDER, then any more by name)."""
    files = sorted(p for p in EXAMPLES.glob("*.py") if p != LESSON)
    lesson = [p for p in files if p.name.startswith("lesson_")]
    others = [p for p in files if p not in lesson]
    rank = {name: i for i, name in enumerate(ORDER)}
    return lesson, sorted(others, key=lambda p: (rank.get(p.stem, len(ORDER)), p.stem))


@dataclass(frozen=True)
class Actions:
    """The menu actions the window and its helpers check, trigger or fill later."""

    export: dict[str, QAction]  # File → Export Graph, by format label
    handout: dict[str, QAction]  # File → Export Handout, by suffix (".pdf", ".gif")
    recent_menu: QMenu  # File → Open Recent (filled afresh as it opens)
    values: QAction  # View → Show Values and Grads
    graph_options: dict[str, QAction]  # View → Show Saved Tensors / grad_fn Attributes
    constants: QAction  # View → Show Constants
    themes: dict[str, QAction]  # View → Theme, by theme name
    forward: QAction  # Backward → Forward Pass, Step by Step


def add(menu: QMenu | QMenuBar, text: str, slot: Callable[..., object],
        keys: str | QKeySequence.StandardKey | list[str] | None = None,
        tip: str = "") -> QAction:  # fmt: skip
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if keys:
        seqs = keys if isinstance(keys, list) else [keys]
        action.setShortcuts([QKeySequence(k) for k in seqs])
    if tip:
        action.setStatusTip(tip)
    return action


def build_menus(w: Window) -> Actions:
    bar = w.menuBar()
    export, handout, recent_menu = _file_menu(w, bar.addMenu("&File"))
    _edit_menu(w, bar.addMenu("&Edit"))
    _examples_menu(w, bar.addMenu("E&xamples"))
    forward = _backward_menu(w, bar.addMenu("&Backward"))
    values, graph_options, constants, themes = _view_menu(w, bar.addMenu("&View"))
    help_menu.build(w, bar.addMenu("&Help"), partial(about, w), partial(show_report_problem, w))
    return Actions(export, handout, recent_menu, values, graph_options, constants, themes,
                   forward)  # fmt: skip


def _file_menu(w: Window, menu: QMenu) -> tuple[dict[str, QAction], dict[str, QAction], QMenu]:
    add(menu, "&New", w.new_file, QKeySequence.StandardKey.New)
    add(menu, "&Open…", w.open_file, QKeySequence.StandardKey.Open)
    recent_menu = recent.add_menu(w, menu)
    add(menu, "&Save", w.save, QKeySequence.StandardKey.Save)
    add(menu, "Save &As…", w.save_as, QKeySequence.StandardKey.SaveAs)
    menu.addSeparator()
    add(menu, "Open Sess&ion…", partial(sessions.open_session, w), "Ctrl+Shift+O")
    add(menu, "Save Sessio&n…", partial(sessions.save_session, w), "Ctrl+Alt+S",
        "Save the program, settings and view as a .alens file")  # fmt: skip
    menu.addSeparator()
    export = menu.addMenu("&Export Graph")
    formats = {fmt.label: add(export, fmt.label, partial(export_graph, w, fmt))
               for fmt in exports.FORMATS}  # fmt: skip
    export.insertSeparator(formats["DOT (Graphviz source)…"])
    export.aboutToShow.connect(lambda: export.setDefaultAction(  # the last format, in bold
        formats.get(settings.export_format())))  # fmt: skip
    handout = add_handout_menu(w, menu)
    add(menu, "&Copy Graph Image", partial(copy_graph, w), "Ctrl+Shift+C")
    add(menu, "Save &Window Screenshot…", partial(save_screenshot, w))
    menu.addSeparator()
    add(menu, "&Quit", w.close, "Ctrl+Q")
    return formats, handout, recent_menu


def _edit_menu(w: Window, menu: QMenu) -> None:
    e = w.editor
    undo = add(menu, "&Undo", e.undo, QKeySequence.StandardKey.Undo)
    redo = add(menu, "&Redo", e.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
    undo.setEnabled(False)
    redo.setEnabled(False)
    e.undoAvailable.connect(undo.setEnabled)
    e.redoAvailable.connect(redo.setEnabled)
    menu.addSeparator()
    add(menu, "Cu&t", e.cut, QKeySequence.StandardKey.Cut)
    add(menu, "&Copy", e.copy, QKeySequence.StandardKey.Copy)
    add(menu, "&Paste", e.paste, QKeySequence.StandardKey.Paste)
    add(menu, "Select &All", e.selectAll, QKeySequence.StandardKey.SelectAll)
    menu.addSeparator()
    add(menu, "Pre&ferences…", partial(preferences.edit, w), ["Ctrl+,"])


def _examples_menu(w: Window, menu: QMenu) -> None:
    lesson_steps, others = examples()
    lesson = menu.addMenu("&Lesson: Tensors with Gradients")
    add(lesson, "The whole lesson", partial(w.open_example, LESSON, "the lesson"))
    lesson.addSeparator()
    for path in lesson_steps:
        title = example_title(path)
        add(lesson, title.replace("Lesson step", "Step", 1), partial(w.open_example, path, title))
    menu.addSeparator()
    for path in others:
        title = example_title(path)
        add(menu, title, partial(w.open_example, path, title))


def _backward_menu(w: Window, menu: QMenu) -> QAction:
    p = w.player
    forward = add(menu, "&Forward Pass, Step by Step", w.forward_pass.start,
                  "Ctrl+Shift+F", "Build the graph statement by statement")  # fmt: skip
    menu.addActions(p.actions_in_menu[:2])
    menu.addActions(p.lesson_actions)
    menu.addSeparator()
    menu.addActions(p.actions_in_menu[2:])
    menu.addSeparator()
    add(menu, "Check by &Hand…", w.chain_panel.open_check, "Ctrl+Shift+H",
        "Finite differences for each leaf beside autograd's .grad")  # fmt: skip
    menu.addSeparator()
    speed = menu.addMenu("&Speed")
    group = QActionGroup(speed)
    for i, s in enumerate(SPEEDS):
        action = add(speed, f"{s:g}×", partial(p.speed.setCurrentIndex, i))
        action.setCheckable(True)
        action.setChecked(s == 1.0)
        group.addAction(action)
        p.speed.currentIndexChanged.connect(partial(_check_if, action, i))
    return forward


def _check_if(action: QAction, index: int, current: int) -> None:
    action.setChecked(index == current)


def _view_menu(
    w: Window, menu: QMenu
) -> tuple[QAction, dict[str, QAction], QAction, dict[str, QAction]]:
    values = add(menu, "Show &Values and Grads", w.set_show_values, "Ctrl+Shift+V")
    values.setCheckable(True)
    values.setChecked(w.controller.show_values)
    graph_options = preferences.add_graph_toggles(w, menu)
    constants = add(menu, "Show &Constants", w.controller.set_show_constants, tip=(
        "Draw the constants torchviz leaves out (5, 1/2, tensors that don't require grad), "
        "dimmed, and where detach() or no_grad cut the graph"))  # fmt: skip
    constants.setCheckable(True)
    constants.setChecked(w.controller.lesson.show_constants)
    menu.addSeparator()
    v = w.view
    add(menu, "&Fit to Window", v.fit_to_window, "Ctrl+9")
    add(menu, "Actual &Size (1:1)", v.actual_size, "Ctrl+1")
    add(menu, "Zoom &In", v.zoom_in, "Ctrl++")
    add(menu, "Zoom &Out", v.zoom_out, "Ctrl+_")
    menu.addSeparator()
    add(menu, "&Larger Text", partial(w.scale_text, 1), "Ctrl+=")
    add(menu, "S&maller Text", partial(w.scale_text, -1), "Ctrl+-")
    add(menu, "&Normal Text Size", partial(w.scale_text, 0), "Ctrl+0")
    menu.addSeparator()
    themes = menu.addMenu("&Theme")
    group = QActionGroup(themes)
    theme_actions = {}
    for name in THEME_CHOICES:  # (System follows the OS's light or dark)
        action = add(themes, name.capitalize(), partial(w.set_theme, name))
        action.setCheckable(True)
        action.setChecked(name == w.theme_choice)
        group.addAction(action)
        theme_actions[name] = action
    menu.addSeparator()
    menu.addAction(w.inspector_dock.toggleViewAction())
    menu.addAction(w.chain_dock.toggleViewAction())
    menu.addSeparator()
    menu.addActions(w.presenter.actions)
    return values, graph_options, constants, theme_actions


def export_graph(w: Window, fmt: exports.Format) -> None:
    shown = w.shown()
    if shown is None:
        w.show_message("Nothing to export", "There is no graph yet.")
        return
    if fmt.suffix not in (".json", ".dot") and not can_draw(w, shown):
        return
    stem = w.document_stem()
    suffix = f"@{fmt.scale:g}x" if fmt.suffix == ".png" and fmt.scale != 1 else ""
    name, folder = f"{stem}{suffix}{fmt.suffix}", settings.export_folder()
    start = str(folder / name) if folder else name  # the last export's folder
    path = w.ask_save_path("Export graph", exports.FILTERS[fmt.suffix], start)
    if not path:
        return
    if fmt.suffix == ".json":  # the record whole: with its chain-rule lines
        shown = replace(shown, record=w.controller.explained_record() or shown.record)
    try:
        written = exports.write(shown, fmt, path)
    except (OSError, ValueError) as e:
        w.show_message("Export failed", str(e))
        return
    settings.note_export(written, fmt.label)
    w.flash(f"Exported {written}")


def can_draw(w: Window, shown: exports.Shown) -> bool:
    """Whether the graph has a layout to draw (it has none without Graphviz); says so if not."""
    if is_laid_out(shown.record):
        return True
    w.show_message("Nothing to draw", shown.record.layout_error or "The graph has no layout.")
    return False


def copy_graph(w: Window) -> None:
    shown = w.shown()
    if shown is not None and can_draw(w, shown):
        image = exports.copy_image(shown)
        w.flash(f"Copied the graph ({image.width()}×{image.height()} px)")


def save_screenshot(w: Window) -> None:
    name = f"{w.document_stem()}-window.png"
    path = w.ask_save_path("Save window screenshot", exports.FILTERS[".png"], name)
    if path:
        try:
            w.flash(f"Saved {exports.save_window(w, path)}")
        except OSError as e:
            w.show_message("Screenshot failed", str(e))


ABOUT = """<h3>Autograd Lens</h3>
<p>See PyTorch's autograd at work: the graph of a short program, in torchviz's colours,
and <code>backward()</code> played node by node.</p>
<p><b>Keys</b>: Space or → steps, Shift+Space or ← steps back, Home/End first/last,
F8 plays. While typing in the editor: Alt+→/Alt+←, F10/F9 or PageDown/PageUp (what
presentation clickers send) step. Help → Keyboard Shortcuts lists them all.</p>
<p>Ctrl+= / Ctrl+− scale all text (for projectors). Ctrl+wheel or pinch zooms the graph.
F5 presenter mode (Esc leaves; Ctrl+Shift+E shows the editor).</p>
<p>The window never imports PyTorch: programs run in a separate worker process.</p>"""


def about(w: Window) -> None:
    show_about(w, ABOUT)
