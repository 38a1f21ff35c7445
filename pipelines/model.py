"""The learned verdict: a page's features as a vector, scored by shipped logistic weights.

Inference is pure Python over a JSON artefact (``pipelines/data/verdict_model.json``, written by
``scripts/train_verdict.py`` through :mod:`pipelines.model_fit`): weights for named numeric
features (counts log-scaled, ratios clipped, so no page can push a value out of range) and for
hashed character n-grams of the title and of the lines that present a number or claim a service.
Two linear models: spam vs clean, and among spam, hotline_spam vs seo_spam. Each contribution
``weight * value`` is a reason a reviewer can read.
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from array import array
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipelines.model_features import ABSENT, NUMERIC

ARTEFACT = Path(__file__).resolve().parent / "data" / "verdict_model.json"
FORMAT = "hotline-triage/verdict-model/1"


def sigmoid(z: float) -> float:
    """Logistic function that never overflows, for any finite or infinite z (NaN: 0.5)."""
    if z != z:
        return 0.5
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-min(z, 700.0)))
    e = math.exp(max(z, -700.0))
    return e / (1.0 + e)


FIELDS = {
    "t": ("title_text", "title wording"),
    "c": ("claim_text", "wording of the lines that present a number"),
    "b": ("body_text", "wording of the page"),
    "u": ("url_text", "address"),
}




def bucket(field: str, gram: str, buckets: int) -> int:
    """Stable hash bucket of one n-gram of one field (crc32: the same in every process)."""
    return zlib.crc32(f"{field}\x1f{gram}".encode()) % buckets


_NONZERO_DIGITS = "123456789１２３４５６７８９０"


def fold(text: str) -> str:
    """The text as the n-grams read it: lower case, every digit 0 (numbers differ per page)."""
    # ``_DIGITS.sub("0", ...)``: a replace per digit that is there is a plain C scan each, where
    # the regex costs a step per digit replaced.
    s = text.lower()
    for d in _NONZERO_DIGITS:
        if d in s:
            s = s.replace(d, "0")
    return s


def ngrams(text: str, sizes: tuple[int, ...]) -> set[str]:
    """Distinct character n-grams of a short text, digits folded to 0 (numbers differ per page)."""
    s = fold(text)
    if sizes == (2,):
        return {s[i : i + 2] for i in range(len(s) - 1)}
    return {s[i : i + n] for n in sizes for i in range(len(s) - n + 1)}


def bigram_codes(s: str) -> list[int]:
    """The distinct character bigrams of ``s`` as ``ord(a) << 32 | ord(b)``, sorted: the order
    of ``sorted(bigrams)`` (strings compare by code point), computed in C over UTF-32 words
    instead of one string per bigram. :func:`bigram` turns a code back into its string."""
    return sorted(bigram_code_set(s))


def bigram_code_set(s: str) -> set[int]:
    """:func:`bigram_codes` unsorted (the sums over them are exactly rounded: order-free)."""
    if len(s) < 2:
        return set()
    raw = s.encode("utf-32-be")
    even, odd = array("Q"), array("Q")
    even.frombytes(raw[: len(raw) // 8 * 8])
    odd.frombytes(raw[4 : 4 + (len(raw) - 4) // 8 * 8])
    if sys.byteorder == "little":
        even.byteswap()
        odd.byteswap()
    codes = set(even)
    codes.update(odd)
    return codes


def bigram(code: int) -> str:
    return chr(code >> 32) + chr(code & 0xFFFFFFFF)


def numeric(f: Mapping[str, Any]) -> dict[str, Any]:
    """The named numeric features of a page (log-scaled counts, clipped ratios)."""
    return {name: get(f) for name, (get, _) in NUMERIC.items()}


def vectorize(
    f: Mapping[str, Any],
    buckets: int,
    sizes: tuple[int, ...],
    scale: float = 1.0,
    fields: tuple[str, ...] = tuple(FIELDS),
    field_sizes: Mapping[str, tuple[int, ...]] | None = None,
) -> tuple[dict[str, float], dict[int, list[str]]]:
    """Numeric features by name, and hashed n-gram features as ``'#<bucket>'`` keys (values
    scale/sqrt(n) per field, so a long field weighs as much as a short one): the training view.
    Also returns which n-grams of the page fell into each bucket."""
    vec = numeric(f)
    grams: dict[int, list[str]] = {}
    for key in fields:
        gs = ngrams(str(f.get(FIELDS[key][0]) or ""), (field_sizes or {}).get(key, sizes))
        if not gs:
            continue
        w = scale / math.sqrt(len(gs))
        for g in gs:
            b = bucket(key, g, buckets)
            vec[f"#{b}"] = vec.get(f"#{b}", 0.0) + w
            grams.setdefault(b, []).append(f"{key}:{g}")
    return vec, grams


@dataclass(frozen=True)
class Linear:
    """One logistic model with Platt calibration: p = sigmoid(a * (b0 + w.(x - mean)) + c).

    ``intercept`` is the score of the average training page, so each contribution says how far
    this page's value moves it from there (absent n-grams weigh nothing)."""

    intercept: float
    weights: dict[str, float]
    platt: tuple[float, float] = (1.0, 0.0)
    mean: dict[str, float] = field(default_factory=dict)

    def contributions(self, vec: Mapping[str, float]) -> dict[str, float]:
        w, mu = self.weights, self.mean
        return {k: w[k] * (v - mu.get(k, 0.0)) for k, v in vec.items() if k in w and v is not None}

    def probability(self, contrib: Mapping[str, float]) -> float:
        z = self.intercept + math.fsum(contrib.values())
        a, c = self.platt
        return sigmoid(a * z + c)


