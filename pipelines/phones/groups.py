"""Shapes of digit groups: which groups may join into one number, and how a number looks.

The scanner (:mod:`pipelines.phones.scan`) splits a stretch of digit-ish text into groups; these
small tests decide where a number may start, which separators may sit inside one, and which runs
of groups are something else (tables, bank cards, glued pairs of numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import phonenumbers

from pipelines.phones.context import acceptable, cued
from pipelines.phones.numbers import (
    Number,
    classify_cn,
    malformed,
    malformed_family,
    malformed_intl,
)

EXT = r"(?:转|轉|分机|分機|ext\.?|EXT\.?|Ext\.?)"
EXT_RE = re.compile(EXT)
_UNUSUAL_SEP = re.compile(r"[·・/／―‒\n_]")
# SEP_BREAK: what stands where digits that belong to no number were taken out (a bank card, an
# IP address, a decimal number): no number runs across it.
SEP_PLAIN, SEP_PAREN, SEP_EXT, SEP_BREAK = 0, 1, 2, 3
_BLANKS = " \t\u3000\u00a0"
_JOINERS = frozenset("-－.．—–")  # what joins the groups of one code or number
_GLUEABLE = frozenset({"shared_cost", "toll_free", "mobile"})


@dataclass(slots=True)
class Group:
    """A run of digit-ish characters, normalised to ASCII digits, with its span in the text."""

    digits: str
    start: int
    end: int
    odd: bool  # spelled with something other than ASCII digits


def country_in_parens(groups: list[Group], seps: list[str], lead: str, i: int) -> bool:
    """``(852) 2345 6789``, ``(886)2-2345-6789``: a country code written in parentheses."""
    g = groups[i].digits
    if not (2 <= len(g) <= 3 and g[0] != "0" and i + 1 < len(groups)):
        return False
    opened = lead if i == 0 else seps[i - 1]
    return opened.rstrip().endswith(("(", "（")) and seps[i].lstrip().startswith((")", "）"))


def idd_code(groups: list[Group], i: int) -> bool:
    """``00852 9254 5224``: the international prefix 00 and a country code, as a group of its own
    (no mainland area code starts with 00; a longer run of digits from 00 is a code, not this)."""
    g = groups[i].digits
    return (
        3 <= len(g) <= 5
        and g[:2] == "00"
        and g[2] != "0"
        and i + 1 < len(groups)
        and int(g[2:]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    )


def north_american(groups: list[Group], i: int) -> bool:
    """``1-800-555-0199``: the leading 1 is the country code, not part of a Chinese number."""
    return groups[i].digits == "1" and [len(g.digits) for g in groups[i : i + 4]] == [1, 3, 3, 4]


def _card_at(groups: list[Group], seps: list[str], k: int) -> int:
    """How many groups from ``k`` spell a bank card or account number (four or more groups of
    four digits, the last possibly shorter, one separator throughout: a space or a dash), or 0.
    Separators that differ (``2345 6789 / 3456 7890``) are two numbers, not one card. Inside a
    run, a card starts only on a new line: groups of four after a landline on the same line
    (``010 6275 1234 6275 1235``) are its number and a further line, not a card."""
    first = groups[k].digits
    if (
        k + 3 >= len(groups)
        or (k and "\n" not in seps[k - 1])
        or first[0] in "01"
        or first[:3] in ("400", "800")
        or any(len(g.digits) != 4 for g in groups[k : k + 4])
    ):
        return 0
    sep = seps[k]
    if "\n" in sep or sep.strip(_BLANKS) not in ("", "-", "－") or any(
        seps[m] != sep for m in range(k + 1, k + 3)
    ):
        return 0
    m = k + 4
    while m < len(groups) and seps[m - 1] == sep and 1 <= len(groups[m].digits) <= 4:
        m += 1
        if len(groups[m - 1].digits) < 4:
            break
    return m - k


def _token(groups: list[Group], seps: list[str], k: int, size: int) -> bool:
    """Whether groups ``k`` to ``k + size`` stand apart: blanks or a line break on both sides
    (``010-8888 1234.0755-…`` is two numbers after a full stop, not a decimal)."""
    return (k == 0 or not seps[k - 1].strip(_BLANKS + "\n")) and (
        k + size == len(groups) or not seps[k + size - 1].strip(_BLANKS + "\n")
    )


def _dotted_quad(groups: list[Group], seps: list[str], k: int) -> bool:
    """``192.168.1.20``: an IP address (four groups of at most three digits, each at most 255)."""
    return (
        k + 3 < len(groups)
        and all(seps[m] in (".", "．") for m in range(k, k + 3))
        and all(len(g.digits) <= 3 and int(g.digits) <= 255 for g in groups[k : k + 4])
        and _token(groups, seps, k, 4)
    )


def _decimal(groups: list[Group], seps: list[str], k: int, plus: bool, cue: bool) -> bool:
    """``22.694214``, ``86.883618``: two groups joined by a lone decimal point (a number written
    with dots has two or more: ``400.123.4567``). An area code with a dot (``0755.8888…``), a
    ``+`` lead, a phone cue before the run (``电话：8627.1835``) and digits that join into a whole
    400/800 or mobile number (``400.6271835``, ``1391234.5678``) are still read."""
    g = groups[k].digits
    if not (
        k + 1 < len(groups)
        and seps[k] in (".", "．")
        and not (g[0] == "0" and len(g) >= 3)
        and not ((plus or cue) and k == 0)
        and _token(groups, seps, k, 2)
    ):
        return False
    joined = classify_cn(g + groups[k + 1].digits)
    return joined is None or joined.kind not in _GLUEABLE


def masked_runs(
    groups: list[Group], seps: list[str], plus: bool, cue: bool = False
) -> list[tuple[int, int]]:
    """Runs ``[a, b)`` of groups that spell something other than a phone number: bank cards, IP
    addresses, decimal numbers. Taken out wherever they stand in a stretch of digits (a card on
    the line after a hotline is joined to it by the line break); ``cue``: a phone cue stands
    right before the run."""
    out: list[tuple[int, int]] = []
    k = 0
    n = len(groups)
    while k < n:
        size = _card_at(groups, seps, k)
        if not size and _dotted_quad(groups, seps, k):
            size = 4
        if not size and _decimal(groups, seps, k, plus, cue):
            size = 2
        if size:
            out.append((k, k + size))
            k += size
        else:
            k += 1
    return out


def cannot_start(groups: list[Group], sep_kinds: list[int], i: int, plus: bool) -> bool:
    """Cheap test that no number is spelled from group ``i`` (keeps tables of numbers fast)."""
    g = groups[i].digits
    if len(g) > 2 or plus or north_american(groups, i):
        return False
    if len(g) == 2:
        return g[0] != "0" and g != "86"
    # One digit: only the start of a run of digits spaced one by one.
    if i and len(groups[i - 1].digits) == 1 and sep_kinds[i - 1] == SEP_PLAIN:
        return True
    return not (i + 1 < len(groups) and len(groups[i + 1].digits) == 1)


def split_glued(digits: str, start: int) -> list[Group]:
    """Two hotline/mobile numbers glued together (adjacent links joined without a separator)."""
    for cut in (10, 11, 12):
        first, second = classify_cn(digits[:cut]), classify_cn(digits[cut:])
        if (
            first
            and second
            and {first.kind, second.kind} <= _GLUEABLE
            and (first == second or first.kind != "mobile" or second.kind != "mobile")
        ):
            return [
                Group(digits[:cut], start, start + cut, True),
                Group(digits[cut:], start + cut, start + len(digits), True),
            ]
    return [Group(digits, start, start + len(digits), False)]


def split_repeated_area(groups: list[Group]) -> list[Group]:
    """``0898 668937600898 66893760``: a number pasted twice without a space, the second copy's
    area code glued to the first copy's subscriber digits. Split so that both read whole."""
    out: list[Group] = []
    for g in groups:
        area = out[-1].digits if out else ""
        sub = len(g.digits) - len(area)
        if (
            3 <= len(area) <= 4
            and area[0] == "0"
            and sub in (7, 8)
            and not g.odd
            and g.digits.endswith(area)
            and classify_cn(area + g.digits[:sub]) is not None
        ):
            out.append(Group(g.digits[:sub], g.start, g.start + sub, False))
            out.append(Group(area, g.start + sub, g.end, False))
        else:
            out.append(g)
    return out


