"""What counts as "the same site" when deciding which links to follow.

A site is a registered domain (eTLD+1 from the Public Suffix List, private suffixes included,
so ``a.example.com`` and ``www.example.com`` are one site, while two ``*.blogspot.com`` blogs are
two), plus the port when the URL names a non-default one. Spam farms spread one template over
subdomains of one domain, so following the registered domain finds them; other domains are
only followed with ``follow_external``. IP hosts are their own site.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from tldextract import TLDExtract

from crawler.netsafety import parse_ip_host

# The bundled Public Suffix List snapshot: no network fetch, same answer offline.
_extract = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=65_536)
def registered_domain(host: str) -> str:
    """``news.example.com.cn`` -> ``example.com.cn``; IPs and bare names are returned as is."""
    host = host.lower().rstrip(".")
    if parse_ip_host(host) is not None:
        return host
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or host


def site_key(url: str) -> str:
    """The site of ``url``: registered domain, with ``:port`` if a non-default port is named."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return url
    key = registered_domain(host)
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        key += f":{port}"
    return key
