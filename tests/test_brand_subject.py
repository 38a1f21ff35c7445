"""The fallback for brands the dictionary lacks: the page's subject, trimmed and validated.

Pages are synthetic and every brand is invented (霁川, 昊曦, 沃澜德, 星渊派对, Zorvex: none is in
pipelines/data/brands.tsv, checked below); numbers are invented too.
"""

from __future__ import annotations

import pytest

from pipelines.brand_names import brand_entry, find_brand_mentions
from pipelines.brands import find_brands, page_subject

INVENTED = ("霁川", "昊曦", "沃澜德", "星渊派对", "Zorvex")


def first(text: str, title: str = "") -> str:
    found = find_brands(text, title)
    return found[0].name if found else ""


def test_the_invented_brands_are_unknown_to_the_dictionary() -> None:
    for name in INVENTED:
        assert brand_entry(name) is None and not find_brand_mentions(f"{name}手表售后")


# --- classes the subject reader handles ------------------------------------------------------

def test_title_subject_before_its_service_topic_with_its_category() -> None:
    page = ("北京霁川手表保修多久内维修\n发布时间:2024-01-01\n霁川手表官方售后为消费者提供两年保修。"
            "霁川手表出现故障,请联系霁川维修中心。")
    assert first(page) == "霁川手表"


def test_brand_before_a_city_in_the_title() -> None:
    page = "霁川沈阳售后维修费用解析\n作为知名品牌,霁川售后维修费用透明。霁川沈阳售后维修服务热线请见下文。"
    assert first(page) == "霁川"


def test_latin_gloss_and_pinyin_are_read_through() -> None:
    page = ("昊(hào)曦(HAOXI)冰箱咨询售后服务电话\n产品保修期:昊曦(HAOXI)冰箱通常享有两年保修。"
            "昊曦冰箱售后网点覆盖全国。")
    assert first(page) == "昊曦冰箱"


def test_latin_brand_with_its_category_in_the_title() -> None:
    page = "Zorvex空调官方售后服务指南\nZorvex空调售后提供上门维修。购买Zorvex空调后请保留发票。"
    assert first(page) == "Zorvex空调"


def test_a_brand_the_first_lines_introduce() -> None:
    page = ("售后费用由谁承担?\n南京沃澜德是一家知名的家电品牌,其售后服务备受关注。沃澜德售后对非人为损坏"
            "免费维修,沃澜德维修网点遍布各地。")
    assert first(page) == "沃澜德"


def test_a_name_in_title_brackets() -> None:
    page = ("《星渊派对》日均充值交易中,部分涉及未成年人消费。\n星渊派对充值退款流程如下。"
            "也可联系星渊派对客服申请退款。")
    assert first(page) == "星渊派对"


def test_a_verb_between_the_name_and_its_topic_is_trimmed() -> None:
    page = "霁川协商还款流程详解\n霁川是一家金融科技公司。遇到困难可联系霁川客服,霁川还款方式多样。"
    assert first(page) == "霁川"


def test_a_product_claimed_twice_ranks_above_a_channel_named_once() -> None:
    """The claimed one by where it stands, not the first dictionary mention (微信 is known)."""
    page = ("欢迎来到快修平台\n24小时家电维修热线:400-000-1111\n苏州霁川燃气灶上门维修报修专线\n"
            "苏州霁川燃气灶报修售后电话:400-000-1111\n苏州霁川燃气灶全天候客服专线:4000001111\n"
            "霁川燃气灶设立24小时服务热线(微信智能客服全天服务)。")
    names = [b.name for b in find_brands(page)]
    assert names[0] == "霁川燃气灶" and "微信" in names


def test_an_official_page_names_its_brand_without_claiming_for_the_verdict() -> None:
    """A brand's own page ("<brand>客户服务") is about it; it claims nothing the verdict counts."""
    page = ("霁川净水器客户服务\n霁川科技成立于2006年,专注于净水器。客户服务热线:400-000-2222\n"
            "保修期内凭发票享受免费维修。更多信息请访问霁川官方网站。")
    found = find_brands(page)
    assert found and found[0].name == "霁川净水器"
    assert found[0].count == 0 and not found[0].in_title


