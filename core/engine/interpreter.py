"""Runs a program: compiled by CPython after `core.engine.policy` has rewritten it, with the
checks it calls supplied here.

Every attribute read and write, subscript, call, operator and iteration of the program
calls one of the methods below with the place's site number: each checks what the safe mode
allows (`core.engine.namespace`) and the size limits (`core.engine.limits`), does the operation, and
remembers each tensor it produced with the span of the source that made it and the
variable name it was given, so the graph can point back into the text. Trusted programs
run through the same rewrite, without the checks (plain Python, still recorded).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import string
import sys
import types
import warnings
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import torch
import torch.nn as nn
import torch.utils.data
from torch import Tensor  # (a global name: one lookup fewer on the busiest paths)

from core.engine import namespace
from core.engine.allowlist import NAME_DUNDERS
from core.engine.faults import trunc_division_fault
from core.engine.limits import (
    Limits,
    check_binop,
    check_growth,
    check_index,
    check_percent,
    check_sizes,
    check_spec,
    check_str_method,
    check_text,
    counted_as,
    out_of_memory_message,
    ran_out_of_memory,
    too_large,
)
from core.engine.namespace import (  # noqa: F401  (MATH, Module, NN: part of this module's API)
    FUNCTIONAL,
    MATH,
    NN,
    TORCH,
    Module,
    callable_name,
    is_user_class,
    readable,
    register_class,
    suggested,
    writable,
)
from core.engine.policy import BINOPS, FILENAME, check, compile_program, hook_name, missing
from core.engine.recorder import recording_reads
from core.engine.safe_builtins import (
    BINOP_FUNCTIONS,
    COMPARE_FUNCTIONS,
    INPLACE_FUNCTIONS,
    UNARY_FUNCTIONS,
    bounded,
    check_rows,
    make_builtins,
    unaddressed,
)
from core.record import notes as transcript_notes
from core.record import refusals
from core.record.graph import Span, TranscriptEntry
from core.record.language import (
    ProgramError,
    _char_col,
    jupyter_notes,
    source_lines,
    source_segment,
    span_of,
)
from core.record.wording import Wording, python_error, said, text_of

CALLS_SHOWN = 3  # the calls an error inside functions names (the innermost ones)


@dataclass(slots=True)
class Made:
    """A tensor the program made: where, the name it was first given, and how many
    backward() calls had run when it was made."""

    tensor: torch.Tensor
    span: Span
    name: str | None = None
    epoch: int = 0
    local: bool = False  # its name was given in a function's body, not at module level
    # the names of the tensors that don't require grad it was made from, and of theirs
    # (`Interpreter.feed`): what a graph of ops took in without a node of its own
    feeds: frozenset[str] = frozenset()
    # how the program used it, when it doesn't require grad (`Interpreter.feed`): as an
    # operand (`data`), or as the index of a tensor that doesn't require grad either
    # (`index`: `Xtr[ix]`, `dC[ix] += ...`): a tensor only ever used as such an index (a
    # batch's random rows) is not data the note on tensors outside the graph names
    data: bool = False
    index: bool = False


@dataclass
class Operand:
    """A constant an op was given: a Python number, or a tensor that doesn't require grad."""

    value: Any
    span: Span
    text: str  # its source text, shortened


@dataclass
class Stop:
    """Where the graph stops: a tensor made from ones that require grad, that doesn't."""

    how: str  # "detach()" | "no_grad"
    sources: list[torch.Tensor]


@dataclass
class Tracker:
    """Every tensor and grad_fn the program made, with spans and names."""

    tensors: dict[int, Made] = field(default_factory=dict)  # id(tensor) -> Made
    fns: dict[Any, Made] = field(default_factory=dict)  # grad_fn -> Made of its tensor
    last_assigned: torch.Tensor | None = None
    leaves: list[torch.Tensor] = field(default_factory=list)  # leaves that require grad, in
    #   the order the program first showed them so (a re-run finds them by this order)
    leaf_ids: set[int] = field(default_factory=set)
    constants: dict[Any, list[Operand]] = field(default_factory=dict)  # grad_fn -> constants
    stops: dict[int, Stop] = field(default_factory=dict)  # id(tensor) -> where it was cut off
    parts: dict[int, list[Operand]] = field(default_factory=dict)  # id(constant) -> its operands
    epoch: int = 0  # backward() calls so far
    # names of tensors that don't require grad passed where the tracker can't follow them
    # (a Dataset, .item(), .tolist()): whether a graph used them is not known
    unfollowed: set[str] = field(default_factory=set)

    def forget_before(self, epoch: int, keep: int | None = None) -> None:
        """Let go of the tensors made before backward() call `epoch` that nothing but the
        tracker holds any more (a training loop's earlier steps): memory stays flat however
        many times the loop runs. Leaves, anything the program still holds, and what was
        made in epoch `keep` (a run the user asked to see) stay."""
        tensors = self.tensors
        gone = [k for k, m in tensors.items()
                if m.epoch < epoch and m.epoch != keep and k not in self.leaf_ids
                and sys.getrefcount(m.tensor) <= 2]  # fmt: skip  # (the Made's, the call's)
        if not gone:
            return
        for k in gone:
            del tensors[k]
            self.stops.pop(k, None)
            self.parts.pop(k, None)
        self.fns = {fn: m for fn, m in self.fns.items() if tensors.get(id(m.tensor)) is m}
        self.constants = {fn: c for fn, c in self.constants.items() if fn in self.fns}

    def made(self, tensor: torch.Tensor, spans: Any, where: Any) -> Made:
        """Remember tensor; spans[where] is where it was made (looked up only if it is new)."""
        key = id(tensor)
        made = self.tensors.get(key)
        if made is None:
            made = self.tensors[key] = Made(tensor, spans[where], None, self.epoch)
        try:  # (is_leaf is `grad_fn is None`: one read, and it raises alike)
            fn = tensor.grad_fn
        except RuntimeError:  # a no_grad view whose base was changed in place: PyTorch
            return made  # forbids reading its autograd state, but only if the program does
        if fn is None:
            if key not in self.leaf_ids and tensor.requires_grad:
                self.leaf_ids.add(key)
                self.leaves.append(tensor)
                self.new_leaf(tensor)
        elif fn not in self.fns:
            self.fns[fn] = made
        return made

    def new_leaf(self, tensor: torch.Tensor) -> None:
        """A leaf that requires grad, seen for the first time (re-runs perturb it here)."""

    def named(self, tensor: torch.Tensor, name: str, spans: Any, where: Any,
              local: bool = False) -> None:  # fmt: skip
        """The first name a tensor is given is its name (`y = x` does not rename x), except
        that a name given at module level replaces one given in a function's body (the
        function has returned: `d = f(a)` names f's `c` d, as a teacher reads it)."""
        made = self.made(tensor, spans, where)
        if made.name is None or (made.local and not local):  # shared with tracker.fns:
            made.name = name  # the grad_fn's node gets it too
            made.local = local
        self.last_assigned = tensor


