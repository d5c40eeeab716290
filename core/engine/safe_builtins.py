"""The builtins and operators a program may use, each bounded by the size limits.

`make_builtins` gives one evaluation its table of builtins: `print` writes to the transcript,
`range` is capped at the loop limit, `list`, `tuple` and `sum` refuse to build sequences
past the sequence limit. The operator tables map syntax to the `operator` functions the
interpreter calls (after `core.engine.limits.check_binop`).
"""

from __future__ import annotations

import builtins
import dis
import operator
import re
import sys
import weakref
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

import torch

from core.engine import allowlist as allow
from core.engine import namespace
from core.engine.limits import Limits, check_text
from core.record import refusals
from core.record.wording import python_error, said

if TYPE_CHECKING:
    from core.engine.interpreter import Interpreter


def make_builtins(interp: Interpreter) -> dict[str, Any]:
    limits = interp.limits
    # print reaches the interpreter weakly: a strong reference would make a cycle, and the
    # interpreter, with every tensor the program made, would wait for the garbage collector
    owner = weakref.ref(interp)

    def print_(*args: Any, sep: Any = " ", end: Any = "\n", file: Any = None,
               flush: bool = False) -> None:  # fmt: skip
        if file is not None:
            raise python_error(ValueError, said(refusals.PRINT_FILE))
        interp = owner()
        if interp is not None and not interp.trusted:
            check_text((*args, sep, end), limits, interp.print_site, interp.fail)
        text = str(" " if sep is None else sep).join(str(a) for a in args)
        text += str("\n" if end is None else end)
        interp = owner()
        if interp is not None:
            interp.show(interp.print_site, text.rstrip("\n"), "print")

    print_.__name__ = print_.__qualname__ = "print"

    def range_(*args: int) -> range:
        r = range(*args)
        if len(r) > limits.max_loop:
            raise python_error(ValueError, said(refusals.RANGE_TOO_LARGE, count=f"{len(r):,}",
                                                limit=f"{limits.max_loop:,}"))  # fmt: skip
        return r

    range_.__name__ = range_.__qualname__ = "range"

    # list, tuple and type are the real classes (isinstance(x, list) works); their calls
    # are held to the limits by Interpreter.call (`constructors`)
    table: dict[str, Any] = {"print": print_, "range": range_, "type": type, "list": list,
                             "tuple": tuple}  # fmt: skip
    table["sum"] = _bounded_sum(limits)

    def pow_(base: Any, exp: Any, mod: Any = None) -> Any:
        if mod is not None:
            return builtins.pow(base, exp, mod)  # (as big as mod at most)
        return interp.binop(interp.site_now, POW, base, exp)  # the ** operator's checks

    pow_.__name__ = pow_.__qualname__ = "pow"
    table["pow"] = pow_
    table.update(getattr=interp.getattr_builtin, setattr=interp.setattr_builtin,
                 delattr=interp.delattr_builtin, hasattr=interp.hasattr_builtin)  # fmt: skip
    for name in ("repr", "ascii"):
        table[name] = _unaddressing(getattr(builtins, name), interp)
    table["hash"] = _value_hash
    for name in ("min", "max", "enumerate", "zip"):
        table[name] = _iterating(getattr(builtins, name), limits.max_pieces)
    for name in allow.BUILTINS - table.keys():
        table[name] = getattr(builtins, name)
    if interp.trusted:
        trusted = dict(vars(builtins))
        trusted.update(print=print_, __build_class__=interp.build_class)
        return trusted
    table["__build_class__"] = interp.build_class
    table["__import__"] = importer(interp)
    return table


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def unaddressed(text: str) -> str:
    """Text without the memory addresses Python's default reprs carry ("<function f at
    0x7f2c...>" becomes "<function f>"): the safe mode refuses id() for what it tells, so
    no repr, str(), format(), f-string or % may tell it either."""
    return _ADDRESS.sub("", text) if " at 0x" in text else text


def _unaddressing(fn: Callable[..., str], interp: Interpreter) -> Callable[..., str]:
    """repr(), ascii(): held to the text limit, their text `unaddressed`."""
    owner = weakref.ref(interp)

    def call(*args: Any, **kwargs: Any) -> str:
        interp = owner()
        if interp is not None:
            check_text(args[:1], interp.limits, interp.site_now, interp.fail)
        return unaddressed(fn(*args, **kwargs))

    call.__name__ = call.__qualname__ = fn.__name__
    return call


_HASHABLE_VALUES = (int, float, complex, bool, str, bytes, type(None))


def _value_hash(obj: Any) -> int:
    """hash() of values only: any other object's hash is made from its address (id())."""
    if isinstance(obj, tuple | frozenset):
        for item in obj:
            _value_hash(item)
    elif not isinstance(obj, _HASHABLE_VALUES):
        raise python_error(TypeError, said(refusals.HASH_OF, kind=type(obj).__name__))
    return hash(obj)


