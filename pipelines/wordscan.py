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
    occurrences,
)


class Words:
    """``findall``/``search`` of one word list, as its ``alternation`` regex gives them."""

    def __init__(self, words: Iterable[str]) -> None:
        patterns = sorted(set(words))
        if any(c.lower() != c.upper() for w in patterns for c in w):
            raise ValueError("a word with a letter: case folding needs the regex")
        self._patterns = patterns
        self._auto = ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, store_patterns=True)

    def findall(self, text: str) -> list[str]:
        return self._auto.find_matches_as_strings(text) if text else []

    def search(self, text: str) -> bool:
        return bool(text) and bool(self._auto.find_matches_as_strings(text))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of the occurrences ``findall`` returns, in order."""
        words = self._patterns
        return [(start, end, words[i])
                for i, start, end in self._auto.find_matches_as_indexes(text)] if text else []

    def starts(self, text: str) -> list[int]:
        """Where the occurrences ``findall`` returns start (``m.start()`` of ``finditer``). Most
        texts hold none: the string matches tell first (the offsets cost a pass converting
        them to characters)."""
        if not text or not self._auto.find_matches_as_strings(text):
            return []
        return [start for _, start, _ in self._auto.find_matches_as_indexes(text)]


# Characters that IGNORECASE matches to an ASCII letter although they are none (İ ı ſ, the
# Kelvin sign): where one is, a word with letters may match unseen by ``str.lower``.
FOLD_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _has_letter(word: str) -> bool:
    return any(c.lower() != c.upper() for c in word)


class FoldedWords:
    """``findall`` of a list's ``alternation`` regex (case-insensitive) when few of its words
    have letters (``ICP备``, ``Q：``): where none of those can match (not in the lowered text,
    no fold trap), the regex finds what the automaton of the other words finds; elsewhere the
    regex runs."""

    def __init__(self, words: Iterable[str], regex: re.Pattern[str]) -> None:
        words = sorted(set(words))
        if any(not c.isascii() for w in words if _has_letter(w) for c in w if _has_letter(c)):
            raise ValueError("a word with a letter beyond ASCII: str.lower may not fold it as re")
        self._regex = regex
        self._plain = Words(w for w in words if not _has_letter(w))
        self._lettered = tuple(w.lower() for w in words if _has_letter(w))
        # Each lettered word's characters beyond ASCII without case (备, ：): no character lowers
        # to one of them (tests/test_wordscan.py), so the word is in the lowered text only where
        # they are in the text itself; one-character searches mostly tell, without lowering it.
        self._gates = tuple((w, tuple(c for c in w if not c.isascii() and not _has_letter(c)))
                            for w in self._lettered)

    def findall(self, text: str) -> list[str]:
        if self._lettered and any(t in text for t in FOLD_TRAPS):
            return self._regex.findall(text)
        maybe = [w for w, chars in self._gates if all(c in text for c in chars)]
        if maybe:
            low = text.lower()
            if any(w in low for w in maybe):
                return self._regex.findall(text)
        return self._plain.findall(text)


SERVICE_PROMISE_WORDS = Words(SERVICE_PROMISE)
WARNINGS = Words(WARNING_WORDS)
WEAK_WARNINGS = Words(WEAK_WARNING_WORDS)
NEWS = Words(NEWS_WORDS)
CONTENT_FARM_WORDS = Words(CONTENT_FARM)
TEMPLATES = Words(TEMPLATE_PHRASES)

# PINYIN_ANNOTATION starts with a Chinese character, so ``re`` tries it at nearly every position
# of a Chinese page. Every match starts with the character before an opening bracket, and holds
# no other opening bracket: trying the rest of the pattern at each bracket (found by
# ``str.find``, far cheaper than any regex scan) finds the same matches.
_PINYIN_FROM_BRACKET = re.compile(PINYIN_ANNOTATION.pattern[len("[\\u4e00-\\u9fff]"):])
assert PINYIN_ANNOTATION.pattern.startswith("[\\u4e00-\\u9fff][(（]")


def pinyin_annotations(text: str) -> list[str]:
    """``PINYIN_ANNOTATION.findall(text)``."""
    out = []
    for at in sorted([*occurrences(text, "("), *occurrences(text, "（")]):
        before = text[at - 1] if at else ""
        if "\u4e00" <= before <= "\u9fff" and (m := _PINYIN_FROM_BRACKET.match(text, at)):
            out.append(before + m.group())
    return out


def interleaved(text: str) -> int:
    """``len(INTERLEAVED.findall(text))``: every match holds a ``+`` or ``＋``."""
    if "+" not in text and "＋" not in text:
        return 0
    return len(INTERLEAVED.findall(text))
