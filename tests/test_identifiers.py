"""Identifiers operators reuse (issue 14): every kind found and normalised, and look-alikes that
are not identifiers left alone. Fixtures are written by us; every id is invented."""

from __future__ import annotations

import base64
import hashlib

import mmh3
import pytest

from pipelines.analyze import analyze
from pipelines.identifiers import favicon_hashes, find_identifiers
from pipelines.types import IDENTIFIER_KINDS, Identifier

HEX = "8d6b1f0e2c3a4b5d6e7f8091a2b3c4d5"

# (markup, text, expected (kind, value) pairs): one case per kind, spelled several ways.
FOUND = [
    ("", "粤ICP备2023012345号-1", {("icp", "粤ICP备2023012345号")}),
    ("", "京ICP证 030173号", {("icp", "京ICP证030173号")}),
    ("", "粤公网安备 44030602001234号", {("psb", "44030602001234")}),
    ("", "京公网安备：11010502030000号", {("psb", "11010502030000")}),
    (f"<script src='https://hm.baidu.com/hm.js?{HEX.upper()}'></script>", "",
     {("baidu_tongji", HEX)}),
    ("<script src='https://s4.cnzz.com/z_stat.php?id=1281234567&web_id=1281234567'></script>", "",
     {("cnzz", "1281234567")}),
    ("<script src='https://w.cnzz.com/c.php?x=1'></script><script src="
     "'http://s11.cnzz.com/stat.php?id=5123456&web_id=5123456'></script>", "", {("cnzz", "5123456")}),
    ("<script>LA.init({id: \"JkQx3r8AbC\", ck: \"JkQx3r8AbC\"})</script>", "",
     {("la51", "JkQx3r8AbC")}),
    ("<script src='//js.users.51.la/21234567.js'></script>", "", {("la51", "21234567")}),
    ("<script>ga('create', 'UA-98765432-3', 'auto');</script>", "",
     {("google_analytics", "UA-98765432")}),
    ("<script async src='https://www.googletagmanager.com/gtag/js?id=G-7QX2M4K9PL'></script>", "",
     {("google_analytics", "G-7QX2M4K9PL")}),
    ("<script>(window,document,'script','dataLayer','GTM-W8K2PZ');</script>", "",
     {("gtm", "GTM-W8K2PZ")}),
    ("<meta name='baidu-site-verification' content='codeva-Xy12Ab34Cd'>"
     "<meta content=\"a1b2c3d4e5f6\" name=\"360-site-verification\">"
     "<meta name=sogou_site_verification content=Qw3Er5Ty7U>"
     "<meta name='shenma-site-verification' content='0f1e2d3c4b5a_1700000000'>"
     "<meta name='google-site-verification' content='AbCdEfGh-IjKlMnOpQrStUv_wxyz0123456789'>"
     "<meta name='msvalidate.01' content='0123456789ABCDEF0123456789ABCDEF'>", "",
     {("verification", "baidu:codeva-Xy12Ab34Cd"), ("verification", "360:a1b2c3d4e5f6"),
      ("verification", "sogou:Qw3Er5Ty7U"), ("verification", "shenma:0f1e2d3c4b5a_1700000000"),
      ("verification", "google:AbCdEfGh-IjKlMnOpQrStUv_wxyz0123456789"),
      ("verification", "bing:0123456789ABCDEF0123456789ABCDEF")}),
    ("<script src='//tb.53kf.com/code/code/10234567/1'></script>", "", {("chat", "53kf:10234567")}),
    ("<script src='https://kefu.kuaishang.cn/bs/ks.j?cI=876543&fI=456'></script>", "",
     {("chat", "kuaishang:876543")}),
    ("<script>_MEIQIA('entId', '98765');</script>", "", {("chat", "meiqia:98765")}),
    ("<script src='https://lpt.zoosnet.net/JS/LsJS.aspx?siteid=LEF12345&id=LEF12345'></script>", "",
     {("chat", "swt:lef12345")}),
    ("<a href='https://v2.live800.com/live800/chatClient/chatbox.jsp?companyID=8123456'>咨询</a>",
     "", {("chat", "live800:8123456")}),
    ("<script src='https://embed.tawk.to/5f1e2d3c4b5a69788796a5b4/default'></script>", "",
     {("chat", "tawk:5f1e2d3c4b5a69788796a5b4")}),
    ("<a href='tencent://message/?uin=2876543210&Site=kf&Menu=yes'>联系</a>", "",
     {("qq", "2876543210")}),
    ("<a href='http://wpa.qq.com/msgrd?v=3&uin=345678901&site=qq'>QQ</a>", "", {("qq", "345678901")}),
    ("", "客服QQ：1765432098 企鹅号 24680135", {("qq", "1765432098"), ("qq", "24680135")}),
    ("", "添加客服微信：Fix_Service2026 咨询", {("wechat", "fix_service2026")}),
    ("", "WeChat: kf-lanto88", {("wechat", "kf-lanto88")}),
    ("<a href='mailto:Complaints@Repair-Hub.cn'>投诉</a>", "", {("email", "complaints@repair-hub.cn")}),
]

