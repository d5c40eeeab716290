"""PyTorch's gradient lessons in the worker: Backward again, Zero grad, the `gradient`
argument, retain_grad, constants and where the graph stops. Every value is plain torch's."""

import warnings

import pytest
import torch

from core.engine.evaluate import run_program
from core.record import lessons
from core.record.additions import again_call, backward_call, zero_grad_lines
from core.record.language import ProgramError
from core.record.wording import said
from tests.oracle import plain_value, run_plain

LESSON = "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\no = (1/2) * torch.sum(y)\n"
RETAINED = LESSON + "o.backward(retain_graph=True)\n"
FREED = LESSON + "o.backward()\n"
MATRIX = "x = torch.ones(2, 3, requires_grad=True)\ny = x * x + 2 * x\n"


def leaf(record, name):
    return next(n for n in record.nodes if n.name == name and n.role == "leaf")


def plain_error(source):
    """The message plain PyTorch raises for this program."""
    with pytest.raises(RuntimeError) as caught:
        run_plain(source)
    return str(caught.value)


def test_backward_again_accumulates_when_the_graph_was_retained():
    """The added call runs a second backward: x.grad doubles (10 -> 20), as in torch, and
    the second run's steps are recorded after the first's."""
    first = run_program(RETAINED).record
    call = again_call(first)
    assert call == "o.backward(retain_graph=True)"
    again = run_program(RETAINED + call + "\n")
    plain = run_plain(RETAINED + call + "\n")
    assert leaf(again.record, "x").grad == plain_value(plain["x"].grad) == [20.0, 20.0]
    runs = [s.run for s in again.record.backward]
    assert runs == [0] * len(first.backward) + [1] * len(first.backward)
    grads = [s.leaf_grad for s in again.record.backward if s.leaf_grad is not None]
    assert grads == [[10.0, 10.0], [20.0, 20.0]]


def test_backward_again_without_retain_graph_is_pytorchs_error_explained():
    """Without retain_graph the second backward fails with torch's own RuntimeError,
    and the lesson explains it."""
    call = again_call(run_program(FREED).record)
    with pytest.raises(ProgramError) as caught:
        run_program(FREED + call + "\n")
    message = caught.value.message
    assert caught.value.line == 5
    assert message == "RuntimeError: " + plain_error(FREED + "o.backward()\n")
    assert "backward through the graph a second time" in message
    assert lessons.explain(message) == lessons.SECOND_BACKWARD
    assert caught.value.wording is None  # PyTorch's words: the lesson is what is translated
    found = lessons.lesson(message)
    assert found is not None and found.template == lessons.SECOND_BACKWARD and not found.values


def test_a_missing_modules_lesson_is_data_naming_the_module():
    found = lessons.lesson("ModuleNotFoundError: No module named 'numpy.linalg'")
    assert found is not None and found.template == lessons.MODULE_MISSING
    assert found.values == (("name", "numpy"),)
    assert found.text == lessons.explain("ModuleNotFoundError: No module named 'numpy.linalg'")
    assert lessons.lesson("ValueError: nothing we explain") is None


def test_a_missing_module_in_the_folder_the_program_ran_in_says_to_save_it_there(tmp_path):
    """An untitled program (no file, so nothing beside it is imported) that ran in the
    folder holding utils.py: the lesson says to save it there, not to pip install utils."""
    message = "ModuleNotFoundError: No module named 'utils'"
    assert lessons.lesson(message, str(tmp_path)).template == lessons.MODULE_MISSING
    (tmp_path / "utils.py").write_text("")
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text("")
    found = lessons.lesson(message, str(tmp_path))
    assert found == said(lessons.MODULE_NOT_BESIDE, file="utils.py", folder=str(tmp_path))
    assert found.text.startswith(f"utils.py is in the folder the program ran in ({tmp_path})")
    helpers = lessons.lesson("ModuleNotFoundError: No module named 'helpers'", str(tmp_path))
    assert helpers == said(lessons.MODULE_NOT_BESIDE, file="helpers/", folder=str(tmp_path))
    assert lessons.lesson(message).template == lessons.MODULE_MISSING  # no folder: as before
    dotted = "ModuleNotFoundError: No module named 'utils.io'; 'utils' is not a package"
    assert lessons.lesson(dotted, str(tmp_path)).template == lessons.MODULE_MISSING


