"""Issue 12 (a cheaper engine): the faster spellings of engine steps give what the plain ones
give, on random strings over the characters that matter to each."""

from __future__ import annotations

import random
import re

import pytest

from pipelines import brands, model, places, regions
from pipelines.padding import Line, _coverage, hit_lines, lines_with, split_lines
from pipelines.types import PhoneHit

# The forms the engine used before (issue 12 rewrote them for speed).
CLAUSE_SPLIT = re.compile(r"[,，。.!！?？;；:：、|()（）【】\[\]《》<>\"“”'‘’/_>\n\t—–]+|-{1,}|\s{2,}")
REGION_SPLIT = re.compile("([" + regions._SEPS.replace(r"\s", re.escape(regions._WHITESPACE)) + "]+)")
DIGITS = re.compile("[0-9０-９]")


def _strings(alphabet: str, n: int, seed: int, longest: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_clause_and_region_splits_match_the_plain_patterns() -> None:
    alphabet = ",，。.!！?？;；:：、|()（）【】[]《》<>\"“”'‘’/_>\n\t—–- \u3000\xa0\u2028ab中文1"
    for s in _strings(alphabet, 30_000, 1):
        assert brands._CLAUSE_SPLIT.split(s) == CLAUSE_SPLIT.split(s), repr(s)
        assert regions._SPLIT.split(s) == REGION_SPLIT.split(s), repr(s)


def test_fold_matches_the_digit_regex() -> None:
    for s in _strings("0123456789０１２３４５６７８９aB中Ｚ ΣİK", 30_000, 2):
        assert model.fold(s) == DIGITS.sub("0", s.lower()), repr(s)


def test_bigram_code_set_holds_every_bigram_of_the_string() -> None:
    for s in _strings("ab中文0１ 𠀀", 5_000, 3):
        codes = model.bigram_code_set(s)
        assert {model.bigram(c) for c in codes} == {s[i:i + 2] for i in range(len(s) - 1)}


def test_split_lines_gives_the_non_empty_lines() -> None:
    for s in _strings("ab\n中 ", 20_000, 4):
        want = [Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", s)]
        got = split_lines(s)
        assert got == want and all(type(x) is Line for x in got)


def test_hit_lines_is_what_coverage_says_of_each_line() -> None:
    rng = random.Random(5)
    for _ in range(5_000):
        text = "".join(rng.choice("ab\n") for _ in range(rng.randint(1, 40)))
        lines = split_lines(text)
        hits = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(len(text))
            hits.append(PhoneHit(start, min(len(text), start + rng.randint(1, 8)), "", "", False))
        hits.sort(key=lambda h: h.start)
        covered = _coverage(hits)
        want = {i for i, ln in enumerate(lines) if covered(ln.start, ln.end)}
        assert hit_lines(lines, hits) == want
        overlap = [i for i, ln in enumerate(lines)
                   if any(h.start < ln.end and ln.start < h.end for h in hits)]
        assert lines_with(lines, hits) == overlap


def _place_texts(n: int, seed: int) -> list[str]:
    """Strings of division names (whole or cut), separators and the characters names hold."""
    from pipelines.gazetteer import load

    rng = random.Random(seed)
    names = sorted(load().names)
    glue = [*"、，,; \n()（）-〇0a1·。", *[""] * 12]
    return ["".join(rng.choice(names)[rng.randint(0, 1):] + rng.choice(glue)
                    for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_place_spans_by_pieces_are_one_scan_of_the_text() -> None:
    """place_spans cuts the text at separators and remembers each piece's spans: the same
    spans as one scan of the whole text, whether the pieces are new or remembered."""
    texts = _place_texts(4_000, 6)
    places._PLACE_MEMO.clear()
    places._PLACE_MEMO[""] = ()
    for _ in range(2):  # new pieces, then remembered ones
        for s in texts:
            assert places.place_spans(s) == places._scan_places(s), repr(s)


def test_no_usable_name_holds_a_place_separator() -> None:
    from pipelines.gazetteer import TOWN, load

    split = places._place_split()
    for name, (_mask, kind) in load().names.items():
        if kind <= TOWN:
            assert split.split(name) == [name], name


def test_signed_pages_are_what_the_single_scan_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored place spans and template signatures of farm pages (places from a few dozen
    items, so remembered) are those of the old path, one scan of each text."""
    from pipelines.analyze import analyze
    from pipelines.templates import sign_page
    from triage.demo.farm import spam_page

    rng = random.Random(8)
    pages = [analyze(spam_page(rng, places=rng.randint(20, 300)).html) for _ in range(12)]
    got = [sign_page(a) for a in pages]
    monkeypatch.setattr("pipelines.templates.place_spans", places._scan_places)
    want = [sign_page(a) for a in pages]
    assert [(a.places, a.minhash) for a in got] == [(a.places, a.minhash) for a in want]
    assert all(a.places for a in got)


def _claim_lines_by_search(text: str) -> tuple[tuple[int, int], ...]:
    """claim_lines as it was: one CLAIM_TAIL search from the end of each claim line."""
    from pipelines.brand_names import CLAIM_TAIL

    out, pos = [], 0
    while (m := CLAIM_TAIL.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end + 1
    return tuple(out)


def test_claim_lines_and_pinyin_as_their_regexes() -> None:
    from pipelines import brand_names

    pieces = ["售后", "客服", "热线", "电话", "网点", "服务中心", "维修中心", "维修点", "号码", "400",
              "800", "40", "维修", "服务", "(", "（", "ài", ")",
              "）", "a", "中", "\n", "，", "。", " "]
    rng = random.Random(9)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    found = {"claims": 0, "pinyin": 0}
    for s in texts:
        lines = brand_names.claim_lines.__wrapped__(s)
        assert lines == _claim_lines_by_search(s), repr(s)
        pinyin = brand_names._has_pinyin(s)
        assert pinyin == bool(brand_names._PINYIN.search(s)), repr(s)
        found["claims"] += bool(lines)
        found["pinyin"] += pinyin
    assert min(found.values()) > 100  # each side of each test is exercised


def test_identifier_literal_test_is_substring_membership() -> None:
    from pipelines.identifiers import _in

    lits = ["企鹅", "v信", "微 信", "公网安备", "信v信"]
    hits = 0
    for s in _strings("企鹅v信微 公网安备a", 20_000, 11, longest=30):
        for lit in lits:
            got = _in(lit, s)
            assert got == (lit in s), (lit, s)
            hits += got
    assert hits > 1000


def test_region_groups_split_at_sentence_ends_as_a_search_of_their_span() -> None:
    from itertools import accumulate

    rng = random.Random(12)
    splits = 0
    for s in _strings("、，。！? 北京上海中文\n", 5_000, 13, longest=40):
        parts = regions._SPLIT.split(s)
        offsets = list(accumulate(map(len, parts), initial=0))
        items, seps = parts[0::2], parts[1::2]
        if len(items) < 2:
            continue
        a = rng.randrange(len(items) - 1)
        b = rng.randrange(a, len(items))
        spans = regions._unbroken(a, b, seps)
        broken = a != b and regions._BREAK.search(s, offsets[2 * a + 1], offsets[2 * b]) is not None
        assert (spans != [(a, b)]) == broken, repr(s)
        splits += broken
    assert splits > 100


def test_valid_kind_is_validity_then_kind() -> None:
    import phonenumbers

    from pipelines.phones import numbers

    rng = random.Random(14)
    valid = 0
    for _ in range(3_000):
        cc = rng.choice([86, 86, 1, 44, 852, 800, 886])
        num = phonenumbers.PhoneNumber(country_code=cc, national_number=rng.randrange(10**6, 10**11))
        want = numbers._kind(num) if phonenumbers.is_valid_number(num) else None
        assert numbers._valid_kind(num) == want, num
        valid += want is not None
    assert valid > 100
