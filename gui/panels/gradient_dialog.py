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
        return None, f"Too long ({len(text):,} characters; at most {MAX_CHARS:,})."
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None, "Not a number or a nested list of numbers, e.g. [[1., 1.], [1., 1.]]."
    got, problem = _shape_of(value)
    if problem:
        return None, problem
    if got != tuple(shape):
        return None, (
            f"Its shape is {shape_text(got)}, but the output's shape is {shape_text(shape)}: "
            "the gradient needs one number per element of the output."
        )
    return text, ""


def _shape_of(value: object) -> tuple[tuple[int, ...], str]:
    if isinstance(value, bool) or not isinstance(value, int | float | list | tuple):
        return (), f"{value!r} is not a number."
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return (), f"{value!r} is not a finite number."
        return (), ""
    if not value:
        return (0,), ""
    shapes = [_shape_of(v) for v in value]
    for _, problem in shapes:
        if problem:
            return (), problem
    if len({s for s, _ in shapes}) > 1:
        return (), "The rows have different lengths (the list is ragged)."
    return (len(value), *shapes[0][0]), ""


class GradientDialog(QDialog):
    """Asks for `name.backward(gradient)`'s gradient; `gradient` holds the accepted text."""

    def __init__(self, name: str, shape: tuple[int, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Backward from {name}: the gradient")
        self.shape = tuple(shape)
        self.gradient: str | None = None
        rule = QLabel(
            f"<p><b>{name}</b> is not a scalar (shape {shape_text(shape)}), so "
            f"<code>{name}.backward()</code> alone fails: PyTorch says <i>grad can be "
            f"implicitly created only for scalar outputs</i>.</p><p>{SCALAR_RULE}</p>"
            f"<p>Gradient for {name} (edit it; leave it empty to see PyTorch's error):</p>"
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
