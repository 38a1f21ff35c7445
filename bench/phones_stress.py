"""Phone finder under stress: synthetic pages, one format class at a time, per-class precision/recall.

Why: the labelled dev data has 293 pages, so number formats it lacks are untested; the held-out
pages the project is judged on are not seen. Each class here writes pages of its own (invented
brands, numbers drawn at random and kept only if the ``phonenumbers`` metadata calls them valid)
with realistic sentences and HTML, so the expected answer is known by construction. Pages go
through :func:`pipelines.analyze.analyze` (HTML, ``tel:`` links, the page's numbering plan from
its URL), as the engine reads them.

Scoring, per page: a valid number expected and reported is a hit; a reported number not expected
(including one read out of a date, an ID or a mistyped number) is a false positive; a mistyped
number counts as found only as kind ``malformed`` with its whole spelling in ``raw``. Negative
classes carry one genuine hotline per page, so their precision says what the look-alikes cost.

    python bench/phones_stress.py [--pages 100] [--seed 8] [--misses] [--only CLASS]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.analyze import analyze
from pipelines.types import MALFORMED

R = random.Random

BRANDS = ("澄川", "明岚", "岳霖", "星禾", "云栖", "汀兰", "朔风", "青梧", "晏川", "临溪")
PRODUCTS = ("空调", "热水器", "冰箱", "洗衣机", "燃气灶", "净水器", "地暖", "门锁")
# Big-city area codes (8-digit subscriber numbers) and smaller ones whose plan keeps 7 digits.
AREA8 = ("10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "311", "371", "431",
         "451", "531", "551", "571", "591", "731", "755", "757", "769", "791", "871", "898")
AREA7 = ("335", "351", "412", "471", "533", "912", "352", "437", "452")
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
SIMPLIFIED_CUES = (
    "全国统一客服热线：{n}，7×24小时为您服务。",
    "如有任何疑问，请拨打{b}售后服务电话{n}咨询。",
    "预约上门维修请致电 {n}，工作时间 8:30-20:00。",
    "联系电话：{n}",
    "{b}{p}维修服务热线 {n} 欢迎来电",
    "客服中心电话【{n}】",
    "{b}官方售后：{n}（免费上门检测）",
    "全国客服热线（7×24小时）：{n}",
    "{b}{p}售后服务中心 咨询热线 ☎ {n}",
)
TRADITIONAL_CUES = (
    "客服專線：{n}，歡迎來電洽詢。",
    "如需協助，請致電 {n}。",
    "聯絡電話：{n}（週一至週五 9:00-18:00）",
    "{b}服務熱線 {n} 竭誠為您服務",
    "門市電話：{n}",
)


@dataclass
class Page:
    """One synthetic page and what a perfect finder reports on it."""

    html: str
    url: str
    want: set[str] = field(default_factory=set)  # E.164 (or short code digits) of valid numbers
    # Mistyped numbers: the ``e164`` expected (``raw:`` + digits, or ``+`` + digits when written
    # with a country code) and the digits its ``raw`` spelling must hold, all of them.
    malformed: dict[str, str] = field(default_factory=dict)


# --- invented numbers, valid per the metadata -------------------------------------------------

def _digits(rng: R, n: int, first: str = "0123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _valid(national: str, region: str) -> str | None:
    try:
        num = phonenumbers.parse(national, region)
    except phonenumbers.NumberParseException:  # a carrier-select prefix (179xx) left nothing
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _draw(rng: R, make: Callable[[R], str], region: str) -> tuple[str, str]:
    """National digits made by ``make`` until the metadata accepts them, and their E.164."""
    while True:
        national = make(rng)
        e164 = _valid(national, region)
        if e164:
            return national, e164


def hotline(rng: R, prefix: str = "400") -> tuple[str, str]:
    return _draw(rng, lambda r: prefix + _digits(r, 7), "CN")


def mobile(rng: R) -> tuple[str, str]:
    return _draw(rng, lambda r: "1" + r.choice("3456789") + _digits(r, 9), "CN")


def landline(rng: R, seven: bool = False) -> tuple[str, str, str]:
    """(area code with trunk 0, subscriber, E.164)."""
    while True:
        area = rng.choice(AREA7 if seven else AREA8)
        sub = _digits(rng, 7 if seven else 8, "2345678")
        e164 = _valid("0" + area + sub, "CN")
        if e164:
            return "0" + area, sub, e164


def foreign(rng: R, region: str, make: Callable[[R], str]) -> tuple[str, str]:
    return _draw(rng, make, region)


# --- page shells ------------------------------------------------------------------------------

def shell(body: str, *, title: str, url: str = "", traditional: bool = False) -> tuple[str, str]:
    nav = "首頁 | 服務網點 | 常見問題 | 聯絡我們" if traditional else "首页 | 服务网点 | 常见问题 | 联系我们"
    foot = "版權所有 保留一切權利" if traditional else "版权所有 保留一切权利"
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><div class="nav">{nav}</div><h1>{title}</h1>{body}'
            f'<div class="footer">{foot}</div></body></html>')
    return html, url or f"https://www.s{zlib.crc32(body.encode()) % 9973}.example.com/contact.html"


def cue(rng: R, spelled: str, *, traditional: bool = False) -> str:
    b, p = rng.choice(BRANDS), rng.choice(PRODUCTS)
    return rng.choice(TRADITIONAL_CUES if traditional else SIMPLIFIED_CUES).format(n=spelled, b=b, p=p)


def filler(rng: R, traditional: bool = False) -> str:
    if traditional:
        return rng.choice(("本公司提供專業維修與保養服務，師傅經驗豐富。", "我們秉持誠信經營，服務至上。"))
    return rng.choice((
        "本中心提供专业的家电维修与保养服务，师傅经验丰富，收费透明。",
        "我们坚持诚信经营，客户满意是我们的追求。",
        "服务范围覆盖全市各区县，当天预约当天上门。",
    ))


def simple_page(rng: R, spellings: list[str], want: set[str], *, url: str = "",
                traditional: bool = False, malformed: dict[str, str] | None = None) -> Page:
    """A page with each spelling in a cue sentence of its own, between filler paragraphs."""
    brand = rng.choice(BRANDS)
    title = f"{brand}{rng.choice(PRODUCTS)}{'售後服務中心' if traditional else '售后服务中心'}"
    body = f"<p>{filler(rng, traditional)}</p>"
    for s in spellings:
        body += f"<p>{cue(rng, s, traditional=traditional)}</p><p>{filler(rng, traditional)}</p>"
    html, url = shell(body, title=title, url=url, traditional=traditional)
    return Page(html, url, want, malformed or {})


def page(rng: R, body: str, want: set[str], title: str) -> Page:
    """A page of ``body`` under a title of an invented brand and ``title``."""
    html, url = shell(body, title=rng.choice(BRANDS) + title)
    return Page(html, url, want)


# --- classes: valid numbers -------------------------------------------------------------------

def _4_3_4(d: str, sep: str) -> str:
    return sep.join((d[:3], d[3:6], d[6:])) if len(d) == 10 else sep.join((d[:3], d[3:7], d[7:]))


def c_400(sep: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        (a, ea), (b, eb) = hotline(rng), hotline(rng, rng.choice(("400", "800")))
        return simple_page(rng, [_4_3_4(a, sep), _4_3_4(b, sep)], {ea, eb})
    return make


def c_400_4_3_3(rng: R) -> Page:
    d, e = hotline(rng)
    return simple_page(rng, [f"{d[:4]}-{d[4:7]}-{d[7:]}"], {e})


def c_400_fullwidth(rng: R) -> Page:
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    return simple_page(rng, [_4_3_4(a, "-").translate(FULLWIDTH), b.translate(FULLWIDTH)], {ea, eb})


def c_400_tags(rng: R) -> Page:
    d, e = hotline(rng)
    forms = (
        f"<span>{d[:3]}</span>-<b>{d[3:6]}</b>-<i>{d[6:]}</i>",
        f'<span class="a">{d[:3]}</span><span class="b">{d[3:6]}</span><span class="c">{d[6:]}</span>',
        "".join(f"<em>{c}</em>" for c in d),
        f"<strong>{d[:3]}</strong> <strong>{d[3:6]}</strong> <strong>{d[6:]}</strong>",
    )
    return simple_page(rng, [rng.choice(forms)], {e})


def c_400_ext(rng: R) -> Page:
    d, e = hotline(rng)
    ext = _digits(rng, rng.choice((1, 3, 4)), "123456789")
    spelled = rng.choice((f"{_4_3_4(d, '-')}转{ext}", f"{_4_3_4(d, '-')} 转 {ext}", f"{d}转{ext}",
                          f"{_4_3_4(d, '-')}-{ext}" if len(ext) <= 4 else f"{d}转{ext}"))
    return simple_page(rng, [spelled], {e})


def c_800_spaced(rng: R) -> Page:
    d, e = hotline(rng, "800")
    return simple_page(rng, [_4_3_4(d, " ")], {e})


def c_mobile(form: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        d, e = mobile(rng)
        spelled = {
            "plain": d,
            "space": f"{d[:3]} {d[3:7]} {d[7:]}",
            "dash": f"{d[:3]}-{d[3:7]}-{d[7:]}",
            "4-3-4": f"{d[:4]} {d[4:7]} {d[7:]}",
            "+86": rng.choice((f"+86 {d}", f"+86-{d}", f"+86 {d[:3]} {d[3:7]} {d[7:]}",
                               f"+8613{d[2:]}" if d.startswith("13") else f"+86{d}")),
            "86-": rng.choice((f"86-{d}", f"0086-{d}", f"0086 {d}")),
            "(+86)": rng.choice((f"(+86){d}", f"（+86）{d}", f"(+86) {d[:3]}-{d[3:7]}-{d[7:]}",
                                 f"(86){d}")),
        }[form]
        return simple_page(rng, [spelled], {e})
    return make


def c_landline(form: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        area, sub, e = landline(rng, seven=form == "0xxx-7")
        ext = _digits(rng, rng.choice((3, 4)), "123456789")
        spelled = {
            "dash": f"{area}-{sub}",
            "paren": rng.choice((f"({area}){sub}", f"（{area}）{sub}", f"({area}) {sub}")),
            "0xxx-7": rng.choice((f"{area}-{sub}", f"{area} {sub}", f"({area}){sub}")),
            "space-dash": f"{area} - {sub}",
            "plain": f"{area}{sub}",
            "fullwidth": rng.choice((f"（{area}）{sub}", f"{area}-{sub}")).translate(FULLWIDTH),
            "ext": rng.choice((f"{area}-{sub}转{ext}", f"{area}-{sub}-分机{ext}",
                               f"{area}-{sub} ext.{ext}", f"{area}-{sub} 分机 {ext}",
                               f"{area}-{sub}-{ext}")),
            "+86": rng.choice((f"+86-{area[1:]}-{sub}", f"+86 {area[1:]} {sub}",
                               f"0086-{area[1:]}-{sub}", f"+86({area[1:]}){sub}",
                               f"+86 (0){area[1:]} {sub}")),
        }[form]
        return simple_page(rng, [spelled], {e})
    return make


SHORT_CODES = ("95{}", "96{}", "100{}", "12{}")


def c_short(rng: R) -> Page:
    pattern = rng.choice(SHORT_CODES)
    rest = 5 - len(pattern.replace("{}", ""))
    code = pattern.format(_digits(rng, rest))
    spelled = rng.choice((f"客服热线：{code}", f"请拨打{code}咨询", f"服务电话 {code}",
                          f"可致电{code}进行投诉", f"拨打{code}政务服务便民热线",
                          f"{code}客服热线24小时服务", f"服务热线：{code}（按1转人工）"))
    brand = rng.choice(BRANDS)
    html, url = shell(f"<p>{filler(rng)}</p><p>{spelled}。</p>", title=f"{brand}银行客户服务")
    return Page(html, url, {code})


def c_hk(form: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        d, e = foreign(rng, "HK", lambda r: _digits(r, 8, "235679"))
        spelled = {
            "+852": rng.choice((f"+852 {d[:4]} {d[4:]}", f"+852-{d}", f"+852 {d}", f"(+852) {d[:4]} {d[4:]}",
                                f"+852-{d[:4]}-{d[4:]}", f"00852 {d}")),
            "(852)": rng.choice((f"(852) {d[:4]} {d[4:]}", f"(852){d}", f"（852）{d[:4]} {d[4:]}")),
            "local": rng.choice((f"{d[:4]} {d[4:]}", d, f"{d[:4]}-{d[4:]}")),
        }[form]
        return simple_page(rng, [spelled], {e}, traditional=True,
                           url="https://www.example-service.com.hk/contact" if form == "local" else "")
    return make


def c_tw(form: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        if form in ("(02)", "02-"):
            d, e = foreign(rng, "TW", lambda r: "02" + _digits(r, 8, "2345678"))
            spelled = f"(02){d[2:6]}-{d[6:]}" if form == "(02)" else f"02-{d[2:6]}-{d[6:]}"
        elif form == "0800":
            d, e = foreign(rng, "TW", lambda r: "0800" + _digits(r, 6))
            spelled = f"0800-{d[4:7]}-{d[7:]}"
        elif form == "area":  # other two/three-digit area codes
            d, e = foreign(rng, "TW", lambda r: r.choice(("04", "07", "03", "06")) + _digits(r, 7, "2345678"))
            spelled = rng.choice((f"({d[:2]}){d[2:5]}-{d[5:]}", f"{d[:2]}-{d[2:5]}-{d[5:]}"))
        else:
            d, e = foreign(rng, "TW", lambda r: "09" + _digits(r, 8))
            spelled = rng.choice((f"{d[:4]}-{d[4:7]}-{d[7:]}", d, f"{d[:4]} {d[4:7]} {d[7:]}"))
        return simple_page(rng, [spelled], {e}, traditional=True,
                           url="https://www.example-shop.com.tw/about")
    return make


def c_tw_intl(rng: R) -> Page:
    if rng.random() < 0.5:
        d, e = foreign(rng, "TW", lambda r: "09" + _digits(r, 8))
        spelled = rng.choice((f"+886 {d[1:4]} {d[4:7]} {d[7:]}", f"+886-{d[1:]}", f"(886){d[1:]}"))
    else:
        d, e = foreign(rng, "TW", lambda r: "02" + _digits(r, 8, "2345678"))
        spelled = rng.choice((f"+886-2-{d[2:6]}-{d[6:]}", f"+886 2 {d[2:6]} {d[6:]}", f"(886) 2-{d[2:6]}-{d[6:]}"))
    return simple_page(rng, [spelled], {e}, traditional=True)


def c_mo(form: str) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        d, e = foreign(rng, "MO", lambda r: r.choice(("28" + _digits(r, 6), "6" + _digits(r, 7))))
        spelled = (rng.choice((f"+853 {d[:4]} {d[4:]}", f"+853-{d}", f"(853) {d}"))
                   if form == "+853" else rng.choice((f"{d[:4]} {d[4:]}", d)))
        return simple_page(rng, [spelled], {e}, traditional=True,
                           url="" if form == "+853" else "https://www.example-travel.com.mo/")
    return make


def c_outside_text(where: str) -> Callable[[R], Page]:
    """Numbers only in ``tel:`` links (``tel``), or in an image's alt text and an inline
    script's string (``attr``), not in the text a reader sees."""
    def make(rng: R) -> Page:
        (a, ea), (b, eb) = hotline(rng), mobile(rng)
        link = rng.choice((a, _4_3_4(a, "-"), f"+86-{_4_3_4(a, '-')}", f"//{a}"))
        hidden = (f'<p><a href="tel:{link}">一键拨号</a> <a href="tel:+86{b}">手机咨询</a></p>'
                  if where == "tel" else
                  f'<img src="/img/banner.png" alt="客服热线{_4_3_4(a, "-")}">'
                  + rng.choice((f'<script>var tel = "{b}"; document.write(tel);</script>',
                                '<script type="application/ld+json">{"@type": "LocalBusiness", '
                                f'"telephone": "+86-{b[:3]}-{b[3:7]}-{b[7:]}"}}</script>')))
        return page(rng, f"<p>{filler(rng)}</p>{hidden}", {ea, eb}, "在线客服")
    return make


