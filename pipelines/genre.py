"""What kind of page this is, beyond its numbers: the genre signals the verdict model weighs.

Legitimate pages that quote a hotline have a shape of their own (an official notice with its date
and issuing office, a Q&A thread, a news report in its own voice, a traditional-script page with
its annotations), and fake pages borrow their words without their shape (a warning word in the
same line as the number to call, a news agency as a one-line "source"). Each signal here is a
count over the page's structure, never a word list keyed to one site, brand or number.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from pipelines.lexicon import (
    NOTICE_RE,
    NOTICE_WORDS,
    QA_RE,
    QA_WORDS,
    SERVICE_TOPIC_WORDS,
)
from pipelines.padding import Line, lines_with
from pipelines.types import PhoneHit
from pipelines.wordscan import NEWS, WARNINGS, FoldedWords, Words, pinyin_annotations

HEAD_CHARS = 2000
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE = re.compile(r"(?:19|20)\d\d\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.])\s*\d{1,2}")
_GOV_HOST = re.compile(r"(?:^|\.)(?:gov|edu|org|ac)\.(?:cn|hk|tw|mo)$|(?:^|\.)(?:gov|edu)$")
_DIGIT_HOST = re.compile(r"\d{3,}")
_SLUG = re.compile(r"(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{8,}")
# The lexicon's lists as automata (issue 12): the same matches as their regexes.
_NOTICE = FoldedWords(NOTICE_WORDS, NOTICE_RE)
_QA = FoldedWords(QA_WORDS, QA_RE)
_SERVICE_TOPICS = Words(SERVICE_TOPIC_WORDS)


def _lines_with(lines: Sequence[Line], hits: Sequence[PhoneHit]) -> list[Line]:
    """Lines holding at least one phone-number occurrence (hits sorted by start)."""
    return [lines[i] for i in lines_with(lines, hits)]


def genre_signals(
    *,
    original: str,
    visible: str,
    lines: Sequence[Line],
    hits: Sequence[PhoneHit],
    advertised_hits: Sequence[PhoneHit],
    warnings: int,
    host: str,
    title: str = "",
    path: str = "",
    number_lines: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Counts describing the page's genre, read on the simplified view (same offsets as original).

    ``advertised_hits`` are the occurrences of advertised numbers; ``warnings`` counts warning
    words in the page's own text (without a pasted article, which speaks in another voice);
    ``number_lines``: :func:`lines_with` of ``lines`` and ``hits`` when already known.
    """
    # Structure is read where the labelled excerpts have it: the page's first characters.
    head = visible[:HEAD_CHARS]
    if visible is original:
        changed, cjk = 0, 1
    else:
        # A traditional-script page converted to simplified: the characters that changed.
        cjk = len(_CJK.findall(visible[:4000])) or 1
        changed = sum(1 for a, b in zip(original[:4000], visible[:4000], strict=False) if a != b)
    # A converter that annotates every uncommon character gives many distinct ones; a page
    # glossing its own term (a place name, a hospital's name) repeats a few.
    pinyin_distinct = len({m[0] for m in pinyin_annotations(head)})
    ad_lines = _lines_with(lines, advertised_hits)
    ad_text = "\n".join(ln.text for ln in ad_lines)
    warn_ad = len(WARNINGS.findall(ad_text))
    warn_all = warnings
    # News vocabulary in a body sentence is a report; in a short line it is a borrowed byline.
    news_body = news_short = 0
    starts = [ln.start for ln in lines]
    for at in NEWS.starts(head):
        i = bisect_right(starts, at) - 1
        if i >= 0 and len(lines[i].text) >= 40:
            news_body += 1
        else:
            news_short += 1
    host = host.lower().split(":", 1)[0]
    return {
        "trad_ratio": changed / cjk,
        "pinyin_distinct": pinyin_distinct,
        "warning_with_number": warn_ad,
        "warning_elsewhere": max(0, warn_all - warn_ad),
        "news_body": news_body,
        "news_short": news_short,
        "notice_markers": len(set(_NOTICE.findall(head))),
        "qa_markers": len(_QA.findall(head)),
        "service_topics": len(set(_SERVICE_TOPICS.findall(head))),
        "service_topic_title": len(set(_SERVICE_TOPICS.findall(title))),
        # Every date starts with 19 or 20, every question mark is one of two.
        "dates": len(_DATE.findall(head)) if "19" in head or "20" in head else 0,
        "questions": head.count("?") + head.count("？"),
        "lines": len(lines),
        "head_lines": head.count("\n") + 1 if head else 0,
        "number_lines": len(lines_with(lines, hits) if number_lines is None else number_lines),
        "ad_lines": len(ad_lines),
        "official_host": bool(_GOV_HOST.search(host)),
        "digit_host": bool(_DIGIT_HOST.search(host)),
        "random_slug": bool(_SLUG.search(path)),
        "host_labels": host.count(".") + 1 if host else 0,
    }


