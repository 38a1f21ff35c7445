"""Issue 10: mistyped numbers kept as written, Hong Kong / Taiwan / Macau numbering plans, and
pages with tens of thousands of numbers.

All pages, brands and numbers are invented (valid-format numbers in reserved-looking ranges).
"""

from __future__ import annotations

import time

import pytest

from pipelines.analyze import analyze
from pipelines.phones import MAX_NUMBERS, extract_phones, find_phone_hits
from pipelines.phones.region import page_region
from pipelines.propagation import Mention, PageFacts, score_numbers
from tests.review_data import LANTO, review_db_copy_fixture, review_db_fixture  # noqa: F401

HOTLINE = "+864006271835"
MOBILE = "+8613912345678"


def _by_number(text: str, **kw):
    phones, _ = extract_phones(text, **kw)
    return {p.e164: p for p in phones}


# --- item 5: never guess a number ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164", "raw"),
    [
        ("澜拓净水器售后热线：400-6271-8355 全天服务", "raw:40062718355", "400-6271-8355"),
        ("澜拓净水器售后热线：4006-271-83 全天服务", "raw:400627183", "4006-271-83"),
        ("售后服务热线 40062718355", "raw:40062718355", "40062718355"),
        ("客服热线：400６２７１８３５５", "raw:40062718355", "400６２７１８３５５"),
        ("免费热线：800-8271-8355", "raw:80082718355", "800-8271-8355"),
        ("维修师傅手机：139-1234-56780", "raw:139123456780", "139-1234-56780"),
        ("维修师傅手机：1391234567 随叫随到", "raw:1391234567", "1391234567"),
        ("维修师傅手机：139-1234-5678-9", "raw:139123456789", "139-1234-5678-9"),
        ("服务电话：+86 139-1234-5678-9", "+86139123456789", "+86 139-1234-5678-9"),
    ],
)
def test_mistyped_number_is_kept_whole_as_malformed(text: str, e164: str, raw: str) -> None:
    phones = _by_number(text)
    assert list(phones) == [e164], f"expected only the mistyped number, got {list(phones)}"
    p = phones[e164]
    assert p.kind == "malformed"
    assert p.raw == raw
    assert not p.advertised  # a typo is never presented as the number to call
    assert p.place == "" and p.carrier == ""
    assert p.to_dict()["raw"] == raw


@pytest.mark.parametrize(
    "text",
    [
        "客服热线：400-6271-8355",  # not the local number 4006271, not the hotline 400-627-1835
        "客服热线：400 6271 8355",
        "维修师傅手机：139-1234-56780",  # not 139-1234-5678
        "维修师傅手机：139-1234-5678-9",
    ],
)
def test_mistyped_number_is_never_cut_into_another_number(text: str) -> None:
    found = {h.e164 for h in find_phone_hits(text)}
    assert HOTLINE not in found and MOBILE not in found
    assert not any(e.isdigit() for e in found), f"re-read as a local number: {found}"


def test_valid_numbers_and_extensions_are_unchanged() -> None:
    assert list(_by_number("客服热线：400-627-1835 转 8001")) == [HOTLINE]
    assert list(_by_number("客服热线：400-627-1835-8")) == [HOTLINE]
    assert list(_by_number("手机：139-1234-5678 或 400-627-1835")) == [MOBILE, HOTLINE]
    assert list(_by_number("热线：400-6271-8355 139-1234-5678")) == ["raw:40062718355", MOBILE]


def test_ids_and_long_codes_are_not_malformed_numbers() -> None:
    # No phone cue and no phone-like grouping: an order number, not a mistyped number.
    assert _by_number("订单 40062718355123 已发货") == {}
    assert _by_number("时间戳 1391234567 秒") == {}


def test_malformed_tel_link_is_kept_but_not_advertised() -> None:
    p = _by_number("联系我们", tel_links=["tel:40062718355"])["raw:40062718355"]
    assert p.kind == "malformed" and not p.advertised and p.raw == "tel:40062718355"
    assert _by_number("联系我们", tel_links=["tel:4006271835"])[HOTLINE].advertised


def test_analyze_shows_malformed_with_raw_and_does_not_count_it_as_hotline() -> None:
    html = (
        "<html><head><title>澜拓净水器售后服务电话</title></head><body>"
        "<p>澜拓净水器全国售后服务热线：400-6271-8355，24小时服务</p>"
        "<p>澜拓净水器维修，澜拓净水器售后，上门服务，澜拓净水器报修。</p></body></html>"
    )
    out = analyze(html, url="http://shop.invalid/").to_dict()
    numbers = {n["e164"]: n for n in out["numbers"]}
    assert numbers["raw:40062718355"]["kind"] == "malformed"
    assert numbers["raw:40062718355"]["raw"] == "400-6271-8355"
    assert not numbers["raw:40062718355"]["advertised"]
    assert not any("40062718355" in r or "400-6271" in r for r in out["reasons"])
    # Every other number keeps the shape it always had (no "raw" key).
    ok = analyze(html.replace("400-6271-8355", "400-627-1835"), url="http://shop.invalid/")
    assert "raw" not in ok.to_dict()["numbers"][0]


