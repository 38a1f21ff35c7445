"""More classes of the page-subject fallback (session 8, issue 10): breadcrumb title lines, a
product claimed twice on a short page, brands that are dictionary words, "<X>的" names, Latin
marks before a Chinese word, a name the page introduces as a brand; and institutions with a
two-character city before a public utility.

Pages are synthetic; the brands are invented (霁川, 澜拓, ZX音乐) or jieba words no brand of
pipelines/data/brands.tsv is (海燕, 红星, 骆驼: checked below); numbers are invented too.
"""

from __future__ import annotations

import pytest

from pipelines.brand_fallback import valid_name
from pipelines.brand_names import _word_freq, brand_entry, find_brand_mentions
from pipelines.brands import find_brands, institutions

INVENTED = ("霁川", "澜拓", "ZX音乐")
WORDS = ("海燕", "红星", "骆驼")  # dictionary words of middling to high frequency


def first(text: str, title: str = "") -> str:
    found = find_brands(text, title)
    return found[0].name if found else ""


def test_the_names_are_unknown_to_the_brand_dictionary_and_the_words_are_words() -> None:
    for name in (*INVENTED, *WORDS):
        assert brand_entry(name) is None and not find_brand_mentions(f"{name}手表售后")
    assert all(_word_freq().get(w, 0) > 0 for w in WORDS)
    assert _word_freq()["骆驼"] >= 400  # frequent: the stricter rule applies


# --- a breadcrumb is no title ----------------------------------------------------------------

def test_breadcrumb_first_line_gives_way_to_the_title_after_it() -> None:
    page = ("您的位置:首页 > 资讯 > 正文\n澜拓充值退款办法详解\n澜拓充值退款需要先联系客服。"
            "澜拓退款流程如下,澜拓客服会审核订单。")
    assert first(page, "您的位置:首页 > 资讯 > 正文") == "澜拓"


def test_breadcrumb_last_crumb_names_the_subject() -> None:
    page = ("首页>维修品牌>霁川\n统一的服务标准和费用\n我们每个霁川客户服务中心都配备专业人员。"
            "当您的霁川腕表出现故障,请到霁川维修中心保养。霁川腕表维修收费透明。")
    assert first(page, "首页>维修品牌>霁川") == "霁川"


@pytest.mark.parametrize("page", [
    "您的位置:首页 > 资讯 > 正文\n保修期内维修免费\n保修期内非人为故障免费维修。售后上门收费标准如下。",
    "首页>新闻>正文\n统一的服务标准\n我们的服务中心环境优雅,正文如下。正文服务热线见官网。",
])
def test_breadcrumb_without_a_brand_gives_none(page: str) -> None:
    assert first(page, page.split("\n", 1)[0]) == ""


# --- a short page, a word for a brand ----------------------------------------------------------

def test_product_in_the_title_and_again_before_a_topic_on_a_short_page() -> None:
    page = "海燕净水机一般保修多久?\n海燕净水机保修期分型号,基础款保修一年。"
    assert first(page) == "海燕净水机"


def test_a_word_the_page_calls_a_brand_is_its_subject() -> None:
    page = ("北京红星售后服务中心:维修与升级服务指南\n作为全球知名的通信品牌,红星在北京设立了售后"
            "服务中心。红星售后服务中心覆盖各区,红星服务网点均在地铁附近。")
    assert first(page) == "红星"


def test_a_frequent_word_with_its_product_and_service_topics_is_the_subject() -> None:
    page = ("引言:骆驼官方售后服务中心\n骆驼手机出现故障时,可前往骆驼官方售后。骆驼客服热线会预约维修,"
            "骆驼售后使用原厂配件。")
    assert first(page) == "骆驼"


@pytest.mark.parametrize("page", [
    # a word named before its service topics, never as a brand nor with a product
    "红星报修处理\n红星故障请网上报修。红星报修仅处理线路故障。红星服务时间为工作日。",
    # a frequent word without its product
    "骆驼售后服务中心\n骆驼售后服务中心提供维修。骆驼客服热线全天服务。骆驼售后网点很多。",
])
def test_words_not_named_as_brands_are_no_subject(page: str) -> None:
    assert first(page) == ""


# --- names a fallback reads now --------------------------------------------------------------

def test_a_name_introduced_as_a_brand_with_service_for_it() -> None:
    page = ("杭州澜拓是一家老牌的腕表品牌,表友常问它的保养。杭州澜拓的售后收费怎样算?"
            "杭州澜拓在保修期内免费修理,超出保修期由表主付费,杭州澜拓另有延保。")
    assert first(page) == "澜拓"


def test_a_latin_mark_before_a_chinese_word() -> None:
    page = ("说起听歌,ZX音乐作为一款年轻人常用的音乐平台,会员权益不少。想停掉ZX音乐"
            "会员续费?先打开ZX音乐APP,再进ZX音乐会员中心,找到续费管理。")
    assert first(page) == "ZX音乐"


@pytest.mark.parametrize("name", ["APP客服", "VIP会员", "WiFi密码", "PC电脑"])
def test_latin_words_before_a_chinese_word_are_no_mark(name: str) -> None:
    assert not valid_name(name, common_ok=True)


def test_x_de_is_a_name_only_as_a_word_with_its_product() -> None:
    assert valid_name("美的冰箱", common_ok=True)  # jieba knows 美的 (230)
    assert not valid_name("美的", common_ok=True)  # no product: 的 ends a phrase
    assert not valid_name("美的冰箱")  # a claim's candidate, not a page's subject
    for phrase in ("新的冰箱", "目的冰箱", "真的空调", "我的空调"):
        assert not valid_name(phrase, common_ok=True), phrase


# --- institutions ----------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "name"), [
    ("近日泰安供电公司发布停电通知", "泰安供电公司"),
    ("据了解河源供电局将检修线路", "河源供电局"),
    ("市民反映梧州自来水公司水压不足", "梧州自来水公司"),
])
def test_two_character_city_before_a_utility_mid_sentence(title: str, name: str) -> None:
    assert institutions(title) == [name]


@pytest.mark.parametrize("title", ["澜拓智能科技有限公司客服电话", "江苏华为维修服务中心"])
def test_a_two_character_place_inside_a_word_is_no_institution_start(title: str) -> None:
    assert not any(n.startswith(("能科", "江苏华")) for n in institutions(title))
