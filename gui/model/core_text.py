"""core's sentences in the user's language.

core (no Qt) writes its messages in English and marks the ones a student meets first as
templates (`core.record.wording`: the lessons' Why lines, the safe mode's common refusals,
why the graph has no layout). `core_text` finds the template a message was made from,
translates it (context "core") and fills it with the same values, themselves translated
when they are core's sentences too ("{message} Did you mean '{name}'?"). A message no
template makes (PyTorch's or Python's own words) is returned as it is.
"""

from __future__ import annotations

import re
from functools import cache

from core.record import layout, lessons, refusals, wording
from gui.model.i18n import translate

MODULES = (lessons, layout, refusals)  # every core.record module that marks templates
NUMBERS = {"count", "cap", "limit", "seconds", "line", "col"}  # placeholders holding a number


def core_text(text: str) -> str:
    """`text` in the user's language if it is one of core's sentences, else as it is."""
    if not text:
        return text
    for template, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            values = {k: v if k in NUMBERS else core_text(v) for k, v in found.groupdict().items()}
            return translate(wording.CONTEXT, template).format(**values)
    return text


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(template, its regular expression), the most specific (most fixed text) first."""
    found = []
    for template in wording.TEMPLATES:
        parts = re.split(r"\{(\w+)\}", template)
        regex, named = "", set()
        for i, part in enumerate(parts):
            if i % 2 == 0:
                regex += re.escape(part)
            elif part in named:  # the same value again ("pip install {name}")
                regex += f"(?P={part})"
            else:
                named.add(part)
                what = r"[\d.,]+" if part in NUMBERS else ".*?" if part == "message" else ".+?"
                regex += f"(?P<{part}>{what})"
        fixed = sum(len(p) for p in parts[::2])
        found.append((fixed, template, re.compile(regex, re.DOTALL)))
    found.sort(key=lambda f: -f[0])
    return [(template, pattern) for _, template, pattern in found]