def could_be_full(digits: str) -> bool:
    """Cheap shape test before asking the metadata: area-code number, mobile, 400/800."""
    n = len(digits)
    if digits[0] == "0":
        return n >= 8 and digits[1] != "0"
    if n == 11:
        return digits[0] == "1" and digits[1] in "3456789"
    return n == 10 and digits[:3] in ("400", "800")


@lru_cache(maxsize=1024)
def sep_kind(sep: str) -> int:
    """Whether a separator may sit inside a number (plain), only after an area code (paren), or
    only before an extension."""
    if EXT_RE.search(sep):
        return SEP_EXT
    if "(" in sep or ")" in sep or "（" in sep or "）" in sep:
        return SEP_PAREN
    return SEP_PLAIN


def is_ext(sep: str, nxt: Group) -> bool:
    """Whether ``nxt`` is an extension of the number before it (转 8001, ext 801, -801)."""
    if not 1 <= len(nxt.digits) <= 5:
        return False
    return bool(EXT_RE.search(sep)) or sep.strip() in ("-", "－")


@lru_cache(maxsize=1024)
def odd_sep(sep: str) -> bool:
    """Separators a person does not type inside a number: doubled (--), · / ― or a line break."""
    core = sep.replace(" ", "").replace("\t", "")
    return bool(_UNUSUAL_SEP.search(sep)) or (len(core) >= 2 and core[0] == core[1])


