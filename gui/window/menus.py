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
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.big_graph import is_laid_out
from gui.model.core_text import layout_reason
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


# The examples' titles (their files' first comment lines), for the translators: the menu
# shows translate("Examples", title); tests/gui/test_i18n.py checks every example is here.
EXAMPLE_TITLES = (
    QT_TRANSLATE_NOOP("Examples", "External gradient · backward(gradient=v) from a vector output"),
    QT_TRANSLATE_NOOP("Examples", "Gradient accumulation · two backward() calls add up in .grad"),
    QT_TRANSLATE_NOOP(
        "Examples", "Where the graph stops · detach() and torch.no_grad() (View → Show Constants)"
    ),
    QT_TRANSLATE_NOOP("Examples", "Lesson step 1 · Creating a tensor with gradients"),
    QT_TRANSLATE_NOOP("Examples", "Lesson step 2 · They behave like ordinary tensors"),
    QT_TRANSLATE_NOOP("Examples", "Lesson step 3 · y = 5(x + 1)², then o = ½ Σ y (press Backward)"),
    QT_TRANSLATE_NOOP("Examples", "Lesson step 4 · o.backward() and x.grad"),
    QT_TRANSLATE_NOOP("Examples", "MLP loss · two layers, tanh, mean squared error"),
    QT_TRANSLATE_NOOP("Examples", "A neuron · o = tanh(x1 w1 + x2 w2 + b)"),
    QT_TRANSLATE_NOOP("Examples", "retain_grad() · keep the .grad of an intermediate tensor"),
    QT_TRANSLATE_NOOP(
        "Examples", "Second derivative · create_graph=True gives the gradient a graph of its own"
    ),
    QT_TRANSLATE_NOOP(
        "Examples", "Softmax cross-entropy · the gradient is softmax(logits) − one_hot(target)"
    ),
    QT_TRANSLATE_NOOP("Examples", "A tensor used twice · the gradients from both uses add up"),
    QT_TRANSLATE_NOOP(
        "Examples", "A view · view() and t() share storage; gradients flow back through them"
    ),
)
# in the Lesson submenu a lesson step is called "Step 1 · …"
STEP_TITLES = {
    t: t.replace("Lesson step", "Step", 1) for t in EXAMPLE_TITLES if t.startswith("Lesson step")
}
_STEPS = (  # (STEP_TITLES' texts, for lupdate)
    QT_TRANSLATE_NOOP("Examples", "Step 1 · Creating a tensor with gradients"),
    QT_TRANSLATE_NOOP("Examples", "Step 2 · They behave like ordinary tensors"),
    QT_TRANSLATE_NOOP("Examples", "Step 3 · y = 5(x + 1)², then o = ½ Σ y (press Backward)"),
    QT_TRANSLATE_NOOP("Examples", "Step 4 · o.backward() and x.grad"),
)

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
    export, handout, recent_menu = _file_menu(w, bar.addMenu(translate("Menus", "&File")))
    _edit_menu(w, bar.addMenu(translate("Menus", "&Edit")))
    _examples_menu(w, bar.addMenu(translate("Menus", "E&xamples")))
    forward = _backward_menu(w, bar.addMenu(translate("Menus", "&Backward")))
    values, graph_options, constants, themes = _view_menu(
        w, bar.addMenu(translate("Menus", "&View"))
    )
    help_menu.build(
        w,
        bar.addMenu(translate("Menus", "&Help")),
        partial(about, w),
        partial(show_report_problem, w),
    )
    return Actions(export, handout, recent_menu, values, graph_options, constants, themes,
                   forward)  # fmt: skip


