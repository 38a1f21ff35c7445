"""Where a page sends its visitors by itself: a meta refresh or a script that sets the location.

A typical cloaking stub shows a harmless page and sends people on by script; the engine reports
the target (:attr:`pipelines.types.PageAnalysis.redirect`) so that the crawl's cloaking check
looks at such pages, and compares the targets different clients are sent to.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

SCAN_CHARS = 200_000  # redirects sit in the head or right after it

_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>""", re.IGNORECASE)
_META_CONTENT = re.compile(r"""content\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_REFRESH_URL = re.compile(r"""^\s*\d*(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"\s>]+)""",
                          re.IGNORECASE)
# window.location = "...", location.href='...', location.replace("..."), top.location.href=...
_JS_REDIRECT = re.compile(
    r"""(?:window\.|top\.|self\.|document\.|parent\.)?location(?:\.href)?\s*"""
    r"""(?:=\s*|\.(?:replace|assign)\s*\(\s*)(["'])(.+?)\1""", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def find_redirect(html: str, base_url: str) -> str:
    """The absolute URL a page sends its visitors to by meta refresh or script, or ""."""
    head = html[:SCAN_CHARS]
    for tag in _META_REFRESH.findall(head):
        content = _META_CONTENT.search(tag)
        if content:
            m = _REFRESH_URL.match(unescape(content.group(2)))
            if m and m.group(1):
                return urljoin(base_url, m.group(1))
    for script in _SCRIPT.findall(head):
        m = _JS_REDIRECT.search(script)
        if m:
            return urljoin(base_url, m.group(2))
    return ""
