"""Words and characters around a digit spelling that make it a phone number, or not one.

Kept apart from the scanner so the look-alike rules (IDs, URLs, prices, amounts, dates) and the
cues that admit short and local numbers can be read, and tuned, in one place.
"""

from __future__ import annotations

import re

# Labels after which digits are an ID, not a phone (checked right before the number).
_REJECT_LABEL = re.compile(
    r"(?:QQ群?|qq群?|Qq|QQ号码?|qq号码?|QQ號碼?|扣扣号?|订单号?|單號|单号|编号|編號|编码|編碼|条码|條碼|身份证号?|身份證號?|证件号码?|卡号|卡號|账号|帳號|帐号|"
    r"工号|学号|邮编|郵編|邮政编码|郵政編碼|ICP备|ICP證|ICP证|备案号?|備案號?|公网安备|公網安備|网安备|信用代码|"
    r"税号|文号|索引号|标识码|識別碼|识别码|序列号|型号|型號|货号|运单号|交易号|流水号|验证码|密码|批号|"
    r"注册号|登记号|许可证号?|字第|价格|售价|價格|RMB|人民币|金额|¥|￥|\$|No\.?|NO\.?|ID)\Z"
)
_LABEL_GAP = re.compile(r"[\s:：=#是为為\-]{0,4}\Z")
_GAP_CHARS = ":：=#是为為-"  # and white space (``\s``: what ``str.isspace`` tells)


def _literals(pattern: str) -> tuple[str, ...]:
    """The strings a regex alternation of literals matches (``X?``: with and without ``X``)."""
    body = pattern.removeprefix("(?:").removesuffix(")\\Z")
    out: list[str] = []
    for alt in body.split("|"):
        forms = [""]
        k = 0
        while k < len(alt):
            ch, k = (alt[k + 1], k + 2) if alt[k] == "\\" else (alt[k], k + 1)
            if k < len(alt) and alt[k] == "?":
                forms = [f + c for f in forms for c in ("", ch)]
                k += 1
            else:
                forms = [f + ch for f in forms]
        out += forms
    return tuple(dict.fromkeys(out))


# What _REJECT_LABEL.search tests, as one ``str.endswith`` (several times cheaper).
_REJECT_SUFFIXES = _literals(_REJECT_LABEL.pattern)


def _label_end(head: str) -> int:
    """``_LABEL_GAP.search(head).start()``: where up to four gap characters end ``head``."""
    k = 0
    while k < 4 and k < len(head) and (head[-1 - k].isspace() or head[-1 - k] in _GAP_CHARS):
        k += 1
    return len(head) - k
