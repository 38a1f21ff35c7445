"""Synthetic fake-hotline *operations*, written by us, for the investigation tests and benches.

:mod:`triage.demo.farm` makes single pages; here several operations each run one page template on a
few domains with a handful of numbers, every number advertised for many unrelated brands. Brands
have official numbers, which legitimate pages advertise and news warnings quote next to the fake
ones. All brands, numbers, domains and texts are invented.
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from triage.demo.farm import ARTICLE, BRANDS, CATEGORIES, FILLER, PLACES, invented_400

__all__ = ["TEMPLATES", "Farm", "GenPage", "cloaked_pair", "make_farm", "page_items", "template_page"]


@dataclass(frozen=True)
class GenPage:
    """One generated page: where it lives, what it is, and the truth the benches score against."""

    domain: str
    path: str
    html: str
    label: str  # hotline_spam / clean
    template: int  # -1 for legitimate pages
    operation: int  # -1 for legitimate pages
    brand: str
    advertised: tuple[str, ...]  # E.164 the page presents as the number to call
    quoted: tuple[str, ...] = ()  # E.164 it only mentions (warnings)


@dataclass
class Farm:
    pages: list[GenPage] = field(default_factory=list)
    official: dict[str, str] = field(default_factory=dict)  # brand -> official E.164
    official_shown: dict[str, str] = field(default_factory=dict)  # brand -> display form
    fraud: dict[str, int] = field(default_factory=dict)  # fraud E.164 -> operation

    def by_label(self, label: str) -> list[GenPage]:
        return [p for p in self.pages if p.label == label]


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _doc(title: str, body: str, keywords: str = "") -> str:
    meta = f"<meta name='keywords' content='{html.escape(keywords)}'>" if keywords else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title>{meta}</head><body>{body}</body></html>")


def _places(rng: random.Random, n: int) -> list[str]:
    chosen = [rng.choice(PLACES) for _ in range(n)]
    return [_p("、".join(chosen[k:k + 8])) for k in range(0, n, 8)]


def _article(rng: random.Random) -> list[str]:
    return [_p(s) for s in rng.sample(ARTICLE, rng.randint(5, 9))]


def _links(brand: str, links: tuple[str, ...]) -> list[str]:
    return [f"<a href='{html.escape(h)}'>{brand}售后服务网点{i}</a>" for i, h in enumerate(links)]


def _t_network(rng: random.Random, brand: str, shown: str, links: tuple[str, ...]) -> str:
    """The classic: unified national hotline, numbered repeats, service promises, places."""
    title = f"{brand}全国统一24小时维修服务热线"
    parts = [f"<h1>{title}</h1>", _p(f"400服务电话:{shown}(点击咨询)"),
             _p(f"{brand}维修售后网点热线")]
    for _ in range(4):
        parts.append(_p(f"{brand}厂家总部售后统一热线:(1){shown}(点击咨询)(2){shown}(点击咨询)"))
        parts.append(_p(rng.choice(FILLER)))
    parts.append(_p(f"{brand}维修服务电话全国服务区域:"))
    return _doc(title, "".join(parts + _places(rng, 80) + _article(rng) + _links(brand, links)),
                f"{brand}售后,{brand}维修电话")


def _t_steps(rng: random.Random, brand: str, shown: str, links: tuple[str, ...]) -> str:
    """A 'repair process' page: numbered steps, a fault list, the number in every step."""
    title = f"{brand}售后服务中心电话_{brand}24小时客服热线_{brand}维修"
    faults = ("不制热", "漏水", "显示故障代码", "不通电", "噪音大", "无法启动", "不出水", "自动断电")
    steps = [
        f"第一步:拨打{brand}客服热线{shown},说明产品型号和故障现象。",
        "第二步:客服中心登记报修信息,派单给就近网点的工程师。",
        "第三步:工程师电话联系用户,确认上门时间,准时到达。",
        "第四步:上门检测故障原因,报价后经用户同意再进行维修。",
        f"第五步:维修完成后试机,用户满意后付款,{brand}售后回访。",
    ]
    parts = [f"<h1>{brand}售后维修服务流程</h1>", _p(f"全国客服热线:{shown}")]
    parts += [_p(s) for s in steps]
    parts.append(_p(f"{brand}常见故障:" + "、".join(rng.sample(faults, 5))))
    parts.append(_p(f"24小时报修电话:{shown} 全年无休 就近派单"))
    parts.append(_p(f"{brand}服务网点覆盖以下城市:"))
    return _doc(title, "".join(parts + _places(rng, 60) + _article(rng) + _links(brand, links)))


def _t_faq(rng: random.Random, brand: str, shown: str, links: tuple[str, ...]) -> str:
    """Questions and answers, each answer ending in the number."""
    title = f"{brand}维修电话是多少?{brand}官方售后客服电话查询"
    qa = [
        (f"{brand}坏了找谁修?", f"请直接联系{brand}售后服务热线{shown},工程师最快30分钟上门。"),
        (f"{brand}保修期多久?", f"整机保修一年,主要部件保修三年,详情咨询{shown}。"),
        ("上门维修收费吗?", "保修期内免费,保修期外只收配件费和人工费,价格透明。"),
        ("周末和节假日可以报修吗?", f"可以,{brand}客服中心7×24小时受理报修:{shown}。"),
    ]
    parts = [f"<h2>{brand}售后常见问题解答</h2>"]
    for q, a in qa:
        parts += [f"<h3>{html.escape(q)}</h3>", _p(a)]
    parts.append(_p(f"温馨提示:{brand}全国售后服务热线{shown},服务区域:"))
    return _doc(title, "".join(parts + _places(rng, 40) + _article(rng) + _links(brand, links)))


def _t_table(rng: random.Random, brand: str, shown: str, links: tuple[str, ...]) -> str:
    """A branch table: one row per city, the same number in every row."""
    title = f"{brand}各区售后维修网点地址及电话"
    rows = "".join(
        f"<tr><td>{html.escape(place)}</td><td>{brand}服务网点</td><td>{shown}</td></tr>"
        for place in rng.sample(PLACES, 24))
    parts = [f"<h1>{title}</h1>", _p(f"{brand}售后服务统一热线:{shown}(24小时)"),
             f"<table><tr><th>区域</th><th>网点</th><th>电话</th></tr>{rows}</table>",
             _p(f"以上网点均可拨打{brand}售后总部电话{shown}预约上门维修。")]
    return _doc(title, "".join(parts + _article(rng) + _links(brand, links)))


TEMPLATES: tuple[Callable[[random.Random, str, str, tuple[str, ...]], str], ...] = (
    _t_network, _t_steps, _t_faq, _t_table)


def template_page(rng: random.Random, template: int, brand: str, shown: str,
                  links: tuple[str, ...] = ()) -> str:
    """The HTML of one page of ``template`` for ``brand`` advertising ``shown``."""
    return TEMPLATES[template % len(TEMPLATES)](rng, brand, shown, links)


def _official(brand: str, shown: str) -> str:
    body = (f"<h1>{brand} 客户服务</h1>"
            f"<p>本公司成立于2006年,专注于{brand}的研发与制造,产品销往全国二十多个省份。</p>"
            f"<p>客户服务热线:{shown}(工作日 8:00-20:00)</p>"
            "<h2>分公司与服务中心</h2><p>杭州分公司:杭州市西湖区文三路88号 邮编310012</p>"
            "<p>成都分公司:成都市武侯区天府大道北段66号</p>"
            "<p>购买产品后请保留发票,保修期内凭发票享受免费维修。更多信息请访问官方网站。</p>"
            f"<p>© 2025 {brand}有限公司 版权所有 浙ICP备12345678号</p>")
    return _doc(f"{brand}客户服务", body)


def _news(brand: str, fake: str, official: str) -> str:
    body = ("<h1>警惕!搜索到的“售后电话”可能是骗局</h1><p>本报讯(记者 林晓)</p>"
            f"<p>近日,市民王女士家中的{brand}出现故障,她通过搜索引擎找到一个自称“{brand}售后”的电话"
            f"{fake},对方上门后以更换配件为由收取高额费用,事后发现该号码并非官方客服。</p>"
            f"<p>记者从{brand}厂家了解到,其唯一官方客服热线为{official},请认准官方热线。</p>"
            "<p>市消费者协会提醒,消费者应通过产品说明书或品牌官方网站查询售后电话,谨防虚假客服诈骗。</p>"
            "<p>责任编辑:周然</p>")
    return _doc("警惕假冒售后电话", body)


def make_farm(seed: int = 7, *, operations: int = 6, pages_per_operation: int = 24,
              numbers_per_operation: int = 3, domains_per_operation: int = 3,
              brands: int = 30, news: int = 12) -> Farm:
    """Operations (template ``op % len(TEMPLATES)``, own domains and numbers, many brands), an
    official page per brand and news warnings quoting a fake number next to the official one."""
    rng = random.Random(seed)
    names = [b + c for b in BRANDS for c in CATEGORIES]
    rng.shuffle(names)
    farm = Farm()
    for k, name in enumerate(names[:brands]):
        shown, e164 = invented_400(rng)
        farm.official[name], farm.official_shown[name] = e164, shown
        farm.pages.append(GenPage(f"brand{k}.example.com", "/service.html",
                                  _official(name, shown), "clean", -1, -1, name, (e164,)))
    brand_names = list(farm.official)
    fakes: list[tuple[str, str, int]] = []
    for op in range(operations):
        numbers = [invented_400(rng) for _ in range(numbers_per_operation)]
        for _, e164 in numbers:
            farm.fraud[e164] = op
        fakes += [(s, e, op) for s, e in numbers]
        domains = [f"op{op}-site{d}.example.net" for d in range(domains_per_operation)]
        for i in range(pages_per_operation):
            brand = rng.choice(brand_names)
            shown, e164 = rng.choice(numbers)
            domain = domains[i % len(domains)]
            farm.pages.append(GenPage(domain, f"/p{i}.html", template_page(rng, op, brand, shown),
                                      "hotline_spam", op % len(TEMPLATES), op, brand, (e164,)))
    for k in range(news):
        brand = rng.choice(brand_names)
        shown, e164, _ = rng.choice(fakes)
        farm.pages.append(GenPage("news.example.org", f"/n{k}.html",
                                  _news(brand, shown, farm.official_shown[brand]), "clean", -1, -1,
                                  brand, (farm.official[brand],), (e164,)))
    return farm


def cloaked_pair(rng: random.Random, brand: str, shown: str) -> tuple[str, str]:
    """(what a search-engine spider gets, what a browser gets) for a cloaked page: the spider sees
    a harmless article, the visitor the hotline page."""
    article = _doc("城市马拉松赛鸣枪开跑", "".join(_p(s) for s in ARTICLE[:8]))
    return article, template_page(rng, 0, brand, shown)


def page_items(pages: list[GenPage], *, base: str = "http://{domain}") -> list[dict[str, Any]]:
    """Crawl items (``crawler/items.py``) for ``pages``, analysed by the engine, as a crawl of
    them would store them; ``base`` formats each page's site URL from its ``domain``."""
    from pipelines.analyze import analyze

    items = []
    for p in pages:
        url = base.format(domain=p.domain) + p.path
        body = p.html.encode("utf-8")
        items.append({
            "url": url, "final_url": url, "domain": p.domain, "status": 200, "error": "",
            "fetched_at": "2026-11-30T12:00:00+00:00", "depth": 0, "referrer": "",
            "headers": {"content-type": "text/html; charset=utf-8"},
            "content_hash": hashlib.sha256(body).hexdigest(),
            "analysis": analyze(body, url=url, content_type="text/html; charset=utf-8"),
        })
    return items


