"""What ``triage crawl`` refuses before crawling, and what it says about URLs that failed.

- :func:`url_problem`: a start URL that is not an http(s) URL with a plausible host name
  (``htp:/bad``, ``not a url``, ``ftp://x``) is refused before anything is fetched.
- :func:`failure_lines`: after the crawl, the run's blocked and failed URLs with their reason
  and the fix (``blocked: loopback 127.0.0.1:8765 — add --allow-private 127.0.0.1:8765``).
- :func:`none_fetched`: no start URL gave a response at all (the crawl then exits 1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

SHOWN = 10  # failed URLs listed in the summary
_SCHEME = re.compile(r"^([a-zA-Z][\w+.-]*):(?!\d)")  # "htp:" but not "example.com:8080"
_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[\w.-]+)$")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a start URL, or None. Bare ``example.com/x`` means http://."""
    from crawler.spiders.base import with_scheme

    text = url.strip()
    found = _SCHEME.match(text)
    if found and found.group(1).lower() not in ("http", "https"):
        return f"scheme {found.group(1)!r} is not http(s)"
    if found and not re.match(r"^https?://", text, re.I):
        return "expected http:// or https:// after the scheme"
    try:
        parts = urlsplit(with_scheme(text))
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"malformed ({exc})"
    netloc_host = parts.netloc.rsplit("@", 1)[-1]
    netloc_host = re.sub(r":\d*$", "", netloc_host) if not netloc_host.endswith("]") else netloc_host
    if not parts.hostname or not _HOST.match(netloc_host):
        return "no valid host name"
    return None


def check_start_urls(urls: Sequence[str]) -> str | None:
    """One line naming every unusable start URL, or None when all are fine."""
    bad = [(u, p) for u in urls if (p := url_problem(u))]
    if not bad:
        return None
    named = "; ".join(f"{u!r} ({p})" for u, p in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return (f"not a URL to crawl: {named}{more}; give http(s) URLs such as "
            "https://example.com/ (fix or remove them)")


def fix_for(url: str, error: str) -> str:
    """The exact fix for a failed URL, or "" when there is nothing to change on our side."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    target = f"[{host}]" if ":" in host else host
    if error.startswith("blocked:") and "scheme" not in error:
        return f"add --allow-private {target}:{port}"
    if error.startswith("dns error"):
        return f"check the host name {host!r}: it does not resolve"
    if error.startswith("connection refused"):
        return f"nothing answers on {target}:{port}: is the site up?"
    if error.startswith("timeout"):
        return "the site is slow: try again or raise -s DOWNLOAD_TIMEOUT=60"
    return ""


def _failed(engine: Engine, run_id: int) -> list[tuple[str, int, str]]:
    from db.models import Page

    with engine.connect() as conn:
        return [(u, s, e) for u, s, e in conn.execute(
            select(Page.url, Page.status, Page.error)
            .where(Page.run_id == run_id, Page.status == 0, Page.error != "")
            .order_by(Page.id))]


def failure_lines(engine: Engine, run_id: int) -> list[str]:
    """``blocked|failed: URL — reason — fix`` for the run's URLs that got no response."""
    rows = _failed(engine, run_id)
    lines = []
    for url, _, error in rows[:SHOWN]:
        fix = fix_for(url, error)
        kind = "blocked" if error.startswith("blocked:") else "failed"
        reason = error.removeprefix("blocked: ")
        lines.append(f"  {kind}: {url}: {reason}" + (f" — {fix}" if fix else ""))
    if len(rows) > SHOWN:
        lines.append(f"  ... and {len(rows) - SHOWN} more (triage export pages: the error column)")
    return lines


def none_fetched(engine: Engine, run_id: int, start: Sequence[str]) -> bool:
    """True when every start URL of the run got no response at all."""
    from crawler.spiders.base import with_scheme
    from db.models import Page

    urls = {with_scheme(u.strip()) for u in start}
    with engine.connect() as conn:
        statuses = [s for u, s in conn.execute(
            select(Page.url, Page.status).where(Page.run_id == run_id)) if u in urls]
    return bool(statuses) and not any(statuses)
