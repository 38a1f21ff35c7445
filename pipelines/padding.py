"""Padding: text that is on the page to fill it, not to inform.

Four kinds, each a character span into the analysed text:

- ``region_list``: enumerations of administrative divisions (see :mod:`pipelines.regions`);
- ``filler``: generic service-promise sentences and menus ("专业师傅 快速上门 安心保障");
- ``stuffing``: short keyword-stuffed variants of brand + service phrases without content
  ("<brand>400售后咨询", "<brand>总部400售后维修电话24小时") and hidden keyword text;
- ``scraped_article``: prose unrelated to the page's claimed subject (a news story pasted under a
  hotline page), found by comparing jieba keywords of the hotline part with the rest.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache, partial
from itertools import accumulate, compress
from typing import NamedTuple

from pipelines.lexicon import CATEGORIES, SERVICE_PROMISE
from pipelines.segment import route_words
from pipelines.types import PaddingSpan, PhoneHit
from pipelines.wordscan import SERVICE_PROMISE_WORDS

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STUFF_WORDS = re.compile(
    r"售后|维修|电话|热线|客服|服务|网点|400|800|24小时|全国|总部|厂家|官方|中心|报修|号码|咨询|预约|上门|受理"
)


class Line(NamedTuple):
    """One non-empty line of the analysed text (a tuple: made in C, a few per page in bulk)."""

    start: int
    end: int
    text: str


_NEW_LINE = partial(tuple.__new__, Line)  # a Line from a (start, end, text) tuple, made in C


def split_lines(text: str) -> list[Line]:
    """The text's non-empty lines with their offsets (what ``[^\\n]+`` matches)."""
    pieces = text.split("\n")
    lengths = list(map(len, pieces))
    # A piece starts after the pieces before it and one newline each; the empty ones are left.
    starts = list(accumulate(map((1).__add__, lengths), initial=0))
    return list(map(_NEW_LINE, compress(
        zip(starts, map(operator.add, starts, lengths), pieces, strict=False), lengths)))