def test_zero_grad_sets_leaf_grads_to_none_and_the_next_backward_starts_afresh():
    record = run_program(RETAINED).record
    lines = zero_grad_lines(record)
    assert lines == ["x.grad = None"]
    zeroed = RETAINED + "\n".join(lines) + "\n"
    assert leaf(run_program(zeroed).record, "x").grad is None
    assert run_plain(zeroed)["x"].grad is None
    again = zeroed + again_call(record) + "\n"
    assert leaf(run_program(again).record, "x").grad == plain_value(run_plain(again)["x"].grad)
    assert plain_value(run_plain(again)["x"].grad) == [10.0, 10.0]


def test_a_given_gradient_for_a_non_scalar_output_matches_torch():
    record = run_program(MATRIX).record
    call = backward_call(record, "[[1, 2, 3], [4, 5, 6]]")
    assert call == "y.backward(torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=y.dtype))"
    got = leaf(run_program(MATRIX + call + "\n").record, "x").grad
    expected = plain_value(run_plain(MATRIX + call + "\n")["x"].grad)
    assert got == expected == [[4.0, 8.0, 12.0], [16.0, 20.0, 24.0]]
    again = again_call(run_program(MATRIX + call + "\n").record)  # the same gradient again
    assert again is not None and "[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]" in again


def test_no_gradient_for_a_non_scalar_output_is_the_scalar_rule():
    call = backward_call(run_program(MATRIX).record, "")
    assert call == "y.backward()"
    with pytest.raises(ProgramError) as caught:
        run_program(MATRIX + call + "\n")
    assert caught.value.message == "RuntimeError: " + plain_error(MATRIX + call + "\n")
    assert lessons.explain(caught.value.message) == lessons.SCALAR_RULE


def test_a_gradient_of_the_wrong_shape_is_torchs_mismatch_explained():
    source = MATRIX + "y.backward(torch.ones(3))\n"
    with pytest.raises(ProgramError) as caught:
        run_program(source)
    assert plain_error(source) in caught.value.message
    assert lessons.explain(caught.value.message) == lessons.SHAPE_RULE


def test_retain_grad_by_span_keeps_the_intermediates_grad_as_torch_does():
    """retain_grad() on y (found by the span that made it): its .grad is torch's."""
    made = run_program(FREED).record
    y = next(n for n in made.nodes if n.name == "y")
    assert y.kind == "op" and not y.retains_grad
    ev = run_program(FREED, retain_grad=[y.span])
    y = next(n for n in ev.record.nodes if n.name == "y")
    plain = run_plain(LESSON + "y.retain_grad()\no.backward()\n")
    assert y.retains_grad
    assert y.grad == plain_value(plain["y"].grad) == [0.5, 0.5]
    assert ev.variables["y"].retains_grad
    others = [n for n in ev.record.nodes if n.kind == "op" and n is not y]
    assert not any(n.retains_grad for n in others)


def test_retain_grad_on_the_output_tensor():
    made = run_program(FREED).record
    o = made.node(made.output)
    record = run_program(FREED, retain_grad=[o.span]).record
    assert record.node(record.output).retains_grad
    assert record.node(record.output).grad == 1.0


def test_pytorch_warns_when_a_non_leafs_grad_is_read():
    """What the inspector says in place of None is what torch warns about."""
    y = torch.ones(2, requires_grad=True) * 2
    y.sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert y.grad is None
    assert any("not a leaf Tensor is being accessed" in str(w.message) for w in caught)
    assert "retain_grad()" in lessons.NON_LEAF_GRAD


def test_constants_of_the_lesson_are_drawn_dimmed_beside_the_graph():
    ev = run_program(FREED, show_constants=True)
    constants = {n.name: n for n in ev.record.nodes if n.role == "constant"}
    assert {name: n.value for name, n in constants.items()} == {"5": 5, "1": 1, "2": 2, "1/2": 0.5}
    assert all(not n.requires_grad for n in constants.values())
    ops = {e.target for e in ev.record.edges if e.kind == "constant"}
    assert {ev.record.node(i).op for i in ops} == {"AddBackward0", "PowBackward0", "MulBackward0"}
    plain = run_program(FREED).record  # without the toggle: exactly the torchviz graph
    assert [n.id for n in plain.nodes] == [n.id for n in ev.record.nodes if n.role != "constant"]
    kept = [e for e in ev.record.edges if e.kind not in ("constant", "detached")]
    assert kept == list(plain.edges)
    assert leaf(ev.record, "x").grad == [10.0, 10.0]


