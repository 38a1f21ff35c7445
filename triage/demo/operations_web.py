"""A generated web of fake-hotline *operations* tied by reused infrastructure (issue 14), for the
operations tests and ``bench/operations.py``. Written by us; brands, numbers, ids are invented.

Truth, by construction (``OperationsWeb.truth``: site -> operation, -1 for legitimate sites):

- op 0 "analytics": three sites, three templates, three numbers, one Baidu Tongji id;
- op 1 "filing": three sites, one template, own numbers, one ICP filing and one 53KF account;
- op 2 "number": four sites, different templates and ids, one number on all of them;
- op 3 "chain": five sites tied in a chain: CNZZ id, then QQ, then WeChat, then an e-mail address;
- op 4 "kit": two sites on the sold template kit sharing a Google Analytics id and a 51.la id.

A sold template kit (layout, boilerplate, favicon, the kit's default CNZZ id and chat-widget demo
account) is used by six legitimate shops and by spam sites of ops 2, 3 and 4: a template
cluster, a favicon and a widget id that tie different operators and legitimate sites alike.
Every site is one host: :class:`OperationsWebServer` serves each on its own 127.0.0.1 port.
"""

from __future__ import annotations

import html
import random
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from triage.demo.farm import BRANDS, CATEGORIES, invented_400
from triage.demo.farm_ops import template_page

KIT_FAVICON = bytes(range(256)) * 4 + b"kit-favicon"
KIT_CNZZ = "1279000001"  # the kit's default statistics id, shipped in every copy
KIT_CHAT = "53kfkitdemo"


@dataclass
class Site:
    name: str
    operation: int  # -1: legitimate
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, type)
    kit: bool = False


@dataclass
class OperationsWeb:
    sites: dict[str, Site] = field(default_factory=dict)

    @property
    def truth(self) -> dict[str, int]:
        return {s.name: s.operation for s in self.sites.values()}


def _kit(title: str, body: str, head: str) -> str:
    """The sold template kit's layout: nav, boilerplate footer, its default statistics id."""
    nav = "".join(f"<li><a href='/'>{t}</a></li>" for t in ("首页", "产品中心", "服务支持", "新闻动态",
                                                              "关于我们", "联系我们"))
    footer = ("<div class='kit-footer'><p>本站部分图片及文字来源于网络,如有侵权请联系删除。</p>"
              "<p>网站建设:云帆建站 模板编号 YF-2024-118 技术支持:云帆网络科技</p></div>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<meta name='generator' content='YunFan CMS 3.2'>{head}"
            f"<script src='https://s4.cnzz.com/z_stat.php?id={KIT_CNZZ}&web_id={KIT_CNZZ}'></script>"
            f"<script src='//www.53kf.com/code/code/{KIT_CHAT}/2'></script></head>"
            f"<body><ul class='kit-nav'>{nav}</ul>{body}{footer}</body></html>")


def _spam(rng: random.Random, template: int, brand: str, shown: str, head: str, foot: str,
          kit: bool) -> str:
    page = template_page(rng, template, brand, shown, ("/p1.html", "/p2.html"))
    if kit:
        inner = page.split("<body>", 1)[1].split("</body>", 1)[0]
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        return _kit(html.unescape(title), inner + foot, head)
    return page.replace("</head>", head + "</head>", 1).replace("</body>", foot + "</body>", 1)


def _shop(rng: random.Random, k: int, brand: str, shown: str) -> str:
    body = (f"<h1>{brand}官方旗舰店</h1><p>欢迎选购{brand}系列产品,正品保障,全国联保。</p>"
            f"<p>门店地址:示例市滨江区科技路{k + 10}号 营业时间 9:00-21:00</p>"
            f"<p>订购及咨询电话:{shown}(工作日)</p><p>新品上市,欢迎到店体验。会员积分可抵现金。</p>"
            f"<p>© 2025 {brand}商贸有限公司 浙ICP备{20240000 + k * 7}号</p>")
    return _kit(f"{brand}官方旗舰店", body, "")


