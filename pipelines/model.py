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
from importlib import resources
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

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


def _log(v: float) -> float:
    return math.log1p(max(0.0, min(float(v), 1e9)))


def _clip(v: float, hi: float) -> float:
    return max(0.0, min(float(v), hi))


# Numeric features: name -> (value from the features dict, reason template with {v} and the page's
# own facts). Counts are log1p-scaled and clipped, so 50,000 numbers weigh like a few dozen.
def _top(f: Mapping[str, Any]) -> tuple[str, int, str]:
    ads = f.get("advertised") or ()
    return max(ads, key=lambda a: a[1]) if ads else ("", 0, "")


def _url(f: Mapping[str, Any], value: float) -> float | None:
    """An address feature, or None (weighs nothing) for a page analysed without its URL."""
    return value if f.get("url_text") else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_PAID = ("shared_cost", "toll_free")


def _advertised(f: Mapping[str, Any], kind: str) -> str:
    shown, n, _ = _top(f)
    return f"{shown} advertised{kind}" + (f", number repeated {n} times" if n > 1 else ", once")
NUMERIC: dict[str, tuple[Callable[[Mapping[str, Any]], float | None], Callable[[Mapping[str, Any]], str]]] = {
    "advertised_paid": (lambda f: float(_top(f)[2] in _PAID), lambda f: _advertised(f, " (a 400/800 number)")),
    "advertised_mobile": (lambda f: float(_top(f)[2] == "mobile"), lambda f: _advertised(f, " (a mobile)")),
    "advertised_other": (lambda f: float(bool(f.get("advertised")) and _top(f)[2] not in _PAID + ("mobile",)),
                         lambda f: _advertised(f, "")),
    "repeat": (lambda f: _log(_top(f)[1]), lambda f: f"number repeated {_top(f)[1]} times"),
    "advertised_distinct": (lambda f: _log(len(f.get("advertised") or ())),
                            lambda f: f"{len(f['advertised'])} different advertised numbers"),
    "numbers_total": (lambda f: _log(f["numbers_total"]), lambda f: _plural(int(f["numbers_total"]), "number")),
    "short_codes": (lambda f: _log(f["short_codes"]), lambda f: f"{f['short_codes']} official short service codes"),
    "brand_claims": (lambda f: _log(f["brand_claims"]),
                     lambda f: f"{f['brand_claims']} service claims for {f.get('brand') or 'a brand'}"),
    "title_claim": (lambda f: float(f["title_claim"]),
                    lambda f: f"title claims after-sales service for {f.get('brand') or 'a brand'}"),
    "claim_phrases": (lambda f: _log(f["claim_phrases"]), lambda f: f"{f['claim_phrases']} hotline claim phrases"),
    "template_phrases": (lambda f: _log(f["template_phrases"]), lambda f: f"{f['template_phrases']} template phrases"),
    "region_places": (lambda f: _log(f["region_places"]), lambda f: f"list of {f['region_places']} places"),
    "filler_chars": (lambda f: _log(f["filler_chars"] / 50),
                     lambda f: f"{f['filler_chars']} characters of service-promise filler"),
    "stuffing_lines": (lambda f: _log(f["stuffing_lines"]), lambda f: f"{f['stuffing_lines']} keyword-stuffed lines"),
    "scraped_chars": (lambda f: _log(f["scraped_chars"] / 100),
                      lambda f: f"unrelated article of {f['scraped_chars']} characters"),
    "padding_ratio": (lambda f: _clip(f["padding_ratio"], 1.0), lambda f: f"{f['padding_ratio']:.0%} of the text is padding"),
    "warning_hits": (lambda f: _log(f["warning_hits"]),
                     lambda f: f"news or scam-warning context ({f['warning_hits']:.0f} warning words)"),
    "warning_with_number": (lambda f: _log(f["warning_with_number"]),
                            lambda f: f"{f['warning_with_number']:.0f} warning words beside the advertised number"),
    "warning_elsewhere": (lambda f: _log(f["warning_elsewhere"]),
                          lambda f: f"scam-warning voice ({f['warning_elsewhere']:.0f} warning words away from numbers)"),
    "news_hits": (lambda f: _log(f["news_hits"]), lambda f: f"{f['news_hits']} news or official-notice words"),
    "news_body": (lambda f: _log(f["news_body"]), lambda f: f"news reporting in body sentences ({f['news_body']:.0f})"),
    "news_short": (lambda f: _log(f["news_short"]), lambda f: f"news names only in short lines ({f['news_short']:.0f})"),
    "notice_markers": (lambda f: _log(f["notice_markers"]), lambda f: f"official-notice structure ({f['notice_markers']:.0f} markers)"),
    "qa_markers": (lambda f: _log(f["qa_markers"]), lambda f: f"question-and-answer structure ({f['qa_markers']:.0f} markers)"),
    "service_topics": (lambda f: _log(f["service_topics"]),
                       lambda f: f"{f['service_topics']:.0f} consumer-service topics (refunds, accounts, complaints)"),
    "service_topic_title": (lambda f: float(f["service_topic_title"] > 0),
                            lambda f: "title about a refund, account or complaint service"),
    "dates": (lambda f: _log(f["dates"]), lambda f: f"{f['dates']:.0f} dates"),
    "questions": (lambda f: _log(f["questions"]), lambda f: f"{f['questions']:.0f} question marks"),
    "injection_hits": (lambda f: _log(f["injection_hits"]), lambda f: f"{f['injection_hits']} injected gambling/porn keywords"),
    "content_farm_hits": (lambda f: _log(f["content_farm_hits"]), lambda f: f"{f['content_farm_hits']} content-farm markers"),
    "after_sales_title": (lambda f: float(f["after_sales_title"]), lambda f: "title about a brand's after-sales service"),
    "seo_title": (lambda f: float(f["seo_title"]), lambda f: "click-bait title wording"),
    "product_title": (lambda f: float(f["product_title"]), lambda f: "title names a product category"),
    "placeholder_numbers": (lambda f: _log(f["placeholder_numbers"]), lambda f: "placeholder hotline number (400-XXX-XXXX)"),
    "service_density": (lambda f: _clip(f["service_density"], 30.0) / 10,
                        lambda f: f"service-promise vocabulary at {f['service_density']:.1f} per 100 characters"),
    "pinyin_distinct": (lambda f: _log(f["pinyin_distinct"]),
                        lambda f: f"{f['pinyin_distinct']:.0f} different pinyin-annotated characters"),
    "pinyin_many": (lambda f: float(f["pinyin_distinct"] >= 5), lambda f: "pinyin annotation throughout the text"),
    "injected_title": (lambda f: float(f["injection_hits"] >= 3), lambda f: "gambling/porn keyword list in the title"),
    "repeated_3": (lambda f: float(_top(f)[1] >= 3), lambda f: f"number repeated {_top(f)[1]} times"),
    "place_list": (lambda f: float(f["region_places"] >= 10), lambda f: f"list of {f['region_places']} places"),
    "pinyin_hits": (lambda f: _log(f["pinyin_hits"]), lambda f: f"{f['pinyin_hits']} pinyin annotations in all"),
    "trad_ratio": (lambda f: _clip(f["trad_ratio"], 1.0), lambda f: f"traditional script ({f['trad_ratio']:.0%} of characters)"),
    "interleaved_hits": (lambda f: _log(f["interleaved_hits"]), lambda f: "keyword interleaved with '+' signs"),
    "number_lines": (lambda f: _log(f["number_lines"]), lambda f: f"{f['number_lines']:.0f} lines with a number"),
    "ad_lines": (lambda f: _log(f["ad_lines"]), lambda f: f"{f['ad_lines']:.0f} lines present the number"),
    "visible_chars": (lambda f: _log(min(f["visible_chars"], 2000) / 100),
                      lambda f: f"{f['visible_chars']} characters of text"),
    "head_lines": (lambda f: _log(f["head_lines"]), lambda f: f"{f['head_lines']:.0f} lines in the first 2,000 characters"),
    "official_host": (lambda f: _url(f, float(f["official_host"])), lambda f: "government, school or organisation domain"),
    "digit_host": (lambda f: _url(f, float(f["digit_host"])), lambda f: "digits in the host name"),
    "random_slug": (lambda f: _url(f, float(f["random_slug"])), lambda f: "random mixed-case slug in the address"),
    "host_labels": (lambda f: _url(f, _log(f["host_labels"])), lambda f: f"{f['host_labels']:.0f}-part host name"),
    "ad_after_sales": (lambda f: float(bool(f.get("advertised")) and bool(f["title_claim"] or f["after_sales_title"])),
                       lambda f: "a number to call on an after-sales page"),
    "claim_no_number": (lambda f: float(not f.get("advertised") and bool(f["title_claim"] or f["brand_claims"] >= 2
                                                                         or f["after_sales_title"])),
                        lambda f: "after-sales article without a number to call"),
}
ABSENT = {
    "warning_hits": "scam-warning words", "warning_elsewhere": "scam-warning voice", "news_hits": "news words",
    "news_body": "news reporting", "news_short": "news bylines", "notice_markers": "official-notice structure",
    "qa_markers": "question-and-answer structure", "claim_phrases": "hotline claim phrases",
    "brand_claims": "brand service claims", "title_claim": "after-sales claim in the title",
    "after_sales_title": "after-sales title", "seo_title": "click-bait title", "numbers_total": "phone numbers",
    "advertised_paid": "advertised 400/800 number", "advertised_mobile": "advertised mobile number",
    "advertised_other": "other advertised number", "repeat": "repeated number", "repeated_3": "repeated number",
    "short_codes": "official short codes", "template_phrases": "template phrases", "dates": "dates",
    "questions": "question marks", "official_host": "government or organisation domain",
    "scraped_chars": "unrelated pasted article", "region_places": "place list", "place_list": "place list",
    "ad_after_sales": "number to call on an after-sales page", "claim_no_number": "number-less after-sales article",
}
FIELDS = {"t": ("title_text", "title wording"), "c": ("claim_text", "wording of the lines that present a number"),
          "b": ("body_text", "wording of the page"), "u": ("url_text", "address")}