def c_number_line(rng: R) -> Page:
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    area, sub, ec = landline(rng)
    body = (f"<p>{filler(rng)}</p><div>{_4_3_4(a, '-')}</div><p>{filler(rng)}</p>"
            f"<div>{b}</div><div>{area}-{sub}</div>")
    return page(rng, body, {ea, eb, ec}, "服务网点")


def c_glued_text(rng: R) -> Page:
    """Numbers glued to the Chinese words around them, and in brackets after a name."""
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    brand = rng.choice(BRANDS)
    body = (f"<p>{brand}售后热线{a}全国联网</p>"
            f"<p>{brand}维修（{_4_3_4(b, '-')}）师傅上门</p>")
    html, url = shell(body, title=f"{brand}售后服务")
    return Page(html, url, {ea, eb})


def c_list(rng: R) -> Page:
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    area, sub, ec = landline(rng)
    sep = rng.choice(("/", "、", "，", " 或 ", " / "))
    body = f"<p>服务热线：{_4_3_4(a, '-')}{sep}{b}{sep}{area}-{sub}</p>"
    return page(rng, body, {ea, eb, ec}, "售后")


def c_shared_area(rng: R) -> Page:
    """Bare lines listed after a landline share its area code (``(0571) 8627 1835 / 8627 1836``)."""
    area, sub, _ = landline(rng)
    subs = [sub]
    while len(subs) < rng.choice((2, 3)):
        nxt = str(int(sub) + len(subs))
        if len(nxt) == len(sub) and _valid(area + nxt, "CN"):
            subs.append(nxt)
        else:
            break
    sep = rng.choice(("、", " / ", "，", " 或 "))
    split = rng.random() < 0.5 and len(sub) == 8
    written = [f"{x[:4]} {x[4:]}" if split else x for x in subs]
    first = rng.choice((f"({area}) {written[0]}", f"{area}-{written[0]}"))
    want = {_valid(area + x, "CN") or "" for x in subs}
    return page(rng, f"<p>服务电话：{sep.join([first, *written[1:]])}</p>", want, "门店")