def _ids_html(ids: dict[str, str]) -> tuple[str, str]:
    """(head, footer) markup carrying the given identifiers."""
    head, foot = [], []
    if "tongji" in ids:
        head.append(f"<script src='https://hm.baidu.com/hm.js?{ids['tongji']}'></script>")
    if "ga" in ids:
        head.append(f"<script>gtag('config', '{ids['ga']}');</script>")
    if "la51" in ids:
        head.append(f"<script>LA.init({{id:'{ids['la51']}',ck:'{ids['la51']}'}})</script>")
    if "cnzz" in ids:
        head.append(f"<script src='https://v1.cnzz.com/z_stat.php?id={ids['cnzz']}'></script>")
    if "chat" in ids:
        head.append(f"<script src='//tb.53kf.com/code/code/{ids['chat']}/1'></script>")
    if "icp" in ids:
        foot.append(f"<p>备案号:{ids['icp']}</p>")
    if "qq" in ids:
        foot.append(f"<p>在线客服QQ:{ids['qq']}</p>")
    if "wechat" in ids:
        foot.append(f"<p>客服微信:{ids['wechat']}</p>")
    if "email" in ids:
        foot.append(f"<p>投诉邮箱:{ids['email']}</p>")
    return "".join(head), "".join(foot)


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _plan(rng: random.Random) -> list[tuple[int, int, bool, dict[str, str], int]]:
    """(operation, template, kit, ids, number slot) per spam site; slot -1 = a number of its own."""
    tongji, icp, chat = _hex(rng, 32), f"粤ICP备{rng.randint(2019, 2025)}{rng.randint(100000, 999999)}号", \
        f"{rng.randint(10000000, 99999999)}"
    qq, wechat = str(rng.randint(100000000, 999999999)), f"kf_{_hex(rng, 6)}"
    ga, la51 = f"UA-{rng.randint(10000000, 99999999)}-1", _hex(rng, 10).upper()
    plan = [(0, t, False, {"tongji": tongji}, -1) for t in (0, 1, 2)]
    plan += [(1, 3, False, {"icp": f"{icp}-{i + 1}", "chat": chat}, -1) for i in range(3)]
    plan += [(2, t, t == 0, {}, 0) for t in (0, 1, 2, 3)]
    cnzz, email = str(rng.randint(1280000000, 1289999999)), f"service{rng.randint(10, 99)}@mail-kf.cn"
    chain = [{"cnzz": cnzz}, {"cnzz": cnzz, "qq": qq}, {"qq": qq, "wechat": wechat},
             {"wechat": wechat, "email": email}, {"email": email}]
    plan += [(3, 0, i == 2, ids, -1) for i, ids in enumerate(chain)]
    plan += [(4, 1, True, {"ga": ga, "la51": la51}, -1) for _ in range(2)]
    return plan


def build_operations_web(seed: int = 14, *, pages_per_site: int = 3, shops: int = 6,
                         extra: int = 0) -> OperationsWeb:
    """The web described in the module docstring; ``extra`` more sites of op 0 (same Baidu
    Tongji id, own numbers), named ``late00``..., for tests of an operation that grows."""
    rng = random.Random(seed)
    names = [b + c for b in BRANDS for c in CATEGORIES]
    rng.shuffle(names)
    web = OperationsWeb()
    shared = invented_400(rng)
    plan = _plan(rng)
    plan += [(0, 3, False, plan[0][3], -1)] * extra
    for k, (op, template, kit, ids, slot) in enumerate(plan):
        late = k - len(plan) + extra
        site = Site(f"late{late:02d}" if late >= 0 else f"spam{k:02d}", op, kit=kit)
        shown = shared[0] if slot == 0 else invented_400(rng)[0]
        head, foot = _ids_html(ids)
        paths = ["/", *(f"/p{i}.html" for i in range(1, pages_per_site))]
        for path in paths:
            body = _spam(rng, template, rng.choice(names), shown, head, foot, kit)
            site.pages[path] = (body.encode(), "text/html; charset=utf-8")
        if kit:
            site.pages["/favicon.ico"] = (KIT_FAVICON, "image/x-icon")
        web.sites[site.name] = site
    for k in range(shops):
        site = Site(f"shop{k:02d}", -1, kit=True)
        brand = names[(k * 7) % len(names)]
        shown = invented_400(rng)[0]
        site.pages["/"] = (_shop(rng, k, brand, shown).encode(), "text/html; charset=utf-8")
        site.pages["/favicon.ico"] = (KIT_FAVICON, "image/x-icon")
        web.sites[site.name] = site
    return web


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        page = self.server.pages.get(self.path.split("?", 1)[0])
        body, ctype = page or (b"<html><body>404</body></html>", "text/html")
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = pages


class OperationsWebServer:
    """Every site of ``web`` on its own 127.0.0.1 port while started (a context manager).
    ``domain[site]`` is the ``pages.domain`` the crawl stores (``127.0.0.1:PORT``)."""

    def __init__(self, web: OperationsWeb) -> None:
        self.web = web
        self.servers = {name: _SiteServer(site.pages) for name, site in web.sites.items()}
        self.domain = {n: f"127.0.0.1:{s.server_address[1]}" for n, s in self.servers.items()}
        self.site_of = {d: n for n, d in self.domain.items()}
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True)
                         for s in self.servers.values()]

    @property
    def start_urls(self) -> list[str]:
        return [f"http://{d}/" for d in self.domain.values()]

    def __enter__(self) -> OperationsWebServer:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for s in self.servers.values():
            s.shutdown()
            s.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
