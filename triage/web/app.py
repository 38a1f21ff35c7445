"""The review UI: a Starlette app rendering Jinja2 templates over :mod:`db.review`.

Server-rendered pages: the queue (filters are a GET form, bulk labels a POST form), one page
with its highlighted text, one number, cluster or domain, and label buttons (POST forms). Every
action works without JavaScript; our one script (``static/review.js``) only adds keyboard
shortcuts that click our own links and buttons. Crawled text is only ever interpolated by
Jinja2 with autoescaping on; see :mod:`triage.web.security` for the CSP, the access token and
CSRF, and :mod:`triage.web.flow` for how "label and next" walks the queue.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from sqlalchemy import Connection, Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from db import labels, review
from db.identifiers import identifiers_of_pages
from investigate.operations import (
    operation_detail,
    operation_of_domains,
    operation_pages,
)
from pipelines import model
from pipelines.operations import KIND_NAMES
from pipelines.types import PADDING_KINDS, PADDING_NAMES, VERDICTS
from triage.web import flow, highlight
from triage.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    LOOPBACK_NAMES,
    SecurityHeaders,
    TokenGate,
    csrf_ok,
)

HERE = Path(__file__).parent
REVIEWER_COOKIE = "triage_reviewer"


def _href(url: str) -> str | None:
    """A crawled URL as a link target only when it is plain http(s); never javascript: etc."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["href"] = _href
    env.filters["score"] = lambda s: "" if s is None else f"{s:.3f}"
    env.filters["unsure"] = lambda s: "" if s is None else f"{s:.2f}"
    env.filters["when"] = lambda s: (s or "")[:16].replace("T", " ")
    env.globals.update(VERDICTS=VERDICTS, LABELS=labels.LABELS, PADDING_KINDS=PADDING_KINDS,
                       PADDING_NAMES=PADDING_NAMES, SORTS=review.SORTS, qs=urlencode)
    return env


