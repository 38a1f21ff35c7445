"""The pure parts of discovery (pipelines/discovery.py) and snippet numbers in reputation."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import serps
from db.engine import make_engine
from investigate.reputation import reputations
from pipelines.discovery import (
    BrandLine,
    cities,
    expand_brand,
    parse_answer,
    parse_brand_lines,
    parse_templates,
    pivot_queries,
    written_forms,
)
from pipelines.propagation import SNIPPET_PRIOR, Mention, PageFacts, score_numbers


def test_brand_lines_take_an_optional_category_after_a_tab() -> None:
    lines = parse_brand_lines(["# comment", "", "澜拓\t净水器", "沃森", "澜拓\t净水器", " 澜拓 "])
    assert lines == [BrandLine("澜拓", "净水器"), BrandLine("沃森", ""), BrandLine("澜拓", "")]


def test_a_brand_expands_into_many_distinct_queries_with_sampled_cities() -> None:
    queries = expand_brand(BrandLine("澜拓", "净水器"), n_cities=3, seed=7)
    assert len(queries) == len(set(queries)) >= 10
    assert "澜拓净水器售后电话" in queries and "澜拓维修电话 全国24小时" in queries
    city_queries = [q for q in queries if q.startswith("澜拓客服热线 ")]
    assert len(city_queries) == 3
    assert all(q.split(" ")[1] in cities() for q in city_queries)
    assert queries == expand_brand(BrandLine("澜拓", "净水器"), n_cities=3, seed=7)
    plain = expand_brand(BrandLine("沃森"), n_cities=0)
    assert "沃森售后电话" in plain and not any("{" in q for q in plain)
    assert "广州" in cities() and "广州市" not in cities() and len(cities()) > 300


def test_templates_file_is_checked() -> None:
    assert parse_templates(["# mine", "{brand}官方客服 {city}"]) == ["{brand}官方客服 {city}"]
    with pytest.raises(ValueError, match="only"):
        parse_templates(["{brand}{shop}"])
    with pytest.raises(ValueError, match="must contain"):
        parse_templates(["售后电话"])


def test_written_forms_of_a_number() -> None:
    assert written_forms("+864006189123") == [
        "400-618-9123", "4006189123", "400 618 9123", "400-6189-123"]
    assert written_forms("+8613812345678")[:2] == ["138-1234-5678", "13812345678"]
    assert written_forms("+861012345678")[0] == "010-12345678"
    assert written_forms("+8675512345678")[0] == "0755-12345678"
    queries = pivot_queries("+864006189123")
    assert "4006189123" in queries and "400-618-9123 客服电话" in queries
    assert len(queries) == len(set(queries)) == 12


def test_a_searxng_answer_is_read_into_ranked_hits() -> None:
    answer = parse_answer({
        "results": [
            {"url": "https://a.example.test/x", "title": "澜拓售后 400-618-9123",
             "content": "或拨 138 1234 5678", "engine": "baidu", "engines": ["bing", "baidu"]},
            {"url": "javascript:alert(1)", "title": "no"},
            {"url": "http://b.example.test/", "title": "t", "content": "", "engine": "sogou"},
        ],
        "unresponsive_engines": [["baidu", "CAPTCHA"], "360search"],
    })
    assert [h.rank for h in answer.hits] == [1, 2]
    first = answer.hits[0]
    assert first.engines == ("baidu", "bing")
    assert first.numbers == ("+8613812345678", "+864006189123")
    assert answer.hits[1].engines == ("sogou",) and answer.hits[1].numbers == ()
    assert answer.unresponsive == {"baidu": "CAPTCHA", "360search": ""}
    with pytest.raises(ValueError):
        parse_answer(["not", "an", "object"])


def _snippet(i: int, brand: str, *numbers: str) -> tuple[PageFacts, list[Mention]]:
    page = PageFacts(-i, f"s{i}.example.test", None, SNIPPET_PRIOR, (brand,), snippet=True)
    return page, [Mention(-i, n, True) for n in numbers]


def test_snippet_numbers_feed_reputation() -> None:
    pages, mentions = [], []
    for i, brand in enumerate(("澜拓", "沃森", "海澈"), start=1):  # one number, three brands
        page, found = _snippet(i, brand, "+864006180001")
        pages.append(page)
        mentions += found
    page, found = _snippet(4, "澜拓", "+864006180002")  # alone, one brand: no evidence
    pages.append(page)
    mentions += found
    for i in (5, 6):  # co-occurring with a known fraud number in the same snippets
        page, found = _snippet(i, "澜拓", "+864006180003", "+864006189999")
        pages.append(page)
        mentions += found
    result = score_numbers(pages, mentions, fraud={"+864006189999"})
    assert "advertised for 3 brands" in result["+864006180001"].reasons
    assert result["+864006180001"].verdict != "clean"
    assert result["+864006180002"].verdict == "clean"  # precision: one snippet is no accusation
    assert result["+864006180003"].score > result["+864006180002"].score


def test_reputation_reads_snippets_from_the_store(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "r.db"))
    try:
        run = serps.start_run(engine, "discover", {})
        serps.add_results(engine, run, [
            {"query": f"{b}售后电话", "engine": "bing", "page": 1, "rank": 1,
             "url": f"http://{i}.example.test/", "domain": f"{i}.example.test", "title": b,
             "snippet": "400-618-0001", "numbers": ["+864006180001"], "brand": b}
            for i, b in enumerate(("澜拓", "沃森", "海澈"))])
        scores = reputations(engine)
    finally:
        engine.dispose()
    assert "advertised for 3 brands" in scores["+864006180001"].reasons
