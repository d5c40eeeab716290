"""Check by hand: the finite-difference estimates agree with PyTorch's gradients, and the
largest difference shown is the real largest difference."""

import math

import pytest
import torch

import core.engine.check_by_hand as check_by_hand
from core.engine.check_by_hand import CAP
from core.engine.evaluate import run_program
from core.record.graph import GraphRecord
from tests.oracle import close, run_plain

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"

PROGRAMS = {
    "lesson": (EXAMPLES / "lesson.py").read_text(),
    "mlp_loss": (EXAMPLES / "mlp_loss.py").read_text(),
    "neuron": (EXAMPLES / "neuron.py").read_text(),
    "external_gradient": (EXAMPLES / "external_gradient.py").read_text(),
    "softmax_cross_entropy": (EXAMPLES / "softmax_cross_entropy.py").read_text(),
    "random_25": "W = torch.randn(5, 5, requires_grad=True)\nv = torch.randn(5)\n"
    "loss = torch.tanh(W @ v).pow(2).sum()\nloss.backward()\n",
    "requires_grad_later": "x = torch.tensor([0.5, 1.5, -2.0])\nx.requires_grad_()\n"
    "y = (torch.exp(x) * x).mean()\ny.backward()\n",
    "used_twice": "a = torch.tensor([1.0, 2.0], requires_grad=True)\nb = a * a + torch.sin(a)\n"
    "c = b.sum() * a.sum()\nc.backward()\n",
}


def torch_grads(source: str) -> dict[str, torch.Tensor]:
    """The .grad of every leaf, from the program run as plain PyTorch."""
    variables = run_plain(source)
    return {k: v.grad for k, v in variables.items() if isinstance(v, torch.Tensor) and v.is_leaf
            and v.grad is not None}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_estimates_agree_with_torch(name, monkeypatch):
    # every element checked, however loaded the machine (the budget has its own test)
    monkeypatch.setattr(check_by_hand, "BUDGET", 600.0)
    source = PROGRAMS[name]
    check = run_program(source, check=True).record.check
    grads = torch_grads(source)
    assert check is not None and check.leaves, check.note if check else None
    assert {leaf.name for leaf in check.leaves} == set(grads)
    worst = 0.0
    for leaf in check.leaves:
        expected = grads[leaf.name].reshape(-1)[: len(leaf.estimate)].tolist()
        assert len(leaf.estimate) == min(leaf.numel, CAP) == len(leaf.autograd)
        assert close(list(leaf.autograd), expected, 1e-6)
        for est, want in zip(leaf.estimate, expected, strict=True):
            assert math.isclose(est, want, rel_tol=1e-4, abs_tol=1e-5), (leaf.name, est, want)
        real = max(abs(e - a) for e, a in zip(leaf.estimate, leaf.autograd, strict=True))
        assert leaf.max_difference == real
        worst = max(worst, real)
    assert check.max_difference == worst
    assert check.note == ""


def test_the_time_budget_leaves_elements_out_and_says_how_many(monkeypatch):
    """No time at all: no element is estimated, and the note counts every one left out."""
    monkeypatch.setattr(check_by_hand, "BUDGET", 0.0)
    check = run_program(PROGRAMS["mlp_loss"], check=True).record.check
    assert check is not None and check.leaves
    assert all(leaf.estimate == () for leaf in check.leaves)
    left = sum(min(leaf.numel, CAP) for leaf in check.leaves)
    assert check.note == f"{left} elements left out: the re-runs would take too long."


def test_only_the_first_elements_of_a_big_leaf():
    source = (
        "w = torch.linspace(-1, 1, 100, requires_grad=True)\nl = (w ** 3).sum()\nl.backward()\n"
    )
    check = run_program(source, check=True).record.check
    (leaf,) = check.leaves
    assert leaf.numel == 100 and len(leaf.estimate) == CAP
    assert check.reruns == 1 + 2 * CAP
    expected = (3 * torch.linspace(-1, 1, 100) ** 2)[:CAP].tolist()
    assert all(
        math.isclose(e, x, abs_tol=1e-5) for e, x in zip(leaf.estimate, expected, strict=True)
    )


def test_first_backward_is_checked():
    """Two backward() calls: the check is of the first, against what it added to .grad."""
    source = (EXAMPLES / "gradient_accumulation.py").read_text()
    check = run_program(source, check=True).record.check
    (leaf,) = check.leaves
    assert leaf.autograd == (12.0,) and math.isclose(leaf.estimate[0], 12.0, rel_tol=1e-8)


def test_no_backward_says_why():
    check = run_program("x = torch.ones(2, requires_grad=True)\ny = x * 2\n", check=True)
    assert check.record.check.leaves == () and "No backward()" in check.record.check.note


def test_the_check_is_only_made_on_request_and_survives_json():
    source = PROGRAMS["neuron"]
    assert run_program(source).record.check is None
    record = run_program(source, check=True).record
    assert GraphRecord.from_json(record.to_json()) == record
