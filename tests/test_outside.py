"""The player's note on the program's tensors that are not in the graph says the truth: a
tensor the output was computed from that doesn't require grad (a polynomial fit's x and y,
makemore's xs and ys) is *used* (autograd just keeps no node for it); only a tensor the
output really doesn't use is said not to be used. The oracle is plain PyTorch: a
TorchFunctionMode notes each op's tensor operands as the program runs as ordinary Python,
and the output's operands, theirs, and so on, are the tensors it is computed from."""

import json
from pathlib import Path
from typing import Any

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

from core.engine.evaluate import run_program
from core.record.graph import GraphRecord
from gui.model.outside import outside_note, tensor_names
from tests.oracle import run_plain

PUBLISHED = Path(__file__).parent / "programs" / "published"
POLYNOMIAL = (PUBLISHED / "pytorch_examples_polynomial_autograd.py").read_text()
MAKEMORE = (PUBLISHED / "karpathy_makemore_bigram.py").read_text()
LESSON = (Path(__file__).parents[1] / "resources" / "examples" / "lesson.py").read_text()
UNUSED = (
    "import torch\n"
    "x = torch.linspace(-1, 1, 5)\n"
    "z = torch.zeros(5)\n"
    "w = torch.ones(5, requires_grad=True)\n"
    "loss = ((w * x - torch.sin(x)) ** 2).sum()\n"
    "loss.backward()\n"
)


class Operands(TorchFunctionMode):
    """Every torch op's tensor operands, by the id of each tensor it returned (the tensors
    are kept, so no id is reused)."""

    def __init__(self) -> None:
        super().__init__()
        self.made_from: dict[int, set[int]] = {}
        self.kept: list[Any] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        inputs = [t for t in tree_flatten((args, kwargs or {}))[0] if isinstance(t, torch.Tensor)]
        for made in tree_flatten(out)[0]:
            if isinstance(made, torch.Tensor):
                self.made_from.setdefault(id(made), set()).update(
                    id(t) for t in inputs if t is not made
                )
                self.kept.append(made)
        self.kept.extend(inputs)
        return out

    def computed_from(self, t: torch.Tensor) -> set[int]:
        seen: set[int] = set()
        todo = [id(t)]
        while todo:
            for part in self.made_from.get(todo.pop(), ()):
                if part not in seen:
                    seen.add(part)
                    todo.append(part)
        return seen


def oracle(source: str, output: str) -> tuple[dict[str, Any], set[str]]:
    """The program's variables run as plain Python, and the names of its tensors that
    `output` is computed from."""
    with Operands() as mode:
        variables = run_plain(source)
    parts = mode.computed_from(variables[output])
    used = {k for k, v in variables.items() if isinstance(v, torch.Tensor) and id(v) in parts}
    return variables, used


def missing(record: GraphRecord) -> list[str]:
    """The names the note considers: the program's tensors that hold data (not a generator
    `g`, nor an `ix` only used to pick a batch: `record.data_tensors`), not in the graph."""
    shown = {n.name for n in record.nodes if n.name}
    data = record.data_tensors
    assert data is not None  # (a run says)
    return [name for name in tensor_names(record.source) if name not in shown and name in data]


def test_a_polynomial_fits_x_and_y_are_used_by_loss_without_requiring_grad():
    record = run_program(POLYNOMIAL, chain_rule=False).record
    # the oracle's run, 3 steps of the loop for 2000 (what an op takes in is the same)
    variables, used = oracle(POLYNOMIAL.replace("range(2000)", "range(3)"), "loss")
    assert {"x", "y"} <= used and not variables["x"].requires_grad
    assert not variables["y"].requires_grad
    assert missing(record) == ["x", "y"]
    assert record.constants_used == ("x", "y")
    note = outside_note(record)
    assert note == (
        "x and y are used by loss but don't require grad, so autograd keeps no node for "
        "them (View → Show Constants draws them)."
    )
    assert "doesn't use" not in note


