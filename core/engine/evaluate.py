"""One evaluation, start to end: check, run, record backward, capture the graph.

`run_program` is the in-process entry point (the worker calls it; tests call it directly
to compare the record with the live torch objects it came from). With `chain_rule=False`
the record comes without the chain-rule lines (`options["chain_rule_pending"]`), sooner;
`Evaluation.explain()` works them out afterwards (the worker does so on request, once the
graph is on screen).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

import torch

from core.engine.capture import GraphBuilder
from core.engine.check_by_hand import hand_check
from core.engine.interpreter import Interpreter
from core.engine.limits import Limits
from core.engine.namespace import forget_classes
from core.engine.recorder import DETAILED_RUNS, BackwardRecorder, reads_data
from core.engine.sibling_modules import importing_beside, naming_sibling
from core.engine.values import start_record
from core.record import refusals
from core.record.graph import CHAIN_RULE_PENDING as PENDING
from core.record.graph import BackwardStep, GraphRecord, RunSummary, Span
from core.record.language import ProgramError
from core.record.wording import said


@dataclass
class Evaluation:
    """The record, plus the live objects it describes (for tests and the worker only)."""

    record: GraphRecord
    variables: dict[str, Any]
    objects: dict[str, Any]  # record node id -> torch Tensor or autograd Node
    output: torch.Tensor | None
    builder: GraphBuilder | None = field(default=None, repr=False)
    rerun: dict[str, Any] = field(default_factory=dict, repr=False)  # run_program's arguments

    def explain(self) -> tuple[BackwardStep, ...]:
        """The record's backward steps with their chain-rule lines. A tensor the chain rule
        needed that the program changed in place after backward() (beyond the leaves,
        which the recorder copies) makes this run the program again, explaining at once."""
        if not self.record.chain_rule_pending or self.builder is None:
            return self.record.backward
        if self.builder.recorder.explain_pending():
            steps = self.builder.steps(chain=True)
        else:
            steps = run_program(**self.rerun, chain_rule=True).record.backward
            if [(s.run, s.node) for s in steps] != [(s.run, s.node) for s in self.record.backward]:
                raise RuntimeError("the program's backward() ran differently the second time")
        self.builder = None  # the torch objects it kept can go now
        return steps


def run_program(
    source: str, *, show_saved: bool = False, show_attrs: bool = False,
    limits: Limits | None = None, check: bool = False, show_constants: bool = False,
    retain_grad: Collection[Span] = (), chain_rule: bool = True, trusted: bool = False,
    run: int | None = None, retain_graph: bool = False, script_folder: str | None = None,
) -> Evaluation:  # fmt: skip
    """Evaluate a program and record its graph; raises ProgramError for the user's mistakes.
    `check`: add "check by hand" (finite differences, `core.engine.check_by_hand`).
    `show_constants` adds the constants torchviz leaves out (dimmed nodes, and edges where
    detach() or no_grad cut the graph); `retain_grad` lists the spans of tensors to call
    retain_grad() on as they are made; `chain_rule=False`: leave the chain-rule lines for
    `Evaluation.explain()`; `trusted`: run it as plain Python (the user said yes); `run`:
    show the graph and steps of that backward() call (0 = the first; default: the last);
    `retain_graph`: every backward() keeps its graph (retain_graph=True), so that one more
    backward() from the output, added after the program (Backward Again), can run;
    `script_folder`: the folder of the program's file (None: it has none), where a trusted
    program imports the modules beside it from, as `python prog.py` does, for this run
    only (`core.engine.sibling_modules`); the safe mode's refusal to import one names it."""
    forget_classes()  # the last program's classes (and the objects they kept) can go
    start_record()  # the values of this evaluation's record share one budget of numbers
    recorder = BackwardRecorder(keep_saved=show_saved or show_attrs, explain_now=chain_rule,
                                wanted=frozenset(() if run is None else (run,)))  # fmt: skip
    with importing_beside(script_folder if trusted else None, source) as notes:
        try:
            interp = Interpreter(
                source, recorder.backward, limits, retain=retain_grad, on_grad=recorder.grad,
                constants=show_constants, trusted=trusted, notes=notes,
            )  # fmt: skip
        except ProgramError as e:  # a refusal: of `import utils`, it names utils.py
            raise e if trusted else naming_sibling(e, script_folder) from None
        recorder.copy_leaves = reads_data(interp.tree)
        interp.on_backward, interp.on_grad = bounded_runs(interp, recorder, run, retain_graph)
        variables = interp.run()
        recorder.finish()
        output = recorder.outputs.get(run) if run is not None else None
        output = output if output is not None else choose_output(recorder, interp)
        builder = GraphBuilder(interp.tracker, recorder, show_saved, show_attrs, source=source,
                               then=recorder.as_of(run))  # fmt: skip
        if output is not None:
            try:
                builder.add_output(output)
            except RuntimeError as e:  # PyTorch refuses to read its graph (see unreadable())
                raise unreadable(output, interp, e) from None
            if show_constants:
                builder.add_constants()
        used, unfollowed = builder.constants_used(output, variables)
        record = GraphRecord(
            source=source,
            output=builder.ids.get(("tensor", id(output))) if output is not None else None,
            nodes=tuple(builder.nodes),
            edges=tuple(builder.edges),
            backward=builder.steps(chain=chain_rule),
            transcript=tuple(interp.transcript),
            options={"show_saved": show_saved, "show_attrs": show_attrs}
            | ({"show_constants": True} if show_constants else {})
            | ({PENDING: True} if not chain_rule and recorder.steps else {}),
            runs=tuple(RunSummary(r, v, recorder.detailed(r)) for r, v in recorder.summaries),
            constants_used=used,
            constants_unfollowed=unfollowed,
            data_tensors=builder.data_tensors(variables),
            changed_after_backward=tuple(builder.changed),
        )
        if check:
            found = hand_check(source, recorder, interp.tracker, builder.ids, limits, trusted)
            record = replace(record, check=found)
        rerun = dict(source=source, show_saved=show_saved, show_attrs=show_attrs, limits=limits,
                     show_constants=show_constants, retain_grad=retain_grad,
                     trusted=trusted, run=run, retain_graph=retain_graph,
                     script_folder=script_folder)  # fmt: skip
        return Evaluation(record, variables, builder.objects, output, builder, rerun)


