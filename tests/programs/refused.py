"""Programs that Autograd Lens must refuse before running anything.

`REFUSED` is a list of tuples, each either

    (id, program, phrase)                  or
    (id, program, phrase, expected_line)

- ``id``: a short, unique, pytest-friendly name.
- ``program``: the program text, as a user would type it.
- ``phrase``: a lowercase word or phrase that the refusal message must contain, compared
  case-insensitively (``phrase in message.lower()``). Where possible it is the construct as
  the user sees it in their own text ("import", "lambda", "__class__", "torch.load"), or
  "too large" for allocations over the size limits.
- ``expected_line``: present only when the refused construct is not on line 1; the
  1-based line the message must name. Without it, the program is one line long or the
  refused construct is on line 1.

Every program here parses as Python 3.11 (``ast.parse`` succeeds), so each refusal must
come from the language's own checks or size limits, not from a syntax error. A refused
program exits with status 2 and names the line and column on stderr, without a traceback.
Constructs are refused before anything runs. Sizes are refused before anything is
allocated; a size known only at run time (``c = a @ b``) is refused when its statement is
reached, so earlier statements (and their prints) may already have run.

A decorated ``def`` is refused as a ``def``, at the ``def`` line (``ast`` puts a
FunctionDef on that line, not on the decorator's).
"""

from __future__ import annotations

