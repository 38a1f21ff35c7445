"""Page text as a reader and a search engine see it.

One walk over the lxml tree collects the visible text in document order (block elements start a
new line, inline elements are joined without a separator, so a number split over ``<span>``s
reads whole), the title, headings, meta description/keywords, hidden text (inline
``display:none`` / ``visibility:hidden``, the ``hidden`` attribute, ``<noscript>``), ``tel:``
links, string literals of inline scripts and ``alt``/``title`` attributes.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from pipelines.encoding import decode_page
from pipelines.redirects import find_redirect
from pipelines.types import PageText

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html iframe "
    "legend li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul option "
    "caption marquee".split()
)
SKIP_TAGS = frozenset("script style template head svg math object embed canvas textarea select".split())
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)"
    r"|(?:left|top|text-indent)\s*:\s*-\d{3,}",
    re.IGNORECASE,
)
# String literals in inline scripts: where pages hide numbers from naive scrapers.
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.){2,400})'|"((?:[^"\\\n]|\\.){2,400})"|`([^`]{2,400})`""")
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
_WS_CHARS = "\t\r\f\v\u00a0\u3000\u200b\u200c\u200d\ufeff"  # with the space: white space to collapse
_WS = re.compile(f"[ {_WS_CHARS}]+")
_NL = re.compile(r"\s*\n\s*")
# huge_tree lifts libxml2's nesting limit, past which it silently drops the rest of a page.
# Plain lxml elements: lxml.html's element classes cost a Python call per element visited.
_PARSER = etree.HTMLParser(huge_tree=True)
_string = etree.XPath("string()")  # an element's text, as lxml.html's text_content()


class _Collector:
    """Accumulates text pieces; a block boundary becomes one newline."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, s: str | None) -> None:
        if s:
            self.parts.append(s)

    def block(self) -> None:
        if self.parts and self.parts[-1] != "\n":
            self.parts.append("\n")

    def text(self) -> str:
        """The pieces joined, white space collapsed, each line stripped, blank lines dropped
        (what ``_NL.sub("\\n", _WS.sub(" ", raw)).strip()`` gives, a few times faster)."""
        raw = collapse_ws("".join(self.parts))
        return "\n".join(filter(None, map(str.strip, raw.split("\n"))))


def collapse_ws(s: str) -> str:
    """``_WS.sub(" ", s)``, skipped when its only matches would be single spaces (``in`` tests
    are several times faster than the regex's scan of a Chinese text)."""
    if "  " in s or any(c in s for c in _WS_CHARS):
        return _WS.sub(" ", s)
    return s


def _unescape_js(s: str) -> str:
    return _JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), s)


def script_strings(code: str) -> list[str]:
    """String literals of an inline script that contain a digit or CJK text."""
    out = []
    for m in _JS_STRING.finditer(code):
        s = _unescape_js(m.group(1) or m.group(2) or m.group(3) or "")
        if any(ch.isdigit() or "\u4e00" <= ch <= "\u9fff" for ch in s):
            out.append(s)
    return out


_LD_PHONE_KEYS = frozenset({"telephone", "faxnumber"})


def ld_phone_strings(source: str) -> list[str]:
    """The ``telephone`` and ``faxNumber`` values of a JSON-LD block, nested ones too (a
    ``contactPoint``), in document order: its other strings are product codes, prices and ids
    (``"sku"``, ``"mpn"``), not numbers to call. Nothing from a block that is not JSON."""
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            children: list[object] = []
            for key, value in node.items():
                if str(key).lower() not in _LD_PHONE_KEYS:
                    children.append(value)
                    continue
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str | int) and not isinstance(v, bool):
                        out.append(str(v))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") == "true" and el.tag == "div"):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _fallback_text(html: str) -> str:
    """Tag-stripped text for markup libxml2 gives up on (nesting beyond its depth limit)."""
    import html as html_lib

    flat = html_lib.unescape(_TAG.sub("\n", html))
    return _NL.sub("\n", _WS.sub(" ", flat)).strip()


