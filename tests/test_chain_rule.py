"""The chain-rule panel's numbers: each op's formula, evaluated on its own (core.engine.rules),
gives the gradients autograd recorded for that step.

For every op in the table a small real program runs through the real pipeline
(run_program: interpreter, recorder hooks, capture); the outgoing gradients the formula
computed (the numbers the panel shows) must equal the grad_inputs autograd produced.
"""

import pytest

from core.engine.chain_rule import LINE_CHARS
from core.engine.evaluate import run_program
from core.engine.rules import RULES
from core.record.graph import BackwardStep, GraphRecord
from core.record.labels import value_text
from tests.oracle import close

A = "a = torch.tensor([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]], requires_grad=True)\n"
B = "b = torch.tensor([[1.1, 0.4, -0.6], [0.2, -0.9, 1.3]], requires_grad=True)\n"
P = "p = torch.tensor([[0.2, 0.7, 0.4], [0.9, 0.35, 0.6]], requires_grad=True)\n"
V = "v = torch.tensor([0.3, -0.8, 1.7], requires_grad=True)\n"
W = "w = torch.tensor([1.2, 0.5, -0.4], requires_grad=True)\n"
M = "m = torch.tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], requires_grad=True)\n"
GRAD = "\nl = (y * torch.linspace(0.5, 1.5, y.numel()).reshape(y.shape)).sum()\nl.backward()\n"

