"""Decode HTML bytes the way a browser would.

Order (as in the HTML standard's encoding sniffing): byte order mark, the charset of the HTTP
``Content-Type`` header, ``<meta charset>`` / ``http-equiv`` in the first bytes, then statistical
detection. Chinese legacy labels are widened to their supersets (GB2312/GBK -> GB18030, Big5 ->
Big5-HKSCS) because pages labelled with the narrow charset routinely use the wider one.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_\-:.]+)", re.IGNORECASE)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What browsers actually decode when a page declares these labels.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
}


class DecodeError(ValueError):
    """The bytes are not a text document (binary body)."""


def normalize_label(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WIDER.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return normalize_label(m.group(1)) if m else None


def _meta_charset(m: re.Match[bytes] | None) -> str | None:
    """The codec a ``<meta charset>`` match (of the first 4 KB) declares."""
    if not m:
        return None
    enc = normalize_label(m.group(1).decode("ascii", "ignore"))
    # A page cannot declare itself UTF-16 in a meta tag it managed to write in ASCII.
    if enc and enc.startswith("utf-16"):
        return "utf-8"
    return enc


def looks_binary(body: bytes) -> bool:
    """True for bodies that are clearly not text (NUL bytes or a known binary signature)."""
    head = body[:2048]
    if head.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x1f\x8b",
                        b"\x7fELF", b"MZ", b"Rar!", b"7z\xbc\xaf")):
        return True
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _detect(body: bytes) -> str:
    try:
        body[:200_000].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > 199_990:  # cut in the middle of a character at the sample's end
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(body[:65536]).best()
    enc = normalize_label(best.encoding) if best is not None else None
    return enc or "gb18030"


def sniff_encoding(body: bytes, content_type: str | None = None) -> tuple[str, int]:
    """Return (codec name, number of BOM bytes to skip)."""
    return _sniff(body, content_type, _META_CHARSET.search(body[:4096]), None)


# A body decoded strictly with its declared codec: (codec, text), None when it did not decode.
_Strict = tuple[str, str] | None


def _sniff(body: bytes, content_type: str | None, meta: re.Match[bytes] | None,
           strict: _Strict) -> tuple[str, int]:
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc, len(bom)
    declared = _header_charset(content_type) or _meta_charset(meta)
    if declared and _plausible(body, declared, strict):
        return declared, 0
    return _detect(body), 0


_SINGLE_BYTE_WESTERN = {"cp1252", "latin_1", "iso8859-15", "ascii"}


def _plausible(body: bytes, enc: str, strict: _Strict = None) -> bool:
    """Does the declared charset decode the body cleanly?

    Servers often send a default (ISO-8859-1, UTF-8) for pages written in GBK or Big5. A browser
    would show mojibake; an analyst wants the text, so a declaration that fails a strict decode,
    or a Western single-byte label on a body full of high bytes, falls back to detection.
    """
    sample = body[:200_000]
    if enc in _SINGLE_BYTE_WESTERN:
        return sum(b >= 0x80 for b in sample[:8192]) < 16
    if strict is not None and strict[0] == enc and len(body) <= len(sample):
        return True  # the whole body, which is the sample, decoded already
    try:
        sample.decode(enc)
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 8:  # only the sample's cut at the end failed
            return True
        # A few stray bytes in a page that is otherwise right: keep what the server said.
        bad = sample.decode(enc, errors="replace").count("\ufffd")
        return bad <= 8 and bad * 100 <= len(sample)
    return True


def encoding_problem(body: bytes, content_type: str | None = None) -> str:
    """What is wrong with a body's declared charset, in one line ("" when nothing is): a label
    no codec knows, or bytes the declared charset cannot decode.

    The page is read anyway, leniently, as a browser would; the problem is kept because a page
    that lies about its encoding is worth a look.
    """
    return _problem(body, content_type, _META_CHARSET.search(body[:4096]))[0]


def _problem(body: bytes, content_type: str | None,
             meta: re.Match[bytes] | None) -> tuple[str, _Strict]:
    """:func:`encoding_problem`, and the body decoded strictly when that was tried and worked."""
    match = _HEADER_CHARSET.search(content_type or "")
    raw = match.group(1) if match else ""
    if not raw:
        raw = meta.group(1).decode("ascii", "ignore") if meta else ""
    if not raw:
        return "", None
    declared = normalize_label(raw)
    if declared is None:
        return f"unknown charset {raw.strip()[:40]!r}", None
    skip = next((len(bom) for bom, _ in _BOMS if body.startswith(bom)), 0)
    if skip or declared.startswith("utf-16"):
        return "", None  # the BOM decides, or a meta tag written in ASCII cannot mean UTF-16
    try:
        text = body.decode(declared)
    except UnicodeDecodeError as exc:
        return f"invalid encoding: bytes at offset {exc.start} are not valid {declared}", None
    return "", (declared, text)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body to text; returns (text, codec name).

    Raises :class:`DecodeError` for binary bodies. Undecodable bytes in a text body become
    U+FFFD, as in a browser, so one bad byte never loses a page.
    """
    if looks_binary(body):
        raise DecodeError("binary body, not an HTML or text document")
    enc, skip = sniff_encoding(body, content_type)
    return body[skip:].decode(enc, errors="replace"), enc


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """(text, codec name, encoding problem): :func:`decode_html` and :func:`encoding_problem`
    of one body, its head searched once and its bytes decoded once where both decode them
    with the same codec."""
    meta = _META_CHARSET.search(body[:4096])
    problem, strict = _problem(body, content_type, meta)
    if looks_binary(body):
        raise DecodeError("binary body, not an HTML or text document")
    enc, skip = _sniff(body, content_type, meta, strict)
    if strict is not None and strict[0] == enc and not skip:
        return strict[1], enc, problem
    return body[skip:].decode(enc, errors="replace"), enc, problem