def _document(html: str) -> etree._Element:
    root = etree.fromstring(html, _PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def parse_html(html: str) -> etree._Element | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    if not html.strip():
        return None
    try:
        return _document(html)
    except (etree.ParserError, ValueError):
        # lxml refuses str input with an XML encoding declaration; strip it and retry.
        cleaned = re.sub(r"^\s*<\?xml[^>]*>", "", html)
        try:
            return _document(cleaned) if cleaned.strip() else None
        except (etree.ParserError, ValueError):
            return None


def _head(root: etree._Element) -> tuple[str, str, str, list[str]]:
    """Title, meta description, meta keywords and inline-script strings of a document."""
    title = meta_description = meta_keywords = ""
    scripts: list[str] = []
    for el in root.iter("title", "meta", "script"):
        tag = el.tag
        if tag == "title" and not title:
            title = _WS.sub(" ", _string(el)).strip()
        elif tag == "meta":
            name = (el.get("name") or el.get("property") or "").lower()
            if name in ("description", "og:description"):
                meta_description = meta_description or (el.get("content") or "").strip()
            elif name == "keywords":
                meta_keywords = (el.get("content") or "").strip()
        elif tag == "script" and el.text and not el.get("src"):
            stype = (el.get("type") or "").lower()
            # Structured data (schema.org ``"telephone"``) too: the number a page gives search
            # engines. Other JSON blocks are application state (ids, timestamps), not read.
            if stype == "application/ld+json":
                scripts.extend(ld_phone_strings(el.text))
            elif not stype or "javascript" in stype or "ecmascript" in stype or stype == "module":
                scripts.extend(script_strings(el.text))
    return title, meta_description, meta_keywords, scripts


class _BodyWalk:
    """One pass over the body: visible text in order, hidden text, headings, ``tel:`` links and
    ``alt``/``title`` attributes."""

    def __init__(self) -> None:
        self.visible = _Collector()
        self.hidden: list[str] = []
        self.headings: list[str] = []
        self.tel_links: list[str] = []
        self.attributes: list[str] = []

    def walk(self, el: etree._Element, out: _Collector) -> None:
        parts = out.parts
        tag = el.tag
        if tag.__class__ is not str or tag in SKIP_TAGS:  # comments, scripts, styles, ...
            tail = el.tail
            if tail:
                parts.append(tail)
            return
        # Most elements carry no attribute: one call tells, instead of one lookup per name.
        if el.keys():
            if self._attributes(el, tag, out):
                return
        elif tag == "noscript":
            self._hide(el, out)
            return
        is_block = tag in BLOCK_TAGS
        if is_block and parts and parts[-1] != "\n":
            parts.append("\n")
        if tag in HEADING_TAGS:
            h = _WS.sub(" ", _string(el)).strip()
            if h:
                self.headings.append(h)
        text = el.text
        if text:
            parts.append(text)
        if len(el):  # most elements have no child: no iterator made for them
            walk = self.walk
            for child in el:
                walk(child, out)
        if is_block and parts and parts[-1] != "\n":
            parts.append("\n")
        tail = el.tail
        if tail:
            parts.append(tail)

    def _attributes(self, el: etree._Element, tag: str, out: _Collector) -> bool:
        """Read an element's ``tel:`` link and ``alt``/``title``; True when it is hidden or a
        ``<noscript>`` (its text went to :attr:`hidden`, its tail to ``out``)."""
        if tag == "a":
            href = el.get("href") or ""
            if href[:4].lower() == "tel:":
                self.tel_links.append(href[4:].strip())
        for attr in ("alt", "title"):
            v = el.get(attr)
            if v and len(v) > 1 and tag != "html":
                self.attributes.append(v.strip())
        if tag == "noscript" or (out is self.visible and _is_hidden(el)):
            self._hide(el, out)
            return True
        return False

    def _hide(self, el: etree._Element, out: _Collector) -> None:
        sink = _Collector()
        sink.add(el.text)
        for child in el:
            self.walk(child, sink)
        piece = sink.text()
        if piece:
            self.hidden.append(piece)
        out.add(el.tail)


def extract_page_text(html: bytes | str, *, content_type: str | None = None) -> PageText:
    """Extract a :class:`PageText` from HTML bytes (decoded as a browser would) or text."""
    encoding, problem = "utf-8", ""
    if isinstance(html, bytes):
        html, encoding, problem = decode_page(html, content_type)
    redirect = find_redirect(html, "")
    root = parse_html(html)
    if root is None:
        return PageText(text="", encoding=encoding, encoding_problem=problem, redirect=redirect,
                        markup=html)
    title, meta_description, meta_keywords, scripts = _head(root)
    body = root.find("body")
    start = body if body is not None else root
    walk = _BodyWalk()
    try:
        walk.walk(start, walk.visible)
    except RecursionError:  # absurdly deep markup: fall back to flat text
        walk.visible = _Collector()
        walk.visible.add(_string(start))
    text = walk.visible.text()
    if not text and len(html) > 64:
        text = _fallback_text(html)
    if title and not text.startswith(title):
        text = f"{title}\n{text}" if text else title
    return PageText(
        text=text,
        title=title,
        headings=tuple(walk.headings),
        meta_description=meta_description,
        meta_keywords=meta_keywords,
        hidden=tuple(walk.hidden),
        tel_links=tuple(walk.tel_links),
        script_strings=tuple(scripts),
        attributes=tuple(walk.attributes),
        encoding=encoding,
        encoding_problem=problem,
        redirect=redirect,
        markup=html,
    )
