"""A program's backward() calls ("runs"), as the window shows them: which run the graph is
of, the steps the player plays, and each run's value in words.

A record lists every run the program made (`GraphRecord.runs`: the output's value when it
is one number, e.g. a training step's loss) but carries the steps of only a few of them
(a lesson's two or three; of a training loop, the first few and the last, plus the run
asked for with the worker's option `run=k`). Its graph is the last run's, or run k's.

The player plays the shown run's steps. When every run is in the record, none was asked
for and each ran through the graph shown (a lesson calling backward() two or three times
on one graph), it plays them all, one after the other, as it always has. Pure Python over
records (no Qt).
"""

from __future__ import annotations

import math
from dataclasses import replace

from core.record.graph import GraphRecord, RunSummary
from gui.model.i18n import translate

VALUE_DIGITS = 4  # significant digits of a run's value in the window ("loss 11.41")


def has_runs(record: GraphRecord | None) -> bool:
    """Whether the record's program called backward() more than once (the runs strip shows)."""
    return record is not None and len(record.runs) > 1


def shown_run(record: GraphRecord, requested: int | None) -> int | None:
    """The run whose graph the record shows: the one asked for, if the program made it,
    else the last; None if the program made none."""
    if not record.runs:
        return None
    last = record.runs[-1].run
    return requested if requested is not None and 0 <= requested <= last else last


def requested_run(record: GraphRecord, run: int | None) -> int | None:
    """The run of `record`'s program to ask for and play, as the window settles it: `run`
    (0 = the first), or None (the last, as the program ends) when `run` is None, the last
    run or past it, or the program made fewer than two runs."""
    if run is None or not has_runs(record) or run >= record.runs[-1].run:
        return None
    return max(0, run)


def shown_record(record: GraphRecord, run: int | None) -> GraphRecord:
    """What the window shows, plays and exports of `record`, made with the worker's option
    `run=run` (None: without it): `for_player` of the run `requested_run` settles on. The
    command line's exports use it too, so they show what the window would."""
    return for_player(record, requested_run(record, run))


def plays_one_run(record: GraphRecord, requested: int | None) -> bool:
    """Whether the player plays only the shown run's steps: a run was asked for, the
    record leaves some run's steps out (a training loop), or some run's graph is not the
    one shown (a short loop, where each run builds its own: only that run's AccumulateGrad
    steps would play, between the runs the program's zero_grad() unseen). A lesson whose
    backward() calls run through the graph shown plays every run."""
    if len(record.runs) < 2:
        return False
    if requested is not None or not all(r.detailed for r in record.runs):
        return True
    return bool(runs_elsewhere(record))


def runs_elsewhere(record: GraphRecord) -> frozenset[int]:
    """The runs whose steps in the record are only leaves' AccumulateGrad nodes while
    another run's go through the graph's ops: each ran through a graph of its own (a
    training loop's earlier runs), not the one shown."""
    ops = {n.id for n in record.nodes if n.kind == "op" and n.op != "AccumulateGrad"}
    runs = {s.run for s in record.backward}
    through = {s.run for s in record.backward if s.node in ops}
    return frozenset(runs - through) if through else frozenset()


def for_player(record: GraphRecord, requested: int | None) -> GraphRecord:
    """The record with only the shown run's steps when the player plays one run (and its
    runs saying so: only that run is `detailed`); else the record itself. Applying it to
    its own result changes nothing."""
    if not plays_one_run(record, requested):
        return record
    run = shown_run(record, requested)
    steps = tuple(s for s in record.backward if s.run == run)
    runs = tuple(r if r.detailed == (r.run == run) else replace(r, detailed=r.run == run)
                 for r in record.runs)  # fmt: skip
    if len(steps) == len(record.backward) and runs == record.runs:
        return record
    return replace(record, backward=steps, runs=runs)


def number(value: float | str | None) -> float | None:
    """A run's value as a finite number to plot, or None (no single value, nan, ±inf)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def value_text(value: float | str | None, digits: int = VALUE_DIGITS) -> str:
    """A run's value as the window writes it: 11.41, 2.158e+05, nan, inf; "" for none."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value:.{digits}g}"


def range_texts(low: float, high: float) -> tuple[str, str]:
    """The largest and smallest of some values, written so that they differ where they do
    (0.6819 and 0.6819 for 0.68194 and 0.68187: more digits, up to 9); the same value
    twice is written once (the top), the bottom left empty."""
    if low == high:
        return value_text(high), ""
    for digits in range(VALUE_DIGITS, 10):
        top, bottom = value_text(high, digits), value_text(low, digits)
        if top != bottom:
            return top, bottom
    return top, bottom


def output_name(record: GraphRecord) -> str:
    """What the runs' values are called: the output's name ("loss"), else "value"."""
    if record.output:
        try:
            name = record.node(record.output).name
        except KeyError:
            name = None
        if name:
            return name
    return translate("Runs", "value")


def run_label(record: GraphRecord, run: int) -> str:
    """ "Run 2000 of 2000 — loss 11.41" (1-based, as the captions count backward calls)."""
    summary = summary_of(record, run)
    text = value_text(summary.value) if summary is not None else ""
    if text:
        return translate("Runs", "Run {run} of {count} — {name} {value}").format(
            run=run + 1, count=len(record.runs), name=output_name(record), value=text
        )
    return translate("Runs", "Run {run} of {count}").format(run=run + 1, count=len(record.runs))


def summary_of(record: GraphRecord, run: int) -> RunSummary | None:
    runs = record.runs
    if 0 <= run < len(runs) and runs[run].run == run:
        return runs[run]
    return next((r for r in runs if r.run == run), None)