def c_slash_shorthand(rng: R) -> Page:
    """``0571-86271835/36/37``, ``400-627-1835/1836``: further lines written by their last digits."""
    if rng.random() < 0.5:
        area, sub, _ = landline(rng)
        national, first = area + sub, f"{area}-{sub}"
    else:
        national = hotline(rng)[0]
        first = _4_3_4(national, "-")
    tails, want = [], {_valid(national, "CN") or ""}
    size = rng.choice((1, 2, 2, 4))
    for step in range(1, rng.choice((2, 3))):
        alt = str(int(national[-size:]) + step).zfill(size)
        full = _valid(national[:-size] + alt, "CN") if len(alt) == size else None
        if not full:
            break
        tails.append(alt)
        want.add(full)
    return page(rng, f"<p>联系电话：{'/'.join([first, *tails])}</p>", want, "售后")


def c_grouped_then_bare(rng: R) -> Page:
    """A landline written in groups of four, then a bare line the same way on the same line
    (``010 6275 1234 6275 1235``): the number and a local line, not a bank card."""
    area, sub, e = landline(rng)
    other = _digits(rng, 8, "2345678")
    first = rng.choice((f"{area} {sub[:4]} {sub[4:]}", f"({area}) {sub[:4]} {sub[4:]}",
                        f"+86 {area[1:]} {sub[:4]} {sub[4:]}"))
    return page(rng, f"<p>服务电话：{first} {other[:4]} {other[4:]}</p>", {e, other}, "门店")


