"""Searching a SearXNG instance and storing what it answers (``triage discover``/``pivot``).

The client speaks SearXNG's JSON API: ``GET /search?q=...&format=json&pageno=N[&engines=...]
[&language=zh-CN]``. Every results page is stored as it came (``serp_results``, via
:mod:`db.serps`); the answer is read by :func:`pipelines.discovery.parse_answer`.

Refusals are results too, never a crash:

- an engine listed in ``unresponsive_engines`` (CAPTCHA, timeout, suspended) is recorded and,
  when ``--engines`` named the engines, left out of every later call;
- HTTP 429 (SearXNG's limiter), another HTTP error or an answer that is not JSON is recorded
  and the query's further pages are skipped; after :data:`MAX_REFUSALS_IN_A_ROW` such refusals
  in a row the run stops with what it has.

Only an instance that cannot be reached at all on the first call is an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine

from db import serps
from pipelines.discovery import Answer, parse_answer

MAX_REFUSALS_IN_A_ROW = 3
TIMEOUT = 30.0
USER_AGENT = "hotline-triage/0.1 (discovery)"
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After ends the query, not the run


class DiscoveryError(Exception):
    """The search backend cannot be used at all (one line for the user)."""


@dataclass(frozen=True)
class Job:
    """One query to search, with what it was made for."""

    query: str
    brand: str = ""
    pivot: str = ""


@dataclass
class Summary:
    run_id: int = 0
    queries: int = 0
    calls: int = 0
    results: int = 0
    with_numbers: int = 0
    refusals: list[dict[str, Any]] = field(default_factory=list)
    dead_engines: dict[str, str] = field(default_factory=dict)
    stopped: str = ""
    # result URL -> how many numbers its snippets showed (insertion order = first seen)
    urls: dict[str, int] = field(default_factory=dict)

    def crawl_order(self) -> list[str]:
        """Result URLs, those whose title or snippet shows a number first."""
        shown = [u for u, n in self.urls.items() if n]
        return shown + [u for u, n in self.urls.items() if not n]

    def stats(self) -> dict[str, Any]:
        return {"queries": self.queries, "calls": self.calls, "results": self.results,
                "with_numbers": self.with_numbers, "urls": len(self.urls),
                "refusals": self.refusals, "dead_engines": self.dead_engines,
                "stopped": self.stopped}


def search_url(base: str) -> str:
    base = base.rstrip("/")
    return base if base.endswith("/search") else base + "/search"


def fetch_page(client: httpx.Client, base: str, query: str, page: int, engines: Sequence[str],
               language: str) -> Answer | str:
    """One results page, or the reason it was refused (``HTTP 429 ...``, ``not JSON ...``)."""
    params: dict[str, str | int] = {"q": query, "format": "json", "pageno": page}
    if engines:
        params["engines"] = ",".join(engines)
    if language:
        params["language"] = language
    response = client.get(search_url(base), params=params)
    if response.status_code == 403:
        return "HTTP 403: the JSON format is not enabled (search.formats in settings.yml)"
    if response.status_code == 429:
        wait = response.headers.get("retry-after", "")
        if wait.strip().isdigit():  # be polite before the next call
            time.sleep(min(float(wait), MAX_RETRY_AFTER))
    if response.status_code >= 400:
        return f"HTTP {response.status_code} {response.reason_phrase}".strip()
    try:
        return parse_answer(response.json())
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        kind = response.headers.get("content-type", "").split(";")[0] or "no content type"
        return f"not JSON ({kind}: {' '.join(str(exc).split())[:80]})"


@dataclass
class Searcher:
    """Runs jobs against one instance and stores every answer in ``engine``'s database."""

    engine: Engine
    base: str
    engines: list[str]
    language: str = "zh-CN"
    pages: int = 1
    delay: float = 1.0
    say: Callable[[str], None] = print
    summary: Summary = field(default_factory=Summary)
    _in_a_row: int = 0

    def run(self, kind: str, jobs: Sequence[Job], args: dict[str, Any]) -> Summary:
        s = self.summary
        s.run_id = serps.start_run(self.engine, kind, args)
        try:
            with httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT},
                              follow_redirects=True) as client:
                for i, job in enumerate(jobs, start=1):
                    if s.stopped:
                        break
                    s.queries += 1
                    self._job(client, job, i, len(jobs))
        finally:
            outcome = f"stopped: {s.stopped}" if s.stopped else "finished"
            serps.finish_run(self.engine, s.run_id, s.stats(), outcome)
        return s

    def _job(self, client: httpx.Client, job: Job, i: int, n: int) -> None:
        s = self.summary
        for page in range(1, self.pages + 1):
            if s.calls:
                time.sleep(self.delay)
            s.calls += 1
            try:
                answer = fetch_page(client, self.base, job.query, page, self.engines, self.language)
            except httpx.HTTPError as exc:
                if s.calls == 1:
                    raise DiscoveryError(
                        f"cannot reach SearXNG at {self.base}: {type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:120]}; check --searxng") from None
                answer = f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"
            if isinstance(answer, str):
                self._refused(job, page, "(instance)", answer)
                return
            self._in_a_row = 0
            self._stored(job, page, answer)
            self.say(f"[{i}/{n}] {job.query} p{page}: {len(answer.hits)} results, "
                     f"{sum(1 for h in answer.hits if h.numbers)} showing numbers")
            if s.stopped or not answer.hits:
                return

    def _refused(self, job: Job, page: int, engine: str, reason: str) -> None:
        s = self.summary
        s.refusals.append({"query": job.query, "page": page, "engine": engine, "reason": reason})
        self.say(f"refused: {job.query} p{page}: {engine} {reason}")
        if engine == "(instance)":
            self._in_a_row += 1
            if self._in_a_row >= MAX_REFUSALS_IN_A_ROW:
                s.stopped = f"{self._in_a_row} refusals in a row (last: {reason})"

    def _stored(self, job: Job, page: int, answer: Answer) -> None:
        from crawler.spiders.base import host_of

        s = self.summary
        for name, reason in answer.unresponsive.items():
            if name in s.dead_engines:
                continue
            s.dead_engines[name] = reason
            self._refused(job, page, name, f"unresponsive: {reason or 'no reason given'}")
            if name in self.engines:
                self.engines.remove(name)
                self.say(f"skipping engine {name} from now on")
                if not self.engines:
                    s.stopped = "every engine asked for stopped answering"
        rows = [{"query": job.query, "engine": ",".join(h.engines), "page": page, "rank": h.rank,
                 "url": h.url, "domain": host_of(h.url), "title": h.title, "snippet": h.snippet,
                 "numbers": list(h.numbers), "brand": job.brand, "pivot": job.pivot}
                for h in answer.hits]
        serps.add_results(self.engine, s.run_id, rows)
        s.results += len(rows)
        for h in answer.hits:
            s.with_numbers += bool(h.numbers)
            s.urls[h.url] = max(s.urls.get(h.url, 0), len(h.numbers))