def claim_text(
    lines: Sequence[Line], hits: Sequence[PhoneHit], claim: re.Pattern[str], limit: int = 600,
    *, number_lines: Sequence[int] | None = None, claim_lines: Sequence[int] | None = None,
) -> str:
    """The lines that present a number or claim a service, joined, at most ``limit`` characters:
    what the model reads for wording (hashed character n-grams). ``number_lines``: the
    :func:`lines_with` of ``hits``, ``claim_lines``: the indices of the lines ``claim`` matches
    in, when already known."""
    keep = set(lines_with(lines, hits) if number_lines is None else number_lines)
    if claim_lines is None:
        keep.update(i for i, ln in enumerate(lines) if claim.search(ln.text))
    else:
        keep.update(claim_lines)
    out: list[str] = []
    size = 0
    for i in sorted(keep):
        out.append(lines[i].text[:160])
        size += len(out[-1]) + 1
        if size >= limit:
            break
    return "\n".join(out)[:limit]


def lines_at(lines: Sequence[Line], positions: Iterable[int]) -> list[int]:
    """Indices of the lines holding each of ``positions`` (ascending offsets into the lines'
    text; a position between lines is in none), without repeats."""
    starts = [ln.start for ln in lines]
    out: list[int] = []
    for at in positions:
        i = bisect_right(starts, at) - 1
        if i >= 0 and at < lines[i].end and (not out or out[-1] != i):
            out.append(i)
    return out


# A pinyin syllable's shape (initial + final); over-generates a little, which is harmless here.
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|"
    r"ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)")
_WORDS = frozenset(
    "home news shop net web info china city online tech club mall soft game data cloud blog bbs "
    "app tv car auto job edu gov mail link tel best top vip pro hot one go my the fun art life "
    "love star sun world group service repair help health bank pay card book travel trip fly "
    "air hotel house cn hk tw com org".split())
_LABEL = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)  # a crawl reads many pages of each host
def readable_host(host: str) -> float:
    """Share of a host's registrable name (letters only) that reads as pinyin syllables or
    common English words: ``jiadianweixiu`` 1.0, ``qcdbkk`` 0.0. Farms register random names."""
    parts = [p for p in host.lower().split(".") if p and p not in ("www", "m", "wap")]
    if not parts:
        return 1.0
    name = max(parts[:-1] or parts, key=len)  # the longest label but the suffix
    letters = "".join(_LABEL.findall(name))
    if len(letters) < 5:
        return 1.0  # a short acronym (icbc, cctv) says nothing
    n = len(letters)
    best = [0] * (n + 1)  # most letters covered in letters[:i]
    for i in range(1, n + 1):
        best[i] = best[i - 1]
        for j in range(max(0, i - 6), i - 1):
            piece = letters[j:i]
            if piece in _WORDS or _SYLLABLE.fullmatch(piece):
                best[i] = max(best[i], best[j] + len(piece))
    return best[n] / n