_BATCHED_GRAD = said(transcript_notes.BATCHED_GRAD)


_SIZED_OWNERS = (str, list)  # whose methods below can make a huge str or list at once
_SIZED_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "replace",
                            "join", "extend"})  # fmt: skip
_CONVERSIONS: dict[int, Callable[[Any], str]] = {ord("s"): str, ord("r"): repr,
                                                   ord("a"): ascii}  # f"{x!r}"  # fmt: skip


class _Gated:
    """A library function a builtin will call, called through `Interpreter.call`."""

    __slots__ = ("interp", "site", "fn")

    def __init__(self, interp: Interpreter, site: int, fn: Any) -> None:
        self.interp, self.site, self.fn = interp, site, fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.interp.call(self.site, self.fn, *args, **kwargs)


def _is_list_sort(fn: Any) -> bool:
    return type(fn) is _BUILTIN_METHOD and fn.__name__ == "sort" and type(fn.__self__) is list


# builtins that call what they are given (their library-function arguments are `gated`)
_CALLING = ("max", "min", "sorted", "map", "filter", "iter", "sum")


class _Format:
    """A checked template's `.format` (see `Interpreter.safe_format`), its text
    `unaddressed`."""

    __slots__ = ("template", "interp")
    __name__ = "format"

    def __init__(self, template: str, interp: Interpreter) -> None:
        self.template, self.interp = template, interp

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        interp = self.interp
        check_text((*args, *kwargs.values()), interp.limits, interp.site_now, interp.fail)
        for _, _, spec, _ in string.Formatter().parse(self.template):
            check_spec(spec or "", interp.limits, interp.site_now, interp.fail)
            if spec and "{" in spec:  # '{:>{}}'.format(s, 10**8): widths among the values
                check_spec(" ".join(str(v) for v in args if type(v) is int), interp.limits,
                           interp.site_now, interp.fail)  # fmt: skip
        return unaddressed(self.template.format(*args, **kwargs))


def _batched(args: tuple, kwargs: dict) -> bool:
    """Whether a torch.autograd.grad call asks for batched gradients (its 8th parameter)."""
    return bool(kwargs.get("is_grads_batched", args[7] if len(args) > 7 else False))


# PyTorch's C++ warnings end with where in its sources they were raised
_TRIGGERED = re.compile(r"\s*\(Triggered internally at [^)]*\)")


class Spans(dict[ast.AST, Span]):
    """AST node -> its span in the program's lines, worked out the first time it is asked
    for (a dict's own lookup after that: no call)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, node: ast.AST) -> Span:
        span = self[node] = span_of(node, self.lines)
        return span


class OperandTexts(dict[ast.AST, str]):
    """AST node -> its source text, shortened, for a constant's label (`operand_text`):
    cut from the program's lines, split once, the first time it is asked for. A loop runs
    the same operand thousands of times (a 2,000-step fit with Show Constants: 34,000
    operands), and `ast.get_source_segment` splits the whole program again each time."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, node: ast.AST) -> str:
        text = " ".join((source_segment(self.lines, node) or "?").split())
        text = self[node] = text if len(text) <= 24 else text[:23] + "…"
        return text


BackwardHook = Callable[[torch.Tensor, tuple, dict], Any]
GradHook = Callable[[tuple, dict], Any]

_line_listener: Callable[[int], None] | None = None


def set_line_listener(listener: Callable[[int], None] | None) -> None:
    """Tell `listener` the line of every statement as it starts (the worker process
    writes it where the app can read it after a kill)."""
    global _line_listener
    _line_listener = listener


_PLAIN = frozenset({int, float, bool, str, type(None), Tensor, nn.Parameter, list, tuple,
                    dict, slice, torch.dtype, torch.Size})  # fmt: skip
_FUNCTION_KINDS = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)
_GRAD_MODES = (torch.no_grad, torch.enable_grad, torch.inference_mode)
_CALLABLE_KINDS = (nn.Module, *_GRAD_MODES)
_BASES = {id(object), id(nn.Module), id(torch.autograd.Function), id(Exception),
          id(torch.utils.data.Dataset), id(torch.utils.data.IterableDataset)}  # fmt: skip
_BIN_NODES = [op() for op in BINOPS]
_ADD, _MOD = BINOPS.index(ast.Add), BINOPS.index(ast.Mod)
_NOTHING = object()
_DATA_LOADER = torch.utils.data.DataLoader
_AUTOGRAD_GRAD = torch.autograd.grad
_PARAMETER = nn.Parameter
_BUILTIN_METHOD = types.BuiltinMethodType
_NO_WORKERS = said(refusals.NO_WORKERS)
_NO_TYPE_CALLS = said(refusals.NO_TYPE_CALLS)


