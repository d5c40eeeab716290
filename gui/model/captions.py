"""Plain-language captions for the backward player, the presenter and the handouts.

`caption_for(record, n)` tells what step n of the record's backward did, in one sentence
built from the record alone: "Step 1/6 · MulBackward0 (o) received ∂o/∂o = 1 and passes
0.5 on to SumBackward0". The sentences are the frames' (`gui.model.playback`, the one
playback model); these names stay for the handouts and the tests.
"""

from __future__ import annotations

from core.record.graph import GraphRecord, Value
from gui.model.playback import compact, leaf_of, op_label, playback_of

__all__ = ["caption_for", "compact", "describe_step", "leaf_of", "op_label"]


def caption_for(record: GraphRecord | None, step: int, hints: bool = True) -> str:
    """One sentence about the state after `step` backward steps (0: before backward);
    `hints` adds what to press (the window), not on paper (handouts)."""
    if record is None:
        return ""
    return playback_of(record).caption(step, hints)


ROOM_SAMPLE = 64  # the captions a playback's caption keeps room for are picked among
ROOM_STEPS = 2_000  # a longer playback keeps no room (its graph is a summary or scrolls)


def captions_to_fit(record: GraphRecord | None) -> list[str]:
    """The captions a playback's caption keeps room for (`WrappedCaption.reserve`): every
    step's, or, past ROOM_SAMPLE steps, as many spread evenly from the first to the last
    (captioning a 10,000-step playback whole took the window a quarter of a second); none
    past ROOM_STEPS steps."""
    if record is None or len(record.backward) > ROOM_STEPS:
        return []  # (a big graph's captions cost its window a stall to write: ~60 ms)
    count = len(record.backward) + 1
    if count <= ROOM_SAMPLE:
        return [caption_for(record, n) for n in range(count)]
    steps = {round(i * (count - 1) / (ROOM_SAMPLE - 1)) for i in range(ROOM_SAMPLE)}
    return [caption_for(record, n) for n in sorted(steps)]


def describe_step(record: GraphRecord, step: int) -> str:
    """What the `step`th backward step (1-based) received and passed on, in words."""
    return playback_of(record).describe_step(step)


def _grad_before(record: GraphRecord, step: int, accumulate_id: str) -> Value:
    return playback_of(record).grad_before(step, accumulate_id)
