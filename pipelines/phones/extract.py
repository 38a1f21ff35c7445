"""Phone numbers on a page: every occurrence, and the distinct numbers with what they are for.

Finding and de-obfuscating spellings is in :mod:`pipelines.phones.scan`, number metadata in
:mod:`pipelines.phones.numbers`; this module aggregates occurrences into :class:`Phone` records and
decides whether each number is *advertised* (presented as the number to call) or only quoted:
a number in a scam warning ("骗子冒充客服, 拨打了…后被骗") or a fax number is not advertised.

Kinds are ``phonenumbers`` types (``shared_cost`` for 400, ``toll_free`` for 800, ``mobile``,
``fixed_line``, ``fixed_line_or_mobile``, ``voip``, ``unknown``) plus two of ours:
``short_code`` (95566, 12315, 110: ``e164`` is the digits as written) and ``local`` (a landline
written without area code, e.g. ``电话: 8190000``: it cannot be made E.164, so ``e164`` is the
digits as written; only reported next to a phone cue or in a list after another number) and
``malformed`` (a mistyped number: a 400 number with a digit too many, a 12-digit mobile; kept
as written, ``raw`` holding the spelling and ``e164`` ``raw:`` + its digits, or ``+`` and the
digits when written with a country code; never advertised, so never evidence of a hotline).

A page's numbering plan (``region_hint``, from :func:`pipelines.phones.region.page_region`)
decides how its national-format numbers read: ``(02)2630-5151`` is Taipei on a Taiwanese page.
At most :data:`MAX_NUMBERS` distinct numbers are kept per page, the first found: a page
listing tens of thousands is read in linear time, and its repeated hotline is still counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from pipelines.phones.numbers import (
    MALFORMED,
    classify_cn,
    classify_intl,
    malformed,
    malformed_family,
    malformed_intl,
    place_and_carrier,
)
from pipelines.phones.scan import LATE, Found, Region, plan, scan
from pipelines.types import Phone, PhoneHit

__all__ = ["MAX_NUMBERS", "extract_phones", "find_phone_hits"]

MAX_NUMBERS = 1000  # distinct numbers kept per page (a directory page lists a few hundred)

_CONTEXT_CHARS = 60
# Words that present a number as the one to call (checked before / right after an occurrence).
_CTA = re.compile(
    r"热线|熱線|电话|電話|拨打|撥打|致电|致電|咨询|諮詢|客服|售后|售後|服务|服務|联系|聯繫|聯系|预约|預約|报修|報修|"
    r"24小时|24小時|专线|專線|呼叫中心|手机|手機|座机|座機|认准|認準|官方|hotline|Hotline|HOTLINE|Tel|TEL|tel|call|Call"
)
_CTA_AFTER = re.compile(
    r"^[\s)）】\]]{0,3}[(（【\[]?(?:点击|點擊|立即|咨询|諮詢|拨打|撥打|24小时|24小時|全国|全國|热线|熱線|客服|免费|免費)"
)
# Words that mark a number as quoted in a warning (scam reports, fake hotline notices).
_WARN = re.compile(
    r"骗|騙|冒充|假冒|虚假|虛假|山寨|钓鱼|釣魚|自称|自稱|陌生|谨防|謹防|警惕|李鬼|不法|涉嫌|非官方|接到|打来|打來"
)
# Calls to action that outrank an earlier warning word ("谨防假冒, 认准官方热线…", "如接到…请拨打110").
_OVERRIDE = re.compile(r"认准|認準|唯一|官方|请拨打|請撥打|请致电|請致電|拨打|撥打|致电|致電")
_FAX = re.compile(r"(?:传真|傳真|fax|Fax|FAX)[\s:：]{0,3}\Z")
_SCAM = re.compile(r"骗|騙|诈|詐|冒充")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = re.compile(r"[，,；;]")
_REPEATED = 3


def find_phone_hits(text: str, *, region_hint: str | Region = "CN") -> list[PhoneHit]:
    """Every phone-number occurrence in ``text`` with its span ``[start, end)`` in ``text``."""
    return [PhoneHit(f.start, f.end, f.raw, f.e164, f.obfuscated)
            for f in scan(text, region=region_hint)]


def extract_phones(
    text: str,
    *,
    tel_links: Sequence[str] = (),
    script_strings: Sequence[str] = (),
    attributes: Sequence[str] = (),
    region_hint: str | Region = "CN",
    limit: int = MAX_NUMBERS,
) -> tuple[list[Phone], list[PhoneHit]]:
    """Distinct numbers on a page, most repeated first, and their occurrences in ``text``.

    ``count`` is occurrences in ``text`` plus occurrences in the extra sources (``tel:`` links,
    inline script strings, ``alt``/``title`` attributes). A number found only in scripts counts as
    obfuscated (it was hidden from the reader's text); a ``tel:`` link makes a number advertised.
    ``region_hint`` is the page's plan (``CN``, ``HK``, ``TW``, ``MO``), or a function returning
    it (e.g. :func:`pipelines.phones.region.page_region` bound to the page), called only if some
    number's reading depends on it and at most once; beyond ``limit``
    distinct numbers, new ones are no longer read (hits of kept numbers still count).
    """
    region_hint = plan(region_hint)
    found = scan(text, region=region_hint, limit=limit)
    t = _Tally()
    prev: tuple[Found, str] | None = None
    for f in found:
        e = f.e164
        t.first.setdefault(e, f.start)
        t.kinds.setdefault(e, f.kind)
        if f.kind == MALFORMED:
            t.raws.setdefault(e, f.raw)
        t.counts[e] = t.counts.get(e, 0) + 1
        t.obfuscated[e] = t.obfuscated.get(e, False) or f.obfuscated
        role = _role(text, f)
        if role == "plain" and prev and prev[1] == "advertised" and _same_list(text, prev[0], f):
            role = "advertised"
        prev = (f, role)
        t.warned[e] = t.warned.get(e, False) or role == "warning"
        if role == "advertised" and not t.advertised.get(e):
            t.advertised[e] = True
            t.context[e] = _snippet(text, f)
        if e not in t.context:
            t.context[e] = _snippet(text, f)
    for e, n in t.counts.items():
        if n >= _REPEATED and not t.warned[e] and t.kinds[e] != "local":
            t.advertised[e] = True
    t.order = len(text)
    for source, values in (("tel", tel_links), ("script", script_strings), ("attr", attributes)):
        _read_extra(t, source, values, region_hint, limit)
    phones = []
    for e in sorted(t.counts, key=lambda k: (-t.counts[k], t.first[k]))[:limit]:
        kind = t.kinds[e]
        place, carrier = place_and_carrier(e) if kind != MALFORMED else ("", "")
        phones.append(
            Phone(
                e164=e,
                kind=kind,
                place=place,
                carrier=carrier,
                count=t.counts[e],
                # A mistyped number is shown, never presented as the number to call.
                advertised=t.advertised.get(e, False) and kind != MALFORMED,
                obfuscated=t.obfuscated.get(e, False),
                context=t.context.get(e, ""),
                raw=t.raws.get(e, ""),
            )
        )
    hits = [PhoneHit(f.start, f.end, f.raw, f.e164, f.obfuscated) for f in found]
    return phones, hits


@dataclass(slots=True)
class _Tally:
    """What is known of each distinct number (by E.164) while a page is read."""

    first: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    obfuscated: dict[str, bool] = field(default_factory=dict)
    advertised: dict[str, bool] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    raws: dict[str, str] = field(default_factory=dict)
    warned: dict[str, bool] = field(default_factory=dict)
    order: int = 0

    def add(self, value: str, numbers: list[tuple[str, str]], source: str) -> None:
        """One occurrence of the numbers of one extra source string (``tel:`` link, ...)."""
        for e, kind in numbers:
            if e not in self.first:
                self.order += 1
                self.first[e] = self.order
                self.kinds[e] = kind
                self.obfuscated[e] = source == "script"
                self.context[e] = value.strip()[:_CONTEXT_CHARS]
                if kind == MALFORMED:
                    self.raws[e] = value.strip()[:_CONTEXT_CHARS]
            self.counts[e] = self.counts.get(e, 0) + 1
            if source == "tel":
                self.advertised[e] = True


def _read_extra(t: _Tally, source: str, values: Sequence[str], region: Region, limit: int) -> None:
    """Numbers of one kind of extra source. Each distinct string is read once (pages repeat the
    same link); past ``limit`` distinct numbers only strings already read count, and the
    :data:`LATE` most repeated new ones (a hotline after a wall of decoy links)."""
    read: dict[str, list[tuple[str, str]]] = {}
    late: dict[str, int] = {}
    for value in values:
        numbers = read.get(value)
        if numbers is None:
            if len(t.counts) >= limit:
                late[value] = late.get(value, 0) + 1
                continue
            numbers = read[value] = _numbers_in(value, tel=source == "tel", region=region)
        t.add(value, numbers, source)
    repeated = sorted((v for v, n in late.items() if n >= 2), key=lambda v: -late[v])
    for value in repeated[:LATE]:
        numbers = _numbers_in(value, tel=source == "tel", region=region)
        for _ in range(late[value]):
            t.add(value, numbers, source)


def _numbers_in(value: str, *, tel: bool, region: str | Region = "CN") -> list[tuple[str, str]]:
    """Numbers in one extra source string; a ``tel:`` value is a number even without cues."""
    if tel:
        value = unquote(value).strip()
        value = re.sub(r"^(?:tel|callto|sms)[:/]*", "", value, flags=re.IGNORECASE)
    found = [(f.e164, f.kind) for f in scan(value, region=region)]
    if found or not tel:
        return found
    digits = re.sub(r"\D", "", value.split(";")[0])
    if not digits:
        return []
    intl = value.lstrip().startswith("+") or digits.startswith("00")
    if intl:
        national = digits.lstrip("0") if digits.startswith("00") else digits
        number = classify_intl(national) or malformed_intl(national)
    elif len(digits) >= 10:
        number = classify_cn(digits) or (malformed(digits) if malformed_family(digits) else None)
    else:
        number = malformed(digits) if malformed_family(digits) else None
    return [(number.e164, number.kind)] if number else []


def _role(text: str, f: Found) -> str:
    """``advertised``, ``warning``, ``fax`` or ``plain`` for one occurrence, from the words around it."""
    return _role_between(text[max(0, f.start - 40) : f.start], text[f.end : f.end + 30])


@lru_cache(maxsize=8192)
def _role_between(before: str, after: str) -> str:
    """:func:`_role` from the 40 characters before the occurrence and the 30 after it (all it
    reads: a page repeating its number in the same words reads them once)."""
    if _FAX.search(before[-12:]):
        return "fax"
    cut = None
    for cut in _SENTENCE_END.finditer(before):  # noqa: B007 - the last sentence end
        pass
    sentence = before[cut.end() :] if cut else before
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(sentence)), default=0)
    clause_after = _CLAUSE_END.split(_SENTENCE_END.split(after, maxsplit=1)[0], maxsplit=1)[0]
    if _WARN.search(clause_after[:15]):
        return "warning"
    # Weak warning words count in the number's own clause, scam words in the whole sentence.
    if _WARN.search(sentence, clause_start) or _SCAM.search(sentence):
        last_warn = max(
            max((m.end() for m in _WARN.finditer(sentence, clause_start)), default=-1),
            max((m.end() for m in _SCAM.finditer(sentence)), default=-1),
        )
        last_override = max((m.end() for m in _OVERRIDE.finditer(sentence)), default=-1)
        if last_warn >= last_override:
            return "warning"
    if _CTA.search(sentence) or _CTA.search(before[-30:]) or _CTA_AFTER.match(after):
        return "advertised"
    return "plain"


def _same_list(text: str, before: Found, f: Found) -> bool:
    """Whether ``f`` continues an enumeration that ``before`` belongs to (same sentence, close by)."""
    between = text[before.end : f.start]
    return len(between) <= 40 and not _SENTENCE_END.search(between) and not _WARN.search(between)


def _snippet(text: str, f: Found) -> str:
    room = max(0, _CONTEXT_CHARS - (f.end - f.start))
    start = max(0, f.start - room * 2 // 3)
    end = min(len(text), f.end + room - (f.start - start))
    return " ".join(text[start:end].split())[:_CONTEXT_CHARS]
