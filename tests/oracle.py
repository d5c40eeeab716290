"""PyTorch as the oracle: run a test program as plain Python with real torch.

Only the test suite does this, and only with the programs in tests/programs: the app
itself never exec's anything (core.engine.interpreter walks the tree).
"""

from __future__ import annotations

import contextlib
import io
import math
from collections import Counter
from typing import Any

import torch
import torch.nn.functional as F

from core.record import labels


def run_plain(source: str) -> dict[str, Any]:
    """The program's variables after running it as ordinary Python."""
    torch.manual_seed(0)
    namespace: dict[str, Any] = {"torch": torch, "F": F, "math": math}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<test program>", "exec"), namespace)  # noqa: S102
    return {k: v for k, v in namespace.items() if k not in ("torch", "F", "math", "__builtins__")}


def plain_value(t: torch.Tensor | None) -> Any:
    """A tensor as the record stores it (nested lists, non-finite as strings)."""
    if t is None:
        return None
    return spelled(t.detach().tolist())


def spelled(x: Any) -> Any:
    """Nested lists with non-finite numbers written as the record writes them."""
    if isinstance(x, list):
        return [spelled(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def close(a: Any, b: Any, tol: float = 1e-6) -> bool:
    """Nested values equal (exactly for ints/bools, within tol for floats)."""
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(close(x, y, tol) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)


def reachable_ops(t: torch.Tensor) -> Counter:
    """Multiset of grad_fn class names reachable from t (an independent, simple walk)."""
    seen, stack, names = set(), [t.grad_fn], Counter()
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        names[type(fn).__name__] += 1
        stack.extend(f for f, _ in fn.next_functions)
    return names


# --- core.record.labels as first written (its fast paths are checked against these) ---


def reference_number_text(x: object) -> str:
    """number_text as it was written before its float case came first."""
    if isinstance(x, str):
        return x
    if isinstance(x, bool | int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return str(x)
        if x == int(x) and abs(x) < 1e6:
            return f"{int(x)}."
        return f"{x:.4g}"
    return str(x)


def reference_value_text(value: Any, max_chars: int) -> str:
    def nested(v: Any) -> str:
        if isinstance(v, list | tuple):
            parts: list[str] = []
            size = 0
            for item in v:
                parts.append(nested(item))
                size += len(parts[-1]) + 2
                if size > 4 * labels.MAX_VALUE_CHARS:
                    parts.append("…")
                    break
            return "[" + ", ".join(parts) + "]"
        return reference_number_text(v)

    if value is None:
        return "None"
    text = nested(value)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"
