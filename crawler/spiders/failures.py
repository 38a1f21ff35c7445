"""One line for each way a fetch can fail, as stored in the item's ``error``.

Users read these in reports and exports, so they name the cause in plain words (``timeout``,
``too large``, ``redirect loop``, ``blocked: ...``) and keep Scrapy's detail after a colon.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

from crawler.middlewares.netguard import BlockedRequest
from crawler.middlewares.resolver import installed_resolver

MAX_ERROR_CHARS = 300
_REQUEST_REPR = re.compile(r"\s*in request <[A-Z]+ [^>]*>\.?")


def one_line(text: str) -> str:
    text = " ".join(_REQUEST_REPR.sub("", str(text)).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _dns_error(request: Any) -> str:
    """A DNS failure, or ``blocked: ...`` when the safe resolver refused every address."""
    resolver = installed_resolver()
    if request is not None and resolver is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(request.url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
        reason = resolver.refusal(parts.hostname or "", port)
        if reason:
            redirected = " (redirected to " + request.url + ")" if request.meta.get("redirect_urls") else ""
            return f"blocked: {reason}{redirected}"
    return "dns error: cannot resolve host"


def describe_failure(failure: Failure, request: Any = None) -> tuple[int, str]:
    """``(status, error)`` for a failed request; status is 0 unless a response came back."""
    exc = failure.value
    if isinstance(exc, BlockedRequest):
        return 0, one_line(str(exc))
    if isinstance(exc, HttpError):
        return exc.response.status, f"http {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "max redirections" in text:
            return 0, "redirect loop: too many redirects"
        if "DOWNLOAD_MAXSIZE" in text:
            return 0, one_line(f"too large: {text}")
        return 0, one_line(f"ignored: {text}" if text else "ignored")
    if isinstance(exc, DownloadTimeoutError) or failure.check(tx_error.TimeoutError):
        return 0, one_line(f"timeout: {exc}")
    if isinstance(exc, DownloadCancelledError):
        # The HTTP/1.1 handler cancels with the size in the message when Content-Length is over
        # the cap, and with no message when a streamed body crosses it (timeouts have their
        # own error), so an empty message means "too large" too.
        if "max size" in str(exc) or not str(exc):
            return 0, one_line(f"too large: {str(exc) or 'body over DOWNLOAD_MAXSIZE'}")
        return 0, one_line(f"cancelled: {exc}")
    if isinstance(exc, CannotResolveHostError) or failure.check(tx_error.DNSLookupError):
        return 0, _dns_error(request)
    if isinstance(exc, DownloadConnectionRefusedError) or failure.check(tx_error.ConnectionRefusedError):
        return 0, "connection refused"
    if isinstance(exc, ResponseDataLossError):
        return 0, one_line(f"data loss: {exc}")
    if isinstance(exc, DownloadFailedError):
        return 0, one_line(f"download failed: {exc}")
    return 0, one_line(f"{type(exc).__name__}: {exc}")
