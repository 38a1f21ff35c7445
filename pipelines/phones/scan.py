"""Find phone-number spellings in page text and de-obfuscate them.

Why by hand: spam pages write numbers in forms no number library looks for (``4OO--885--0103``,
``四零零一八六五九零九``, full-width digits, one digit per tag), and a page is mostly look-alikes
(dates, prices, ICP numbers, file names). A regex finds *segments* of digit-ish characters joined
by separators; each segment is split into digit groups, and consecutive groups are joined greedily
into the longest spelling that is a real number (see :mod:`pipelines.phones.numbers`). Only the
characters of candidate segments are ever normalised, which keeps ordinary text cheap.

Numbers without an area code (``电话: 8190000``) cannot become E.164: they are reported with kind
``local`` and the digits as written, but only next to a phone cue or in a list right after another
number. Short service codes (``95566``, ``12315``, ``110``) likewise need a cue and keep their
digits as ``e164``. National-format numbers of a neighbouring country (``0913432383`` on a
Vietnamese Chinese-language page) are accepted when the page points at that region, either by name
or because several such numbers are valid there.

A page's own plan (``region``: ``HK``, ``TW``, ``MO``, from :mod:`pipelines.phones.region`) reads
its national-format numbers first: 8-digit Hong Kong and Macau lines, Taiwanese 0-prefixed
numbers; a Taiwanese-shaped area code (``02-``, ``(04)``: two digits, no mainland code is that
short) reads as Taiwanese on any page. Mistyped numbers (a 400 number with a digit too many, a
12-digit mobile) are kept whole as kind ``malformed`` (see
:func:`pipelines.phones.groups.malformed_run`): never cut down to a valid number nor re-read as a local one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from pipelines.phones.context import (
    acceptable,
    cue_before,
)
from pipelines.phones.groups import (
    EXT,
    SEP_BREAK,
    SEP_EXT,
    SEP_PAREN,
    Group,
    cannot_start,
    could_be_full,
    country_in_parens,
    idd_code,
    is_ext,
    malformed_run,
    masked_runs,
    north_american,
    odd_sep,
    sep_kind,
    split_glued,
    split_repeated_area,
    unmasked,
)
from pipelines.phones.lists import SHORTHAND_KINDS, listed_after_area, shorthand
from pipelines.phones.numbers import (
    MALFORMED,
    SHORT_CODE_RE,
    Number,
    classify_cn,
    classify_foreign,
    classify_intl,
)
from pipelines.phones.readings import Found, Region, plan, resolve_foreign, weak_reading
from pipelines.phones.region import tw_area

_DIG = "0-9\uff10-\uff19"
_ZH = "〇零一二三四五六七八九幺"
_ATOM = rf"(?:[{_DIG}]|(?<=[{_DIG}])[Oo]+|[Oo]+(?=[{_DIG}]))"
_SEPCH = "\\-—–‐‑―‒﹣－.．·・/／ \t\u3000\u00a0"
_SEP = (
    rf"(?:[{_SEPCH}]{{1,4}}|[{_SEPCH}]{{0,3}}\n[{_SEPCH}]{{0,3}}"
    rf"|[{_SEPCH}]{{0,3}}[)）][{_SEPCH}]{{0,3}}|[{_SEPCH}]{{0,3}}[(（]|[ \t]*{EXT}[ \t]*)"
)
# A segment starts at a real digit and runs over digits, O/o and separators followed by more of
# them; a leading "+", "(" or O/o is picked up afterwards (keeps the regex a fast prefix scan).
_SEGMENT = re.compile(
    rf"[{_DIG}](?:[{_DIG}Oo]|{_SEP}(?=[{_DIG}Oo]))(?:[{_DIG}Oo]+|{_SEP}(?=[{_DIG}Oo]))+"
)
_LEAD = re.compile(r"(?:[+＋][ \t]?)?(?:[(（][ \t]?(?:[+＋][ \t]?)?)?[Oo]*\Z")
_LEAD_CHARS = "+＋(（ \tOo"  # what a lead can end with
_GROUP = re.compile(rf"{_ATOM}+")
_ZH_ATOM = f"[{_DIG}{_ZH}]"
_ZH_SEGMENT = re.compile(rf"{_ZH_ATOM}(?:[ \-—–·.]?{_ZH_ATOM}){{6,}}")
_ZH_GROUP = re.compile(f"{_ZH_ATOM}+")
_HAS_ZH = re.compile(f"[{_ZH}]")

_TRANS = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **dict(zip("〇零一二三四五六七八九幺", "001234567891", strict=True)),
        "O": "0",
        "o": "0",
    }
)
_MAX_DIGITS = 17
LATE = 50  # spellings first seen past the limit that are still read: the most repeated ones

_DATE_SEG = re.compile(
    r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?:\s+\d{1,2})?"
)


def scan(text: str, *, region: str | Region = "CN", limit: int | None = None) -> list[Found]:
    """Every phone-number occurrence in ``text``, in order of position.

    ``region``: the page's numbering plan for national-format numbers (``CN``, ``HK``, ``TW``,
    ``MO``), or a function returning it, called only when a reading depends on it. ``limit``: once that many
    distinct numbers are found, only spellings already seen are read further, and of the new
    ones only the :data:`LATE` most repeated (keeps a page of 50,000 numbers linear and cheap,
    and a hotline repeated after a wall of decoys is still found).
    """
    region = plan(region)
    found: list[Found] = []
    kept: set[str] | None = None  # once ``limit`` is reached: digits of the spellings kept
    distinct: set[str] = set()
    skipped: dict[str, list[tuple[int, int]]] = {}  # new spellings past ``limit``: their spans
    # National-format candidates another region may own: (hit, digits, keep as Chinese if not).
    pending: list[tuple[Found, str, bool]] = []
    for m in _SEGMENT.finditer(text):
        start, end = m.span()
        size = end - start
        if (
            size < 3
            or (size == 4
            and text[start:end].isascii())
            or _DATE_SEG.fullmatch(text, start, end)
        ):
            continue
        if (
            size in (3, 5, 6)
            and text[start:end].isdigit()
            and not SHORT_CODE_RE.fullmatch(text, start, end)
        ):
            continue  # a bare count or amount: only service codes are that short
        if kept is not None and (key := _digits(text[start:end])) not in kept:
            skipped.setdefault(key, []).append((start, end))
            continue
        n_found, n_pending = len(found), len(pending)
        _scan_segment(text, _lead_start(text, start), end, _GROUP, found, pending, region)
        if kept is None and limit is not None:
            distinct.update(f.e164 for f in found[n_found:])
            distinct.update(h.e164 for h, _, _ in pending[n_pending:])
            if len(distinct) >= limit:
                kept = {_digits(f.raw) for f in found} | {_digits(h.raw) for h, _, _ in pending}
    repeated = sorted((k for k, spans in skipped.items() if len(spans) >= 2),
                      key=lambda k: -len(skipped[k]))
    for key in repeated[:LATE]:
        for start, end in skipped[key]:
            _scan_segment(text, _lead_start(text, start), end, _GROUP, found, pending, region)
    if repeated:
        found.sort(key=lambda f: f.start)
    if _HAS_ZH.search(text):
        # Spans found so far are disjoint and in order: one bisection tells whether a segment
        # of Chinese numerals overlaps one (a scan over all of them is quadratic on big pages).
        starts = [f.start for f in found]
        ends = [f.end for f in found]
        weak: set[int] = set()  # local lines read out of the digits of a spelling in numerals
        for m in _ZH_SEGMENT.finditer(text):
            if len(_HAS_ZH.findall(m.group())) < 3:
                continue
            k = bisect_left(starts, m.end()) - 1
            if not (k >= 0 and ends[k] > m.start()):
                _scan_segment(text, m.start(), m.end(), _ZH_GROUP, found, pending, region)
            elif found[k].kind in _WEAK and (k == 0 or ends[k - 1] <= m.start()):
                # ``一六七58925380``: the digits alone read as a local line (or a service code);
                # the whole spelling is a mobile. Read it whole; keep the weak reading if not.
                n_found, n_pending = len(found), len(pending)
                _scan_segment(text, m.start(), m.end(), _ZH_GROUP, found, pending, region)
                if any(f.start <= found[k].start and f.end >= found[k].end
                       for f in found[n_found:]):
                    weak.add(k)
                else:  # the local line stands: nothing may overlap it
                    del found[n_found:], pending[n_pending:]
        if weak:
            found = [f for n, f in enumerate(found) if n not in weak]
    if pending:
        found.extend(resolve_foreign(text, pending, region()))
    found.sort(key=lambda f: f.start)
    return listed_after_area(text, found)


_WEAK = frozenset({"local", "short_code"})  # readings a spelling in numerals may replace


def _lead_start(text: str, start: int) -> int:
    """Where a segment starting at ``start`` starts with its lead (``+``, ``(``, O/o) picked up:
    with none of the lead's characters right before it, ``start`` itself."""
    if start == 0 or text[start - 1] not in _LEAD_CHARS:
        return start
    lead = _LEAD.search(text, max(0, start - 6), start)
    return lead.start() if lead else start


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s.translate(_TRANS))


