"""Colours for the graph: torchviz's node fills, plus the backward player's states.

A theme is plain data (hex strings), so it can be compared, listed in a menu and passed
to the renderer without Qt. `fill_for` picks a node's fill as torchviz's `make_dot` does.

Every text a theme draws is readable: `text_pairs` lists each text colour with each
background it is drawn on, and each pair meets WCAG AA (`contrast` 4.5:1 or more; a test
holds every theme to it). The "system" choice (`THEME_CHOICES`) is not a theme: the window
resolves it to light or dark as the OS is set.
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
    faded_text: str = "#5e5e5e"  # text in a not-yet-reached node (4.5:1 on faded fills)
    constant_text: str = "#595959"  # text in a constant's box (on `constant`, never faded)
    fade: float = 0.6  # how far it fades (0: not at all, 1: entirely)
    running: str = "#d62728"  # the node backward is running now: outline and glow
    done: str = "#1f4e99"  # outline of a node backward has finished with
    gradient: str = "#d62728"  # edges that carry a gradient at this step, and their labels
    label_back: str = "#ffffff"  # behind an edge's gradient label
    label_text: str = ""  # the gradient label's text ("": the `gradient` colour)
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

    def label_colour(self) -> str:
        """The colour of an edge's gradient label text."""
        return self.label_text or self.gradient


LIGHT = Theme(name="light", background="#ffffff", text="#000000", border="#000000", edge="#000000")

DARK = Theme(
    name="dark",
    background="#1e1f22",
    text="#000000",
    border="#0b0b0b",
    edge="#c9ccd1",
    not_reached="#1e1f22",
    faded_text="#c0c4ca",  # 4.5:1 on every fill faded toward the dark background
    fade=0.8,
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
    label_text="#a34700",  # Okabe-Ito's vermilion, darkened to 6:1 on white for text
    highlight="#cc79a7",
    selected="#0072b2",
    border_width=1.5,
    edge_width=1.6,
)

THEMES = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}
SYSTEM = "system"  # follows the OS: light or dark (the window resolves it)
THEME_CHOICES = (*THEMES, SYSTEM)  # what the View → Theme menu and Preferences offer
AA_CONTRAST = 4.5  # WCAG 2.1 AA, for normal-size text


def contrast(a: str, b: str) -> float:
    """WCAG 2.1's contrast ratio of two "#rrggbb" colours (1 to 21)."""

    def luminance(colour: str) -> float:
        def channel(i: int) -> float:
            c = int(colour[i : i + 2], 16) / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mix_hex(colour: str, toward: str, amount: float) -> str:
    """`colour` moved `amount` of the way to `toward`, as the scene fades boxes."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(toward[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def text_pairs(theme: Theme) -> list[tuple[str, str, str]]:
    """(what, text colour, background) for every text the graph draws in this theme:
    box text on each fill, faded text on each faded fill, a constant's text on its box,
    a gradient's label on its back."""
    fills = {
        "leaf": theme.leaf, "output": theme.output, "view base": theme.base,
        "saved": theme.saved, "op": theme.op,
    }  # fmt: skip
    pairs = [(f"text on a {k} box", theme.text, fill) for k, fill in fills.items()]
    pairs += [
        (f"text on a not-reached {k} box", theme.faded_text,
         mix_hex(fill, theme.not_reached, theme.fade))
        for k, fill in fills.items()
    ]  # fmt: skip
    pairs.append(("a constant's text", theme.constant_text, theme.constant))
    pairs.append(("a gradient's label", theme.label_colour(), theme.label_back))
    return pairs


def theme_named(name: str) -> Theme:
    """The theme with this name ("light", "dark", "high contrast"); KeyError if none
    ("system" is resolved by the window first)."""
    return THEMES[name]
