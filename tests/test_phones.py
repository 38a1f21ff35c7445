"""Phone-number finder: every written form, the look-alikes it must skip, and what it says per number.

All brands and numbers are invented (400-6xx style hotlines, 139/186 mobiles).
"""

from __future__ import annotations

import pytest

from pipelines.phones import extract_phones, find_phone_hits

HOTLINE = "+864006271835"
MOBILE = "+8613912345678"


def _numbers(text: str) -> list[str]:
    return [h.e164 for h in find_phone_hits(text)]


def _phone(text: str, e164: str, **sources):
    phones, _ = extract_phones(text, **sources)
    by_number = {p.e164: p for p in phones}
    assert e164 in by_number, f"{e164} not found in {text!r}: {[p.e164 for p in phones]}"
    return by_number[e164]


@pytest.mark.parametrize(
    ("text", "e164", "obfuscated"),
    [
        ("澜拓净水器售后热线:400-627-1835", HOTLINE, False),
        ("服务电话 400-6271-835", HOTLINE, False),
        ("服务电话 400 627 1835", HOTLINE, False),
        ("服务电话4006271835", HOTLINE, False),
        ("维修热线:400—6271835", HOTLINE, False),
        ("维修热线:400–627–1835", HOTLINE, False),
        ("维修热线:400‐627‐1835", HOTLINE, False),
        ("维修热线:400.627.1835", HOTLINE, False),
        ("维修热线:400 - 627 - 1835", HOTLINE, False),
        ("维修热线:400--627--1835", HOTLINE, True),
        ("维修热线:400·627·1835", HOTLINE, True),
        ("维修热线:400/627/1835", HOTLINE, True),
        ("维修热线:4 0 0 6 2 7 1 8 3 5", HOTLINE, True),
        ("维修热线:４００－６２７－１８３５", HOTLINE, True),
        ("维修热线:4OO-627-1835", HOTLINE, True),
        ("维修热线:4oo6271835", HOTLINE, True),
        ("维修热线:四零零六二七一八三五", HOTLINE, True),
        ("维修热线:四〇〇六二七幺八三五", HOTLINE, True),
        ("热线\n400\n6271835", HOTLINE, True),
        ("(1)400-627-1835(点击咨询)", HOTLINE, False),
        ("热线:4006271835点击拨打", HOTLINE, False),
        ("热线4006271835人工服务", HOTLINE, False),
        ("O2O平台 400-627-1835", HOTLINE, False),
        ("订餐电话:4006271835 人均消费:25元", HOTLINE, False),
        ("手机 139 1234 5678", MOBILE, False),
        ("手机:139-1234-5678", MOBILE, False),
        ("手机13912345678微信同号", MOBILE, False),
        ("手机:+86 139 1234 5678", MOBILE, False),
        ("手机:+86-13912345678", MOBILE, False),
        ("手机:008613912345678", MOBILE, False),
        ("热线:0086 400 627 1835", HOTLINE, False),
        ("电话:010-62718350", "+861062718350", False),
        ("电话:(0755)2718-3506", "+8675527183506", False),
        ("电话:(0755)-27183506", "+8675527183506", False),
        ("电话:(0755) - 2718 3506", "+8675527183506", False),
        ("Tel: +86 (0)755 2718 3506", "+8675527183506", False),
        ("电话:（０２１）６２７１８３５０", "+862162718350", True),
        ("电话:0531-8271 6543 转 8001", "+8653182716543", False),
        ("电话:0531-82716543 ext 801", "+8653182716543", False),
        ("电话:0531-82716543-801", "+8653182716543", False),
        ("电话:+86 10 6271 8350", "+861062718350", False),
        ("电话:86-532-82716543", "+8653282716543", False),
        ("免费热线800-820-7391", "+868008207391", False),
        ("Tel:+1-800 555 0199 (US)", "+18005550199", False),
        ("Call 1-800-555-0199 toll free", "+18005550199", False),
    ],
)
def test_written_forms(text: str, e164: str, obfuscated: bool) -> None:
    hits = [h for h in find_phone_hits(text) if h.e164 == e164]
    assert len(hits) == 1, (text, find_phone_hits(text))
    hit = hits[0]
    assert text[hit.start : hit.end] == hit.raw
    assert hit.obfuscated is obfuscated