def test_makemores_xs_and_ys_are_used_and_show_constants_draws_them():
    record = run_program(MAKEMORE, chain_rule=False).record
    variables, used = oracle(MAKEMORE, "loss")
    gone = missing(record)
    said_used = [n for n in gone if n in record.constants_used]
    assert said_used == ["xs", "ys"] == [n for n in gone if n in used]
    note = outside_note(record)
    assert note.startswith("xs and ys are used by loss but don't require grad")
    # what it says is not used, the output is not computed from
    unused = note.split("loss doesn't use")[0].rsplit(". ", 1)[-1]
    for name in gone:
        if name not in record.constants_used and name not in record.constants_unfollowed:
            assert name in unused and name not in used
    for name in record.constants_unfollowed:  # said only not to need a node: true
        assert not variables[name].requires_grad
    shown = run_program(MAKEMORE, chain_rule=False, show_constants=True).record
    constants = {n.name for n in shown.nodes if n.role == "constant"}
    assert {"xs", "ys"} <= constants  # (ys is an index: probs[torch.arange(num), ys])


def test_the_lessons_a_plain_and_b_are_really_not_used_by_o():
    record = run_program(LESSON, chain_rule=False).record
    variables, used = oracle(LESSON, "o")
    assert missing(record) == ["a", "plain", "b"]
    assert not {"a", "plain", "b"} & used and {"x", "y"} <= used
    assert record.constants_used == ()
    assert outside_note(record) == (
        "a, plain and b are not in the graph: it shows what o is made of (what backward() "
        "from o reaches), and o doesn't use them."
    )


def test_a_tensor_used_and_one_unused_are_told_apart():
    record = run_program(UNUSED).record
    variables, used = oracle(UNUSED, "loss")
    assert "x" in used and "z" not in used
    assert outside_note(record) == (
        "x is used by loss but doesn't require grad, so autograd keeps no node for it "
        "(View → Show Constants draws it). z is not in the graph: it shows what loss is made "
        "of (what backward() from loss reaches), and loss doesn't use it."
    )


def test_used_through_a_constant_made_of_it_or_its_rows():
    """x used only through k = x * 2 (no grad), X only through its rows: used all the same."""
    program = (
        "import torch\n"
        "x = torch.ones(3)\n"
        "k = x * 2\n"
        "X = torch.ones(2, 3)\n"
        "w = torch.ones(3, requires_grad=True)\n"
        "loss = (w * k).sum()\n"
        "for row in X:\n"
        "    loss = loss + (w * row).sum()\n"
        "loss.backward()\n"
    )
    record = run_program(program).record
    _, used = oracle(program, "loss")
    assert {"x", "k", "X"} <= used
    assert {"x", "k", "X"} <= set(record.constants_used)
    assert set(missing(record)) == {"x", "X"}  # (k = x * 2 calls no torch function)
    assert "doesn't use" not in outside_note(record)


def test_a_tensor_passed_where_the_run_cant_follow_it_is_not_said_unused():
    """k.item() is a Python number: whether loss used k is not known to the run, so the note
    says only what is sure (it doesn't require grad: no node)."""
    program = (
        "import torch\n"
        "k = torch.tensor(3.0)\n"
        "w = torch.ones(2, requires_grad=True)\n"
        "loss = (w * k.item()).sum()\n"
        "loss.backward()\n"
    )
    record = run_program(program).record
    assert record.constants_unfollowed == ("k",) and record.constants_used == ()
    assert outside_note(record) == (
        "k is not in the graph: it doesn't require grad, so autograd keeps no node for it."
    )


def test_the_names_round_trip_through_json():
    record = run_program(UNUSED).record
    data = json.loads(record.to_json())
    assert data["constants_used"] == ["x"] and data["constants_unfollowed"] == []
    assert GraphRecord.from_json(record.to_json()) == record


