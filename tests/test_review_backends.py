"""Labels, the review queue and the blocklist on SQLite and on PostgreSQL (skipped when no
server): the SQL they use (casts, NOT EXISTS, RETURNING) must hold on both."""

from __future__ import annotations

from sqlalchemy import delete

from db import labels, review
from db.blocklist import iter_blocklist
from db.engine import make_engine
from db.models import Label
from tests.review_data import LANTO, WOTING, XSS_URL, build_review_db
from tests.test_db_store import db_url, pg_url  # noqa: F401 - fixtures


def test_review_queries_on_both_backends(db_url: str) -> None:  # noqa: F811
    build_review_db(db_url)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(delete(Label))  # the PostgreSQL test database outlives one test
    labels.add_label(engine, "cluster", "2", "spam", reviewer="ann")
    labels.add_label(engine, "number", LANTO[0], "not_spam", reviewer="bob")
    with engine.connect() as conn:
        todo = review.queue(conn, review.QueueFilter(unreviewed=True, verdict="hotline_spam"))
        assert todo["total"] == 8 and not any("woting" in r["url"] for r in todo["rows"])
        by_number = review.queue(conn, review.QueueFilter(number=WOTING[0], sort="uncertain"))
        assert by_number["number"] == WOTING[1] and by_number["total"] == 4
        assert {r["label"]["via"] for r in by_number["rows"]} == {"cluster"}
        xss = review.queue(conn, review.QueueFilter(domain="xss.example.test"))["rows"][0]
        page = review.page_detail(conn, xss["id"])
        assert page is not None and page["url"] == XSS_URL and page["padding"]
        number = review.number_detail(conn, LANTO[1])
        assert number is not None and len(number["domains"]) == 3
        assert number["history"][0]["label"] == "not_spam"
        cluster = review.group_detail(conn, "cluster", "1")
        assert cluster is not None and len(cluster["pages"]) == 6
        blocked = {r["number"] for r in iter_blocklist(conn)}
        assert WOTING[1] in blocked and LANTO[1] not in blocked
    engine.dispose()