@pytest.mark.parametrize(
    "text",
    [
        "发布时间:2025-04-26 00:25:42",
        "日期 20250426",
        "2024/10/16 08:30",
        "订单号:13912345678",
        "订单号 4006271835",
        "身份证号 110101199003074512",
        "京ICP备12345678号",
        "京ICP备2021005620号-1",
        "京公网安备 11010502030143号",
        "价格 ¥4006.00",
        "售价4008元",
        "邮编 100000",
        "邮政编码:471900",
        "QQ:4006271835",
        "客服QQ 13912345678",
        "http://example.com/4006271835.html",
        "http://example.com/?tel=13912345678",
        "图片 img_13912345678.jpg",
        "联系邮箱 13912345678@example.com",
        "型号 AB13912345678",
        "编号:X4006271835",
        "共计13912345678元",
        "累计阅读13912345678次",
        "一二三四五六七八九",
        "第2024期 第13期",
        "日 一 二 三 四 五 六\n 1 2 3 4 5 6 7\n 8 9 10 11 12 13 14\n 15 16 17 18 19 20 21",
        "13 14 15 16 17 18 19",
        "得分 138 001 380 00 分",
        "ISBN 978-7-115-12345-6",
        "手机号 139****5678",
        "账号：6222 0212 3456 7890 123",
    ],
)
def test_look_alikes_are_not_phones(text: str) -> None:
    assert find_phone_hits(text) == []


def test_wechat_mobile_is_still_a_phone() -> None:
    assert _numbers("微信 13912345678") == [MOBILE]


@pytest.mark.parametrize(
    ("written", "e164", "kind", "place"),
    [
        ("400-627-1835", HOTLINE, "shared_cost", "中国"),
        ("800-820-7391", "+868008207391", "toll_free", "中国"),
        ("13912345678", MOBILE, "mobile", ""),
        ("010-62718350", "+861062718350", "fixed_line", "北京市"),
        ("0755-27183506", "+8675527183506", "fixed_line", "广东省深圳市"),
    ],
)
def test_kind_and_place(written: str, e164: str, kind: str, place: str) -> None:
    phone = _phone(f"联系电话:{written}", e164)
    assert phone.kind == kind
    if place:
        assert phone.place == place
    else:
        assert phone.place  # mobiles get the province/city of their range


def test_mobile_has_carrier() -> None:
    assert _phone("手机:13912345678", MOBILE).carrier == "中国移动"


@pytest.mark.parametrize(
    ("text", "advertised"),
    [
        ("澜拓净水器全国统一售后服务热线:400-627-1835", True),
        ("如需维修请致电 4006271835", True),
        ("4006271835(24小时服务)", True),
        ("谨防假冒,认准官方热线4006271835", True),
        ("骗子冒充澜拓客服,王女士拨打了4006271835后被骗", False),
        ("警方提醒:假冒客服电话4006271835不是官方号码。", False),
        ("近日有诈骗电话4006271835冒充快递理赔。", False),
        ("市民接到自称客服的来电4006271835,对方要求转账。", False),
        ("传真:0755-2718 3506", False),
        ("本站共收录4006271835条", False),
        ("拒绝假冒配件，售后热线：4006271835", True),
        ("澜拓售后热线4006271835，谨防假冒", True),
        ("王女士搜到一个客服电话，拨打4006271835后被骗了3000元。", False),
    ],
)
def test_advertised_or_quoted(text: str, advertised: bool) -> None:
    phones, _ = extract_phones(text)
    assert phones, text
    assert phones[0].advertised is advertised


def test_advertised_carries_along_a_list() -> None:
    text = "客户热线:澜拓公司:400-627-1835、泊悦公司:400-627-1836、凯岚公司:400-627-1837。"
    phones, _ = extract_phones(text)
    assert [p.advertised for p in phones] == [True, True, True]


def test_fax_in_a_list_is_not_advertised() -> None:
    phones, _ = extract_phones("电话:0755-27183506 传真:0755-27183507")
    by_number = {p.e164: p for p in phones}
    assert by_number["+8675527183506"].advertised
    assert not by_number["+8675527183507"].advertised


