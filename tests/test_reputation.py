"""Number reputation: the propagation on small hand-made graphs, and on a generated farm stored
in a real database, seeded with ``triage import-official``/``import-fraud``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from db.engine import make_engine
from db.models import FraudNumber, OfficialNumber
from db.store import Store
from investigate.reputation import normalise_number
from pipelines.propagation import Mention, PageFacts, score_numbers
from tests.test_db_store import db_url, pg_url  # noqa: F401
from triage.cli import main
from triage.demo.farm_ops import Farm, make_farm, page_items

FAKE, OFFICIAL, OTHER, SHOP = "+864006001111", "+864008002222", "+864009003333", "+8613912345678"


def spam(pid: int, domain: str, brand: str, score: float = 0.9) -> PageFacts:
    return PageFacts(pid, domain, "hotline_spam", score, (brand,))


def test_number_for_many_brands_is_fraud_and_official_stays_clean() -> None:
    pages = [spam(i, f"farm{i % 3}.example.net", f"品牌{i}") for i in range(1, 9)]
    pages += [PageFacts(20, "news.example.org", "clean", 0.1, ("品牌1",), warning=True),
              PageFacts(21, "brand1.example.com", "clean", 0.2, ("品牌1",))]
    mentions = [Mention(i, FAKE, True) for i in range(1, 9)]
    mentions += [Mention(1, OFFICIAL, False), Mention(2, OFFICIAL, False),  # fraud pages quote it
                 Mention(20, FAKE, False), Mention(20, OFFICIAL, True), Mention(21, OFFICIAL, True)]
    result = score_numbers(pages, mentions, official={OFFICIAL: ["品牌1"]})
    assert result[FAKE].verdict == "fraud" and result[FAKE].score >= 0.8
    assert any("8 brands" in r for r in result[FAKE].reasons)
    assert any("scam warning" in r for r in result[FAKE].reasons)
    assert result[OFFICIAL].verdict == "official" and result[OFFICIAL].score == 0.0
    # Without the seed, the official number is still clean: clean pages advertise it, spam pages
    # only quote it.
    unseeded = score_numbers(pages, mentions)
    assert unseeded[OFFICIAL].verdict == "clean"
    assert unseeded[FAKE].verdict == "fraud"


def test_a_multi_brand_repair_shop_page_is_not_a_farm() -> None:
    pages = [PageFacts(1, "repair.example.com", "clean", 0.2, ("品牌1", "品牌2", "品牌3", "品牌4"))]
    result = score_numbers(pages, [Mention(1, SHOP, True)])
    assert result[SHOP].verdict == "clean" and not result[SHOP].reasons


def test_a_known_fraud_number_draws_its_domains_other_numbers() -> None:
    pages = [PageFacts(i, "farm.example.net", "hotline_spam", 0.55, ("品牌1",)) for i in range(1, 5)]
    pages.append(PageFacts(5, "farm.example.net", "clean", 0.45, ("品牌1",)))
    mentions = [Mention(i, FAKE, True) for i in range(1, 5)] + [Mention(5, OTHER, True)]
    before = score_numbers(pages, mentions)[OTHER].score
    after = score_numbers(pages, mentions, fraud=[FAKE])
    assert after[FAKE].verdict == "fraud" and after[FAKE].score == 1.0
    assert after[OTHER].score > before


def test_impersonating_a_brand_with_known_official_numbers() -> None:
    pages = [spam(1, "a.example.net", "品牌1", 0.6), spam(2, "b.example.net", "品牌2", 0.6)]
    mentions = [Mention(1, FAKE, True), Mention(2, OTHER, True)]
    result = score_numbers(pages, mentions, official={OFFICIAL: ["品牌1"]})
    assert result[FAKE].score > result[OTHER].score
    assert any("not the official number of 品牌1" in r for r in result[FAKE].reasons)
    assert OFFICIAL in result and result[OFFICIAL].verdict == "official"  # never seen, scored


def test_normalise_number() -> None:
    assert normalise_number("400-600-1111") == FAKE
    assert normalise_number(" 139 1234 5678 ") == SHOP
    assert normalise_number("12ab") is None
    assert normalise_number("400-600-1111 400-800-2222") is None


@pytest.fixture(scope="module")
def farm() -> Farm:
    return make_farm(23, operations=4, pages_per_operation=8, brands=8, news=6)


@pytest.fixture(scope="module")
def items(farm: Farm) -> list[dict[str, Any]]:
    return page_items(farm.pages)


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _numbers(db: str) -> dict[str, dict[str, Any]]:
    out = _cli("export", "numbers", "--db", db)
    assert out.exit_code == 0, out.output
    return {r["e164"]: r for r in map(json.loads, out.output.splitlines())}


def test_farm_numbers_scored_and_seeded_through_the_cli(db_url: str, farm: Farm,  # noqa: F811
                                                        items: list[dict[str, Any]],
                                                        tmp_path: Path) -> None:
    engine = make_engine(db_url)
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), items)
    result = _cli("reputation", "--db", db_url, "--show", "3")
    assert result.exit_code == 0, result.output
    assert "advertised for" in result.output
    numbers = _numbers(db_url)
    for e164 in farm.fraud:
        assert numbers[e164]["verdict"] == "fraud", numbers[e164]
    for e164 in farm.official.values():
        assert numbers[e164]["verdict"] == "clean" and numbers[e164]["score"] < 0.5

    brands = list(farm.official)
    official_csv = tmp_path / "official.csv"
    official_csv.write_text("brand,number\n" + "".join(
        f"{b},{farm.official_shown[b]}\n" for b in brands[:4]), encoding="utf-8")
    result = _cli("import-official", str(official_csv), "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "Imported 4 official numbers (4 new)" in result.output
    again = _cli("import-official", str(official_csv), "--db", db_url)
    assert "(0 new)" in again.output
    numbers = _numbers(db_url)
    for b in brands[:4]:
        assert numbers[farm.official[b]]["verdict"] == "official"
        assert numbers[farm.official[b]]["score"] == 0.0
    for e164 in farm.fraud:
        assert numbers[e164]["verdict"] == "fraud"

    fraud_csv = tmp_path / "fraud.csv"
    first_fake = next(iter(farm.fraud))
    fraud_csv.write_text(f"number,source\n{first_fake},police notice\n", encoding="utf-8")
    assert _cli("import-fraud", str(fraud_csv), "--db", db_url).exit_code == 0
    assert _numbers(db_url)[first_fake]["score"] == 1.0
    with engine.connect() as conn:
        assert conn.execute(select(FraudNumber.source)).scalar_one() == "police notice"
    engine.dispose()


def test_a_bad_seed_file_imports_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    bad = tmp_path / "official.csv"
    bad.write_text("brand,number\n澜拓净水器,400-612-3456\n沃霆热水器,call us\n,400-612-9999\n",
                   encoding="utf-8")
    result = _cli("import-official", str(bad), "--db", db)
    assert result.exit_code == 2
    assert "line 3: 'call us' is not a phone number" in result.output
    assert "line 4: no brand" in result.output and "nothing imported" in result.output
    assert not Path(db).exists()
    result = _cli("import-official", str(bad), "--db", db, "--skip-bad")
    assert result.exit_code == 0, result.output
    engine = make_engine(db)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(OfficialNumber)).scalar_one() == 1
    engine.dispose()
    missing = _cli("import-official", str(tmp_path / "nope.csv"), "--db", db)
    assert missing.exit_code == 1 and "cannot read" in missing.output
    assert "Traceback" not in missing.output