# op (grad_fn class) -> program; every program's backward runs through that op.
PROGRAMS = {
    "AddBackward0": A + B + "y = a + 2 * b",
    "SubBackward0": A + V + "y = a - v",
    "RsubBackward1": A + "y = 3 - a",
    "MulBackward0": A + B + "y = a * b",
    "DivBackward0": A + P + "y = a / p",
    "PowBackward0": P + "y = p ** 3",
    "PowBackward1": P + B + "y = p ** b",
    "PowBackward2": A + "y = 2 ** a",
    "NegBackward0": A + "y = -a",
    "ExpBackward0": A + "y = torch.exp(a)",
    "LogBackward0": P + "y = torch.log(p)",
    "SqrtBackward0": P + "y = torch.sqrt(p)",
    "AbsBackward0": A + "y = torch.abs(a)",
    "SinBackward0": A + "y = torch.sin(a)",
    "CosBackward0": A + "y = torch.cos(a)",
    "TanhBackward0": A + "y = torch.tanh(a)",
    "SigmoidBackward0": A + "y = torch.sigmoid(a)",
    "ReluBackward0": A + "y = F.relu(a)",
    "SoftmaxBackward0": A + "y = torch.softmax(a, dim=1)",
    "LogSoftmaxBackward0": A + "y = F.log_softmax(a, dim=1)",
    "SumBackward0": A + "y = a.sum() * a",
    "SumBackward1": A + "y = a.sum(dim=0)",
    "MeanBackward0": A + "y = a.mean() * a",
    "MeanBackward1": A + "y = a.mean(dim=1, keepdim=True)",
    "MaxBackward1": A + "y = a.max() * a",
    "MaxBackward0": A + "y = torch.max(a, dim=1).values",
    "AmaxBackward0": A + "y = a.amax(dim=0)",
    "MinBackward1": A + "y = a.min() * a",
    "MmBackward0": A + M + "y = a @ m",
    "MvBackward0": A + V + "y = torch.mv(a, v)",
    "DotBackward0": V + W + "y = torch.dot(v, w)",
    "BmmBackward0": A + M + "y = torch.bmm(a.unsqueeze(0), m.unsqueeze(0))",
    "ViewBackward0": A + "y = a.view(3, 2)",
    "TBackward0": A + "y = a.t()",
    "TransposeBackward0": A + "y = a.transpose(0, 1)",
    "PermuteBackward0": A + "y = a.T",
    "UnsqueezeBackward0": A + "y = a.unsqueeze(1)",
    "SqueezeBackward1": A + "y = a.unsqueeze(0).squeeze(0)",
    "SqueezeBackward0": A + "y = a.unsqueeze(0).squeeze()",
    "ExpandBackward0": V + "y = v.expand(2, 3)",
    "SelectBackward0": A + "y = a[1]",
    "SliceBackward0": A + "y = a[:, 1:]",
    "IndexBackward0": A + "y = a[:, torch.tensor([0, 2, 2])]",
    "IndexSelectBackward0": A + "y = a.index_select(1, torch.tensor([2, 0, 2]))",
    "GatherBackward0": A + "y = a.gather(1, torch.tensor([[0, 0], [2, 1]]))",
    "CatBackward0": A + V + "y = torch.cat([a, v.unsqueeze(0)])",
    "StackBackward0": A + B + "y = torch.stack([a, b], dim=1)",
    "SplitBackward0": A + "y = a.split(1, dim=1)[2] * 2",
    "UnbindBackward0": A + "y = a.unbind(0)[1] * 3",
    "MseLossBackward0": A + B + "y = F.mse_loss(a, b)",
    "NllLossBackward0": A + "y = F.cross_entropy(a, torch.tensor([2, 0]))",
    "BinaryCrossEntropyWithLogitsBackward0": A + P + "y = F.binary_cross_entropy_with_logits(a, p)",
    "BinaryCrossEntropyBackward0": P + "y = F.binary_cross_entropy(p, torch.tensor([[1.0, 0.0, "
    "1.0], [0.0, 1.0, 1.0]]))",
    "AddmmBackward0": A + M + "c = torch.tensor([0.5, -0.5], requires_grad=True)\n"
    "y = F.linear(a, m.t(), c)",
    "ClampBackward1": A + "y = a.clamp(-1.0, 1.0)",
    "ClampBackward0": A + "y = a.clamp(min=torch.tensor(0.4))",
    "LeakyReluBackward0": A + "y = F.leaky_relu(a, 0.1)",
    "HardtanhBackward0": A + "y = F.hardtanh(a)",
    "MaximumBackward0": A + B + "y = torch.maximum(a, b)",
    "MinimumBackward0": A + B + "y = torch.minimum(a, b)",
    "ReciprocalBackward0": P + "y = torch.reciprocal(p)",
    "RsqrtBackward0": P + "y = torch.rsqrt(p)",
    "TanBackward0": A + "y = torch.tan(a)",
    "Log1PBackward0": P + "y = torch.log1p(p)",
    "Expm1Backward0": A + "y = torch.expm1(a)",
    "Log2Backward0": P + "y = torch.log2(p)",
    "SinhBackward0": A + "y = torch.sinh(a)",
    "AtanBackward0": A + "y = torch.atan(a)",
    "ErfBackward0": A + "y = torch.erf(a)",
    "GeluBackward0": A + "y = F.gelu(a)",
    "SiluBackward0": A + "y = F.silu(a)",
    "SoftplusBackward0": A + "y = F.softplus(a)",
    "LogSigmoidBackward0": A + "y = F.logsigmoid(a)",
    "CloneBackward0": A + "y = a.clone()",
    "ToCopyBackward0": A + "y = a.double()",
    "WhereBackward0": A + B + "y = torch.where(a > 0, a, b)",
    "ProdBackward0": V + "y = v.prod() * v",
    "CumsumBackward0": A + "y = a.cumsum(dim=1)",
    "LogsumexpBackward0": A + "y = a.logsumexp(dim=1)",
    "VarBackward0": A + "y = a.var(dim=1)",
    "StdBackward0": A + "y = a.std()",
    "LinalgVectorNormBackward0": A + "y = a.norm()",
    "RepeatBackward0": V + "y = v.repeat(2, 2)",
    "FlipBackward0": A + "y = a.flip(0)",
    "RollBackward0": A + "y = a.roll(1, 1)",
    "TrilBackward0": A + "y = a.tril()",
    "TraceBackward0": M + "y = (m @ m.t()).trace()",
    "SmoothL1LossBackward0": A + B + "y = F.smooth_l1_loss(a, b)",
    "HuberLossBackward0": A + B + "y = F.huber_loss(a, b, delta=0.5)",
    "Atan2Backward0": A + B + "y = torch.atan2(a, b)",
    "HypotBackward0": A + B + "y = torch.hypot(a, b)",
    "LogaddexpBackward0": A + B + "y = torch.logaddexp(a, b)",
    "MaskedFillBackward0": A + "y = a.masked_fill(a > 1, 0.0)",
    "AccumulateGrad": A + "y = a * 1",
}


def outgoing_of(step: BackwardStep, i: int):
    """What autograd produced for input i: grad_inputs, or the new .grad for AccumulateGrad."""
    return step.leaf_grad if not step.grad_inputs else step.grad_inputs[i]


def check_every_listed_step(record: GraphRecord) -> set[str]:
    """Every step that has a formula: its numbers equal autograd's; returns the ops seen."""
    seen = set()
    for step in record.backward:
        op = record.node(step.node).op
        if step.formula is None:
            continue
        seen.add(op)
        assert step.terms, f"{op}: a formula but no numbers"
        assert len(step.chain) == len(step.terms)
        for term, line in zip(step.terms, step.chain, strict=True):
            expected = outgoing_of(step, term.input)
            assert expected is not None, f"{op}: a line for an input autograd sent nothing to"
            assert close(term.outgoing, expected, 1e-5), (op, term.outgoing, expected)
            assert line.endswith(value_text(term.outgoing, LINE_CHARS)) or (
                value_text(term.outgoing, LINE_CHARS) + " " in line
            ), (op, line)
        sent = [i for i, g in enumerate(step.grad_inputs) if g is not None]
        assert [t.input for t in step.terms] == sent or not step.grad_inputs, op
    return seen


