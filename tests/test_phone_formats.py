"""Number formats found failing by ``bench/phones_stress.py``, read end to end from HTML pages.

Each test is one class of spelling or look-alike (never one page's number): written the way real
contact pages write them, with invented brands and numbers the metadata accepts.
"""

from __future__ import annotations

import pytest

from pipelines.analyze import analyze
from pipelines.types import MALFORMED

HOTLINE = "+864006271835"


def _page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><meta charset="utf-8"><title>澜拓售后服务中心</title></head>'
            f"<body><h1>澜拓售后服务中心</h1><p>本中心提供专业的家电维修服务。</p>{body}</body></html>")


def _numbers(html: str, url: str = "https://www.lantuo.example.com/contact.html") -> dict[str, str]:
    """E.164 (or ``raw:`` digits) of every number the engine reports, with its kind."""
    return {p.e164: p.kind for p in analyze(html, url=url).numbers}


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("+86(571)86271835", "+8657186271835"),
        ("+86 (571) 8627 1835", "+8657186271835"),
        ("+86 (0)29 86271835", "+862986271835"),
        ("+86 (0)571 8627 1835", "+8657186271835"),
        ("+86(0)10-62751234", "+861062751234"),
    ],
)
def test_area_code_in_parentheses_after_the_country_code(written: str, e164: str) -> None:
    # "+86(791)…" once read "(791)" as a country code in parentheses: +7 916…, a Russian number.
    assert _numbers(_page(f"联系电话：{written}")) == {e164: "fixed_line"}


def test_idd_prefix_00_with_a_country_code_other_than_86() -> None:
    page = _page("如需協助，請致電 00852 6271 8350。", "熱線 00852 27183506")
    assert _numbers(page) == {"+85262718350": "mobile", "+85227183506": "fixed_line"}
    # A long run of digits from 00 is a code, not a prefix and a number.
    assert _numbers(_page("产品编号 0012345678901 已登记", "客服热线：400-627-1835")) == {
        HOTLINE: "shared_cost"}


@pytest.mark.parametrize(
    "written",
    ["40062718355", "400-6271-8355", "400627183", "400-627-183", "1391234567", "139-1234-56789"],
)
def test_mistyped_number_after_an_after_sales_label_is_kept_whole(written: str) -> None:
    """售后 (after-sales) labels a number to call, as 客服 does: a mistyped one is kept whole."""
    got = _numbers(_page(f"澜拓官方售后：{written}（免费上门检测）"))
    digits = "".join(c for c in written if c.isdigit())
    assert got == {"raw:" + digits: MALFORMED}


def test_mobile_a_digit_short_after_86_is_malformed_not_an_old_landline() -> None:
    """No area code starts 01 but 010: ``+86 130…`` a digit short is a mistyped mobile."""
    got = _numbers(_page("联系电话：+86 139 1234 567", "手机：+86-1391234567"))
    assert got == {"+861391234567": MALFORMED}
    # 010 itself still reads as Beijing, an old 7-digit line included.
    assert _numbers(_page("电话：010-62751234")) == {"+861062751234": "fixed_line"}


def test_bank_card_on_the_line_next_to_a_hotline_is_no_number() -> None:
    """A card's four groups of four, joined to the hotline's line by the line break, are taken
    out wherever they stand; before, a card first in the run hid the hotline after it."""
    after = _page("客服热线：400-627-1835", "6228 0377 1958 9926")
    before = _page("6228 0377 1958 9926", "400-627-1835")
    nineteen = _page("收款账户 6217831687062585016", "6222 2642 9371 6140 104", "客服热线：400-627-1835")
    for html in (after, before, nineteen):
        assert _numbers(html) == {HOTLINE: "shared_cost"}


def test_two_hong_kong_lines_listed_with_a_slash_are_not_a_card() -> None:
    page = _page("查詢電話：2718 3506 / 6271 8350")
    assert _numbers(page, "https://www.lantuo.com.hk/shops") == {
        "+85227183506": "fixed_line", "+85262718350": "mobile"}


@pytest.mark.parametrize(
    "look_alike",
    [
        "登录地址 192.168.1.120",
        "服务器 208.86.117.232:3455",
        "经纬度 86.8836178,22.6942142",
        "坐标：22.694214, 86.883618",
        "GPS 22.69421 86.88362",
        "产品编码 1975-817-2841",
        "商品条码 1386-271-8350",
        "ISBN 978-7-400-94680-2",  # a 400 "a digit short" inside a longer hyphenated code
    ],
)
def test_addresses_decimals_and_product_codes_are_not_phones(look_alike: str) -> None:
    assert _numbers(_page("客服热线：400-627-1835", look_alike)) == {HOTLINE: "shared_cost"}