def malformed_run(
    text: str,
    groups: list[Group],
    seps: list[str],
    sep_kinds: list[int],
    i: int,
    intl: bool,
    got: tuple[int, Number, str] | None,
    previous_end: int | None,
) -> tuple[int, Number, str] | None:
    """A mistyped number from group ``i`` (``400-1865-9091``, ``4008-123-45``, a 12-digit
    mobile, ``+86 138-0013-8000-1``), kept whole as kind ``malformed``.

    It replaces a weak reading (a "local" number cut out of it) or a valid number cut short
    while hyphenated groups go on; a foreign reading is left to the scanner's vote on the page's region.
    """
    if (
        i
        and seps[i - 1].strip(_BLANKS) in _JOINERS
        and previous_end != groups[i - 1].end
    ):
        return None  # inside a longer code (``ISBN 978-7-400-94680-2``): no mistyped number
    full = False
    if got is not None:
        j, number, how = got
        if how == "foreign" or number.kind == "short_code":
            return None
        full = number.kind not in ("local", "unknown")
        if full and (
            j + 1 >= len(groups)
            or not seps[j].strip()
            or sep_kinds[j] != SEP_PLAIN
            or (number.kind != "mobile" and is_ext(seps[j], groups[j + 1]))
        ):
            return None
    first = groups[i].digits
    intl = intl or first in ("86", "0086") or first.startswith("0086") or idd_code(groups, i)
    # Separators inside one spelling are alike (all spaces, all dashes: ``400-627-1835/36`` is
    # a number and a shorthand for a second one); a country code may stand apart.
    inner = i + 1 if intl and len(first) <= 4 else i
    core = seps[inner].strip() if inner < len(seps) else ""
    digits, last = "", i
    for k in range(i, len(groups)):
        if k > i:
            sep = seps[k - 1]
            if sep_kinds[k - 1] != SEP_PLAIN or len(sep) > 2:
                break
            if k - 1 >= inner and sep.strip() != core:
                break
        if len(digits) + len(groups[k].digits) > 17:
            break
        digits += groups[k].digits
        last = k
    if full and last <= got[0]:  # type: ignore[index]
        return None
    start, end = groups[i].start, groups[last].end
    if intl:
        intl_number = malformed_intl(digits.removeprefix("00"))
        ok = intl_number is not None and (last > i or cued(text, start, end, previous_end))
        return ((last, intl_number, "") if ok and intl_number is not None
                and acceptable(text, start, end, lead_ok=True) else None)
    family = malformed_family(digits)
    if not family or not acceptable(text, start, end, lead_ok=False):
        return None
    shaped = family == "service" and last > i and len(first) in (3, 4)
    if shaped or cued(text, start, end, previous_end):
        return last, malformed(digits), ""
    return None


def unmasked(
    seg: str, groups: list[Group], seps: list[str], kinds: list[int], masked: list[tuple[int, int]]
) -> tuple[list[Group], list[str], list[int]]:
    """The groups outside the ``masked`` runs, and between two with a run taken out, the text
    between them as a ``SEP_BREAK`` separator."""
    drop: set[int] = set()
    for a, b in masked:
        drop.update(range(a, b))
    kept = [k for k in range(len(groups)) if k not in drop]
    out_seps: list[str] = []
    out_kinds: list[int] = []
    for a, b in pairwise(kept):
        if b == a + 1:
            out_seps.append(seps[a])
            out_kinds.append(kinds[a])
        else:
            out_seps.append(seg[groups[a].end : groups[b].start])
            out_kinds.append(SEP_BREAK)
    return [groups[k] for k in kept], out_seps, out_kinds