def _coverage(hits: Sequence[PhoneHit]) -> Callable[[int, int], bool]:
    """``covered(start, end)``: does [start, end) overlap a phone hit? ``hits`` are sorted by
    start (as found); the four hits starting last before ``end`` are looked at."""
    if not hits:
        return lambda start, end: False
    starts = [h.start for h in hits]
    ends = [h.end for h in hits]

    def covered(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # hits starting before `end`
        return i > 0 and max(ends[max(0, i - 4) : i]) > start

    return covered


def lines_with(lines: Sequence[Line], hits: Sequence[PhoneHit]) -> list[int]:
    """Indices of the lines a phone-number occurrence overlaps, in order (hits sorted by
    start): a bisection per hit (a page has a few), not a step per line (it has many)."""
    if not hits:
        return []
    ends = [ln.end for ln in lines]
    out: list[int] = []
    for h in hits:
        i = bisect_right(ends, h.start)  # the first line ending after the hit starts
        if out and i <= out[-1]:
            i = out[-1] + 1
        while i < len(lines) and lines[i].start < h.end:
            out.append(i)
            i += 1
    return out


def hit_lines(lines: Sequence[Line], hits: Sequence[PhoneHit]) -> frozenset[int]:
    """Indices of the lines the detectors below take as covered by a phone hit (what
    ``_coverage(hits)`` says of each line), worked out once for all of them. Hits one after
    another (each ending where or after the one before ends: what the phone finder gives) are
    looked up per hit; otherwise each line is asked."""
    ends = [h.end for h in hits]
    if all(map(operator.le, ends, ends[1:])):
        # The last hit starting before a line's end ends last: it covers the line iff one does.
        return frozenset(lines_with(lines, hits))
    covered = _coverage(hits)
    return frozenset(i for i, ln in enumerate(lines) if covered(ln.start, ln.end))


# No service-promise word holds a line or sentence end: the words of a line (or of a sentence)
# are those of one scan of the whole text that fall in it (leftmost-longest matching restarts
# cleanly at a character no word holds).
if any(c in w for w in SERVICE_PROMISE for c in "。！？!?\n"):
    raise RuntimeError("a service-promise word holds a sentence end: find_filler reads them per line")


def find_filler(
    lines: Sequence[Line], hits: Sequence[PhoneHit], brands: Sequence[str], *,
    cues: Sequence[tuple[int, int, str]] | None = None, covered_lines: Collection[int] | None = None,
) -> list[PaddingSpan]:
    """Service-promise sentences, and menus of short service slogans.

    ``cues``: ``SERVICE_PROMISE_WORDS.spans`` of the text the lines are cut from, and
    ``covered_lines``: :func:`hit_lines`, when already known (one scan of the page, not one
    per line).
    """
    if cues is None:
        cues = [(ln.start + s, ln.start + e, w) for ln in lines
                for s, e, w in SERVICE_PROMISE_WORDS.spans(ln.text)]
    spans: list[PaddingSpan] = []
    menu: list[Line] = []
    covered = _coverage(hits)
    on_hit = hit_lines(lines, hits) if covered_lines is None else covered_lines
    at = [c[0] for c in cues]

    def close_menu() -> None:
        if len(menu) >= 4:
            spans.append(PaddingSpan("filler", menu[0].start, menu[-1].end, f"{len(menu)} slogans"))
        menu.clear()

    for k, line in enumerate(lines):
        t = line.text
        n = len(t)
        lo = bisect_left(at, line.start)
        hi = bisect_left(at, line.end, lo)  # the line's cues: cues[lo:hi]
        if n <= 12 and hi > lo and k not in on_hit:
            menu.append(line)
            continue
        if menu and (n > 12 or not t.strip()):
            close_menu()
        # A line's cues are its sentences' (no word holds a sentence end): fewer than four
        # distinct ones, and no sentence of it is filler.
        if n < 16 or hi - lo < 4 or len({c[2] for c in cues[lo:hi]}) < 4:
            continue
        for m in _SENTENCE.finditer(t):
            s = m.group()
            if len(s) < 16:
                continue
            start, end = line.start + m.start(), line.start + m.end()
            first = bisect_left(at, start, lo, hi)
            words = [c[2] for c in cues[first : bisect_left(at, end, first, hi)]]
            distinct = len(set(words))
            if distinct < 4 or sum(map(len, words)) < 0.22 * len(s):
                continue
            if not covered(start, end) and not any(b in s for b in brands):
                spans.append(PaddingSpan("filler", start, end, f"{distinct} service-promise words"))
    close_menu()
    return spans


def find_stuffing(
    lines: Sequence[Line], hits: Sequence[PhoneHit], brands: Sequence[str], *, skip_first: int = 1,
    covered_lines: Collection[int] | None = None,
) -> list[PaddingSpan]:
    """Short lines that only restate brand + service keywords, without a number or a sentence
    (``covered_lines``: :func:`hit_lines`, when already known)."""
    if not brands:
        return []
    spans: list[PaddingSpan] = []
    on_hit = hit_lines(lines, hits) if covered_lines is None else covered_lines
    for i, line in enumerate(lines):
        t = line.text.strip()
        if i < skip_first or not (4 <= len(t) <= 40):
            continue
        brand = next((b for b in brands if b in t), None)
        if brand is None or i in on_hit:
            continue
        rest = t.replace(brand, "")
        words = _STUFF_WORDS.findall(rest)
        if len(words) >= 2 and sum(map(len, words)) >= 0.45 * len(rest) and "。" not in t:
            spans.append(PaddingSpan("stuffing", line.start, line.end, "keyword variant"))
    return spans


def find_hidden_stuffing(text: str, hidden_start: int, brands: Sequence[str]) -> list[PaddingSpan]:
    """Hidden text full of brand/service keywords is stuffing for search engines."""
    if hidden_start >= len(text):
        return []
    spans = []
    for line in split_lines(text[hidden_start:]):
        words = _STUFF_WORDS.findall(line.text)
        if len(words) >= 2 or any(b in line.text for b in brands):
            spans.append(PaddingSpan("stuffing", hidden_start + line.start, hidden_start + line.end,
                                     "hidden keyword text"))
    return spans


# --- scraped article -----------------------------------------------------------------------

_TOPIC_STOP = frozenset(
    "我们 你们 他们 这个 那个 一个 没有 可以 因为 所以 但是 如果 就是 还是 已经 以及 进行 通过 对于 其中 "
    "这些 那些 自己 什么 一些 这样 不是 而是 同时 以后 之后 之前 目前 现在 时候 表示 认为 可能 需要 "
    "成为 出现 发现 问题 情况 方面 相关 工作 部分 一定 更加 记者 表示 今年 去年 今天 日前 近日".split()
)
_HOTLINE_VOCAB = frozenset(SERVICE_PROMISE) | frozenset(CATEGORIES) | frozenset(
    "电话 热线 售后 维修 客服 服务 网点 全国 统一 故障 师傅 上门 报修 咨询 号码 联系 拨打 安装 产品 "
    "保修 维护 家电 电器 使用 清洗 更换 检查 收费 费用 价格".split()
)


def _keywords(text: str, limit_chars: int) -> frozenset[str]:
    """Content words of a bounded sample of ``text`` (jieba's segmentation without HMM:
    :mod:`pipelines.segment`)."""
    return _segment(text if len(text) <= limit_chars else _sample(text, limit_chars))


@lru_cache(maxsize=4096)
def _segment(sample: str) -> frozenset[str]:
    """Farm pages repeat their article and claims across thousands of URLs: segment each once."""
    return frozenset({
        w for w in route_words(sample)
        if len(w) >= 2 and _CJK.match(w) and w not in _TOPIC_STOP
    })


def _sample(text: str, limit: int) -> str:
    """Three windows (start, middle, end): a cheap stand-in for the whole block."""
    k = limit // 3
    mid = len(text) // 2
    return text[:k] + "\n" + text[mid - k // 2 : mid + k // 2] + "\n" + text[-k:]


def find_scraped_article(
    lines: Sequence[Line],
    hits: Sequence[PhoneHit],
    brands: Sequence[str],
    *,
    taken: Iterable[tuple[int, int]] = (),
    min_chars: int = 300,
    covered_lines: Collection[int] | None = None,
) -> list[PaddingSpan]:
    """Runs of prose that share almost no vocabulary with the page's hotline part.

    Only pages that make a hotline claim have a "claimed subject"; without one there is nothing
    for an article to be unrelated to. ``covered_lines``: :func:`hit_lines`, when already known.
    """
    if not brands:
        return []
    taken_spans = sorted(taken)
    starts = [s for s, _ in taken_spans]

    def is_taken(line: Line) -> bool:
        i = bisect_left(starts, line.start + 1)  # spans starting at or before the line
        return (i > 0 and taken_spans[i - 1][1] >= line.end) or any(
            s <= line.start and line.end <= e for s, e in taken_spans[max(0, i - 3) : i - 1])

    on_hit = hit_lines(lines, hits) if covered_lines is None else covered_lines
    hot_lines: list[str] = []
    runs: list[list[Line]] = []
    current: list[Line] = []
    for k, line in enumerate(lines):
        t = line.text
        claims = k in on_hit
        if not claims:
            for b in brands:
                if b in t:
                    claims = True
                    break
        if claims:
            hot_lines.append(t)
            if current:
                runs.append(current)
                current = []
        elif len(t) >= 40:
            if not is_taken(line) and sum(map(len, _CJK_RUN.findall(t))) > 0.5 * len(t):
                current.append(line)  # prose
            elif current:
                runs.append(current)
                current = []
        # short non-claim lines (sub-headings) do not break a run
    if current:
        runs.append(current)

    candidates = [r for r in runs if sum(len(x.text) for x in r) >= min_chars]
    if not candidates or not hot_lines:
        return []
    # Hotline lines repeat themselves; their distinct lines are enough to know the subject.
    hot_text = "\n".join(dict.fromkeys(hot_lines))
    fixed = _HOTLINE_VOCAB | set(brands)
    spans = []
    for run in candidates:
        kw = _keywords("\n".join(x.text for x in run), 180)
        if len(kw) < 8:
            continue
        overlap = _shared(kw, fixed, hot_text) / len(kw)
        if overlap < 0.12:
            spans.append(PaddingSpan("scraped_article", run[0].start, run[-1].end,
                                     f"{overlap:.0%} shared vocabulary"))
    return spans


def _shared(kw: frozenset[str], fixed: frozenset[str], hot_text: str) -> int:
    """``len(kw & (_keywords(hot_text, 120) | fixed))``, segmenting the hotline lines only when
    a word of ``kw`` outside ``fixed`` is in their sample at all (segmented words are pieces of
    the sample): an unrelated article shares none."""
    rest = kw - fixed
    sample = hot_text if len(hot_text) <= 120 else _sample(hot_text, 120)
    maybe = [w for w in rest if w in sample]
    shared = len(kw) - len(rest)
    return shared + (len(_keywords(hot_text, 120).intersection(maybe)) if maybe else 0)


def merge_spans(spans: Iterable[PaddingSpan]) -> list[PaddingSpan]:
    """Sort spans; overlapping spans of one kind merge, of different kinds the first keeps it."""
    out: list[PaddingSpan] = []
    for s in sorted(spans, key=lambda x: (x.start, -x.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            if s.kind == last.kind:
                out[-1] = PaddingSpan(last.kind, last.start, max(last.end, s.end), last.detail)
            elif s.end > last.end:
                out.append(PaddingSpan(s.kind, last.end, s.end, s.detail))
            continue
        out.append(s)
    return out


def padded_chars(spans: Iterable[PaddingSpan], limit: int) -> int:
    """Characters covered by spans within ``[0, limit)`` (spans must be merged)."""
    return sum(max(0, min(s.end, limit) - s.start) for s in spans if s.start < limit)
