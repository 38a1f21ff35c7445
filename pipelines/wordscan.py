"""The lexicon's word lists matched by automaton (issue 12: a cheaper engine).

:func:`pipelines.lexicon.alternation` compiles a list into a regex alternation, longest words
first; ``findall`` with it returns the leftmost-longest non-overlapping occurrences. An
Aho-Corasick automaton with leftmost-longest matching returns the same occurrences in one pass
over the text, three to six times faster on page text, and for a list without letters (no case
to fold) the matched strings are the words themselves. Lists with ASCII letters keep their
regex (it folds case; the automaton would return lower-case words). tests/test_wordscan.py
checks both against the regexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick_rs

from pipelines.lexicon import (
    CONTENT_FARM,
    INTERLEAVED,
    NEWS_WORDS,
    PINYIN_ANNOTATION,
    SERVICE_PROMISE,
    TEMPLATE_PHRASES,
    WARNING_WORDS,
    WEAK_WARNING_WORDS,
)


class Words:
    """``findall``/``search`` of one word list, as its ``alternation`` regex gives them."""

    def __init__(self, words: Iterable[str]) -> None:
        patterns = sorted(set(words))
        if any(c.lower() != c.upper() for w in patterns for c in w):
            raise ValueError("a word with a letter: case folding needs the regex")
        self._auto = ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, store_patterns=True)

    def findall(self, text: str) -> list[str]:
        return self._auto.find_matches_as_strings(text) if text else []

    def search(self, text: str) -> bool:
        return bool(text) and bool(self._auto.find_matches_as_strings(text))


SERVICE_PROMISE_WORDS = Words(SERVICE_PROMISE)
WARNINGS = Words(WARNING_WORDS)
WEAK_WARNINGS = Words(WEAK_WARNING_WORDS)
NEWS = Words(NEWS_WORDS)
CONTENT_FARM_WORDS = Words(CONTENT_FARM)
TEMPLATES = Words(TEMPLATE_PHRASES)

# PINYIN_ANNOTATION starts with a Chinese character, so ``re`` tries it at nearly every position
# of a Chinese page. Its matches cannot overlap (after the first character only brackets and
# Latin letters follow), so starting at the bracket, with the character looked behind, finds
# the same matches at rare positions.
_PINYIN_AT_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])" + PINYIN_ANNOTATION.pattern[len(
    "[\\u4e00-\\u9fff]"):])
assert PINYIN_ANNOTATION.pattern.startswith("[\\u4e00-\\u9fff][(（]")


def pinyin_annotations(text: str) -> list[str]:
    """``PINYIN_ANNOTATION.findall(text)``."""
    if "(" not in text and "（" not in text:
        return []
    return [text[m.start() - 1] + m.group() for m in _PINYIN_AT_BRACKET.finditer(text)]


def interleaved(text: str) -> int:
    """``len(INTERLEAVED.findall(text))``: every match holds a ``+`` or ``＋``."""
    if "+" not in text and "＋" not in text:
        return 0
    return len(INTERLEAVED.findall(text))
