"""Numbers written by reference to the number before them: bare lines listed after a landline
(``(0571) 8627 1835 / 8627 1836``), which share its area code, and slash shorthand
(``0571-86271835/36/37``), further lines written by their last digits. Split from
:mod:`pipelines.phones.scan`, which finds the numbers they refer to."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from pipelines.phones.context import acceptable
from pipelines.phones.groups import SEP_PLAIN, Group
from pipelines.phones.numbers import Number, classify_intl
from pipelines.phones.readings import Found

LIST_SEP = re.compile(r"[ \t\u3000]*(?:[、,，/／]|或|及|和)[ \t\u3000]*")


def listed_after_area(text: str, found: list[Found]) -> list[Found]:
    """``(02) 33437855、33437856``: a bare line listed right after a line written with its
    area code shares that code (the same length of subscriber number, the same plan), so it is
    read as a full number; anything else stays ``local``. The line before may be written in
    groups (``(0571) 8627 1835 / 8627 1836``) or be a listed line itself (``、…、…``)."""
    for k in range(1, len(found)):
        f, prev = found[k], found[k - 1]
        if f.kind != "local" or prev.kind != "fixed_line" or not LIST_SEP.fullmatch(
                text, prev.end, f.start):
            continue
        digits = f.e164  # a local line's digits as written
        if len(subscriber(prev.e164)) != len(digits):
            continue
        number = classify_intl(prev.e164[1:-len(digits)] + digits)
        if number is not None and number.kind == "fixed_line":
            found[k] = Found(f.start, f.end, f.raw, number.e164, number.kind, f.obfuscated)
    return found


@lru_cache(maxsize=1024)
def subscriber(e164: str) -> str:
    """The subscriber number of a landline: its national number after the area code."""
    num = phonenumbers.parse(e164)
    return phonenumbers.national_significant_number(num)[
        phonenumbers.length_of_geographical_area_code(num):]


SHORTHAND_KINDS = frozenset({"fixed_line", "fixed_line_or_mobile", "shared_cost", "toll_free"})
_SLASHES = ("/", "／")
# What after a slash's digits makes them a count, a time or a place, not a line's last digits
# (``/24小时``, ``/7天``, ``/2楼``, ``/8:00-18:00``, ``/1（第1页）``).
_NOT_SHORTHAND = re.compile(
    r"[ \t]?(?:小时|小時|[天楼樓号號元年月日页頁层層室时時点點分周週hH]|[:：]|[.．]\d)|[ \t]*[(（]\s*第"
)


def shorthand(
    text: str, groups: list[Group], seps: list[str], sep_kinds: list[int], j: int,
    number: Number, found: list[Found],
) -> int:
    """``0571-86271835/36/37``, ``400-627-1835/1836``: after a slash, the last digits of further
    lines of the same number, written short. Each is read as the number with its last digits
    replaced, when that is a number of the same kind; returns the last group read."""
    n = len(groups)
    while j + 1 < n and seps[j].strip() in _SLASHES:
        g = groups[j + 1]
        if not (
            1 <= len(g.digits) <= 4
            and (j + 2 == n or sep_kinds[j + 1] != SEP_PLAIN or seps[j + 1].strip() in _SLASHES)
            and acceptable(text, g.start, g.end, lead_ok=True)
            and not _NOT_SHORTHAND.match(text, g.end)
        ):
            break
        alt = classify_intl(number.e164[1 : -len(g.digits)] + g.digits)
        if alt is None or alt.kind != number.kind or alt.e164 == number.e164:
            break
        found.append(Found(g.start, g.end, g.digits, alt.e164, alt.kind, g.odd))
        j += 1
    return j