@dataclass(frozen=True)
class Scored:
    """Contributions of one page to each model (feature name or n-gram field -> weight * value)."""

    spam: dict[str, float]
    hotline: dict[str, float]
    grams: dict[str, list[tuple[float, str]]]
    values: dict[str, Any] = field(default_factory=dict)  # the numeric features (numeric())


CACHE_LIMIT = 200_000  # memoised n-gram weights per field (a long crawl sees millions)


@dataclass(frozen=True)
class Model:
    """The shipped artefact, loaded: two linear models, thresholds and the hashing config."""

    spam: Linear
    hotline: Linear
    spam_threshold: float
    hotline_threshold: float
    buckets: int
    sizes: tuple[int, ...]
    meta: dict[str, Any]
    scale: float = 1.0
    fields: tuple[str, ...] = tuple(FIELDS)
    field_sizes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _cache: dict[str, dict[Any, float]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _miss(self, key: str, gram: int | str) -> float:
        """The spam weight of one n-gram (a :func:`bigram_codes` code or the string), its
        hotline weight memoised beside it, per field: crawls see the same again."""
        spam, hotline = self._cache[key], self._cache[key + "/h"]
        text = bigram(gram) if isinstance(gram, int) else gram
        b = f"#{bucket(key, text, self.buckets)}"
        hotline[gram] = self.hotline.weights.get(b, 0.0)
        w = spam[gram] = self.spam.weights.get(b, 0.0)
        return w

    def score(self, f: Mapping[str, Any]) -> Scored:
        """Both models' contributions for one page: numeric features by name, n-gram fields by
        field key (with the page's strongest n-grams of each field, for the reasons)."""
        vec = numeric(f)
        cs = self.spam.contributions(vec)
        ch = self.hotline.contributions(vec)
        top: dict[str, list[tuple[float, str]]] = {}
        for key in self.fields:
            raw = str(f.get(FIELDS[key][0]) or "")
            sizes = self.field_sizes.get(key, self.sizes)
            # The sums are exactly rounded (fsum), so the n-grams' order does not count: bigram
            # codes are taken as their set gives them (ints: the same order in every process).
            order: Collection[Any] = (bigram_code_set(fold(raw)) if sizes == (2,)
                                      else sorted(ngrams(raw, sizes)))
            if not order:
                continue
            v = self.scale / math.sqrt(len(order))
            memo, hot = self._cache.setdefault(key, {}), self._cache.setdefault(key + "/h", {})
            if len(memo) > CACHE_LIMIT:  # emptied before the page's look-ups, never during them
                memo.clear()
                hot.clear()
            ws: list[Any] = list(map(memo.get, order))
            try:
                ts = math.fsum(ws)
            except TypeError:  # a None: n-grams not looked up yet (no scan for them otherwise)
                ws = [self._miss(key, g) if w is None else w for g, w in zip(order, ws, strict=True)]
                ts = math.fsum(ws)
            th = math.fsum(map(hot.__getitem__, order))
            cut = 0.05 / v
            strong = [(w * v, bigram(g) if isinstance(g, int) else g)
                      for g, w in zip(order, ws, strict=True) if w > cut or w < -cut]
            cs[key], ch[key], top[key] = ts * v, th * v, strong
        return Scored(cs, ch, top, vec)


def _linear(d: Mapping[str, Any]) -> Linear:
    return Linear(
        float(d["intercept"]),
        {str(k): float(v) for k, v in d["weights"].items()},
        tuple(map(float, d.get("platt", (1.0, 0.0)))),  # type: ignore[arg-type]
        {str(k): float(v) for k, v in d.get("mean", {}).items()},
    )


def load(artefact: Mapping[str, Any] | str | Path | None = None) -> Model:
    """A :class:`Model` from an artefact dict, a JSON file, or the shipped file (None; read as
    package data, so it loads from an installed egg or wheel too)."""
    if artefact is None:
        raw = (resources.files("pipelines") / "data" / ARTEFACT.name).read_text(encoding="utf-8")
        artefact = json.loads(raw)
    elif isinstance(artefact, (str, Path)):
        artefact = json.loads(Path(artefact).read_text(encoding="utf-8"))
    assert isinstance(artefact, Mapping)
    if artefact.get("format") != FORMAT:
        raise ValueError(f"not a verdict model artefact ({artefact.get('format')!r})")
    h = artefact["hashing"]
    return Model(
        _linear(artefact["spam"]),
        _linear(artefact["hotline"]),
        float(artefact["thresholds"]["spam"]),
        float(artefact["thresholds"]["hotline"]),
        int(h["buckets"]),
        tuple(int(n) for n in h["ngram_sizes"]),
        {k: v for k, v in artefact.items() if k in ("created", "data_sha256", "rows", "version")},
        float(h.get("scale", 1.0)),
        tuple(h.get("field_keys", FIELDS)) if h.get("enabled", True) else (),
        {str(k): tuple(int(n) for n in v) for k, v in h.get("field_sizes", {}).items()},
    )


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model in pipelines/data, loaded once per process."""
    return load(None)


ALWAYS = (
    "advertised_paid",
    "advertised_mobile",
    "advertised_other",
)  # the number a reviewer acts on


def reasons(
    f: Mapping[str, Any],
    contrib: Mapping[str, float],
    grams: Mapping[str, list[tuple[float, str]]],
    limit: int = 12,
    floor: float = 0.05,
    values: Mapping[str, Any] | None = None,
) -> list[str]:
    """The page's largest contributions, signed ('+' towards spam, '−' towards clean), worded;
    features worded alike are summed; the advertised number is always listed. ``values``: the
    page's :func:`numeric` features when already computed (``Scored.values``)."""
    merged: dict[str, float] = {}
    keep: set[str] = set()
    value = values.__getitem__ if values is not None else (lambda k: NUMERIC[k][0](f))
    for k, c in contrib.items():
        if k in FIELDS:
            same = sorted((g for g in grams.get(k, ()) if g[0] * c > 0), key=lambda g: (-abs(g[0]), g[1]))[
                :3
            ]
            text = FIELDS[k][1] + (f" ({', '.join(repr(g) for _, g in same)})" if same else "")
        elif not value(k):
            # An absent feature: its weight is what the page lacks compared with the average page.
            text = f"no {ABSENT.get(k, k.replace('_', ' '))}"
        else:
            text = NUMERIC[k][1](f)
            if k in ALWAYS:
                keep.add(text)
        merged[text] = merged.get(text, 0.0) + c
    ranked = sorted(merged.items(), key=lambda x: -abs(x[1]))
    shown = [
        (t, c) for i, (t, c) in enumerate(ranked) if (i < limit and abs(c) >= floor) or t in keep
    ]
    return [f"{'+' if c >= 0 else '−'}{abs(c):.1f} {t}" for t, c in shown]