_Parsed = tuple[tuple[tuple[str, int, int, bool], ...], tuple[str, ...], tuple[int, ...], bool, int]


@lru_cache(maxsize=8192)
def _segment_groups(seg: str, zh: bool, cue: bool) -> _Parsed | None:
    """A segment's digit groups (digits, start, end, odd; offsets into ``seg``), the separators
    between them and their kinds, whether its lead holds a ``+`` and where the lead ends; None
    when it holds no number (too few digits, only a bank card). Groups of a card, an IP address
    or a decimal number are taken out, a :data:`SEP_BREAK` standing where they were (``cue``:
    a phone cue before the segment keeps a decimal-looking number). Read from the segment and
    that flag alone, so remembered: a page repeats its number, and a farm its spellings."""
    groups: list[Group] = []
    total = longest = 0  # digits in all groups, in the longest (a glued pair splits into long ones)
    for g in (_ZH_GROUP if zh else _GROUP).finditer(seg):
        raw = g.group()
        digits = raw.translate(_TRANS)
        start, end = g.span()
        n = len(digits)
        total += n
        longest = max(longest, n)
        if 20 <= n <= 22 and len(raw) == n:
            groups.extend(split_glued(digits, start))
        else:
            groups.append(Group(digits, start, end, digits != raw))
    if total < 3:
        return None
    if len(groups) >= 2 and longest >= 10:
        groups = split_repeated_area(groups)
    lead = seg[: groups[0].start]
    plus = "+" in lead or "＋" in lead
    seps = [seg[groups[k].end : groups[k + 1].start] for k in range(len(groups) - 1)]
    kinds = list(map(sep_kind, seps))
    if len(groups) >= 2 and (masked := masked_runs(groups, seps, plus, cue)):
        groups, seps, kinds = unmasked(seg, groups, seps, kinds, masked)
        if not groups:
            return None
        if masked[0][0] == 0:
            lead, plus = "", False
    return (tuple((g.digits, g.start, g.end, g.odd) for g in groups), tuple(seps),
            tuple(kinds), plus, len(lead))