NINJA = (PUBLISHED / "karpathy_makemore_backprop_ninja.py").read_text()
INDEXES = (
    "import torch\n"
    "g = torch.Generator().manual_seed(1)\n"
    "X = torch.randn(10, 3, generator=g)\n"
    "labels = torch.randint(0, 2, (10,), generator=g)\n"  # data: passed on, into one_hot
    "ix = torch.randint(0, 10, (4,), generator=g)\n"  # only picks rows
    "picked = torch.randint(0, 10, (4,), generator=g)\n"  # only picks rows, never used
    "Xb, Yb = X[ix], torch.nn.functional.one_hot(labels)[ix].float()\n"
    "rows = X[picked]\n"
    "w = torch.ones(3, 2, requires_grad=True)\n"
    "loss = ((Xb @ w - Yb) ** 2).sum()\n"
    "loss.backward()\n"
)


def test_makemores_generator_and_a_number_named_ix_are_not_named():
    """The bigram notebook's g is a torch.Generator and its ix a Python int (a sampled
    character, `.item()`): no tensor, nothing the graph could have used; the note names
    only tensors (xs and ys used, N and nlls not followed, the sampling's p unused)."""
    record = run_program(MAKEMORE, chain_rule=False).record
    variables = run_plain(MAKEMORE)
    assert isinstance(variables["g"], torch.Generator) and type(variables["ix"]) is int
    assert {"g", "ix"} <= set(tensor_names(MAKEMORE))  # what the text alone suggests
    assert not {"g", "ix"} & set(record.data_tensors or ())
    assert outside_note(record) == (
        "xs and ys are used by loss but don't require grad, so autograd keeps no node for "
        "them (View → Show Constants draws them). N and nlls are not in the graph: they "
        "don't require grad, so autograd keeps no node for them. p is not in the graph: it "
        "shows what loss is made of (what backward() from loss reaches), and loss doesn't "
        "use it."
    )


def test_backprop_ninjas_batch_index_ix_is_not_named():
    """`ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)` picks the batch
    (`Xb, Yb = Xtr[ix], Ytr[ix]`), and later `ix = Xb[k,j]` picks dC's row: integers used
    only to index. The run knows ix chose what loss was computed from (constants_used), but
    it is no data a teacher means by "not in the graph", nor is the generator g."""
    record = run_program(NINJA, chain_rule=False).record
    variables = run_plain(NINJA)
    assert isinstance(variables["g"], torch.Generator)
    assert variables["ix"].dtype == torch.int64 and "ix" in record.constants_used
    assert {"g", "ix"} <= set(tensor_names(NINJA))
    assert not {"g", "ix"} & set(record.data_tensors or ())
    assert outside_note(record) == (
        "dlogprobs is not in the graph: it doesn't require grad, so autograd keeps no node "
        "for it. dbndiff2, dC and hpreact_fast are not in the graph: it shows what loss is "
        "made of (what backward() from loss reaches), and loss doesn't use them."
    )


def test_an_index_used_only_to_pick_rows_is_left_out_and_labels_are_not():
    """ix and picked only index X (which doesn't require grad): left out, used or not;
    labels is indexed too but also one-hot encoded (data): named, and said to be used."""
    record = run_program(INDEXES).record
    assert record.data_tensors == ("X", "labels", "Xb", "Yb", "rows", "w", "loss")
    assert set(record.constants_used) >= {"X", "labels", "ix"}
    assert outside_note(record) == (
        "X and labels are used by loss but don't require grad, so autograd keeps no node "
        "for them (View → Show Constants draws them)."
    )


def test_the_data_tensors_round_trip_through_json_and_an_older_record_names_all():
    record = run_program(INDEXES).record
    data = json.loads(record.to_json())
    assert data["data_tensors"] == list(record.data_tensors)
    assert GraphRecord.from_json(record.to_json()) == record
    del data["data_tensors"]  # a record written before the field: every name is said
    older = GraphRecord.from_json(json.dumps(data))
    assert older.data_tensors is None
    note = outside_note(older)
    assert note.startswith("X, labels and ix are used by loss") and "g and picked are not" in note
