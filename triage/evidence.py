"""Takedown packets (``triage evidence``): everything on a number, domain, operation or URL.

A packet directory holds:

- ``manifest.json``: the subject, when and by which tool version it was made, and per page its
  URL, final URL, fetch time, status, client profile, SHA-256 of the body, verdict, score,
  reasons, numbers, brands, cloaking (flag, kinds, what each profile was shown), how it was
  reached (the page linking to it, the search-results Referer the crawl sent, the search query
  if known) and its WARC records (the archive file, offset and record id, and where the same
  record lies in ``evidence.warc.gz``);
- ``evidence.warc.gz``: a ``warcinfo`` record, then the request/response records of those pages,
  copied byte for byte (gzip members) from the crawl's archive, so their digests still hold;
- ``report.txt`` and ``report.html`` (:mod:`triage.evidence_report`): the complaint in Chinese,
  ready to paste into a 12321 or carrier form;
- ``screenshots/`` when headless Chromium is installed (the archived page rendered offline,
  scripts off), else a note in the manifest;
- ``SHA256SUMS``: the SHA-256 of every other file (``sha256sum -c SHA256SUMS`` verifies it).

Which pages: spam pages (``hotline_spam``/``seo_spam``) advertising the number, or shown it in a
cloaked version; spam or cloaked pages of the domain (and its subdomains); the pages of the
operation; the URL asked for, whatever its verdict.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from db.archive import archives_of
from db.models import Number, Page, PageNumber, PageVersion
from db.queries import iso, iter_pages
from pipelines.items.warc import read_body, read_record_bytes
from pipelines.types import SPAM_VERDICTS

# Put before the archived page: the browser applies it, so scripts do not run and nothing loads.
OFFLINE = (b'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           b'style-src \'unsafe-inline\'; img-src data:">')
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


@dataclass
class Subject:
    numbers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {"numbers": self.numbers, "domains": self.domains,
                "operations": self.operations, "urls": self.urls}

    def empty(self) -> bool:
        return not (self.numbers or self.domains or self.operations or self.urls)


def to_e164(number: str) -> str:
    """A number as typed by an analyst (``400-612-3456``, ``+86 400 612 3456``) as E.164."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        raise ValueError(f"bad --number {number!r}: not a phone number") from None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _operation_pages(conn: Connection, operation: str) -> list[int]:
    """Spam page ids of an operation (``triage export operations``: its ``operation`` id, also
    written ``op:N``), from issue 14's :func:`investigate.operations.operation_pages`."""
    from investigate.operations import operation_pages

    key = operation.removeprefix("op:")
    if not key.isdigit():
        raise ValueError(f"unknown operation {operation!r}: expected an operation id from "
                         "`triage export operations`")
    pages = operation_pages(conn, int(key))
    if not pages:
        raise ValueError(f"no operation {key} in the database: see `triage export operations`")
    return [int(p["id"]) for p in pages if p["verdict"] in SPAM_VERDICTS]


def select_pages(conn: Connection, subject: Subject) -> list[int]:
    """The ids of the pages the packet holds (see the module docstring)."""
    ids: set[int] = set()
    for number in subject.numbers:
        e164 = to_e164(number)
        ids |= set(conn.execute(
            select(Page.id).join(PageNumber, PageNumber.page_id == Page.id)
            .join(Number, Number.id == PageNumber.number_id)
            .where(Number.e164 == e164, PageNumber.advertised.is_(True),
                   Page.verdict.in_(SPAM_VERDICTS))).scalars())
        for pid, numbers in conn.execute(select(PageVersion.page_id, PageVersion.numbers)):
            if e164 in (numbers or []):
                ids.add(pid)
    for domain in subject.domains:
        d = domain.lower().strip().strip(".")
        rows = conn.execute(select(Page.id, Page.verdict, Page.flags).where(
            or_(Page.domain == d, Page.domain.like(f"%.{d}"), Page.domain.like(f"{d}:%"))))
        ids |= {r.id for r in rows if r.verdict in SPAM_VERDICTS or "cloaking" in (r.flags or [])}
    for operation in subject.operations:
        ids |= set(_operation_pages(conn, operation))
    for url in subject.urls:
        ids |= set(conn.execute(select(Page.id).where(Page.url == url)).scalars())
    return sorted(ids)


def _versions(conn: Connection, page_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(*PageVersion.__table__.c).where(PageVersion.page_id == page_id)
                        .order_by(PageVersion.variant)).all()
    return [{"profile": v.variant, "status": v.status, "verdict": v.verdict,
             "numbers": list(v.numbers or []), "brands": list(v.brands or []),
             "redirect": v.redirect, "sha256": v.content_hash, "fetched_at": iso(v.fetched_at)}
            for v in rows]


