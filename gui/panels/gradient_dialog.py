"""The `gradient` argument for Backward on a non-scalar output: asked for, checked here.

PyTorch's rule: backward() starts from 1 only for a scalar; any other output needs a
gradient of its own shape. The dialog is prefilled with ones of that shape (the same
.grad as `out.sum().backward()`), checks what the user types (numbers only, the output's
shape) and names the problem when it isn't right. Left empty, it runs backward() without
a gradient, so PyTorch's own error can be seen.
"""

from __future__ import annotations

import ast
import math

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.record.labels import shape_text
from core.record.lessons import SCALAR_RULE
from gui.look.i18n import translate
from gui.model.core_text import marked

MAX_CHARS = 20_000


def ones_text(shape: tuple[int, ...]) -> str:
    """A nested list of 1. with this shape: "[[1., 1.], [1., 1.]]"."""
    if not shape:
        return "1."
    inner = ones_text(shape[1:])
    return "[" + ", ".join([inner] * shape[0]) + "]"


def parse_gradient(text: str, shape: tuple[int, ...]) -> tuple[str | None, str]:
    """(the gradient to pass, "") or (None, what is wrong). "" passes no gradient."""
    text = text.strip()
    if not text:
        return "", ""
    if len(text) > MAX_CHARS:
        return None, translate(
            "GradientDialog", "Too long ({count} characters; at most {most})."
        ).format(count=f"{len(text):,}", most=f"{MAX_CHARS:,}")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None, translate(
            "GradientDialog", "Not a number or a nested list of numbers, e.g. [[1., 1.], [1., 1.]]."
        )
    got, problem = _shape_of(value)
    if problem:
        return None, problem
    if got != tuple(shape):
        return None, translate(
            "GradientDialog",
            "Its shape is {got}, but the output's shape is {shape}: the "
            "gradient needs one number per element of the output.",
        ).format(got=shape_text(got), shape=shape_text(shape))
    return text, ""


def _shape_of(value: object) -> tuple[tuple[int, ...], str]:
    if isinstance(value, bool) or not isinstance(value, int | float | list | tuple):
        return (), translate("GradientDialog", "{value} is not a number.").format(value=repr(value))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return (), translate("GradientDialog", "{value} is not a finite number.").format(
                value=repr(value)
            )
        return (), ""
    if not value:
        return (0,), ""
    shapes = [_shape_of(v) for v in value]
    for _, problem in shapes:
        if problem:
            return (), problem
    if len({s for s, _ in shapes}) > 1:
        return (), translate(
            "GradientDialog", "The rows have different lengths (the list is ragged)."
        )
    return (len(value), *shapes[0][0]), ""


class GradientDialog(QDialog):
    """Asks for `name.backward(gradient)`'s gradient; `gradient` holds the accepted text."""

    def __init__(self, name: str, shape: tuple[int, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            translate("GradientDialog", "Backward from {name}: the gradient").format(name=name)
        )
        self.shape = tuple(shape)
        self.gradient: str | None = None
        rule = QLabel(
            translate(
                "GradientDialog",
                "<p><b>{name}</b> is not a scalar (shape {shape}), so "
                "<code>{name}.backward()</code> alone fails: PyTorch says <i>grad can be "
                "implicitly created only for scalar outputs</i>.</p><p>{rule}</p><p>Gradient for "
                "{name} (edit it; leave it empty to see PyTorch's error):</p>",
            ).format(name=name, shape=shape_text(shape), rule=marked(SCALAR_RULE))
        )
        rule.setWordWrap(True)
        rule.setObjectName("gradientRule")
        self.editor = QPlainTextEdit(ones_text(self.shape))
        self.editor.setObjectName("gradientText")
        self.problem = QLabel()
        self.problem.setObjectName("gradientProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (rule, self.editor, self.problem, self.buttons):
            layout.addWidget(widget)
        self.editor.textChanged.connect(self.check)
        self.resize(480, 320)
        self.check()

    def check(self) -> bool:
        """Validate the text; OK is enabled only when it is right (or empty)."""
        gradient, problem = parse_gradient(self.editor.toPlainText(), self.shape)
        self.problem.setText(f"⚠ {problem}" if problem else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(gradient is not None)
        return gradient is not None

    def accept(self) -> None:
        gradient, _ = parse_gradient(self.editor.toPlainText(), self.shape)
        if gradient is None:
            return
        self.gradient = gradient
        super().accept()
