"""Fast labelling in the review UI (issue 10 item 6) over a real SQLite file: the queue offers
the unlabelled pages the model is least sure of first, "label and next" walks the same queue,
and bulk labels from the queue write one row per page; every POST needs the CSRF token."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import Engine, func, select, update
from starlette.testclient import TestClient

from db.engine import make_engine
from db.labels import add_label
from db.models import Label, Page
from db.review import uncertainty
from pipelines import model
from tests.browser import serving
from tests.review_data import (  # noqa: F401 - fixtures
    client_fixture,
    engine_fixture,
    review_db_copy_fixture,
    review_db_fixture,
)
from triage.web.app import create_app
from triage.web.flow import FLASH_COOKIE
from triage.web.security import CSRF_COOKIE


def row_ids(html: str) -> list[int]:
    """The page ids of the queue's rows, in order (their bulk-label checkboxes)."""
    return [int(i) for i in re.findall(r'class="pick" name="page" value="(\d+)"', html)]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def label_rows(engine: Engine) -> list[tuple[str, str, str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            select(Label.target_type, Label.target, Label.label, Label.reviewer, Label.note)
            .order_by(Label.id))]


def scores(engine: Engine) -> dict[int, tuple[str, float, int | None]]:
    with engine.connect() as conn:
        return {r.id: (r.url, r.score, r.cluster) for r in conn.execute(
            select(Page.id, Page.url, Page.score, Page.cluster).where(Page.verdict.is_not(None)))}


def spread_scores(engine: Engine) -> None:
    """Give the stored pages scores on both sides of the threshold (the farm pages' engine
    scores are all near 0 or 1), so the order by uncertainty differs from the order by score."""
    with engine.begin() as conn:
        ids = conn.execute(select(Page.id).where(Page.verdict.is_not(None))
                           .order_by(Page.id)).scalars().all()
        for k, pid in enumerate(ids):
            conn.execute(update(Page).where(Page.id == pid).values(score=(k * 0.37) % 1.0))


def test_uncertainty_is_relative_to_the_threshold_on_each_side() -> None:
    assert uncertainty(0.72, 0.72) == 1.0
    assert uncertainty(0.0, 0.72) == 0.0 and uncertainty(1.0, 0.72) == 0.0
    assert uncertainty(0.99, 0.72) < 0.1 < uncertainty(0.45, 0.72)  # 0.99 is sure spam
    assert uncertainty(0.86, 0.72) == pytest.approx(0.5) == uncertainty(0.36, 0.72)
    assert uncertainty(None, 0.72) is None and uncertainty(0.3, 1.0) == pytest.approx(0.3, abs=1e-5)


def test_queue_offers_the_least_sure_unlabelled_pages_first(client: TestClient,
                                                            engine: Engine) -> None:
    spread_scores(engine)
    threshold = model.shipped().spam_threshold
    stored = scores(engine)
    lanto = next(u for u, _, c in stored.values() if c is None and "lanto-official" in u)
    add_label(engine, "page", lanto, "official", reviewer="ann")
    add_label(engine, "cluster", "2", "spam", reviewer="ann")  # four pages labelled at once
    labelled = {i for i, (u, _, c) in stored.items() if u == lanto or c == 2}

    def by_margin(i: int) -> tuple[float, int]:
        return -(uncertainty(stored[i][1], threshold) or 0.0), i

    expected = (sorted(set(stored) - labelled, key=by_margin) + sorted(labelled, key=by_margin))
    html = client.get("/").text
    assert row_ids(html) == expected == row_ids(client.get("/?sort=uncertain").text)
    assert set(row_ids(html)[-len(labelled):]) == labelled
    assert row_ids(client.get("/?sort=score").text) == sorted(
        stored, key=lambda i: (-stored[i][1], i))
    assert row_ids(client.get("/?unreviewed=1").text) == expected[:-len(labelled)]
    # The uncertainty is on the queue: 1 on the threshold, falling to 0 at a score of 0 or 1.
    shown = re.findall(r'<meter min="0" max="1" value="([\d.]+)">', html)
    assert shown == [f"{uncertainty(stored[i][1], threshold):.2f}" for i in expected]
    assert float(shown[0]) > float(shown[len(stored) - len(labelled) - 1])
    assert f"{threshold:.3f}" in html
    # Another verdict threshold gives another order: the uncertainty is measured from it.
    other = TestClient(create_app(engine, allowed_hosts=None, threshold=0.05))
    assert row_ids(other.get("/").text)[0] == min(
        set(stored) - labelled, key=lambda i: (-(uncertainty(stored[i][1], 0.05) or 0.0), i))