def c_slash_units(rng: R) -> Page:
    """A count, a time, a floor or a page after a slash (``400-627-1835/24小时服务``, ``/2楼``):
    no further line is made up from its digits."""
    if rng.random() < 0.5:
        area, sub, e = landline(rng)
        first = f"{area}-{sub}"
    else:
        d, e = hotline(rng)
        first = _4_3_4(d, "-")
    tail = rng.choice(("24小时服务", "7天", "365天无休", f"{rng.randint(2, 30)}楼", f"{rng.randint(2, 9)}层",
                       f"{rng.randint(7, 9)}:00-{rng.randint(17, 21)}:00", f"{rng.randint(1, 9)}(第1页)",
                       f"{rng.randint(1, 99)}号", f"{rng.randint(100, 999)}室", "24h在线"))
    return page(rng, f"<p>客服热线：{first}/{tail}</p>", {e}, "售后")


def c_one_dot(rng: R) -> Page:
    """A number written with one dot (``400.6271835``, ``139.12345678``, ``1391234.5678``, and
    ``电话：8627.1835``): a number, not a decimal."""
    (a, ea), (m, em) = hotline(rng), mobile(rng)
    local = _digits(rng, 8, "2345678")
    spellings = [f"{a[:3]}.{a[3:]}", rng.choice((f"{m[:3]}.{m[3:]}", f"{m[:7]}.{m[7:]}"))]
    sp = simple_page(rng, spellings, {ea, em})
    html = sp.html.replace("</h1>", f"</h1><p>门店电话：{local[:4]}.{local[4:]}</p>", 1)
    return Page(html, sp.url, {ea, em, local})


def c_json_ld(rng: R) -> Page:
    """Structured data: only ``telephone`` / ``faxNumber`` (nested in ``contactPoint`` too) are
    numbers; ``sku``, ``mpn``, ``gtin`` and prices that look like numbers are not."""
    (a, ea), (m, em) = hotline(rng), mobile(rng)
    sku, mpn = hotline(rng)[0], mobile(rng)[0]
    area, sub, ef = landline(rng)
    tel = rng.choice((m, f"+86-{m[:3]}-{m[3:7]}-{m[7:]}"))
    ld = ('<script type="application/ld+json">{"@type": "Product", '
          f'"sku": "{sku}", "mpn": "{mpn}", "gtin13": "{_digits(rng, 13, "69")}", '
          '"brand": {"@type": "Organization", "contactPoint": {"@type": "ContactPoint", '
          f'"telephone": "{tel}", "faxNumber": "{area}-{sub}"}}}}}}</script>')
    return page(rng, f"<p>客服热线：{_4_3_4(a, '-')}</p>{ld}", {ea, em, ef}, "产品")


def c_two_on_a_line(rng: R) -> Page:
    """Two numbers one blank apart on one line (a landline and a mobile, a hotline and a mobile)."""
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    area, sub, ec = landline(rng)
    first, e1 = rng.choice(((_4_3_4(a, "-"), ea), (f"{area}-{sub}", ec), (a, ea)))
    second = rng.choice((b, f"{b[:3]}-{b[3:7]}-{b[7:]}", f"{b[:3]} {b[3:7]} {b[7:]}"))
    return page(rng, f"<p>联系电话：{first} {second}</p>", {e1, eb}, "维修部")


def c_table(rng: R) -> Page:
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    body = (f"<table><tr><td>服务热线</td><td>{_4_3_4(a, '-')}</td></tr>"
            f"<tr><td>值班手机</td><td>{b[:3]} {b[3:7]} {b[7:]}</td></tr>"
            f"<tr><td>营业时间</td><td>08:00-20:00</td></tr></table>")
    return page(rng, body, {ea, eb}, "联系方式")


def c_nbsp(rng: R) -> Page:
    d, e = hotline(rng)
    return simple_page(rng, [f"{d[:3]}&nbsp;{d[3:6]}&nbsp;{d[6:]}"], {e})


def c_english(rng: R) -> Page:
    area, sub, e = landline(rng)
    (d, em), (h, eh) = mobile(rng), hotline(rng)
    body = (f"<p>Tel: +86-{area[1:]}-{sub}</p><p>Mobile: +86 {d[:3]} {d[3:7]} {d[7:]}</p>"
            f"<p>Hotline：{_4_3_4(h, '-')}</p>")
    html, url = shell(body, title="Contact Us 联系我们")
    return Page(html, url, {e, em, eh})


ZH = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def c_zh_numerals(rng: R) -> Page:
    d, e = hotline(rng)
    spelled = rng.choice(("".join(ZH[c] for c in d), d.replace("0", "O")))
    return simple_page(rng, [spelled], {e})