def _scan_segment(
    text: str,
    seg_start: int,
    seg_end: int,
    group_re: re.Pattern[str],
    found: list[Found],
    pending: list[tuple[Found, str, bool]],
    region: Region,
) -> None:
    seg = text[seg_start:seg_end]
    # The cue matters only to a decimal-looking number (a lone dot): looked for only then.
    parsed = _segment_groups(
        seg, group_re is _ZH_GROUP, ("." in seg or "．" in seg) and cue_before(text, seg_start))
    if parsed is None:
        return
    spans, seps_read, kinds_read, plus, lead_len = parsed
    groups = [Group(digits, seg_start + start, seg_start + end, odd)
              for digits, start, end, odd in spans]
    lead = text[seg_start : seg_start + lead_len]
    seps, sep_kinds = list(seps_read), list(kinds_read)
    n = len(groups)
    i = 0
    while i < n:
        if cannot_start(groups, sep_kinds, i, plus and i == 0):
            i += 1
            continue
        intl = (
            (plus and i == 0)
            or country_in_parens(groups, seps, lead, i)
            or north_american(groups, i)
        )
        got = _best_at(
            text, groups, sep_kinds, i, intl, found, full_only=group_re is _ZH_GROUP, region=region
        )
        if group_re is not _ZH_GROUP and (
            got is None
            or got[1].kind in ("local", "unknown")
            or (got[0] + 1 < n and seps[got[0]].strip())
        ):
            previous_end = found[-1].end if found else None
            got = malformed_run(text, groups, seps, sep_kinds, i, intl, got, previous_end) or got
        if got is None:
            i += 1
            continue
        j, number, how = got
        last = j  # the number's own last group (an extension may follow)
        start = seg_start if i == 0 and lead else groups[i].start
        end = groups[j].end
        if (
            j + 1 < n
            and number.kind not in ("mobile", "local", "short_code", MALFORMED)
            and sep_kinds[j] != SEP_BREAK
            and is_ext(seps[j], groups[j + 1])
        ):
            end = groups[j + 1].end
            j += 1
        hit = Found(start, end, text[start:end], number.e164, number.kind, _odd(groups, seps, i, j))
        if how == "foreign" or not number.exact:
            digits = "".join(g.digits for g in groups[i : last + 1])
            pending.append((hit, digits, number.exact is False and how != "foreign"))
        else:
            found.append(hit)
            if j == last and j + 1 < n and number.kind in SHORTHAND_KINDS:
                j = shorthand(text, groups, seps, sep_kinds, j, number, found)
        i = j + 1