class Interpreter:
    """Evaluates one program; `run` returns the user's variables."""

    def __init__(
        self, source: str, on_backward: BackwardHook, limits: Limits | None = None,
        tree: ast.Module | None = None, retain: Collection[Span] = (),
        on_grad: GradHook | None = None, constants: bool = False, trusted: bool = False,
        quiet: bool = False, notes: Collection[tuple[int, str | Wording]] = (),
    ) -> None:  # fmt: skip
        """`on_backward(tensor, args, kwargs)` runs tensor.backward, `on_grad(args, kwargs)`
        torch.autograd.grad (both recorded); `tree`: the program, already checked (re-runs
        of one program pass it); `retain`: spans whose non-leaf tensors get retain_grad()
        as they are made; `constants`: note ops' constant operands (`Tracker.constants`);
        `trusted`: plain Python (no checks); `quiet`: show nothing (no prints, no reprs);
        `notes`: (line, text) the transcript says before the program runs (a file beside
        it that an import passes over: `core.engine.sibling_modules`)."""
        self.notes = tuple(notes)
        self.on_grad = on_grad
        self.constants = constants
        self.trusted = trusted
        self.quiet = quiet
        self.source = source
        self.retain = frozenset(tuple(s) for s in retain)
        self.lines = source_lines(source)
        self.tree = tree if tree is not None else check(source, trusted)
        self.program = compile_program(self.tree, self.lines, trusted)
        self.spans = self.program.spans
        self.on_backward = on_backward
        self.limits = limits or Limits()
        self.tracker = Tracker()
        self.transcript: list[TranscriptEntry] = []
        self.variables: dict[str, Any] = {}
        self.builtins = make_builtins(self)
        self.printer = self.builtins["print"]
        self.constructors = {list: bounded(list, self.limits), tuple: bounded(tuple, self.limits)}
        self.site_now = 0  # the call running (for getattr() and friends, called by it)
        self.random = namespace.random_module(0)
        self.allowed = {id(v) for v in self.builtins.values()}
        self.data_only = {id(self.builtins[n]) for n in _DATA_ONLY if n in self.builtins}
        self.calling = {id(self.builtins[n]) for n in _CALLING if n in self.builtins}
        self.allowed |= {id(v) for v in self.random.members.values()}
        self.statements_run = 0
        self.printed = 0  # characters in the transcript
        self.print_site = 0  # the site of the print() running
        self.node_spans = Spans(self.lines)  # AST node -> its span (operands' spans)
        self.operand_texts = OperandTexts(self.lines)  # AST node -> its text (constants')
        self.sites: list[Any] = [None] * len(self.spans)  # a call's answers about its function
        self.methods: dict[int, tuple] = {}  # site -> the answers about a tensor's method
        self.module_sites: dict[int, tuple[nn.Module, int]] = {}  # id(layer) -> (it, site)
        self.callables: dict[int, Any] = {}  # functions reached through allowed reads and
        #   what allowed decorators made (callable: torch.no_grad()(f) is f)
        self.made_parameters: set[int] = set()  # nn.Parameter(...)s the program made itself

    def span(self, node: ast.AST) -> Span:
        return self.node_spans[node]

    def fail(self, site: Any, message: str | Wording, trust: str = "") -> ProgramError:
        line, col, end_line, end_col = self.spans[site]
        return ProgramError.saying(message, line, col, end_line, end_col, trust)

    # --- running ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        torch.default_generator.manual_seed(0)  # the CPU's; torch.manual_seed also queues a
        scope = self.scope()  # lazy CUDA seeding that costs ~1 ms (a stack trace) a run
        for line, said_there in jupyter_notes(self.source):  # `%matplotlib inline`: skipped
            self.note(line, said_there)
        for line, text in self.notes:
            self.note(line, text)
        with torch.enable_grad(), warnings.catch_warnings():
            warnings.simplefilter("default")  # (each warning once per place, as Python does)
            warnings.showwarning = self.warned
            try:
                exec(self.program.code, scope)  # noqa: S102 — the rewritten, checked program
            except ProgramError:
                raise
            except Exception as e:  # noqa: BLE001 — every error of the user's program is reported
                raise self.located(e) from None
            finally:
                if namespace.default_device_set[0]:  # (process-wide: not the next program's)
                    torch.set_default_device(None)
                    namespace.default_device_set[0] = False
        self.variables = {k: v for k, v in scope.items() if not k.startswith("__")}
        self.name_parameters()
        return self.variables

    def scope(self) -> dict[str, Any]:
        g: dict[str, Any] = {"__builtins__": self.builtins, "__name__": "__main__",
                             "torch": TORCH, "F": FUNCTIONAL, "math": MATH}  # fmt: skip
        if self.trusted:
            g.update(torch=torch, F=torch.nn.functional, math=__import__("math"))
        hooks = {
            "line": self.line, "show": self.show_value, "named": self.named,
            "call": self.call, "getattr": self.getattr, "setattr": self.setattr,
            "delattr": self.delattr, "getitem": self.getitem, "setitem": self.setitem,
            "delitem": self.delitem, "binop": self.binop, "unary": self.unary,
            "compare": self.compare, "inplace": self.inplace, "iter": self.iterate,
            "format": self.format_value,
        }  # fmt: skip
        g.update({hook_name(k): v for k, v in hooks.items()})
        for name, (module, member) in self.program.members.items():
            g[name] = namespace.MODULES[module].members[member]
        return g

    def located(self, e: BaseException) -> ProgramError:
        """The user's program raised e: say what went wrong, in its words, where it did."""
        line, col, end_line, end_col = self.position(e.__traceback__)
        message: str | Wording
        if isinstance(e, RecursionError):
            message = said(refusals.NESTS_TOO_DEEPLY)
        elif isinstance(e, MemoryError) or ran_out_of_memory(e):
            message = out_of_memory_message()
        else:
            message = describe(e)
            sentence = getattr(e, "wording", None)  # the safe mode's builtins' own errors
            if isinstance(sentence, Wording) and sentence.text == message:
                message = sentence
        calls = self.calls(e.__traceback__)
        error = ProgramError.saying(message, line, col, end_line, end_col)
        return replace(error, calls=calls)

    @staticmethod
    def calls(tb: Any) -> tuple[tuple[str, int], ...]:
        """The program's own calls a traceback passes on its way to the error: (function,
        the line it was called from), outermost first (at most the last CALLS_SHOWN)."""
        frames = []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == FILENAME:
                frames.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
        calls = tuple(
            (inner[0], outer[1]) for outer, inner in zip(frames, frames[1:], strict=False)
        )
        return calls[-CALLS_SHOWN:]

    def position(self, tb: Any) -> Span:
        """The span of the innermost place in the program's own code a traceback passes."""
        last = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == FILENAME:
                last = tb
            tb = tb.tb_next
        if last is None:
            return (1, 1, 1, 2)
        positions = list(last.tb_frame.f_code.co_positions())
        line, end_line, col, end_col = positions[last.tb_lasti // 2]
        line = line or last.tb_lineno
        end_line = end_line or line
        return (line, _char_col(self.lines, line, col or 0) + 1, end_line,
                _char_col(self.lines, end_line, end_col or 0) + 1)  # fmt: skip

    def line(self, n: int) -> None:
        self.statements_run += 1
        if self.statements_run > self.limits.max_steps:
            raise ProgramError.saying(said(refusals.TOO_MANY_STEPS,
                                           limit=f"{self.limits.max_steps:,}"), n, 1)  # fmt: skip
        if _line_listener is not None:
            _line_listener(n)

    def show_value(self, site: int, value: Any) -> None:
        if value is not None and not self.quiet:
            if not self.trusted:
                check_text((value,), self.limits, site, self.fail)
            self.show(site, repr(value), "repr")

    def show(self, site: int, text: str, kind: str) -> None:
        if self.quiet or recording_reads():  # (the program's hooks, run by the recorder's
            return  # reads: plain Python would not have run them)
        if not self.trusted:
            text = unaddressed(text)
        self.printed += len(text) + 1  # (a line is a line, even an empty one)
        if self.printed > self.limits.max_printed:
            raise self.fail(site, said(refusals.PRINTED_TOO_MUCH,
                                       limit=f"{self.limits.max_printed:,}"))  # fmt: skip
        if len(self.transcript) >= self.limits.max_printed_lines:
            raise self.fail(site, said(refusals.PRINTED_TOO_OFTEN,
                                       limit=f"{self.limits.max_printed_lines:,}"))  # fmt: skip
        line, _, end_line, _ = self.spans[site]
        self.transcript.append(TranscriptEntry(line, end_line, text, kind))

    def warned(self, message: Warning | str, category: type[Warning], filename: str,
               lineno: int, file: Any = None, line: str | None = None) -> None:  # fmt: skip
        """A warning PyTorch (or Python) gave while the program ran: a note in the
        transcript at the program's line that caused it, in the warning's own words without
        the library's file names (they go to no terminal: the worker's stderr is not the
        user's)."""
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != FILENAME:
            frame = frame.f_back
        at = frame.f_lineno if frame is not None else 1
        self.note(at, _TRIGGERED.sub("", f"{category.__name__}: {message}"))

    def note(self, line: int, text: str | Wording) -> None:
        """A note about the program (not its output) in the transcript, at its line (one of
        core's sentences: its wording kept beside the English, for the window)."""
        if self.quiet or recording_reads():
            return
        english = text_of(text)
        self.printed += len(english)
        if self.printed <= self.limits.max_printed:
            wording = text if isinstance(text, Wording) else None
            self.transcript.append(TranscriptEntry(line, line, english, "note", wording))

    def format_value(self, site: int, value: Any, conversion: int, spec: str) -> str:
        """One `{...}` of an f-string, as Python formats it (`conversion`: -1, or the code
        of s, r or a), held to the size rules and with no memory address."""
        if conversion != -1:
            value = _CONVERSIONS[conversion](value)
        if self.trusted:
            return format(value, spec)
        check_text((value,), self.limits, site, self.fail)
        check_spec(spec, self.limits, site, self.fail)
        return unaddressed(format(value, spec))

    def name_parameters(self) -> None:
        """Tensors owned by layers are named by their path (`model.fc1.weight`), and point
        at the place that made their layer."""
        seen: set[int] = set()
        for var, value in self.variables.items():
            if not isinstance(value, nn.Module) or id(value) in seen:
                continue
            for path, module in value.named_modules():
                seen.add(id(module))
                where = self.module_sites.get(id(module))
                for name, p in module.named_parameters(recurse=False):
                    made = self.tracker.tensors.get(id(p))
                    site = where[1] if where else 0
                    if made is None:
                        made = self.tracker.made(p, self.spans, site)
                    elif where and id(p) not in self.made_parameters:
                        made.span = self.spans[site]  # (seen first where it was read)
                    made.name = ".".join(x for x in (var, path, name) if x)

    # --- values -------------------------------------------------------------------------
    def track(self, value: Tensor, site: int) -> None:
        if not value.is_cpu:  # e.g. 'meta': no values to show
            raise self.fail(site, said(refusals.CPU_ONLY, device=value.device.type))
        if value.numel() > self.limits.max_elements and not self.trusted:  # made by a path
            raise self.fail(site, too_large(value.numel(), self.limits, made=True))
        if value.is_complex():
            dtype = str(value.dtype).removeprefix("torch.")
            raise self.fail(site, said(refusals.COMPLEX_TENSOR, dtype=dtype))
        made = self.tracker.made(value, self.spans, site)
        if self.retain and made.span in self.retain:
            self.retained(value)

    def track_all(self, value: Any, site: int) -> None:
        if isinstance(value, Tensor):
            self.track(value, site)
        elif type(value) is tuple or isinstance(value, tuple):
            for item in value:
                if isinstance(item, Tensor):
                    self.track(item, site)

    def retained(self, tensor: torch.Tensor) -> None:
        """A tensor made at a span to retain: retain_grad() if it is not a leaf."""
        if tensor.requires_grad and not _is_leaf(tensor):
            tensor.retain_grad()

    def named(self, site: int, name: str, value: Any) -> Any:
        if isinstance(value, Tensor):  # (the caller's frame: the program's own code)
            local = sys._getframe(1).f_code.co_name != "<module>"
            self.tracker.named(value, name, self.spans, site, local)
        return value

    # --- attributes and items -----------------------------------------------------------
    def getattr(self, obj: Any, name: str, site: int) -> Any:
        if type(obj) is Module:
            try:
                return obj.members[name]
            except KeyError:
                if name == "__name__":
                    return obj.name
                raise self.missing_member(obj, name, site) from None
        if not self.trusted and not readable(obj, name):
            if type(obj) is str and name == "format":
                return self.safe_format(obj, site)
            raise self.unreadable(obj, name, site)
        value = getattr(obj, name)
        if type(value) is types.FunctionType:  # a library object's function attribute (an
            self.callables[id(value)] = value  # optimizer's step, once a scheduler wraps it)
        if name in NAME_DUNDERS and not isinstance(value, str) and not self.trusted:
            raise self.fail(site, said(refusals.NOT_A_NAME_HERE, name=name,
                                       kind=type(obj).__name__))  # fmt: skip
        if isinstance(value, Tensor):
            self.track(value, site)
        return value

    def missing_member(self, module: Module, name: str, site: int) -> ProgramError:
        message, trust = missing(module, name, f"{module.name}.{name}")
        return self.fail(site, message, trust)

    def unreadable(self, obj: Any, name: str, site: int) -> ProgramError:
        kind = type(obj).__name__
        try:
            exists = hasattr(obj, name)
        except Exception:  # noqa: BLE001 — a property that raises: it exists
            exists = True
        if not exists:
            message = f"AttributeError: '{kind}' object has no attribute '{name}'."
            return self.fail(site, suggested(message, name, namespace.attribute_choices(obj)))
        trust = "" if name.startswith("_") else f".{name}"
        return self.fail(site, said(refusals.MEMBER_NOT_AVAILABLE, name=name, kind=kind), trust)

    def safe_format(self, template: str, site: int) -> Callable[..., str]:
        """str.format, for templates whose fields reach no attributes or items."""
        if _reaches(template):
            raise self.fail(site, said(refusals.FORMAT_REACHES))
        return _Format(template, self)

    # getattr(), setattr(), delattr(), hasattr(): the same checks as the syntax's, on the
    # name computed
    def getattr_builtin(self, obj: Any, name: str, *default: Any) -> Any:
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        if namespace.is_dunder(name) and name not in NAME_DUNDERS and not self.trusted:
            raise self.fail(self.site_now, said(refusals.DUNDER_ATTRIBUTE, name=name))
        try:
            return self.getattr(obj, name, self.site_now)
        except (AttributeError, ProgramError):
            if default and hasattr(obj, name) is False:
                return default[0]
            raise

    def hasattr_builtin(self, obj: Any, name: str) -> bool:
        try:
            self.getattr_builtin(obj, name)
        except (AttributeError, ProgramError):
            return False
        return True

    def setattr_builtin(self, obj: Any, name: str, value: Any) -> None:
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        self.setattr(self.site_now, obj, name, value)

    def delattr_builtin(self, obj: Any, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        self.delattr(self.site_now, obj, name)

    def setattr(self, site: int, obj: Any, name: str, value: Any) -> None:
        if not self.trusted and not writable(obj, name):
            if type(obj) is Module:
                raise self.fail(site, said(refusals.MEMBER_ASSIGNED, module=obj.name, name=name))
            raise self.fail(site, said(refusals.SETTING_ATTRIBUTE, name=name,
                                       kind=type(obj).__name__))  # fmt: skip
        setattr(obj, name, value)

    def delattr(self, site: int, obj: Any, name: str) -> None:
        if not self.trusted and not writable(obj, name):
            raise self.fail(site, said(refusals.DELETING_ATTRIBUTE, name=name,
                                       kind=type(obj).__name__))  # fmt: skip
        delattr(obj, name)

    def getitem(self, obj: Any, key: Any, site: int) -> Any:
        if type(obj) is not list and type(obj) is not dict:
            check_index(obj, key, self.limits, site, self.fail)
        value = obj[key]
        if isinstance(value, Tensor):
            self.track(value, site)
            if isinstance(obj, Tensor):  # x[i], probs[torch.arange(n), ys]; Xtr[ix]: an index
                self.feed(value, (obj, key), index=not obj.requires_grad)
                if self.constants:  # the index tensors (not numbers: x[0] has no 0 box)
                    keys = key if type(key) is tuple else (key,)
                    self.note_operands(value, site, (obj, *keys), numbers=False)
        return value

    def setitem(self, site: int, obj: Any, key: Any, value: Any) -> None:
        if type(obj) is Module:
            raise self.fail(site, said(refusals.MODULE_MEMBERS))
        obj[key] = value
        if isinstance(obj, Tensor):
            self.track(obj, site)  # its grad_fn is new (CopySlices)
            self.feed(obj, (value, key), index=not obj.requires_grad)

    def delitem(self, site: int, obj: Any, key: Any) -> None:
        del obj[key]

    def iterate(self, site: int, obj: Any) -> Any:
        try:
            check_rows(obj, self.limits.max_pieces)
        except ValueError as e:
            raise self.fail(site, said(refusals.TOO_LARGE_BECAUSE, reason=str(e))) from None
        if isinstance(obj, Tensor) and not obj.requires_grad and obj.dim() > 0:
            return self.rows(obj, site)
        return obj

    def rows(self, obj: Tensor, site: int) -> Iterator[Tensor]:
        """`for x in X` over a tensor that doesn't require grad: its rows, each made from X
        (`feed`: a graph that takes x took X)."""
        for row in obj:
            self.track(row, site)
            self.feed(row, (obj,))
            yield row

    # --- operators ----------------------------------------------------------------------
    def binop(self, site: int, op: int, left: Any, right: Any) -> Any:
        check_binop(_BIN_NODES[op], left, right, self.limits, site, self.fail)
        if type(left) is str and op == _MOD and not self.trusted:  # '%s' % x
            check_percent(left, right, self.limits, site, self.fail)
        result = BINOP_FUNCTIONS[op](left, right)
        if isinstance(result, Tensor):
            self.track(result, site)
            if self.constants:
                self.note_operands(result, site, (left, right))
            constant = isinstance(left, Tensor) and not left.requires_grad
            if isinstance(right, Tensor) and not right.requires_grad:
                self.feed(result, (left, right) if constant else (right,), checked=constant)
            elif constant:
                self.feed(result, (left,), checked=True)
        elif type(result) is str and not self.trusted:  # ('%r' % f: no address)
            return unaddressed(result)
        return result

    def inplace(self, site: int, op: int, left: Any, right: Any) -> Any:
        check_binop(_BIN_NODES[op], left, right, self.limits, site, self.fail)
        if type(left) is list and op == _ADD and not self.trusted:  # l += anything
            check_growth(left, right, self.limits, site, self.fail)
        elif type(left) is str and op == _MOD and not self.trusted:
            check_percent(left, right, self.limits, site, self.fail)
        result = INPLACE_FUNCTIONS[op](left, right)
        if isinstance(result, Tensor):
            self.track(result, site)
            if self.constants:
                self.note_operands(result, site, (left, right))
            if isinstance(right, Tensor) and not right.requires_grad:
                self.feed(result, (right,), checked=True)
        return result

    def unary(self, site: int, op: int, operand: Any) -> Any:
        result = UNARY_FUNCTIONS[op](operand)
        if isinstance(result, Tensor):
            self.track(result, site)
            if self.constants:
                self.note_operands(result, site, (operand,))
            if isinstance(operand, Tensor) and not operand.requires_grad:
                self.feed(result, (operand,), checked=True)
        return result

    def compare(self, site: int, op: int, left: Any, right: Any) -> Any:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            check_binop(_BIN_NODES[0], left, right, self.limits, site, self.fail)
        result = COMPARE_FUNCTIONS[op](left, right)
        if isinstance(result, Tensor):
            self.track(result, site)
        return result

    # --- calls --------------------------------------------------------------------------
    def call(self, site: int, fn: Any, *args: Any, **kwargs: Any) -> Any:
        known = self.sites[site]
        if known is None or known[0] is not fn:
            if type(fn) is _BUILTIN_METHOD and type(fn.__self__) is Tensor:  # x.sum(): a new
                method = self.methods.get(site)  # bound method each time; what is asked of
                if method is None or method[0] != fn.__name__:  # it depends on its name alone
                    known = self.call_site(site, fn)
                    method = self.methods[site] = (fn.__name__, *known[1:])
                known = (fn, method[1], fn.__self__, *method[3:])
            else:
                known = self.call_site(site, fn)
        _, counted, owner, calls_back, special = known
        if not self.trusted:
            for arg in ((*args, *kwargs.values()) if kwargs else args) if calls_back else ():
                if type(arg) not in _PLAIN and callable(arg) and not self.may_call(arg):
                    raise self.fail(site, said(refusals.CANT_BE_PASSED, name=callable_name(arg)))
            if calls_back and (id(fn) in self.calling or _is_list_sort(fn)):
                args, kwargs = self.gated(site, args, kwargs)
            if counted is not None:
                ops = args if owner is None else (owner, *args)
                check_sizes(counted, ops, kwargs, self.limits, site, self.fail)
        if kwargs and "rounding_mode" in kwargs:  # idiv's one fault: in any mode
            fault = trunc_division_fault(args if owner is None else (owner, *args), kwargs)
            if fault is not None:
                raise self.fail(site, fault)
        if special:  # (asked once per function: most calls are none of these)
            if fn is _DATA_LOADER and not self.trusted and _workers(args, kwargs):
                raise self.fail(site, _NO_WORKERS, "DataLoader(num_workers=...)")
            if owner is not None and fn.__name__ == "backward":
                return self.on_backward(owner, args, kwargs)
            if fn is _AUTOGRAD_GRAD and self.on_grad is not None:
                if _batched(args, kwargs):  # (under vmap: no one gradient per node to show)
                    self.note(self.spans[site][0], _BATCHED_GRAD)
                    return fn(*args, **kwargs)
                return self.on_grad(args, kwargs)
            if fn is str and not self.trusted:
                check_text(args[:1], self.limits, site, self.fail)
                return unaddressed(str(*args, **kwargs))
            obj = getattr(fn, "__self__", None)
            if type(obj) in _SIZED_OWNERS and not self.trusted:
                if type(obj) is str:  # 'a'.ljust(10**8), s.replace('', t), sep.join(...)
                    check_str_method(fn.__name__, obj, args, self.limits, site, self.fail)
                elif fn.__name__ == "extend":  # l.extend(l), forty times
                    check_growth(obj, args[0] if args else (), self.limits, site, self.fail)
            if fn is self.printer:
                self.print_site = site
            elif fn is type and (len(args) != 1 or kwargs) and not self.trusted:
                raise self.fail(site, _NO_TYPE_CALLS)
            elif (fn is list or fn is tuple) and not self.trusted:
                fn = self.constructors[fn]
        self.site_now = site
        result = fn(*args, **kwargs)
        if isinstance(result, Tensor):
            self.track(result, site)
            if fn is _PARAMETER:
                self.made_parameters.add(id(result))
            if self.constants:
                self.note_call(site, fn, args, result)
            if args or kwargs or owner is not None:
                self.feed(result, (owner, *args, *kwargs.values()) if kwargs else (owner, *args))
        elif isinstance(result, tuple):
            self.track_all(result, site)
            for item in result if args or owner is not None else ():
                if isinstance(item, Tensor):
                    self.feed(item, (owner, *args, *kwargs.values()))
        elif isinstance(result, nn.Module) and id(result) not in self.module_sites:
            self.module_sites[id(result)] = (result, site)
        elif type(result) is types.FunctionType and isinstance(fn, _GRAD_MODES):
            self.callables[id(result)] = result  # torch.no_grad()(f): callable as f is
        if type(result) not in _LOOKS and (args or owner is not None) and not isinstance(
            result, Tensor | tuple
        ):  # fmt: skip
            self.unfollowed(fn, (owner, *args, *kwargs.values()))
        return result

    def build_class(self, func: Any, name: str, *bases: Any, **kwargs: Any) -> type:
        """`class X(...)` (the builtins' __build_class__): bases only the program's classes,
        object, Exception, torch's layers and autograd Function; no metaclass. The class is
        remembered as the program's."""
        if not self.trusted:
            if kwargs:
                raise python_error(TypeError, said(refusals.CLASS_KEYWORDS_CALL))
            for base in bases:
                if not _allowed_base(base):
                    shown = getattr(base, "__name__", base)
                    raise python_error(TypeError, said(refusals.CLASS_BASE, base=repr(shown)))
        cls = builtins.__build_class__(func, name, *bases, **kwargs)
        register_class(cls)
        return cls

    def gated(self, site: int, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """The arguments of a builtin that calls what it is given (`max(..., key=f)`, `map`,
        `sorted`, `list.sort`), each library function among them called through `call` as
        if the program called it there: `max([[10**4, 10**4]], key=torch.ones)` meets the
        size rules, and what it makes is tracked."""

        def gate(arg: Any) -> Any:
            if isinstance(arg, _FUNCTION_KINDS) and not _is_program_code(arg):
                return _Gated(self, site, arg)
            return arg

        return tuple(map(gate, args)), {k: gate(v) for k, v in kwargs.items()}

    def call_site(self, site: int, fn: Any) -> tuple[Any, str | None, Tensor | None, bool, bool]:
        """What a call asks of its function alone: may it be called here (raises if not),
        what check_sizes counts it by, the tensor it is a method of (or None), and whether
        it may call what it is given (then that must be callable here too). Kept for the
        call's next time when fn will be the same object (not a bound method)."""
        if not self.trusted and not self.may_call(fn):
            raise self.fail(site, said(refusals.CANT_BE_CALLED, name=callable_name(fn)))
        owner = getattr(fn, "__self__", None)
        tensor = owner if isinstance(owner, Tensor) else None
        special = (
            (tensor is not None and getattr(fn, "__name__", "") == "backward")
            or any(
                fn is f
                for f in (_DATA_LOADER, _AUTOGRAD_GRAD, self.printer, type, list, tuple, str)
            )
            or (type(owner) in _SIZED_OWNERS and getattr(fn, "__name__", "") in _SIZED_METHODS)
        )
        known = (fn, counted_as(fn), tensor, self.calls_back(fn, owner), special)
        if not isinstance(fn, types.MethodType | types.BuiltinMethodType) or (
            owner is None or isinstance(owner, types.ModuleType)
        ):
            self.sites[site] = known
        return known

    def calls_back(self, fn: Any, owner: Any) -> bool:
        """Whether fn may call an argument: not the program's own functions (their calls
        are checked), nor builtins that only look at values (print, len, isinstance, ...),
        nor methods of lists, dicts and sets other than sort."""
        if id(fn) in self.data_only or _is_program_code(fn) or isinstance(fn, type) and (
            is_user_class(fn) or fn in _CONTAINER_TYPES
        ):  # fmt: skip
            return False
        return not (type(owner) in _CONTAINER_TYPES and getattr(fn, "__name__", "") != "sort")

    def may_call(self, fn: Any) -> bool:
        """Whether the safe mode calls fn: the program's own functions and classes, the
        allow-listed ones, and methods of what it may read (as the attribute rules say)."""
        key = id(fn)
        if key in namespace.ALLOWED_FUNCTIONS or key in self.allowed:
            return True
        t = type(fn)
        if t is types.FunctionType:
            return fn.__code__.co_filename == FILENAME or self.callables.get(id(fn)) is fn
        if t is _Format:  # its template was checked when it was read (`safe_format`)
            return True
        if t is types.MethodType or t is types.BuiltinMethodType:
            owner, name = fn.__self__, fn.__name__
            func = getattr(fn, "__func__", None)
            if type(func) is types.FunctionType and func.__code__.co_filename == FILENAME:
                return True
            if owner is None or isinstance(owner, types.ModuleType):
                return False
            if name == "__init__" and _is_users(type(owner)):
                return True  # super().__init__(...): a library base's, on the program's object
            if func is not None:  # a Python method: as the class that defines it allows
                klass = namespace.defining_class(owner, name, func)
                return klass is not None and (
                    is_user_class(klass) or namespace.library_member(klass, name)
                    or namespace.listed_member(owner, name)
                )  # fmt: skip
            return readable(owner, name)
        if isinstance(fn, type):
            return is_user_class(fn)
        if isinstance(fn, _CALLABLE_KINDS) or _is_users(t):
            return True
        return self.callables.get(id(fn)) is fn

    def feed(self, result: Tensor, values: tuple, checked: bool = False,
             index: bool = False) -> None:  # fmt: skip
        """Add to what `result` was made from (`Made.feeds`) the names of the tensors among
        `values` (and one level into lists and tuples) that don't require grad, and the
        names they were made from. On every op, shown or not (cheap: only such tensors are
        looked up): the window says which of the program's tensors a graph used although
        autograd keeps no node for them (x, y of a polynomial fit). `checked`: values are
        such tensors (one read of requires_grad fewer: under a device mode, a call each).
        Each such tensor is marked used as data (`Made.data`), except, with `index`, the
        last of `values`: the key of a subscript of a tensor that doesn't require grad
        (`Made.index`)."""
        names = self.constant_names(values, result, checked, mark=True, index=index)
        if names:
            made = self.tracker.tensors.get(id(result))
            if made is not None and not names <= made.feeds:
                made.feeds = made.feeds | names

    def constant_names(self, values: tuple, result: Any = None, checked: bool = False,
                       mark: bool = False, index: bool = False) -> frozenset[str]:  # fmt: skip
        """The names of the tensors among values (one level into lists and tuples) that
        don't require grad, and the names they were made from. `mark`: note how each was
        used (`Made.data`; with `index`, the last value's `Made.index`: see `feed`)."""
        tensors = self.tracker.tensors
        names: set[str] = set()
        last = len(values) - 1
        for i, value in enumerate(values):
            items = value if type(value) is list or type(value) is tuple else (value,)
            for t in items:
                if t is result or not checked and (not isinstance(t, Tensor) or t.requires_grad):
                    continue
                made = tensors.get(id(t))
                if made is not None:
                    if mark:
                        if index and i == last:
                            made.index = True
                        else:
                            made.data = True
                    if made.name and not made.local:
                        names.add(made.name)
                    names.update(made.feeds)
        return frozenset(names)

    def unfollowed(self, fn: Any, values: tuple) -> None:
        """Tensors that don't require grad, passed to a call whose result the tracker can't
        follow (`TensorDataset(X, Y)`, `x.item()`): what a graph made later took from them
        can't be told, so no one says it didn't (nor that they hold no data: `Made.data`)."""
        if any(isinstance(v, Tensor | list | tuple) for v in values):
            looking = getattr(fn, "__name__", "") in _LOOKING
            names = self.constant_names(values, mark=not looking)
            if names and not looking:
                self.tracker.unfollowed.update(names)

    def note_operands(self, result: Any, site: int, values: tuple, how: str = "",
                      numbers: bool = True) -> None:  # fmt: skip
        """Remember an op's constant operands, and where a result stops the graph (only
        when constants are shown: it costs a little on every op); `numbers`: Python
        numbers among them too."""
        nodes = self.program.operands.get(site, [])
        pairs = list(zip(nodes, values, strict=False))
        try:
            fn = result.grad_fn
        except RuntimeError:  # PyTorch forbids reading it (see Tracker.made): nothing to note
            return
        constants = [
            Operand(v, self.span(n), self.operand_text(n, v)) for n, v in pairs
            if _is_constant(v) and (numbers or isinstance(v, torch.Tensor))
        ]  # fmt: skip
        if fn is not None:
            self.tracker.constants.setdefault(fn, constants)
        elif not result.requires_grad and id(result) not in self.tracker.stops:
            if any(isinstance(c.value, torch.Tensor) for c in constants):  # e.g. c * k
                self.tracker.parts[id(result)] = constants
            sources = [v for _, v in pairs if isinstance(v, torch.Tensor) and v.requires_grad]
            how = how or ("no_grad" if not torch.is_grad_enabled() else "")
            if sources and how:
                self.tracker.stops[id(result)] = Stop(how, sources)

    def note_call(self, site: int, fn: Any, args: tuple, result: Any) -> None:
        owner = getattr(fn, "__self__", None)
        values = (owner, *args) if isinstance(owner, Tensor) and _is_method_call(
            self.program.nodes[site]) else args  # fmt: skip
        is_detach = isinstance(owner, Tensor) and getattr(fn, "__name__", "") == "detach"
        self.note_operands(result, site, values, "detach()" if is_detach else "")

    def operand_text(self, node: ast.expr, value: Any) -> str:
        made = self.tracker.tensors.get(id(value)) if isinstance(value, torch.Tensor) else None
        if made is not None and made.name:
            return made.name
        return self.operand_texts[node]


def _is_program_code(fn: Any) -> bool:
    func = getattr(fn, "__func__", fn)
    return type(func) is types.FunctionType and func.__code__.co_filename == FILENAME


_CONTAINER_TYPES = (list, dict, set, frozenset, tuple, str)
# results that say something about a tensor, not its values (`Interpreter.unfollowed`)
_LOOKS = frozenset({bool, str, type(None), torch.Size, torch.dtype, torch.device, type})
_LOOKING = frozenset({"len", "size", "dim", "numel", "nelement", "ndimension", "stride",
                      "element_size", "print", "repr", "isinstance", "id", "hash", "append",
                      "is_floating_point", "is_contiguous", "equal"})  # fmt: skip
_DATA_ONLY = ("print", "repr", "str", "type", "isinstance", "issubclass", "len", "hash",
              "bool", "callable", "list", "tuple", "dict", "set", "frozenset", "enumerate",
              "zip", "sum", "any", "all", "reversed", "int", "float", "round", "abs", "getattr",
              "setattr", "delattr", "hasattr")  # fmt: skip


def _workers(args: tuple, kwargs: dict) -> bool:
    try:
        bound = inspect.signature(_DATA_LOADER).bind(*args, **kwargs)
    except TypeError:
        return False  # DataLoader will say what is wrong
    return bool(bound.arguments.get("num_workers"))


def _is_users(t: type) -> bool:
    return any(is_user_class(k) for k in t.__mro__)


def _is_method_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)


def _reaches(template: str) -> bool:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return False  # str.format will say what is wrong
    for _, field_name, spec, _ in parsed:
        if field_name and ("." in field_name or "[" in field_name):
            return True
        if spec and "{" in spec and _reaches(spec):
            return True
    return False


def _is_leaf(tensor: torch.Tensor) -> bool:
    try:
        return tensor.is_leaf
    except RuntimeError:  # see Tracker.made
        return True


def _is_constant(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return not value.requires_grad
    return isinstance(value, int | float) and not isinstance(value, bool)


def describe(e: BaseException) -> str:
    """An exception as one or two plain sentences (PyTorch's own words kept)."""
    text = str(e).strip().split("\n")[0] or type(e).__name__
    return f"{type(e).__name__}: {text}"


def _allowed_base(base: Any) -> bool:
    if not isinstance(base, type):
        return False
    if is_user_class(base) or id(base) in _BASES:
        return True
    if issubclass(base, BaseException) and base.__module__ == "builtins":
        return True
    return issubclass(base, nn.Module) and id(base) in namespace.ALLOWED_FUNCTIONS
