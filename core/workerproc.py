"""The worker process: imports torch once, then evaluates programs sent on stdin.

Replies go to the original stdout as length-prefixed pickles; the process's own fd 1 is
pointed at stderr so nothing torch prints can corrupt the channel.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import replace
from typing import Any

from core.language import ProgramError
from core.worker import receive, send

WARM_UP = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"


def evaluate(source: str, options: dict[str, Any]) -> Any:
    from core.layout import LayoutUnavailable, layout
    from core.session import run_program

    record = run_program(
        source,
        show_saved=options.get("show_saved", False),
        show_attrs=options.get("show_attrs", False),
    ).record
    if options.get("layout", True):
        try:
            record = layout(record, show_values=options.get("show_values", False))
        except LayoutUnavailable as e:  # the program ran: keep its record, say why no picture
            record = replace(record, layout_error=str(e))
    return record


def serve(inbox: Any, outbox: Any) -> None:
    while True:
        try:
            message = receive(inbox)
        except EOFError:
            return
        if message[0] == "quit":
            return
        _, number, source, options = message
        try:
            reply = ("record", number, evaluate(source, options))
        except ProgramError as e:
            reply = ("program-error", number, (e.message, e.line, e.col, e.end_line, e.end_col))
        except Exception as e:  # noqa: BLE001 — reported to the client, the worker lives on
            text = "".join(traceback.format_exception_only(type(e), e)).strip()
            reply = ("failed", number, f"Internal error while evaluating: {text}")
        send(outbox, reply)


def main() -> None:
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inbox = sys.stdin.buffer
    from core.session import run_program

    run_program(WARM_UP)  # the first evaluation pays for torch's lazy set-up; pay it now
    send(outbox, ("ready", 0, None))
    serve(inbox, outbox)


if __name__ == "__main__":
    main()
