"""Session files (`.alens`): a program, its settings and how it was being viewed, as JSON.

    {"format": "autograd-lens-session/1",
     "program": "<the program text>",
     "settings": {"time_limit": 10.0},
     "view": {"step": 6, "zoom": 1.0, "selected": "n3", "theme": "light",
              "show_values": true},
     "lesson": {"retain_grad": [[3, 5, 3, 24]], "show_constants": true,
                "backward": true, "gradient": "[1., 0.5]",
                "lines": ["o.backward(retain_graph=True)", "x.grad = None"]}}

"lesson" is what the teacher did to the program from the window (all optional; a file
without it opens as before): the tensors marked retain_grad (by the span that made them),
Show Constants, Backward pressed on a program without backward() and the gradient given
for a non-scalar output, and the lines Backward Again and Zero Grad added, in order. Those
lines are only ever the two forms the window writes (`LESSON_LINE`), checked as such.

A session is something people pass around, so reading one trusts nothing in it: the file
is JSON (never pickle), at most `MAX_BYTES`, and every field is checked for its type and
range before a `Session` is made; anything else is a `SessionError` whose message says
what is wrong in one sentence. A session's time limit never exceeds the user's own
(`time_limit`). A session carries only text and plain settings, so opening
one can do no more than typing its program would. Unknown keys are ignored (a newer
version of format 1 may add some); a newer format number is refused.

Writing goes to a temporary file in the same folder, then `os.replace`: a crash leaves
the old file or the new one, never half of one.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.record import files
from core.record.language import MAX_SOURCE_CHARS
from core.record.wording import QT_TRANSLATE_NOOP, Wording, said, text_of

FORMAT = "autograd-lens-session/1"
SUFFIX = ".alens"
MAX_BYTES = 1_000_000
THEMES = (
    "light",
    "dark",
    "high contrast",
)  # gui.model.theme.THEMES (a test keeps the two the same)
TIME_LIMIT_RANGE = (1.0, 600.0)  # seconds
DEFAULT_TIME_LIMIT = 10.0  # seconds a program may run: the window's and the CLI's default
ZOOM_RANGE = (0.001, 100.0)
MAX_STEP = 10_000_000
NODE_ID = re.compile(r"n[0-9]{1,9}")
_FORMAT_NAME = re.compile(r"autograd-lens-session/([0-9]{1,6})")
MAX_MARKS = 10_000  # retain_grad marks, lesson lines
MAX_GRADIENT_CHARS = 100_000
_NAME = r"[A-Za-z_][A-Za-z_0-9]{0,99}"
_TENSOR = rf"torch\.(?:ones_like\({_NAME}\)|tensor\((?P<numbers>.+), dtype={_NAME}\.dtype\))"
LESSON_LINE = re.compile(  # what Backward Again and Zero Grad add (gui.model.added_backward)
    rf"{_NAME}\.grad = None|{_NAME}\.backward\((?:{_TENSOR}, )?retain_graph=True\)",
    re.DOTALL,  # a gradient may span lines; `numbers` then checks it is only numbers
)


class SessionError(ValueError):
    """The file is not a session this version can open; the message says why, plainly;
    `wording`, the same sentence as data (`core.record.wording`)."""

    def __init__(self, why: str | Wording) -> None:
        super().__init__(text_of(why))
        self.wording = why if isinstance(why, Wording) else None


# Why a file is not a session this version opens, in sentences the window translates.
TOO_BIG = QT_TRANSLATE_NOOP("core", "The session is too big (more than 1 MB).")
NOT_UTF8 = QT_TRANSLATE_NOOP("core", "This is not a session file (it is not UTF-8 text).")
CUT_SHORT = QT_TRANSLATE_NOOP("core", "This is not a session file, or it is cut short ({why}).")
"""{why}: JSON's own words, or NESTED."""
NESTED = QT_TRANSLATE_NOOP("core", "it is nested too deeply")
NO_OBJECT = QT_TRANSLATE_NOOP("core", "This is not a session file (it holds no JSON object).")
NEWER = QT_TRANSLATE_NOOP(
    "core",
    "This session was made by a newer version of Autograd Lens (format {format}); this "
    "version opens format 1. Update the app to open it.",
)
NOT_OURS = QT_TRANSLATE_NOOP(
    "core", 'This is not an Autograd Lens session (its "format" is not "{format}").'
)
NO_PROGRAM = QT_TRANSLATE_NOOP(
    "core", 'The session has no program text ("program" must be a string).'
)
PROGRAM_TOO_LONG = QT_TRANSLATE_NOOP(
    "core", "The session's program is too long ({count} characters; at most {limit})."
)
NUL = QT_TRANSLATE_NOOP("core", "The session's program contains a NUL character.")
NOT_AN_OBJECT = QT_TRANSLATE_NOOP("core", 'The session\'s "{key}" must be an object.')
BAD_STEP = QT_TRANSLATE_NOOP(
    "core", 'The session\'s "step" must be a whole number from 0 to {most}.'
)
BAD_SELECTED = QT_TRANSLATE_NOOP(
    "core", 'The session\'s "selected" must be a node id such as "n3".'
)
BAD_THEME = QT_TRANSLATE_NOOP("core", 'The session\'s "theme" must be one of {themes}.')
BAD_MARKS = QT_TRANSLATE_NOOP(
    "core", 'The session\'s "retain_grad" must be a list of source spans.'
)
BAD_GRADIENT = QT_TRANSLATE_NOOP(
    "core", 'The session\'s "gradient" must be a nested list of numbers.'
)
BAD_LINES = QT_TRANSLATE_NOOP(
    "core",
    "The session's \"lines\" may only be the window's own Backward Again and Zero Grad lines.",
)
BAD_NUMBER = QT_TRANSLATE_NOOP(
    "core", 'The session\'s "{key}" must be a number from {low} to {high}.'
)
BAD_TEXT = QT_TRANSLATE_NOOP("core", 'The session\'s "{key}" must be a short text.')
BAD_FLAG = QT_TRANSLATE_NOOP("core", 'The session\'s "{key}" must be true or false.')


