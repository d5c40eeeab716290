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
from gui.model.i18n import translate


def outside_note(record: GraphRecord) -> str:
    """The sentence, or "" when every tensor the program names is in the graph."""
    if record.output is None:
        return ""
    out = record.node(record.output)
    shown = {n.name for n in record.nodes if n.name}
    missing = [name for name in tensor_names(record.source) if name not in shown]
    if not missing or not out.name:
        return ""
    if len(missing) == 1:
        text = translate(
            "Outside",
            "{names} is not in the graph: it shows what {out} is made of "
            "(what backward() from {out} reaches), and {out} doesn't use it.",
        )
        names = missing[0]
    else:
        text = translate(
            "Outside",
            "{names} are not in the graph: it shows what {out} is made "
            "of (what backward() from {out} reaches), and {out} doesn't use them.",
        )
        names = translate("Outside", "{first} and {last}").format(
            first=", ".join(missing[:-1]), last=missing[-1]
        )
    return text.format(names=names, out=out.name)


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