def test_the_table_has_at_least_35_ops():
    assert len(PROGRAMS) >= 35
    assert set(PROGRAMS) <= set(RULES) | {"AccumulateGrad"}


@pytest.mark.parametrize("op", sorted(PROGRAMS))
def test_formula_numbers_equal_autograd(op):
    """The op's step has a formula, and incoming × local = what autograd sent on."""
    record = run_program("import torch.nn.functional as F\n" + PROGRAMS[op] + GRAD).record
    seen = check_every_listed_step(record)
    assert op in seen, f"{op} did not run with a formula; ran: {seen}"
    unlisted = [record.node(s.node).op for s in record.backward if s.formula is None]
    assert not unlisted, f"steps without a formula: {unlisted}"


def test_lesson_lines_read_as_the_lesson_does():
    """o = ½ Σ y, y = 5(x + 1)²: the lesson's numbers, step by step."""
    record = run_program(
        "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\n"
        "o = (1 / 2) * torch.sum(y)\no.backward()\n"
    ).record
    chain = {record.node(s.node).op: s for s in record.backward}
    # issue 19 item 6: the program's own names where an input has one (y), and symbols
    # that are none of the program's names otherwise (u = x + 1, never "x = x + 1")
    assert chain["MulBackward0"].formula == "∂(u·v)/∂u = v, ∂(u·v)/∂v = u"
    assert chain["PowBackward0"].formula == "d uⁿ/du = n·uⁿ⁻¹, n = 2"
    assert chain["PowBackward0"].chain == (
        "∂o/∂u = ∂o/∂((x + 1) ** 2) × 2·u = [2.5, 2.5] × [4., 4.] = [10., 10.]   [u = x + 1]",
    )
    assert chain["SumBackward0"].formula == "∂(Σᵢ yᵢ)/∂yᵢ = 1"
    assert chain["SumBackward0"].chain == (
        "∂o/∂y = ∂o/∂(torch.sum(y)) copied to every yᵢ = [0.5, 0.5]",
    )
    assert chain["AccumulateGrad"].chain == ("x.grad = ∂o/∂x = [10., 10.]   (.grad was None)",)
    assert chain["PowBackward0"].terms[0].local == [4.0, 4.0]


def test_unlisted_op_shows_gradients_in_and_out():
    """An op outside the table: no formula, but the lines still give what came in and went
    out, and say the formula isn't listed."""
    record = run_program(
        "a = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)\n"
        "y = torch.median(a) * 3\ny.backward()\n"
    ).record
    step = next(s for s in record.backward if record.node(s.node).op == "MedianBackward0")
    assert step.formula is None and step.terms == ()
    assert "isn't listed" in step.chain[0]
    assert value_text(step.grad_outputs[0], LINE_CHARS) in step.chain[0]
    assert (
        step.chain[1] == f"∂y/∂input0 = {value_text(step.grad_inputs[0], LINE_CHARS)} goes on "
        "(as autograd computed it)"
    )
    check_every_listed_step(record)


def test_accumulation_over_two_backward_calls():
    """The second backward's AccumulateGrad line adds to the .grad the first one left."""
    record = run_program(
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\n"
        "y.backward(retain_graph=True)\ny.backward()\n"
    ).record
    acc = [s for s in record.backward if record.node(s.node).op == "AccumulateGrad"]
    assert acc[1].chain == ("x.grad = 12. + 12. = 24.",)
    check_every_listed_step(record)


def test_chain_rule_survives_json():
    record = run_program(PROGRAMS["MmBackward0"] + GRAD).record
    assert GraphRecord.from_json(record.to_json()) == record


def test_chain_rule_symbols_never_clash_with_the_programs_names():
    """Issue 19 item 6, over the whole lesson (which has its own a, b, x, y and o): a
    symbol in a chain-rule line is the input's own name, or a name the program never uses."""
    from pathlib import Path

    from core.engine.chain_rule import program_names

    source = (Path(__file__).parent.parent / "resources" / "examples" / "lesson.py").read_text()
    record = run_program(source).record
    names = program_names(source)
    assert {"a", "b", "x", "y", "o"} <= names
    for step in record.backward:
        for term in step.terms:
            assert term.symbol == term.label or term.symbol not in names, (term, step.chain)
        for line in step.chain:
            assert line.count("copied to every") <= 1, line
            assert "[x = x" not in line and "[a = " not in line