def _file_menu(w: Window, menu: QMenu) -> tuple[dict[str, QAction], dict[str, QAction], QMenu]:
    add(menu, translate("Menus", "&New"), w.new_file, QKeySequence.StandardKey.New)
    add(menu, translate("Menus", "&Open…"), w.open_file, QKeySequence.StandardKey.Open)
    recent_menu = recent.add_menu(w, menu)
    add(menu, translate("Menus", "&Save"), w.save, QKeySequence.StandardKey.Save)
    add(menu, translate("Menus", "Save &As…"), w.save_as, QKeySequence.StandardKey.SaveAs)
    menu.addSeparator()
    add(
        menu,
        translate("Menus", "Open Sess&ion…"),
        partial(sessions.open_session, w),
        "Ctrl+Shift+O",
    )
    add(
        menu,
        translate("Menus", "Save Sessio&n…"),
        partial(sessions.save_session, w),
        "Ctrl+Alt+S",
        translate("Menus", "Save the program, settings and view as a .alens file"),
    )
    menu.addSeparator()
    export = menu.addMenu(translate("Menus", "&Export Graph"))
    formats = {
        fmt.label: add(export, translate("Exports", fmt.label), partial(export_graph, w, fmt))
        for fmt in exports.FORMATS
    }
    export.insertSeparator(formats["DOT (Graphviz source)…"])
    export.aboutToShow.connect(lambda: export.setDefaultAction(  # the last format, in bold
        formats.get(settings.export_format())))  # fmt: skip
    handout = add_handout_menu(w, menu)
    add(menu, translate("Menus", "&Copy Graph Image"), partial(copy_graph, w), "Ctrl+Shift+C")
    add(menu, translate("Menus", "Save &Window Screenshot…"), partial(save_screenshot, w))
    menu.addSeparator()
    add(menu, translate("Menus", "&Quit"), w.close, "Ctrl+Q")
    return formats, handout, recent_menu


