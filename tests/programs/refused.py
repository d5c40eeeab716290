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
come from the safe mode's checks, its size limits or PyTorch, not from a syntax error. A
refused program exits with status 2 and names the line and column on stderr, without a
traceback. What the safe mode refuses by name (dunders, ``eval`` and friends, imports,
module members it leaves out) is refused before anything runs; what depends on the kind of
a value (a tensor's ``.numpy``, a node's ``.register_hook``) when the operation is reached,
before it happens. Sizes are refused before anything is allocated.

``ALLOWED`` lists programs this file once refused that the safe mode now runs (teaching
code uses them: functions, classes, comprehensions, f-strings, tensor hooks, ...); each
must run and agree with plain Python.
"""

from __future__ import annotations

REFUSED: list[tuple[str, str, str] | tuple[str, str, str, int]] = [
    # --- escapes through dunder and underscore names ----------------------------------------------
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
    ("dunder_import", "m = __import__('os')", "__import__"),
    ("underscore_attribute", "x = torch.ones(2)\nb = x._base", "_base", 2),
    ("torch_c", "c = torch._C", "_c"),
    ("format_escape", "x = torch.ones(2)\ns = '{0.__class__}'.format(x)", "format", 2),
    ("functional_torch", "F.torch.load('model.pt')", "f.torch"),
    # --- computed attribute access and code execution ---------------------------------------------
    ("getattr_load", "load = getattr(torch, 'load')", "torch.load"),
    ("setattr_torch", "setattr(torch, 'pi', 3)", "torch.pi"),
    ("eval", "eval('1 + 1')", "eval"),
    ("exec", "exec('import os')", "exec"),
    ("open", "f = open('/etc/passwd')", "open"),
    ("compile", "c = compile('1', 'x', 'eval')", "compile"),
    ("globals", "g = globals()", "globals"),
    ("vars", "v = vars()", "vars"),
    ("input", "n = input()", "input"),
    ("breakpoint", "breakpoint()", "breakpoint"),
    # --- imports in every spelling ----------------------------------------------------------------
    ("import_os", "import os", "import"),
    ("from_os_import", "from os import system", "import"),
    ("import_subprocess_as", "import subprocess as sp", "import"),
    ("import_torch_hub", "import torch.hub", "torch.hub"),
    ("from_torch_import_load", "from torch import load", "import"),
    ("import_numpy", "import numpy as np", "import"),
    ("import_after_code", "import torch\nx = torch.ones(2)\ny = x + 1\nimport os", "import", 4),
    # --- constructs outside the subset ------------------------------------------------------------
    ("while_true", "while True:\n    x = 1", "statements", 2),
    ("fstring_attribute", "x = torch.ones(2)\nprint(f'{x.__class__}')", "__class__", 2),
    ("nonlocal", "nonlocal x", "nonlocal"),
    ("yield", "yield 1", "yield"),
    ("await", "await x", "await"),
    ("with_open", "with open('out.txt', 'w') as f:\n    x = 1", "open"),
    ("print_file", "x = torch.ones(2)\nprint(x, file=None)", "file", 2),
    # --- torch's file, network, JIT and process-wide APIs -----------------------------------------
    ("torch_load", "m = torch.load('model.pt')", "torch.load"),
    ("torch_save", "x = torch.ones(2)\ntorch.save(x, 'x.pt')", "torch.save", 2),
    ("torch_hub_load", "m = torch.hub.load('pytorch/vision', 'resnet18')", "torch.hub"),
    ("torch_jit_script", "f = torch.jit.script(torch.sin)", "torch.jit"),
    ("torch_ops", "y = torch.ops.aten.add(torch.ones(2), torch.ones(2))", "torch.ops"),
    ("torch_compile", "f = torch.compile(torch.sin)", "torch.compile"),
    ("torch_from_file", "x = torch.from_file('/etc/passwd', size=10)", "torch.from_file"),
    ("torch_classes", "c = torch.classes", "torch.classes"),
    ("torch_library", "lib = torch.library.Library('aten', 'IMPL')", "torch.library"),
    ("set_default_device", "torch.set_default_device('cuda')", "only the cpu"),
    ("set_num_threads", "torch.set_num_threads(64)", "torch.set_num_threads"),
    (
        "grad_fn_register_hook",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\nh = y.grad_fn.register_hook(print)",
        "register_hook",
        3,
    ),
    ("untyped_storage", "x = torch.ones(2)\ns = x.untyped_storage()", "untyped_storage", 2),
    ("data_ptr", "x = torch.ones(2)\np = x.data_ptr()", "data_ptr", 2),
    ("numpy", "x = torch.ones(2)\na = x.numpy()", "numpy", 2),
    # --- attribute assignment other than .requires_grad and .grad ---------------------------------
    ("assign_torch_pi", "torch.pi = 3", "torch.pi"),
    ("assign_grad_fn", "x = torch.ones(2)\nx.grad_fn = None", "grad_fn", 2),
    # --- huge allocations and runaway sizes -------------------------------------------------------
    ("ones_1e12", "x = torch.ones(10**6, 10**6)", "too large"),
    ("zeros_1e10", "x = torch.zeros(100000, 100000)", "too large"),
    ("randn_1e10", "x = torch.randn(10**5, 10**5)", "too large"),
    ("full_1e10", "x = torch.full((10**5, 10**5), 1.0)", "too large"),
    ("arange_1e12", "x = torch.arange(10**12)", "too large"),
    ("eye_1e6", "x = torch.eye(10**6)", "too large"),
    ("linspace_1e10", "x = torch.linspace(0, 1, 10**10)", "too large"),
    ("empty_1e12", "x = torch.empty(10**12)", "too large"),
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

# Escape attempts through values, reflection, format strings, decorators, imports, torch's
# file / network / JIT / C-extension / operator-registration APIs, process-wide settings,
# hooks, storage and pointers; then deep nesting and program size. All refused statically.
_GRAPH = "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"

REFUSED += [
    # --- through values: attribute chains reached from tensors, nodes and results -----------------
    ("tensor_T_class", "x = torch.ones(2, 2)\nk = x.T.__class__", "__class__", 2),
    ("device_class", "x = torch.ones(2)\nk = x.device.__class__", "__class__", 2),
    ("shape_class", "x = torch.ones(2)\nk = x.shape.__class__", "__class__", 2),
    ("dtype_mro", "m = torch.float32.__class__.__mro__", "__mro__"),
    (
        "accumulate_grad_variable",
        _GRAPH + "v = y.grad_fn.next_functions[0][0].variable",
        "variable",
        3,
    ),
    ("next_functions_class", _GRAPH + "k = y.grad_fn.next_functions.__class__", "__class__", 3),
    ("grad_fn_metadata", _GRAPH + "m = y.grad_fn.metadata", "metadata", 3),
    ("grad_fn_saved_self", _GRAPH + "s = y.grad_fn._saved_self", "_saved_self", 3),
    ("grad_fn_saved_tensors", _GRAPH + "s = y.grad_fn.saved_tensors", "saved_tensors", 3),
    ("return_types_module", "r = torch.return_types.max", "torch.return_types"),
    (
        "return_types_class",
        "x = torch.ones(2, 3)\nr = torch.max(x, 1)\nk = r.__class__",
        "__class__",
        3,
    ),
    (
        "return_types_values_class",
        "r = torch.max(torch.ones(2, 3), 1)\nk = r.values.__class__",
        "__class__",
        2,
    ),
    ("return_types_count", "r = torch.max(torch.ones(2, 3), 1)\nn = r.count(0)", "count", 2),
    (
        "tensor_base_subclasses",
        "x = torch.ones(2)\ns = x.__class__.__base__.__subclasses__()",
        "__",
        2,
    ),
    ("method_globals", "x = torch.ones(2)\ng = x.add.__globals__", "__globals__", 2),
    ("function_code", "c = F.relu.__code__", "__code__"),
    ("print_closure", "c = print.__closure__", "__closure__"),
    ("tensor_reduce_ex", "x = torch.ones(2)\nr = x.__reduce_ex__(2)", "__reduce_ex__", 2),
    ("math_dict", "d = math.__dict__", "__dict__"),
    ("math_loader", "m = math.__loader__", "__loader__"),
    ("torch_file", "f = torch.__file__", "__file__"),
    ("torch_spec", "s = torch.__spec__", "__spec__"),
    (
        "grad_class_via_data",
        "x = torch.ones(2, requires_grad=True)\nk = x.data.__class__",
        "__class__",
        2,
    ),
    # --- computed attribute access and reflection -------------------------------------------------
    ("getattr_class", "x = torch.ones(2)\nk = getattr(x, '__class__')", "(dunders)", 2),
    ("builtins_getattr", "g = builtins.getattr", "builtins"),
    ("vars_tensor", "x = torch.ones(2)\nv = vars(x)", "vars", 2),
    ("dir_torch", "d = dir(torch)", "dir"),
    ("super_call", "s = super()", "super"),
    ("id_address", "a = id(torch.ones(2))", "id"),
    ("memoryview_call", "m = memoryview(torch.ones(2))", "memoryview"),
    ("exec_dunder_import", 'exec(\'__import__("os").system("id")\')', "exec"),
    ("locals_call", "l = locals()", "locals"),
    # --- format strings ---------------------------------------------------------------------------
    ("str_format_mro", "s = '{0.__class__.__mro__}'.format(torch.ones(2))", "format"),
    ("str_format_map", "s = '{x}'.format_map(None)", "format_map"),
    ("format_builtin", "s = format(torch.ones(2), '')", "format"),
    ("str_format_variable", "t = '{0.__class__}'\ns = t.format(1)", "format", 2),
    # --- decorators and definitions ---------------------------------------------------------------
    ("decorator_jit_script", "@torch.jit.script\ndef f(v):\n    return v", "torch.jit"),
    ("async_def", "async def f():\n    pass", "async"),
    ("no_grad_as_decorator_chain", "f = torch.no_grad().__call__", "__call__"),
    # --- imports in every spelling ----------------------------------------------------------------
    ("import_os_path", "import os.path", "import"),
    ("from_os_import_star", "from os import *", "import"),
    ("relative_import", "from . import core", "import"),
    ("from_torch_import_C", "from torch import _C", "import"),
    ("import_torch_C", "import torch._C", "import"),
    ("from_cpp_extension_import", "from torch.utils.cpp_extension import load_inline", "import"),
    ("import_importlib", "import importlib", "import"),
    ("importlib_name", "m = importlib.import_module('os')", "importlib"),
    ("import_builtins", "import builtins", "import"),
    ("import_in_loop", "for i in range(1):\n    import os", "import", 2),
    ("import_in_with", "with torch.no_grad():\n    import socket", "import", 2),
    ("import_ctypes_as", "import ctypes as c", "import"),
    ("from_math_import_star", "from math import *", "import"),
    # --- torch's file, network, JIT, C-extension and operator-registration APIs -------------------
    ("ops_load_library", "torch.ops.load_library('/tmp/x.so')", "torch.ops"),
    ("library_define", "torch.library.define('mylib::f', '(Tensor x) -> Tensor')", "torch.library"),
    ("classes_load_library", "torch.classes.load_library('x.so')", "torch.classes"),
    (
        "cpp_extension_load_inline",
        "m = torch.utils.cpp_extension.load_inline('m', '')",
        "torch.utils",
    ),
    ("jit_load", "m = torch.jit.load('m.pt')", "torch.jit"),
    ("jit_trace", "f = torch.jit.trace(torch.sin, torch.ones(2))", "torch.jit"),
    ("hub_download", "torch.hub.download_url_to_file('http://example.com/x', 'x')", "torch.hub"),
    ("serialization_load", "m = torch.serialization.load('x.pt')", "torch.serialization"),
    (
        "untyped_storage_from_file",
        "s = torch.UntypedStorage.from_file('/etc/passwd', False, 10)",
        "torch.untypedstorage",
    ),
    ("float_storage", "s = torch.FloatStorage", "torch.floatstorage"),
    ("distributed_init", "torch.distributed.init_process_group('gloo')", "torch.distributed"),
    ("multiprocessing_spawn", "torch.multiprocessing.spawn(print)", "torch.multiprocessing"),
    ("onnx_export", "torch.onnx.export(None, None, 'm.onnx')", "torch.onnx"),
    ("export_save", "torch.export.save(None, 'x.pt2')", "torch.export"),
    ("package_importer", "p = torch.package.PackageImporter('x')", "torch.package"),
    ("fx_trace", "g = torch.fx.symbolic_trace(print)", "torch.fx"),
    ("profiler", "p = torch.profiler.profile()", "torch.profiler"),
    ("cuda_init", "torch.cuda.init()", "torch.cuda"),
    ("backends_flag", "torch.backends.mkldnn.enabled = False", "torch.backends"),
    (  # torch.autograd.grad is allowed (higher-order gradients); backward() as a function isn't
        "autograd_backward",
        "x = torch.ones(2, requires_grad=True)\ntorch.autograd.backward(x.sum())",
        "torch.autograd.backward",
        2,
    ),
    ("detect_anomaly", "torch.autograd.set_detect_anomaly(True)", "torch.autograd"),
    ("from_numpy", "t = torch.from_numpy(None)", "torch.from_numpy"),
    ("frombuffer", "x = torch.ones(2)\nt = torch.frombuffer(x)", "torch.frombuffer", 2),
    ("torch_as_strided", "y = torch.as_strided(torch.ones(2), (100,), (1,))", "torch.as_strided"),
    ("dlpack", "c = torch.utils.dlpack.to_dlpack(torch.ones(2))", "torch.utils"),
    ("F_torch_set_default_device", "F.torch.set_default_device('meta')", "f.torch"),
    # --- process-wide settings --------------------------------------------------------------------
    ("set_default_dtype", "torch.set_default_dtype(torch.float64)", "torch.set_default_dtype"),
    (
        "set_default_tensor_type",
        "torch.set_default_tensor_type('torch.DoubleTensor')",
        "torch.set_default_tensor_type",
    ),
    (
        "set_num_interop_threads",
        "torch.set_num_interop_threads(8)",
        "torch.set_num_interop_threads",
    ),
    ("set_grad_enabled", "torch.set_grad_enabled(False)", "torch.set_grad_enabled"),
    ("set_printoptions", "torch.set_printoptions(threshold=10**9)", "torch.set_printoptions"),
    (
        "deterministic",
        "torch.use_deterministic_algorithms(True)",
        "torch.use_deterministic_algorithms",
    ),
    ("flush_denormal", "torch.set_flush_denormal(True)", "torch.set_flush_denormal"),
    (
        "device_context",
        "with torch.device('meta'):\n    x = torch.ones(2)",
        "cpu",
        2,
    ),
    ("set_default_device_meta", "torch.set_default_device('meta')", "only the cpu"),
    # --- hooks registered by the program ----------------------------------------------------------
    (
        "grad_fn_register_prehook",
        _GRAPH + "h = y.grad_fn.register_prehook(print)",
        "register_prehook",
        3,
    ),
    (
        "next_function_register_hook",
        _GRAPH + "h = y.grad_fn.next_functions[0][0].register_hook(print)",
        "register_hook",
        3,
    ),
    (
        "post_accumulate_grad_hook",
        "x = torch.ones(2, requires_grad=True)\nh = x.register_post_accumulate_grad_hook(print)",
        "register_post_accumulate_grad_hook",
        2,
    ),
    (
        "module_forward_hook",
        "m = torch.nn.Linear(2, 2)\nh = m.register_forward_hook(print)",
        "register_forward_hook",
        2,
    ),
    (
        "global_module_hook",
        "torch.nn.modules.module.register_module_forward_hook(print)",
        "torch.nn.modules",
    ),
    (
        "saved_tensors_hooks",
        "with torch.autograd.graph.saved_tensors_hooks(print, print):\n    x = 1",
        "torch.autograd.graph",
    ),
    (
        "register_hook_via_data",
        "x = torch.ones(2, requires_grad=True)\nh = x.data.register_hook(print)",
        "hook",
        2,
    ),
    ("grad_fn_hook_dict", _GRAPH + "d = y.grad_fn._forward_hooks", "_forward_hooks", 3),
    # --- storage and pointer access ---------------------------------------------------------------
    ("storage", "x = torch.ones(2)\ns = x.storage()", "storage", 2),
    ("array_interface", "x = torch.ones(2)\na = x.__array__()", "__array__", 2),
    ("share_memory", "x = torch.ones(2)\nx.share_memory_()", "share_memory_", 2),
    ("pin_memory", "x = torch.ones(2)\np = x.pin_memory()", "pin_memory", 2),
    (
        "grad_data_ptr",
        "x = torch.ones(2, requires_grad=True)\np = x.grad.data_ptr()",
        "data_ptr",
        2,
    ),
    ("set_storage", "x = torch.ones(2)\nx.set_(torch.ones(3))", "set_", 2),
    ("as_strided_method", "x = torch.ones(2)\ny = x.as_strided((10**6,), (1,))", "as_strided", 2),
    ("cuda_method", "x = torch.ones(2)\ny = x.cuda()", "cuda", 2),
    ("dlpack_method", "x = torch.ones(2)\nc = x.__dlpack__()", "__dlpack__", 2),
    (
        "storage_offset_class",
        "x = torch.ones(2)\ns = x.untyped_storage().__class__",
        "__class__",
        2,
    ),
    # --- deep nesting and program size ------------------------------------------------------------
    ("deep_unary", "x = " + "-" * 100 + "1", "nested too deeply"),
    ("deep_lists", "x = " + "[" * 80 + "]" * 80, "nested too deeply"),
    (
        "deep_blocks",
        "".join("    " * i + f"for i{i} in range(1):\n" for i in range(62)) + "    " * 62 + "x = 1",
        "nested too deeply",
        61,
    ),
    ("long_source", "x = 1\n" * 20000, "too long"),
    ("many_statements", "x = 1\n" * 2500, "too many statements"),
]
# --- more sizes: refused when the statement is reached, before allocating ---------------
REFUSED += [
    (
        "matmul_fn_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\nc = torch.matmul(a, b)",
        "too large",
        3,
    ),
    (
        "mm_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\nc = torch.mm(a, b)",
        "too large",
        3,
    ),
    (
        "matmul_method_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\nc = a.matmul(b)",
        "too large",
        3,
    ),
    (
        "bmm_1e9",
        "a = torch.ones(10, 10000, 1)\nb = torch.ones(10, 1, 10000)\nc = torch.bmm(a, b)",
        "too large",
        3,
    ),
    (
        "addmm_1e10",
        "a = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\n"
        "c = torch.addmm(torch.ones(1), a, b)",
        "too large",
        3,
    ),
    (
        "tensor_nested_lists",
        "rows = [[0.0] * 1000000] * 1000000\nx = torch.tensor(rows)",
        "too large",
        2,
    ),
    ("tensor_of_tensors", "x = torch.ones(10**7)\ny = torch.tensor([x, x])", "too large", 2),
    ("list_range_1e9", "xs = list(range(10**9))", "too large"),
    ("list_of_tensor", "x = torch.ones(10**7)\nxs = list(x)", "too large", 2),
    ("expand_1e12", "x = torch.ones(1, 1).expand(10**6, 10**6)", "too large"),
    ("broadcast_to_fn", "x = torch.broadcast_to(torch.ones(1), (10**6, 10**6))", "too large"),
    ("repeat_tuple", "x = torch.ones(10).repeat((10**5, 10**5))", "too large"),
    (
        "one_hot_huge",
        "i = torch.tensor([0, 1])\nh = F.one_hot(i, num_classes=10**9)",
        "too large",
        2,
    ),
    ("arange_tiny_step", "x = torch.arange(0, 1, 1e-12)", "too large"),
    ("arange_step_keyword", "x = torch.arange(0, 1, step=1e-12)", "too large"),
    ("diag_1e12", "d = torch.diag(torch.ones(10**6))", "too large"),
    ("cat_many", "x = torch.ones(10**7)\ny = torch.cat([x] * 1000)", "too large", 2),
    ("stack_many", "x = torch.ones(10**7)\ny = torch.stack((x,) * 1000)", "too large", 2),
    ("outer_fn", "a = torch.ones(10**6)\nc = torch.outer(a, a)", "too large", 2),
    ("einsum_outer", "a = torch.ones(10**6)\nc = torch.einsum('i,j->ij', a, a)", "too large", 2),
    (
        "add_broadcast_fn",
        "a = torch.ones(100000, 1)\nb = torch.ones(100000)\nc = torch.add(a, b)",
        "too large",
        3,
    ),
    (
        "where_broadcast",
        "a = torch.ones(100000, 1)\nb = torch.ones(100000)\nc = torch.where(a > 0, a, b)",
        "too large",
        3,
    ),
    ("pad_huge", "x = F.pad(torch.ones(2), (0, 10**9))", "too large"),
    (
        "linear_huge",
        "x = torch.ones(100000, 1)\nw = torch.ones(100000, 1)\ny = F.linear(x, w)",
        "too large",
        3,
    ),
    (
        "index_tensor_huge",
        "x = torch.ones(1, 10**7)\ni = torch.zeros(1000, dtype=torch.long)\ny = x[i]",
        "too large",
        3,
    ),
    ("index_list_huge", "x = torch.ones(1, 10**7)\ny = x[[0] * 1000]", "too large", 2),
    (
        "index_select_huge",
        "x = torch.ones(1, 10**7)\ni = torch.zeros(1000, dtype=torch.long)\n"
        "y = x.index_select(0, i)",
        "too large",
        3,
    ),
    ("string_doubling", "s = 'ab'\nfor i in range(40):\n    s = s + s", "too large", 3),
    ("sum_lists", "rows = [[0] * 1000] * 10000\nflat = sum(rows, [])", "too large", 2),
    ("int_shift", "n = 1 << 10**9", "too large"),
    ("int_square_loop", "n = 10**3000\nfor i in range(10):\n    n = n * n", "too large", 3),
    ("print_flood", "s = 'a' * 1000000\nfor i in range(10):\n    print(s)", "too large", 3),
    ("split_pieces", "x = torch.ones(10**6)\np = x.split(1)", "too large", 2),
    ("unbind_pieces", "x = torch.ones(10**6)\np = x.unbind()", "too large", 2),
    ("chunk_pieces", "x = torch.ones(10**6)\np = torch.chunk(x, 10**6)", "too large", 2),
    ("enumerate_tensor_rows", "x = torch.ones(10**7)\ne = enumerate(x)", "too large", 2),
    ("unpack_tensor_rows", "x = torch.ones(10**6)\na, b = x", "unpack", 2),
    ("sum_tensor_rows", "x = torch.ones(10**6)\ns = sum(x)", "too large", 2),
]

# What the constructs teaching code needs open: functions' and methods' dunders, generator
# and exception frames, metaclasses, decorators, class attributes that would reach what
# the safe mode leaves out, super(), type(), callables handed to builtins that call them.
_CLASS = "class A(torch.nn.Module):\n"
REFUSED += [
    ("function_globals_def", "def f():\n    pass\ng = f.__globals__", "__globals__", 3),
    (
        "function_closure",
        "def f():\n    x = 1\n    def g():\n        return x\n    return g\nc = f().__closure__",
        "__closure__",
        6,
    ),
    ("method_func", "class A:\n    def m(self):\n        pass\nc = A().m.__func__", "__func__", 4),
    ("lambda_code", "f = lambda: 1\nc = f.__code__", "__code__", 2),
    ("generator_frame", "def g():\n    yield 1\nf = g().gi_frame", "gi_frame", 3),
    ("generator_code", "def g():\n    yield 1\nc = g().gi_code", "gi_code", 3),
    ("genexp_frame", "f = (i for i in range(2)).gi_frame", "gi_frame"),
    ("exception_traceback", "e = ValueError('x')\nt = e.__traceback__", "__traceback__", 2),
    ("exception_with_traceback", "e = ValueError('x')\nt = e.with_traceback", "with_traceback", 2),
    ("metaclass_keyword", "class A(metaclass=type):\n    pass", "metaclass"),
    ("metaclass_base", "class M(type):\n    pass", "based on"),
    ("tensor_subclass", "class T(torch.Tensor):\n    pass", "based on"),
    ("decorator_node", _GRAPH + "@y.grad_fn\ndef f():\n    pass", "can't be called", 3),
    ("decorator_type_call", "T = type(type(1))\nC = T('C', (), {})", "type()", 2),
    (
        "class_attribute_library_method",
        _CLASS + "    s = torch.nn.Module.share_memory",
        "share_memory",
        2,
    ),
    ("class_object_mro", "class A:\n    pass\nm = A.mro()", "mro", 3),
    ("object_mro", "m = object.mro()", "mro"),
    (
        "super_dunder",
        _CLASS + "    def f(self):\n        return super().__setattr__",
        "__setattr__",
        3,
    ),
    (
        "super_denied_member",
        _CLASS + "    def f(self):\n        return super().share_memory()\na = A().f()",
        "share_memory",
        3,
    ),
    ("instance_shadow", "class A:\n    pass\na = A()\na.n = torch.ones(2).numpy", "numpy", 4),
    ("type_of_node_called", _GRAPH + "n = type(y.grad_fn)(1)", "can't be called", 3),
    ("key_node", _GRAPH + "m = max([x], key=y.grad_fn)", "can't be passed", 3),
    ("map_node", _GRAPH + "m = list(map(y.grad_fn, [x]))", "can't be passed", 3),
    ("sorted_node", _GRAPH + "m = sorted([x], key=y.grad_fn)", "can't be passed", 3),
    ("iter_sentinel_node", _GRAPH + "m = iter(y.grad_fn, 1)", "can't be passed", 3),
    ("property_node", _GRAPH + "class A:\n    p = property(y.grad_fn)", "can't be passed", 4),
    ("dunder_name_store", "__name__ = 'x'", "__name__"),
    ("build_class_name", "b = __build_class__", "__build_class__"),
    ("lens_hook_name", "h = __lens_call__", "__lens_call__"),
    (
        "dunder_method_getattr",
        "class A:\n    def __getattr__(self, n):\n        return n",
        "__getattr__",
        2,
    ),
    (
        "dunder_method_init_subclass",
        "class A:\n    def __init_subclass__(cls):\n        pass",
        "__init_subclass__",
        2,
    ),
    ("object_subclasses", "s = object.__subclasses__()", "__subclasses__"),
    ("getattr_dunder_computed", "n = '__' + 'class' + '__'\nk = getattr(1, n)", "(dunders)", 2),
    ("setattr_library_class", "setattr(torch.nn.Linear, 'forward', print)", "forward"),
    ("getattr_node_method", _GRAPH + "h = getattr(y.grad_fn, 'register_hook')", "register_hook", 3),
    ("type_three_arguments", "C = type('C', (), {})", "type()"),
    # found by a review: a super() of the program's class reaching a library method the
    # class shadows; DataLoader workers asked for by position; a decorator handing back a
    # node; ctx (the node, in backward) reaching the node's members; a generator paused
    # inside a mode; torch's autocast nesting; a layer's own bookkeeping
    (
        "super_shadowed_compile",
        _CLASS + "    def compile(self):\n        pass\nm = A()\nsuper(A, m).compile()",
        "'.compile'",
        5,
    ),
    (
        "super_shadowed_share_memory",
        _CLASS + "    def share_memory(self):\n        pass\nm = A()\nsuper(A, m).share_memory()",
        "share_memory",
        5,
    ),
    (
        "data_loader_workers_by_position",
        "ds = torch.utils.data.TensorDataset(torch.ones(4))\n"
        "l = torch.utils.data.DataLoader(ds, 2, False, None, None, 2)",
        "num_workers",
        2,
    ),
    (
        "decorator_returns_node",
        _GRAPH + "def d(f):\n    return y.grad_fn\n@d\ndef g():\n    pass\nr = g(torch.ones(2))",
        "can't be called",
        8,
    ),
    (
        "ctx_node_apply",
        "class F2(torch.autograd.Function):\n    @staticmethod\n"
        "    def forward(ctx, x):\n        return x * 2\n    @staticmethod\n"
        "    def backward(ctx, g):\n        return ctx.apply(g)\n"
        "x = torch.ones(2, requires_grad=True)\ny = F2.apply(x).sum()\ny.backward()",
        "apply",
        7,
    ),
    (
        "yield_in_inference_mode",
        "def g():\n    with torch.inference_mode():\n        yield 1\nn = next(g())",
        "yield",
        2,
    ),
    (
        "autocast_nesting",
        "n = torch.autocast_increment_nesting()",
        "torch.autocast_increment_nesting",
    ),
    ("layer_hooks_dict", _CLASS + "    pass\nm = A()\nh = m._forward_hooks", "_forward_hooks", 4),
    (
        "except_base_exception",
        "try:\n    x = 1 / 0\nexcept BaseException:\n    x = 2",
        "baseexception",
        3,
    ),
    (
        "caught_traceback",
        "try:\n    x = 1 / 0\nexcept Exception as e:\n    t = e.__traceback__",
        "__traceback__",
        4,
    ),
    (
        "caught_frame_method",
        "try:\n    x = 1 / 0\nexcept Exception as e:\n    t = e.with_traceback(None)",
        "with_traceback",
        4,
    ),
    ("except_star", "try:\n    x = 1\nexcept* ValueError:\n    x = 2", "except*"),
]

ALLOWED: list[tuple[str, str]] = [
    ("str_format_plain", "s = '{} and {:.2f}'.format(1, 2.5)"),
    ("rebound_F", "def F(v):\n    return v + 1\nz = F(2)"),
    ("torch_utils_data", "d = torch.utils.data.TensorDataset(torch.ones(2))"),
    ("try", "try:\n    x = 1\nexcept Exception:\n    x = 2"),
    ("underscore_name", "_x = 1"),
    ("lambda", "f = lambda v: v * 2"),
    ("def", "def f(v):\n    return v * 2"),
    ("decorator", "@torch.no_grad()\ndef f(v):\n    return v * 2"),
    ("class", "class Net:\n    pass"),
    ("list_comprehension", "xs = [i * 2 for i in range(3)]"),
    ("generator_expression", "s = sum(i for i in range(3))"),
    ("dict_comprehension", "d = {i: i for i in range(3)}"),
    ("fstring_plain", "x = torch.ones(2)\nprint(f'{x}')"),
    ("for_over_list", "for t in [1, 2, 3]:\n    x = t"),
    ("global", "global x"),
    ("del", "x = torch.ones(2)\ndel x"),
    ("assert", "assert 1 == 1"),
    ("torch_nn_module", "m = torch.nn.Module()"),
    ("register_hook", "x = torch.ones(2, requires_grad=True)\nh = x.register_hook(print)"),
    ("assign_data", "x = torch.ones(2, requires_grad=True)\ny = torch.zeros(2)\nx.data = y"),
    ("type_of_tensor", "t = type(torch.ones(2))"),
    ("isinstance_probe", "b = isinstance(1, int)"),
    ("map_call", "m = list(map(print, [1]))"),
    ("filter_call", "m = list(filter(print, [1]))"),
    ("str_join_constant", "s = ','.join(['a', 'b'])"),
    ("str_split_constant", "p = 'torch.load'.split('.')"),
    ("fstring_conversion", "x = 1\ns = f'{x!r}'"),
    ("fstring_nested_spec", "x = 1\ns = f'{x:{x}}'"),
    ("percent_format_dict", "s = '%(a)s' % {'a': 1}"),
    ("decorated_class", "@print\nclass C:\n    pass"),
    ("import_torch_as_t", "import torch as t"),
    ("import_math_as_m", "import math as m"),
    ("import_functional_plain", "import torch.nn.functional"),
    ("autograd_function", "f = torch.autograd.Function"),
]
