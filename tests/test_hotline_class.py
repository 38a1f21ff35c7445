"""hotline_spam or seo_spam: a spam page that presents a number to call is a fake hotline by
definition (issue 10), whatever its wording; the hotline model decides the rest.

Pages are synthetic (invented brands and numbers)."""

from __future__ import annotations

import dataclasses
import random

from pipelines import model as M
from pipelines.analyze import analyze, page_features
from pipelines.verdict import judge, presents_number
from tests.verdict_pages import doc


def refund_guide(number: str = "", extra: str = "") -> str:
    """A spun 'how to get a refund' guide, the seo_spam genre, optionally with a number to call."""
    call = f"退款人工客服电话:{number},24小时人工服务。" if number else ""
    return doc(
        "揭秘澜星游戏未成年充值退款全攻略:一通电话轻松解决",
        "## 引言 本文将为您整理澜星游戏未成年充值退款的流程,希望对大家有所帮助。",
        "一、退款条件 未成年人误充值可申请原路退回,需提供监护人身份证明与充值记录。",
        f"二、退款渠道 {call}{extra}",
        "三、注意事项 提交材料后请耐心等待审核,一般3到5个工作日内原路退回。",
        "综上所述,掌握正确的退款流程,就能轻松应对未成年充值问题。",
    )


def test_a_spam_guide_presenting_a_400_number_is_a_fake_hotline():
    a = analyze(refund_guide("400-6172-935"), url="http://qwzx8.top/a/1.html")
    assert a.verdict == "hotline_spam", a.reasons
    f = page_features(refund_guide("400-6172-935"), url="http://qwzx8.top/a/1.html")
    assert presents_number(f) == "presents 400-6172-935 as the number to call"


def test_a_mobile_number_counts_and_a_landline_does_not():
    f = page_features(refund_guide("139-0571-2846"), url="http://qwzx8.top/a/1.html")
    assert presents_number(f).startswith("presents 139-0571-2846")
    g = dataclasses.replace(f, advertised=(("0571-8602-7315", 1, "fixed_line"),))
    assert presents_number(g) == ""


def test_a_guide_quoting_official_short_codes_is_left_to_the_model():
    # A junk guide citing a 95xxx line beside a 400 number quotes published lines: no rule.
    f = page_features(refund_guide("400-6172-935", "或拨打95977按0转人工。"),
                      url="http://qwzx8.top/a/1.html")
    assert f.short_codes >= 1
    assert presents_number(f) == ""
    assert not any(r.startswith("hotline: ") for r in judge(f).reasons)


def test_the_claimed_brands_official_number_is_never_presented_as_fake():
    f = page_features(refund_guide("400-6172-935"), url="http://qwzx8.top/a/1.html")
    assert presents_number(dataclasses.replace(f, official_advertised=1)) == ""


def test_a_click_to_call_button_stands_in_for_the_number():
    button = "【一键进入拨打售后热线】"
    f = page_features(refund_guide(extra=button), url="http://qwzx8.top/a/1.html")
    assert f.call_buttons == 1 and not f.advertised
    assert presents_number(f) == "a click-to-call button stands in for the number"
    # A template placeholder (400-XXX-XXXX) beside it: a template with nothing to call.
    g = page_features(refund_guide(extra=button + "客服热线400-XXX-XXXX"), url="")
    assert g.placeholder_numbers and presents_number(g) == ""


def hacked_ticket_page(number: str) -> str:
    """A hacked page: betting and porn keywords in the title over a ticket-change 'service'."""
    return doc(
        "澜星体育官方网站_在线观看_久久精品_亚洲日韩 國際機票改簽規則",
        "當前位置: > 航空新聞",
        "這篇文章為大家講解國際機票退改簽的規定與知識點,希望能幫到各位。文章目錄:",
        f"機票如何改簽: {number} 【24小時人工客服】各地聯網訂票.改簽.退票",
        "成都、重慶、西安、鄭州、青島、廈門、福州、合肥、南昌、太原、瀋陽、大連",
    )


def test_the_number_decides_where_the_hotline_model_reads_hacked_junk():
    url = "http://odx-kk.com/hkxw/7481.html"
    with_number = page_features(hacked_ticket_page("4 0 0 8 ― 1 7 2 9 3 5"), url=url)
    without = page_features(hacked_ticket_page(""), url=url)
    m = M.shipped()
    # The hotline model alone calls both pages junk (injected keywords weigh towards seo_spam).
    assert m.hotline.probability(m.score(with_number.__dict__).hotline) < m.hotline_threshold
    d = judge(with_number)
    assert d.verdict == "hotline_spam"
    assert "hotline: presents 400-8172-935 as the number to call" in d.reasons[:2]
    assert judge(without).verdict == "seo_spam"


def test_a_clean_page_with_a_400_number_stays_clean():
    # The rule only picks the spam class of a page the spam model calls spam.
    from tests.verdict_pages import brand_policy

    assert analyze(brand_policy(random.Random(3)), url="").verdict == "clean"