def test_reputation_never_scores_a_malformed_number() -> None:
    pages = [PageFacts(i, f"d{i}.invalid", "hotline_spam", 0.99, ("澜拓",)) for i in range(5)]
    mentions = [Mention(i, "raw:40062718355", True, "malformed") for i in range(5)]
    mentions += [Mention(i, "+86139123456789", True, "malformed") for i in range(5)]
    mentions += [Mention(i, HOTLINE, True) for i in range(5)]
    scores = score_numbers(pages, mentions)
    assert set(scores) == {HOTLINE}
    assert scores[HOTLINE].verdict == "fraud"


def test_blocklist_and_reputation_skip_malformed_numbers(review_db_copy: str) -> None:
    """A mistyped number advertised on many spam pages is still nobody's number."""
    import json

    from click.testing import CliRunner
    from sqlalchemy import select, update

    from db.engine import make_engine
    from db.models import Number
    from investigate.reputation import update_reputation
    from triage.cli import main

    def listed() -> set[str]:
        out = CliRunner().invoke(main, ["export", "blocklist", "--format", "json",
                                        "--db", review_db_copy])
        assert out.exit_code == 0, out.output
        return {r["number"] for r in json.loads(out.output)}

    assert LANTO[1] in listed()
    engine = make_engine(review_db_copy)
    with engine.begin() as conn:
        conn.execute(update(Number).where(Number.e164 == LANTO[1]).values(kind="malformed"))
    update_reputation(engine)
    with engine.connect() as conn:
        verdict = conn.execute(select(Number.verdict).where(Number.e164 == LANTO[1])).scalar()
    engine.dispose()
    assert verdict is None  # never scored
    assert LANTO[1] not in listed()


# --- item 7: Hong Kong, Taiwan, Macau -------------------------------------------------------

_TAIPEI = (
    "澜拓淨水器臺北門市\n營業時間：週一至週五 09:00-18:00\n"
    "門市地址：臺北市內湖區瑞光路一段\n客服專線：(02)2345-6789\n"
    "維修專員手機：0912-345-678\n免付費服務專線：0800-123-456\n"
)
_HONG_KONG = (
    "澜拓淨水器香港服務中心\n地址：九龍觀塘道\n客戶服務熱線：2345 6789\n"
    "維修部手提電話：9123 4567\n如有查詢，請致電我們的顧客服務熱線。\n"
)
_MACAU = "澜拓淨水器澳門分店\n地址：澳門氹仔\n電話：2882 3456\n手提電話：6612 3456\n"


def test_taipei_page_numbers_are_taiwanese() -> None:
    hint = page_region("https://www.lantuo.example.com.tw/store", _TAIPEI)
    assert hint == "TW"
    phones = _by_number(_TAIPEI, region_hint=hint)
    assert phones["+886223456789"].kind == "fixed_line"
    assert "台北" in phones["+886223456789"].place or "臺北" in phones["+886223456789"].place
    assert phones["+886912345678"].kind == "mobile"
    assert phones["+886800123456"].kind == "toll_free"
    assert not any(e.startswith("+86") for e in phones)


def test_taipei_page_is_recognised_without_its_domain() -> None:
    assert page_region("https://lantuo.example.com/store", _TAIPEI) == "TW"
    # A two-digit area code is Taiwanese on any page: no mainland code is that short.
    assert list(_by_number("門市電話：02-2345-6789")) == ["+886223456789"]


def test_hong_kong_page_numbers() -> None:
    for url in ("https://www.lantuo.example.com.hk/", "https://lantuo.example.com/hk"):
        hint = page_region(url, _HONG_KONG)
        assert hint == "HK", url
        phones = _by_number(_HONG_KONG, region_hint=hint)
        assert phones["+85223456789"].kind == "fixed_line"
        assert phones["+85291234567"].kind == "mobile"
        assert phones["+85223456789"].place == "香港"


def test_macau_page_numbers() -> None:
    hint = page_region("https://www.lantuo.example.com.mo/", _MACAU)
    assert hint == "MO"
    phones = _by_number(_MACAU, region_hint=hint)
    assert phones["+85328823456"].kind == "fixed_line"
    assert phones["+85366123456"].kind == "mobile"


def test_analyze_reads_the_page_plan_from_url_and_text() -> None:
    html = f"<html><head><title>澜拓</title></head><body><p>{_HONG_KONG}</p></body></html>"
    got = {p.e164 for p in analyze(html, url="https://www.lantuo.example.com.hk/").numbers}
    assert {"+85223456789", "+85291234567"} <= got
    mainland = analyze(html.replace("香港", "深圳").replace("九龍觀塘道", "南山区"),
                       url="http://lantuo.invalid/")
    assert "+85223456789" not in {p.e164 for p in mainland.numbers}


