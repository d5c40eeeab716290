"""The inspector: everything about the selected node, at the player's current step.

It reads the controller (record, step, selection) and redraws on its signals; `.grad`
follows PyTorch: None until AccumulateGrad has run, and None on non-leaf tensors.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from core.record.graph import GraphRecord, Node
from core.record.labels import value_text
from core.record.lessons import NON_LEAF_GRAD
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.core_text import marked
from gui.model.playback import playback_of
from gui.panels.tensor_view import TensorField

FIELDS = ("name", "kind", "op", "shape", "dtype", "requires_grad", "is_leaf", "grad_fn")
KEYS = {  # the rows' names in words; PyTorch's own (shape, dtype, requires_grad, …) stay
    "name": QT_TRANSLATE_NOOP("Inspector", "name"),
    "kind": QT_TRANSLATE_NOOP("Inspector", "kind"),
    "op": QT_TRANSLATE_NOOP("Inspector", "op"),
    "value": QT_TRANSLATE_NOOP("Inspector", "value"),
    "step": QT_TRANSLATE_NOOP("Inspector", "step"),
    "received": QT_TRANSLATE_NOOP("Inspector", "received"),
    "sent": QT_TRANSLATE_NOOP("Inspector", "sent"),
}


class Inspector(QScrollArea):
    """Shows the selected node; `fields` holds the text of every row (for tests, too)."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWidgetResizable(True)
        self.setMinimumWidth(180)  # 260 took a third of a 900 px window, even empty
        body = QWidget()
        body.setObjectName("inspectorBody")
        outer = QVBoxLayout(body)
        self.title = QLabel(translate("Inspector", "Nothing selected"))
        self.title.setObjectName("inspectorTitle")
        self.hint = QLabel(
            translate(
                "Inspector", "Click a node in the graph to see its tensor, .grad and gradients."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        outer.addWidget(self.title)
        outer.addWidget(self.hint)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        for name in FIELDS:
            self.labels[name] = self._row(name)
        self.value = TensorField()
        self.grad = TensorField()
        self.form.addRow(_key("value"), self.value)
        self.form.addRow(_key(".grad"), self.grad)
        self.grad_note = QLabel()  # why .grad is None: the whole width, under .grad's row
        self.grad_note.setObjectName("gradNote")
        self.grad_note.setWordWrap(True)
        self.grad_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.grad_note)
        for name in ("step", "received", "sent"):
            self.labels[name] = self._row(name)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.setWidget(body)
        self.fields: dict[str, str] = {}
        self._shown: Node | None = None  # whose value the value field shows
        self._rows_visible: bool | None = None
        self._refreshed: tuple[GraphRecord | None, int, str] | None = None  # last shown
        controller.recordChanged.connect(self.refresh)
        controller.stepChanged.connect(self.refresh)
        controller.selectionChanged.connect(self.refresh)
        self.refresh()

    def _row(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName("field")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(_key(name), label)
        return label

    def refresh(self, *_: Any) -> None:
        """Show the controller's selection at its step. A new record sends three signals
        at once (record, step, selection): the second and third find nothing new to do."""
        c = self.controller
        record, node_id, step = c.record, c.selected, c.step
        last = self._refreshed
        if record is not None and last and last[0] is record and last[1:] == (step, node_id):
            return  # (records are compared by identity: == would compare every node)
        self._refreshed = (record, step, node_id)
        node = _find(record, node_id)
        if (node is not None) != self._rows_visible:
            self._rows_visible = node is not None
            for i in range(self.form.rowCount()):
                self.form.setRowVisible(i, node is not None)
            self.hint.setVisible(node is None)
            self._shown = None
        if node is None or record is None:
            self.title.setText(translate("Inspector", "Nothing selected"))
            self.fields, self._shown = {}, None
            return
        grads = grads_at(record, step)
        self.fields = describe(record, node, step, grads)
        self.title.setText(self.fields["title"])
        for name, label in self.labels.items():
            label.setText(self.fields.get(name, ""))
        if node is not self._shown:  # the value changes with the record, not with the step
            self.value.show_value(node.value, node.shape, node.truncated)
            self.form.setRowVisible(self.value, node.kind != "op" or node.value is not None)
        self._shown = node
        grad = grads[node.id] if _has_grad(node) else None
        self.grad.show_value(grad, node.shape)
        note = ""
        if grad is None:
            shown, _, note = self.fields["grad"].partition(": ")  # "None: not a leaf. …"
            self.grad.text.setText(shown)
        self.grad_note.setText(note[:1].upper() + note[1:])
        self.form.setRowVisible(self.grad_note, bool(note))
        for name in ("step", "received", "sent"):
            self.form.setRowVisible(self.labels[name], name in self.fields)
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Each value under its key when the keys and values don't fit side by side (a
        narrow Inspector: torch.Size([2]) beside requires_grad needs some 230 px), rather
        than scroll sideways: everything stays in view down to the 180 px minimum. Told from
        the Inspector's width alone (less a scroll bar), so it can't flip back and forth."""
        keys = values = 0
        for row in range(self.form.rowCount()):
            key = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if key is not None and value is not None and value.widget() is not None:
                if self.form.isRowVisible(row):
                    keys = max(keys, key.minimumSize().width())
                    values = max(values, value.widget().minimumSizeHint().width())
        margins = self.widget().layout().contentsMargins()
        room = self.width() - self.verticalScrollBar().sizeHint().width() - 2 * self.frameWidth()
        need = margins.left() + keys + self.form.horizontalSpacing() + values + margins.right()
        policy = QFormLayout.RowWrapPolicy
        wrap = policy.WrapAllRows if need > room else policy.DontWrapRows
        if wrap != self.form.rowWrapPolicy():
            self.form.setRowWrapPolicy(wrap)


KIND_TEXT = {
    "op": QT_TRANSLATE_NOOP("Inspector", "autograd op (grad_fn)"),
    "saved": QT_TRANSLATE_NOOP("Inspector", "saved tensor"),
    "tensor": QT_TRANSLATE_NOOP("Inspector", "tensor"),
}


def _key(text: str) -> QLabel:
    label = QLabel(translate("Inspector", KEYS[text]) if text in KEYS else text)
    label.setObjectName("fieldKey")
    return label


def _find(record: GraphRecord | None, node_id: str) -> Node | None:
    if record is None or not node_id:
        return None
    return next((n for n in record.nodes if n.id == node_id), None)


def _has_grad(node: Node) -> bool:
    """Whether PyTorch's .grad of this tensor gets filled: leaves, and retain_grad()."""
    return (node.kind == "tensor" and bool(node.is_leaf)) or node.retains_grad


def _non_leaf(node: Node) -> bool:
    """A tensor an op made (shown by the op's node, or as the output): .grad stays None."""
    if node.kind == "tensor":
        return node.is_leaf is False
    return node.kind == "op" and node.value is not None and node.op != "AccumulateGrad"


def grads_at(record: GraphRecord, step: int) -> dict[str, Any]:
    """Each node's gradient after `step` steps: the frame's (`gui.model.playback`), shared
    with the graph and the player."""
    return playback_of(record).frame(step).grads


def grad_at(record: GraphRecord, node: Node, step: int) -> Any:
    """What PyTorch's `.grad` holds after `step` steps: only leaves get one."""
    return grads_at(record, step)[node.id] if _has_grad(node) else None


def describe(
    record: GraphRecord, node: Node, step: int, grads: dict[str, Any] | None = None
) -> dict[str, str]:
    """The inspector's rows for a node, as text (`grads`: `grads_at(record, step)`)."""
    grads = grads if grads is not None else grads_at(record, step)
    grad_fn = _grad_fn(record, node)
    fields = {
        "title": node.name or node.op or node.role or node.id,
        "name": node.name or "—",
        "kind": translate("Inspector", KIND_TEXT.get(node.kind, KIND_TEXT["tensor"])),
        "op": node.op or "—",
        "shape": f"torch.Size({list(node.shape)})" if node.shape is not None else "—",
        "dtype": node.dtype or "—",
        "requires_grad": str(node.requires_grad) if node.requires_grad is not None else "—",
        "is_leaf": str(node.is_leaf) if node.is_leaf is not None else "—",
        "grad_fn": f"<{grad_fn}>" if grad_fn else "None",
        "grad": value_text(grads[node.id] if _has_grad(node) else None, 10_000),
    }
    if _non_leaf(node) and not node.retains_grad:
        fields["grad"] = marked(NON_LEAF_GRAD)
    if node.kind == "tensor" and not node.is_leaf:
        fields["received"] = value_text(grads.get(node.id), 10_000)
    fields.update(_step_rows(record, _runs_as(record, node), step))
    return fields


def _grad_fn(record: GraphRecord, node: Node) -> str | None:
    if node.kind == "op":
        return node.op
    if node.kind == "tensor" and not node.is_leaf:
        makers = [e.source for e in record.edges if e.target == node.id and e.kind == "data"]
        ops = [record.node(m).op for m in makers if record.node(m).kind == "op"]
        return ops[0] if ops else None
    return None


def _runs_as(record: GraphRecord, node: Node) -> str | None:
    """The op whose backward steps concern this node: itself, or a leaf's AccumulateGrad."""
    if node.kind == "op":
        return node.id
    for e in record.edges:
        if e.source == node.id and record.node(e.target).op == "AccumulateGrad":
            return e.target
    return None


def _step_rows(record: GraphRecord, op_id: str | None, step: int) -> dict[str, str]:
    if op_id is None or not record.backward:
        return {}
    ran = [i for i, s in enumerate(record.backward[:step]) if s.node == op_id]
    if not ran:
        return {
            "step": translate("Inspector", "not reached yet (step {step} of {total})").format(
                step=step, total=len(record.backward)
            )
        }
    last = ran[-1]
    s = record.backward[last]
    if last == step - 1:
        when = translate("Inspector", "running now · ran at step {step} of {total}")
    else:
        when = translate("Inspector", "done · ran at step {step} of {total}")
    rows = {
        "step": when.format(step=last + 1, total=len(record.backward)),
        "received": ", ".join(value_text(g, 10_000) for g in s.grad_outputs) or "—",
        "sent": ", ".join(value_text(g, 10_000) for g in s.grad_inputs) or "—",
    }
    if s.leaf_grad is not None:
        rows["sent"] = translate("Inspector", "into .grad: {value}").format(
            value=value_text(s.leaf_grad, 10_000)
        )
    return rows