_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)


def bucket(field: str, gram: str, buckets: int) -> int:
    """Stable hash bucket of one n-gram of one field (crc32: the same in every process)."""
    return zlib.crc32(f"{field}\x1f{gram}".encode("utf-8")) % buckets


def ngrams(text: str, sizes: tuple[int, ...]) -> set[str]:
    """Distinct character n-grams of a short text, digits folded to 0 (numbers differ per page)."""
    s = text.lower().translate(_DIGITS)
    if sizes == (2,):
        return {s[i : i + 2] for i in range(len(s) - 1)}
    return {s[i : i + n] for n in sizes for i in range(len(s) - n + 1)}


def numeric(f: Mapping[str, Any]) -> dict[str, float | None]:
    """The named numeric features of a page (log-scaled counts, clipped ratios)."""
    return {name: get(f) for name, (get, _) in NUMERIC.items()}


def vectorize(f: Mapping[str, Any], buckets: int, sizes: tuple[int, ...], scale: float = 1.0,
              fields: tuple[str, ...] = tuple(FIELDS),
              field_sizes: Mapping[str, tuple[int, ...]] | None = None) -> tuple[dict[str, float], dict[int, list[str]]]:
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
    _cache: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict, repr=False, compare=False)

    def _miss(self, key: str, gram: str) -> tuple[float, float]:
        """(spam, hotline) weight of one n-gram, memoised per field: crawls see the same again."""
        cache = self._cache[key]
        if len(cache) > 200_000:
            cache.clear()
        b = f"#{bucket(key, gram, self.buckets)}"
        w = cache[gram] = (self.spam.weights.get(b, 0.0), self.hotline.weights.get(b, 0.0))
        return w

    def score(self, f: Mapping[str, Any]) -> "Scored":
        """Both models' contributions for one page: numeric features by name, n-gram fields by
        field key (with the page's strongest n-grams of each field, for the reasons)."""
        vec = numeric(f)
        cs = self.spam.contributions(vec)
        ch = self.hotline.contributions(vec)
        top: dict[str, list[tuple[float, str]]] = {}
        for key in self.fields:
            gs = ngrams(str(f.get(FIELDS[key][0]) or ""), self.field_sizes.get(key, self.sizes))
            if not gs:
                continue
            v = self.scale / math.sqrt(len(gs))
            cache = self._cache.setdefault(key, {})
            get = cache.get
            ts = th = 0.0
            cut = 0.05 / v
            strong: list[tuple[float, str]] = []
            for g in gs:
                w = get(g) or self._miss(key, g)
                ts += w[0]
                th += w[1]
                if w[0] > cut or w[0] < -cut:
                    strong.append((w[0] * v, g))
            cs[key], ch[key], top[key] = ts * v, th * v, strong
        return Scored(cs, ch, top)