@dataclass(frozen=True)
class Settings:
    time_limit: float = DEFAULT_TIME_LIMIT  # seconds a program may run before it is stopped


@dataclass(frozen=True)
class View:
    step: int | None = None  # backward steps shown; None: as the program ended
    zoom: float | None = None  # None: fit the graph to the window
    selected: str = ""  # the inspected node's id
    theme: str = "light"
    show_values: bool = True


@dataclass(frozen=True)
class Lesson:
    retain_grad: tuple[tuple[int, int, int, int], ...] = ()  # spans of retained tensors
    show_constants: bool = False
    backward: bool = False  # Backward added a backward() call the program lacks
    gradient: str | None = None  # the gradient given to it (a nested list), if asked
    lines: tuple[str, ...] = ()  # Backward Again / Zero Grad, in order


@dataclass(frozen=True)
class Session:
    program: str
    settings: Settings = field(default_factory=Settings)
    view: View = field(default_factory=View)
    lesson: Lesson = field(default_factory=Lesson)
    # Recovery files (the autosave) add when they were written and what was open. Only
    # the app's own recovery file is trusted with these: opening a session ignores them.
    saved_at: float | None = None  # seconds since the epoch
    document: str | None = None  # the title the document had
    path: str | None = None  # the .py file it was opened from, if any
    modified: bool = False  # the text differed from that file (or example)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"format": FORMAT, **asdict(self)}
        for key in ("saved_at", "document", "path", "modified"):
            if d[key] is None or (key == "modified" and not d[key]):
                del d[key]
        return d


def time_limit(session: Session, own: float) -> float:
    """The seconds a session's program may run: its own time limit, but never more than
    the user's own (`own`: the window's setting, the CLI's --timeout). A session is
    something people pass around; a shared file can't take more of the machine than
    the user allows."""
    return min(session.settings.time_limit, own)


def dumps(session: Session) -> str:
    """The session as JSON text (strict: no NaN)."""
    return json.dumps(session.to_dict(), indent=1, allow_nan=False, ensure_ascii=False) + "\n"


def save(session: Session, path: str | os.PathLike[str]) -> Path:
    """Write the session to `path` atomically; returns the path. Raises OSError."""
    path = Path(path)
    write_atomically(path, dumps(session).encode("utf-8"))
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str], wait: float | None = None) -> Session:
    """Read and check a session file (a regular file of at most MAX_BYTES, read as
    `core.record.files.read_bytes` does, `wait` included). Raises SessionError (and only that)."""
    try:
        data = files.read_bytes(path, MAX_BYTES, wait)
    except files.FileRefused as e:
        raise SessionError(e.wording or str(e)) from None
    return loads(data)


