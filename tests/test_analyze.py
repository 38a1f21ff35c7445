"""The triage engine end to end: verdicts, brands, padding kinds, encodings, on pages written here."""

from __future__ import annotations

import html
import itertools
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipelines.analyze import analyze
from pipelines.types import PADDING_KINDS
from triage.demo import farm

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def kinds(a) -> Counter:
    return Counter(s.kind for s in a.padding)


@pytest.fixture(scope="module")
def rng():
    return random.Random(20261130)


def test_farm_page_is_hotline_spam_with_every_padding_kind(rng):
    page = farm.spam_page(rng, brand="澜拓", category="指纹锁", number=("400-612-3456", "+864006123456"))
    a = analyze(page.html.encode("utf-8"), url="http://farm.test/a.html")
    assert a.verdict == "hotline_spam" and a.score > 0.9
    assert a.brands[0] == "澜拓指纹锁"
    top = a.numbers[0]
    assert top.e164 == "+864006123456" and top.advertised and top.kind == "shared_cost"
    assert top.count >= 8
    assert set(kinds(a)) == set(PADDING_KINDS)
    assert 0.4 < a.padding_ratio <= 1.0
    assert any("advertised" in r for r in a.reasons)
    assert any("places" in r for r in a.reasons)
    # spans point at what they name
    region = next(s for s in a.padding if s.kind == "region_list")
    assert "市" in a.text[region.start:region.end] and "、" in a.text[region.start:region.end]
    article = next(s for s in a.padding if s.kind == "scraped_article")
    assert "马拉松" in a.text[article.start:article.end]
    for s in a.padding:
        if s.kind == "stuffing":
            assert "澜拓指纹锁" in a.text[s.start:s.end]


def test_spans_are_sorted_and_disjoint(rng):
    a = analyze(farm.spam_page(rng).html)
    ends = [(s.start, s.end) for s in a.padding]
    assert ends == sorted(ends)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(ends))
    assert all(0 <= s.start < s.end <= len(a.text) for s in a.padding)


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "big5"])
def test_encoded_spam_pages_read_right(rng, codec):
    page = farm.spam_page(rng, brand="铂雅", category="保险柜", number=("400-8123-009", "+864008123009"))
    text = page.html.replace("charset='utf-8'", f"charset='{codec}'")
    if codec == "big5":
        from opencc import OpenCC

        text = OpenCC("s2t").convert(text)
    a = analyze(text.encode(codec, errors="replace"))
    assert a.verdict == "hotline_spam"
    assert a.numbers[0].e164 == "+864008123009"
    assert a.brands and a.brands[0] in ("铂雅保险柜",)  # traditional pages are read as simplified


@pytest.mark.parametrize(
    "make",
    [farm.official_page, farm.warning_news_page, farm.gov_notice_page, farm.shop_page],
    ids=["official", "warning-news", "gov-notice", "shop"],
)
def test_legitimate_look_alikes_stay_clean(rng, make):
    page = make(rng)
    a = analyze(page.html)
    assert a.verdict == "clean", a.reasons
    assert {p.e164 for p in a.numbers} >= set(page.numbers)


def test_warning_news_does_not_advertise_the_fake_number(rng):
    page = farm.warning_news_page(rng)
    a = analyze(page.html)
    fake = next(p for p in a.numbers if p.e164 == page.numbers[0])
    assert not fake.advertised


def test_gov_notice_region_list_is_found_but_clean(rng):
    a = analyze(farm.gov_notice_page(rng).html)
    assert "region_list" in kinds(a)
    assert a.verdict == "clean"


def test_seo_spam_without_hotline():
    body = (
        "<title>国产精品一区二区_久久精品视频_欧美日韩在线观看_成人免费视频</title>"
        "<p>凯诺斯燃气灶故障代码E1怎么处理?</p><p>燃气灶点不着火通常与电池电量和点火针有关。</p>"
    )
    a = analyze(f"<html><head>{body}</head><body>{body}</body></html>")
    assert a.verdict == "seo_spam"
    assert any("injected" in r for r in a.reasons)


def test_after_sales_article_with_placeholder_number_is_seo_spam():
    text = (
        "启澄热水器售后服务电话是多少?如何联系启澄客服\n"
        "启澄热水器售后服务热线:400-XXX-XXXX,工作时间内拨打即可。\n"
        "启澄热水器售后维修网点覆盖全国,用户可以拨打售后电话预约上门维修服务,师傅专业快速响应。\n"
    )
    a = analyze(text=text)
    assert a.verdict == "seo_spam"
    assert a.numbers == ()


def test_text_input_and_empty_input():
    a = analyze(text="")
    assert a.verdict == "clean" and a.numbers == () and a.padding_ratio == 0.0
    b = analyze(b"")
    assert b.verdict == "clean"


def test_hidden_keyword_text_is_stuffing(rng):
    page = farm.spam_page(rng, brand="恒翼", category="空调")
    hidden = "<div style='display:none'>恒翼空调售后电话 恒翼空调维修电话 恒翼空调客服热线</div>"
    a = analyze(page.html.replace("<body>", "<body>" + hidden))
    hidden_spans = [s for s in a.padding if s.detail == "hidden keyword text"]
    assert hidden_spans and hidden_spans[0].start >= a.visible_chars


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present (development machines only)")
def test_seed_page_rendered_as_html():
    raw = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    lines = [ln for ln in raw.split("\n") if ln.strip()]
    doc = (f"<html><head><meta charset='utf-8'><title>{html.escape(lines[0])}</title></head><body>"
           + "".join(f"<p>{html.escape(ln)}</p>" for ln in lines) + "</body></html>")
    a = analyze(doc.encode("utf-8"))
    assert a.verdict == "hotline_spam"
    assert "联勒指纹锁" in a.brands
    num = next(p for p in a.numbers if p.e164 == "+864001865909")
    assert num.advertised
    assert set(kinds(a)) == set(PADDING_KINDS)


def test_engine_imports_neither_scrapy_nor_sqlalchemy():
    code = (
        "import sys, pipelines.analyze, triage.cli.analyze;"
        "bad=[m for m in ('scrapy','sqlalchemy','twisted') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