def c_spaced_digits(rng: R) -> Page:
    """Digits spaced one by one, or cut by a line break (``<br>``), as spam pages hide them."""
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    forms = (" ".join(a), " ".join(b), f"{a[:3]}-{a[3:6]}-<br>{a[6:]}", f"{b[:3]}<br>{b[3:7]}<br>{b[7:]}")
    k = rng.randrange(4)
    return simple_page(rng, [forms[k]], {ea if k in (0, 2) else eb})


def c_wechat(rng: R) -> Page:
    d, e = mobile(rng)
    spelled = rng.choice((f"{d}（微信同号）", f"{d[:3]} {d[3:7]} {d[7:]} 微信同号", f"{d}(同微信)"))
    return simple_page(rng, [spelled], {e})


def c_hk_list(rng: R) -> Page:
    (a, ea), (b, eb) = (foreign(rng, "HK", lambda r: _digits(r, 8, "2359")) for _ in range(2))
    sep = rng.choice((" / ", "/", "、", " 或 "))
    body = f"<p>查詢電話：{a[:4]} {a[4:]}{sep}{b[:4]} {b[4:]}</p><p>{filler(rng, True)}</p>"
    html, _ = shell(body, title="門市資料", traditional=True)
    return Page(html, "https://www.example-store.com.hk/shops", {ea, eb})


def c_tw_ext(rng: R) -> Page:
    """Taiwanese extensions: ``#123``, 分機, 轉."""
    d, e = foreign(rng, "TW", lambda r: "02" + _digits(r, 8, "2345678"))
    ext = _digits(rng, rng.choice((2, 3, 4)), "123456789")
    base = rng.choice((f"(02){d[2:6]}-{d[6:]}", f"02-{d[2:6]}-{d[6:]}"))
    spelled = base + rng.choice((f" #{ext}", f"#{ext}", f" 分機 {ext}", f"轉{ext}", f" ext.{ext}"))
    return simple_page(rng, [spelled], {e}, traditional=True, url="https://www.example-shop.com.tw/about")


def c_invisible(rng: R) -> Page:
    """Zero-width characters and numeric character references inside the digits."""
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    forms = ("\u200b".join(a), f"{a[:3]}\u200c{a[3:6]}\u200d{a[6:]}",
             "".join(f"&#{ord(c)};" for c in b), f"{b[:3]}&#8203;{b[3:7]}&#8203;{b[7:]}")
    k = rng.randrange(4)
    return simple_page(rng, [forms[k]], {ea if k < 2 else eb})


def c_emoji(rng: R) -> Page:
    """A telephone sign or emoji as the only cue."""
    (a, ea), (b, eb) = hotline(rng), mobile(rng)
    sign = rng.choice(("☎", "☎️", "📞", "📱", "☏", "✆"))
    body = f"<p>{filler(rng)}</p><p>{sign} {_4_3_4(a, '-')}</p><p>{sign}{b}</p>"
    return page(rng, body, {ea, eb}, "售后")


def c_title_meta(rng: R) -> Page:
    """The number in the title and the meta description, as SEO pages put it."""
    d, e = hotline(rng)
    brand = rng.choice(BRANDS)
    html = (f'<html><head><meta charset="utf-8"><title>{brand}售后电话{_4_3_4(d, "-")}</title>'
            f'<meta name="description" content="{brand}全国售后服务热线{d}"></head>'
            f"<body><p>{filler(rng)}</p></body></html>")
    return Page(html, f"https://www.s{zlib.crc32(d.encode()) % 997}.example.com/", {e})


def c_hidden(rng: R) -> Page:
    """The number in text hidden from the reader (display:none), as stuffed pages do."""
    d, e = hotline(rng)
    body = (f"<p>{filler(rng)}</p><div style=\"display:none\">{rng.choice(BRANDS)}售后服务电话"
            f"{_4_3_4(d, '-')}</div>")
    return page(rng, body, {e}, "维修")


def c_mixed_numerals(rng: R) -> Page:
    """Chinese numerals mixed with digits in one spelling."""
    d, e = mobile(rng)
    k = rng.randrange(3, 8)
    spelled = d[:k] + "".join(ZH[c] for c in d[k:]) if rng.random() < 0.5 else \
        "".join(ZH[c] for c in d[:k]) + d[k:]
    return simple_page(rng, [spelled], {e})


def c_landline_paren_ext(rng: R) -> Page:
    area, sub, e = landline(rng)
    ext = _digits(rng, 3, "123456789")
    spelled = rng.choice((f"{area}-{sub}(转{ext})", f"{area}-{sub}（分机{ext}）", f"({area}){sub}-{ext}"))
    return simple_page(rng, [spelled], {e})


# --- classes: look-alikes that are not phone numbers (each page also has one real hotline) ----

