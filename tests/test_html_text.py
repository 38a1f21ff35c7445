"""Page text extraction and browser-like decoding, on pages written here."""

from __future__ import annotations

import pytest

from pipelines.encoding import DecodeError, decode_html, sniff_encoding
from pipelines.html_text import extract_page_text

PAGE = """<!doctype html><html><head>
<meta charset="{charset}"><title>瑞沐净水器售后服务中心</title>
<meta name="description" content="瑞沐净水器全国联保">
<meta name="keywords" content="瑞沐售后,瑞沐维修">
<style>.x{{color:red}}</style>
<script>var tel = "400-6123-4567"; var n = 'n\\u0034';</script>
</head><body>
<h1>瑞沐净水器维修</h1>
<div>第一段<span>内联</span>文字</div>
<p>热线:<b>400</b>-<i>6123</i>-4567</p>
<div style="display: none">瑞沐售后电话 瑞沐维修电话</div>
<span style="visibility:hidden">隐藏的字</span>
<noscript>请开启脚本</noscript>
<a href="tel:400-6123-4567">立即拨打</a>
<img src="a.png" alt="瑞沐净水器图片">
<!-- a comment -->
<ul><li>杭州</li><li>成都</li></ul>
</body></html>"""


BIG5_PAGE = """<html><head><meta charset="{charset}"><title>瑞沐淨水器售後服務</title></head>
<body><p>瑞沐淨水器全國統一售後服務熱線,師傅上門維修,收費透明,請放心。</p>
<p>服務區域:臺北、高雄、臺中、新竹。</p></body></html>"""


def page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset)


def test_visible_text_in_order_with_blocks():
    t = extract_page_text(page().encode("utf-8"))
    lines = t.text.split("\n")
    assert lines[0] == "瑞沐净水器售后服务中心"  # the title leads the analysed text
    assert "第一段内联文字" in lines  # inline tags join without separators
    assert "热线:400-6123-4567" in lines  # a number split over tags reads whole
    assert lines.index("杭州") + 1 == lines.index("成都")
    assert "color:red" not in t.text and "var tel" not in t.text
    assert "a comment" not in t.text


def test_side_channels():
    t = extract_page_text(page().encode("utf-8"))
    assert t.title == "瑞沐净水器售后服务中心"
    assert t.headings == ("瑞沐净水器维修",)
    assert t.meta_description == "瑞沐净水器全国联保"
    assert t.meta_keywords == "瑞沐售后,瑞沐维修"
    assert t.tel_links == ("400-6123-4567",)
    assert "400-6123-4567" in t.script_strings
    assert "n4" in t.script_strings  # \\u escapes are decoded
    assert "瑞沐净水器图片" in t.attributes
    assert "瑞沐售后电话 瑞沐维修电话" in t.hidden
    assert "隐藏的字" in t.hidden and "请开启脚本" in t.hidden
    assert "隐藏的字" not in t.text and "请开启脚本" not in t.text


@pytest.mark.parametrize(
    "declared,codec,expected",
    [("gbk", "gbk", "gb18030"), ("gb2312", "gb2312", "gb18030"), ("gb18030", "gb18030", "gb18030"),
     ("big5", "big5", "big5hkscs")],
)
def test_meta_charset_legacy_chinese(declared, codec, expected):
    html = BIG5_PAGE.format(charset=declared) if codec.startswith("big5") else page(declared)
    t = extract_page_text(html.encode(codec))
    assert t.encoding == expected
    assert ("瑞沐淨水器" if codec.startswith("big5") else "瑞沐净水器") in t.text


def test_http_header_wins_over_meta():
    body = page("utf-8").encode("gbk", errors="ignore")
    # The meta says utf-8 but the body is GBK: the header is right here.
    t = extract_page_text(body, content_type="text/html; charset=GBK")
    assert t.encoding == "gb18030" and "瑞沐净水器" in t.text


def test_wrong_declaration_falls_back_to_detection():
    body = page("utf-8").encode("gb18030")  # says utf-8, is GB18030
    t = extract_page_text(body)
    assert "瑞沐净水器" in t.text
    t2 = extract_page_text(page("utf-8").encode("gbk"), content_type="text/html; charset=ISO-8859-1")
    assert "瑞沐净水器" in t2.text


def test_missing_charset_is_detected():
    html = page("utf-8").replace('<meta charset="utf-8">', "")
    for codec in ("gb18030", "utf-8"):
        assert "瑞沐净水器售后服务中心" in extract_page_text(html.encode(codec)).text
    big5 = BIG5_PAGE.replace('<meta charset="{charset}">', "")
    assert "瑞沐淨水器" in extract_page_text(big5.encode("big5")).text


def test_bom_wins():
    body = b"\xef\xbb\xbf" + page("gbk").encode("utf-8")
    assert sniff_encoding(body, "text/html; charset=gbk") == ("utf-8", 3)
    assert "瑞沐净水器" in extract_page_text(body).text


def test_binary_body_is_refused():
    with pytest.raises(DecodeError):
        decode_html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(DecodeError):
        decode_html(b"PK\x03\x04zipdata\x00\x00")


def test_invalid_bytes_do_not_lose_the_page():
    body = page("utf-8").encode("utf-8").replace(b"</body>", b"<p>\xff\xfe\xfa tail</p></body>")
    t = extract_page_text(body, content_type="text/html; charset=utf-8")
    assert "瑞沐净水器" in t.text and "tail" in t.text


@pytest.mark.parametrize("html", ["", "   ", "<", "<html><body></body></html>", "<<<>>>&&&", "<p>未闭合<div><span>文字"])
def test_malformed_and_empty(html):
    t = extract_page_text(html)
    assert isinstance(t.text, str)


def test_deep_nesting_does_not_crash():
    html = "<div>" * 5000 + "深处的文字" + "</div>" * 5000
    assert "深处的文字" in extract_page_text(html).text
