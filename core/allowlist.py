"""What a program may name: the explicit allow-lists of the expression language.

Everything here is a plain name; `core.interpreter` resolves them against torch. Anything
not listed is refused before the program runs (`core.language`).
"""

from __future__ import annotations

CREATION = {
    "tensor", "as_tensor", "ones", "zeros", "ones_like", "zeros_like", "full", "full_like",
    "arange", "linspace", "logspace", "eye", "rand", "randn", "randint", "rand_like",
    "randn_like", "manual_seed",
}  # fmt: skip

ELEMENTWISE = {
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "pow",
    "neg", "negative", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt",
    "rsqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
    "tanh", "sigmoid", "relu", "clamp", "clip", "minimum", "maximum", "where", "sign",
    "floor", "ceil", "round", "trunc", "frac", "reciprocal", "square", "erf", "lerp",
    "softmax", "log_softmax", "fmod", "remainder", "eq", "ne", "lt", "le", "gt", "ge",
    "isnan", "isinf", "isfinite", "nan_to_num", "hypot", "logaddexp",
}  # fmt: skip

REDUCTIONS = {
    "sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var",
    "norm", "logsumexp", "cumsum", "cumprod", "all", "any", "median", "dist",
}  # fmt: skip

LINEAR_ALGEBRA = {
    "matmul", "mm", "bmm", "mv", "dot", "outer", "einsum", "t", "transpose", "reshape",
    "cat", "concat", "stack", "squeeze", "unsqueeze", "flatten", "chunk", "split", "trace",
    "diag", "tril", "triu", "permute", "broadcast_to", "numel", "is_tensor", "allclose",
    "equal", "isclose", "flip", "roll", "gather", "index_select", "masked_select",
    "addmm", "baddbmm", "cross", "kron", "inner", "det", "inverse",
}  # fmt: skip

VALUES = {
    "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
    "uint8", "long", "float", "double", "half", "bool", "int", "pi", "e", "inf", "nan",
}  # fmt: skip

CONTEXTS = {"no_grad", "enable_grad"}

# torch.autograd: only grad() (gradients as values; with create_graph=True, their graph too).
AUTOGRAD = {"grad"}

TORCH = CREATION | ELEMENTWISE | REDUCTIONS | LINEAR_ALGEBRA | VALUES | CONTEXTS

FUNCTIONAL = {
    "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "gelu", "silu", "elu",
    "leaky_relu", "softplus", "softsign", "hardtanh", "logsigmoid", "mse_loss", "l1_loss",
    "smooth_l1_loss", "huber_loss", "cross_entropy", "nll_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "kl_div", "linear", "normalize", "one_hot",
    "cosine_similarity", "pad", "dropout",
}  # fmt: skip

# Tensor attributes a program may read.
TENSOR_ATTRIBUTES = {
    "grad", "requires_grad", "is_leaf", "grad_fn", "data", "shape", "dtype", "T", "mT",
    "ndim", "device",
}  # fmt: skip

# Tensor methods a program may call. In-place math is allowed: PyTorch's own errors
# (e.g. in-place on a leaf that requires grad) are part of what the app teaches.
TENSOR_METHODS = (
    (ELEMENTWISE | REDUCTIONS | LINEAR_ALGEBRA) - {"is_tensor", "numel", "einsum", "where"}
) | {
    "backward", "retain_grad", "requires_grad_", "zero_", "detach", "detach_", "clone",
    "item", "tolist", "double", "float", "half", "long", "int", "bool", "to", "view",
    "view_as", "reshape_as", "expand", "expand_as", "repeat", "contiguous", "size", "dim",
    "numel", "add_", "sub_", "mul_", "div_", "pow_", "clamp_", "fill_", "copy_",
    "masked_fill", "type_as", "is_contiguous", "relu_", "sigmoid_", "exp_", "neg_",
    "abs_", "squeeze_", "unsqueeze_", "t_", "retains_grad", "element_size", "sum_to_size",
    "unbind", "narrow", "softmax", "log_softmax", "nelement",
}  # fmt: skip

# Autograd node (grad_fn) members a program may use, to look around the graph.
NODE_MEMBERS = {"name", "next_functions"}

# Fields of the named tuples that torch.max(x, dim) and friends return.
RESULT_FIELDS = {"values", "indices"}

ATTRIBUTES = TENSOR_ATTRIBUTES | TENSOR_METHODS | NODE_MEMBERS | RESULT_FIELDS

# Attributes a program may assign to (on tensors only).
ASSIGNABLE = {"requires_grad", "grad"}

BUILTINS = {
    "print", "range", "len", "abs", "min", "max", "sum", "float", "int", "round", "list",
    "tuple", "bool", "str", "enumerate", "zip", "True", "False", "None",
}  # fmt: skip

# Names that are refused by name, with the reason a user is told.
FORBIDDEN_NAMES = {
    "eval": "runs arbitrary code",
    "exec": "runs arbitrary code",
    "compile": "builds code objects",
    "open": "opens files",
    "input": "waits for keyboard input",
    "getattr": "reaches attributes by computed names",
    "setattr": "changes attributes by computed names",
    "delattr": "deletes attributes",
    "hasattr": "reaches attributes by computed names",
    "globals": "exposes the interpreter's internals",
    "locals": "exposes the interpreter's internals",
    "vars": "exposes the interpreter's internals",
    "dir": "exposes the interpreter's internals",
    "type": "exposes the interpreter's internals",
    "object": "exposes the interpreter's internals",
    "breakpoint": "starts a debugger",
    "help": "starts an interactive help",
    "exit": "ends the interpreter",
    "quit": "ends the interpreter",
    "memoryview": "reaches raw memory",
    "super": "reaches class internals",
    "classmethod": "defines classes",
    "staticmethod": "defines classes",
    "property": "defines classes",
    "os": "reaches the operating system",
    "sys": "reaches the interpreter",
    "subprocess": "starts processes",
    "format": "formats through templates that can reach attributes",
    "isinstance": "exposes the interpreter's internals",
    "issubclass": "exposes the interpreter's internals",
    "id": "exposes memory addresses",
    "map": "calls functions indirectly",
    "filter": "calls functions indirectly",
    "iter": "reaches iterator internals",
    "next": "reaches iterator internals",
    "bytes": "reaches raw memory",
    "bytearray": "reaches raw memory",
    "builtins": "reaches the interpreter",
    "importlib": "imports modules",
    "ctypes": "reaches raw memory",
    "socket": "opens network connections",
    "pickle": "runs code while loading",
    "shutil": "changes files",
    "pathlib": "reaches files",
}

# The imports a lesson starts with; they bind names the program already has.
ACCEPTED_IMPORTS = {
    ("torch", None): "torch",
    ("torch.nn.functional", "F"): "F",
    ("torch", "torch"): "torch",
    ("math", None): "math",
}
ACCEPTED_FROM_IMPORTS = {("torch.nn", "functional", "F"): "F"}

MATH = {
    "sqrt", "exp", "log", "pi", "e", "sin", "cos", "tan", "tanh", "inf", "nan", "log2",
    "log10", "fabs", "floor", "ceil", "pow",
}  # fmt: skip
