"""Known brand names in a text: the shipped dictionary (``pipelines/data/brands.tsv``).

Fake after-sales pages impersonate real brands; a dictionary of them (built by
``scripts/build_brands.py`` from npm data packages and curated lists) names the claimed brand
far more reliably than any reading of the clause before a service word. Every spelling (full
company name, short name, English name) maps to one canonical name and a category.

Matching is one Aho-Corasick pass (ahocorasick-rs: ~15x faster than pyahocorasick on Chinese
text, whose root node it scans child by child) over the text, leftmost-longest, with three
guards against ordinary words: Latin names must stand as whole words (two- and three-letter
ones in their own capitals: LG, TCL, HP); names that are common words (老板, 樱花, 大众: the
``ambiguous`` column) count only when a category or service word follows; a short Chinese name
whose first character joins the character before it into a more frequent word (完美的 is not
美的) is skipped.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick_rs

from pipelines.lexicon import (
    CATEGORIES,
    TEMPLATE_PHRASES,
    WARNING_WORDS,
    WEAK_WARNING_WORDS,
    alternation,
    occurrences,
)
from pipelines.t2s import to_simplified

__all__ = [
    "CLAIM_TAIL",
    "DICTIONARY_ENV",
    "BrandEntry",
    "BrandMention",
    "brand_entry",
    "canonical",
    "claim_lines",
    "dictionary_claims",
    "find_brand_mentions",
    "form_problem",
    "garbled_forms",
    "transposed",
    "without_pinyin",
]


@dataclass(frozen=True, slots=True)
class BrandEntry:
    name: str
    category: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BrandMention:
    """One occurrence of a dictionary brand: ``name`` is canonical, ``form`` as written."""

    name: str
    start: int
    end: int
    form: str


_CJK = re.compile(r"[\u4e00-\u9fff]")
# What may follow an ambiguous name to make it a brand: a product category or a service word.
_AFTER_WORDS = tuple(CATEGORIES) + tuple(
    "售后 维修 客服 热线 电话 官方 官网 服务 总部 厂家 网点 全国 400 800 24小时 集团 公司 股份 品牌 "
    "汽车 4S 专卖 旗舰 门店 专营 中国 手机 电脑 卫浴 厨电 卫厨 电气 电子 科技 家居 股份 保险 银行 证券 "
    "金融 借款 贷款 快递 物流 速运 酒店 游戏 App APP 客户端 退款 燃气 电梯 乳业 奶粉 手表 腕表".split()
)
_AMBIGUOUS_OK = re.compile(r"[\s\-·]{0,2}(?:" + "|".join(
    re.escape(w) for w in sorted(set(_AFTER_WORDS), key=len, reverse=True)) + ")")


# What no spelling in the dictionary may hold: scripts/build_brands.py stops on a curated line
# with one and drops such a spelling from a package; the tests read the shipped file with it.
_FORM_CHECKS = (
    ("a warning word", alternation((*WARNING_WORDS, *WEAK_WARNING_WORDS))),
    ("a template word or verb", alternation((*TEMPLATE_PHRASES, *(
        "联系 拨打 致电 请 及时 如何 怎么 需要 进行 提供 为了 通过 遇到 如果 出现 填写 建议 提前 介绍 "
        "下面 为大家 详细 经由 不要 轻信 搜索 所谓 点击 咨询 更新 查看 欢迎 光临").split()))),
    # 客服 may end a brand's own name for its service (移动客服, 京东客服), nothing else may.
    ("a service word", re.compile(r"售后|热线|电话|维修|报修|网点|服务中心|400|800|24小时")),
    ("sentence punctuation", re.compile(r"[，。！？；、,!?;：:]")),
    ("a number run on after the name", re.compile(r"[\u4e00-\u9fff]\d{2}$|^\d{1,2}$|[A-Za-z]{2}\d[\u4e00-\u9fff]")),
)


def form_problem(form: str) -> str | None:
    """Why ``form`` cannot be a dictionary spelling (a brand or institution name only), or None."""
    if len(form) < 2 or form != form.strip() or "|" in form or "\t" in form:
        return "not a single trimmed name of two characters or more"
    if form.isascii() and form.isalpha() and len(form) == 2 and not form.isupper():
        return "a two-letter Latin name not in capitals"
    # The checks know simplified words; pages are matched in simplified script (售後 is 售后).
    simple = to_simplified(form)
    for why, pattern in _FORM_CHECKS:
        if pattern.search(form) or pattern.search(simple):
            return why
    return None


# Another dictionary file in the shipped format, read instead of the shipped one: bench/brands.py
# --unseen sets it to a copy without the labelled data's brands, to measure the fallback.
# Read once, when the engine first looks a brand up: set it before that, in a fresh process.
DICTIONARY_ENV = "TRIAGE_BRANDS_FILE"


def _data_path() -> Any:
    """The dictionary file; a ValueError saying what to do when the override is no file (the
    CLI prints it as one line)."""
    override = os.environ.get(DICTIONARY_ENV)
    if not override:
        return resources.files("pipelines") / "data" / "brands.tsv"
    if not Path(override).is_file():
        raise ValueError(f"{DICTIONARY_ENV}={override}: no such brand dictionary file; "
                         f"point it at a brands.tsv copy or unset it")
    return Path(override)


def check_dictionary() -> None:
    """Read the brand dictionary now: a bad override fails once, before any page."""
    _dictionary()


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, BrandEntry], Any, tuple[tuple[str, str], ...], frozenset[str]]:
    """Entries by canonical name, the automaton over every form with each pattern's (canonical
    name, form), and the ambiguous forms."""
    entries: dict[str, BrandEntry] = {}
    ambiguous: set[str] = set()
    patterns: dict[str, tuple[str, str]] = {}
    lines = _data_path().read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < 4:
            continue
        name, aliases, category = cells[0], tuple(a for a in cells[1].split("|") if a), cells[2]
        ambiguous.update(a for a in (cells[4].split("|") if len(cells) > 4 else ()) if a)
        entries[name] = BrandEntry(name, category, aliases)
        for form in (name, *aliases):
            variants = {form}
            if form.isascii() and len(form) > 3:
                variants |= {form.lower(), form.upper(), form.title()}
            for v in variants:
                if len(v) >= 2:
                    patterns.setdefault(v, (name, form))  # the first brand listing a form keeps it
    keys = tuple(patterns)
    auto = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
    return entries, auto, tuple(patterns[k] for k in keys), frozenset(ambiguous)


def _word_freq() -> dict[str, int]:
    """jieba's word frequencies (the 100k dictionary the padding detector already loads)."""
    from pipelines.segment import word_freq

    return word_freq()


