"""Notes core writes in the transcript about the program (not its output), in sentences the
window translates (`TranscriptEntry.wording`; PyTorch's warnings stay as they are said)."""

from __future__ import annotations

from core.record.wording import QT_TRANSLATE_NOOP

BATCHED_GRAD = QT_TRANSLATE_NOOP(
    "core",
    "Note: torch.autograd.grad(..., is_grads_batched=True) computes many gradients at once "
    "(with vmap): its result is PyTorch's, but its backward steps aren't shown.",
)
SHADOWED = QT_TRANSLATE_NOOP(
    "core",
    "'{statement}' imports the {name} module of Python's installation (the one Autograd Lens "
    "runs with), not {file} beside the program: plain Python would import the file instead, "
    "hiding the module. Rename the file to import it.",
)