class ReviewApp:
    """Views bound to one database; :func:`create_app` wires them into Starlette."""

    def __init__(self, engine: Engine, default_reviewer: str = "", read_only: bool = False,
                 threshold: float | None = None) -> None:
        self.engine = engine
        self.read_only = read_only
        self.default_reviewer = default_reviewer
        # The queue's uncertainty is the distance to the score where the verdict turns.
        self.threshold = model.shipped().spam_threshold if threshold is None else threshold
        self.templates = Jinja2Templates(env=_environment())

    async def _read(self, fn: Callable[[Connection], Any]) -> Any:
        def run() -> Any:
            with self.engine.connect() as conn:
                return fn(conn)
        return await run_in_threadpool(run)

    def render(self, request: Request, name: str, context: dict[str, Any],
               status_code: int = 200) -> Response:
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        reviewer = request.cookies.get(REVIEWER_COOKIE) or self.default_reviewer
        flash = flow.flash_message(request.cookies.get(flow.FLASH_COOKIE))
        response = self.templates.TemplateResponse(
            request, name, {"ctx": "", "nav": None, **context, "csrf": csrf,
                            "reviewer": reviewer, "flash": flash,
                            "here": request.url.path + (f"?{request.url.query}"
                                                        if request.url.query else "")},
            status_code=status_code)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        if flow.FLASH_COOKIE in request.cookies:  # shown once
            response.delete_cookie(flow.FLASH_COOKIE, httponly=True, samesite="strict")
        return response

    def not_found(self, request: Request, what: str) -> Response:
        return self.render(request, "error.html", {"message": f"{what} not found"}, 404)

    async def queue(self, request: Request) -> Response:
        q = request.query_params
        f = flow.queue_filter(q, self.threshold)
        data = await self._read(lambda c: review.queue(c, f))
        params = {k: v for k, v in q.items() if k != "page" and v}
        return self.render(request, "queue.html", {
            "f": f, "cluster_raw": q.get("cluster", "").strip(), "params": params, **data,
            "ctx": flow.queue_query(f), "pages": max(1, -(-data["total"] // review.PAGE_SIZE))})

    async def page(self, request: Request) -> Response:
        page_id = request.path_params["page_id"]
        data = await self._read(lambda c: review.page_detail(c, page_id))
        if data is None:
            return self.not_found(request, f"page {page_id}")
        text = data["text"]
        hits = data["phone_spans"]
        if hits is None:  # stored before occurrence spans were kept: find them once more
            hits = await run_in_threadpool(highlight.number_spans, text,
                                           [n["e164"] for n in data["numbers"]])
        counts = {k: sum(1 for p in data["padding"] if p["kind"] == k) for k in PADDING_KINDS}
        ops = await self._read(lambda c: operation_of_domains(c, [data["domain"]]))
        idents = await self._read(lambda c: identifiers_of_pages(c, [page_id]).get(page_id, []))
        ctx, nav = "", None
        if flow.in_queue(request.query_params):  # opened from the queue: walk that queue
            f = flow.queue_filter(request.query_params, self.threshold)
            ctx = flow.queue_query(f)
            nav = await self._read(lambda c: review.neighbours(c, f, page_id))
        return self.render(request, "page.html", {
            "p": data, "runs": highlight.runs(text, data["padding"], hits),
            "padding_counts": counts, "hits": len(hits), "operation": ops.get(data["domain"]),
            "identifiers": idents, "ctx": ctx, "nav": nav})

    async def number(self, request: Request) -> Response:
        raw = request.path_params["e164"]
        data = await self._read(lambda c: review.number_detail(c, raw))
        if data is None:
            return self.not_found(request, f"number {raw}")
        domains = [d["domain"] for d in data["domains"]]
        ops = await self._read(lambda c: operation_of_domains(c, domains))
        return self.render(request, "number.html", {"n": data,
                                                     "operations": sorted(set(ops.values()))})

    async def operation(self, request: Request) -> Response:
        """Issue 14: one operation: its sites, numbers, identifiers, the ties and its pages."""
        op = request.path_params["op_id"]

        def read(c: Connection) -> dict[str, Any] | None:
            detail = operation_detail(c, op)
            if detail is None:
                return None
            ids = [p["id"] for p in operation_pages(c, op)]
            return {**detail, "page_rows": review.pages_by_id(c, ids),
                    "domain_labels": labels.current(c, "domain", detail["domains"])}
        data = await self._read(read)
        if data is None:
            return self.not_found(request, f"operation {op}")
        return self.render(request, "operation.html", {"o": data, "KIND_NAMES": KIND_NAMES})

    async def group(self, request: Request) -> Response:
        kind = "cluster" if "cluster_id" in request.path_params else "domain"
        key = str(request.path_params.get("cluster_id", request.path_params.get("domain", "")))
        data = await self._read(lambda c: review.group_detail(c, kind, key))
        if data is None:
            return self.not_found(request, f"{kind} {key}")
        return self.render(request, "group.html", {"g": data})

    async def by_url(self, request: Request) -> Response:
        url = request.query_params.get("url", "")
        page_id = await self._read(lambda c: review.page_id(c, url))
        if page_id is None:
            return self.not_found(request, f"page {url}")
        return RedirectResponse(f"/page/{page_id}", status_code=303)

    async def log(self, request: Request) -> Response:
        rows = await self._read(labels.recent)
        return self.render(request, "labels.html", {"rows": rows})

    def _add_label(self, get: Callable[[str], str]) -> dict[str, Any]:
        """One label; an operation's label (issue 14) is a label on each of its domains."""
        target_type, target = get("target_type"), get("target")
        targets = [(target_type, target)]
        if target_type == "operation":
            with self.engine.connect() as conn:
                detail = operation_detail(conn, int(target)) if target.isdigit() else None
            if detail is None:
                raise labels.LabelError(f"no operation {target}: reload the operation's page")
            note = get("note") or f"operation #{target}"
            targets = [("domain", d) for d in detail["domains"]]
            return [labels.add_label(self.engine, t, k, get("label"), reviewer=get("reviewer"),
                                     note=note) for t, k in targets][-1]
        return labels.add_label(self.engine, target_type, target, get("label"),
                                reviewer=get("reviewer"), note=get("note"))

    def _refused(self, request: Request, csrf: str) -> Response | None:
        """Why a label POST is not saved (a read-only server, a forged form), or None."""
        if self.read_only:
            return self.render(request, "error.html", {
                "message": "this review server is read-only (triage serve --read-only): "
                           "labels cannot be saved"}, 403)
        if not csrf_ok(request, csrf):
            return self.render(request, "error.html", {
                "message": "form expired or sent from another site: reload the page and "
                           "label again"}, 403)
        return None

    def _after(self, get: Callable[[str], str]) -> tuple[str, str] | None:
        """Label and next: where a page label sent from a queue goes (read before the label is
        saved, while the page still has its place) and the message; None outside a queue."""
        f = flow.parse_queue(get("queue"), self.threshold)
        if f is None or get("target_type") != "page":
            return None
        with self.engine.connect() as conn:
            pid = review.page_id(conn, get("target").strip())
            nxt = review.neighbours(conn, f, pid)["next"] if pid is not None else None
        if pid is None:
            return None
        ctx = flow.queue_query(f)
        if nxt is None:
            return f"/?{ctx}", flow.flash_value("end", pid, get("label"))
        return f"/page/{nxt}?{ctx}", flow.flash_value("one", pid, get("label"))

    def _saved(self, target: str, reviewer: str, flash: str | None) -> Response:
        """The redirect after a label is saved, remembering the reviewer's name."""
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(REVIEWER_COOKIE, reviewer, httponly=True,
                            samesite="strict", max_age=30 * 86400)
        if flash:
            response.set_cookie(flow.FLASH_COOKIE, flash, httponly=True, samesite="strict",
                                max_age=120)
        return response

    async def _posted(self, request: Request) -> tuple[Callable[[str], str], FormData,
                                                        Response | None]:
        """A label form's fields (``get``), the form, and the refusal when it is not saved."""
        form = await request.form()

        def get(key: str) -> str:
            return str(form.get(key, ""))

        return get, form, self._refused(request, get(CSRF_FIELD))

    async def label(self, request: Request) -> Response:
        get, _form, refused = await self._posted(request)
        if refused is not None:
            return refused
        try:
            then = await run_in_threadpool(self._after, get)
            saved = await run_in_threadpool(self._add_label, get)
        except labels.LabelError as exc:
            return self.render(request, "error.html", {"message": str(exc)}, 400)
        target, flash = then if then is not None else (get("next"), None)
        return self._saved(target, saved["reviewer"], flash)

    def _add_bulk(self, raw: Sequence[str], get: Callable[[str], str]) -> int:
        """One label row per ticked page (ids from the queue), all in one transaction."""
        if not raw:
            raise labels.LabelError("no pages ticked: tick the pages to label in the queue, "
                                    "then press a label button")
        if not all(v.isdigit() for v in raw):
            raise labels.LabelError("page ids are numbers: reload the queue and tick again")
        ids = list(dict.fromkeys(int(v) for v in raw))
        if len(ids) > review.MAX_BULK:
            raise labels.LabelError(f"{len(ids)} pages ticked: label at most "
                                    f"{review.MAX_BULK} at once")
        with self.engine.connect() as conn:
            urls = review.page_urls(conn, ids)
        missing = [i for i in ids if i not in urls]
        if missing:
            raise labels.LabelError(f"no page #{missing[0]} in the database: reload the queue")
        return len(labels.add_labels(self.engine, "page", [urls[i] for i in ids], get("label"),
                                     reviewer=get("reviewer"), note=get("note")))

    async def bulk(self, request: Request) -> Response:
        """Bulk labels from the queue: the ticked pages get the same label, reviewer and note."""
        get, form, refused = await self._posted(request)
        if refused is not None:
            return refused
        raw = [str(v) for v in form.getlist("page")]
        try:
            count = await run_in_threadpool(self._add_bulk, raw, get)
        except labels.LabelError as exc:
            return self.render(request, "error.html", {"message": str(exc)}, 400)
        f = flow.parse_queue(get("queue"), self.threshold)
        target = f"/?{flow.queue_query(f)}" if f is not None else "/"
        reviewer = " ".join(get("reviewer").split())
        return self._saved(target, reviewer, flow.flash_value("bulk", count, get("label")))


def create_app(engine: Engine, *, token: str | None = None,
               allowed_hosts: Sequence[str] | None = LOOPBACK_NAMES,
               reviewer: str = "", read_only: bool = False,
               threshold: float | None = None) -> Starlette:
    """The ASGI app. ``allowed_hosts=None`` accepts any Host (for a token-protected public
    address); the default accepts loopback names only. ``threshold`` is the score where the
    verdict turns (default: the shipped model's spam threshold)."""
    views = ReviewApp(engine, reviewer, read_only, threshold)
    routes = [
        Route("/", views.queue),
        Route("/page/{page_id:int}", views.page),
        Route("/number/{e164}", views.number),
        Route("/cluster/{cluster_id:int}", views.group),
        Route("/domain/{domain}", views.group),
        Route("/operation/{op_id:int}", views.operation),
        Route("/labels", views.log),
        Route("/page", views.by_url),
        Route("/label", views.label, methods=["POST"]),
        Route("/label/bulk", views.bulk, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(TokenGate, token=token)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    return Starlette(routes=routes, middleware=middleware)
