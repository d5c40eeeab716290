"""A name given at module level replaces one a function gave its local (d2l's `d = f(a)`)."""

from core.engine.evaluate import run_program
from tests.oracle import close, run_plain

D2L = """import torch
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
a.grad == d / a
"""


def test_d2l_output_is_d_and_its_chain_says_d_over_a() -> None:
    record = run_program(D2L).record
    plain = run_plain(D2L)
    tensors = [n for n in record.nodes if n.kind == "tensor"]
    by_name = {n.name: n for n in tensors}
    assert set(by_name) == {"a", "d"}
    assert close(by_name["d"].value, plain["d"].detach().tolist())
    assert close(by_name["a"].grad, plain["a"].grad.tolist())
    ops = [n for n in record.nodes if n.kind == "op" and n.op == "MulBackward0"]
    assert ops[0].name == "d" and {n.name for n in ops[1:]} == {"b"}  # local names stay
    chains = [line for s in record.backward for line in s.chain]
    assert chains[0].startswith("∂d/∂b = ∂d/∂d × ")
    assert not any("∂b/∂b" in line for line in chains)
    assert chains[-1].startswith("a.grad = ∂d/∂a = ")


def test_a_local_name_stays_when_module_level_never_names_it() -> None:
    record = run_program(
        "import torch\ndef f(x):\n    h = x * 3\n    return h.sum()\n"
        "x = torch.ones(2, requires_grad=True)\nf(x).backward()\n"
    ).record
    assert "h" in {n.name for n in record.nodes if n.kind == "op"}


def test_module_level_first_name_still_wins_at_module_level() -> None:
    record = run_program(
        "import torch\nx = torch.ones(2, requires_grad=True)\n"
        "y = x * 2\nz = y\nz.sum().backward()\n"
    ).record
    names = {n.name for n in record.nodes if n.kind == "op"}
    assert "y" in names and "z" not in names
