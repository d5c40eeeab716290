"""The record round-trips through JSON and pickle, strictly, with non-finite values."""

import dataclasses
import json
import math
import pickle
from dataclasses import fields

import pytest

from core.engine.evaluate import run_program
from core.record import graph as rec
from core.record.graph import FORMAT, GraphRecord
from core.record.layout import layout
from core.record.steps import grads_at, running_at, state_at

RECORD_CLASSES = (rec.Node, rec.Edge, rec.BackwardStep, rec.ChainTerm, rec.LeafCheck, rec.HandCheck,
                  rec.TranscriptEntry, rec.RunSummary, rec.GraphRecord)  # fmt: skip

LESSON_CORE = (
    "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\n"
    "o = (1/2) * torch.sum(y)\no.backward()\n"
)


def test_json_round_trip_is_exact():
    """to_json then from_json gives an equal record, in the DESIGN.md format."""
    record = run_program(LESSON_CORE, show_saved=True, show_attrs=True).record
    data = json.loads(record.to_json())
    assert data["format"] == FORMAT
    assert {
        "id",
        "kind",
        "name",
        "op",
        "shape",
        "dtype",
        "requires_grad",
        "is_leaf",
        "value",
        "grad",
        "span",
        "x",
        "y",
        "width",
        "height",
    } <= set(data["nodes"][0])
    assert set(data["edges"][0]) >= {"source", "target", "kind"}
    assert set(data["backward"][0]) >= {"run", "node", "grad_outputs", "grad_inputs"}
    assert GraphRecord.from_json(record.to_json()) == record


def test_pickle_round_trip():
    """The record crosses the process boundary as plain data."""
    record = run_program(LESSON_CORE).record
    assert pickle.loads(pickle.dumps(record)) == record


def test_pickle_round_trip_of_every_part_is_exact_and_by_fields():
    """Each record class pickles as its fields in order (`core.record.graph.record_class`): chain
    terms, a hand check, a transcript and a layout all come back equal."""
    source = LESSON_CORE + "print(x.grad)\n"
    record = run_program(source, show_saved=True, show_attrs=True, check=True).record
    record = layout(record, show_values=True)
    assert record.check and record.check.leaves and record.transcript
    assert any(s.terms for s in record.backward) and any(e.points for e in record.edges)
    back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == record and back.to_json() == record.to_json()
    parts = [record, record.nodes[0], record.edges[0], record.backward[0],
             record.backward[0].terms[0], record.check, record.check.leaves[0],
             record.transcript[0]]  # fmt: skip
    for part in parts:
        cls, values = part.__reduce__()
        assert cls is type(part) and values == tuple(getattr(part, f.name) for f in fields(cls))


def test_non_finite_values_are_strings_in_strict_json():
    """nan and inf become "nan"/"inf"/"-inf" and the JSON has no NaN literal."""
    record = run_program(
        "x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)\n"
        "y = torch.log(x) / x\ns = y.sum()\ns.backward()\n"
    ).record
    text = record.to_json()
    assert "NaN" not in text and "Infinity" not in text
    x = next(n for n in record.nodes if n.name == "x" and n.kind == "tensor")
    assert x.grad[0] in ("nan", "inf", "-inf")
    log = next(n for n in record.nodes if n.op == "LogBackward0")
    assert log.value[0] == "-inf" and log.value[2] == "nan" and math.isclose(log.value[1], 0)


def test_big_tensors_are_truncated_and_say_so():
    """A tensor beyond the kept size keeps its full shape and is marked truncated."""
    record = run_program("w = torch.ones(100, 100, requires_grad=True)\ny = (w * 2).sum()\n")
    w = next(n for n in record.record.nodes if n.name == "w" and n.kind == "tensor")
    assert w.truncated and w.shape == (100, 100) and len(w.value) < 100 * 100