# --- what the reader must not turn into a brand ----------------------------------------------

@pytest.mark.parametrize("page", [
    # a name the page does not repeat
    "霁川手表保修多久\n手表保修期一般为两年,请保留发票。",
    # everyday words and phrases before a service topic
    "产品延保服务\n产品延保服务是一项增值服务。产品延保服务合同套餐如下。产品延保服务期限一年。",
    "校园网报修处理\n校园网故障请网上报修。校园网报修仅处理线路故障。校园网服务时间为工作日。",
    "中小学新增课后服务\n相关阅读:中小学新增课后服务\n中小学新增课后服务将覆盖全市。",
    "孩子充值退款怎么办\n孩子充值退款需要家长申请。孩子充值退款流程如下,孩子充值退款请保留记录。",
    # a law or notice title in brackets
    "《消费者权益保护法》规定了退款\n依照消费者权益保护法,退款应及时办理。消费者权益保护法售后条款。",
    # a product, not a brand: categories only, product nouns, a word and its product
    *(f"{x}维修保养技巧\n{x}维修要注意什么。{x}保养方法。{x}服务寿命。{x}故障排除。"
      for x in ("平板电脑", "电瓶车", "太阳能热水器", "充电桩", "蓝牙耳机", "电动车电池", "扫地机器人")),
    # and on a hotline page's claims
    *(f"{x}售后服务电话\n{x}售后服务电话400-000-0000。{x}维修电话。" for x in ("电瓶车", "蓝牙耳机")),
])
def test_no_subject_from_everyday_words(page: str) -> None:
    assert first(page) == ""


def test_a_name_before_a_product_noun_is_still_a_subject() -> None:
    page = "霁川电动车维修保养技巧\n霁川电动车维修要注意什么。霁川电动车保养方法。霁川电动车故障排除。"
    assert first(page) == "霁川电动车"


def test_a_long_clause_is_read_only_before_its_service_word() -> None:
    """The trimming patterns are quadratic in their input: a 20,000-character title of filler is
    read in the 48 characters before the service word, with the same answer as the short one."""
    from pipelines.brands import _NAME_WINDOW, _clause_candidate, _subject_candidate

    filler = "的" * 20_000
    assert _NAME_WINDOW <= 64
    assert _clause_candidate(filler + "霁川指纹锁售后电话") == _clause_candidate("霁川指纹锁售后电话") == "霁川指纹锁"
    assert _subject_candidate(filler + "霁川指纹锁售后电话") == "霁川指纹锁"
    assert _subject_candidate("霁川" + filler + "x售后电话") is None
    assert first(f"霁川{filler}x售后电话\n霁川售后", f"霁川{filler}x售后电话") in ("", "霁川")


@pytest.mark.parametrize("page", [
    "警惕假冒霁川售后电话\n近日有骗子冒充霁川售后。霁川售后提醒:谨防假冒霁川售后电话,霁川官方售后仅此一个。",
    "已更新霁川空调售后服务电话\n霁川空调售后服务电话已更新。霁川空调售后上门维修。",
    "前往霁川售后网点\n请前往霁川售后网点维修。霁川售后网点遍布全国,霁川售后服务周到。",
])
def test_warning_template_and_verb_words_never_stand_in_a_name(page: str) -> None:
    """The page may name 霁川; never a phrase holding a warning, template word or verb."""
    for claim in find_brands(page):
        assert claim.name.startswith("霁川"), claim.name
        assert not any(w in claim.name for w in ("警惕", "假冒", "已更新", "前往", "售后", "电话"))


def test_page_subject_needs_the_page_to_repeat_it() -> None:
    title = "霁川手表官方售后"
    assert page_subject(title, f"{title}\n霁川手表售后为您服务。霁川手表维修。") == ("霁川手表", 3)
    assert page_subject(title, f"{title}\n手表售后为您服务。") is None
