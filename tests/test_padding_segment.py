"""The engine's own segmentation (issue 12: a cheaper engine, :mod:`pipelines.segment`) gives
exactly the content words of jieba's ``cut(..., HMM=False)`` with the shipped dictionary: on
generated page text, on random cuts of it (blocks starting and ending mid-word) and on
mixed-script strings; its dictionary is the one jieba's ``gen_pfdict`` reads from the file."""

from __future__ import annotations

import gzip
import io
import math
import random
from functools import cache
from importlib import resources
from typing import Any

import jieba

from pipelines import brand_fallback, padding, segment
from pipelines.html_text import extract_page_text
from triage.demo import farm


@cache
def _jieba() -> Any:
    tok = jieba.Tokenizer()
    raw = (resources.files("pipelines") / "data" / "jieba_100k.txt.gz").read_bytes()
    tok.FREQ, tok.total = tok.gen_pfdict(io.BytesIO(gzip.decompress(raw)))
    tok.initialized = True
    return tok


def test_dictionary_is_jiebas() -> None:
    freq, logp, logtotal = segment._dictionary()
    assert freq == _jieba().FREQ
    assert logtotal == math.log(_jieba().total)
    assert all((logp[w] < 0) == bool(f) for w, f in freq.items())


def _jieba_words(sample: str) -> frozenset[str]:
    return frozenset(w for w in _jieba().cut(sample, HMM=False)
                     if len(w) >= 2 and padding._CJK.match(w) and w not in padding._TOPIC_STOP)


def _texts(rng: random.Random) -> list[str]:
    pages = [farm.spam_page(rng, places=rng.randint(0, 60)), farm.official_page(rng),
             farm.warning_news_page(rng), farm.gov_notice_page(rng), farm.shop_page(rng)]
    return [extract_page_text(p.html).text for p in pages]


def test_route_words_are_jiebas() -> None:
    rng = random.Random(5)
    samples: list[str] = []
    for _ in range(30):
        for text in _texts(rng):
            samples.append(text)
            for _ in range(5):
                a = rng.randrange(len(text))
                samples.append(text[a : a + rng.randint(1, 200)])
    alphabet = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年ab1Z+#&._%-，。 \n\u9fd6\u9fffＡ"
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    differ = [s for s in samples if padding._segment.__wrapped__(s) != _jieba_words(s)]
    assert not differ, differ[:3]
    assert any(padding._segment.__wrapped__(s) for s in samples)  # not vacuous


def test_common_phrase_is_jiebas() -> None:
    """The brand reader's phrase test: jieba's words of a candidate, all frequent."""
    rng = random.Random(7)
    alphabet = "中国大陆市长能源动力科技服务售后维修澜拓·\u9fd6的了"
    freq = segment.word_freq()
    for _ in range(2000):
        cand = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8)))
        words = _jieba().lcut(cand, HMM=False)
        want = len(words) >= 2 and all(len(w) >= 2 and freq.get(w, 0) >= 500 for w in words)
        assert brand_fallback._common_phrase(cand) == want, cand