def test_repeated_number_is_advertised_without_cues() -> None:
    text = "澜拓净水器 4006271835\n全国联保 4006271835\n上门 4006271835"
    assert _phone(text, HOTLINE).advertised


def test_counts_occurrences_and_extra_sources() -> None:
    text = "热线:400-627-1835。再说一次 4006271835。手机 13912345678。"
    phones, hits = extract_phones(
        text,
        tel_links=["tel:4006271835", "tel:+86-139-1234-5678"],
        script_strings=["var t='400-627-1835';", "var hidden='4006271839';"],
        attributes=["致电400 627 1835"],
    )
    by_number = {p.e164: p for p in phones}
    assert by_number[HOTLINE].count == 2 + 1 + 1 + 1
    assert by_number[MOBILE].count == 2
    assert by_number[MOBILE].advertised  # a tel: link presents it as the number to call
    script_only = by_number["+864006271839"]
    assert script_only.count == 1 and script_only.obfuscated
    assert [h.e164 for h in hits] == [HOTLINE, HOTLINE, MOBILE]
    assert [p.e164 for p in phones][:2] == [HOTLINE, MOBILE]


def test_order_is_count_then_first_position() -> None:
    text = "电话13912345678;热线4006271835;热线4006271835;咨询0755-27183506"
    phones, _ = extract_phones(text)
    assert [p.e164 for p in phones] == [HOTLINE, MOBILE, "+8675527183506"]


def test_spans_cover_each_spelling_in_a_page() -> None:
    text = (
        "澜拓净水器售后 (1)400-627-1835(点击咨询)\n发布时间:2025-04-26 00:25:42\n"
        "维修热线:四零零六二七一八三五,手机 139 1234 5678,电话（０７５５）２７１８-３５０６转８\n"
        "京ICP备12345678号 QQ:13912345670"
    )
    hits = find_phone_hits(text)
    assert [h.e164 for h in hits] == [HOTLINE, HOTLINE, MOBILE, "+8675527183506"]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.raw
    assert [h.raw for h in hits][:3] == ["400-627-1835", "四零零六二七一八三五", "139 1234 5678"]
    assert hits[3].raw.startswith("（０７５５）") and hits[3].raw.endswith("转８")


def test_context_is_short_and_around_the_advertised_occurrence() -> None:
    text = "骗子曾用4006271835行骗。" + "无关内容" * 20 + "澜拓官方售后热线:4006271835,欢迎来电。"
    phone = _phone(text, HOTLINE)
    assert phone.advertised
    assert len(phone.context) <= 60
    assert "售后热线" in phone.context


@pytest.mark.parametrize(
    ("text", "e164", "kind"),
    [
        ("请拨打客服热线95577咨询", "95577", "short_code"),
        ("遇到问题拨打110报警", "110", "short_code"),
        ("拨打12315热线投诉", "12315", "short_code"),
        ("24小时客户服务电话8271936。", "8271936", "local"),
        ("公交服务热线82719360、82719361", "82719361", "local"),
        ("夜间值班电话021-95736", "+862195736", "fixed_line"),
        ("北美服务热线:323 555 0142。", "3235550142", "unknown"),
        ("刘某接到电话26471938254对方自称客服", "26471938254", "unknown"),
    ],
)
def test_short_codes_and_local_numbers(text: str, e164: str, kind: str) -> None:
    assert _phone(text, e164).kind == kind


@pytest.mark.parametrize(
    "text",
    ["全国共有12345个", "12306网站购票", "股价上涨8271936点", "报名人数3800人"],
)
def test_short_and_local_need_a_cue(text: str) -> None:
    assert find_phone_hits(text) == []


def test_foreign_national_numbers_need_the_page_to_point_there() -> None:
    page = "越南交通热线:0912345670、0987654321、0868123456。"
    assert _numbers(page) == ["+84912345670", "+84987654321", "+84868123456"]
    # The same digits on a page that points nowhere are not read as anything.
    assert _numbers("编号0912345670") == []


