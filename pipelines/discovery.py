"""Discovery, the pure parts: queries from brands and numbers, and SearXNG answers read.

- :data:`QUERY_TEMPLATES` is the one list of search templates (``{brand}``, ``{category}``,
  ``{city}``); :func:`expand_brand` turns a brand (and its optional category) into distinct
  queries, cities sampled from the gazetteer (:mod:`pipelines.gazetteer`).
- :func:`written_forms` / :func:`pivot_queries`: a number the ways pages write it
  (``400-618-9123``, ``4006189123``, ``400 618 9123``, ``400-6189-123``), with and without
  service words, for ``triage pivot``.
- :func:`parse_answer` reads a SearXNG JSON answer (``results`` with ``url``, ``title``,
  ``content``, ``engine``, ``engines``, ``positions``; ``unresponsive_engines``) into
  :class:`SerpHit` records, each with the E.164 numbers its title and snippet show.

Pure: no HTTP here; the client is :mod:`triage.searxng`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipelines.phones import extract_phones
from pipelines.types import MALFORMED

__all__ = ["QUERY_TEMPLATES", "SERVICE_WORDS", "Answer", "BrandLine", "SerpHit", "cities",
           "expand_brand", "numbers_in", "parse_answer", "parse_brand_lines", "pivot_queries",
           "written_forms"]

# The search templates, in one place. ``{city}`` templates are used once per sampled city;
# ``{category}`` is the brand file's category (empty when the line has none).
QUERY_TEMPLATES: tuple[str, ...] = (
    "{brand}{category}售后电话",
    "{brand}{category}维修电话",
    "{brand}维修电话 全国24小时",
    "{brand}售后服务热线",
    "{brand}客服电话 人工服务",
    "{brand}{category}400电话",
    "{brand}客服热线 {city}",
    "{city}{brand}{category}售后维修点",
)
# Words pages put next to a number; a pivot searches each written form with and without them.
SERVICE_WORDS: tuple[str, ...] = ("客服电话", "售后")


@dataclass(frozen=True)
class BrandLine:
    brand: str
    category: str = ""


def parse_brand_lines(lines: Iterable[str]) -> list[BrandLine]:
    """``brand`` or ``brand<TAB>category`` lines; blank lines and ``#`` comments skipped."""
    out: list[BrandLine] = []
    seen: set[tuple[str, str]] = set()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        brand, _, category = line.partition("\t")
        key = (brand.strip(), category.strip())
        if key[0] and key not in seen:
            seen.add(key)
            out.append(BrandLine(*key))
    return out


def parse_templates(lines: Iterable[str]) -> list[str]:
    """Templates from a file's lines; raises ValueError naming a bad one."""
    out = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            line.format(brand="b", category="c", city="x")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"bad template {line!r}: only {{brand}}, {{category}} and "
                             f"{{city}} may appear ({exc})") from None
        if "{brand}" not in line:
            raise ValueError(f"bad template {line!r}: it must contain {{brand}}")
        out.append(line)
    return out


_CITIES: list[str] | None = None


def cities() -> list[str]:
    """Prefecture-level city names as pages write them (广州, not 广州市), from the gazetteer."""
    global _CITIES
    if _CITIES is None:
        from pipelines.gazetteer import divisions

        names = []
        for _code, level, division in divisions():
            if level in (2, 23) and division:
                name = division[0]
                if name.endswith("市") and len(name) > 2:
                    name = name[:-1]
                names.append(name)
        _CITIES = sorted(set(names))
    return _CITIES


def expand_brand(line: BrandLine, *, templates: Sequence[str] = QUERY_TEMPLATES,
                 n_cities: int = 3, seed: int = 0) -> list[str]:
    """Distinct queries for one brand: every template, ``{city}`` ones once per sampled city.

    The sample is reproducible: the same brand, ``n_cities`` and ``seed`` give the same cities.
    """
    pool = cities()
    sample = random.Random(f"{seed}:{line.brand}").sample(pool, min(n_cities, len(pool)))
    out: list[str] = []
    for template in templates:
        for city in (sample if "{city}" in template else [""]):
            query = " ".join(template.format(brand=line.brand, category=line.category,
                                             city=city).split())
            if query and query not in out:
                out.append(query)
    return out


