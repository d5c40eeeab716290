"""The safe mode's refusals and limits, as sentences the window translates.

Torch-free so the window can read them; the engine (core/engine/policy.py, interpreter.py,
namespace.py, limits.py, safe_builtins.py, faults.py, evaluate.py) and core/record/language.py
fill them in with `core.record.wording.said`, so that the ProgramError carries the template
and its values beside the English (`gui.model.core_text` translates from those). An error the
safe mode's builtins raise as Python would (a ValueError) is made by
`core.record.wording.python_error`, its template written with Python's "ValueError: ".
A new refusal: add its sentence here as a template and raise it with `said`.
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

# --- the safe mode's rarer refusals (core/engine/policy.py, interpreter.py) ------------------
REFUSED_CONSTRUCTS = {
    "async functions": QT_TRANSLATE_NOOP("core", "Async functions are not part of the safe mode."),
    "async loops": QT_TRANSLATE_NOOP("core", "Async loops are not part of the safe mode."),
    "async with statements": QT_TRANSLATE_NOOP(
        "core", "Async with statements are not part of the safe mode."
    ),
    "await expressions": QT_TRANSLATE_NOOP(
        "core", "Await expressions are not part of the safe mode."
    ),
    "match statements": QT_TRANSLATE_NOOP(
        "core", "Match statements are not part of the safe mode."
    ),
    "except* clauses": QT_TRANSLATE_NOOP("core", "Except* clauses are not part of the safe mode."),
}
"""The refusal of each construct the safe mode leaves out, by the name policy gives it."""
FORBIDDEN_NAME = QT_TRANSLATE_NOOP("core", "'{name}' is not allowed in the safe mode: it {why}.")
FORBIDDEN_WHY = {
    why: why
    for why in (
        QT_TRANSLATE_NOOP("core", "runs arbitrary code"),
        QT_TRANSLATE_NOOP("core", "builds code objects"),
        QT_TRANSLATE_NOOP("core", "opens files"),
        QT_TRANSLATE_NOOP("core", "waits for keyboard input"),
        QT_TRANSLATE_NOOP("core", "exposes the interpreter's internals"),
        QT_TRANSLATE_NOOP("core", "starts a debugger"),
        QT_TRANSLATE_NOOP("core", "starts an interactive help"),
        QT_TRANSLATE_NOOP("core", "ends the interpreter"),
        QT_TRANSLATE_NOOP("core", "reaches raw memory"),
        QT_TRANSLATE_NOOP("core", "reaches the operating system"),
        QT_TRANSLATE_NOOP("core", "reaches the interpreter"),
        QT_TRANSLATE_NOOP("core", "starts processes"),
        QT_TRANSLATE_NOOP("core", "formats through templates that can reach attributes"),
        QT_TRANSLATE_NOOP("core", "exposes memory addresses"),
        QT_TRANSLATE_NOOP("core", "imports modules"),
        QT_TRANSLATE_NOOP("core", "opens network connections"),
        QT_TRANSLATE_NOOP("core", "runs code while loading"),
        QT_TRANSLATE_NOOP("core", "changes files"),
        QT_TRANSLATE_NOOP("core", "reaches files"),
    )
}
"""Why a name is refused (core.engine.allowlist.FORBIDDEN_NAMES' reasons), FORBIDDEN_NAME's
{why}: each the rest of its sentence after "it"."""
DEFINING_DUNDER = QT_TRANSLATE_NOOP("core", "Defining '{name}' is not allowed in the safe mode.")
CLASS_KEYWORDS = QT_TRANSLATE_NOOP(
    "core", "Class keywords (metaclass=...) are not allowed in the safe mode."
)
PRINT_KEYWORD = QT_TRANSLATE_NOOP(
    "core", "print(..., {name}=...) is not allowed; print writes to the transcript only."
)
CONSTANTS = QT_TRANSLATE_NOOP("core", "{kind} constants are not allowed.")
YIELD_IN_WITH = QT_TRANSLATE_NOOP(
    "core",
    "A `yield` inside a `with` block is not allowed in the safe mode: pausing there would "
    "leave the block's mode (no_grad, inference_mode, ...) on.",
)
MODULE_MEMBER_FIXED = QT_TRANSLATE_NOOP(
    "core", "'{name}' can't be assigned to (a module's members are fixed)."
)
STAR_IMPORT = QT_TRANSLATE_NOOP("core", "'from {module} import *' is not allowed in the safe mode.")
CANT_ASSIGN = QT_TRANSLATE_NOOP("core", "This can't be assigned to.")
LOOP_VARIABLE = QT_TRANSLATE_NOOP("core", "A loop variable must be a name (or names).")
SYNTAX_ERROR = QT_TRANSLATE_NOOP("core", "Python syntax error: {message}.")
"""{message}: Python's own words (the SyntaxError's msg)."""
NOT_A_NAME_HERE = QT_TRANSLATE_NOOP("core", "'.{name}' of a {kind} is not a name here.")
FORMAT_REACHES = QT_TRANSLATE_NOOP(
    "core",
    "'.format' templates that reach attributes or items ('{{0.x}}', '{{0[1]}}') are not "
    "allowed in the safe mode; use an f-string.",
)
MEMBER_ASSIGNED = QT_TRANSLATE_NOOP("core", "'{module}.{name}' can't be assigned to.")
SETTING_ATTRIBUTE = QT_TRANSLATE_NOOP(
    "core", "Setting '.{name}' of a {kind} is not allowed in the safe mode."
)
DELETING_ATTRIBUTE = QT_TRANSLATE_NOOP(
    "core", "Deleting '.{name}' of a {kind} is not allowed in the safe mode."
)
MODULE_MEMBERS = QT_TRANSLATE_NOOP("core", "A module's members can't be assigned to.")
CANT_BE_PASSED = QT_TRANSLATE_NOOP("core", "{name} can't be passed to be called in the safe mode.")
NO_WORKERS = QT_TRANSLATE_NOOP(
    "core",
    "DataLoader(num_workers=...) starts processes: the safe mode loads in the program's own "
    "process (leave num_workers out).",
)
NO_TYPE_CALLS = QT_TRANSLATE_NOOP(
    "core",
    "type() with more than one argument makes classes: the safe mode doesn't run it (use a "
    "class statement).",
)
CPU_ONLY = QT_TRANSLATE_NOOP(
    "core", "Only tensors on the CPU can be shown (this one is on '{device}')."
)
COMPLEX_TENSOR = QT_TRANSLATE_NOOP(
    "core",
    "Complex tensors can't be shown yet (this one is {dtype}): use real tensors, e.g. the real "
    "and imaginary parts.",
)
DIVISION_OVERFLOWS = QT_TRANSLATE_NOOP(
    "core",
    "This division overflows: the smallest {name} number, {smallest}, divided by -1 has no "
    "{name} answer.",
)
GRAPH_UNREADABLE = QT_TRANSLATE_NOOP("core", "PyTorch won't read the graph of {name}: {reason}.")
"""{name}: the output's name in backticks; {reason}: PyTorch's own words."""
OUTPUT_GRAPH_UNREADABLE = QT_TRANSLATE_NOOP(
    "core", "PyTorch won't read the graph of the output: {reason}."
)
# Python's errors raised by the safe mode's builtins (core/engine/safe_builtins.py,
# interpreter.py): the program sees a ValueError, TypeError or ImportError, written as
# Python writes one ("ValueError: ...").
RANGE_TOO_LARGE = QT_TRANSLATE_NOOP(
    "core", "ValueError: range of {count} is too large (at most {limit})"
)
ROWS_TOO_MANY = QT_TRANSLATE_NOOP(
    "core",
    "ValueError: going through a tensor of {count} rows one by one is too large (at most {limit})",
)
ITEMS_TOO_MANY = QT_TRANSLATE_NOOP(
    "core", "ValueError: a {kind} of {count} items is too large (at most {limit})"
)
ITEMS_MORE_THAN = QT_TRANSLATE_NOOP(
    "core", "ValueError: a {kind} of more than {limit} items is too large"
)
SUM_TOO_LARGE = QT_TRANSLATE_NOOP("core", "ValueError: a {kind} of {count} items is too large")
PRINT_FILE = QT_TRANSLATE_NOOP("core", "ValueError: print writes to the transcript only (no file=)")
HASH_OF = QT_TRANSLATE_NOOP(
    "core",
    "TypeError: hash() of a {kind} is made from where it is in memory: not available in the "
    "safe mode",
)
IMPORT_REFUSED = QT_TRANSLATE_NOOP(
    "core", "ImportError: 'import {name}' is not allowed in the safe mode"
)
CLASS_KEYWORDS_CALL = QT_TRANSLATE_NOOP(
    "core", "TypeError: class keywords (metaclass=...) are not allowed"
)
CLASS_BASE = QT_TRANSLATE_NOOP(
    "core", "TypeError: a class can't be based on {base} in the safe mode"
)
CPU_DEVICE = QT_TRANSLATE_NOOP("core", "ValueError: only the CPU is available here (not {device})")

# --- limits (core/engine/limits.py, interpreter.py, core/record/language.py) -------------------
TENSOR_TOO_LARGE_MADE = QT_TRANSLATE_NOOP(
    "core", "This tensor is too large: {count} elements (the limit is {limit}); stopped."
)
SEQUENCE_TOO_LARGE = QT_TRANSLATE_NOOP(
    "core", "This {kind} would be too large ({count} items; at most {limit})."
)
NUMBER_TOO_LARGE = QT_TRANSLATE_NOOP("core", "This number would be too large (about {bits} bits).")
TOO_LARGE_A_SPLIT = QT_TRANSLATE_NOOP(
    "core",
    "This would make too many tensors ({count}; at most {limit}): too large a split; refused.",
)
ONE_PER_ROW = QT_TRANSLATE_NOOP(
    "core", "This would make too many tensors ({count}; at most {limit}): one per row; refused."
)
LIST_TOO_LARGE = QT_TRANSLATE_NOOP(
    "core", "This list would be too large ({count} items; at most {limit})."
)
TEXT_TOO_LARGE_TO_WRITE = QT_TRANSLATE_NOOP(
    "core",
    "This text would be too large (more than {limit} characters); refused before writing it.",
)
WIDTH_TOO_LARGE = QT_TRANSLATE_NOOP(
    "core",
    "A width of {number} characters is too large (at most {limit}); refused before writing it.",
)
TEXT_TOO_LARGE_TO_MAKE = QT_TRANSLATE_NOOP(
    "core",
    "This text would be too large ({count} characters; at most {limit}); refused before making it.",
)
TOO_LARGE_BECAUSE = QT_TRANSLATE_NOOP("core", "This is too large: {reason}.")
"""{reason}: Python's own words."""
OUT_OF_MEMORY = QT_TRANSLATE_NOOP(
    "core", "The program ran out of memory: use smaller tensors, or fewer of them."
)
OUT_OF_MEMORY_LIMIT = QT_TRANSLATE_NOOP(
    "core", "The program ran out of memory (limit {size}): use smaller tensors, or fewer of them."
)
NESTS_TOO_DEEPLY = QT_TRANSLATE_NOOP(
    "core", "The program nests too deeply (too many calls inside calls)."
)
TOO_MANY_STEPS = QT_TRANSLATE_NOOP("core", "The program ran more than {limit} statements; stopped.")
PRINTED_TOO_MUCH = QT_TRANSLATE_NOOP(
    "core", "The printed output is too large (more than {limit} characters); stopped."
)
PRINTED_TOO_OFTEN = QT_TRANSLATE_NOOP(
    "core", "The program printed too many times (more than {limit}); stopped."
)
PROGRAM_TOO_LONG = QT_TRANSLATE_NOOP(
    "core", "The program is too long ({count} characters; at most {limit})."
)
PROGRAM_UNREADABLE = QT_TRANSLATE_NOOP("core", "The program can't be read: {reason}.")
TOO_MANY_STATEMENTS = QT_TRANSLATE_NOOP(
    "core", "The program has too many statements ({count}; at most {limit})."
)
NESTED_TOO_DEEPLY = QT_TRANSLATE_NOOP(
    "core", "The program is nested too deeply (more than {limit} levels)."
)