def brand_entry(name: str) -> BrandEntry | None:
    """The dictionary entry of a canonical name or of any of its spellings."""
    entries = _dictionary()[0]
    if name in entries:
        return entries[name]
    found = _alias_index().get(name) or _alias_index().get(name.lower())
    return entries.get(found) if found else None


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in _dictionary()[0].values():
        for form in (e.name, *e.aliases):
            out.setdefault(form, e.name)
            out.setdefault(form.lower(), e.name)
    return out


def transposed(name: str) -> str | None:
    """The dictionary brand a name of four or more Chinese characters misspells by swapping two
    neighbours (格苏拉蒂 -> 格拉苏蒂: fake pages garble the name a brand-protection filter looks
    for), or None. Only swaps: a changed character may be another brand."""
    if len(name) < 4 or not all(_CJK.match(c) for c in name):
        return None
    index = _alias_index()
    for i in range(len(name) - 1):
        if name[i] == name[i + 1]:
            continue
        found = index.get(name[:i] + name[i + 1] + name[i] + name[i + 2:])
        if found:
            return found
    return None


def garbled_forms(name: str, text: str) -> tuple[str, ...]:
    """How a page writes a brand it garbles: the neighbour swaps of ``name`` found in ``text``."""
    swaps = {name[:i] + name[i + 1] + name[i] + name[i + 2:] for i in range(len(name) - 1)}
    return tuple(sorted(f for f in swaps if f in text)) or (name,)


def canonical(name: str) -> str:
    """The canonical name of a spelling (工行 -> 中国工商银行); the name itself when unknown."""
    e = brand_entry(name)
    return e.name if e else name


def _same_class(edge: str, neighbour: str) -> bool:
    """A Latin name runs on into a word (letters) or a number (digits): not a whole word."""
    if edge.isascii() and edge.isalpha():
        return neighbour.isascii() and neighbour.isalpha()
    if edge.isdigit():
        return neighbour.isdigit()
    return False


# A short Latin name opening a long code (批号 CK1803050258, a serial) is part of the code.
_CODE_TAIL = re.compile(r"[0-9A-Za-z]*[0-9][0-9A-Za-z]{4,}")


def _accept(text: str, start: int, end: int, form: str, ambiguous: frozenset[str]) -> bool:
    if start > 0 and _same_class(form[0], text[start - 1]):
        return False
    if end < len(text) and _same_class(form[-1], text[end]):
        return False
    if len(form) <= 3 and form.isascii() and _CODE_TAIL.match(text, end):
        return False
    if form in ambiguous and not _AMBIGUOUS_OK.match(text, end):
        return False
    if len(form) <= 3 and _CJK.match(form[0]) and start > 0 and _CJK.match(text[start - 1]):
        # A word ending in the name's first character (完美的 for 美的, 机器人保养 for 人保) holds
        # it: the name is no word there.
        freq = _word_freq()
        floor = max(freq.get(form, 0), 1)
        for k in range(1, min(start, 3) + 1):
            if not _CJK.match(text[start - k]):
                break
            if freq.get(text[start - k:start + 1], 0) > floor and text[start - k:end] not in _alias_index():
                return False
    return True


