"""What keeps hostile crawled content and other sites away from the review UI.

- Every response carries a strict Content-Security-Policy: scripts only from our own origin and
  never inline (no ``'unsafe-inline'``, no ``'unsafe-eval'``), styles and images only from our
  own ``/static``, no fetches, forms may only post back to us, no framing. Even if escaping
  failed somewhere, a crawled ``<script>`` or ``onerror=`` would not run. Our origin serves
  exactly one script, ``/static/review.js`` (the keyboard shortcuts); everything else it serves
  is HTML, CSS or text under ``nosniff``, so a browser refuses to run it as a script.
- Off loopback, every request needs the access token: ``?token=`` once (swapped for an HttpOnly
  cookie and redirected away so it leaves the address bar), then the cookie, or an
  ``Authorization: Bearer`` header. On loopback the Host header must name loopback, so a
  DNS-rebinding page cannot reach the UI through its own domain.
- Label forms carry a CSRF token that must match a SameSite=Strict cookie (double submit), and a
  cross-site ``Origin`` is refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import URL, Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
TOKEN_COOKIE = "triage_token"
CSRF_COOKIE = "triage_csrf"
CSRF_FIELD = "csrf"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets (False when either is missing)."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGate:
    """ASGI middleware: no response at all without the access token (when one is set)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.token:
            await self.app(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if same(query.get("token"), self.token):
            # Trade the token in the address for a cookie, and drop it from the address.
            rest = urlencode([(k, v) for k, v in parse_qsl(
                scope.get("query_string", b"").decode("latin-1")) if k != "token"])
            url = URL(scope=scope).replace(query=rest)
            target = url.path + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict",
                                secure=url.scheme == "https")
            await response(scope, receive, send)
            return
        request = Request(scope)
        bearer = Headers(scope=scope).get("authorization", "")
        given = bearer[7:] if bearer.lower().startswith("bearer ") else None
        if same(request.cookies.get(TOKEN_COOKIE), self.token) or same(given, self.token):
            await self.app(scope, receive, send)
            return
        await PlainTextResponse(
            "access token required: open the address `triage serve` printed (it ends in "
            "?token=...)\n", status_code=401)(scope, receive, send)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """A POST is ours when its form token matches the cookie and no other site sent it."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != expected:
            return False
    return same(request.cookies.get(CSRF_COOKIE), submitted)
