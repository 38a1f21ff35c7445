"""The review UI in headless Chromium against a real ``triage serve``: queue, filter, page
highlights, labelling (checked in the database), and hostile pages that run nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.models import Label, Page
from tests.browser import browser, chromium_problem, serving
from tests.review_data import XSS_BRAND, XSS_CONTEXT, XSS_TITLE, XSS_URL, build_review_db

WOTING_BRAND = "沃霆热水器"

problem = chromium_problem()
pytestmark = pytest.mark.skipif(problem is not None, reason=problem or "")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_review_db(tmp_path_factory.mktemp("browser") / "triage.db")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    try:
        with browser() as b:
            yield b
    except Exception as exc:  # a browser that cannot start is a skip, not a failure
        if "Executable doesn't exist" in str(exc) or "launch" in str(exc).lower():
            pytest.skip(f"Chromium cannot be launched: {str(exc).splitlines()[0]}")
        raise


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with serving(db, "--reviewer", "tester") as (address, _proc):
        yield address.rstrip("/")


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def no_script_ran(tab: Any) -> None:
    tab.wait_for_timeout(150)  # let failed image loads fire their (blocked) error handlers
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert tab.evaluate("document.scripts.length") == 0
    assert tab.dialogs == []


def test_queue_filter_open_highlight_label(page: Any, server: str, db: Path) -> None:
    page.goto(server + "/")
    assert page.title().startswith("Review queue")
    assert int(page.inner_text("#total")) == 16
    assert page.locator("tr.row").count() == 16

    page.fill("input[name=brand]", WOTING_BRAND)
    page.check("input[name=unreviewed]")
    page.click("#apply")
    page.wait_for_load_state()
    assert "brand=" in page.url and int(page.inner_text("#total")) == 4
    assert page.locator("tr.row").count() == 4

    page.locator("a.page-link").first.click()
    page.wait_for_load_state()
    assert "/page/" in page.url
    url = page.inner_text("p.url").split(" · ")[0]
    numbers = page.locator("#text a.num")
    assert numbers.count() >= 5 and numbers.first.inner_text() == "400-9152-604"
    for kind in ("region_list", "filler", "stuffing", "scraped_article"):
        assert page.locator(f"#text .pad-{kind}").count() >= 1, kind
    # The stylesheet is allowed by the CSP and applied: highlights are coloured.
    colour = page.eval_on_selector("#text a.num", "e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")

    page.fill("input[name=note]", "same template as the other 沃霆 pages")
    page.click("button[value=spam]")
    page.wait_for_load_state()
    assert "/page/" in page.url
    assert page.locator(".facts .label-spam").count() == 1
    assert "tester" in page.inner_text("table.history")

    engine = make_engine(str(db))
    with engine.connect() as conn:
        rows = conn.execute(select(Label.target_type, Label.target, Label.label, Label.reviewer,
                                   Label.note)).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("page", url, "spam", "tester", "same template as the other 沃霆 pages")]

    page.goto(server + "/?" + "unreviewed=1&brand=" + WOTING_BRAND)
    assert int(page.inner_text("#total")) == 3


def test_cluster_label_reaches_its_pages(page: Any, server: str) -> None:
    page.goto(server + "/cluster/1")
    assert page.locator("tr.row").count() == 6
    page.fill("input[name=reviewer]", "lead")
    page.click("button[value=not_spam]")
    page.wait_for_load_state()
    page.goto(server + "/?cluster=1")
    badges = page.locator("tr.row .label-not_spam")
    assert badges.count() == 6 and "cluster" in badges.first.inner_text()


def test_number_view(page: Any, server: str) -> None:
    page.goto(server + "/number/%2B864006318227")
    assert page.inner_text("h1") == "+864006318227"
    assert page.locator("tr.row").count() == 6
    assert "6 pages on 3 domains" in page.inner_text(".facts")
    assert "澜拓净水器" in page.inner_text(".spread")


def test_hostile_page_shows_payloads_as_text_and_runs_nothing(page: Any, server: str,
                                                              db: Path) -> None:
    engine = make_engine(str(db))
    with engine.connect() as conn:
        pid = conn.execute(select(Page.id).where(Page.url == XSS_URL)).scalar_one()
        html = conn.execute(select(Page.text).where(Page.id == pid)).scalar_one()
    engine.dispose()
    page.goto(f"{server}/page/{pid}")
    assert page.inner_text("h1.page-title") == XSS_TITLE
    assert page.inner_text("p.url").startswith(XSS_URL)
    assert '<script>window.__xss="text"</script>' in page.inner_text("#text")
    assert XSS_BRAND in page.inner_text(".facts")
    assert XSS_CONTEXT in page.inner_text("table.numbers")
    assert "window.__xss" in html  # the stored text really carries the payload
    no_script_ran(page)
    for path in ("/", "/?brand=" + XSS_BRAND, "/number/%2B864008264913"):
        page.goto(server + path)
        assert XSS_TITLE in page.inner_text("main")
        no_script_ran(page)


def test_the_payloads_would_run_unescaped(page: Any) -> None:
    """Control: the same browser does run these payloads when they are not escaped, so the
    checks above are meaningful."""
    page.set_content(f"<p>{XSS_TITLE}</p>")
    page.wait_for_function("window.__xss !== undefined")
    assert page.evaluate("window.__xss") in ("title", "title-img")


def test_off_loopback_needs_the_printed_token(db: Path, tmp_path: Path, chromium: Any) -> None:
    copy = shutil.copy(db, tmp_path / "triage.db")
    with serving(copy, host="0.0.0.0") as (address, _proc):
        assert "?token=" in address
        local = address.replace("0.0.0.0", "127.0.0.1")
        bare = local.split("?", 1)[0]
        context = chromium.new_context()
        tab = context.new_page()
        denied = tab.goto(bare)
        assert denied.status == 401 and "access token required" in tab.inner_text("body")
        tab.goto(local)
        assert "token=" not in tab.url and tab.title().startswith("Review queue")
        tab.goto(bare + "page/1")
        assert tab.locator("h1.page-title").count() == 1  # the cookie carries the token
        context.close()