def bounded_runs(
    interp: Interpreter, recorder: BackwardRecorder, run: int | None, retain: bool = False
) -> tuple[Any, Any]:
    """The recorder's backward() and autograd.grad(), each first letting go of what earlier
    training steps made (once past the runs recorded whole): a 2,000-step loop holds no
    more than a 3-step one. The run asked for (`run`) keeps its tensors. `retain`: each
    backward() keeps its graph, whatever the program said (see `keep_graph`)."""
    tracker = interp.tracker

    def before() -> None:
        runs = recorder.runs
        tracker.epoch = runs
        if runs >= DETAILED_RUNS:
            tracker.forget_before(runs, keep=run)

    def backward(tensor: torch.Tensor, args: tuple, kwargs: dict) -> Any:
        before()
        if retain:
            args, kwargs = keep_graph(args, kwargs)
        try:
            return recorder.backward(tensor, args, kwargs)
        finally:
            tracker.epoch = recorder.runs

    def grad(args: tuple, kwargs: dict) -> Any:
        before()
        try:
            return recorder.grad(args, kwargs)
        finally:
            tracker.epoch = recorder.runs

    return backward, grad


def keep_graph(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """tensor.backward's arguments with retain_graph=True (its second positional one)."""
    if len(args) >= 2:
        return (args[0], True, *args[2:]), kwargs
    return args, {**kwargs, "retain_graph": True}


def unreadable(output: torch.Tensor, interp: Interpreter, error: RuntimeError) -> ProgramError:
    """The error for an output whose autograd graph PyTorch won't read: a view made under
    `torch.no_grad()` whose base was then changed in place. The program ran (nothing read
    the graph), but torchviz, `.grad_fn` and `.backward()` would all raise this."""
    made = interp.tracker.tensors.get(id(output))
    line, col, end_line, end_col = made.span if made else (1, 1, None, None)
    reason = str(error).split(". ")[0]
    if made and made.name:
        why = said(refusals.GRAPH_UNREADABLE, name=f"`{made.name}`", reason=reason)
    else:
        why = said(refusals.OUTPUT_GRAPH_UNREADABLE, reason=reason)
    return ProgramError.saying(why, line, col, end_line, end_col)


def choose_output(recorder: BackwardRecorder, interp: Interpreter) -> torch.Tensor | None:
    """The tensor the last backward() ran from; else the last assigned tensor that
    requires grad; else the last assigned tensor."""
    if recorder.last_tensor is not None:
        return recorder.last_tensor
    made = [m.tensor for m in interp.tracker.tensors.values() if m.name is not None]
    for t in reversed(made):
        if t.requires_grad:
            return t
    return interp.tracker.last_assigned
