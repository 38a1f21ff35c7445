"""Client profiles: who a request claims to be (``TRIAGE_PROFILES``, ``TRIAGE_PROFILE``).

Black-hat SEO pages answer differently by client: the hotline page only to Baidu's spider (so
the site's owner never sees it), only to visitors arriving from a search result, or only to
phones. A profile is a user agent and the search-results pages a request may claim to come
from (``referers``, templates with ``{q}`` = the page's brand or search query). One of them is
chosen per URL by a stable hash, so a re-fetch of a page claims the same origin.

- ``visitor``: a mobile browser arriving from Baidu, Sogou or 360 search: what a victim sees,
  the crawl's own profile by default;
- ``direct``: a desktop browser, no Referer;
- ``spider``: Baiduspider's user agent, no Referer;
- ``mobile``: the visitor's phone without a Referer, fetched only to tell referer cloaking from
  mobile cloaking.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

PROFILE_META = "triage_profile"  # request.meta: the profile to apply (set by the middleware too)
QUERY_META = "triage_query"  # request.meta: the search query that found the page, if known


@dataclass(frozen=True)
class Profile:
    name: str
    user_agent: str
    referers: tuple[str, ...] = ()

    def referer(self, url: str, query: str) -> str:
        """The Referer this profile sends for ``url`` ("" for none)."""
        if not self.referers:
            return ""
        template = self.referers[zlib.crc32(url.encode("utf-8", "replace")) % len(self.referers)]
        return template.replace("{q}", quote(query or _host(url)))

    def headers(self, url: str, query: str) -> dict[str, str]:
        out = {"User-Agent": self.user_agent}
        referer = self.referer(url, query)
        if referer:
            out["Referer"] = referer
        return out


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def load_profiles(value: Any) -> dict[str, Profile]:
    """``TRIAGE_PROFILES`` (a dict or its JSON) as profiles; ValueError with one line if bad."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"TRIAGE_PROFILES is not JSON: {exc}") from None
    if not isinstance(value, Mapping) or not value:
        raise ValueError("TRIAGE_PROFILES must map profile names to {user_agent, referers}")
    out: dict[str, Profile] = {}
    for name, spec in value.items():
        if not isinstance(spec, Mapping) or not str(spec.get("user_agent") or "").strip():
            raise ValueError(f"TRIAGE_PROFILES[{name!r}] needs a user_agent")
        referers = spec.get("referers") or ()
        if isinstance(referers, str):
            referers = [referers]
        out[str(name)] = Profile(str(name), str(spec["user_agent"]),
                                 tuple(str(r) for r in referers))
    return out


def profiles_from_settings(settings: Any) -> dict[str, Profile]:
    return load_profiles(settings.get("TRIAGE_PROFILES"))
