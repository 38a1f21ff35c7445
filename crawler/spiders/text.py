"""Looking at a response body before analysis: binary or text, and is its encoding sound."""

from __future__ import annotations

import codecs
import re

from scrapy.http import Response
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

HEADERS_KEPT = ("content-type", "etag", "last-modified")
BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/zip", "application/gzip",
                "application/x-gzip", "application/octet-stream", "application/pdf",
                "application/x-rar", "application/vnd.rar", "application/x-7z", "application/x-tar",
                "application/msword", "application/vnd.", "application/x-msdownload",
                "application/wasm")
SNIFF_BYTES = 8192
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


def selected_headers(response: Response) -> dict[str, str]:
    """The response headers the item keeps, lower-case names, latin-1 decoded values."""
    out = {}
    for name in HEADERS_KEPT:
        value = response.headers.get(name)
        if value is not None:
            out[name] = value.decode("latin-1").strip()
    return out


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_binary(content_type: str, body: bytes) -> bool:
    """Images, archives and the like by type; anything with NUL bytes near the start by content."""
    if media_type(content_type).startswith(BINARY_TYPES):
        return True
    return b"\x00" in body[:SNIFF_BYTES]


def is_analysable(content_type: str) -> bool:
    """Whether the engine should read a body of this type (HTML, plain text, or unknown)."""
    return media_type(content_type) in TEXT_TYPES


def body_problems(content_type: str, body: bytes) -> list[str]:
    """What is wrong with a text body's declared encoding (unknown charset, undecodable bytes).

    The page is still analysed (the engine decodes leniently, like a browser); the problem is
    recorded because a page that lies about its encoding is worth a look.
    """
    match = _CHARSET.search(content_type)
    header = match.group(1) if match else ""
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if header and not http_content_type_encoding(content_type):
        return [f"unknown charset {header[:40]!r}"]
    if not declared:
        return []
    try:
        codecs.lookup(declared)
    except LookupError:
        return [f"unknown charset {declared[:40]!r}"]
    try:
        body.decode(declared)
    except UnicodeDecodeError as exc:
        return [f"invalid encoding: bytes at offset {exc.start} are not valid {declared}"]
    return []
