"""The automaton matchers (pipelines/wordscan.py) give what the lexicon's regexes give, on
generated page text, random cuts of it and strings built from the words themselves (adjacent,
overlapping and nested words, where leftmost-longest matching decides)."""

from __future__ import annotations

import random

import pytest

from pipelines import lexicon, wordscan
from pipelines.html_text import extract_page_text
from tests import verdict_pages as vp
from triage.demo import farm

LISTS = [
    (wordscan.SERVICE_PROMISE_WORDS, lexicon.SERVICE_PROMISE_RE, lexicon.SERVICE_PROMISE),
    (wordscan.WARNINGS, lexicon.WARNING_RE, lexicon.WARNING_WORDS),
    (wordscan.WEAK_WARNINGS, lexicon.WEAK_WARNING_RE, lexicon.WEAK_WARNING_WORDS),
    (wordscan.NEWS, lexicon.NEWS_RE, lexicon.NEWS_WORDS),
    (wordscan.CONTENT_FARM_WORDS, lexicon.CONTENT_FARM_RE, lexicon.CONTENT_FARM),
    (wordscan.TEMPLATES, lexicon.TEMPLATE_RE, lexicon.TEMPLATE_PHRASES),
]


def _samples(words: tuple[str, ...] | list[str]) -> list[str]:
    rng = random.Random(9)
    texts = [extract_page_text(p.html).text for p in (
        farm.spam_page(rng), farm.official_page(rng), farm.warning_news_page(rng))]
    texts += [extract_page_text(vp.news_quote(rng)).text, extract_page_text(vp.traditional_hospital(rng)).text]
    out = list(texts)
    for t in texts:
        out += [t[a : a + rng.randint(1, 300)] for a in (rng.randrange(len(t)) for _ in range(20))]
    pieces = [*words, *(w[: len(w) // 2 + 1] for w in words), *(w[len(w) // 2 :] for w in words),
              "的", "。", "\n", "(ní)", "中(hǎo)", "甲+乙+丙", "丁＋戊＋己＋庚"]
    out += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(500)]
    return out


@pytest.mark.parametrize(("words", "regex", "source"), LISTS)
def test_words_find_what_the_regex_finds(words: wordscan.Words, regex: object, source: tuple[str, ...]) -> None:
    samples = _samples(source)
    assert [words.findall(s) for s in samples] == [regex.findall(s) for s in samples]  # type: ignore[attr-defined]
    assert [words.search(s) for s in samples] == [bool(regex.search(s)) for s in samples]  # type: ignore[attr-defined]
    assert sum(map(bool, map(words.findall, samples))) > 50  # not vacuous


def test_pinyin_and_interleaved_as_the_regexes() -> None:
    samples = _samples(["中(hǎo)", "文（wén）", "(", "（", "好)", "+", "＋", "甲+乙", "乙+丙+丁"])
    assert [wordscan.pinyin_annotations(s) for s in samples] == [
        lexicon.PINYIN_ANNOTATION.findall(s) for s in samples]
    assert [wordscan.interleaved(s) for s in samples] == [
        len(lexicon.INTERLEAVED.findall(s)) for s in samples]
    assert any(wordscan.pinyin_annotations(s) for s in samples)
    assert any(wordscan.interleaved(s) for s in samples)


def test_a_list_with_letters_is_refused() -> None:
    with pytest.raises(ValueError, match="case folding"):
        wordscan.Words(["QQ群", "客服"])


def test_starts_are_the_regex_match_starts() -> None:
    samples = _samples(lexicon.NEWS_WORDS)
    assert [wordscan.NEWS.starts(s) for s in samples] == [
        [m.start() for m in lexicon.NEWS_RE.finditer(s)] for s in samples]


@pytest.mark.parametrize(("words", "regex"), [(lexicon.NOTICE_WORDS, lexicon.NOTICE_RE),
                                              (lexicon.QA_WORDS, lexicon.QA_RE)])
def test_folded_words_find_what_the_regex_finds(words: list[str], regex: object) -> None:
    """Lists with a few words with letters (ICP备, Q：): the automaton where those cannot match,
    the regex where they can, in any case, or where a fold trap (İ ı ſ K) is."""
    folded = wordscan.FoldedWords(words, regex)  # type: ignore[arg-type]
    extra = ["icp", "Icp备", "ICP备案号", "q：", "A：", "İCP备", "ıcp备", "\u212a", "ſ"]
    samples = _samples([*words, *extra])
    assert [folded.findall(s) for s in samples] == [regex.findall(s) for s in samples]  # type: ignore[attr-defined]
    assert sum(map(bool, map(folded.findall, samples))) > 50


def test_fold_traps_are_every_character_folding_to_an_ascii_letter() -> None:
    import re
    import sys

    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
             and letter.fullmatch(chr(c))}
    assert found == set(wordscan.FOLD_TRAPS)


def test_no_character_lowers_to_a_folded_words_gate() -> None:
    """FoldedWords looks for a lettered word's caseless characters (备, ：) in the text itself:
    right only if no other character's lower case holds one of them."""
    import sys

    from pipelines.genre import _NOTICE, _QA

    gates = {c for folded in (_NOTICE, _QA) for _, chars in folded._gates for c in chars}
    assert gates >= {"备", "："}
    lowered_into = {chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
                    and chr(c) not in gates and not gates.isdisjoint(chr(c).lower())}
    assert lowered_into == set()


def test_gated_regexes_find_what_the_regex_finds() -> None:
    from pipelines.hacked import injected_lines

    samples = _samples(["400-XXX", "800 ***", "400＊＊＊", "x", "\n,", "\n ，", "甲,\n乙\n,丙"])
    gated = lexicon.PLACEHOLDER_NUMBER
    assert [gated.findall(s) for s in samples] == [gated.pattern.findall(s) for s in samples]
    assert any(gated.findall(s) for s in samples)

    def ungated(text: str) -> int:
        lines = [s for s in (s.strip() for s in text.split("\n")) if s]
        return sum(1 for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)
                   if a[-1] in ",，" and len(b) <= 12 and c[0] in ",，")
    assert [injected_lines(s) for s in samples] == [ungated(s) for s in samples]
