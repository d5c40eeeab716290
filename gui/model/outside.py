"""Why some of a program's tensors are not in its graph, in one sentence for the player.

The graph is what autograd reaches from one tensor (the one backward() ran from, else the
last result that requires grad), as torchviz draws it: the lesson's first lines make `a`,
`b` and `plain`, which `o` never uses, so they are not drawn. Said plainly when it happens:
"a, plain and b are not in the graph: it shows what o is made of, and o doesn't use them."
Plain Python over the record and its text (no Qt, no torch).
"""

from __future__ import annotations

import ast

from core.record.graph import GraphRecord
from core.record.language import without_jupyter_lines
from gui.model.i18n import QT_TRANSLATE_NOOP, translate


def outside_note(record: GraphRecord) -> str:
    """The sentences, or "" when every tensor the program names is in the graph. Only
    names that hold data at the end of the run are named (`record.data_tensors`: not
    makemore's generator `g`, nor its `ix`, a tensor of random rows used only to pick a
    batch). A tensor the graph used that doesn't require grad (`record.constants_used`: a
    polynomial fit's x and y) is said to be used, one whose use the run couldn't follow
    (`record.constants_unfollowed`) only not to need a node, the others not to be used."""
    if record.output is None:
        return ""
    out = record.node(record.output)
    shown = {n.name for n in record.nodes if n.name}  # (drawn constants too)
    data = record.data_tensors  # (what the names hold at the end: the run knows)
    missing = [
        name for name in tensor_names(record.source)
        if name not in shown and (data is None or name in data)
    ]  # fmt: skip
    if not missing or not out.name:
        return ""
    used = [name for name in missing if name in record.constants_used]
    unknown = [name for name in missing if name in record.constants_unfollowed]
    unused = [name for name in missing if name not in used and name not in unknown]
    said = []
    if used:
        said.append(_sentence(used, _USED).format(names=_names(used), out=out.name))
    if unknown:
        said.append(_sentence(unknown, _NO_NODE).format(names=_names(unknown), out=out.name))
    if unused:
        said.append(_sentence(unused, _UNUSED).format(names=_names(unused), out=out.name))
    return " ".join(said)


def _sentence(names: list[str], which: tuple[str, str]) -> str:
    return translate("Outside", which[0] if len(names) == 1 else which[1])


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return translate("Outside", "{first} and {last}").format(
        first=", ".join(names[:-1]), last=names[-1]
    )


# (the texts are marked where they are written, for lupdate: translated in _sentence)
_USED = (
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} is used by {out} but doesn't require grad, so autograd keeps no node "
        "for it (View → Show Constants draws it).",
    ),
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} are used by {out} but don't require grad, so autograd keeps no node "
        "for them (View → Show Constants draws them).",
    ),
)
_NO_NODE = (
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} is not in the graph: it doesn't require grad, so autograd keeps no node for it.",
    ),
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} are not in the graph: they don't require grad, so autograd keeps no "
        "node for them.",
    ),
)
_UNUSED = (
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} is not in the graph: it shows what {out} is made of "
        "(what backward() from {out} reaches), and {out} doesn't use it.",
    ),
    QT_TRANSLATE_NOOP(
        "Outside",
        "{names} are not in the graph: it shows what {out} is made "
        "of (what backward() from {out} reaches), and {out} doesn't use them.",
    ),
)


def tensor_names(source: str) -> list[str]:
    """Names the program assigns a torch call's result to, at the top level, in order."""
    try:
        tree = ast.parse(without_jupyter_lines(source))
    except (SyntaxError, ValueError):
        return []
    found: list[str] = []
    for statement in tree.body:
        if not isinstance(statement, ast.Assign) or not _calls_torch(statement.value):
            continue
        for target in statement.targets:
            if isinstance(target, ast.Name) and target.id not in found:
                found.append(target.id)
    return found


def _calls_torch(node: ast.AST) -> bool:
    for part in ast.walk(node):
        if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute):
            root = part.func.value
            if isinstance(root, ast.Name) and root.id == "torch":
                return True
    return False
