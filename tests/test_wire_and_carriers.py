"""Direct tests of three speed-ups that other tests only cover end to end: the worker-to-crawl
result format (``pipelines.items.wire``), the batched tie-carrier query
(``investigate.operations_local.carriers_of``) and the crawl's host-check cache
(``crawler.netsafety.HostVerdicts``)."""

from __future__ import annotations

import pickle
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crawler.netsafety import MAX_VERDICTS, AllowList, HostVerdicts, check_host, check_url
from db.engine import make_engine
from db.models import Number, NumberDomain
from investigate.operations import CHUNK
from investigate.operations_local import carriers, carriers_of
from pipelines.analyze import analyze
from pipelines.items import wire
from pipelines.operations import MAX_DOMAINS
from triage.demo.farm import spam_page


def test_wire_round_trip_equals_the_analysis_and_plain_pickle() -> None:
    rng = random.Random(3)
    pages = [analyze(spam_page(rng).html, url=f"http://farm{i}.example/p.html")
             for i in range(3)]
    batch = [*pages, "analysis failed: boom"]
    back = wire.loads(wire.dumps(batch))
    assert back == batch
    assert back == pickle.loads(pickle.dumps(batch))
    assert back[0].numbers and back[0].numbers[0] == pages[0].numbers[0]
    assert type(back[0].numbers[0]) is type(pages[0].numbers[0])
    with pytest.raises(AttributeError):  # still frozen after the rebuild
        back[0].verdict = "clean"


def test_wire_refuses_a_class_whose_slots_are_not_its_fields() -> None:
    @dataclass(frozen=True)
    class Odd:
        __slots__ = ("b", "a")  # noqa: RUF023 - the order is the point
        a: int
        b: int

    with pytest.raises(TypeError, match="slots"):
        wire._reducer(Odd)


def _numbers_db(tmp_path: Path) -> tuple[Engine, dict[str, list[str]]]:
    """Real SQLite: more numbers than one query's CHUNK, one on more than MAX_DOMAINS domains,
    a malformed one and one shown but never advertised (neither carries a tie)."""
    engine = make_engine(str(tmp_path / "t.db"))
    truth: dict[str, list[str]] = {}
    with Session(engine) as s:
        for i in range(CHUNK + 30):
            e164 = f"+86400{i:07d}"
            kind = "malformed" if i == 1 else "toll_free"
            n = Number(e164=e164, kind=kind)
            s.add(n)
            s.flush()
            spread = MAX_DOMAINS + 7 if i == 0 else 1 + i % 3
            domains = [f"d{(i * 7 + k) % 997:03d}-{k}.example" for k in range(spread)]
            advertised = 0 if i == 2 else 1
            for d in domains:
                s.add(NumberDomain(number_id=n.id, domain=d, pages=1, advertised=advertised))
            truth[e164] = [] if i in (1, 2) else sorted(domains)[:MAX_DOMAINS]
        s.commit()
    return engine, truth


def test_carriers_of_batches_and_caps_each_value(tmp_path: Path) -> None:
    engine, truth = _numbers_db(tmp_path)
    ties = [("number", e) for e in truth] + [("number", "+8640099999999")]
    with engine.connect() as conn:
        many = carriers_of(conn, ties)
        assert set(many) == set(ties)
        assert many[("number", "+8640099999999")] == []
        for e164, expected in truth.items():
            assert sorted(many[("number", e164)]) == expected, e164
        assert len(many[("number", "+864000000000")]) == MAX_DOMAINS
        assert sorted(carriers(conn, ties[0])) == truth[ties[0][1]]  # the one-tie form


def test_host_verdicts_answer_as_check_host_and_follow_the_allow_list() -> None:
    allow = AllowList()
    verdicts = HostVerdicts()
    url = "http://127.0.0.1:8123/p.html"
    first = check_url(url, allow, verdicts)
    assert first is not None and first == check_url(url, allow)
    assert check_url(url, allow, verdicts) == first  # the kept answer
    allow.extend(["127.0.0.1:8123"])
    assert check_url(url, allow, verdicts) is None  # a grown allow list is a new question
    assert check_host("127.0.0.1", 8123, allow) is None
    for i in range(MAX_VERDICTS + 5):
        verdicts.check(f"h{i}.example", 80, allow)
    assert len(verdicts) <= MAX_VERDICTS
