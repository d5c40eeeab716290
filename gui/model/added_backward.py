"""Whether the Backward, Backward again and Zero grad commands can add to the program,
and how to say what they added in the player. The worker writes the lines
(`core.record.additions`); the window only asks for them."""

from __future__ import annotations

from core.record.additions import named_output
from core.record.graph import GraphRecord
from gui.model.core_text import error_message, lesson_text
from gui.model.i18n import translate
from gui.model.playback import compact


def can_add_backward(record: GraphRecord) -> bool:
    """Whether the worker can add a backward() call to this program (a named output that
    requires grad)."""
    return named_output(record) is not None


def can_run_again(record: GraphRecord) -> bool:
    """Whether Backward again can be added (backward ran, from a named output; a leaf's
    backward() counts, though it has no steps)."""
    return named_output(record) is not None and bool(record.backward or record.runs)


def accumulation_note(record: GraphRecord) -> str:
    """Each leaf's .grad after each backward() run, e.g. "x.grad after each backward():
    [10, 10] → [20, 20]." ("" when there was a single run)."""
    parts = []
    leaf_of = {e.target: record.node(e.source) for e in record.edges if e.kind == "data"}
    for node_id, leaf in leaf_of.items():
        grads = [s.leaf_grad for s in record.backward if s.node == node_id]
        if len(grads) > 1 and leaf.role == "leaf":
            shown = " → ".join(compact(g) for g in grads)  # "24", never "24.."
            name = leaf.name or translate("AddedBackward", "the leaf")
            parts.append(
                translate("AddedBackward", "{name}.grad after each backward(): {values}").format(
                    name=name, values=shown
                )
            )
    return "; ".join(parts) + "." if parts else ""


def failure_note(what: str, error: Exception) -> str:
    """Why an added call failed: PyTorch's own message, then the lesson behind it."""
    message = getattr(error, "message", None) or str(error)
    lesson = lesson_text(message)
    if lesson:
        return translate(
            "AddedBackward", "{what} failed — PyTorch: {message}\nWhy: {lesson}"
        ).format(what=what, message=error_message(error), lesson=lesson)
    return translate("AddedBackward", "{what} failed — PyTorch: {message}").format(
        what=what, message=error_message(error)
    )


def backward_refusal(record: GraphRecord) -> str:
    """Why Backward can't run on this record (when `backward_call` is None)."""
    out = record.node(record.output) if record.output else None
    if out is None or not out.requires_grad:
        return translate(
            "AddedBackward", "Nothing to run backward from: no tensor here requires grad."
        )
    return translate(
        "AddedBackward", "Backward needs a named result: assign it (loss = ...) and press Backward."
    )


def backward_note(call: str | None, cut_at: int | None = None) -> str:
    """The player's note about an added call ("" when nothing was added); `cut_at`: the
    line whose backward() failed, when the call was added after the text before it."""
    if not call:
        return ""
    ones = "ones_like" in call
    if cut_at is not None and ones:
        note = translate(
            "AddedBackward",
            "Added {call} in place of line {line}'s failed backward(), for display; your "
            "text is unchanged. The output is not a scalar, so each element's gradient "
            "starts at 1.",
        )
    elif cut_at is not None:
        note = translate(
            "AddedBackward",
            "Added {call} in place of line {line}'s failed backward(), for display; your "
            "text is unchanged.",
        )
    elif ones:
        note = translate(
            "AddedBackward",
            "Added {call} for display; your text is unchanged. "
            "The output is not a scalar, so each element's gradient starts at 1.",
        )
    else:
        note = translate("AddedBackward", "Added {call} for display; your text is unchanged.")
    return note.format(call=call, line=cut_at)
