"""The bundled demo: a small synthetic web of fake-hotline farms and legitimate pages.

Everything here is invented (brands, numbers, places, articles) and generated from
:mod:`triage.demo.farm` with a fixed seed, so every run serves the same pages. Five sites, told
apart by port on 127.0.0.1:

- ``portal``: a search-results-like page linking to everything below (the start URL);
- ``farm-a`` and ``farm-b``: two domains of one farm, the same template and shared numbers, some
  pages GBK-encoded (with and without a charset header), one number written in full-width
  digits, keyword-stuffed titles, a scraped article, links across the farm, and links to a
  private address and a cloud metadata endpoint that the crawler must refuse;
- ``official``: an invented brand's own service page, with its real number;
- ``news``: a news story warning about fake hotlines, a government notice listing counties and a
  local shop page.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from triage.demo.farm import (
    gov_notice_page,
    invented_400,
    official_page,
    shop_page,
    spam_page,
    warning_news_page,
)

SITES = ("portal", "farm-a", "farm-b", "official", "news")
SEED = 20251130
UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = UTF8


@dataclass
class DemoWeb:
    """Pages by site and path; ``base[site]`` is the site's root URL (set once ports are known)."""

    base: dict[str, str]
    pages: dict[str, dict[str, Page]] = field(default_factory=lambda: {s: {} for s in SITES})

    def url(self, site: str, path: str) -> str:
        return self.base[site] + path

    def add(self, site: str, path: str, text: str, *, encoding: str = "utf-8",
            header_charset: bool = True) -> None:
        if encoding != "utf-8":
            text = text.replace("<meta charset='utf-8'>", f"<meta charset='{encoding}'>")
        ctype = f"text/html; charset={encoding}" if header_charset else "text/html"
        self.pages[site][path] = Page(text.encode(encoding, "replace"), ctype)


def _with_links(page_html: str, links: list[tuple[str, str]]) -> str:
    anchors = "".join(f"<li><a href='{html.escape(u)}'>{html.escape(t)}</a></li>" for u, t in links)
    return page_html.replace("</body>", f"<ul class='more'>{anchors}</ul></body>")


def _fullwidth(number: str) -> str:
    return number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}).replace("-", "－")


def build(base: dict[str, str], trap_port: int) -> DemoWeb:
    """Generate the whole demo web for sites rooted at ``base`` (site -> ``http://host:port``)."""
    rng = random.Random(SEED)
    web = DemoWeb(base)
    shared = invented_400(rng)  # one number advertised on both farm domains
    farm_specs = [  # (site, path, brand, category, number, encoding, charset header)
        ("farm-a", "/lantuo-jsq.html", "澜拓", "净水器", shared, "utf-8", True),
        ("farm-a", "/woting-rsq.html", "沃霆", "热水器", invented_400(rng), "gbk", True),
        ("farm-a", "/kesaien-zws.html", "科赛恩", "指纹锁", invented_400(rng), "gbk", False),
        ("farm-a", "/boya-bxg.html", "铂雅", "保险柜", shared, "utf-8", True),
        ("farm-b", "/ruimu-rqz.html", "瑞沐", "燃气灶", shared, "utf-8", True),
        ("farm-b", "/hengyi-yyj.html", "恒翼", "油烟机", invented_400(rng), "gbk", True),
        ("farm-b", "/qicheng-bgl.html", "启澄", "壁挂炉", invented_400(rng), "utf-8", True),
        ("farm-b", "/lantuo-jsq.html", "澜拓", "净水器", shared, "utf-8", True),
    ]
    farm_urls = [web.url(site, path) for site, path, *_ in farm_specs]
    for i, (site, path, brand, category, number, encoding, header) in enumerate(farm_specs):
        if i == 6:  # one page writes its number in full-width digits to dodge filters
            number = (_fullwidth(number[0]), number[1])
        others = [u for u in farm_urls if u != web.url(site, path)]
        page = spam_page(rng, brand=brand, category=category, number=number, places=160,
                         links=tuple(rng.sample(others, 3))).html
        if i == 2:  # a hostile page: links into the crawler's own network
            page = _with_links(page, [(f"http://127.0.0.1:{trap_port}/admin", "管理后台"),
                                      ("http://169.254.169.254/latest/meta-data/", "云服务"),
                                      (f"http://localhost:{trap_port}/", "本地")])
        web.add(site, path, page, encoding=encoding, header_charset=header)
    for site in ("farm-a", "farm-b"):
        index = [(u, "售后服务网点") for u in farm_urls if u.startswith(web.base[site])]
        web.add(site, "/", _with_links(
            "<!doctype html><html><head><meta charset='utf-8'><title>家电售后服务网点大全</title>"
            "</head><body><h1>全国家电售后服务网点查询</h1></body></html>", index))

    official = official_page(rng, brand="澜拓", category="净水器")
    web.add("official", "/service.html", official.html)
    web.add("news", "/warning.html", warning_news_page(rng, brand="沃霆").html)
    web.add("news", "/notice.html", gov_notice_page(rng).html)
    web.add("news", "/noodles.html", shop_page(rng).html)

    # The start page is a plain directory of the demo sites (neutral link texts, so that it
    # does not itself read like a farm page).
    results = [(farm_urls[0], "示例站点甲 页面一"), (web.url("official", "/service.html"), "品牌官网"),
               (web.url("news", "/warning.html"), "新闻"), (farm_urls[4], "示例站点乙 页面一"),
               (web.url("news", "/notice.html"), "公告"), (web.url("farm-b", "/"), "示例站点乙"),
               (web.url("news", "/noodles.html"), "本地商户")]
    web.add("portal", "/", _with_links(
        "<!doctype html><html><head><meta charset='utf-8'><title>演示站点目录</title>"
        "</head><body><h1>演示站点目录</h1><p>以下站点均为本机生成的演示页面。</p></body></html>", results))
    return web
