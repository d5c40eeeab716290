"""Show Constants labels each constant an op took with its source text (a name, or the
expression: "learning_rate * a.grad" cut to 24 characters). The program's text is split
into lines once per run and each operand's text cut from them once: pytorch/tutorials'
polynomial fit (x = torch.linspace(-math.pi, math.pi, 2000), 2,000 steps) takes ~34,000
constant operands, and `ast.get_source_segment` splitting the whole text again for each
made its run with Show Constants ~12 s instead of ~2 s. Not timed: the tests count the
splits, which must not grow with the steps, and check the labels are
`ast.get_source_segment`'s."""

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

import core.engine.interpreter as interpreter
import core.record.language as language
from core.engine.evaluate import run_program
from core.record.language import source_lines, source_segment

PUBLISHED = Path(__file__).parent / "programs" / "published"
POLYNOMIAL = (PUBLISHED / "pytorch_examples_polynomial_autograd.py").read_text()
MULTILINE = (
    "import torch\r\n"
    "größe = torch.ones(3)  # (non-ASCII: ast's columns count bytes)\r\n"
    "w = torch.ones(3, requires_grad=True)\r\n"
    "k = torch.full((3,),\r\n"
    "               2.0)\r\n"
    "loss = (w * (größe\r\n"
    "             + 1) * (k *\r\n"
    "  3)).sum() + (w * torch.tensor([1.0, 2.0, 3.0])).sum()\r\n"
    "loss.backward()\r\n"
)


class Counted:
    """The program's text split into lines: every way core does it, counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.splits = 0
        self.labels = 0
        real_ast, real_lines = ast._splitlines_no_ff, language.source_lines  # type: ignore[attr-defined]
        real_text = interpreter.Interpreter.operand_text

        def ast_split(source: str) -> list[str]:
            self.splits += 1
            return real_ast(source)

        def lines(source: str) -> list[str]:
            self.splits += 1
            return real_lines(source)

        def operand_text(interp: Any, node: ast.expr, value: Any) -> str:
            self.labels += 1
            return real_text(interp, node, value)

        monkeypatch.setattr(ast, "_splitlines_no_ff", ast_split)
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in ("core", "gui", "main") and getattr(
                module, "source_lines", None
            ) is real_lines:  # fmt: skip
                monkeypatch.setattr(module, "source_lines", lines)
        monkeypatch.setattr(interpreter.Interpreter, "operand_text", operand_text)


def counted(monkeypatch: pytest.MonkeyPatch, source: str) -> Counted:
    with monkeypatch.context() as m:
        count = Counted(m)
        run_program(source, show_constants=True, chain_rule=False)
    return count


def test_show_constants_splits_the_program_as_often_for_200_steps_as_for_5(monkeypatch):
    few = counted(monkeypatch, POLYNOMIAL.replace("range(2000)", "range(5)"))
    many = counted(monkeypatch, POLYNOMIAL.replace("range(2000)", "range(200)"))
    assert many.labels > 30 * few.labels > 0  # the labels asked for grow with the steps,
    assert many.splits == few.splits <= 10  # the splits of the text don't


def old_operand_text(interp: Any, node: ast.expr, value: Any) -> str:
    """What the labels were before: ast.get_source_segment of the whole text, each time."""
    made = interp.tracker.tensors.get(id(value)) if hasattr(value, "grad_fn") else None
    if made is not None and made.name:
        return made.name
    text = " ".join((ast.get_source_segment(interp.source, node) or "?").split())
    return text if len(text) <= 24 else text[:23] + "…"


@pytest.mark.parametrize(
    "source", [POLYNOMIAL.replace("range(2000)", "range(3)"), MULTILINE], ids=["fit", "crlf"]
)
def test_the_constants_labels_are_the_source_texts_they_were(monkeypatch, source):
    record = run_program(source, show_constants=True, chain_rule=False).record
    labels = sorted(n.name for n in record.nodes if n.role == "constant")
    with monkeypatch.context() as m:
        m.setattr(interpreter.Interpreter, "operand_text", old_operand_text)
        before = run_program(source, show_constants=True, chain_rule=False).record
    assert record == before
    assert labels == sorted(n.name for n in before.nodes if n.role == "constant")
    assert len(labels) >= 3


@pytest.mark.parametrize("source", [POLYNOMIAL, MULTILINE], ids=["fit", "crlf"])
def test_source_segment_is_asts_over_lines_split_once(source):
    lines = source_lines(source)
    nodes = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.expr | ast.stmt)]
    assert len(nodes) > 40
    for node in nodes:
        text = ast.get_source_segment(source, node)
        assert source_segment(lines, node) == text.replace("\r\n", "\n")
    assert source_segment(lines, ast.Name("x")) is None  # (made, not parsed: no position)


def test_the_players_captions_split_the_program_once_per_record(monkeypatch):
    """Every backward step's caption and every forward frame may quote the program's text
    (`Playback._what`: "∂loss/∂(y_pred - y)"): its lines are split once per record."""
    from gui.model.playback import Playback

    record = run_program(POLYNOMIAL.replace("range(2000)", "range(3)")).record
    with monkeypatch.context() as m:
        count = Counted(m)
        playback = Playback(record)
        for step in range(len(record.backward) + 1):
            playback.caption(step)
            if step:
                playback.describe_step(step)
        for k in range(playback.forward_count() + 1):
            playback.forward_frame(k)
    assert len(record.backward) >= 10 and playback.forward_count() >= 3
    assert count.splits == 1