def _odd(groups: list[Group], seps: list[str], i: int, j: int) -> bool:
    """Spelled obfuscated: an odd character or separator, or three groups of one or two digits."""
    short = 0
    for g in groups[i : j + 1]:
        if g.odd:
            return True
        short += len(g.digits) <= 2
    return any(odd_sep(s) for s in seps[i:j]) or short >= 3


def _best_at(
    text: str,
    groups: list[Group],
    sep_kinds: list[int],
    i: int,
    plus: bool,
    found: list[Found],
    *,
    full_only: bool = False,
    region: Region,
) -> tuple[int, Number, str] | None:
    """The longest run of groups from ``i`` that spells a number, and how it was recognised.

    ``full_only`` (numbers spelled with Chinese numerals): a mere 一 among digits is ordinary text,
    so only readings that make a complete number count there.
    """
    first = groups[i].digits
    cc_group = first in ("86", "0086") and i + 1 < len(groups)
    intl = plus or cc_group or (first[:2] == "00" and (first.startswith("0086")
                                                        or idd_code(groups, i)))
    paren_ok = intl or (first[0] == "0" and 2 <= len(first) <= 4)
    # Digits spaced one by one are an obfuscation; otherwise only a leading area or country code
    # may be that short (a run of short groups is a table or a date, not a phone number).
    spaced = len(first) == 1 and not intl
    cap = _MAX_DIGITS if intl or first[0] == "0" else 11
    # After a country code, the area code may be short (``+86 10``, ``+852``'s none) and come
    # after a trunk 0 in parentheses (``+86 (0)29 …``); it may itself be in them (``+86(571)…``).
    area = i + 2 if intl and i + 2 < len(groups) and groups[i + 1].digits == "0" else i + 1
    ends: list[tuple[int, str]] = []
    digits = ""
    for j in range(i, len(groups)):
        g = groups[j].digits
        if j > i:
            kind = sep_kinds[j - 1]
            if kind >= SEP_EXT or (
                kind == SEP_PAREN
                and not (
                    (j - 1 == i and paren_ok)
                    or (intl and (j - 1 in (i + 1, area) or groups[j - 1].digits == "0"))
                )
            ):
                break
            if (len(g) != 1) if spaced else (len(g) <= 2 and not (intl and j in (i + 1, area))):
                break
        digits += g
        if len(digits) > cap:
            break
        ends.append((j, digits))
    # Taiwanese numbers first on Taiwanese pages, and wherever the area code is two digits.
    # (Taiwanese numbers have at most 10 digits: longer ones never need the page's plan.)
    tw_shaped = first[0] == "0" and tw_area(groups, sep_kinds, i)
    if intl or first[0] in "0148":
        for j, digits in reversed(ends):
            number = None
            if intl:
                number = classify_intl(digits.removeprefix("00"))
            elif digits[0] == "0" and len(digits) <= 10 and (tw_shaped or region() == "TW"):
                number = classify_foreign(digits, "TW")
            if number is None and not intl and could_be_full(digits):
                number = classify_cn(digits)
            if number and acceptable(text, groups[i].start, groups[j].end, lead_ok=True):
                return j, number, ""
    if full_only or plus:
        return None
    return weak_reading(
        text, groups, sep_kinds, ends if first[0] == "0" else ends[:3], i, found, region
    )