def find_brand_mentions(text: str) -> list[BrandMention]:
    """Dictionary brands in ``text``, leftmost-longest, in order of appearance."""
    _, auto, values, ambiguous = _dictionary()
    found: list[tuple[int, int, str, str]] = []
    for idx, start, end in auto.find_matches_as_indexes(text, overlapping=True):
        name, form = values[idx]
        found.append((start, -end, name, form))
    found.sort()
    out: list[BrandMention] = []
    pos = 0
    for start, neg_end, name, form in found:
        end = -neg_end
        if start < pos:
            continue
        if not _accept(text, start, end, form, ambiguous):
            continue
        out.append(BrandMention(name, start, end, text[start:end]))
        pos = end
    return out


# What a claim looks like around a dictionary name (pipelines.brands reads the same).
CLAIM_WORDS = ("售后", "客服", "热线", "电话", "网点", "服务中心", "维修中心", "维修点", "号码", "400", "800")
CLAIM_TAIL = re.compile(f"(?:{'|'.join(CLAIM_WORDS)})")
# The same words in one automaton pass, leftmost-first as the alternation prefers them.
_CLAIM_AUTO = ahocorasick_rs.AhoCorasick(list(CLAIM_WORDS), matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
_CLAIM_AFTER = re.compile(r"[\s·\-]{0,2}(?:[\u4e00-\u9fffA-Za-z]{0,8}?)(?:售后|维修|客服|服务|热线|电话|400|800|"
                          r"官方|官网|总部|厂家|网点|报修|保修|24小时|全国|统一|人工|上门|退款|注销)")

_CHANNEL_AFTER = re.compile(r"\s?(?:公众号|小程序|服务号|视频号|官方账号|客户端|扫码|扫一扫|搜索|号|群|app|App|APP)")
_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6}[)）]")


_SCAN_ALL = 1500  # characters read in full; past them only claim lines (farms pad with lists)


@lru_cache(maxsize=4)
def claim_lines(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each line of ``text`` holding a claim word (:data:`CLAIM_TAIL`), in
    order: the claim words of one automaton pass, the first of each line taken (no word holds
    a line break, so the pass finds on each line what a search from its start would).
    Remembered for the last texts (both readers of :mod:`pipelines.brands` ask for the page's)."""
    out = []
    pos = 0
    for _, at, stop in _CLAIM_AUTO.find_matches_as_indexes(text):
        if at < pos:
            continue
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", stop)
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end + 1
    return tuple(out)


def _has_pinyin(text: str) -> bool:
    """``_PINYIN.search(text)``: every match opens with a bracket, found by ``str.find`` (far
    cheaper than the regex's scan of a Chinese page)."""
    return any(_PINYIN.match(text, at) for ch in "(（" for at in occurrences(text, ch))


def without_pinyin(text: str) -> str:
    """``text`` without pinyin annotations (愛(ài)彼 -> 愛彼): fake pages break names up with them."""
    return _PINYIN.sub("", text) if _has_pinyin(text) else text


def _segments(text: str) -> list[tuple[int, str, bool]]:
    """(offset, chunk, all claim lines?) to scan: the start of the page, then its claim lines."""
    cut = text.find("\n", _SCAN_ALL)
    if cut < 0:
        return [(0, text, False)]
    return [(0, text[:cut], False)] + [
        (start, text[start:end], True) for start, end in claim_lines(text) if start > cut]


def dictionary_claims(text: str, title: str) -> tuple[dict[str, list[int]], dict[str, set[str]]]:
    """Per canonical brand: [claims, claim-line mentions, head mentions, first position, all
    mentions], and its spellings as written. Reads a separate title, the first 1,500 characters
    and the claim lines after them; pinyin annotations (愛(ài)彼) are read through."""
    out: dict[str, list[int]] = {}
    forms: dict[str, set[str]] = {}
    text = without_pinyin(text)
    head_end = 160 if title else 200
    chunks = ([(0, title, True, True)] if title else []) + [
        (off, chunk, False, claims) for off, chunk, claims in _segments(text)]
    for offset, chunk, is_title, all_claims in chunks:
        starts = [0] + [m.end() for m in re.finditer("\n", chunk)] if not all_claims else [0]
        claim_line: dict[int, bool] = {}
        for m in find_brand_mentions(chunk):
            start = offset + m.start
            in_head = is_title or start < head_end
            if is_title or all_claims:
                in_claims = True
            else:
                line = bisect_right(starts, m.start) - 1
                if line not in claim_line:
                    end = starts[line + 1] if line + 1 < len(starts) else len(chunk)
                    claim_line[line] = bool(CLAIM_TAIL.search(chunk, starts[line], end))
                in_claims = in_head or claim_line[line]
            if m.form.isascii() and len(m.form) <= 3 and not in_claims:
                continue  # two- and three-letter names only count where a claim is made
            rec = out.setdefault(m.name, [0, 0, 0, 1 << 30, 0])
            forms.setdefault(m.name, set()).add(m.form)
            if not is_title:
                rec[3] = min(rec[3], start)
                # "关注微信公众号" names a channel, not the page's subject.
                if not _CHANNEL_AFTER.match(chunk, m.end):
                    rec[4] += 1
            if in_head:
                rec[2] += 1
            elif in_claims:
                rec[1] += 1
            if in_claims and _CLAIM_AFTER.match(chunk, m.end):
                rec[0] += 1
    return out, forms