def loads(data: bytes | str) -> Session:
    """Check session JSON and make a Session of it. Raises SessionError (and only that)."""
    if len(data) > MAX_BYTES:
        raise SessionError(said(TOO_BIG))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SessionError(said(NOT_UTF8)) from None
    try:
        d = json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:
        raise SessionError(said(CUT_SHORT, why=_why(e))) from None
    if not isinstance(d, dict):
        raise SessionError(said(NO_OBJECT))
    _check_format(d.get("format"))
    return Session(
        program=_program(d.get("program")),
        settings=_settings(_object(d, "settings")),
        view=_view(_object(d, "view")),
        lesson=_lesson(_object(d, "lesson")),
        saved_at=_optional_number(d, "saved_at", 0.0, 1e11),
        document=_optional_text(d, "document", 300),
        path=_optional_text(d, "path", 4096),
        modified=_flag(d, "modified", False),
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _why(e: Exception) -> str | Wording:
    if isinstance(e, RecursionError):
        return said(NESTED)
    if isinstance(e, json.JSONDecodeError):
        return f"{e.msg.lower()} at line {e.lineno}, column {e.colno}"
    return str(e)


def _check_format(value: object) -> None:
    if value == FORMAT:
        return
    match = _FORMAT_NAME.fullmatch(value) if isinstance(value, str) else None
    if match and int(match.group(1)) > 1:
        raise SessionError(said(NEWER, format=match.group(1)))
    raise SessionError(said(NOT_OURS, format=FORMAT))


def _program(value: object) -> str:
    if not isinstance(value, str):
        raise SessionError(said(NO_PROGRAM))
    if len(value) > MAX_SOURCE_CHARS:
        raise SessionError(
            said(PROGRAM_TOO_LONG, count=f"{len(value):,}", limit=f"{MAX_SOURCE_CHARS:,}")
        )
    if "\x00" in value:
        raise SessionError(said(NUL))
    return value


def _object(d: dict[str, Any], key: str) -> dict[str, Any]:
    value = d.get(key, {})
    if not isinstance(value, dict):
        raise SessionError(said(NOT_AN_OBJECT, key=key))
    return value


def _settings(d: dict[str, Any]) -> Settings:
    low, high = TIME_LIMIT_RANGE
    limit = _optional_number(d, "time_limit", low, high)
    return Settings(time_limit=Settings.time_limit if limit is None else limit)


def _view(d: dict[str, Any]) -> View:
    step = d.get("step")
    if step is not None and (type(step) is not int or not 0 <= step <= MAX_STEP):
        raise SessionError(said(BAD_STEP, most=str(MAX_STEP)))
    selected = d.get("selected", "")
    if not isinstance(selected, str) or (selected and not NODE_ID.fullmatch(selected)):
        raise SessionError(said(BAD_SELECTED))
    theme = d.get("theme", View.theme)
    if theme not in THEMES:
        raise SessionError(said(BAD_THEME, themes=", ".join(THEMES)))
    return View(
        step=step,
        zoom=_optional_number(d, "zoom", *ZOOM_RANGE),
        selected=selected,
        theme=theme,
        show_values=_flag(d, "show_values", View.show_values),
    )


def _lesson(d: dict[str, Any]) -> Lesson:
    marks = d.get("retain_grad", [])
    if not isinstance(marks, list) or len(marks) > MAX_MARKS or not all(_is_span(m) for m in marks):
        raise SessionError(said(BAD_MARKS))
    gradient = d.get("gradient")
    if gradient is not None and not (isinstance(gradient, str) and numbers(gradient)):
        raise SessionError(said(BAD_GRADIENT))
    lines = d.get("lines", [])
    if (
        not isinstance(lines, list)
        or len(lines) > MAX_MARKS
        or not all(isinstance(line, str) and lesson_line(line) for line in lines)
    ):
        raise SessionError(said(BAD_LINES))
    return Lesson(
        retain_grad=tuple(tuple(m) for m in marks),
        show_constants=_flag(d, "show_constants", False),
        backward=_flag(d, "backward", False),
        gradient=gradient,
        lines=tuple(lines),
    )


def lesson_line(line: str) -> bool:
    """Whether `line` is one the window writes: `x.grad = None`, or a backward() from a
    name with retain_graph=True and a gradient of plain numbers (or ones_like)."""
    match = LESSON_LINE.fullmatch(line) if len(line) <= MAX_GRADIENT_CHARS + 200 else None
    return match is not None and (match["numbers"] is None or numbers(match["numbers"]))


def numbers(text: str) -> bool:
    """Whether `text` is a number or nested lists (tuples) of finite numbers, as the
    gradient dialog takes them (Python literals only: nothing is evaluated)."""
    if len(text) > MAX_GRADIENT_CHARS:
        return False
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return False
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            return False
    return True


def _is_span(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and all(type(v) is int and 0 <= v <= MAX_STEP for v in value)
    )


def _optional_number(d: dict[str, Any], key: str, low: float, high: float) -> float | None:
    value = d.get(key)
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or not low <= value <= high:
        raise SessionError(said(BAD_NUMBER, key=key, low=f"{low:g}", high=f"{high:g}"))
    return float(value)


def _optional_text(d: dict[str, Any], key: str, longest: int) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > longest or "\x00" in value:
        raise SessionError(said(BAD_TEXT, key=key))
    return value


def _flag(d: dict[str, Any], key: str, default: bool) -> bool:
    value = d.get(key, default)
    if not isinstance(value, bool):
        raise SessionError(said(BAD_FLAG, key=key))
    return value
