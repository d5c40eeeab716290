"""What a program may name: the explicit allow-lists of the expression language.

Everything here is a plain name; `core.engine.interpreter` resolves them against torch. Anything
not listed is refused before the program runs (`core.record.language`).
"""

from __future__ import annotations

import re

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

# torch's own C operators are tensor math and all reachable, except these (storage,
# pointers, files, threads, process-wide settings, other devices, quantization internals).
TORCH_DENY = re.compile(
    r"(as_strided.*|cudnn_.*|miopen_.*|mkldnn_.*|fbgemm_.*|quantize.*|quantized_.*|q_.*|"
    r"sparse_.*|empty_quantized|fork|wait|from_file|from_numpy|frombuffer|get_.*|set_.*|"
    r"import_.*|parse_.*|merge_.*|unify_.*|init_num_threads|sym_.*|is_anomaly.*|"
    r"is_autocast.*|is_vulkan_available|choose_qparams.*|fused_.*|hash_tensor|resize_as_.*|"
    r"native_.*|batch_norm_.*|segment_reduce|is_distributed|empty_permuted|empty_strided|"
    r"int_repr|dequantize|promote_types|autocast_.*|clear_autocast_cache)$"
)

# torch's Python functions, classes and values a program may use, beyond the C operators.
TORCH_PYTHON = {
    "atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_shapes",
    "broadcast_tensors", "cartesian_prod", "cdist", "chain_matmul", "einsum", "initial_seed",
    "is_tensor", "manual_seed", "meshgrid", "norm", "seed", "split", "tensordot", "unique",
    "unique_consecutive", "unravel_index", "typename", "get_default_dtype", "is_grad_enabled",
    "Tensor", "Generator", "device", "Size", "finfo", "iinfo", "inference_mode", "FloatTensor",
    "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor", "HalfTensor",
    "cfloat", "complex64", "strided",
}  # fmt: skip
TORCH |= TORCH_PYTHON

FUNCTIONAL_DENY = re.compile(r"(handle_torch_function|has_torch_function.*|boolean_dispatch)$")

NN_DENY = {"DataParallel"}
NN_UTILS = {"clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
            "vector_to_parameters"}  # fmt: skip
OPTIMIZERS = {
    "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
    "LBFGS", "ASGD", "Rprop", "Optimizer",
}  # fmt: skip
LR_SCHEDULERS = {
    "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR",
    "ReduceLROnPlateau", "OneCycleLR", "LinearLR", "ConstantLR", "CyclicLR", "PolynomialLR",
    "LRScheduler",
}  # fmt: skip
AUTOGRAD_FUNCTIONAL = {"jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"}
AUTOGRAD |= {"Function", "Variable", "gradcheck", "gradgradcheck"}
DATA = {  # torch.utils.data: datasets and loaders of tensors the program made (no workers)
    "TensorDataset", "DataLoader", "Dataset", "IterableDataset", "Subset", "ConcatDataset",
    "StackDataset", "random_split", "RandomSampler", "SequentialSampler", "BatchSampler",
    "SubsetRandomSampler", "WeightedRandomSampler", "default_collate",
}  # fmt: skip
FORWARD_AD = {"dual_level", "make_dual", "unpack_dual"}
FUNC = {"functional_call", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
        "vmap"}  # fmt: skip
RANDOM = {
    "random", "randint", "randrange", "uniform", "gauss", "normalvariate", "choice",
    "choices", "shuffle", "sample", "seed", "expovariate", "betavariate",
}  # fmt: skip

# Tensor members a program may not reach (storage, pointers, other devices, sharing
# memory, elementwise calls of Python functions, hooks the recorder owns).
TENSOR_DENY = re.compile(
    r"(as_strided.*|data_ptr|const_data_ptr|untyped_storage|storage.*|share_memory_|"
    r"is_shared|pin_memory|cuda|ipu|xpu|mtia|mps|hpu|numpy|apply_|map_|map2_|"
    r"register_post_accumulate_grad_hook|resize_|resize_as_|module_load|record_stream|"
    r"set_|to_dlpack|int_repr|dequantize|q_.*|new_empty_strided|is_set_to)$"
)