def _latest_per_profile(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:  # newest first
        seen.setdefault(r["profile"], r)
    return list(seen.values())


def gather(conn: Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The manifest entries of the pages ``ids`` (archive rows under ``_archives``)."""
    by_url = dict(conn.execute(select(Page.url, Page.id).where(Page.id.in_(list(ids)))).all())
    archives = archives_of(conn, list(ids))
    out = []
    for p in iter_pages(conn, ids=ids):
        pid = by_url[p["url"]]
        rows = _latest_per_profile(archives.get(pid, []))
        own = next((r for r in rows if r["payload_sha256"] == p["content_hash"]), None)
        out.append({
            "url": p["url"], "final_url": p["final_url"], "fetched_at": p["fetched_at"],
            "first_seen": p["first_seen"], "last_seen": p["last_seen"], "status": p["status"],
            "profile": p.get("profile"), "sha256": p["content_hash"], "verdict": p["verdict"],
            "score": p["score"], "reasons": p["reasons"], "title": p["title"],
            "numbers": [n["e164"] for n in p["numbers"] if n.get("advertised")],
            "numbers_detail": p["numbers"], "brands": p["brands"],
            "cloaking": {"flagged": "cloaking" in p["flags"], "kinds": p["cloaking_kinds"],
                         "versions": _versions(conn, pid)},
            "referrer": p.get("referrer"),
            "reached": {"linked_from": p.get("referrer"), "referer_sent": p.get("referer_sent"),
                        "search_query": _query(p.get("referer_sent"))},
            "warc": [{"profile": r["profile"], "archive_file": r["warc_file"],
                      "archive_offset": r["offset"], "record_id": r["record_id"],
                      "payload_sha256": r["payload_sha256"], "_dir": r["archive_dir"],
                      "_length": r["length"]} for r in rows],
            "warc_file": own["warc_file"] if own else None,
            "record_id": own["record_id"] if own else None,
        })
    return out


def _query(referer: str | None) -> str | None:
    """The search query a search-results Referer names (wd=, query=, q=)."""
    if not referer:
        return None
    from urllib.parse import parse_qs, urlsplit

    params = parse_qs(urlsplit(referer).query)
    for key in ("wd", "word", "query", "q"):
        if params.get(key):
            return params[key][0]
    return None


def _write_warc(out: Path, pages: list[dict[str, Any]]) -> list[str]:
    """evidence.warc.gz; the notes on records that could not be copied."""
    from warcio.warcwriter import WARCWriter

    notes = []
    with open(out / "evidence.warc.gz", "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record("evidence.warc.gz", {
            "software": f"hotline-triage {tool_version()}",
            "description": "evidence packet: records copied from the crawl archive"}))
        for page in pages:
            for rec in page["warc"]:
                try:
                    data = read_record_bytes(rec["_dir"], rec["archive_file"],
                                             int(rec["archive_offset"]), int(rec["_length"]))
                except OSError as exc:
                    notes.append(f"{page['url']}: archive record missing ({exc.strerror})")
                    continue
                rec["packet_offset"] = f.tell()
                f.write(data)
    return notes


def tool_version() -> str:
    try:
        return metadata.version("hotline-triage")
    except metadata.PackageNotFoundError:
        return "unknown"


def _chromium() -> str | None:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


def _screenshots(out: Path, pages: list[dict[str, Any]]) -> str:
    """Archived pages rendered offline by headless Chromium (scripts off); a note."""
    browser = _chromium()
    if browser is None:
        return "screenshots skipped: headless Chromium is not installed"
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    made = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, page in enumerate(pages, 1):
            rec = next((r for r in page["warc"] if r["payload_sha256"] == page["sha256"]), None)
            if rec is None:
                continue
            body, _ = read_body(rec["_dir"], rec["archive_file"], int(rec["archive_offset"]))
            src = Path(tmp) / f"{i}.html"
            src.write_bytes(OFFLINE + body)  # no scripts, nothing fetched from the network
            png = shots / f"page-{i:03d}.png"
            try:
                subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                                f"--user-data-dir={tmp}/profile", "--hide-scrollbars",
                                "--window-size=1280,1600", f"--screenshot={png}",
                                src.as_uri()], capture_output=True, timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if png.exists():
                page["screenshot"] = f"screenshots/{png.name}"
                made += 1
    return f"{made} of {len(pages)} pages rendered by {browser} from the archive, scripts off"


def build_packet(engine: Engine, subject: Subject, out: str | Path, *,
                 screenshots: bool = True) -> dict[str, Any]:
    """Write the packet for ``subject`` into ``out``; returns the manifest."""
    from triage.evidence_report import report_html, report_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        pages = gather(conn, select_pages(conn, subject))
    notes = _write_warc(out, pages)
    notes += [f"{p['url']}: not archived (crawled with TRIAGE_ARCHIVE=off, or before issue 13)"
              for p in pages if not p["warc"]]
    notes.append(_screenshots(out, pages) if screenshots and pages else "screenshots not made")
    for page in pages:
        for rec in page["warc"]:
            rec.pop("_dir", None)
            rec.pop("_length", None)
    manifest = {"subject": subject.to_dict(),
                "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "tool": "hotline-triage", "tool_version": tool_version(),
                "pages": pages, "notes": notes}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                       encoding="utf-8")
    (out / "report.txt").write_text(report_text(manifest), encoding="utf-8")
    (out / "report.html").write_text(report_html(manifest), encoding="utf-8")
    _write_sums(out)
    return manifest


def _write_sums(out: Path) -> None:
    lines = io.StringIO()
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.write(f"{digest}  {path.relative_to(out).as_posix()}\n")
    (out / "SHA256SUMS").write_text(lines.getvalue(), encoding="utf-8")