def test_numbers_written_with_dots_still_read() -> None:
    """Only a lone decimal point marks a decimal: dotted numbers and area codes stay numbers."""
    page = _page("热线 400.627.1835", "手机 139.1234.5678", "电话 0571.86271835")
    assert _numbers(page) == {HOTLINE: "shared_cost", "+8613912345678": "mobile",
                              "+8657186271835": "fixed_line"}
    # The numbers around an IP address on the same line are still read.
    assert _numbers(_page("热线 400-627-1835 192.168.1.120 0571-86271835")) == {
        HOTLINE: "shared_cost", "+8657186271835": "fixed_line"}


@pytest.mark.parametrize("written", ["一三九58925380", "一三九五八925380", "139五八九二5380"])
def test_numerals_mixed_with_digits_read_whole(written: str) -> None:
    """Digits after a few Chinese numerals once read alone as a local line (58925380)."""
    assert _numbers(_page(f"联系电话：{written}")) == {"+8613958925380": "mobile"}


def test_service_code_cut_out_of_numerals_and_digits_reads_whole() -> None:
    assert _numbers(_page("电话：一三九零零959655")) == {"+8613900959655": "mobile"}


def test_local_line_next_to_numerals_that_spell_nothing_stands() -> None:
    assert _numbers(_page("座机：86271835 一二三")) == {"86271835": "local"}


@pytest.mark.parametrize(
    "look_alike",
    ["客服QQ号：1391234567", "QQ号码 1391234567", "客服扣扣号 1391234567", "2012—2026 版权所有",
     "1998-2024"],
)
def test_qq_numbers_and_year_spans_after_a_hotline_line(look_alike: str) -> None:
    """A QQ number is no mistyped mobile; a year span on the line after a number is no local
    line listed after it."""
    assert _numbers(_page("联系电话：400-627-1835", look_alike)) == {HOTLINE: "shared_cost"}


def test_a_local_line_listed_after_a_number_still_reads() -> None:
    assert _numbers(_page("电话：400-627-1835", "8627-1835")) == {
        HOTLINE: "shared_cost", "86271835": "local"}


def test_mistyped_number_after_a_cue_with_an_aside_in_brackets() -> None:
    """热线（7×24小时）：the aside between the cue and the number still cues it."""
    assert _numbers(_page("全国客服热线（7×24小时）：1391234567")) == {"raw:1391234567": MALFORMED}
    assert _numbers(_page("营业时间（7×24小时）：1391234567")) == {}


def test_structured_data_telephone_is_read_and_other_json_is_not() -> None:
    ld = ('<script type="application/ld+json">{"@type": "LocalBusiness", '
          '"telephone": "+86-139-5892-5380"}</script>')
    state = '<script type="application/json">{"user": "13958925381", "ts": 1715000000}</script>'
    page = _page("客服热线：400-627-1835").replace("</body>", ld + state + "</body>")
    assert _numbers(page) == {HOTLINE: "shared_cost", "+8613958925380": "mobile"}


@pytest.mark.parametrize(
    "written",
    ["(0571) 8627 1835 / 8627 1836 / 8627 1837", "0571-86271835、86271836、86271837",
     "0571-8627 1835 或 8627 1836 或 8627 1837", "+86 571 8627 1835，86271836，86271837"],
)
def test_bare_lines_listed_after_a_landline_share_its_area_code(written: str) -> None:
    """Whatever the grouping of the first line, and down a list of several (each shares the
    code of the one before); 或 lists as 、 does."""
    assert _numbers(_page(f"服务电话：{written}")) == {
        "+8657186271835": "fixed_line", "+8657186271836": "fixed_line",
        "+8657186271837": "fixed_line"}


def test_a_bare_line_of_another_length_keeps_no_area_code() -> None:
    assert _numbers(_page("服务电话：(0571) 8627 1835 / 8627183")) == {
        "+8657186271835": "fixed_line", "8627183": "local"}


@pytest.mark.parametrize(
    ("written", "lines"),
    [
        ("0571-86271835/36/37", ["+8657186271835", "+8657186271836", "+8657186271837"]),
        ("0571-86271835 / 6", ["+8657186271835", "+8657186271836"]),
        ("400-627-1835/1836", [HOTLINE, "+864006271836"]),
        ("+86 571 86271835/36", ["+8657186271835", "+8657186271836"]),
    ],
)
def test_slash_shorthand_for_further_lines(written: str, lines: list[str]) -> None:
    """Last digits after a slash are further lines of the number; the whole once read as one
    mistyped number, the real one lost with it."""
    assert set(_numbers(_page(f"联系电话：{written}"))) == set(lines)