# Layer (nn.Module) members a program may not reach.
LAYER_DENY = {
    "share_memory", "register_forward_hook", "register_forward_pre_hook",
    "register_full_backward_hook", "register_full_backward_pre_hook",
    "register_backward_hook", "register_state_dict_pre_hook", "register_state_dict_post_hook",
    "register_load_state_dict_pre_hook", "register_load_state_dict_post_hook", "to_empty",
    "cuda", "ipu", "xpu", "mtia", "compile", "call_super_init", "dump_patches",
}  # fmt: skip

# Methods of lists, dicts, strings and numbers a program may not call ('format' is given a
# safe stand-in by the interpreter; format_map takes any mapping's attributes).
CONTAINER_DENY = {"format", "format_map", "mro"}

# Autograd node (grad_fn) members a program may use, to look around the graph.
NODE_MEMBERS = {"name", "next_functions"}

# Fields of the named tuples that torch.max(x, dim) and friends return.
RESULT_FIELDS = {"values", "indices"}

BUILTINS = {
    "print", "range", "len", "abs", "getattr", "setattr", "delattr", "hasattr", "min", "max",
    "sum", "float", "int", "round", "list",
    "tuple", "bool", "str", "enumerate", "zip", "dict", "set", "frozenset", "sorted",
    "reversed", "any", "all", "isinstance", "issubclass", "super", "object", "iter", "next",
    "map", "filter", "callable", "repr", "hash", "divmod", "chr", "ord", "bin", "hex",
    "oct", "slice", "staticmethod", "classmethod", "property", "NotImplemented", "Ellipsis",
    "Exception", "ValueError", "TypeError", "RuntimeError", "AssertionError", "KeyError",
    "IndexError", "ZeroDivisionError", "ArithmeticError", "NotImplementedError",
    "StopIteration", "AttributeError", "LookupError", "OverflowError", "pow",
}  # fmt: skip

# Names that are refused by name, with the reason a user is told, unless the program binds
# the name itself (`input = torch.randn(3)`: a variable of its own; the safe mode's
# builtins don't have them, so a read that finds no such variable fails all the same).
FORBIDDEN_NAMES = {
    "eval": "runs arbitrary code",
    "exec": "runs arbitrary code",
    "compile": "builds code objects",
    "open": "opens files",
    "input": "waits for keyboard input",
    "globals": "exposes the interpreter's internals",
    "locals": "exposes the interpreter's internals",
    "vars": "exposes the interpreter's internals",
    "dir": "exposes the interpreter's internals",
    "breakpoint": "starts a debugger",
    "help": "starts an interactive help",
    "exit": "ends the interpreter",
    "quit": "ends the interpreter",
    "memoryview": "reaches raw memory",
    "os": "reaches the operating system",
    "sys": "reaches the interpreter",
    "subprocess": "starts processes",
    "format": "formats through templates that can reach attributes",
    "id": "exposes memory addresses",
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

# Dunder attributes a program may read: names, which are strings (checked as read).
NAME_DUNDERS = {"__name__", "__module__", "__qualname__"}

# Methods the program's classes may define under a dunder name (Python calls them for
# operators, printing, len(), iteration, with); every other dunder is refused.
DUNDER_METHODS = {
    "__init__", "__call__", "__repr__", "__str__", "__len__", "__getitem__", "__setitem__",
    "__iter__", "__next__", "__contains__", "__bool__", "__eq__", "__ne__", "__lt__",
    "__le__", "__gt__", "__ge__", "__hash__", "__add__", "__radd__", "__iadd__", "__sub__",
    "__rsub__", "__isub__", "__mul__", "__rmul__", "__imul__", "__truediv__",
    "__rtruediv__", "__itruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
    "__pow__", "__rpow__", "__ipow__", "__matmul__", "__rmatmul__", "__neg__", "__pos__",
    "__abs__", "__enter__", "__exit__", "__float__", "__int__", "__index__",
}  # fmt: skip

MATH = {
    "sqrt", "exp", "log", "pi", "e", "sin", "cos", "tan", "tanh", "inf", "nan", "log2",
    "log10", "fabs", "floor", "ceil", "pow",
}  # fmt: skip