def _edit_menu(w: Window, menu: QMenu) -> None:
    e = w.editor
    undo = add(menu, translate("Menus", "&Undo"), e.undo, QKeySequence.StandardKey.Undo)
    redo = add(menu, translate("Menus", "&Redo"), e.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
    undo.setEnabled(False)
    redo.setEnabled(False)
    e.undoAvailable.connect(undo.setEnabled)
    e.redoAvailable.connect(redo.setEnabled)
    menu.addSeparator()
    add(menu, translate("Menus", "Cu&t"), e.cut, QKeySequence.StandardKey.Cut)
    add(menu, translate("Menus", "&Copy"), e.copy, QKeySequence.StandardKey.Copy)
    add(menu, translate("Menus", "&Paste"), e.paste, QKeySequence.StandardKey.Paste)
    add(menu, translate("Menus", "Select &All"), e.selectAll, QKeySequence.StandardKey.SelectAll)
    menu.addSeparator()
    add(menu, translate("Menus", "Pre&ferences…"), partial(preferences.edit, w), ["Ctrl+,"])


def _examples_menu(w: Window, menu: QMenu) -> None:
    lesson_steps, others = examples()
    lesson = menu.addMenu(translate("Menus", "&Lesson: Tensors with Gradients"))
    add(
        lesson,
        translate("Menus", "The whole lesson"),
        partial(w.open_example, LESSON, translate("Menus", "the lesson")),
    )
    lesson.addSeparator()
    for path in lesson_steps:
        title = example_title(path)
        step = translate("Examples", STEP_TITLES.get(title, title))  # "Step 1 · …"
        add(lesson, step, partial(w.open_example, path, translate("Examples", title)))
    menu.addSeparator()
    for path in others:
        title = translate("Examples", example_title(path))
        add(menu, title, partial(w.open_example, path, title))


def _backward_menu(w: Window, menu: QMenu) -> QAction:
    p = w.player
    forward = add(
        menu,
        translate("Menus", "&Forward Pass, Step by Step"),
        w.forward_pass.start,
        "Ctrl+Shift+F",
        translate("Menus", "Build the graph statement by statement"),
    )
    menu.addActions(p.actions_in_menu[:2])
    menu.addActions(p.lesson_actions)
    menu.addSeparator()
    menu.addActions(p.actions_in_menu[2:])
    menu.addSeparator()
    add(
        menu,
        translate("Menus", "Check by &Hand…"),
        w.chain_panel.open_check,
        "Ctrl+Shift+H",
        translate("Menus", "Finite differences for each leaf beside autograd's .grad"),
    )
    menu.addSeparator()
    speed = menu.addMenu(translate("Menus", "&Speed"))
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
    values = add(
        menu, translate("Menus", "Show &Values and Grads"), w.set_show_values, "Ctrl+Shift+V"
    )
    values.setCheckable(True)
    values.setChecked(w.controller.show_values)
    graph_options = preferences.add_graph_toggles(w, menu)
    constants = add(
        menu,
        translate("Menus", "Show &Constants"),
        w.controller.set_show_constants,
        tip=(
            translate(
                "Menus",
                "Draw the constants torchviz leaves out (5, 1/2, tensors that don't "
                "require grad), dimmed, and where detach() or no_grad cut the graph",
            )
        ),
    )
    constants.setCheckable(True)
    constants.setChecked(w.controller.lesson.show_constants)
    menu.addSeparator()
    v = w.view
    add(menu, translate("Menus", "&Fit to Window"), v.fit_to_window, "Ctrl+9")
    add(menu, translate("Menus", "Actual &Size (1:1)"), v.actual_size, "Ctrl+1")
    add(menu, translate("Menus", "Zoom &In"), v.zoom_in, "Ctrl++")
    add(menu, translate("Menus", "Zoom &Out"), v.zoom_out, "Ctrl+_")
    menu.addSeparator()
    add(menu, translate("Menus", "&Larger Text"), partial(w.scale_text, 1), "Ctrl+=")
    add(menu, translate("Menus", "S&maller Text"), partial(w.scale_text, -1), "Ctrl+-")
    add(menu, translate("Menus", "&Normal Text Size"), partial(w.scale_text, 0), "Ctrl+0")
    menu.addSeparator()
    themes = menu.addMenu(translate("Menus", "&Theme"))
    group = QActionGroup(themes)
    theme_actions = {}
    for name in THEME_CHOICES:  # (System follows the OS's light or dark)
        action = add(themes, preferences.theme_label(name), partial(w.set_theme, name))
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
        w.show_message(
            translate("Menus", "Nothing to export"), translate("Menus", "There is no graph yet.")
        )
        return
    if fmt.suffix not in (".json", ".dot") and not can_draw(w, shown):
        return
    stem = w.document_stem()
    suffix = f"@{fmt.scale:g}x" if fmt.suffix == ".png" and fmt.scale != 1 else ""
    name, folder = f"{stem}{suffix}{fmt.suffix}", settings.export_folder()
    start = str(folder / name) if folder else name  # the last export's folder
    path = w.ask_save_path(
        translate("Menus", "Export graph"), exports.file_filter(fmt.suffix), start
    )
    if not path:
        return
    if fmt.suffix == ".json":  # the record whole: with its chain-rule lines
        shown = replace(shown, record=w.controller.explained_record() or shown.record)
    try:
        written = exports.write(shown, fmt, path)
    except (OSError, ValueError) as e:
        w.show_message(translate("Menus", "Export failed"), str(e))
        return
    settings.note_export(written, fmt.label)
    w.flash(translate("Menus", "Exported {path}").format(path=written))


def can_draw(w: Window, shown: exports.Shown) -> bool:
    """Whether the graph has a layout to draw (it has none without Graphviz); says so if not."""
    if is_laid_out(shown.record):
        return True
    w.show_message(
        translate("Menus", "Nothing to draw"),
        layout_reason(shown.record) or translate("Menus", "The graph has no layout."),
    )
    return False


def copy_graph(w: Window) -> None:
    shown = w.shown()
    if shown is not None and can_draw(w, shown):
        image = exports.copy_image(shown)
        w.flash(
            translate("Menus", "Copied the graph ({width}×{height} px)").format(
                width=image.width(), height=image.height()
            )
        )


def save_screenshot(w: Window) -> None:
    name = f"{w.document_stem()}-window.png"
    path = w.ask_save_path(
        translate("Menus", "Save window screenshot"), exports.file_filter(".png"), name
    )
    if path:
        try:
            saved = exports.save_window(w, path)
            w.flash(translate("Menus", "Saved {path}").format(path=saved))
        except OSError as e:
            w.show_message(translate("Menus", "Screenshot failed"), str(e))


ABOUT = QT_TRANSLATE_NOOP(
    "Menus",
    """<h3>Autograd Lens</h3>
<p>See PyTorch's autograd at work: the graph of a short program, in torchviz's colours,
and <code>backward()</code> played node by node.</p>
<p><b>Keys</b>: Space or → steps, Shift+Space or ← steps back, Home/End first/last,
F8 plays. While typing in the editor: Alt+→/Alt+←, F10/F9 or PageDown/PageUp (what
presentation clickers send) step. Help → Keyboard Shortcuts lists them all.</p>
<p>Ctrl+= / Ctrl+− scale all text (for projectors). Ctrl+wheel or pinch zooms the graph.
F5 presenter mode (Esc leaves; Ctrl+Shift+E shows the editor).</p>
<p>The window never imports PyTorch: programs run in a separate worker process.</p>""",
)


def about(w: Window) -> None:
    show_about(w, translate("Menus", ABOUT))
