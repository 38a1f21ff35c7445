"""The review UI in headless Chromium against a real ``triage serve``: queue, filter, page
highlights, labelling (checked in the database), keyboard shortcuts (our one script), and
hostile pages that run nothing."""

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
    """No crawled script ran, while ours (the only script element) did."""
    tab.wait_for_timeout(150)  # let failed image loads fire their (blocked) error handlers
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert tab.evaluate("Array.from(document.scripts, s => new URL(s.src).pathname)") == [
        "/static/review.js"]
    assert tab.evaluate("document.documentElement.classList.contains('keys-on')")
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
    labelled_at = page.url
    page.click("button[value=spam]")
    page.wait_for_load_state()
    # Label and next: the next page of the same queue, with what was done said.
    assert "/page/" in page.url and page.url != labelled_at and "brand=" in page.url
    assert "spam; this is the next page" in page.inner_text("#flash")
    page.goto(labelled_at)
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


def ids_on_queue(tab: Any) -> list[int]:
    return [int(v) for v in tab.eval_on_selector_all("#bulk input.pick",
                                                     "boxes => boxes.map(b => b.value)")]


def labels_of(db: Path | str) -> list[tuple[str, str, str, str]]:
    engine = make_engine(str(db))
    with engine.connect() as conn:
        rows = conn.execute(select(Page.id, Label.label, Label.reviewer, Label.note)
                            .join(Page, Page.url == Label.target).order_by(Label.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_keyboard_shortcuts_label_and_walk_the_queue(db: Path, tmp_path: Path,
                                                     chromium: Any) -> None:
    """s/n/o, j/k, x, Enter, u and ? pressed in a real browser: our script clicks our own links
    and forms, so the labels land in the database as from the buttons (CSRF and all)."""
    copy = shutil.copy(db, tmp_path / "triage.db")
    with serving(copy, "--reviewer", "kb") as (address, _proc):
        context = chromium.new_context()
        tab = context.new_page()
        tab.goto(address + "?verdict=hotline_spam")
        order = ids_on_queue(tab)
        assert len(order) == 12
        tab.keyboard.press("?")
        assert tab.eval_on_selector("#keys", "d => d.open")
        tab.keyboard.press("?")
        assert not tab.eval_on_selector("#keys", "d => d.open")

        tab.keyboard.press("j")
        assert tab.locator("tr.row.cursor").count() == 1
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert f"/page/{order[0]}?" in tab.url and "verdict=hotline_spam" in tab.url
        with tab.expect_navigation():
            tab.keyboard.press("j")
        assert f"/page/{order[1]}?" in tab.url
        with tab.expect_navigation():
            tab.keyboard.press("k")
        assert f"/page/{order[0]}?" in tab.url
        with tab.expect_navigation():
            tab.keyboard.press("s")  # label and next
        assert f"/page/{order[1]}?" in tab.url and "#" + str(order[0]) in tab.inner_text("#flash")
        assert labels_of(copy) == [(order[0], "spam", "kb", "")]

        tab.click("input[name=note]")
        tab.keyboard.type("son")  # typing in a field labels nothing, goes nowhere
        assert f"/page/{order[1]}?" in tab.url
        assert labels_of(copy) == [(order[0], "spam", "kb", "")]
        tab.keyboard.press("Escape")
        with tab.expect_navigation():
            tab.keyboard.press("o")
        assert f"/page/{order[2]}?" in tab.url
        assert labels_of(copy)[-1] == (order[1], "official", "kb", "son")

        with tab.expect_navigation():
            tab.keyboard.press("u")
        assert tab.url.endswith("/?verdict=hotline_spam&sort=uncertain")
        now = ids_on_queue(tab)
        # Labelled pages went to the end; the others kept their order.
        assert now[:10] == order[2:] and set(now[10:]) == {order[0], order[1]}
        for key in ("j", "j", "x", "j", "x"):
            tab.keyboard.press(key)
        with tab.expect_navigation():
            tab.keyboard.press("n")  # bulk: the two ticked rows
        assert tab.inner_text("#flash") == "Labelled 2 pages not_spam."
        assert labels_of(copy)[2:] == [(now[1], "not_spam", "kb", ""),
                                       (now[2], "not_spam", "kb", "")]

        tab.click("#pick-all")
        assert tab.locator("#bulk input.pick:checked").count() == 12
        context.close()