SECTIONS = ("要闻", "国内", "国际", "财经", "科技", "体育", "娱乐", "教育", "健康", "汽车", "房产", "旅游",
            "文化", "读书")
HEADLINES = ("城市马拉松赛鸣枪开跑", "新建湿地公园正式开放", "地铁新线路开始试运营", "老旧小区改造进展顺利",
             "图书馆延长开放时间", "秋季招聘会吸引上万人", "滨江绿道全线贯通", "中小学新增课后服务",
             "社区食堂受到老人欢迎", "新能源汽车销量创新高", "非遗展览走进校园", "夜间经济持续升温")
SHOPS = ("老街面馆", "好运来超市", "阳光药房", "小林修鞋铺", "万家灯饰", "晨光文具", "鲜果时光", "惠民洗衣店")


def portal_site(seed: int = 3, *, sections: int = 12, per_section: int = 20,
                spam: int = 30, shops: int = 16, ads: int = 4) -> dict[str, tuple[str, str]]:
    """A news portal where fake-hotline pages are a minority: ``path -> (html, label)``.

    The home page links to the sections; each section lists its articles, which link to a few
    related ones. One section, a classifieds page (便民服务) placed at a random position, lists
    local shops (clean, with phone numbers) and fake after-sales pages; a few articles carry an
    ad link to a fake page; fake pages link to each other, as farms do.
    """
    rng = random.Random(seed)
    names = [b + c for b in BRANDS for c in CATEGORIES]
    spam_paths = [f"/{rng.choice(('fw', 'info', 'weixiu', 'list'))}/{k}.html" for k in range(spam)]
    spam_anchor = {p: f"{rng.choice(names)}{rng.choice(('维修电话', '售后服务热线', '客服电话'))}"
                   for p in spam_paths}
    site: dict[str, tuple[str, str]] = {}
    order = [f"/s{i}/" for i in range(sections)]
    classifieds = "/bianmin/"
    order.insert(rng.randrange(1, sections), classifieds)
    labels = list(SECTIONS[:sections])
    labels.insert(order.index(classifieds), "便民服务")
    site["/"] = (_doc("城市新闻网", "<h1>城市新闻网</h1>" + "".join(
        f"<a href='{p}'>{t}</a> " for p, t in zip(order, labels, strict=True))), "clean")
    articles = [f"/s{i}/a{j}.html" for i in range(sections) for j in range(per_section)]
    ad_hosts = set(rng.sample(articles, ads))
    for i in range(sections):
        mine = [a for a in articles if a.startswith(f"/s{i}/")]
        site[f"/s{i}/"] = (_doc(SECTIONS[i], "<h1>" + SECTIONS[i] + "</h1>" + "".join(
            f"<p><a href='{a}'>{rng.choice(HEADLINES)}</a></p>" for a in mine)), "clean")
    for a in articles:
        related = "".join(f"<a href='{r}'>{rng.choice(HEADLINES)}</a> "
                          for r in rng.sample(articles, 3))
        ad = ""
        if a in ad_hosts:
            target = rng.choice(spam_paths)
            ad = f"<p>广告:<a href='{target}'>{spam_anchor[target]}</a></p>"
        body = "".join(_p(s) for s in rng.sample(ARTICLE, 6))
        site[a] = (_doc(rng.choice(HEADLINES), f"<h1>{rng.choice(HEADLINES)}</h1>{body}{ad}"
                        f"<p>相关阅读:{related}</p>"), "clean")
    shop_paths = [f"/bianmin/shop{k}.html" for k in range(shops)]
    entries = [(p, spam_anchor[p]) for p in spam_paths[: spam // 2]] + [
        (p, f"{rng.choice(SHOPS)}订餐电话") for p in shop_paths]
    rng.shuffle(entries)
    site[classifieds] = (_doc("便民服务", "<h1>便民服务 分类信息</h1>" + "".join(
        f"<p><a href='{p}'>{t}</a></p>" for p, t in entries)), "clean")
    for p in shop_paths:
        shop = rng.choice(SHOPS)
        site[p] = (_doc(shop, f"<h1>{shop}</h1><p>本店位于成都市锦江区春熙路北段12号,欢迎光临。</p>"
                        f"<p>营业时间:10:00-21:30 订餐电话:028-8666{rng.randrange(1000, 9999)}</p>"),
                   "clean")
    for p in spam_paths:
        brand = spam_anchor[p].split("维修")[0].split("售后")[0].split("客服")[0]
        shown, _ = invented_400(rng)
        links = tuple(rng.sample([q for q in spam_paths if q != p], 4))
        site[p] = (template_page(rng, rng.randrange(len(TEMPLATES)), brand, shown, links),
                   "hotline_spam")
    return site
