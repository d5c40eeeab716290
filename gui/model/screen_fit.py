"""The window's size and place on the screen it opens on, in plain numbers (no Qt).

The window asks for 1280×800 at first start; a 1366×768 laptop has about 1366×730 for
windows (its panel takes the rest) and the window's title bar takes ~30 px of that, so
the window is made as large as it asked for where that fits, and no larger than the
screen's available area (less its frame) where it doesn't. A geometry restored from a
bigger monitor is brought back the same way.
"""

from __future__ import annotations

Size = tuple[int, int]
Rect = tuple[int, int, int, int]  # x, y, width, height

DEFAULT_SIZE: Size = (1280, 800)
FRAME_GUESS: Size = (0, 40)  # a title bar, before the window manager has said how big


def fitted_size(wanted: Size, available: Size, frame: Size = (0, 0), least: Size = (0, 0)) -> Size:
    """The window's size (without its frame): `wanted`, or less where the screen's
    `available` area can't hold it with its `frame` (what the title bar and borders add),
    but never below `least` (the window's own minimum: it can't be smaller)."""
    return (
        max(least[0], min(wanted[0], available[0] - frame[0])),
        max(least[1], min(wanted[1], available[1] - frame[1])),
    )


def fitted_place(frame: Rect, available: Rect) -> tuple[int, int]:
    """Where the window's frame goes (its top left) so that as much of it as can be is
    in the `available` area: moved in from an edge it crosses, its top left kept seen."""
    x, y, width, height = frame
    ax, ay, aw, ah = available
    x = max(ax, min(x, ax + aw - width))
    y = max(ay, min(y, ay + ah - height))
    return x, y


def fits(frame: Rect, available: Rect) -> bool:
    """Whether the whole frame is inside the available area."""
    x, y, width, height = frame
    ax, ay, aw, ah = available
    return ax <= x and ay <= y and x + width <= ax + aw and y + height <= ay + ah
