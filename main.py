"""Autograd Lens: see PyTorch's autograd at work.

    python main.py                      the window, with the lesson example
    python main.py FILE                 the window, with a program (.py) or session (.alens)
    python main.py --export OUT [--expr TEXT | FILE] [--step N] [--scale S]
                                        no window: OUT's suffix picks .json .dot .png .svg .pdf
    python main.py --export OUT.pdf --handout [FILE]   every backward step, a page each
    python main.py --export OUT.gif [--frame-ms N] [FILE]   the backward pass, animated
    python main.py --export OUT --trust FILE   run FILE as plain Python (numpy, files, ...):
                                        only for code you trust
    python main.py --export OUT --run K [FILE]   backward() call K's graph and steps (a
                                        training loop; default: the last, as the window)

Programs run in the current directory: a file a trusted program opens by a name without a
folder is looked for there. A trusted FILE imports the modules beside it (`from utils
import train_step`), as `python FILE` does.

Programs run under the safe mode; what it refuses that plain Python would run (`import
numpy`, reading a file) runs with --trust, in the same isolated worker and limits.

Programs may run for 10 s (as in the window); --timeout S gives them longer. A session's
own time limit applies where it is lower, never where it is higher.

Exit status: 0 done; 2 anything wrong with the input: bad arguments, the program wrong,
refused or too slow (the message names the line and column), FILE can't be read (missing,
not a regular file, too big, not a session), or its graph too big to lay out for a
picture; 1 the app or its environment: no picture could be laid out (Graphviz missing,
failed or out of time), OUT can't be written, no display for the window, a GPU build of
PyTorch.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # installed: site-packages/autograd_lens/ holds core/ and gui/
    sys.path.insert(0, str(HERE))

from core.record.session_file import DEFAULT_TIME_LIMIT  # noqa: E402

LESSON = HERE / "resources" / "examples" / "lesson.py"
TEXT_FORMATS = (".json", ".dot")
PICTURE_FORMATS = (".png", ".svg", ".pdf", ".gif")
NEEDS_TRUST = "This needs plain Python; if you trust this code, run again with --trust."


def _at_least(low: float, kind: type = float, strict: bool = False):  # an argparse type
    """An argparse type: a number of `kind` that is >= low (> low if strict)."""

    def parse(text: str) -> float:
        value = kind(text)
        if value < low or strict and value == low:
            raise argparse.ArgumentTypeError(f"must be {'>' if strict else '>='} {low:g}")
        return value

    parse.__name__ = kind.__name__  # argparse's message: "invalid int value"
    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from gui.model.versions import app_version

    p = argparse.ArgumentParser(prog="autograd-lens", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    p.add_argument("file", nargs="?", help="a program (.py) or a session (.alens) to open")
    p.add_argument("--export", metavar="OUT", help="write OUT without opening a window")
    p.add_argument("--expr", metavar="TEXT", help="the program text itself")
    p.add_argument(
        "--step",
        type=_at_least(0, int),
        help="backward steps to show, of the run shown (0 = before; default: end)",
    )
    p.add_argument(
        "--run",
        type=_at_least(1, int),
        metavar="K",
        help="a program calling backward() many times (a training loop): show call K's "
        "graph and steps (1 = the first; default: the last, as the window does)",
    )
    p.add_argument(
        "--scale",
        type=_at_least(0, strict=True),
        help="picture scale (PNG; default: the longer side 1080 px, a slide's height, "
        "from 2x to 4x)",
    )
    p.add_argument("--show-saved", action="store_true", help="draw saved tensors (torchviz)")
    p.add_argument("--show-attrs", action="store_true", help="list grad_fn attributes")
    p.add_argument("--no-values", action="store_true", help="leave values out of node labels")
    p.add_argument(
        "--timeout",
        type=_at_least(0, strict=True),
        default=DEFAULT_TIME_LIMIT,
        help=f"seconds a program may run (default: {DEFAULT_TIME_LIMIT:g}, as in the window; "
        "a session's own limit applies if it is lower)",
    )
    p.add_argument(
        "--trust",
        action="store_true",
        help="only for code you trust: run the program as plain Python",
    )
    p.add_argument(
        "--handout",
        action="store_true",
        help="with a .pdf: a page per backward step (graph, caption, chain rule)",
    )
    for action in ("install", "uninstall"):
        p.add_argument(f"--{action}-desktop", action="store_true",
                       help=f"{action} this copy's menu entry, icon and .alens file type "
                       "(Linux desktops, for the current user)")  # fmt: skip
    p.add_argument(
        "--frame-ms",
        type=_at_least(1, int),
        default=1200,
        metavar="N",
        help="with a .gif: ms per frame",
    )
    return p.parse_args(argv)


def read_program(args: argparse.Namespace) -> tuple[str, float]:
    """The program text, and the seconds it may run: --timeout, or a session's own time
    limit where that is lower (a shared session can't ask for more than the user gives)."""
    if args.expr is not None:
        return args.expr, args.timeout
    path = Path(args.file) if args.file else LESSON
    if path.suffix.lower() == ".alens":
        from core.record.session_file import load, time_limit

        session = load(path)
        return session.program, time_limit(session, args.timeout)
    from core.record.files import read_text

    return read_text(path), args.timeout  # a regular file of at most 1 MiB


def script_folder(args: argparse.Namespace) -> Path | None:
    """The folder of the program's file (a .py, or a session's), where a trusted program
    imports the modules beside it from, as `python FILE` does; None for --expr and the
    lesson shown without a FILE."""
    if args.expr is not None or not args.file:
        return None
    return Path(args.file).absolute().parent


def export(args: argparse.Namespace) -> int:
    from core.process.client import EvaluationTimeout, Worker, WorkerError
    from core.record.language import ProgramError, jupyter_notes

    out = Path(args.export)
    suffix = out.suffix.lower()
    if suffix not in TEXT_FORMATS + PICTURE_FORMATS:
        print(f"error: can't export '{suffix}': use one of "
              f"{', '.join(TEXT_FORMATS + PICTURE_FORMATS)}", file=sys.stderr)  # fmt: skip
        return 2
    if args.handout and suffix not in (".pdf", ".gif"):
        print("error: a handout is a .pdf (or an animated .gif)", file=sys.stderr)
        return 2
    try:
        source, seconds = read_program(args)
    except ValueError as e:  # FileRefused, SessionError: one sentence naming the file
        print(f"error: {e}", file=sys.stderr)
        return 2
    options = dict(show_saved=args.show_saved, show_attrs=args.show_attrs,
                   show_values=not args.no_values, layout=suffix != ".dot",
                   chain_rule=needs_chain_rule(suffix, args.handout),
                   trusted=args.trust, script_folder=script_folder(args))  # fmt: skip
    if args.run is not None:
        options["run"] = args.run - 1  # the worker counts from 0
    try:
        with Worker(timeout=seconds) as worker:
            worker.start()
            if suffix in PICTURE_FORMATS:
                from gui.graph.render import ensure_app

                ensure_app()  # Qt loads here while torch loads in the worker
            record = worker.evaluate(source, **options)
            worker.finish()  # no need to wait for a graceful exit
            for _, skipped in jupyter_notes(source):  # `%matplotlib inline`, `!pip install`
                print(f"note: {skipped.text}", file=sys.stderr)
            record = as_shown(record, args.run)
            if record.layout_error and suffix in PICTURE_FORMATS:
                return no_picture(record)
            if record.layout_error and suffix == ".json":
                print(f"note: the graph has no layout: {record.layout_error}", file=sys.stderr)
            return write(record, out, args)
    except ProgramError as e:
        from core.record.lessons import explain

        print(f"error: {e}", file=sys.stderr)
        print(_pointer(source, e), file=sys.stderr)
        for function, line in reversed(e.calls):  # (an error inside the program's functions)
            print(f"  in {function}(), called from line {line}", file=sys.stderr)
        why = explain(e.message, e.folder)
        if why:  # the lesson behind PyTorch's (or Python's) words, as the window's Why line
            print(f"Why: {why}", file=sys.stderr)
        if e.trust and not args.trust:
            print(NEEDS_TRUST, file=sys.stderr)
        return 2
    except EvaluationTimeout as e:  # the program is too slow: the input is at fault
        print(f"error: {e}", file=sys.stderr)
        return 2
    except WorkerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def as_shown(record, run: int | None):
    """What the window would show of the record (the worker made it for `run`, 1-based;
    None: the last): one run's graph and steps (`gui.model.runs.shown_record`), so that
    --step, a .gif, a handout and a .json show one run, not the first few and the last
    mixed. A run past the program's last is its last (said on stderr)."""
    from gui.model.runs import shown_record  # plain Python, no Qt

    made = len(record.runs)
    if run is not None and run > made:
        times = "once" if made == 1 else f"{made} times"
        said = (f"calls backward() {times}: --run {run} shows the last" if made else
                "never calls backward(): --run has no run to show")  # fmt: skip
        print(f"note: the program {said}", file=sys.stderr)
    return shown_record(record, None if run is None else run - 1)


def no_picture(record) -> int:
    """Say that no picture could be made, and why: Graphviz could not lay the graph out (the
    program ran; a .json export still has everything else). 2 if the graph is past the
    layout caps (the input is too big), else 1."""
    from core.record.layout import refusal

    print(f"error: no picture could be laid out: {record.layout_error}", file=sys.stderr)
    print("The program ran: --export OUT.json writes its whole record.", file=sys.stderr)
    return 2 if refusal(record) is not None else 1


def needs_chain_rule(suffix: str, handout: bool) -> bool:
    """Whether an export shows the chain-rule lines (the record whole, a handout's pages):
    a picture or DOT text of the graph doesn't, and is made sooner without them."""
    return suffix in (".json", ".gif") or (handout and suffix == ".pdf")


def write(record, out: Path, args: argparse.Namespace) -> int:
    from gui.model.playback import Playback  # the window's frames (plain Python, no Qt)

    shown = Playback(record).state(args.step) if args.step is not None else record
    suffix = out.suffix.lower()
    try:
        if suffix == ".json":
            out.write_text(record.to_json(), encoding="utf-8")
        elif suffix == ".dot":
            from core.record.dot import to_dot

            out.write_text(to_dot(shown, show_values=not args.no_values), encoding="utf-8")
        elif suffix == ".gif" or args.handout and suffix == ".pdf":
            from gui.export.handout import write_handout

            write_handout(record, out, args.frame_ms, show_values=not args.no_values,
                          progress=terminal_progress(out))  # fmt: skip
        else:
            from gui.graph.render import export_picture, slide_scale

            scale = args.scale if args.scale is not None else slide_scale(shown)
            used = export_picture(shown, out, scale=scale, step=args.step)
            if args.scale is not None and used < args.scale * 0.999:
                print(
                    f"note: {out.name} is drawn at {used:.2f}x, not {args.scale:g}x, to stay "
                    "under 64 megapixels; SVG and PDF keep every detail",
                    file=sys.stderr,
                )
    except (OSError, ValueError) as e:  # ValueError: e.g. --frame-ms 0
        print(f"error: can't write {out}: {e}", file=sys.stderr)
        return 1
    return 0


def _pointer(source: str, error) -> str:
    """The error's line, and a caret under its column (lines split as Python splits them;
    a long line shown around the column)."""
    from core.record.language import excerpt, source_lines

    lines = source_lines(source)
    if not 1 <= error.line <= len(lines):
        return ""
    text, col = excerpt(lines[error.line - 1], error.col)
    return f"  {error.line} | {text}\n  {' ' * len(str(error.line))} | {' ' * (col - 1)}^"


def terminal_progress(out: Path):  # a Progress, or None
    """Progress on a terminal ("h.pdf: page 3 of 20", rewritten in place); nothing when
    stderr is not a terminal (a script, a pipe, a log)."""
    if not sys.stderr.isatty():
        return None
    unit = "frame" if out.suffix.lower() == ".gif" else "page"

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{out.name}: {unit} {done} of {total}", end=end, file=sys.stderr, flush=True)

    return show


def has_display() -> bool:
    """Whether Qt can open a window: always on Windows and macOS; on Linux and the BSDs an X
    or Wayland display, or a Qt platform chosen by hand (offscreen, vnc, ...)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    from core.process.client import WORKER_FLAG

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [WORKER_FLAG]:  # hidden: a bundled app (no python) starts its workers so
        from core.process.server import main as serve

        serve(argv[1:])
        return 0
    args = parse_args(argv)
    if args.install_desktop or args.uninstall_desktop:
        from gui.desktop.install import main as desktop

        return desktop(["install" if args.install_desktop else "uninstall"])
    from core.process.torch_build import installed_problem

    wrong_torch = installed_problem()
    if wrong_torch:
        print(f"error: {wrong_torch}", file=sys.stderr)
        return 1
    if args.export:
        return export(args)
    if not has_display():
        print("error: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are "
              "unset); --export OUT works without one", file=sys.stderr)  # fmt: skip
        return 1
    from gui.window.app import run_app

    return run_app(args.file)


if __name__ == "__main__":
    sys.exit(main())