# Units glued to the digits (amounts, counts, dates); money units also after one space.
_UNIT_AFTER = re.compile(
    r"[ \t]?[元块塊万萬亿億]|[次个個辆輛件米年月日时時秒岁歲%％℃倍户戶亩畝吨噸斤]"
    r"|人(?![工均])|分(?!机|機)|号(?!码|碼)"
)
_URLISH = re.compile(
    r"://|www\.|@|\.(?:s?html?|jpe?g|png|gif|webp|bmp|php|aspx?|jsp|pdf|js|css|xlsx?|docx?|txt|zip|mp[34])\b",
    re.IGNORECASE,
)
_TOKEN_STOP = re.compile(r"[\s\u2e80-\uffff\"'<>()\[\]{}]")
_GLUE_OK = re.compile(r"(?:tel|phone|call|hotline|mobile|mob|cell|fax)\Z", re.IGNORECASE)
_CUES = (
    r"(?:电话|電話|热线|熱線|拨打|撥打|致电|致電|拨通|撥通|联系|聯繫|聯系|咨询|諮詢|手机|手機|座机|座機|号码|號碼|"
    r"专线|專線|传真|傳真|举报|舉報|投诉|投訴|报警|報警|求助|客服|售后|售後|服务台|服務台|Tel|TEL|tel|Fax|FAX|电|電)"
)
_CUE_BEFORE = re.compile(_CUES + r"[^\n。，,；;]{0,6}\Z")
# An aside in brackets between the cue and the number (热线（7×24小时）：…).
_CUE_ASIDE = re.compile(_CUES + r"[(（][^()（）\n]{1,10}[)）][\s:：]{0,2}\Z")
_CUE_AFTER = re.compile(
    r"^[\s\"”’)）]{0,2}(?:热线|熱線|电话|電話|客服|报警|報警|求助|服务|服務|咨询|諮詢|投诉|投訴|举报|舉報)"
)
STRONG_CUE = re.compile(r"(?:电话|電話|来电|來電|号码|號碼|致电|拨打|撥打|手机|手機)[\s:：]{0,2}\Z")
NANP = re.compile(r"[2-9]\d\d[2-9]\d{6}")
NANP_CUE = re.compile(r"北美|美国|美國|加拿大|USA|US\b|Canada")
_LIST_GAP = re.compile(r"^(?:[\s、,，/／;；]{1,3}|[ \t\u3000]{0,2}(?:或|及|和)[ \t\u3000]{0,2})\Z")
DATE = re.compile(r"^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\Z")
RAW_DATE = re.compile(r"(?:19|20)\d\d\s*[-./年]\s*\d{1,2}\s*[-./月]")
_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*[-—–－~～]\s*((?:19|20)\d\d)")


def year_span(text: str, start: int, end: int) -> bool:
    """``2012—2026``, ``1998-2024``: two years, the second later, joined by a dash (a
    copyright or founding span), not a local line written 4-4. Right after a strong phone cue
    (``电话：2012-2050``) it is the line the label names."""
    m = _YEAR_SPAN.fullmatch(text, start, end)
    return (
        m is not None
        and 0 < int(m.group(2)) - int(m.group(1)) <= 60
        and not STRONG_CUE.search(text, max(0, start - 12), start)
    )


def cue_before(text: str, start: int) -> bool:
    """Words about calling right before ``start`` (``电话：``, ``热线 ``)."""
    return _CUE_BEFORE.search(text, max(0, start - 12), start) is not None


def acceptable(text: str, start: int, end: int, *, lead_ok: bool) -> bool:
    """Reject spellings that are part of an ID, URL, file name, price, amount or date."""
    prev = text[start - 1] if start else ""
    nxt = text[end] if end < len(text) else ""
    if prev and (prev.isascii() and (prev.isalpha() or prev in "_@=&%?")):
        word = re.search(r"[A-Za-z]+\Z", text[max(0, start - 10) : start])
        if not (word and _GLUE_OK.search(word.group())):
            return False
    if prev.isdigit() and not lead_ok:
        return False
    if nxt and nxt.isascii() and (nxt.isalpha() or nxt in "_@%"):
        return False
    if nxt in (".", "．") and text[end + 1 : end + 2].isdigit():
        return False
    if _UNIT_AFTER.match(text, end):
        return False
    head = text[max(0, start - 16) : start]
    if head[: _label_end(head)].endswith(_REJECT_SUFFIXES):
        return False
    left = start
    while left > 0 and start - left < 120 and not _TOKEN_STOP.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < 120 and not _TOKEN_STOP.match(text[right]):
        right += 1
    return not _URLISH.search(text[left:right])


def cued(text: str, start: int, end: int, previous_end: int | None) -> bool:
    """A short or local number counts only next to words about calling, or in a list of numbers."""
    if _CUE_BEFORE.search(text[max(0, start - 12) : start]) or _CUE_AFTER.search(
        text[end : end + 8]
    ):
        return True
    if text[max(0, start - 3) : start].rstrip(" \t:：")[-1:] in (")", "）") and _CUE_ASIDE.search(
            text[max(0, start - 18) : start]):
        return True
    if previous_end is not None:
        return previous_end <= start and bool(_LIST_GAP.match(text[previous_end:start]))
    return False
