"""Chinese word segmentation as jieba does it without HMM, on the shipped 100k dictionary.

The engine segments only to compare vocabularies (:mod:`pipelines.padding`) and to tell a
phrase of common words from a name (:mod:`pipelines.brands`). Doing it here, on the dictionary
of ``scripts/build_jieba_dict.py`` (its words, then their prefixes with frequency 0), costs a
few C-level steps to load instead of importing jieba and its per-line ``gen_pfdict`` (a fifth
of a second of every process's start-up), and each route step reads a log-probability
computed once. The words are jieba's: tests/test_padding_segment.py checks them against
``jieba.Tokenizer.cut(..., HMM=False)`` on the same file.
"""

from __future__ import annotations

import gzip
import math
import re
from functools import lru_cache
from importlib import resources

__all__ = ["HAN", "route_words", "word_freq"]

_DATA = "jieba_100k.txt.gz"
# jieba's ``re_han_default``: the runs it segments with the dictionary (the rest is cut into
# single characters, which are never content words).
HAN = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+")
_PREFIX_ONLY = 1.0  # log-probability slot of a prefix that is no word (real ones are < 0)
# Blocks remembered between calls (farm pages paste the same article sentences).
_MEMO_MAX = 20_000


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], dict[str, float], float]:
    """(word and prefix -> frequency, the same -> log-probability or ``_PREFIX_ONLY``,
    log of the total), as jieba's ``gen_pfdict`` and ``calc`` read the file."""
    raw = gzip.decompress(resources.files("pipelines").joinpath("data", _DATA).read_bytes())
    tokens = raw.decode("utf-8").replace("\n", " ").split(" ")
    tokens.pop()  # after the last newline
    words, counts = tokens[0::2], list(map(int, tokens[1::2]))
    freq = dict(zip(words, counts, strict=True))
    logtotal = math.log(sum(counts))
    real = counts.index(0) if 0 in counts else len(counts)  # the words, then bare prefixes
    if any(counts[real:]):
        raise RuntimeError(f"pipelines/data/{_DATA}: rebuild it with scripts/build_jieba_dict.py")
    logp = dict.fromkeys(words[real:], _PREFIX_ONLY)
    # log(f) - logtotal, exactly as jieba computes it for each route step.
    logp.update(zip(words[:real], map(logtotal.__rsub__, map(math.log, counts[:real])),
                    strict=True))
    return freq, logp, logtotal


def word_freq() -> dict[str, int]:
    """Word -> frequency in the shipped dictionary (0 for a prefix that is no word)."""
    return _dictionary()[0]


_memo: dict[str, list[str]] = {}


def route_words(sample: str) -> list[str]:
    """The words of jieba's ``cut(sample, HMM=False)`` in each run of :data:`HAN` (what lies
    between runs is cut into single characters; jieba's buffering of single Latin letters
    inside a run cannot make a word of two characters or more out of Chinese)."""
    out: list[str] = []
    for blk in HAN.findall(sample):
        words = _memo.get(blk)
        if words is None:
            if len(_memo) >= _MEMO_MAX:
                _memo.clear()
            words = _memo[blk] = _block_words(blk)
        out += words
    return out


def _block_words(blk: str) -> list[str]:
    """The best route through one run: one backward pass does what jieba's ``get_DAG`` and
    ``calc`` do in two, with the same arithmetic and the same tie-break (the longer word)."""
    _, logp, logtotal = _dictionary()
    get = logp.get
    n = len(blk)
    prob = [0.0] * (n + 1)
    end = list(range(n + 1))
    for idx in range(n - 1, -1, -1):
        best_p, best_x = 0.0, -1
        i = idx
        lp = get(blk[idx])
        while lp is not None:  # a prefix of some word: longer words may start here
            if lp < 0.0:  # a word
                p = lp + prob[i + 1]
                if best_x < 0 or p >= best_p:  # equal: the later end wins, as max() does
                    best_p, best_x = p, i
            i += 1
            if i == n:
                break
            lp = get(blk[idx : i + 1])
        if best_x < 0:  # no word starts here: the character alone (frequency 1, log 0)
            best_p, best_x = -logtotal + prob[idx + 1], idx
        prob[idx], end[idx] = best_p, best_x
    words = []
    x = 0
    while x < n:
        y = end[x] + 1
        words.append(blk[x:y])
        x = y
    return words
