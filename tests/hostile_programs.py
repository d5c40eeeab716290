"""Hypothesis strategies for random programs that look like the lesson's: tensors of small
shapes, arithmetic, allow-listed methods and functions, backward calls, prints, loops.

They are valid Python inside the language's grammar, but nothing makes them correct:
shapes clash, dtypes mix, values go non-finite, backward runs twice or on non-scalars.
Every one must end as a record or as a ProgramError, never by hurting the worker.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["a", "b", "c", "w", "loss"]
SHAPES = ["2", "3", "2, 3", "3, 2", "()", "1", "2, 2", "0", "2, 1, 2"]
NUMBERS = [
    "0",
    "1",
    "-1",
    "2.5",
    "1e308",
    "-1e-320",
    "float('nan')",
    "float('inf')",
    "-float('inf')",
    "True",
    "10**3",
    "0.0",
]
DTYPES = [
    "torch.float32",
    "torch.float64",
    "torch.float16",
    "torch.bfloat16",
    "torch.int64",
    "torch.bool",
    "torch.uint8",
]
UNARY_METHODS = [
    "sum()",
    "mean()",
    "exp()",
    "log()",
    "sqrt()",
    "relu()",
    "sigmoid()",
    "tanh()",
    "abs()",
    "t()",
    "detach()",
    "clone()",
    "neg()",
    "flatten()",
    "float()",
    "double()",
    "half()",
    "long()",
    "sum(0)",
    "reshape(-1)",
    "view(-1)",
    "unsqueeze(0)",
    "squeeze()",
    "pow(2)",
    "clamp(min=0)",
    "softmax(0)",
    "max()",
    "argmax()",
    "transpose(0, 1)",
    "norm()",
    "var()",
    "std()",
    "cumsum(0)",
    "prod()",
    "reciprocal()",
    "item()",
    "tolist()",
    "numel()",
    "size()",
    "dim()",
    "requires_grad",
    "grad",
    "is_leaf",
    "shape",
    "dtype",
    "T",
    "grad_fn",
    "data",
    "expand(2, 2)",
    "repeat(2)",
    "trace()",
    "diag()",
    "tril()",
    "flip(0)",
    "to(torch.float64)",
    "nan_to_num()",
    "isnan()",
    "retain_grad()",
    "requires_grad_()",
    "zero_()",
    "mul_(2)",
    "add_(1)",
]
UNARY_FUNCTIONS = [
    "torch.exp",
    "torch.log",
    "torch.sin",
    "torch.sigmoid",
    "torch.relu",
    "torch.sum",
    "torch.mean",
    "F.relu",
    "F.gelu",
    "F.softplus",
    "torch.tanh",
    "F.normalize",
    "F.dropout",
    "torch.cumsum",
    "torch.isfinite",
    "torch.sqrt",
    "torch.abs",
    "torch.zeros_like",
    "torch.ones_like",
    "torch.randn_like",
]
BINARY_FUNCTIONS = [
    "torch.matmul",
    "torch.mm",
    "torch.dot",
    "torch.add",
    "torch.mul",
    "torch.maximum",
    "torch.atan2",
    "F.mse_loss",
    "F.l1_loss",
    "torch.outer",
    "torch.dist",
    "F.binary_cross_entropy",
    "torch.allclose",
    "F.cosine_similarity",
    "torch.kron",
    "torch.cross",
]
OPERATORS = ["+", "-", "*", "/", "**", "@", "//", "%", ">", "==", "<"]


def _creation(fn: str, shape: str, grad: bool, dtype: str | None) -> str:
    extra = (f", dtype={dtype}" if dtype else "") + (", requires_grad=True" if grad else "")
    return f"torch.{fn}({shape}{extra})"


creations = st.builds(
    _creation,
    st.sampled_from(["ones", "zeros", "randn", "rand", "full"]).map(
        lambda f: f if f != "full" else "ones"
    ),
    st.sampled_from(SHAPES),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(DTYPES)),
)
literal_tensors = st.lists(st.sampled_from(NUMBERS), min_size=0, max_size=4).map(
    lambda xs: f"torch.tensor([{', '.join(xs)}], requires_grad=True)"
)
atoms = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NUMBERS),
    creations,
    literal_tensors,
    st.just("torch.arange(6.0).reshape(2, 3)"),
    st.just("torch.eye(2, requires_grad=True)"),
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda a, m: f"{a}.{m}", inner, st.sampled_from(UNARY_METHODS)),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(UNARY_FUNCTIONS), inner),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(BINARY_FUNCTIONS), inner, inner
        ),
        st.builds(lambda a, b: f"torch.cat([{a}, {b}])", inner, inner),
        st.builds(lambda a, b: f"torch.stack([{a}, {b}])", inner, inner),
        st.builds(lambda a, i: f"{a}[{i}]", inner, st.sampled_from(["0", "-1", "1:", "::2"])),
        st.builds(lambda a: f"-{a}", inner),
    )


expressions = st.recursive(atoms, _extend, max_leaves=6)


def _statement(kind: str, name: str, expr: str) -> str:
    return {
        "assign": f"{name} = {expr}",
        "augment": f"{name} += {expr}",
        "backward": f"{name}.backward()",
        "sum_backward": f"{name}.sum().backward()",
        "retain": f"{name}.backward(retain_graph=True)",
        "print": f"print({expr})",
        "show": expr,
        "no_grad": f"with torch.no_grad():\n    {name} = {expr}",
        "loop": f"for i in range(3):\n    {name} = {expr}",
        "grad_none": f"{name}.grad = None",
        "set_item": f"{name}[0] = {expr}",
        "requires": f"{name}.requires_grad = True",
    }[kind]


statements = st.builds(
    _statement,
    st.sampled_from(
        ["assign"] * 4
        + [
            "augment",
            "backward",
            "sum_backward",
            "retain",
            "print",
            "show",
            "no_grad",
            "loop",
            "grad_none",
            "set_item",
            "requires",
        ]
    ),
    st.sampled_from(NAMES),
    expressions,
)

PROLOGUE = (
    "a = torch.ones(2, requires_grad=True)\nb = torch.randn(2, requires_grad=True)\n"
    "c = a * b\nw = torch.randn(2, 2, requires_grad=True)\nloss = (c * 2).sum()\n"
)
programs = st.lists(statements, min_size=1, max_size=8).map(
    lambda body: PROLOGUE + "\n".join(body) + "\n"
)


# Programs that mostly work: same-shaped float tensors, elementwise math, one backward.
SAFE_UNARY = ["exp()", "sigmoid()", "tanh()", "relu()", "abs()", "neg()", "pow(2)", "sin()",
              "clamp(min=-1, max=1)", "softmax(0)", "log_softmax(0)", "clone()", "sqrt()",
              "log()", "reciprocal()", "cumsum(0)", "flip(0)"]  # fmt: skip
SAFE_BINARY = ["+", "-", "*", "/", "**"]
safe_atoms = st.sampled_from(["a", "b", "c", "2.0", "0.5", "torch.ones(2)", "float('nan')"])


def _safe_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda x, op, y: f"({x} {op} {y})", inner, st.sampled_from(SAFE_BINARY), inner),
        st.builds(lambda x, m: f"torch.as_tensor({x}).{m}", inner, st.sampled_from(SAFE_UNARY)),
        st.builds(lambda x, y: f"F.mse_loss(torch.as_tensor({x}), torch.ones(2))", inner, inner),
    )


safe_expressions = st.recursive(safe_atoms, _safe_extend, max_leaves=8)
sane_programs = st.builds(
    lambda body, out, retain: (
        "a = torch.tensor([0.5, -1.0], requires_grad=True)\n"
        + "b = torch.randn(2, requires_grad=True)\nc = a * b\n"
        + "".join(f"c = {e}\n" for e in body)
        + f"loss = (a * b).sum() + torch.as_tensor({out}).sum()\n"
        + ("c.retain_grad()\n" if retain else "")
        + "loss.backward()\nprint(a.grad, b.grad)\n"
    ),
    st.lists(safe_expressions, min_size=0, max_size=4),
    safe_expressions,
    st.booleans(),
)


# Programs aimed at the limits (issue 17): big and empty shapes through operators and
# einsum, library functions handed to builtins with key=, nested containers printed and
# formatted, lists grown in loops. Each must be refused at a line or give a small record.
BIG_SHAPES = ["10**4, 1", "1, 10**4", "10**7, 0", "0, 10**7", "3000, 3000", "2, 0, 5", "1"]
EINSUM_FORMS = ["'...i,...j->...ij'", "'ij,jk->ik'", "'i,j->ij'", "'...,...->...'",
                "'bij,bjk->bik'", "'ii->i'", "'i,i->'"]  # fmt: skip
KEY_FUNCTIONS = ["torch.ones", "torch.zeros", "torch.numel", "len", "abs", "str", "repr",
                 "torch.sum"]  # fmt: skip
big = st.builds(lambda s, g: f"torch.ones({s}{', requires_grad=True' if g else ''})",
                st.sampled_from(BIG_SHAPES), st.booleans())  # fmt: skip
big_atoms = st.one_of(big, st.sampled_from(NAMES), st.sampled_from(["[1, 2]", "'ab'", "3"]))


def _big_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(
            lambda f, a, b: f"torch.einsum({f}, {a}, {b})",
            st.sampled_from(EINSUM_FORMS),
            inner,
            inner,
        ),  # fmt: skip
        st.builds(
            lambda f, a: f"torch.einsum({f}, {a})", st.sampled_from(["'ii->i'", "'i->'"]), inner
        ),  # fmt: skip
        st.builds(lambda a, k: f"max([{a}, {a}], key={k})", inner, st.sampled_from(KEY_FUNCTIONS)),
        st.builds(lambda k, a: f"list(map({k}, [{a}]))", st.sampled_from(KEY_FUNCTIONS), inner),
        st.builds(lambda a: f"[{a}, [{a}, ({a},)]]", inner),
        st.builds(lambda a: f"{{'k': {a}}}", inner),
        st.builds(lambda a: f"{a}.sum(1)", inner),
        st.builds(lambda a, b: f"F.linear({a}, {b})", inner, inner),
    )


def _big_statement(kind: str, name: str, expr: str) -> str:
    return {
        "assign": f"{name} = {expr}",
        "print": f"print({expr})",
        "fstring": f"{name} = f'{{{expr}}} {{{name}!r:>12}}'",
        "percent": f"{name} = '%s|%r' % ({expr}, {expr})",
        "double": f"{name} = [{expr}]\nfor i in range(30):\n    {name} = [{name}, {name}]",
        "grow": f"{name} = []\nfor i in range(20):\n    {name} += [{expr}] * 100000",
        "extend": f"{name} = [{expr}]\nfor i in range(25):\n    {name}.extend({name})",
        "str": f"{name} = str({expr})",
        "backward": f"{name}.sum().backward()",
    }[kind]


bounded_programs = st.lists(
    st.builds(
        _big_statement,
        st.sampled_from(
            ["assign"] * 3
            + ["print", "fstring", "percent", "double", "grow", "extend", "str", "backward"]
        ),
        st.sampled_from(NAMES),
        st.recursive(big_atoms, _big_extend, max_leaves=4),
    ),  # fmt: skip
    min_size=1,
    max_size=5,
).map(lambda body: PROLOGUE + "\n".join(body) + "\n")
