"""The learned verdict: genres that look alike, numeric robustness, reasons, and the fit/load API.

Pages are synthetic (tests/verdict_pages.py, crawler/farm.py); the fit tests train on them, so
they need no labelled data."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import model as M
from pipelines.analyze import analyze, page_features
from pipelines.phones import MAX_NUMBERS
from pipelines.verdict import decide
from tests import verdict_pages as V
from triage.demo import farm

ROOT = Path(__file__).resolve().parent.parent
SPAM = ("hotline_spam", "seo_spam")
REASON = re.compile(r"^[+−]\d+\.\d ")


@pytest.mark.parametrize("name", sorted(V.LEGIT))
def test_legitimate_genres_quoting_numbers_are_clean(name):
    a = analyze(V.LEGIT[name](random.Random(7)), url="")
    assert a.verdict == "clean", a.reasons


@pytest.mark.parametrize("name", sorted(V.FAKE))
def test_fake_pages_borrowing_official_words_are_spam(name):
    a = analyze(V.FAKE[name](random.Random(7)), url="")
    assert a.verdict in SPAM, a.reasons


def test_warning_words_beside_the_number_are_not_a_warning_voice():
    f = page_features(V.fake_code_of_conduct(random.Random(1)))
    g = page_features(V.news_quote(random.Random(1)))
    assert f.warning_with_number >= 2 and f.warning_elsewhere == 0
    assert g.warning_elsewhere >= 3
    assert f.news_short >= 1 and f.news_body == 0  # a one-line "source", not a report
    assert g.news_body >= 1


def test_traditional_script_glosses_are_few_distinct_characters():
    f = page_features(V.traditional_hospital(random.Random(1)))
    assert f.trad_ratio > 0.1 and f.pinyin_hits >= 3 and f.pinyin_distinct == 1


def test_fifty_thousand_tel_links_get_a_verdict_in_reasonable_time():
    a = analyze(V.tel_flood(50_000), url="http://flood.invalid/")
    assert a.verdict in ("clean", *SPAM) and 0.0 <= a.score <= 1.0
    assert len(a.numbers) == MAX_NUMBERS  # the phone finder's cap, said in a reason
    assert any(f"{MAX_NUMBERS} or more distinct numbers" in r for r in a.reasons)


def test_scores_are_stable_for_any_count():
    base = page_features(V.fake_code_of_conduct(random.Random(2)))
    huge = dataclasses.replace(
        base,
        numbers_total=10**12,
        region_places=10**9,
        stuffing_lines=10**9,
        claim_phrases=10**9,
        warning_hits=1e300,
        service_density=1e300,
        padding_ratio=5.0,
        advertised=tuple((f"400-{i:07d}", 10**9, "shared_cost") for i in range(1000)),
    )
    verdict, score, reasons = decide(huge)
    assert verdict in ("clean", *SPAM) and 0.0 <= score <= 1.0 and reasons
    assert M.sigmoid(1e308) == 1.0 and M.sigmoid(-1e308) < 1e-300 and M.sigmoid(float("inf")) == 1.0
    assert M.sigmoid(float("nan")) == 0.5


def test_reasons_are_signed_weighted_and_name_the_number():
    rng = random.Random(5)
    page = farm.spam_page(rng, number=("400-612-7788", "+864006127788"))
    a = analyze(page.html, url="http://farm.invalid/p.html")
    assert a.verdict == "hotline_spam"
    assert all(REASON.match(r) for r in a.reasons), a.reasons
    assert any("400-6127-788 advertised" in r for r in a.reasons)
    weights = [float(r[1:].split()[0]) for r in a.reasons]
    assert weights[:5] == sorted(weights[:5], reverse=True)


def test_shipped_artefact_is_weights_only():
    raw = M.ARTEFACT.read_text(encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]", raw)  # no page text, no vocabulary of page words
    art = json.loads(raw)
    assert art["format"] == M.FORMAT and set(art["features"]) == set(M.NUMERIC)
    assert all(k in M.NUMERIC or re.fullmatch(r"#\d+", k) for k in art["spam"]["weights"])
    m = M.load(art)
    assert 0.0 < m.spam_threshold < 1.0 and m.buckets == art["hashing"]["buckets"]


def test_load_rejects_foreign_json():
    with pytest.raises(ValueError):
        M.load({"format": "something-else"})


def _seo_page(rng: random.Random) -> farm.FarmPage:
    words = rng.sample(
        ["国产精品", "一区二区", "久久精品", "在线观看", "免费视频", "欧美日韩", "成人", "午夜"], 6
    )
    title = "_".join(words)
    return farm.FarmPage(
        V.doc(title, "凯诺斯燃气灶故障代码E1怎么处理?", "燃气灶点不着火通常与电池电量有关。"),
        "seo_spam",
        "",
        (),
    )


def _farm_rows() -> list[dict]:
    rows = []
    for seed in range(24):
        random.Random(seed)
        makers = [
            (farm.spam_page, "hotline_spam"),
            (farm.official_page, "clean"),
            (farm.warning_news_page, "clean"),
            (farm.gov_notice_page, "clean"),
            (farm.shop_page, "clean"),
        ]
        make, label = makers[seed % len(makers)]
        if seed % 6 == 5:
            make, label = _seo_page, "seo_spam"
        for k in range(2):  # two pages of one operation share a group
            page = make(random.Random(seed * 10 + k))
            rows.append(
                {
                    "html": page.html,
                    "url": f"http://op{seed}.invalid/{k}.html",
                    "label": label,
                    "group": f"op{seed}",
                }
            )
    return rows


def test_fit_then_load_gives_an_engine_model_with_a_grouped_report():
    pytest.importorskip("sklearn")
    from pipelines.model_fit import Config, fit

    rows = _farm_rows()
    artefact, report = fit(rows, Config(seeds=(0,), n_splits=3))
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(artefact, ensure_ascii=False))
    cv = report["grouped_cv"]
    assert report["groups"] == 24 and len(cv["folds"]) == 3
    assert {"precision", "recall", "op_recall", "hotline_recall"} <= set(cv["summary"])
    model = M.load(artefact)
    fresh = farm.spam_page(random.Random(999))
    assert analyze(fresh.html, url="http://new.invalid/", model=model).verdict in SPAM
    assert (
        analyze(
            farm.official_page(random.Random(998)).html, url="http://n.invalid/", model=model
        ).verdict
        == "clean"
    )


def test_plain_spam_labels_count_as_spam():
    pytest.importorskip("sklearn")
    from pipelines.model_fit import figures

    f = figures(["spam", "clean", "hotline_spam"], ["seo_spam", "clean", "clean"], ["a", "b", "c"])
    assert f["tp"] == 1 and f["fn"] == 1 and f["fp"] == 0 and f["hotline_recall"] == 0.0


def test_training_script_skips_without_data(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_verdict.py"),
            "--data",
            str(tmp_path / "absent.jsonl"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.startswith("skipped:")
    assert not list(tmp_path.iterdir())


def test_a_title_stuffed_with_injected_keywords_is_spam_whatever_the_body():
    title = "久草不卡-在线观看免费视频-国产精品一区二区-投注官网"
    page = (f"<html><head><title>{title}</title></head><body><h1>学院新闻</h1>"
            "<p>本学期期末考试安排已公布,请同学们按时参加考试。</p></body></html>").encode()
    a = analyze(page, url="http://www.example-college.edu.cn/news/1.html")
    assert a.verdict in SPAM
    assert a.reasons[0].startswith("title stuffed with") and a.features["injection_title"] >= 3
    clean = analyze(page.replace(title.encode(), "学院新闻 - 期末考试安排".encode()),
                    url="http://www.example-college.edu.cn/news/1.html")
    assert clean.features["injection_title"] == 0 and not clean.reasons[0].startswith("title stuffed")


def test_site_names_that_read_as_no_word_are_measured():
    from pipelines.genre import readable_host

    assert readable_host("www.jiadianweixiu.example") == 1.0  # pinyin
    assert readable_host("shop.example") == 1.0  # too short to judge after the suffix
    assert readable_host("www.xkqzwdt.com") == 0.0  # random letters
    assert readable_host("www.icbc.com.cn") == 1.0  # a short acronym says nothing
    assert 0.0 < readable_host("www.handmsg.com") < 1.0


def test_a_full_ngram_memo_is_emptied_between_pages_not_during_one(monkeypatch) -> None:
    """The memo of n-gram weights is bounded; emptying it midway through a page lost weights
    the page had already looked up (a KeyError on long crawls)."""
    monkeypatch.setattr(M, "CACHE_LIMIT", 5)
    m = M.load()  # a fresh model: its own memo
    first = page_features(V.brand_policy(random.Random(1)))
    second = page_features(V.news_quote(random.Random(2)))
    expected = M.load().score(second.__dict__)
    m.score(first.__dict__)  # fills the memo past the limit
    got = m.score(second.__dict__)  # new n-grams: the memo is emptied first
    assert got.spam == pytest.approx(expected.spam) and got.hotline == pytest.approx(expected.hotline)
