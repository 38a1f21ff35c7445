"""Whose page this is: a generated guide's stock phrases, the claimed brand's own site, a file's address.

Pages are synthetic; the brand is a dictionary entry (苹果, Latin name Apple) because own_site
reads the shipped dictionary's Latin names."""

from __future__ import annotations

import dataclasses
import json

from pipelines.analyze import analyze, page_features
from pipelines.features import Features, model_input, rebuild
from pipelines.provenance import article_voice, file_address, own_site

GUIDE = (
    "<html><head><title>揭秘星河会员退款全攻略</title></head><body>"
    "<h1>揭秘星河会员退款全攻略</h1><p>引言</p>"
    "<p>本文将为您讲清星河会员的退款流程,让小伙伴们少走弯路。</p>"
    "<p>以下是具体步骤:登录账户,进入订单页面,提交申请。</p>"
    "<p>希望对大家有所帮助。</p></body></html>"
)
NOTICE = (
    "<html><head><title>关于调整营业时间的公告</title></head><body>"
    "<p>自2026年5月1日起,本店营业时间调整为每日9:00至21:00。</p>"
    "<p>特此公告。</p><p>2026年4月20日</p></body></html>"
)
SERVICE = (
    "<html><head><title>苹果售后服务 - 维修与支持</title></head><body>"
    "<h1>苹果售后服务</h1><p>苹果产品的保修、维修与技术支持。</p>"
    "<p>如需苹果维修服务,请预约苹果授权服务提供商。</p></body></html>"
)


def test_a_generated_guide_speaks_of_itself_a_notice_does_not():
    assert article_voice(page_features(GUIDE).body_text) >= 3
    assert page_features(GUIDE).article_voice >= 5
    assert page_features(NOTICE).article_voice == 0


def test_only_the_registered_name_makes_the_brands_own_site():
    assert own_site("www.apple.com.cn", "苹果")
    assert own_site("support.apple.com", "苹果")
    assert not own_site("apple.repair-farm.com", "苹果")  # a brand in a farm's subdomain
    assert not own_site("applefuwu.com", "苹果")  # beside a service word
    assert not own_site("www.apple.top", "苹果")  # a look-alike under a cheap new suffix
    assert not own_site("www.apple.com.cn", "")  # no claimed brand
    assert not own_site("www.apple.com.cn", "不在词典里的牌子")
    assert not own_site("", "苹果")


def test_the_page_feature_follows_the_host():
    own = page_features(SERVICE, url="https://www.apple.com.cn/support/")
    farm = page_features(SERVICE, url="http://apple.shouhou-fuwu.com/support/")
    assert own.brand == "苹果" and own.own_site
    assert farm.brand == "苹果" and not farm.own_site
    assert not page_features(SERVICE).own_site  # analysed without a URL


def test_the_shipped_model_explains_both_with_their_sign():
    own = analyze(SERVICE, url="https://www.apple.com.cn/support/")
    guide = analyze(GUIDE, url="http://guide.invalid/post/1.html")
    assert any(r.startswith("−") and "brand's own site" in r for r in own.reasons), own.reasons
    assert any(r.startswith("+") and "generated article" in r for r in guide.reasons), guide.reasons


def test_a_page_stored_before_these_features_is_rebuilt_with_them():
    f = page_features(GUIDE, url="https://www.apple.com.cn/guide/")
    numeric = {k: v for k, v in f.as_dict().items() if k not in ("article_voice", "own_site")}
    text = "\n".join(line for line in (
        "揭秘星河会员退款全攻略", "引言", "本文将为您讲清星河会员的退款流程,让小伙伴们少走弯路。",
        "以下是具体步骤:登录账户,进入订单页面,提交申请。", "希望对大家有所帮助。"))
    again = rebuild(numeric, model_input(f), text, len(text))
    assert isinstance(again, Features)
    assert again.article_voice == f.article_voice
    assert again.own_site == f.own_site
    stored = rebuild(f.as_dict(), model_input(f), text, len(text))
    assert stored is not None and dataclasses.asdict(stored)["article_voice"] == f.article_voice
    g = page_features(SERVICE, url="https://www.apple.com.cn/support/")
    numeric = {k: v for k, v in g.as_dict().items() if k != "own_site"}
    again = rebuild(numeric, model_input(g), "苹果售后服务", 6)
    assert again is not None and again.own_site  # from the stored address and brand


def test_a_web_page_at_a_files_address_is_marked():
    assert file_address("/index.php/2026-03-12/qkxwzd.pdf")
    assert file_address("/usy0120QRMZnS.XML")
    assert not file_address("/news/2026/0312/123.html")
    assert not file_address("/pdf/list.aspx")  # a directory named pdf is no file address
    assert not file_address("")
    page = page_features(GUIDE, url="http://school.invalid/index.php/2026/x.pdf")
    assert page.file_address and not page_features(GUIDE, url="http://a.invalid/x.html").file_address


def test_a_long_address_is_read_whole_when_an_old_page_is_rebuilt():
    # A parasite page at a file's address whose path is longer than the stored url_text.
    url = "http://hacked.invalid/" + "a" * 150 + "/usy0120QRMZnS.xml"
    f = page_features(GUIDE, url=url)
    assert f.file_address and len(f.url_text) == 120
    numeric = {k: v for k, v in f.as_dict().items() if k != "file_address"}
    text = "揭秘星河会员退款全攻略"
    assert rebuild(numeric, model_input(f), text, len(text), url).file_address
    cut = rebuild(numeric, model_input(f), text, len(text))  # only the cut url_text: lost
    assert cut is not None and not cut.file_address


def test_reanalyze_and_training_read_an_old_page_at_its_final_address():
    from db.rescore import SCORING_COLUMNS
    from db.training import TRAINING_COLUMNS
    from investigate.reanalyze import stored_features

    final = "https://www.apple.com.cn/support/"
    g = page_features(SERVICE, url=final)
    assert g.own_site
    row = {"url": "http://t.invalid/r", "final_url": final, "text": "苹果售后服务",
           "visible_chars": 6, "model_input": json.dumps(model_input(g)),
           "features": {k: v for k, v in g.as_dict().items() if k != "own_site"}}
    facts, from_text = stored_features(row)
    assert facts.own_site and not from_text  # the redirect's target, not the request URL
    assert not stored_features({**row, "final_url": ""})[0].own_site
    for columns in (SCORING_COLUMNS, TRAINING_COLUMNS):  # both read what it needs
        assert {"url", "final_url"} <= {c.key for c in columns}
