"""``triage export blocklist`` and ``triage report --html`` on a crawled SQLite database."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, insert, select

from db.engine import make_engine
from db.labels import add_label
from db.models import Number, OfficialNumber
from tests.review_data import (  # noqa: F401
    KESAI,
    LANTO,
    WOTING,
    XSS_BRAND,
    XSS_NUMBER,
    XSS_URL,
    review_db_copy_fixture,
    review_db_fixture,
)
from triage.cli import main
from triage.report import numbers_by_day

SPAM_NUMBERS = {LANTO[1], WOTING[1], KESAI[1], XSS_NUMBER[1]}


@pytest.fixture
def db(review_db_copy: str) -> str:
    return review_db_copy


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


def blocklist(db: str) -> dict[str, dict[str, Any]]:
    result = run("export", "blocklist", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    return {r["number"]: r for r in json.loads(result.output)}


def test_blocklist_from_page_verdicts(db: str) -> None:
    rows = blocklist(db)
    assert set(rows) == SPAM_NUMBERS  # not the official, shop, notice or warning numbers
    lanto = rows[LANTO[1]]
    assert (lanto["verdict"], lanto["source"], lanto["evidence"], lanto["domains"]) == \
        ("suspicious", "pages", 6, 3)
    assert len(lanto["example_urls"]) == 3
    assert all("lanto-fix" in u for u in lanto["example_urls"])
    assert lanto["first_seen"] < lanto["last_seen"]
    assert rows[XSS_NUMBER[1]]["example_urls"] == [XSS_URL]
    assert list(rows)[:2] == [LANTO[1], WOTING[1]]  # most evidence first


def test_analyst_labels_override(db: str) -> None:
    engine = make_engine(db)
    with engine.connect() as conn:
        known = set(conn.execute(select(Number.e164)).scalars())
    official_page_number = next(n for n in sorted(known - SPAM_NUMBERS) if n.startswith("+86400"))
    add_label(engine, "number", LANTO[1], "not_spam", reviewer="ann", note="brand's own line")
    add_label(engine, "number", official_page_number, "spam", reviewer="ann")
    add_label(engine, "number", WOTING[1], "official", reviewer="bob")
    engine.dispose()
    rows = blocklist(db)
    assert LANTO[1] not in rows and WOTING[1] not in rows
    listed = rows[official_page_number]
    assert (listed["verdict"], listed["source"], listed["label"], listed["evidence"]) == \
        ("fraud", "analyst", "spam", 0)


def test_blocklist_uses_number_reputation_when_scored(db: str) -> None:
    from investigate.reputation import update_reputation

    engine = make_engine(db)
    with engine.begin() as conn:
        conn.execute(insert(OfficialNumber).values(brand="科赛恩", e164=KESAI[1],
                                                   source="test"))
    update_reputation(engine)
    with engine.connect() as conn:
        verdicts = dict(conn.execute(select(Number.e164, Number.verdict)).all())
    engine.dispose()
    rows = blocklist(db)
    assert KESAI[1] not in rows and verdicts[KESAI[1]] == "official"
    assert rows and all(r["source"] == "reputation" for r in rows.values())
    assert {r["verdict"] for r in rows.values()} <= {"fraud", "suspicious"}
    assert all(verdicts[n] == rows[n]["verdict"] for n in rows)
    assert LANTO[1] in rows and rows[LANTO[1]]["score"] is not None


def test_blocklist_csv(db: str) -> None:
    result = run("export", "blocklist", "--format", "csv", "--db", db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:6] == ["number", "verdict", "score", "source", "label", "evidence"]
    assert {r["number"] for r in rows} == SPAM_NUMBERS
    assert json.loads(rows[0]["example_urls"])[0].startswith("http://lanto-fix")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]


def test_report_html_is_self_contained_with_charts(db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", "--db", db, "--html", str(out))
    assert result.exit_code == 0 and result.output.startswith(f"wrote {out}")
    html = out.read_text()
    parsed = Elements()
    parsed.feed(html)
    assert parsed.tags.count("svg") == 3
    assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
    assert not [a for a in parsed.attrs if a[1].startswith("on") or a[1] == "src"]
    assert not [a for a in parsed.attrs if a[1] == "href"]  # nothing fetched or linked
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "&lt;img src=x onerror=" in html and XSS_BRAND not in html
    verdict_svg = html.split("<h2>Verdict mix</h2>", 1)[1].split("</svg>", 1)[0]
    assert ">hotline_spam<" in verdict_svg and ">12<" in verdict_svg and ">4<" in verdict_svg
    brands_svg = html.split("Most impersonated brands", 1)[1].split("</svg>", 1)[0]
    assert brands_svg.index("澜拓净水器") < brands_svg.index("沃霆热水器")


def test_numbers_over_time(db: str) -> None:
    engine = make_engine(db)
    with engine.connect() as conn:
        days = numbers_by_day(conn)
        total = conn.execute(select(func.count()).select_from(Number)).scalar_one()
    engine.dispose()
    assert len(days) >= 4 and days == sorted(days)
    assert sum(n for _, n, _ in days) == total == days[-1][2]


def test_report_html_unwritable_path_is_one_line(db: str, tmp_path: Path) -> None:
    result = run("report", "--db", db, "--html", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "cannot write" in result.output
