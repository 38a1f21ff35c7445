"""Looking at a response before analysis: the headers kept, and whether the body is binary.

Decoding is the engine's (once, as a browser would); it also reports a body whose declared
charset is wrong (:func:`pipelines.encoding.encoding_problem`)."""

from __future__ import annotations

import re

from scrapy.http import Response

HEADERS_KEPT = ("content-type", "etag", "last-modified")
BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/zip", "application/gzip",
                "application/x-gzip", "application/octet-stream", "application/pdf",
                "application/x-rar", "application/vnd.rar", "application/x-7z", "application/x-tar",
                "application/msword", "application/vnd.", "application/x-msdownload",
                "application/wasm")
SNIFF_BYTES = 8192
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
