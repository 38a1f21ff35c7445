"""Cut a page's text into runs that each carry their marks: padding kinds and a phone number.

The page view shows the analysed text once, with every padding span (character offsets stored
in ``padding_segments``) and every phone-number occurrence marked. Spans may nest or overlap,
so the text is cut at every span boundary and each run lists the marks covering it. Runs are
plain data; the template escapes the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pipelines.phones import find_phone_hits
from pipelines.types import PADDING_KINDS


@dataclass(frozen=True)
class Run:
    """A stretch of text and what covers it (``kinds`` are padding kinds, in a fixed order)."""

    text: str
    kinds: tuple[str, ...] = ()
    number: str = ""

    @property
    def css(self) -> str:
        """CSS classes built only from known names, never from stored data."""
        names = [f"pad-{k}" for k in self.kinds]
        if self.number:
            names.append("num")
        return " ".join(names)


def runs(text: str, padding: Iterable[dict[str, Any]],
         numbers: Sequence[tuple[int, int, str]] = ()) -> list[Run]:
    """``text`` cut at every boundary of ``padding`` (dicts with kind/start/end) and
    ``numbers`` (start, end, e164). Unknown kinds and out-of-range spans are ignored."""
    n = len(text)
    spans: list[tuple[int, int, str, str]] = []
    for seg in padding:
        start, end = max(0, int(seg["start"])), min(n, int(seg["end"]))
        if seg["kind"] in PADDING_KINDS and start < end:
            spans.append((start, end, seg["kind"], ""))
    for start, end, e164 in numbers:
        start, end = max(0, start), min(n, end)
        if start < end:
            spans.append((start, end, "", e164))
    cuts = sorted({0, n, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    spans.sort()
    active: list[tuple[int, int, str, str]] = []
    nxt = 0
    out: list[Run] = []
    for a, b in pairwise(cuts):  # a sweep: spans start and end only at cuts
        while nxt < len(spans) and spans[nxt][0] <= a:
            active.append(spans[nxt])
            nxt += 1
        active = [s for s in active if s[1] > a]
        kinds = tuple(k for k in PADDING_KINDS if any(s[2] == k for s in active))
        number = next((s[3] for s in active if s[3]), "")
        if out and out[-1].kinds == kinds and out[-1].number == number and not number:
            out[-1] = Run(out[-1].text + text[a:b], kinds)
        else:
            out.append(Run(text[a:b], kinds, number))
    return out


def number_spans(text: str, known: Iterable[str]) -> list[tuple[int, int, str]]:
    """Occurrences of the page's stored numbers in its text, found again by the engine's own
    phone finder: only for pages stored before their occurrence spans were (``pages.spans``)."""
    wanted = set(known)
    # The page's numbering plan shows in its stored numbers (+852 on a Hong Kong page, ...).
    region = next((r for code, r in (("+852", "HK"), ("+886", "TW"), ("+853", "MO"))
                   if any(k.startswith(code) for k in wanted)), "CN")
    return [(h.start, h.end, h.e164) for h in find_phone_hits(text, region_hint=region)
            if h.e164 in wanted]