STOPS = (
    "x = torch.ones(2, requires_grad=True)\n"
    "y = x * x\n"
    "u = y.detach()\n"
    "with torch.no_grad():\n"
    "    c = x * 3\n"
    "k = torch.tensor(3.)\n"
    "z = u * x + c * k\n"
    "z.sum().backward()\n"
)


def test_detach_and_no_grad_show_where_the_graph_stops():
    ev = run_program(STOPS, show_constants=True)
    plain = run_plain(STOPS)
    constants = {n.name: n for n in ev.record.nodes if n.role == "constant"}
    assert set(constants) == {"u", "c", "k", "c * k"}  # the whole expression, dimmed
    for name in ("u", "c", "k"):
        assert constants[name].value == plain_value(plain[name])
        assert not plain[name].requires_grad
    assert constants["c * k"].value == plain_value(plain["c"] * plain["k"])
    parts = {ev.record.node(e.source).name for e in ev.record.edges
             if e.target == constants["c * k"].id}  # fmt: skip
    assert parts == {"c", "k"}
    assert constants["u"].cut == "y.detach()"
    assert constants["c"].cut == "no_grad"
    assert constants["k"].cut is None
    x = leaf(ev.record, "x")
    cuts = [(e.source, e.target) for e in ev.record.edges if e.kind == "detached"]
    assert cuts == [(x.id, constants["c"].id)]  # y itself is not in z's graph
    assert x.grad == plain_value(plain["x"].grad)


def test_detach_from_a_tensor_in_the_graph_draws_the_cut_edge():
    source = "x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = (y * y.detach()).sum()\n"
    record = run_program(source, show_constants=True).record
    y = next(n for n in record.nodes if n.name == "y")
    cut = next(e for e in record.edges if e.kind == "detached")
    assert cut.source == y.id and record.node(cut.target).cut == "y.detach()"


HIGHER = {
    "autograd.grad": "x = torch.tensor(2., requires_grad=True)\ny = x ** 3\n"
    "g, = torch.autograd.grad(y, x, create_graph=True)\ng.backward()\n",
    "backward(create_graph=True)": "x = torch.tensor(2., requires_grad=True)\ny = x ** 3\n"
    "y.backward(create_graph=True)\ng = x.grad\nx.grad = None\ng.backward()\n",
}


@pytest.mark.parametrize("key", sorted(HIGHER))
def test_the_graph_of_the_gradient_is_shown_and_stepped(key):
    """With create_graph=True the gradient 3x² has a graph of its own; backward through it
    gives the second derivative 6x = 12 at x = 2, as torch does."""
    ev = run_program(HIGHER[key])
    plain = run_plain(HIGHER[key])
    record = ev.record
    out = record.node(record.output)
    assert out.name == "g" and out.value == plain_value(plain["g"]) == 12.0  # 3x²
    assert leaf(record, "x").grad == plain_value(plain["x"].grad) == 6 * 2.0
    ops = [n.op for n in record.nodes if n.kind == "op"]
    assert "PowBackward0" in ops and "AccumulateGrad" in ops  # d(3x²)/dx runs through x**2
    last = [s for s in record.backward if s.run == record.backward[-1].run]
    assert [record.node(s.node).op for s in last][-1] == "AccumulateGrad"
    assert last[-1].leaf_grad == 12.0
    ours, theirs = torchviz_graph_of(ev)
    assert ours == theirs


def test_autograd_grad_alone_gives_the_first_derivative():
    source = "x = torch.tensor([1., 2.], requires_grad=True)\ny = (x ** 3).sum()\n"
    source += "g, = torch.autograd.grad(y, x)\n"
    ev = run_program(source)
    assert plain_value(ev.variables["g"]) == plain_value(run_plain(source)["g"]) == [3.0, 12.0]
    assert leaf(ev.record, "x").grad is None  # grad() returns gradients; .grad is untouched
    assert ev.record.backward and ev.record.node(ev.record.output).name == "y"


def torchviz_graph_of(ev):
    from tests.test_torchviz import our_graph, torchviz_graph

    return our_graph(ev), torchviz_graph(ev.output)