def _linear(d: Mapping[str, Any]) -> Linear:
    return Linear(float(d["intercept"]), {str(k): float(v) for k, v in d["weights"].items()},
                  tuple(map(float, d.get("platt", (1.0, 0.0)))),  # type: ignore[arg-type]
                  {str(k): float(v) for k, v in d.get("mean", {}).items()})


def load(artefact: Mapping[str, Any] | str | Path | None = None) -> Model:
    """A :class:`Model` from an artefact dict, a JSON file, or the shipped file (None; read as
    package data, so it loads from an installed egg or wheel too)."""
    if artefact is None:
        raw = (resources.files("pipelines") / "data" / ARTEFACT.name).read_text(encoding="utf-8")
        artefact = json.loads(raw)
    elif isinstance(artefact, (str, Path)):
        artefact = json.loads(Path(artefact).read_text(encoding="utf-8"))
    if artefact.get("format") != FORMAT:
        raise ValueError(f"not a verdict model artefact ({artefact.get('format')!r})")
    h = artefact["hashing"]
    return Model(_linear(artefact["spam"]), _linear(artefact["hotline"]),
                 float(artefact["thresholds"]["spam"]), float(artefact["thresholds"]["hotline"]),
                 int(h["buckets"]), tuple(int(n) for n in h["ngram_sizes"]),
                 {k: v for k, v in artefact.items() if k in ("created", "data_sha256", "rows", "version")},
                 float(h.get("scale", 1.0)), tuple(h.get("field_keys", FIELDS)) if h.get("enabled", True) else (),
                 {str(k): tuple(int(n) for n in v) for k, v in h.get("field_sizes", {}).items()})


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model in pipelines/data, loaded once per process."""
    return load(None)


ALWAYS = ("advertised_paid", "advertised_mobile", "advertised_other")  # the number a reviewer acts on


def reasons(f: Mapping[str, Any], contrib: Mapping[str, float], grams: Mapping[str, list[tuple[float, str]]],
            limit: int = 12, floor: float = 0.05) -> list[str]:
    """The page's largest contributions, signed ('+' towards spam, '−' towards clean), worded;
    features worded alike are summed; the advertised number is always listed."""
    merged: dict[str, float] = {}
    keep: set[str] = set()
    for k, c in contrib.items():
        if k in FIELDS:
            same = sorted((g for g in grams.get(k, ()) if g[0] * c > 0), key=lambda g: -abs(g[0]))[:3]
            text = FIELDS[k][1] + (f" ({', '.join(repr(g) for _, g in same)})" if same else "")
        elif not NUMERIC[k][0](f):
            # An absent feature: its weight is what the page lacks compared with the average page.
            text = f"no {ABSENT.get(k, k.replace('_', ' '))}"
        else:
            text = NUMERIC[k][1](f)
            if k in ALWAYS:
                keep.add(text)
        merged[text] = merged.get(text, 0.0) + c
    ranked = sorted(merged.items(), key=lambda x: -abs(x[1]))
    shown = [(t, c) for i, (t, c) in enumerate(ranked) if (i < limit and abs(c) >= floor) or t in keep]
    return [f"{'+' if c >= 0 else '−'}{abs(c):.1f} {t}" for t, c in shown]
