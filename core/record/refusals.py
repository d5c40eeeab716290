"""The safe mode's most common refusals, as sentences the window translates.

Torch-free so the window can read them; the engine (core/engine/policy.py, interpreter.py,
namespace.py, limits.py) fills them in with `core.record.wording.said`, so that the
ProgramError carries the template and its values beside the English (`gui.model.core_text`
translates from those). The rarer refusals are still English sentences written where they
are raised: to translate one, move it here as a template and raise it with `said`.
"""

from __future__ import annotations

from core.record.wording import QT_TRANSLATE_NOOP

NOT_AVAILABLE = QT_TRANSLATE_NOOP(
    "core",
    "'{name}' is not available in the safe mode (it is not on the list of allowed functions).",
)
DOES_NOT_EXIST = QT_TRANSLATE_NOOP("core", "'{name}' does not exist.")
SUGGESTED = QT_TRANSLATE_NOOP("core", "{message} Did you mean '{name}'?")
"""A refusal and a near miss; with message="", the hint a message ends with."""
IN_FROM_IMPORT = QT_TRANSLATE_NOOP("core", "In 'from {module} import {name}': {message}")
IMPORT_ONLY = QT_TRANSLATE_NOOP(
    "core",
    "'import {name}': the safe mode imports only torch (with its nn, optim and autograd), "
    "math and random.",
)
FROM_IMPORT_ONLY = QT_TRANSLATE_NOOP(
    "core",
    "'from {name} import ...': the safe mode imports only torch (with its nn, optim and "
    "autograd), math and random.",
)
IMPORT_BESIDE = QT_TRANSLATE_NOOP(
    "core",
    "'import {name}': {file} beside the program is imported only when it runs as plain "
    "Python; the safe mode imports only torch (with its nn, optim and autograd), math and "
    "random.",
)
"""IMPORT_ONLY, when the module is a file in the program's folder."""
FROM_IMPORT_BESIDE = QT_TRANSLATE_NOOP(
    "core",
    "'from {name} import ...': {file} beside the program is imported only when it runs as "
    "plain Python; the safe mode imports only torch (with its nn, optim and autograd), math "
    "and random.",
)
NO_TORCHVIZ = QT_TRANSLATE_NOOP(
    "core",
    "'import torchviz': Autograd Lens draws this graph itself; the safe mode doesn't run torchviz.",
)
MEMBER_NOT_AVAILABLE = QT_TRANSLATE_NOOP(
    "core", "'.{name}' of a {kind} is not available in the safe mode."
)
DUNDER_ATTRIBUTE = QT_TRANSLATE_NOOP(
    "core", "Attributes like '.{name}' (dunders) are not allowed in the safe mode."
)
DUNDER_NAME = QT_TRANSLATE_NOOP(
    "core", "Names like '{name}' (dunders) are not allowed in the safe mode."
)
CANT_BE_CALLED = QT_TRANSLATE_NOOP("core", "{name} can't be called in the safe mode.")
TENSOR_TOO_LARGE = QT_TRANSLATE_NOOP(
    "core",
    "This tensor would be too large: {count} elements (the limit is {limit}); refused "
    "before allocating.",
)
