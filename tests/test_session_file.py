"""Session files: round trip, atomic writes, and every kind of bad file refused plainly."""

import json
import os
import sys

import pytest

from core.record import session_file
from core.record.session_file import (
    MAX_BYTES,
    Session,
    SessionError,
    Settings,
    View,
    load,
    loads,
    save,
)

PROGRAM = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
GOOD = {
    "format": "autograd-lens-session/1",
    "program": PROGRAM,
    "settings": {"time_limit": 5},
    "view": {"step": 2, "zoom": 1.5, "selected": "n3", "theme": "dark", "show_values": False},
}


def test_a_session_round_trips_through_a_file(tmp_path):
    """What is saved is what is loaded, field by field."""
    session = Session(PROGRAM, Settings(time_limit=3.5), View(4, 0.75, "n2", "dark", False))
    path = save(session, tmp_path / "s.alens")
    assert load(path) == session
    assert json.loads(path.read_text())["format"] == "autograd-lens-session/1"


def test_a_hand_written_session_loads_with_its_values():
    """The documented JSON shape loads as written."""
    s = loads(json.dumps(GOOD))
    assert s.program == PROGRAM and s.settings.time_limit == 5.0
    assert s.view == View(step=2, zoom=1.5, selected="n3", theme="dark", show_values=False)


def test_missing_settings_and_view_take_defaults():
    """Only format and program are required."""
    s = loads(json.dumps({"format": "autograd-lens-session/1", "program": ""}))
    assert s.settings == Settings() and s.view == View()


def test_unknown_keys_are_ignored():
    """Keys this version does not know can do nothing; they are skipped."""
    d = dict(GOOD, extra={"__class__": "os.system"}, view=dict(GOOD["view"], rotate=90))
    assert loads(json.dumps(d)).view.theme == "dark"


def bad(**changes):
    d = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        section, _, name = key.partition("__")
        if name:
            d[section][name] = value
        else:
            d[section] = value
    return json.dumps(d)


