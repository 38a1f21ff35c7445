"""Turn a de-obfuscated digit string into a dialable number, with ``phonenumbers`` metadata.

Finding candidates in text is done in :mod:`pipelines.phones.scan`; this module only answers
"is this digit string a phone number, and what is it?" (or "a mistyped one": :func:`malformed`).
Every answer is cached because spam pages repeat the same few numbers dozens of times. Places and
carriers of +86 numbers come from a small shipped table (:mod:`pipelines.phones.geo`); other
countries' from phonenumbers, on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberType

from pipelines.phones.geo import cn_place_and_carrier, foreign_place_and_carrier
from pipelines.types import MALFORMED

_KINDS = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}

# Chinese short service codes (emergency, 12xxx government, 95xxx/96xxx enterprise, 100xx carriers).
SHORT_CODE_RE = re.compile(r"(?:11[04]|119|12[02]|12\d{3}|9[56]\d{3,4}|100\d{2})")
# Landlines written without area code: 7-8 digits not starting with 0 or 1.
LOCAL_RE = re.compile(r"[2-9]\d{6,7}")

# Regions tried for national-format numbers that are not Chinese (0 + 9 digits on Chinese-language
# pages of neighbouring countries), with words that point at each.
FOREIGN_REGIONS: dict[str, tuple[str, ...]] = {
    "TW": ("台湾", "臺灣", "台灣", "台北", "臺北", "新北", "高雄", "台中", "臺中", "台南"),
    "VN": ("越南", "胡志明", "河内", "河內", "西贡", "西貢", "越盾"),
    "MY": ("马来西亚", "馬來西亞", "吉隆坡", "令吉"),
    "HK": ("香港",),
    "MO": ("澳门", "澳門"),
    "SG": ("新加坡", "狮城", "獅城"),
}


# Mistyped numbers (issue 10, "never guess a number"): kept as written, never completed or cut.
# ``e164`` of a mistyped number written without country code: the digits as written after this
# prefix, so that it can never equal, nor be merged with, a real number's E.164.
RAW_PREFIX = "raw:"
_MALFORMED_MAX = 15  # digits: E.164's own limit; longer runs are IDs, not mistyped numbers


class Number(NamedTuple):
    """A recognised number: E.164 (or the digits as written for short/local ones) and its kind."""

    e164: str
    kind: str
    exact: bool = True  # False: accepted although the metadata says invalid (old 7-digit landline)


# Mainland mobiles and 400/800 numbers written nationally: phonenumbers.parse finds nothing to
# strip from them (no IDD or trunk prefix, no carrier code 1[12]xx/179xx, no leading 86), so the
# number it returns is the digits under +86: built directly, several times cheaper.
_PLAIN_CN = re.compile(r"1(?:[3-68-9]\d|7[0-8])\d{8}|[48]00\d{7}", re.ASCII)


def _parse_cn(digits: str) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse(digits, "CN")``."""
    if _PLAIN_CN.fullmatch(digits):
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))
    return phonenumbers.parse(digits, "CN")