def test_mainland_pages_stay_mainland() -> None:
    text = (
        "澜拓净水器深圳售后服务中心\n服务电话：(0755)8123-4567\n上海网点：(021)6234-5678\n"
        "总部：+86(0)755-8123-4568\n服务城市：北京 上海 广州 深圳 香港 澳门 台湾 重庆九龙坡\n"
        "师傅电话：8123 4569\n"
    )
    hint = page_region("http://lantuo.invalid/", text)
    assert hint == "CN"
    phones = _by_number(text, region_hint=hint)
    assert {"+8675581234567", "+862162345678", "+8675581234568"} <= set(phones)
    assert phones["81234569"].kind == "local"  # an 8-digit number on a mainland page
    assert not any(e.startswith(("+852", "+886", "+853")) for e in phones)


def test_hong_kong_line_named_on_a_mainland_page() -> None:
    phones = _by_number("深圳总部电话：0755-8123-4567，香港分公司电话：2345 6789")
    assert {"+8675581234567", "+85223456789"} <= set(phones)


def test_region_of_simplified_pages_needs_more_than_place_names() -> None:
    assert page_region("", "全国服务网点：北京 上海 香港 澳门 台湾 九龙 新界") == "CN"
    assert page_region("", "香港客服热线 +852 2345 6789，香港门店 +852 2345 6790") == "HK"
    assert page_region("http://[::1", "电话") == "CN"  # a broken URL is no error
    # A mainland page run through a converter, with its region list: still mainland.
    assert page_region("", "澜拓淨水器服務網點：北京 上海 廣州 深圳 香港 九龍 澳門 臺灣 重慶") == "CN"


# --- item 8: tens of thousands of numbers ---------------------------------------------------


@pytest.mark.timeout(60)
def test_50000_tel_links_analyse_to_a_verdict_quickly() -> None:
    links = "".join(f'<a href="tel:1390{i:07d}">拨打</a>' for i in range(50_000))
    html = (
        "<html><head><title>澜拓售后</title></head><body><p>澜拓售后服务热线：400-627-1835</p>"
        f"{links}<p>澜拓售后服务热线：400-627-1835</p></body></html>"
    )
    started = time.perf_counter()
    a = analyze(html, url="http://many.invalid/")
    elapsed = time.perf_counter() - started
    assert a.verdict in ("hotline_spam", "seo_spam", "clean")
    assert len(a.numbers) == MAX_NUMBERS
    assert a.numbers[0].e164 == HOTLINE and a.numbers[0].count == 2  # still counted
    assert any(f"{MAX_NUMBERS} or more distinct numbers" in r for r in a.reasons)
    assert elapsed < 20, f"{elapsed:.1f} s for 50,000 tel: links"


@pytest.mark.timeout(60)
def test_50000_numbers_in_text_stay_linear() -> None:
    text = "\n".join(f"客服电话：139-{i // 10000:04d}-{i % 10000:04d}" for i in range(50_000))
    text += "\n澜拓售后服务热线：400-627-1835\n" * 3
    started = time.perf_counter()
    phones, _ = extract_phones(text)
    elapsed = time.perf_counter() - started
    assert len(phones) == MAX_NUMBERS
    assert any(p.e164 == HOTLINE and p.count == 3 for p in phones)  # read after the cap
    assert elapsed < 10, f"{elapsed:.1f} s for 50,000 numbers"


def test_hotline_repeated_after_a_wall_of_decoy_links_is_still_found() -> None:
    links = [f"tel:1390{i:07d}" for i in range(5_000)] + ["tel:4006271835"] * 3
    phones, _ = extract_phones("联系我们", tel_links=links)
    assert len(phones) == MAX_NUMBERS
    assert phones[0].e164 == HOTLINE and phones[0].count == 3 and phones[0].advertised


def test_review_highlight_finds_hong_kong_numbers_again() -> None:
    from triage.web.highlight import number_spans

    spans = number_spans(_HONG_KONG, ["+85223456789", "+85291234567"])
    assert [e for _, _, e in spans] == ["+85223456789", "+85291234567"]
    assert _HONG_KONG[spans[0][0] : spans[0][1]] == "2345 6789"


def test_page_plan_is_worked_out_only_when_a_number_needs_it() -> None:
    calls: list[int] = []

    def hint() -> str:
        calls.append(1)
        return "HK"

    phones, _ = extract_phones("客服热线：400-627-1835，手机：139-1234-5678", region_hint=hint)
    assert [p.e164 for p in phones] == [HOTLINE, MOBILE] and calls == []
    phones, _ = extract_phones("熱線：2345 6789，維修：2345 6790", region_hint=hint)
    assert [p.e164 for p in phones] == ["+85223456789", "+85223456790"]
    assert calls == [1]  # asked once per page, however many numbers need it
