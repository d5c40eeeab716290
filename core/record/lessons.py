"""PyTorch's gradient lessons in plain words: what its autograd errors and warnings mean.

Pure text (no torch): the window and the command line show these beside PyTorch's own
message, never instead of it; the window shows them in the user's language
(`core.record.wording`). `tests/test_lessons_core.py` checks that torch really says
what each entry matches.
"""

from __future__ import annotations

import os
import re

from core.record.wording import QT_TRANSLATE_NOOP, Wording, said

SECOND_BACKWARD = QT_TRANSLATE_NOOP(
    "core",
    "backward() frees the graph's saved tensors (the inputs each op kept for the chain "
    "rule, like x + 1 kept by ** 2) as soon as it has used them, to save memory. So a second "
    "backward through the same graph has nothing to work with. Pass retain_graph=True to "
    "the first backward() to keep them; then each backward() adds to .grad.",
)

SCALAR_RULE = QT_TRANSLATE_NOOP(
    "core",
    "backward() needs a scalar output, or an explicit gradient of the output's shape: "
    "PyTorch can only start from 1 when the output is a single number. For a bigger output, "
    "pass gradient=... (one weight per element; ones give the same .grad as out.sum()).",
)

SHAPE_RULE = QT_TRANSLATE_NOOP(
    "core",
    "The gradient passed to backward() must have exactly the output's shape: one number "
    "per element of the output.",
)

NO_GRAD_FN = QT_TRANSLATE_NOOP(
    "core",
    "Nothing in this tensor's history requires grad, so autograd recorded no graph to run "
    "backward through. Make a leaf with requires_grad=True (and don't compute the output "
    "under torch.no_grad() or from .detach()).",
)

LEAF_IN_PLACE = QT_TRANSLATE_NOOP(
    "core",
    "A leaf that requires grad can't be changed in place: autograd needs its value for the "
    "chain rule. Change it under `with torch.no_grad():`, or change a copy.",
)

NON_LEAF_GRAD = QT_TRANSLATE_NOOP(
    "core",
    "None: not a leaf. backward() only fills .grad of leaves (tensors you made with "
    "requires_grad=True); PyTorch warns when a non-leaf's .grad is read. Right-click its "
    "node → Retain grad to keep one (retain_grad()).",
)

ZERO_GRAD = QT_TRANSLATE_NOOP(
    "core",
    "Zero grad sets each leaf's .grad to None, as optimizer.zero_grad() does by default "
    "(set_to_none=True); the next backward() starts from nothing instead of adding.",
)

MODULE_MISSING = QT_TRANSLATE_NOOP(
    "core",
    "The module {name} isn't installed in the Python Autograd Lens runs programs with "
    "(its own environment, not necessarily the python you use elsewhere), nor is a "
    "{name}.py beside the program's file. A module of your own: put it beside the "
    "program's file (an untitled program has none: save it first). An installed one: "
    "install it there: from a checkout, `.venv/bin/pip install {name}`; installed with "
    "pipx, `pipx inject autograd-lens {name}`.",
)

MODULE_NOT_BESIDE = QT_TRANSLATE_NOOP(
    "core",
    "{file} is in the folder the program ran in ({folder}), but only a program saved in "
    "a file imports the modules beside it, as `python prog.py` does. Save the program in "
    "that folder (or open it from there) and run it again.",
)

FILE_MISSING = QT_TRANSLATE_NOOP(
    "core",
    "The program ran in the folder {folder}, and a file name without a folder, like "
    "'{name}', is looked for there. Put the file in that folder, or open it by its full "
    "path.",
)

FOLDER_UNUSABLE = QT_TRANSLATE_NOOP(
    "core",
    "The program can't run in the folder {folder} ({reason}). Save it in a folder that "
    "exists, or run it from one.",
)

_MISSING = re.compile(r"No module named '([^']+)'")
_NO_FILE = re.compile(r"No such file or directory: '([^']+)'")

_EXPLAINED = (
    ("backward through the graph a second time", SECOND_BACKWARD),
    ("grad can be implicitly created only for scalar outputs", SCALAR_RULE),
    ("Mismatch in shape: grad_output", SHAPE_RULE),
    ("does not require grad and does not have a grad_fn", NO_GRAD_FN),
    ("leaf Variable that requires grad is being used in an in-place operation", LEAF_IN_PLACE),
)


def _module_in(folder: str | None, name: str) -> str | None:
    """The file of the module `name` in `folder` ("utils.py", a package's "helpers/")."""
    if not folder:
        return None
    if os.path.isfile(os.path.join(folder, f"{name}.py")):
        return f"{name}.py"
    if os.path.isfile(os.path.join(folder, name, "__init__.py")):
        return f"{name}/"
    return None


def explain(message: str, folder: str | None = None) -> str | None:
    """The plain-words lesson behind one of PyTorch's autograd errors, or None; `folder`:
    where a trusted program ran (a file it could not find by a relative name: there)."""
    found = lesson(message, folder)
    return None if found is None else found.text


def lesson(message: str, folder: str | None = None) -> Wording | None:
    """`explain`, as data (`core.record.wording`): what the window shows, translated."""
    missing = _MISSING.search(message)
    if missing is not None:
        name = missing.group(1).split(".")[0]
        file = _module_in(folder, name) if "." not in missing.group(1) else None
        if folder and file:  # an untitled program, in the folder of the module it imports
            return said(MODULE_NOT_BESIDE, file=file, folder=folder)
        return said(MODULE_MISSING, name=name)
    no_file = _NO_FILE.search(message) if folder else None
    if folder and no_file is not None and not os.path.isabs(no_file.group(1)):
        return said(FILE_MISSING, folder=folder, name=no_file.group(1))
    for phrase, lesson_text in _EXPLAINED:
        if phrase in message:
            return said(lesson_text)
    return None