def test_state_before_during_and_after_backward():
    """x's grad is None before backward, arrives at the AccumulateGrad step, and stays."""
    record = run_program(LESSON_CORE).record
    x = next(n.id for n in record.nodes if n.name == "x" and n.kind == "tensor")
    acc = next(
        i for i, s in enumerate(record.backward, 1) if record.node(s.node).op == "AccumulateGrad"
    )
    assert grads_at(record, 0)[x] is None
    assert grads_at(record, acc - 1)[x] is None
    assert grads_at(record, acc)[x] == [10.0, 10.0]
    assert state_at(record, len(record.backward)) == record
    assert running_at(record, acc) == record.backward[acc - 1].node
    assert running_at(record, 0) is None


def test_op_grads_at_a_step_are_what_flowed_in():
    """An op node's grad at step n is the sum of gradients it received up to n."""
    record = run_program(
        LESSON_CORE.replace("o.backward()", "o.backward(retain_graph=True)") + "o.backward()\n"
    ).record
    pow_id = next(n.id for n in record.nodes if n.op == "PowBackward0")
    runs = [i for i, s in enumerate(record.backward, 1) if s.node == pow_id]
    assert len(runs) == 2
    assert grads_at(record, runs[0] - 1)[pow_id] is None
    assert grads_at(record, runs[0])[pow_id] == [2.5, 2.5]
    assert grads_at(record, runs[1])[pow_id] == [5.0, 5.0]
    x = next(n for n in record.nodes if n.name == "x" and n.kind == "tensor")
    assert x.grad == [20.0, 20.0]


def test_record_classes_build_as_their_dataclass_would_with_no_generated_code():
    """The record's classes are plain slots dataclasses: the same arguments, defaults and
    errors as a dataclass, hashable and comparable by their fields, and no code of ours
    written out and run (the issue of `exec`-generated __init__s)."""
    import inspect

    assert "exec(" not in inspect.getsource(rec)
    for cls in RECORD_CLASSES:
        assert dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__
        names = [f.name for f in fields(cls)]
        required = [f.name for f in fields(cls) if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING]  # fmt: skip
        made = cls(*[f"value of {n}" for n in required])
        for f in fields(cls):
            if f.name in required:
                assert getattr(made, f.name) == f"value of {f.name}"
        everything = cls(**{n: (i, n) for i, n in enumerate(names)})
        assert [getattr(everything, n) for n in names] == [(i, n) for i, n in enumerate(names)]
        assert cls(*[(i, n) for i, n in enumerate(names)]) == everything
        assert hash(everything) == hash(cls(*[(i, n) for i, n in enumerate(names)]))
        with pytest.raises(AttributeError):
            everything.not_a_field = 1
        with pytest.raises(TypeError, match="missing 1 required positional argument"):
            cls(*[0] * (len(required) - 1))
        with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
            cls(*[0] * len(required), nonsense=1)


def test_the_type_checker_refuses_an_assignment_to_a_record_field(tmp_path):
    """The record is immutable where it is read (core and gui/model, which mypy checks):
    `record_class` tells mypy its classes are frozen, so a field assignment is an error —
    and a changed copy (`copier`) is a new instance equal to what `replace` gives."""
    from mypy import api

    from core.record.graph import Node, copier

    program = tmp_path / "assigns.py"
    program.write_text(
        "from core.record.graph import Edge, Node\n"
        "node = Node('a', 'tensor')\n"
        "node.x = 3.0\n"
        "Edge('a', 'b').points = ()\n"
        "copy = Node('b', 'op', x=1.0)\n"
    )
    out, _, status = api.run([str(program), "--no-incremental", "--follow-imports=silent"])
    assert status == 1, out
    assert out.count("read-only") == 2 and ":3:" in out and ":4:" in out, out
    node = Node("a", "tensor", value=[1.0], x=1.0)
    moved = copier(Node, ("x", "y"))(node, 5.0, 6.0)
    assert moved == dataclasses.replace(node, x=5.0, y=6.0) and moved is not node
    assert node.x == 1.0 and node.y == 0.0
    with pytest.raises(TypeError, match="no field"):
        copier(Node, ("nonsense",))


def test_mypy_checks_where_records_are_read():
    """mypy's files include gui/model, the Qt-free code that reads records."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert {"core", "gui/model"} <= set(config["tool"]["mypy"]["files"])
