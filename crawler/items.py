"""The item a spider yields for every URL it tried, fetched or not.

Items are plain dicts (Scrapy accepts them) with these keys, so that pipelines, storage and
tests share one shape without importing Scrapy's Item machinery.

- ``url``: the URL as requested (the page's identity in the database)
- ``final_url``: the URL after redirects ("" when nothing was fetched)
- ``domain``: host of ``url``
- ``status``: HTTP status (0 when no response: blocked, DNS error, timeout, ...)
- ``error``: one-line error ("" when fine), e.g. ``blocked: private address 127.0.0.1``
- ``fetched_at``: ISO 8601 UTC timestamp
- ``depth``, ``referrer``
- ``headers``: dict of selected response headers (content-type, etag, last-modified)
- ``body``: raw response bytes (removed by the analysis pipeline once analysed)
- ``content_hash``: sha256 hex of the body ("" when no body)
- ``analysis``: a :class:`pipelines.types.PageAnalysis` (set by the analysis pipeline) or None
- ``server_ip``: the address the server answered from (``response.ip_address``, "" when unknown)
- ``site_identifiers``: per-site identifiers (favicon hashes) on the first page of each site,
  set by ``pipelines/items/siteids.py``
- ``profile``, ``referer_sent``, ``query``: the client profile of the fetch, the Referer it sent
  and the search query that found the page ("" when unknown)
- ``http``: request and response headers (``crawler.spiders.base.http_exchange``), for WARC
- ``archive``: WARC locations of what was archived (set by the archive pipeline)
- ``cloaking``: the cloaking check of the page (set by the cloaking pipeline when it checked it)
"""

from __future__ import annotations

from typing import Any

PageItem = dict[str, Any]

ITEM_KEYS = (
    "url", "final_url", "domain", "status", "error", "fetched_at", "depth", "referrer",
    "headers", "body", "content_hash", "analysis", "cloaking", "server_ip", "site_identifiers",
    "profile", "referer_sent", "query", "http", "archive",
)