def test_taiwan_numbers_on_a_page_that_names_taiwan() -> None:
    page = "臺北市澜拓服務中心 電話:(02)2718-3506 手機:0912-345-670"
    assert _numbers(page) == ["+886227183506", "+886912345670"]


def test_glued_numbers_from_adjacent_links_are_split() -> None:
    hits = find_phone_hits("热线400627183513912345678")
    assert [(h.raw, h.e164, h.obfuscated) for h in hits] == [
        ("4006271835", HOTLINE, True),
        ("13912345678", MOBILE, True),
    ]


def test_international_prefix_is_read_with_its_country() -> None:
    phones, _ = extract_phones("北美服务热线:+1 855 555 0142;香港:+852 2123 4567")
    assert {p.e164 for p in phones} == {"+18555550142", "+85221234567"}


@pytest.mark.parametrize(
    ("text", "e164"),
    [("澳門電話：(853) 2888 6271", "+85328886271"), ("香港 (852) 2718 3506", "+85227183506")],
)
def test_country_code_in_parentheses(text: str, e164: str) -> None:
    assert _numbers(text) == [e164]


def test_quoted_scam_number_with_area_code_and_extra_digit() -> None:
    # Scam reports quote numbers a careful human would still dial, even if no longer valid.
    assert _numbers("刘某接到电话0631274619385,对方自称客服") == ["+86631274619385"]


def test_empty_and_digitless_text() -> None:
    assert extract_phones("") == ([], [])
    assert extract_phones("没有号码的页面。") == ([], [])


def test_a_bare_line_listed_after_an_area_code_shares_it() -> None:
    from pipelines.phones.scan import scan

    got = [(f.e164, f.kind) for f in scan("热线电话:(010)62751234、62751235,传真 8888", region="CN")]
    assert ("+861062751234", "fixed_line") in got and ("+861062751235", "fixed_line") in got
    tw = [f.e164 for f in scan("專線電話:( 02 ) 23456781 、 23456782 。", region="TW")]
    assert tw == ["+886223456781", "+886223456782"]
    # Not a list (a sentence between), or another length: stays a local number as written.
    apart = [(f.e164, f.kind) for f in scan("电话:(010)62751234。另有门店电话 62751235", region="CN")]
    assert ("62751235", "local") in apart
    shorter = [(f.e164, f.kind) for f in scan("电话:(010)62751234、6275123", region="CN")]
    assert ("6275123", "local") in shorter


def test_label_tests_as_their_regexes() -> None:
    """The ID-label test before a number (endswith of the labels' literals, the gap read from
    the end) gives what the label regexes give."""
    import random

    from pipelines.phones import context as c

    rng = random.Random(5)
    pieces = [*c._REJECT_SUFFIXES, *":：=#是为為- \t\n\u3000\u2028", "a", "中", "1", "群", "号", ".", "$"]
    for _ in range(20000):
        head = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))[-16:]
        gap = c._LABEL_GAP.search(head)
        end = gap.start() if gap else len(head)
        assert c._label_end(head) == end, head
        assert head[:end].endswith(c._REJECT_SUFFIXES) == bool(c._REJECT_LABEL.search(head[:end])), head


def test_plain_mainland_numbers_built_as_phonenumbers_parses_them() -> None:
    """Mobiles and 400/800 numbers are built without phonenumbers.parse: the same number."""
    import random
    from collections.abc import Callable
    from typing import Any

    import phonenumbers

    from pipelines.phones import numbers as n

    def read(parse: Callable[..., Any], *args: Any) -> object:
        try:
            got = parse(*args)
        except phonenumbers.NumberParseException as exc:
            return exc.error_type
        return got.country_code, got.national_number, got.italian_leading_zero

    rng = random.Random(3)
    checked = 0
    for _ in range(5000):
        digits = rng.choice(["400", "800", "13", "17", "179", "12", "19"])
        digits += "".join(rng.choice("0123456789") for _ in range((10 if digits[0] != "1" else 11) - len(digits)))
        assert read(n._parse_cn, digits) == read(phonenumbers.parse, digits, "CN"), digits
        assert read(n._parse_e164, "+86" + digits) == read(phonenumbers.parse, "+86" + digits, None)
        checked += bool(n._PLAIN_CN.fullmatch(digits))
    assert checked > 2000