_value_hash.__name__ = _value_hash.__qualname__ = "hash"


def importer(interp: Interpreter) -> Callable[..., Any]:
    """`import torch.nn as nn` and friends: the allow-listed modules as programs see them."""

    def import_(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (),
                level: int = 0) -> Any:  # fmt: skip
        if not _program_imports() and name.split(".")[0] == "torch":
            return __import__(name, globals, locals, fromlist, level)  # torch's own, from C
        if level or (name not in namespace.IMPORTABLE and name != "__future__"):
            raise python_error(ImportError, said(refusals.IMPORT_REFUSED, name=name))
        if name == "random":
            return interp.random
        if name == "__future__":
            return __import__("__future__")
        if fromlist:
            return namespace.MODULES[name]
        return namespace.MODULES[name.split(".")[0]]

    return import_


_IMPORT_NAME = dis.opmap["IMPORT_NAME"]


def _program_imports() -> bool:
    """Whether the import asked for now is the program's own `import` statement (a C
    function that imports while the program's frame is on top gets this table's
    `__import__` too: torch does, to load its own modules lazily)."""
    frame = sys._getframe(2)
    return frame.f_code.co_code[frame.f_lasti] == _IMPORT_NAME


def check_rows(x: Any, most: int) -> None:
    """Going through a tensor one row at a time makes one tensor per row (all at once:
    torch unbinds it first); refuse a huge number of them."""
    if isinstance(x, torch.Tensor) and x.dim() > 0 and x.shape[0] > most:
        raise python_error(ValueError, said(refusals.ROWS_TOO_MANY, count=f"{x.shape[0]:,}",
                                            limit=f"{most:,}"))  # fmt: skip


def _iterating(fn: Callable[..., Any], most: int) -> Callable[..., Any]:
    """min(), max(), enumerate(), zip() held to the row limit for tensors they iterate."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if fn in (builtins.enumerate, builtins.zip) or len(args) == 1:
            for arg in args:
                check_rows(arg, most)
        return fn(*args, **kwargs)

    call.__name__ = call.__qualname__ = fn.__name__
    return call


def _length(iterable: Any) -> int | None:
    try:
        return len(iterable)
    except TypeError:
        return None


def bounded(kind: type, limits: Limits) -> Callable[..., Any]:
    """list() or tuple() that refuses more than `most` items before making them."""
    most = limits.max_sequence

    def make(iterable: Any = ()) -> Any:
        check_rows(iterable, limits.max_pieces)
        n = _length(iterable)
        if n is not None and n > most:
            raise python_error(ValueError, said(refusals.ITEMS_TOO_MANY, kind=kind.__name__,
                                                count=f"{n:,}", limit=f"{most:,}"))  # fmt: skip
        items = kind(islice(iterable, most + 1))
        if len(items) > most:
            raise python_error(ValueError, said(refusals.ITEMS_MORE_THAN, kind=kind.__name__,
                                                limit=f"{most:,}"))  # fmt: skip
        return items

    make.__name__ = make.__qualname__ = kind.__name__
    return make


def _bounded_sum(limits: Limits) -> Callable[..., Any]:
    """sum(); joining lists or tuples with it is held to the sequence limit."""
    most = limits.max_sequence

    def sum_(iterable: Any, start: Any = 0) -> Any:
        check_rows(iterable, limits.max_pieces)
        if not isinstance(start, list | tuple):
            return builtins.sum(iterable, start)
        items = bounded(list, limits)(iterable)
        total = len(start) + builtins.sum(_length(i) or 0 for i in items)
        if total > most:
            raise python_error(
                ValueError,
                said(refusals.SUM_TOO_LARGE, kind=type(start).__name__, count=f"{total:,}"),
            )
        return builtins.sum(items, start)

    sum_.__name__ = sum_.__qualname__ = "sum"
    return sum_


# The operators, in `core.engine.policy`'s order (BINOPS, UNARYOPS, COMPARES): the rewritten
# program passes each one's index.
BINOP_FUNCTIONS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
                   operator.mod, operator.pow, operator.matmul, operator.lshift, operator.rshift,
                   operator.or_, operator.and_, operator.xor]  # fmt: skip
INPLACE_FUNCTIONS = [operator.iadd, operator.isub, operator.imul, operator.itruediv,
                     operator.ifloordiv, operator.imod, operator.ipow, operator.imatmul,
                     operator.ilshift, operator.irshift, operator.ior, operator.iand,
                     operator.ixor]  # fmt: skip
POW = 6  # BINOP_FUNCTIONS.index(operator.pow)
UNARY_FUNCTIONS: list[Callable[[Any], Any]] = [operator.neg, operator.pos, operator.invert]
COMPARE_FUNCTIONS = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