HOSTILE = {
    "empty file": ("", "not a session file"),
    "truncated": (json.dumps(GOOD)[:40], "cut short"),
    "a pickle": (b"\x80\x04\x95\x10\x00\x00\x00", "not UTF-8"),
    "pickle-like text": ("cos\nsystem\n(S'echo hi'\ntR.", "not a session file"),
    "a list": ("[1, 2, 3]", "no JSON object"),
    "no format": (json.dumps({"program": "x = 1"}), "not an Autograd Lens session"),
    "future format": (bad(format="autograd-lens-session/2"), "newer version"),
    "another format": (bad(format="autograd-lens/1"), "not an Autograd Lens session"),
    "program not text": (bad(program=["import os"]), "program"),
    "program too long": (bad(program="x = 1\n" * 20_000), "too long"),
    "NUL in program": (bad(program="x = 1\x00"), "NUL"),
    "NaN zoom": (bad().replace('"zoom": 1.5', '"zoom": NaN'), "NaN is not allowed"),
    "huge zoom": (bad(view__zoom=1e308), "zoom"),
    "zoom as text": (bad(view__zoom="2"), "zoom"),
    "negative step": (bad(view__step=-1), "step"),
    "step as float": (bad(view__step=2.0), "step"),
    "step as bool": (bad(view__step=True), "step"),
    "giant step": (bad(view__step=10**30), "step"),
    "huge int literal": (bad().replace('"step": 2', '"step": ' + "9" * 5000), "cut short"),
    "unknown theme": (bad(view__theme="../../etc/passwd"), "theme"),
    "selected not an id": (bad(view__selected="__import__('os')"), "node id"),
    "show_values not bool": (bad(view__show_values="yes"), "true or false"),
    "time limit zero": (bad(settings__time_limit=0), "time_limit"),
    "time limit a day": (bad(settings__time_limit=86_400), "time_limit"),
    "time limit bool": (bad(settings__time_limit=True), "time_limit"),
    "settings a list": (bad(settings=[1]), "settings"),
    "view a string": (bad(view="fit"), "view"),
    "deep nesting": ('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
}


@pytest.mark.parametrize("text, says", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_bad_session_is_refused_with_a_plain_message(text, says):
    """Malformed, truncated, future, oversized or hostile files raise SessionError, saying why."""
    with pytest.raises(SessionError) as caught:
        loads(text if isinstance(text, bytes) else text.encode("utf-8"))
    message = str(caught.value)
    assert says.lower() in message.lower(), message
    assert "Traceback" not in message and len(message) < 300


def test_a_file_over_one_megabyte_is_refused_before_parsing(tmp_path, monkeypatch):
    """A huge file is refused by its size; the JSON parser never sees it."""
    path = tmp_path / "huge.alens"
    path.write_text(json.dumps(dict(GOOD, padding="x" * MAX_BYTES)))
    monkeypatch.setattr(session_file.json, "loads", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(SessionError, match="too big"):
        load(path)


def test_a_missing_file_is_a_session_error(tmp_path):
    """A file that can't be read is reported like any other bad session."""
    with pytest.raises(SessionError, match="Can't read"):
        load(tmp_path / "nope.alens")


def test_saving_over_a_session_never_leaves_half_a_file(tmp_path, monkeypatch):
    """If writing fails midway, the old file is intact and no temporary file is left."""
    path = save(Session("old = 1\n"), tmp_path / "s.alens")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(session_file.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        save(Session("new = 2\n"), path)
    assert load(path).program == "old = 1\n"
    assert os.listdir(tmp_path) == ["s.alens"]


def test_a_session_module_imports_no_torch():
    """Reading sessions is pure Python: the window can use it without torch."""
    import subprocess

    code = "import sys, core.record.session_file; assert 'torch' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], cwd=session_file.Path(__file__).parents[1])
    assert done.returncode == 0


def test_the_lesson_round_trips_and_old_files_have_none(tmp_path):
    """Issue 19 item 3: the lesson part of a session, saved and read back; a file without
    one (every session written before) opens with an empty lesson."""
    from core.record.session_file import Lesson

    lesson = Lesson(
        retain_grad=((2, 5, 2, 20),), show_constants=True, backward=True,
        gradient="[[1., 2.], [-3e-05, 4.]]",
        lines=("y.backward(torch.tensor([[1.0, 2.0]], dtype=y.dtype), retain_graph=True)",
               "x.grad = None", "o.backward(retain_graph=True)"),
    )  # fmt: skip
    session = Session("x = 1\n", lesson=lesson)
    assert session_file.load(session_file.save(session, tmp_path / "a.alens")) == session
    old = '{"format": "autograd-lens-session/1", "program": "x = 1", "view": {"step": 2}}'
    assert session_file.loads(old).lesson == Lesson()


@pytest.mark.parametrize(
    "lesson",
    [
        {"lines": ["import os"]},
        {"lines": ["o.backward(retain_graph=True); import os"]},
        {"lines": ["x.grad = None\nimport os"]},
        {
            "lines": [
                "y.backward(torch.tensor([1], dtype=y.dtype), retain_graph=True)\nimport os\n"
                "y.backward(torch.tensor([1], dtype=y.dtype), retain_graph=True)"
            ]
        },
        {"lines": ["y.backward(torch.tensor(__import__('os'), dtype=y.dtype), retain_graph=True)"]},
        {"gradient": "__import__('os')"},
        {"retain_grad": [[1, 2, 3]]},
        {"show_constants": "yes"},
    ],
)
def test_a_lesson_holds_only_the_windows_own_lines(lesson):
    text = json.dumps({"format": "autograd-lens-session/1", "program": "", "lesson": lesson})
    with pytest.raises(SessionError):
        session_file.loads(text)


def test_every_gradient_the_dialog_takes_is_kept():
    """The gradient dialog takes Python number literals (gui.panels.gradient_dialog): a
    session keeps each of them, and Backward Again's line with it."""
    for text in ["[1., 0.5]", "(1, 2)", "[[1_000, 0x1F],\n [2e-3, -4]]", "3"]:
        lesson = {
            "gradient": text,
            "lines": [f"y.backward(torch.tensor({text}, dtype=y.dtype), retain_graph=True)"],
        }
        d = {"format": "autograd-lens-session/1", "program": "", "lesson": lesson}
        assert session_file.loads(json.dumps(d)).lesson.gradient == text