def numbers_in(text: str) -> list[str]:
    """E.164 numbers in ``text`` (a title or snippet) by the engine's phone finder."""
    if not text:
        return []
    phones, _ = extract_phones(text)
    return sorted({p.e164 for p in phones if p.e164 and p.kind != MALFORMED
                   and p.e164.startswith("+")})


def _national(e164: str) -> str:
    """National digits with the trunk 0 where China writes one (010..., 0755...)."""
    digits = e164.removeprefix("+86")
    if digits.startswith(("400", "800")) or (digits.startswith("1") and len(digits) == 11):
        return digits
    return "0" + digits


def written_forms(e164: str) -> list[str]:
    """The ways pages write a number: ``400-618-9123``, ``4006189123``, ``400 618 9123``,
    ``400-6189-123`` for a 400 number, ``138-1234-5678`` ... for a mobile, ``010-12345678``
    for a landline. Numbers outside China: their digits as given."""
    if not e164.startswith("+86"):
        digits = e164.lstrip("+")
        return [digits, e164]
    n = _national(e164)
    if n.startswith(("400", "800")) and len(n) == 10:
        forms = [f"{n[:3]}-{n[3:6]}-{n[6:]}", n, f"{n[:3]} {n[3:6]} {n[6:]}",
                 f"{n[:3]}-{n[3:7]}-{n[7:]}"]
    elif n.startswith("1") and len(n) == 11:
        forms = [f"{n[:3]}-{n[3:7]}-{n[7:]}", n, f"{n[:3]} {n[3:7]} {n[7:]}"]
    else:
        area = 3 if n[1] in "12" else 4  # 010, 020-029; else 0755 ...
        forms = [f"{n[:area]}-{n[area:]}", n, f"{n[:area]} {n[area:]}"]
    return list(dict.fromkeys(forms))


def pivot_queries(e164: str, service_words: Sequence[str] = SERVICE_WORDS) -> list[str]:
    """Every written form alone, then each with each service word."""
    forms = written_forms(e164)
    return forms + [f"{form} {word}" for form in forms for word in service_words]


@dataclass(frozen=True)
class SerpHit:
    """One search result as stored in ``serp_results``."""

    rank: int
    url: str
    title: str
    snippet: str
    engines: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass
class Answer:
    """One results page: its hits and the engines that did not answer (name -> reason)."""

    hits: list[SerpHit] = field(default_factory=list)
    unresponsive: dict[str, str] = field(default_factory=dict)


def _engines(result: dict[str, Any]) -> tuple[str, ...]:
    names = result.get("engines") or []
    if not isinstance(names, list) or not names:
        names = [result.get("engine")] if result.get("engine") else []
    return tuple(sorted({str(n) for n in names if n}))


def parse_answer(data: Any) -> Answer:
    """A SearXNG ``format=json`` answer as hits (ranked from 1, in the answer's order).

    Results without an http(s) URL are skipped; ``unresponsive_engines`` entries are
    ``[name, reason]`` pairs (older instances send bare names).
    """
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    answer = Answer()
    for entry in data.get("unresponsive_engines") or []:
        if isinstance(entry, (list, tuple)) and entry:
            answer.unresponsive[str(entry[0])] = str(entry[1]) if len(entry) > 1 else ""
        elif isinstance(entry, str):
            answer.unresponsive[entry] = ""
    rank = 0
    for result in data.get("results") or []:
        if not isinstance(result, dict):
            continue
        url = str(result.get("url") or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            continue
        rank += 1
        title = " ".join(str(result.get("title") or "").split())
        snippet = " ".join(str(result.get("content") or "").split())
        answer.hits.append(SerpHit(rank, url, title, snippet, _engines(result),
                                   tuple(numbers_in(f"{title}\n{snippet}"))))
    return answer