# Look-alikes: none of these is an identifier.
NOT_FOUND = [
    ("", "ICP备案查询 · 工信部ICP/IP地址/域名信息备案管理系统"),  # a filing's name, no number
    ("", "粤ICP备号 请咨询"),  # no digits
    ("", "公网安备号码请在公安部网站查询 4403060200"),  # too short for a public-security filing
    ("<script src='https://hm.baidu.com/hm.js?12345'></script>", ""),  # not 32 hex
    ("<script src='https://hm.baidu.com/hm.js?" + HEX + "ff'></script>", ""),  # 34 hex
    ("<script src='https://s4.cnzz.com/z_stat.php?web_id=&id='></script>", ""),  # empty id
    ("<script src='https://js.users.51.la/'></script>", ""),
    ("", "型号 UA-2000 空调 G-7 系列"),  # model numbers
    ("", "GTM-1 赛车"),
    ("<meta name='description' content='codeva-Xy12Ab34Cd'>", ""),  # not a verification meta
    ("<meta name='baidu-site-verification' content=''>", ""),  # empty token
    ("<script src='//www.53kf.com/kf.js'></script>", ""),  # the widget, no account
    ("<script src='https://static.meiqia.com/widget/loader.js'></script>", ""),
    ("<script src='https://embed.tawk.to/'></script>", ""),
    ("", "订单号 123456789 请保留"),  # digits outside a QQ context
    ("", "400-618-1234"),
    ("", "微信支付 支付宝 均可"),  # WeChat without an id
    ("", "微信：13"),  # too short
    ("<img src='logo@2x.png'>", "icon@3x.webp"),  # file names
    ("", "user@example.com you@yourdomain.com"),  # documentation addresses
]


@pytest.mark.parametrize(("markup", "text", "expected"), FOUND)
def test_every_kind_is_found_and_normalised(markup: str, text: str,
                                            expected: set[tuple[str, str]]) -> None:
    found = {(i.kind, i.value) for i in find_identifiers(markup, text)}
    assert found == expected


@pytest.mark.parametrize(("markup", "text"), NOT_FOUND)
def test_look_alikes_are_not_identifiers(markup: str, text: str) -> None:
    assert find_identifiers(markup, text) == ()


def test_icp_site_suffix_is_kept_apart() -> None:
    (icp,) = find_identifiers("", "备案号:粤ICP备2023012345号-3")
    assert icp == Identifier("icp", "粤ICP备2023012345号", "site 3")
    # The same filing on another site of the operator is the same value.
    assert find_identifiers("", "粤ICP备2023012345号-1")[0].value == icp.value


def test_favicon_hash_is_shodans() -> None:
    data = bytes(range(256)) * 3
    mmh, sha = favicon_hashes(data)
    assert mmh == Identifier("favicon_mmh3", str(mmh3.hash(base64.encodebytes(data))))
    assert sha == Identifier("favicon_sha256", hashlib.sha256(data).hexdigest())
    assert favicon_hashes(b"") == ()


def test_the_engine_reads_markup_scripts_and_text() -> None:
    """Through ``analyze``: ids in <head> scripts (not in the visible text) and in GBK pages."""
    html = ("<html><head><meta charset='gbk'><title>维修</title>"
            f"<script src='https://hm.baidu.com/hm.js?{HEX}'></script></head>"
            "<body><p>客服微信：fix_lanto01</p><p>浙ICP备19012345号-2</p></body></html>")
    result = analyze(html.encode("gbk"), url="http://a.example.test/")
    got = {(i.kind, i.value) for i in result.identifiers}
    assert got == {("baidu_tongji", HEX), ("wechat", "fix_lanto01"), ("icp", "浙ICP备19012345号")}
    assert {"kind": "baidu_tongji", "value": HEX} in result.to_dict()["identifiers"]
    assert analyze(text="客服QQ：1765432098").identifiers == (Identifier("qq", "1765432098"),)


def test_kinds_are_declared() -> None:
    kinds = {k for _, _, exp in FOUND for k, _ in exp} | {"favicon_mmh3", "favicon_sha256",
                                                          "server_ip"}
    assert kinds == set(IDENTIFIER_KINDS)


def test_gates_do_not_hide_case_folded_spellings() -> None:
    """Patterns run only where their literal is on the page (lowered); letters that IGNORECASE
    folds but ``str.lower`` does not (İ, ı, ſ) still reach the patterns, and upper-case
    spellings of every gated literal are found."""
    assert {(i.kind, i.value) for i in find_identifiers("", "粤İCP备2023012345号 浙ıcp备2023012346号")} == {
        ("icp", "粤ICP备2023012345号"), ("icp", "浙ICP备2023012346号")}
    markup = ("<SCRIPT SRC='HTTPS://S4.CNZZ.COM/Z_STAT.PHP?ID=1281234567'></SCRIPT>"
              "<A HREF='TENCENT://MESSAGE/?UIN=1765432098'>Q</A>")
    found = {(i.kind, i.value) for i in find_identifiers(markup, "WECHAT: Fix_Lanto01 qQ：1765432099")}
    assert found == {("cnzz", "1281234567"), ("qq", "1765432098"), ("qq", "1765432099"),
                     ("wechat", "fix_lanto01")}
