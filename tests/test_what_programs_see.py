"""What a program's output, notes and errors say: no memory addresses in the safe mode,
torch's warnings as notes at the program's line, messages and caret lines of a readable
size, and the results PyTorch gives where the recorder used to break (zero tensors,
batched gradients)."""

import re

import pytest
import torch

from core.engine.evaluate import run_program
from core.record.language import ProgramError, excerpt, shortened
from tests.test_cli import cli

ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")

REPRS = """\
g = torch.manual_seed(0)
class A:
    def f(self):
        return 1
a = A()
print(print, g, a, [a], {1: a}, a.f, lambda: 1)
print(f"{a} {a!r} {a.f} {len!s:>30}")
print("%s|%r" % (a, a))
print("{} {}".format(a, 2))
s = str(a) + repr(a) + ascii(a) + str([print])
print(s)
a
"""


def transcript(source, **options):
    return [(e.line, e.kind, e.text) for e in run_program(source, **options).record.transcript]


def test_no_repr_the_safe_mode_shows_carries_a_memory_address():
    """id() is refused for what it tells; print, repr(), str(), ascii(), f-strings, % and
    str.format must not tell it either (the type's name stays)."""
    out = transcript(REPRS)
    assert len(out) == 6
    for _, _, text in out:
        assert not ADDRESS.search(text), text
    assert out[0][2].startswith("<function print> <torch._C.Generator object> <__main__.A object>")
    assert "<bound method A.f of <__main__.A object>>" in out[1][2]


def test_trusted_programs_are_plain_python_addresses_and_all():
    out = transcript(REPRS, trusted=True)
    assert ADDRESS.search(out[0][2])


@pytest.mark.parametrize("arg", ["print", "lambda: 1", "torch.ones(2)", "(1, print)"])
def test_hash_of_what_is_hashed_by_its_address_is_refused(arg):
    with pytest.raises(ProgramError, match="made from where it is in memory"):
        run_program(f"h = hash({arg})\n")


def test_hash_of_values_is_python_s():
    out = transcript(
        "print(hash(3), hash(2.5), hash((1, 'b')) == hash((1, 'b')), hash(None) is not None)\n"
    )
    assert out[0][2] == f"{hash(3)} {hash(2.5)} True True"


NON_LEAF_GRAD = """\
x = torch.ones(3, requires_grad=True)
y = x.sum()
y.backward()
for i in range(3):
    print(y.grad)
"""


def test_torch_warnings_are_notes_at_the_program_line_without_file_names():
    """PyTorch's UserWarning for reading a non-leaf's .grad: once (as Python shows a
    warning once per place), at line 5, in its words, with no path into torch's sources."""
    out = transcript(NON_LEAF_GRAD)
    notes = [o for o in out if o[1] == "note"]
    assert len(notes) == 1
    line, _, text = notes[0]
    assert line == 5 and text.startswith(
        "UserWarning: The .grad attribute of a Tensor that is not a leaf"
    )
    assert "Triggered internally" not in text and "/" not in text.split("github.com")[0]
    assert [o[2] for o in out if o[1] == "print"] == ["None"] * 3


def test_the_command_line_prints_no_torch_warning(tmp_path):
    program = tmp_path / "p.py"
    program.write_text(NON_LEAF_GRAD)
    result = cli(str(program), "--export", str(tmp_path / "p.json"))
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr


BATCHED = """\
x = torch.randn(3, requires_grad=True)
y = x * 2
(g,) = torch.autograd.grad(y, x, torch.eye(3), is_grads_batched=True)
"""


def test_batched_gradients_give_pytorch_s_result_and_say_their_steps_are_not_shown():
    ev = run_program(BATCHED)
    assert torch.equal(ev.variables["g"], 2 * torch.eye(3))
    notes = [e for e in ev.record.transcript if e.kind == "note"]
    assert notes and notes[0].line == 3 and "is_grads_batched" in notes[0].text


def test_complex_tensors_are_refused_with_a_sentence_at_their_line():
    source = "a = torch.ones(2, requires_grad=True)\nz = torch.complex(a, a)\n"
    with pytest.raises(ProgramError) as caught:
        run_program(source)
    assert (caught.value.line, caught.value.col) == (2, 5)
    assert "Complex tensors can't be shown yet (this one is complex64)" in caught.value.message


def test_a_huge_message_is_shortened_with_the_rest_elided():
    """float() of a 400,000-character text: PyTorch's own words start the message, which
    says how much was left out."""
    source = "s = str(list(range(70000)))\nz = float(s)\n"
    with pytest.raises(ProgramError) as caught:
        run_program(source)
    message = caught.value.message
    assert message.startswith("ValueError: could not convert string to float: '[0, 1, 2")
    assert len(message) <= 1_000 and message.endswith(" more characters)")


def test_shortened_and_excerpt():
    assert shortened("abc", 5) == "abc"
    assert shortened("x" * 100, 50) == "x" * 10 + "… (90 more characters)"
    line = "a" * 300 + "BAD" + "b" * 300
    text, col = excerpt(line, 301, 100)
    assert text.startswith("…") and text.endswith("…") and text[col - 1 : col + 2] == "BAD"
    assert excerpt("short", 3) == ("short", 3)


def test_the_caret_line_splits_lines_as_python_does(tmp_path):
    """A form feed and U+2028 inside a line don't end it for Python: the caret must point
    at the same line the message names, under the right column."""
    program = tmp_path / "p.py"
    program.write_text("x = 1  # a\u2028comment\fwith odd breaks\ny = x + undefined_name\n")
    result = cli(str(program), "--export", str(tmp_path / "p.json"))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert "line 2, column 9" in lines[0]
    assert lines[1] == "  2 | y = x + undefined_name"
    assert lines[2].index("^") == lines[1].index("undefined_name")


def test_a_long_line_is_shown_around_the_column(tmp_path):
    program = tmp_path / "p.py"
    program.write_text("y = '" + "a" * 5000 + "' + undefined_name\n")
    result = cli(str(program), "--export", str(tmp_path / "p.json"))
    assert result.returncode == 2 and len(result.stderr) < 600, result.stderr
    shown, caret = result.stderr.splitlines()[1:3]
    assert shown[caret.index("^") :].startswith("undefined_name")