def _id_card(rng: R) -> str:
    region = rng.choice(("110101", "310104", "440305", "130102", "150102", "320106", "510107"))
    birth = f"{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + birth + _digits(rng, 3)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _luhn(rng: R, prefix: str, n: int) -> str:
    body = prefix + _digits(rng, n - len(prefix) - 1)
    total = 0
    for k, c in enumerate(reversed(body)):
        v = int(c) * (2 if k % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return body + str((10 - total % 10) % 10)


def n_same_line(rng: R) -> Page:
    """Look-alikes on the hotline's own line, one blank away from it."""
    d, e = hotline(rng)
    y, m, dd = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    tail = rng.choice((f"{y}-{m:02d}-{dd:02d} 发布", f"邮编 {_digits(rng, 6, '123456789')}",
                       "营业时间 08:00-20:00", f"({y}-{m:02d}-{dd:02d}更新)", f"QQ {_digits(rng, 9, '123456789')}",
                       f"工单 {_digits(rng, 12, '123456789')}", f"{rng.randint(1, 99)}.{rng.randint(1, 9)}万人已咨询"))
    body = f"<p>{filler(rng)}</p><p>客服热线：{_4_3_4(d, '-')} {tail}</p>"
    return page(rng, body, {e}, "服务中心")


def negative(sentences: Callable[[R], list[str]]) -> Callable[[R], Page]:
    def make(rng: R) -> Page:
        d, e = hotline(rng)
        lines = sentences(rng)
        rng.shuffle(lines)
        body = f"<p>{cue(rng, _4_3_4(d, '-'))}</p>" + "".join(f"<p>{s}</p>" for s in lines)
        html, url = shell(body, title=f"{rng.choice(BRANDS)}{rng.choice(PRODUCTS)}服务")
        return Page(html, url, {e})
    return make


def n_dates(rng: R) -> list[str]:
    y, m, d = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return [f"发布时间：{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}", f"更新于 {y}/{m:02d}/{d:02d} {h:02d}:{mi:02d}:{s:02d}",
            f"{y}年{m:02d}月{d:02d}日 {h:02d}:{mi:02d}", f"活动日期 {y}.{m:02d}.{d:02d}-{y}.{m:02d}.{d + 1:02d}",
            f"截止日期：{y}{m:02d}{d:02d}", f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+08:00"]


def n_prices(rng: R) -> list[str]:
    return [f"价格：¥{rng.randint(100, 99999)}.00",
            f"原价 {rng.randint(2000, 20000)} 元，现价 {rng.randint(1000, 1999)} 元",
            f"累计销售 {rng.randint(1, 99)},{rng.randint(100, 999)},{rng.randint(100, 999)} 台",
            f"上门检测费 {rng.randint(30, 99)} 元，配件费另计", f"总金额：{rng.randint(10000000, 99999999)}元",
            f"售价 RMB {rng.randint(1000, 9999)}"]


def n_orders(rng: R) -> list[str]:
    return [f"订单号：{rng.randint(2015, 2026)}{_digits(rng, 14)}", f"快递单号 SF{_digits(rng, 13)}",
            f"运单号：{_digits(rng, 15, '7')}", f"订单编号 {_digits(rng, 16, '123456789')}",
            f"工单号 {_digits(rng, 12, '123456789')}", f"交易流水号：{_digits(rng, 20, '123456789')}"]


def n_id_cards(rng: R) -> list[str]:
    return [f"身份证号：{_id_card(rng)}", f"证件号码 {_id_card(rng)}", f"{_id_card(rng)}",
            f"持卡人证件：{_id_card(rng)}（已脱敏）"]


def n_bank_cards(rng: R) -> list[str]:
    a, b = _luhn(rng, "6222", 19), _luhn(rng, "6228", 16)
    c = _luhn(rng, "6217", 19)
    return [f"卡号：{a}", " ".join(b[k:k + 4] for k in range(0, 16, 4)), f"收款账户 {c}",
            f"银行卡 {' '.join(a[k:k + 4] for k in range(0, 19, 4))}"]


def n_qq(rng: R) -> list[str]:
    return [f"QQ:{_digits(rng, 8, '123456789')}", f"QQ：{_digits(rng, 10, '123456789')}",
            f"QQ号：{mobile(rng)[0][:10]}", f"微信/QQ：{_digits(rng, 10, '123456789')}",
            f"客服QQ {_digits(rng, 9, '123456789')}", f"QQ群：{_digits(rng, 9, '123456789')}",
            f"扣扣 {_digits(rng, 10, '1')}"]


def n_postcodes(rng: R) -> list[str]:
    return [f"邮编：{_digits(rng, 6, '123456789')}", f"邮政编码 {_digits(rng, 6, '123456789')}",
            f"地址：某某路{rng.randint(1, 999)}号（邮编{_digits(rng, 6, '123456789')}）"]


def n_icp(rng: R) -> list[str]:
    prov = rng.choice("京沪粤浙苏鲁川")
    return [f"{prov}ICP备{_digits(rng, 8, '123456789')}号-{rng.randint(1, 9)}",
            f"{prov}ICP备{rng.randint(2015, 2026)}{_digits(rng, 6)}号",
            f"{prov}公网安备{_digits(rng, 14, '1234')}号", f"{prov}ICP证{_digits(rng, 6, '0123')}号",
            f"增值电信业务经营许可证：{prov}B2-{rng.randint(2010, 2026)}{_digits(rng, 4)}"]


def n_models(rng: R) -> list[str]:
    return [f"型号：KFR-{rng.randint(23, 72)}GW/BP3DN1Y-{rng.randint(100, 999)}",
            f"BCD-{rng.randint(200, 650)}WDPG 冰箱",
            f"XQG{rng.randint(80, 120)}-{rng.randint(10, 14)}B{_digits(rng, 4)}",
            f"适用机型 JSQ{rng.randint(20, 32)}-{rng.randint(10, 16)}{rng.choice('ABCD')}",
            f"产品编码 {rng.randint(1000, 9999)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"]


def n_coordinates(rng: R) -> list[str]:
    lat, lng = rng.uniform(18, 50), rng.uniform(75, 134)
    return [f"坐标：{lat:.6f}, {lng:.6f}", f"北纬{lat:.4f}°，东经{lng:.4f}°", f"经纬度 {lng:.7f},{lat:.7f}",
            f"GPS {lat:.5f} {lng:.5f}"]


def n_versions(rng: R) -> list[str]:
    return [f"APP 版本 v{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",
            f"固件版本 {rng.randint(1, 10)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{_digits(rng, 4)}",
            f"Android {rng.randint(9, 14)}.0.0.{rng.randint(100, 999)}",
            f"build {rng.randint(2015, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{_digits(rng, 4)}"]


def n_hours(rng: R) -> list[str]:
    a, b = rng.randint(7, 9), rng.randint(17, 22)
    return [f"服务时间：周一至周日 {a:02d}:00-{b:02d}:00", f"营业时间 {a}:30—{b}:30",
            f"工作日 {a:02d}:00 - {b:02d}:00，节假日 {a + 1:02d}:00-{b - 1:02d}:00",
            "1-3个工作日内上门，24小时内回复"]


def n_codes(rng: R) -> list[str]:
    """Registration and licence numbers, stock codes, ISBNs, timestamps, counters."""
    return [f"统一社会信用代码：91{_digits(rng, 6)}MA{_digits(rng, 7)}{rng.choice('ABCXY')}",
            f"营业执照注册号 {_digits(rng, 15, '1234')}",
            f"股票代码：{rng.choice(('600', '000', '300'))}{_digits(rng, 3)}",
            f"ISBN 978-7-{rng.randint(100, 999)}-{_digits(rng, 5)}-{rng.randint(0, 9)}",
            f"时间戳 {rng.randint(1500000000, 1790000000)}{_digits(rng, 3)}",
            f"专利号：ZL{rng.randint(2010, 2026)}{_digits(rng, 8)}.{rng.randint(0, 9)}",
            f"已累计服务 {rng.randint(100000, 999999)} 位用户，好评率 {rng.randint(90, 99)}.{rng.randint(0, 9)}%"]


def n_ranges(rng: R) -> list[str]:
    """Year spans, amounts and durations written with dashes."""
    y = rng.randint(1990, 2020)
    return [f"成立于{y}年，{y}-{y + rng.randint(1, 6)}年连续获奖", f"{y}—{rng.randint(2021, 2026)} 版权所有",
            f"价格区间 {rng.randint(100, 900)}-{rng.randint(1000, 9000)} 元", "3-5个工作日到货，7×24小时在线",
            f"第 {rng.randint(1000, 9999)} 期 {rng.randint(1, 30)}-{rng.randint(1, 30)}-{rng.randint(1, 30)}"]


def c_full_page(rng: R) -> Page:
    """A whole contact page: hotline in the header, a table of branches with landlines and
    mobiles, service hours, prices, a news date, and a footer of ICP, police record, copyright
    span and address with postcode."""
    brand = rng.choice(BRANDS)
    h, eh = hotline(rng)
    want = {eh}
    rows = ""
    for city in rng.sample(("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安"), 3):
        area, sub, e = landline(rng)
        m, em = mobile(rng)
        want |= {e, em}
        rows += (f"<tr><td>{city}服务站</td><td>{area}-{sub}</td><td>{m[:3]} {m[3:7]} {m[7:]}</td>"
                 f"<td>{rng.randint(1, 999)}号</td></tr>")
    y = rng.randint(2016, 2025)
    body = (f"<div class=\"top\">全国服务热线：<b>{_4_3_4(h, '-')}</b></div>"
            f"<p>发布时间：{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{rng.randint(8, 20)}:{rng.randint(10, 59)}</p>"
            f"<p>上门检测费 {rng.randint(30, 99)} 元，服务时间 08:00-20:00</p>"
            f"<table><tr><th>网点</th><th>电话</th><th>手机</th><th>地址</th></tr>{rows}</table>"
            f"<div class=\"footer\">Copyright © {y}-{y + 1} {brand}科技有限公司 "
            f"{rng.choice('京沪粤浙')}ICP备{_digits(rng, 8, '123456789')}号-1 "
            f"{rng.choice('京沪粤浙')}公网安备{_digits(rng, 14, '1234')}号<br>"
            f"地址：某某路{rng.randint(1, 999)}号 邮编：{_digits(rng, 6, '123456789')}</div>")
    return page(rng, body, want, "服务网点")


def n_network(rng: R) -> list[str]:
    """Router and network pages: IP addresses, MAC addresses, ports."""
    return [f"登录地址 192.168.{rng.randint(0, 9)}.{rng.randint(1, 254)}",
            "服务器 " + ".".join(str(rng.randint(1, 254)) for _ in range(4)) + f":{rng.randint(1000, 9999)}",
            "DNS 114.114.114.114 或 223.5.5.5", f"MAC 地址 {':'.join(f'{rng.randint(0, 255):02X}' for _ in range(6))}"]


def n_pagination(rng: R) -> list[str]:
    """Page links, rankings and steps: runs of small numbers."""
    start = rng.randint(1, 5)
    pages = " ".join(str(k) for k in range(start, start + rng.randint(8, 12)))
    return [f"上一页 {pages} 下一页",
            f"共 {rng.randint(20, 300)} 条记录 第 {rng.randint(1, 9)} / {rng.randint(10, 30)} 页",
            "步骤 1 2 3 4 5 6 7 8 9 完成"]


def n_urls(rng: R) -> list[str]:
    d = mobile(rng)[0]
    return [f"https://www.example.com/news/{rng.randint(2015, 2026)}/{d}.html",
            f"图片 IMG_{_digits(rng, 8, '2')}_{_digits(rng, 6)}.jpg",
            f"下载地址 http://dl.example.com/file?id={hotline(rng)[0]}"]


# --- classes: mistyped numbers, kept whole as malformed ---------------------------------------

def m_400(rng: R) -> Page:
    d, _ = hotline(rng)
    if rng.random() < 0.5:
        bad = d + _digits(rng, 1)  # one digit too many
        spelled = rng.choice((f"{bad[:3]}-{bad[3:7]}-{bad[7:]}", bad, f"{bad[:4]}-{bad[4:7]}-{bad[7:]}"))
    else:
        bad = d[:-1]  # one too few
        spelled = rng.choice((f"{bad[:3]}-{bad[3:6]}-{bad[6:]}", bad, f"{bad[:4]}-{bad[4:7]}-{bad[7:]}"))
    if rng.random() < 0.25:  # written with the country code
        return simple_page(rng, [f"+86 {spelled}"], set(), malformed={"+86" + bad: "86" + bad})
    return simple_page(rng, [spelled], set(), malformed={"raw:" + bad: bad})


def m_mobile(rng: R) -> Page:
    d, _ = mobile(rng)
    if rng.random() < 0.5:
        bad = d + _digits(rng, 1)
        spelled = rng.choice((bad, f"{bad[:3]}-{bad[3:7]}-{bad[7:]}", f"{bad[:3]} {bad[3:7]} {bad[7:]}"))
    else:
        bad = d[:-1]
        spelled = rng.choice((bad, f"{bad[:3]}-{bad[3:7]}-{bad[7:]}", f"{bad[:3]} {bad[3:7]} {bad[7:]}"))
    if rng.random() < 0.25:  # written with the country code
        return simple_page(rng, [f"+86 {spelled}"], set(), malformed={"+86" + bad: "86" + bad})
    return simple_page(rng, [spelled], set(), malformed={"raw:" + bad: bad})


CLASSES: dict[str, Callable[[R], Page]] = {
    "400 dash": c_400("-"),
    "400 space": c_400(" "),
    "400 dot": c_400("."),
    "400 em dash": c_400("—"),
    "400 en dash": c_400("–"),
    "400 no separator": c_400(""),
    "400 4-3-3": c_400_4_3_3,
    "400 fullwidth": c_400_fullwidth,
    "400 split over tags": c_400_tags,
    "400 extension": c_400_ext,
    "800 spaced": c_800_spaced,
    "400 &nbsp;": c_nbsp,
    "400 Chinese numerals / O": c_zh_numerals,
    "mobile plain": c_mobile("plain"),
    "mobile spaced 3-4-4": c_mobile("space"),
    "mobile dashed": c_mobile("dash"),
    "mobile 4-3-4": c_mobile("4-3-4"),
    "mobile +86": c_mobile("+86"),
    "mobile 86-/0086": c_mobile("86-"),
    "mobile (+86)": c_mobile("(+86)"),
    "landline 0xx-8": c_landline("dash"),
    "landline (0xx)": c_landline("paren"),
    "landline 0xxx-7": c_landline("0xxx-7"),
    "landline 0xx - x": c_landline("space-dash"),
    "landline no separator": c_landline("plain"),
    "landline fullwidth": c_landline("fullwidth"),
    "landline extension": c_landline("ext"),
    "landline +86": c_landline("+86"),
    "short codes": c_short,
    "HK +852": c_hk("+852"),
    "HK (852)": c_hk("(852)"),
    "HK 8-digit on .hk": c_hk("local"),
    "TW (02)": c_tw("(02)"),
    "TW 02-": c_tw("02-"),
    "TW other areas": c_tw("area"),
    "TW 0800": c_tw("0800"),
    "TW 09 mobile": c_tw("mobile"),
    "TW +886": c_tw_intl,
    "MO +853": c_mo("+853"),
    "MO 8-digit on .mo": c_mo("local"),
    "tel: links": c_outside_text("tel"),
    "number-only lines": c_number_line,
    "glued to text": c_glued_text,
    "lists of numbers": c_list,
    "bare lines sharing an area code": c_shared_area,
    "slash shorthand (…35/36)": c_slash_shorthand,
    "two numbers one blank apart": c_two_on_a_line,
    "table cells": c_table,
    "whole contact page": c_full_page,
    "English labels": c_english,
    "TW extensions": c_tw_ext,
    "zero-width / &#NN; digits": c_invisible,
    "phone emoji as cue": c_emoji,
    "title and meta only": c_title_meta,
    "hidden text": c_hidden,
    "mixed numerals": c_mixed_numerals,
    "landline ext in brackets": c_landline_paren_ext,
    "spaced digits / <br>": c_spaced_digits,
    "alt text / script strings": c_outside_text("attr"),
    "mobile 微信同号": c_wechat,
    "HK lists on .hk": c_hk_list,
    "NEG dates/times": negative(n_dates),
    "NEG prices": negative(n_prices),
    "NEG order/tracking": negative(n_orders),
    "NEG ID cards": negative(n_id_cards),
    "NEG bank cards": negative(n_bank_cards),
    "NEG QQ": negative(n_qq),
    "NEG postcodes": negative(n_postcodes),
    "NEG ICP": negative(n_icp),
    "NEG model numbers": negative(n_models),
    "NEG coordinates": negative(n_coordinates),
    "NEG versions": negative(n_versions),
    "NEG service hours": negative(n_hours),
    "NEG licence/stock/ISBN": negative(n_codes),
    "NEG URLs/files": negative(n_urls),
    "NEG IP/MAC addresses": negative(n_network),
    "NEG year spans/ranges": negative(n_ranges),
    "NEG pagination": negative(n_pagination),
    "NEG on the hotline's line": n_same_line,
    "MAL 400 ±1 digit": m_400,
    "MAL mobile 10/12": m_mobile,
    "landline 4-4 then a bare line": c_grouped_then_bare,
    "NEG units after a slash": c_slash_units,
    "numbers with one dot": c_one_dot,
    "JSON-LD telephone only": c_json_ld,
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_page(page: Page, score: Score) -> None:
    """Add one page's hits, false positives and misses to ``score``."""
    numbers = analyze(page.html, url=page.url).numbers
    valid = {p.e164 for p in numbers if p.kind != MALFORMED}
    bad = {p.e164: p.raw for p in numbers if p.kind == MALFORMED}
    whole = {e for e, raw in bad.items()
             if re.sub(r"\D", "", raw.translate(FULLWIDTH_BACK)) == page.malformed.get(e)}
    wanted_bad = set(page.malformed)
    tp = len(valid & page.want) + len(whole & wanted_bad)
    fp = len(valid - page.want) + len(set(bad) - (whole & wanted_bad))
    fn = len(page.want - valid) + len(wanted_bad - whole)
    score.tp += tp
    score.fp += fp
    score.fn += fn
    if fp or fn:
        got = sorted(valid) + [f"malformed {e} raw={bad[e]!r}" for e in sorted(bad)]
        want = sorted(page.want) + [f"malformed {e}" for e in sorted(page.malformed)]
        score.misses.append(f"want {want} got {got}")


FULLWIDTH_BACK = str.maketrans("０１２３４５６７８９", "0123456789")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=100, help="pages per class")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--misses", action="store_true", help="print each failing page's numbers")
    ap.add_argument("--only", default="", help="classes whose name contains this")
    args = ap.parse_args(argv)
    total = Score()
    t0 = time.perf_counter()
    print(f"{'class':28} {'tp':>4} {'fp':>4} {'fn':>4}  precision  recall")
    weak = []
    for k, (name, make) in enumerate(CLASSES.items()):
        if args.only and args.only.lower() not in name.lower():
            continue
        rng = random.Random(args.seed * 1000 + k)
        s = Score()
        for _ in range(args.pages):
            score_page(make(rng), s)
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        flag = "" if s.precision >= 0.99 and s.recall >= 0.99 else "  <"
        if flag:
            weak.append(name)
        print(f"{name:28} {s.tp:4} {s.fp:4} {s.fn:4}  {s.precision:9.3f}  {s.recall:6.3f}{flag}")
        if args.misses:
            for line in s.misses[:5]:
                print(f"    {line}")
    print(f"all classes: tp {total.tp} fp {total.fp} fn {total.fn}  "
          f"precision {total.precision:.3f}  recall {total.recall:.3f}")
    print(f"classes below 0.99: {len(weak)} ({', '.join(weak) or 'none'}); "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