def test_label_and_next_walks_the_queue_and_needs_csrf(client: TestClient,
                                                       engine: Engine) -> None:
    queue = client.get("/?cluster=1&unreviewed=1").text
    order = row_ids(queue)
    assert len(order) == 6
    link = re.search(rf'href="(/page/{order[0]}\?[^"]+)"', queue).group(1)  # type: ignore
    ctx = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert ctx == {"cluster": ["1"], "unreviewed": ["1"], "sort": ["uncertain"]}
    page = client.get(link.replace("&amp;", "&")).text
    assert re.search(rf'id="next-page" href="/page/{order[1]}\?', page)
    assert 'id="prev-page"' not in page and 'name="queue"' in page
    csrf = csrf_of(page)
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                           page.split('id="label-page"', 1)[1].split("</form>", 1)[0]))
    form = {k: v.replace("&amp;", "&") for k, v in form.items()}
    assert form["csrf"] == csrf == client.cookies.get(CSRF_COOKIE)
    form.update(label="spam", reviewer="ann", note="farm")
    assert client.post("/label", data={**form, "csrf": ""}).status_code == 403
    assert client.post("/label", data={**form, "csrf": "forged"}).status_code == 403
    assert client.post("/label", data=form, headers={"origin": "http://evil.example"}
                       ).status_code == 403
    assert label_rows(engine) == []

    walked = []
    for step, pid in enumerate(order):
        with engine.connect() as conn:
            form["target"] = conn.execute(select(Page.url).where(Page.id == pid)).scalar_one()
        sent = client.post("/label", data=form, follow_redirects=False)
        assert sent.status_code == 303
        where = sent.headers["location"]
        if step < len(order) - 1:
            assert where == f"/page/{order[step + 1]}?cluster=1&unreviewed=1&sort=uncertain"
            shown = client.get(where).text
            assert f"Labelled page #{pid} spam; this is the next page" in shown
            assert FLASH_COOKIE not in client.cookies  # shown once
        else:
            assert where == "/?cluster=1&unreviewed=1&sort=uncertain"
            assert "That was the last page of this queue" in client.get(where).text
        walked.append(form["target"])
    assert [r[1] for r in label_rows(engine)] == walked and len(set(walked)) == 6
    assert {r[2:] for r in label_rows(engine)} == {("spam", "ann", "farm")}
    assert row_ids(client.get("/?cluster=1&unreviewed=1").text) == []


def test_label_and_next_keeps_sort_and_filters(client: TestClient, engine: Engine) -> None:
    order = row_ids(client.get("/?sort=score&verdict=hotline_spam").text)
    page = client.get(f"/page/{order[2]}?verdict=hotline_spam&sort=score").text
    assert re.search(rf'id="prev-page" href="/page/{order[1]}\?verdict=hotline_spam&amp;'
                     r'sort=score"', page)
    with engine.connect() as conn:
        url = conn.execute(select(Page.url).where(Page.id == order[2])).scalar_one()
    sent = client.post("/label", data={
        "csrf": csrf_of(page), "target_type": "page", "target": url, "label": "not_spam",
        "reviewer": "ann", "next": f"/page/{order[2]}",
        "queue": "verdict=hotline_spam&sort=score"}, follow_redirects=False)
    assert sent.headers["location"] == f"/page/{order[3]}?verdict=hotline_spam&sort=score"
    # By score a labelled page keeps its place: "previous" goes back to it.
    back = client.get(sent.headers["location"]).text
    assert re.search(rf'id="prev-page" href="/page/{order[2]}\?', back)
    # A page opened from elsewhere (no queue in its address) is labelled and stays.
    alone = client.get(f"/page/{order[0]}").text
    assert 'name="queue"' not in alone and 'id="next-page"' not in alone