REFUSED: list[tuple[str, str, str] | tuple[str, str, str, int]] = [
    # --- escapes through dunder and underscore names ------------------------------------
    ("subclasses_chain", "().__class__.__bases__[0].__subclasses__()", "__subclasses__"),
    ("tuple_class", "k = ().__class__", "__class__"),
    ("tensor_dict", "x = torch.ones(2)\nd = x.__dict__", "__dict__", 2),
    ("torch_builtins", "b = torch.__builtins__", "__builtins__"),
    (
        "grad_fn_class",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\nk = y.grad_fn.__class__",
        "__class__",
        3,
    ),
    ("function_globals", "g = F.relu.__globals__", "__globals__"),
    ("print_self", "m = print.__self__", "__self__"),
    ("dunder_import", "os = __import__('os')", "__import__"),
    ("underscore_name", "_x = 1", "_x"),
    ("underscore_attribute", "x = torch.ones(2)\nb = x._base", "_base", 2),
    ("torch_c", "c = torch._C", "_c"),
    ("format_escape", "x = torch.ones(2)\ns = '{0.__class__}'.format(x)", "format", 2),
    ("functional_torch", "F.torch.load('model.pt')", "f.torch"),
    # --- computed attribute access and code execution -----------------------------------
    ("getattr_load", "load = getattr(torch, 'load')", "getattr"),
    ("setattr_torch", "setattr(torch, 'pi', 3)", "setattr"),
    ("eval", "eval('1 + 1')", "eval"),
    ("exec", "exec('import os')", "exec"),
    ("open", "f = open('/etc/passwd')", "open"),
    ("compile", "c = compile('1', 'x', 'eval')", "compile"),
    ("globals", "g = globals()", "globals"),
    ("vars", "v = vars()", "vars"),
    ("input", "n = input()", "input"),
    ("breakpoint", "breakpoint()", "breakpoint"),
    # --- imports in every spelling --------------------------------------------------------
    ("import_os", "import os", "import"),
    ("from_os_import", "from os import system", "import"),
    ("import_subprocess_as", "import subprocess as sp", "import"),
    ("import_torch_hub", "import torch.hub", "torch.hub"),
    ("from_torch_import_load", "from torch import load", "import"),
    ("import_numpy", "import numpy as np", "import"),
    ("import_after_code", "import torch\nx = torch.ones(2)\ny = x + 1\nimport os", "import", 4),
    # --- constructs outside the subset ----------------------------------------------------
    ("lambda", "f = lambda v: v * 2", "lambda"),
    ("def", "def f(v):\n    return v * 2", "def"),
    ("decorator", "@torch.no_grad()\ndef f(v):\n    return v * 2", "def", 2),
    ("class", "class Net:\n    pass", "class"),
    ("while_true", "while True:\n    x = 1", "while"),
    ("list_comprehension", "xs = [i * 2 for i in range(3)]", "comprehension"),
    ("generator_expression", "s = sum(i for i in range(3))", "generator"),
    ("dict_comprehension", "d = {i: i for i in range(3)}", "comprehension"),
    ("fstring_attribute", "x = torch.ones(2)\nprint(f'{x.__class__}')", "f-string", 2),
    ("fstring_plain", "x = torch.ones(2)\nprint(f'{x}')", "f-string", 2),
    ("try", "try:\n    x = 1\nexcept Exception:\n    x = 2", "try"),
    ("for_over_list", "for t in [1, 2, 3]:\n    x = t", "range"),
    ("global", "global x", "global"),
    ("nonlocal", "nonlocal x", "nonlocal"),
    ("del", "x = torch.ones(2)\ndel x", "del", 2),
    ("assert", "assert 1 == 1", "assert"),
    ("yield", "yield 1", "yield"),
    ("await", "await x", "await"),
    ("with_open", "with open('out.txt', 'w') as f:\n    x = 1", "with"),
    ("print_file", "x = torch.ones(2)\nprint(x, file=None)", "file", 2),
    # --- torch's file, network, JIT and process-wide APIs ---------------------------------
    ("torch_load", "m = torch.load('model.pt')", "torch.load"),
    ("torch_save", "x = torch.ones(2)\ntorch.save(x, 'x.pt')", "torch.save", 2),
    ("torch_hub_load", "m = torch.hub.load('pytorch/vision', 'resnet18')", "torch.hub"),
    ("torch_jit_script", "f = torch.jit.script(torch.sin)", "torch.jit"),
    ("torch_ops", "y = torch.ops.aten.add(torch.ones(2), torch.ones(2))", "torch.ops"),
    ("torch_utils_data", "d = torch.utils.data.TensorDataset(torch.ones(2))", "torch.utils"),
    ("torch_compile", "f = torch.compile(torch.sin)", "torch.compile"),
    ("torch_from_file", "x = torch.from_file('/etc/passwd', size=10)", "torch.from_file"),
    ("torch_classes", "c = torch.classes", "torch.classes"),
    ("torch_library", "lib = torch.library.Library('aten', 'IMPL')", "torch.library"),
    ("torch_nn_module", "m = torch.nn.Module()", "torch.nn.module"),
    ("set_default_device", "torch.set_default_device('cuda')", "torch.set_default_device"),
    ("set_num_threads", "torch.set_num_threads(64)", "torch.set_num_threads"),
    (
        "register_hook",
        "x = torch.ones(2, requires_grad=True)\nh = x.register_hook(print)",
        "register_hook",
        2,
    ),
    (
        "grad_fn_register_hook",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\nh = y.grad_fn.register_hook(print)",
        "register_hook",
        3,
    ),
    ("untyped_storage", "x = torch.ones(2)\ns = x.untyped_storage()", "untyped_storage", 2),
    ("data_ptr", "x = torch.ones(2)\np = x.data_ptr()", "data_ptr", 2),
    ("numpy", "x = torch.ones(2)\na = x.numpy()", "numpy", 2),
    # --- attribute assignment other than .requires_grad and .grad -------------------------
    (
        "assign_data",
        "x = torch.ones(2, requires_grad=True)\ny = torch.zeros(2)\nx.data = y",
        ".data",
        3,
    ),
    ("assign_torch_pi", "torch.pi = 3", "torch.pi"),
    ("assign_grad_fn", "x = torch.ones(2)\nx.grad_fn = None", "grad_fn", 2),
    # --- huge allocations and runaway sizes -----------------------------------------------
    ("ones_1e12", "x = torch.ones(10**6, 10**6)", "too large"),
    ("zeros_1e10", "x = torch.zeros(100000, 100000)", "too large"),
    ("randn_1e10", "x = torch.randn(10**5, 10**5)", "too large"),
    ("full_1e10", "x = torch.full((10**5, 10**5), 1.0)", "too large"),
    ("arange_1e12", "x = torch.arange(10**12)", "too large"),
    ("eye_1e6", "x = torch.eye(10**6)", "too large"),
    ("linspace_1e10", "x = torch.linspace(0, 1, 10**10)", "too large"),
    ("empty_1e12", "x = torch.empty(10**12)", "torch.empty"),
    ("repeat_1e9", "x = torch.ones(1000).repeat(10**6)", "too large"),
    (
        "outer_product_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\nc = a @ b",
        "too large",
        3,
    ),
    (
        "broadcast_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(100000)\nc = a + b",
        "too large",
        3,
    ),
    ("int_power_tower", "n = 10**10**10", "too large"),
    ("string_repeat", 's = "a" * 10**10', "too large"),
    ("list_repeat", "xs = [0] * 10**10", "too large"),
    ("range_loop_1e9", "x = torch.ones(2)\nfor i in range(10**9):\n    x = x + 1", "too large", 2),
    ("sum_range_1e9", "s = sum(range(10**9))", "too large"),
    (
        "huge_after_prints",
        "x = torch.ones(2)\nprint(x)\ny = x * 2\nprint(y)\nz = torch.ones(10**6, 10**6)",
        "too large",
        5,
    ),
]
