"""WARC files of fetched responses (warcio): writing with rotation, reading a record back.

Layout of an archive directory: ``triage-YYYYMMDDHHMMSS-NNNNN.warc.gz`` files, each a sequence of
gzip members, one per record (so any record can be read or copied from its offset), starting
with a ``warcinfo`` record. Each archived fetch is a ``response`` record (the HTTP status line,
the response headers and the body as Scrapy received it) followed by its ``request`` record
(``WARC-Concurrent-To`` the response; the headers we sent: user agent, Referer). The body is
stored decoded (Scrapy undoes gzip and chunking), so ``Content-Encoding`` and
``Transfer-Encoding`` are renamed ``X-Archive-Orig-*`` and ``Content-Length`` is the body's, as
pywb does. ``WARC-Payload-Digest`` is ``sha256:`` + the base32 SHA-256 of the body (the hex of
the same hash is ``pages.content_hash``); warcio adds a SHA-1 ``WARC-Block-Digest``.

A file is closed and a new one opened once it reaches ``max_bytes``. The writer is not
thread-safe: the archive pipeline calls it from one worker thread.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

RENAMED = ("content-encoding", "transfer-encoding")
SOFTWARE = "hotline-triage"


def payload_digest(body: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


def _http_headers(status: int, headers: list[tuple[str, str]], body: bytes,
                  protocol: str) -> StatusAndHeaders:
    out: list[tuple[str, str]] = []
    for name, value in headers:
        low = name.lower()
        if low in RENAMED:
            out.append((f"X-Archive-Orig-{name}", value))
        elif low != "content-length":
            out.append((name, value))
    out.append(("Content-Length", str(len(body))))
    proto = protocol if protocol.upper().startswith("HTTP/") else "HTTP/1.1"
    return StatusAndHeaders(f"{status} {_reason(status)}", out, protocol=proto)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class ArchiveWriter:
    """Appends request/response pairs to rotating gzip WARC files under ``directory``."""

    def __init__(self, directory: str | Path, max_bytes: int = 100 * 1024 * 1024) -> None:
        self.directory = Path(directory)
        self.max_bytes = max(1, max_bytes)
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._serial = 0

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            name = f"triage-{stamp}-{os.getpid() % 100000:05d}{self._serial:03d}.warc.gz"
            if not (self.directory / name).exists():
                break
        self._name = name
        self._file = open(self.directory / name, "ab")  # noqa: SIM115 - closed on rotation
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(name, {
            "software": SOFTWARE, "format": "WARC File Format 1.1",
            "description": "responses fetched by the hotline-triage crawler"})
        self._writer.write_record(info)

    def write(self, *, url: str, status: int, body: bytes, http: dict[str, Any],
              fetched_at: str = "") -> dict[str, Any]:
        """Write one fetch; its location: warc_file, offset, length, record_id, payload_sha256."""
        if self._file is None or self._file.tell() >= self.max_bytes:
            self.close()
            self._open()
        assert self._file is not None and self._writer is not None
        date = fetched_at or datetime.now(UTC).isoformat(timespec="seconds")
        date = date.replace("+00:00", "Z")
        headers = _http_headers(status, list(http.get("response_headers") or []), body,
                                str(http.get("protocol") or "HTTP/1.1"))
        response = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": payload_digest(body)})
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        request_headers = StatusAndHeaders(
            f"{http.get('method') or 'GET'} /{path} HTTP/1.1",
            list(http.get("request_headers") or []), is_http_request=True)
        request = self._writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0, http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To":
                               response.rec_headers.get_header("WARC-Record-ID")})
        offset = self._file.tell()
        self._writer.write_record(response)
        self._writer.write_record(request)
        self._file.flush()
        return {"warc_file": self._name, "offset": offset, "length": self._file.tell() - offset,
                "record_id": response.rec_headers.get_header("WARC-Record-ID"),
                "payload_sha256": hashlib.sha256(body).hexdigest(), "status": status}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = self._writer = None


def read_record_bytes(directory: str | Path, warc_file: str, offset: int, length: int) -> bytes:
    """The raw gzip members of one archived fetch (response + request), to copy elsewhere."""
    with open(Path(directory) / warc_file, "rb") as f:
        f.seek(offset)
        return f.read(length)


def read_body(directory: str | Path, warc_file: str, offset: int) -> tuple[bytes, dict[str, str]]:
    """The body and HTTP headers of the response record at ``offset`` of ``warc_file``."""
    with open(Path(directory) / warc_file, "rb") as f:
        f.seek(offset)
        for record in ArchiveIterator(f):
            if record.rec_type != "response":
                break
            headers = dict(record.http_headers.headers) if record.http_headers else {}
            return record.content_stream().read(), headers
    raise ValueError(f"no response record at offset {offset} of {warc_file}")