def _parse_e164(e164: str) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse(e164, None)`` (raises as it does)."""
    if e164.startswith("+86") and _PLAIN_CN.fullmatch(e164, 3):
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(e164[3:]))
    return phonenumbers.parse(e164, None)


def _kind(num: phonenumbers.PhoneNumber) -> str:
    return _KINDS.get(phonenumbers.number_type(num), "unknown")


def _valid_kind(num: phonenumbers.PhoneNumber) -> str | None:
    """``_kind(num) if phonenumbers.is_valid_number(num) else None`` with one type test, not
    two: for a calling code of one region (+86) both read that region's metadata, and a number
    is valid when its type is known."""
    if num.country_code is None or len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(num.country_code, ())) != 1:
        return _kind(num) if phonenumbers.is_valid_number(num) else None
    found = phonenumbers.number_type(num)
    return None if found == PhoneNumberType.UNKNOWN else _KINDS.get(found, "unknown")


def _cn_area_len(national: str) -> int:
    """Length of the area code after the trunk 0: 010 and 02x are two digits, the rest three."""
    return 2 if national[1] in "12" else 3


@lru_cache(maxsize=8192)
def classify_cn(digits: str) -> Number | None:
    """A Chinese number written nationally (mobile, 400/800, or 0 + area code + subscriber)."""
    n = len(digits)
    if (n == 11 and digits[0] == "1") or (n == 10 and digits[:3] in ("400", "800")):
        num = _parse_cn(digits)
        kind = _valid_kind(num)
        return Number(_e164(num), kind) if kind else None
    if digits[0] == "0" and n >= 8 and digits[1] != "0":
        num = phonenumbers.parse(digits, "CN")
        kind = _valid_kind(num)
        if kind:
            return Number(_e164(num), kind)
        # Old 7-digit subscriber numbers are gone from the metadata but still printed on pages
        # (and still a number a reader would dial): accept them when the area code is real.
        sub = n - 1 - _cn_area_len(digits)
        if 7 <= sub <= 8 and area_known(digits):
            return Number(_e164(num), "fixed_line", exact=False)
    return None


@lru_cache(maxsize=1024)
def area_known(national: str) -> bool:
    """Whether ``national`` (starting with the trunk 0) begins with a real Chinese area code.

    Of the codes starting with 1 only 010 exists: ``013…`` is a mobile number given a trunk 0
    (``+86 130 7457 161``, a digit short), whatever place the table gives its prefix."""
    if national[1] == "1" and national[2:3] != "0":
        return False
    num = phonenumbers.parse(national, "CN")
    place, _ = cn_place_and_carrier(_e164(num))
    return place != "中国"


@lru_cache(maxsize=4096)
def classify_cn_loose(digits: str) -> Number | None:
    """An area-code number the metadata rejects but a reader would still dial (quoted numbers)."""
    if len(digits) < 10 or digits[0] != "0" or digits[1] == "0":
        return None
    sub = len(digits) - 1 - _cn_area_len(digits)
    if 7 <= sub <= 9 and area_known(digits):
        num = phonenumbers.parse(digits, "CN")
        return Number(_e164(num), "unknown")
    return None


@lru_cache(maxsize=4096)
def classify_intl(digits: str) -> Number | None:
    """A number written with its country code (after ``+``, ``00`` or a bare ``86`` group)."""
    if digits.startswith("86"):
        national = digits[2:]
        national = national.removeprefix("0")
        if not national:
            return None
        if national[0] in "148" and len(national) in (10, 11):
            found = classify_cn(national)
            if found:
                return found
        return classify_cn("0" + national) if national[0] != "0" else None
    try:
        num = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(num):
        return Number(_e164(num), _kind(num))
    return None


@lru_cache(maxsize=4096)
def classify_foreign(digits: str, region: str, loose: bool = False) -> Number | None:
    """A national-format number of ``region`` (``loose``: possible rather than valid)."""
    try:
        num = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number_for_region(num, region):
        return Number(_e164(num), _kind(num))
    if loose and phonenumbers.is_possible_number(num):
        return Number(_e164(num), "unknown")
    return None


def _e164(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def place_and_carrier(e164: str) -> tuple[str, str]:
    """Geocoder place and carrier name (Chinese) for a full number; empty for short/local ones."""
    if not e164.startswith("+"):
        return "", ""
    try:
        num = _parse_e164(e164)
    except phonenumbers.NumberParseException:
        return "", ""
    if num.country_code == 86:
        place, carrier = cn_place_and_carrier(e164)
        # As phonenumbers: a place by prefix even for numbers it calls invalid (old 7-digit
        # landlines), a carrier only for valid ones.
        return place, carrier if phonenumbers.is_valid_number(num) else ""
    return foreign_place_and_carrier(num)


def malformed_family(digits: str) -> str:
    """``service`` (400/800), ``mobile`` or ``landline`` when ``digits`` start like a mainland
    number of that family but have the wrong length (one or two digits off), else ``""``."""
    n = len(digits)
    if n < 9 or n > _MALFORMED_MAX:
        return ""
    if digits[:3] in ("400", "800"):
        return "service" if 9 <= n <= 12 and n != 10 else ""
    if digits[0] == "1" and digits[1] in "3456789":
        return "mobile" if n in (10, 12) else ""
    if digits[0] == "0" and digits[1] != "0" and area_known(digits):
        return "landline" if n - 1 - _cn_area_len(digits) >= 10 else ""
    return ""


def malformed(digits: str) -> Number:
    """A mistyped national number: the digits as written behind :data:`RAW_PREFIX`."""
    return Number(RAW_PREFIX + digits, MALFORMED)


@lru_cache(maxsize=1024)
def malformed_intl(digits: str) -> Number | None:
    """A number written with a real country code that no plan accepts (``+86 400-1865-9091``,
    ``+852 6226…`` SMS senders): kept as written, ``+`` and the digits. No valid number has
    that E.164, since the metadata rejects it, so it cannot merge with a real one."""
    if not 8 <= len(digits) <= _MALFORMED_MAX:
        return None
    try:
        num = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    if num.country_code is None or phonenumbers.region_code_for_country_code(num.country_code) == "ZZ":
        return None
    if len(digits) - len(str(num.country_code)) < 6 or phonenumbers.is_valid_number(num):
        return None
    return Number("+" + digits, MALFORMED)

