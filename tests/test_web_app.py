"""The review UI over HTTP (Starlette's test client, real SQLite): security headers, escaping of
hostile content, the access token, CSRF, label forms and filters."""

from __future__ import annotations

import re
import socket
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from db.models import Label, Page
from db.review import uncertainty
from pipelines import model
from tests.review_data import (  # noqa: F401
    LANTO,
    XSS_BRAND,
    XSS_CONTEXT,
    XSS_REASON,
    XSS_TEXT,
    XSS_TITLE,
    XSS_URL,
    client_fixture,
    engine_fixture,
    review_db_copy_fixture,
    review_db_fixture,
)
from triage.web.app import create_app
from triage.web.highlight import runs
from triage.web.security import CSP, CSRF_COOKIE, is_loopback

OUR_SCRIPT = ("script", [("src", "/static/review.js"), ("defer", None)])


class Tags(HTMLParser):
    """Every element of a response: none may be script-bearing or carry an event handler, but
    for our one external script in the head (which must be empty: no inline code)."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.seen = 0
        self.scripts = 0
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen += 1
        if (tag, attrs) == OUR_SCRIPT:
            self.scripts += 1
            self.in_script = True
            return
        if tag in ("script", "img", "svg", "iframe", "object", "embed", "textarea"):
            self.bad.append(tag)
        self.bad += [f"{tag}[{k}]" for k, _ in attrs if k.startswith("on") or k == "style"]
        self.bad += [f"{tag}[{k}={v}]" for k, v in attrs
                     if k in ("href", "src", "action") and (v or "").lower().startswith(
                         ("javascript:", "data:"))]

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.bad.append(f"inline script {data[:40]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False


def page_id(engine: Engine, url: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Page.id).where(Page.url == url)).scalar_one()


def test_every_response_has_the_strict_policy(client: TestClient, engine: Engine) -> None:
    for path in ("/", "/page/1", "/page/9999", "/number/%2B864006318227", "/cluster/1",
                 "/domain/lanto-fix0.example.test", "/static/review.css", "/nope"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP and "data:" not in CSP
    script = client.get("/static/review.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "addEventListener" in script.text


def test_our_origin_serves_no_script_but_ours(client: TestClient, engine: Engine) -> None:
    """script-src 'self' allows any script of our origin: so nothing else we serve may be
    JavaScript (nosniff makes the browser refuse HTML or text as a script), and nothing a
    crawled page holds is served but as escaped HTML."""
    pid = page_id(engine, XSS_URL)
    for path in ("/", f"/page/{pid}", "/labels", "/static/review.css", "/nope",
                 f"/page?url={XSS_URL}", "/static/../app.py", "/static/nope.js"):
        response = client.get(path)
        assert "javascript" not in response.headers.get("content-type", ""), path
    assert {p.name for p in (Path(__file__).parent.parent / "triage/web/static").iterdir()
            if p.suffix == ".js"} == {"review.js"}


def test_hostile_page_is_shown_as_text(client: TestClient, engine: Engine) -> None:
    pid = page_id(engine, XSS_URL)
    views = [client.get(f"/page/{pid}").text, client.get("/").text,
             client.get("/number/%2B864008264913").text, client.get("/?brand=" + XSS_BRAND).text]
    for html in views:
        tags = Tags()
        tags.feed(html)
        assert not tags.bad, tags.bad
        assert tags.seen >= 20 and tags.scripts == 1
    page = views[0]
    for payload in (XSS_TITLE, XSS_BRAND, XSS_REASON, XSS_URL):
        assert escape(payload) in page, payload
    assert escape(XSS_CONTEXT) in page
    assert escape("<script>window.__xss=\"text\"</script>") in page
    assert "{{ 7*7 }}" in page  # shown, not evaluated by the template engine
    # The hostile URL is not a link target unless it is plain http(s), and then quoted.
    assert 'href="javascript:' not in page
    assert f'href="{escape(XSS_URL)}"' in page
    assert escape(XSS_TEXT.split("</textarea>")[0]) in page


def escape(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def test_highlight_runs_cover_the_text_exactly() -> None:
    text = "澜拓热线 400-6318-227 杭州市西湖区、宁波市鄞州区 上门服务"
    pads = [{"kind": "region_list", "start": 18, "end": 31}, {"kind": "filler", "start": 25,
                                                               "end": 36},
            {"kind": "<bad>", "start": 0, "end": 3}, {"kind": "stuffing", "start": 30, "end": 999}]
    out = runs(text, pads, [(5, 17, LANTO[1])])
    assert "".join(r.text for r in out) == text
    number = next(r for r in out if r.number)
    assert (number.text, number.css) == ("400-6318-227", "num")
    assert any(r.kinds == ("region_list", "filler") for r in out)
    assert all("bad" not in r.css for r in out)


def test_page_view_highlights_numbers_and_padding(client: TestClient, engine: Engine) -> None:
    html = client.get(f"/page/{page_id(engine, 'http://lanto-fix0.example.test/shouhou/0.html')}"
                      ).text
    text = html.split('id="text">', 1)[1].split("</div>", 1)[0]
    assert text.count('class="num"') >= 5
    assert f'href="/number/%2B{LANTO[1][1:]}"' in text
    for kind in ("pad-region_list", "pad-filler", "pad-stuffing", "pad-scraped_article"):
        assert kind in text, kind
    assert "number repeated" in html  # the reasons


def test_queue_filters(client: TestClient, engine: Engine) -> None:
    def total(query: str) -> int:
        html = client.get("/" + query).text
        return int(re.search(r'<span id="total">(\d+)</span>', html).group(1))

    assert total("") == 16  # analysed pages only; the timed-out URL is not in the queue
    assert total("?verdict=clean") == 4
    assert total("?brand=沃霆热水器") == 4
    assert total("?domain=lanto-fix1.example.test") == 2
    assert total("?number=400-6318-227") == total(f"?number={LANTO[1].replace('+', '%2B')}") == 6
    assert total("?number=123") == 0
    assert total("?cluster=2") == 4 and total("?cluster=x") == 16
    assert total("?unreviewed=1&verdict=hotline_spam") == 12
    threshold = model.shipped().spam_threshold  # where the verdict turns
    with engine.connect() as conn:
        scores = conn.execute(select(Page.url, Page.score, Page.id)
                              .where(Page.verdict.is_not(None))).all()
    nearest = min(scores, key=lambda r: (-(uncertainty(r.score, threshold) or 0.0), r.id)).url
    highest = max(scores, key=lambda r: (r.score, -r.id)).url
    assert nearest != highest
    for query, url in (("", nearest), ("?sort=uncertain", nearest), ("?sort=score", highest)):
        first = client.get("/" + query).text.split('class="row"', 2)[1]
        assert escape(url) in first, query


def test_label_form_needs_csrf_and_records(client: TestClient, engine: Engine) -> None:
    url = "http://woting-fix1.example.test/shouhou/1.html"
    pid = page_id(engine, url)
    html = client.get(f"/page/{pid}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    assert client.cookies.get(CSRF_COOKIE) == csrf
    form = {"target_type": "page", "target": url, "label": "spam", "reviewer": "ann",
            "note": "same template", "next": f"/page/{pid}"}

    assert client.post("/label", data=form).status_code == 403
    assert client.post("/label", data={**form, "csrf": "forged"}).status_code == 403
    cross = client.post("/label", data={**form, "csrf": csrf},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    ok = client.post("/label", data={**form, "csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/page/{pid}"
    redirect = client.post("/label", data={**form, "csrf": csrf, "label": "not_spam",
                                           "next": "//evil.example/"}, follow_redirects=False)
    assert redirect.headers["location"] == "/"
    bad = client.post("/label", data={**form, "csrf": csrf, "target": "http://nope.test/"})
    assert bad.status_code == 400 and "no page with URL" in bad.text
    with engine.connect() as conn:
        rows = conn.execute(select(Label.label, Label.reviewer, Label.note).order_by(Label.id))
        assert [tuple(r) for r in rows] == [("spam", "ann", "same template"),
                                            ("not_spam", "ann", "same template")]
    assert "not_spam" in client.get(f"/page/{pid}").text


def test_token_gate(engine: Engine) -> None:
    client = TestClient(create_app(engine, token="s3cret-token", allowed_hosts=None))
    for path in ("/", "/page/1", "/static/review.css"):
        denied = client.get(path)
        assert denied.status_code == 401 and "access token required" in denied.text
    assert client.get("/?token=wrong").status_code == 401
    bearer = client.get("/", headers={"authorization": "Bearer s3cret-token"})
    assert bearer.status_code == 200
    swap = client.get("/?verdict=clean&token=s3cret-token", follow_redirects=False)
    assert swap.status_code == 303 and swap.headers["location"] == "/?verdict=clean"
    assert "httponly" in swap.headers["set-cookie"].lower()
    assert client.get("/?verdict=clean").status_code == 200  # the cookie now


def test_loopback_app_refuses_other_host_names(engine: Engine) -> None:
    client = TestClient(create_app(engine), base_url="http://127.0.0.1:8000")
    assert client.get("/").status_code == 200
    rebound = client.get("/", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 400
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_errors_are_one_line(review_db_copy: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from triage.cli import main

    missing = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "no database at" in missing.output
    assert missing.output.strip().count("\n") == 0 and not (tmp_path / "nope.db").exists()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = CliRunner().invoke(main, ["serve", "--db", review_db_copy, "--port", str(port)])
    assert taken.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in taken.output


def test_review_log_lists_every_label_and_links_back(client: TestClient, engine: Engine) -> None:
    from db.labels import add_label

    add_label(engine, "page", XSS_URL, "spam", reviewer="ann", note="<b>bold</b> note")
    add_label(engine, "page", XSS_URL, "not_spam", reviewer="bob")
    add_label(engine, "cluster", "1", "spam", reviewer="ann")
    html = client.get("/labels").text
    rows = html.split('id="log"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1
    assert rows == 3 and "&lt;b&gt;bold&lt;/b&gt; note" in html
    assert html.index("not_spam") < html.index("&lt;b&gt;bold")  # newest first
    found = client.get("/page", params={"url": XSS_URL}, follow_redirects=False)
    assert found.status_code == 303
    assert found.headers["location"] == f"/page/{page_id(engine, XSS_URL)}"
    assert client.get("/page", params={"url": "http://nope.test/"}).status_code == 404
