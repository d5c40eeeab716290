"""Colours for the graph: torchviz's node fills, plus the backward player's states.

A theme is plain data (hex strings), so it can be compared, listed in a menu and passed
to the renderer without Qt. `fill_for` picks a node's fill as torchviz's `make_dot` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.record.graph import Node

# torchviz / Graphviz (X11) colour names, by hex
LIGHTBLUE = "#add8e6"  # leaf tensors
DARKOLIVEGREEN1 = "#caff70"  # the output tensor
DARKOLIVEGREEN3 = "#a2cd5a"  # a view's base tensor
ORANGE = "#ffa500"  # saved tensors
LIGHTGREY = "#d3d3d3"  # autograd ops (Graphviz's default fill for style=filled)


@dataclass(frozen=True, slots=True)
class Theme:
    """Every colour the graph is drawn with (hex "#rrggbb"), and two line widths."""

    name: str
    background: str
    text: str  # text inside boxes (boxes stay light in every theme)
    border: str  # box outlines
    edge: str
    leaf: str = LIGHTBLUE
    output: str = DARKOLIVEGREEN1
    base: str = DARKOLIVEGREEN3
    saved: str = ORANGE
    op: str = LIGHTGREY
    constant: str = "#f4f4f4"  # constants beside the graph (5, 1/2, detached tensors): dimmed
    not_reached: str = "#ffffff"  # what a not-yet-reached node fades toward
    faded_text: str = "#8c8c8c"  # text in a not-yet-reached node
    fade: float = 0.6  # how far it fades (0: not at all, 1: entirely)
    running: str = "#d62728"  # the node backward is running now: outline and glow
    done: str = "#1f4e99"  # outline of a node backward has finished with
    gradient: str = "#d62728"  # edges that carry a gradient at this step, and their labels
    label_back: str = "#ffffff"  # behind an edge's gradient label
    highlight: str = "#ffbf00"  # nodes made by the editor's cursor line
    selected: str = "#0a84ff"  # the inspected node
    border_width: float = 1.0
    edge_width: float = 1.0

    def fill_for(self, node: Node) -> str:
        """torchviz's fill for this node: leaf / output / view base / saved / op."""
        if node.kind == "saved":
            return self.saved
        if node.kind == "tensor":
            roles = {"output": self.output, "base": self.base, "constant": self.constant}
            return roles.get(node.role or "", self.leaf)
        return self.op


LIGHT = Theme(name="light", background="#ffffff", text="#000000", border="#000000", edge="#000000")

DARK = Theme(
    name="dark",
    background="#1e1f22",
    text="#000000",
    border="#0b0b0b",
    edge="#c9ccd1",
    not_reached="#1e1f22",
    faded_text="#a3a7ae",
    fade=0.7,
    running="#ff5c5c",
    done="#7fb2ff",
    gradient="#ff7b72",
    label_back="#2b2d31",
    highlight="#ffd54a",
    selected="#4da3ff",
)

# Okabe & Ito's palette: tells apart under the common colour-vision deficiencies, and
# every fill keeps black text above WCAG's 4.5:1 contrast. The output is yellow, not
# torchviz's green: Okabe-Ito's bluish green and sky blue (the leaves) look alike to
# tritanopes (checked by simulation in tests/gui/test_presenter.py).
HIGH_CONTRAST = Theme(
    name="high contrast",
    background="#ffffff",
    text="#000000",
    border="#000000",
    edge="#000000",
    leaf="#56b4e9",
    output="#f0e442",
    base="#009e73",
    saved="#e69f00",
    op="#dddddd",
    faded_text="#5e5e5e",  # 4.5:1 or more on every faded fill
    fade=0.75,
    running="#d55e00",
    done="#0072b2",
    gradient="#d55e00",
    highlight="#cc79a7",
    selected="#0072b2",
    border_width=1.5,
    edge_width=1.6,
)

THEMES = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}


def theme_named(name: str) -> Theme:
    """The theme with this name ("light", "dark", "high contrast"); KeyError if none."""
    return THEMES[name]