def bulk_form(client: TestClient, query: str = "") -> tuple[list[int], dict[str, str]]:
    html = client.get("/" + query).text
    form = html.split('id="bulk"', 1)[1].split("</form>", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return row_ids(html), {k: v.replace("&amp;", "&") for k, v in hidden.items()}


def test_bulk_labels_from_the_queue(client: TestClient, engine: Engine) -> None:
    ids, hidden = bulk_form(client, "?verdict=hotline_spam")
    assert hidden["queue"] == "verdict=hotline_spam&sort=uncertain"
    assert hidden["csrf"] == client.cookies.get(CSRF_COOKIE)
    ticked = ids[:5]
    form = {**hidden, "label": "spam", "reviewer": "lin", "note": "one farm",
            "page": [str(i) for i in ticked] + [str(ticked[0])]}  # a page ticked twice
    assert client.post("/label/bulk", data={**form, "csrf": ""}).status_code == 403
    assert client.post("/label/bulk", data={**form, "csrf": "forged"}).status_code == 403
    assert client.post("/label/bulk", data=form, headers={"origin": "http://evil.example"}
                       ).status_code == 403
    assert label_rows(engine) == []

    sent = client.post("/label/bulk", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == (
        "/?verdict=hotline_spam&sort=uncertain")
    after = client.get(sent.headers["location"]).text
    assert '<p class="flash" id="flash" role="status">Labelled 5 pages spam.</p>' in after
    assert "Labelled 5 pages" not in client.get("/").text  # shown once
    stored = scores(engine)
    assert label_rows(engine) == [("page", stored[i][0], "spam", "lin", "one farm")
                                  for i in ticked]
    assert row_ids(after)[-5:] == sorted(ticked, key=lambda i: (
        -(uncertainty(stored[i][1], model.shipped().spam_threshold) or 0.0), i))

    one = client.post("/label/bulk", data={**form, "page": [str(ids[5])], "label": "official"})
    assert "Labelled 1 page official." in one.text
    assert label_rows(engine)[-1] == ("page", stored[ids[5]][0], "official", "lin", "one farm")


def test_bulk_labels_refuse_bad_selections_whole(client: TestClient, engine: Engine) -> None:
    ids, hidden = bulk_form(client)
    form = {**hidden, "label": "spam", "reviewer": "lin"}
    with engine.connect() as conn:
        missing = conn.execute(select(func.max(Page.id))).scalar_one() + 1
    for pages, message in (([], "no pages ticked"),
                           ([str(ids[0]), str(missing)], f"no page #{missing} in the database"),
                           ([str(ids[0]), "1 or 1=1"], "page ids are numbers")):
        refused = client.post("/label/bulk", data={**form, "page": pages})
        assert refused.status_code == 400 and message in refused.text, pages
    bad_label = client.post("/label/bulk", data={**form, "page": [str(ids[0])], "label": "x"})
    assert bad_label.status_code == 400 and "unknown label" in bad_label.text
    assert label_rows(engine) == []  # nothing half-done
    read_only = TestClient(create_app(engine, allowed_hosts=None, read_only=True))
    ids, hidden = bulk_form(read_only)
    refused = read_only.post("/label/bulk", data={**hidden, "label": "spam", "reviewer": "lin",
                                                  "page": [str(ids[0])]})
    assert refused.status_code == 403 and "read-only" in refused.text
    assert label_rows(engine) == []


def test_bulk_labels_through_a_real_server(review_db_copy: str) -> None:
    """The same POST against ``triage serve`` over HTTP: the CSRF cookie and form field as a
    browser sends them."""
    with (serving(review_db_copy, "--reviewer", "mo") as (address, _proc),
          httpx.Client(base_url=address, follow_redirects=False, timeout=10) as http):
        html = http.get("/?sort=score").text
        ids, csrf = row_ids(html), csrf_of(html)
        data = {"csrf": csrf, "queue": "sort=score", "label": "not_spam", "reviewer": "mo",
                "page": [str(i) for i in ids[-3:]]}
        assert http.post("/label/bulk", data={**data, "csrf": "x"}).status_code == 403
        sent = http.post("/label/bulk", data=data)
        assert sent.status_code == 303 and sent.headers["location"] == "/?sort=score"
        assert "Labelled 3 pages not_spam." in http.get("/?sort=score").text
    engine = make_engine(review_db_copy)
    try:
        rows = label_rows(engine)
        assert len(rows) == 3 and {r[2:4] for r in rows} == {("not_spam", "mo")}
    finally:
        engine.dispose()