def test_what_follows_a_slash_that_is_no_shorthand() -> None:
    # A year and a mobile's tail are not read; nor is a number cut out of a mistyped 400.
    assert _numbers(_page("电话：0571-86271835/2024年更新")) == {"+8657186271835": "fixed_line"}
    assert _numbers(_page("手机：139-5892-5380/81")) == {"+8613958925380": "mobile"}
    assert _numbers(_page("热线：400-1865 90911")) == {}


@pytest.mark.parametrize(
    ("written", "first", "local"),
    [
        ("010 6275 1234 6275 1235", "+861062751234", "62751235"),
        ("0571 8627 1835 8627 1836", "+8657186271835", "86271836"),
        ("(0571) 8627 1835 8627 1836", "+8657186271835", "86271836"),
        ("+86 10 6275 1234 6275 1235", "+861062751234", "62751235"),
    ],
)
def test_landline_in_groups_and_a_bare_line_are_no_bank_card(
    written: str, first: str, local: str
) -> None:
    """Four groups of four after the area code, on the landline's own line, are its number and
    a further line; a card is taken out of a run only from a new line."""
    assert _numbers(_page(f"服务电话：{written}")) == {first: "fixed_line", local: "local"}
    assert _numbers(_page("服务电话：010 6275 1234", "6222 0212 3456 7890 123")) == {
        "+861062751234": "fixed_line"}


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("400-627-1835/24小时服务", HOTLINE),
        ("400-627-1835/7天", HOTLINE),
        ("400-627-1835/365天", HOTLINE),
        ("400-627-1835/8:00-18:00", HOTLINE),
        ("400-627-1835/8.30开门", HOTLINE),
        ("400-627-1835/1(第1页)", HOTLINE),
        ("0571-86271835/2楼", "+8657186271835"),
        ("0571-86271835/3层", "+8657186271835"),
    ],
)
def test_count_time_or_floor_after_a_slash_is_no_further_line(written: str, e164: str) -> None:
    """Digits after a slash with a unit, a time or a page after them are not a line's last
    digits: no number is made up from them."""
    assert set(_numbers(_page(f"客服热线：{written}"))) == {e164}


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("客服热线：400.6271835", HOTLINE),
        ("手机：139.12345678", "+8613912345678"),
        ("手机：1391234.5678", "+8613912345678"),
        ("电话：8627.1835", "86271835"),
    ],
)
def test_number_written_with_one_dot_is_no_decimal(written: str, e164: str) -> None:
    """One dot makes a decimal only when the digits spell no whole number and no cue names them."""
    assert set(_numbers(_page(written))) == {e164}
    assert _numbers(_page("客服热线：400-627-1835", "坐标 22.694214")) == {HOTLINE: "shared_cost"}


def test_json_ld_reads_only_telephone_and_fax_values() -> None:
    ld = ('<script type="application/ld+json">{"@type": "Product", "sku": "4006271836", '
          '"mpn": "13912345679", "offers": {"price": "13958925382"}, "brand": {"@type": '
          '"Organization", "contactPoint": {"@type": "ContactPoint", "telephone": '
          '"+86-139-5892-5380", "faxNumber": ["0571-86271839"]}}}</script>'
          '<script type="application/ld+json">{"telephone": "13958925383",</script>')
    page = _page("客服热线：400-627-1835").replace("</body>", ld + "</body>")
    assert _numbers(page) == {HOTLINE: "shared_cost", "+8613958925380": "mobile",
                              "+8657186271839": "fixed_line"}


def test_json_ld_block_that_is_a_list_of_items_is_read_item_by_item() -> None:
    """A JSON-LD block may be a list of items (a graph written as an array): each item's
    telephone is read, and its other values are not."""
    ld = ('<script type="application/ld+json">[{"@type": "Product", "sku": "13912345679"}, '
          '{"@type": "LocalBusiness", "telephone": "0571-86271839"}]</script>')
    page = _page("客服热线：400-627-1835").replace("</body>", ld + "</body>")
    assert _numbers(page) == {HOTLINE: "shared_cost", "+8657186271839": "fixed_line"}


def test_year_span_right_after_a_strong_cue_is_the_labelled_line() -> None:
    assert _numbers(_page("电话：2012-2050")) == {"20122050": "local"}
    assert _numbers(_page("联系电话：400-627-1835", "2012-2050")) == {HOTLINE: "shared_cost"}
