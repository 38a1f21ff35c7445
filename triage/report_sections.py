"""The sections of ``triage report --html`` an analyst forwards (issue 13): number verdicts with
their reasons, the blocklist with evidence counts and example URLs, what is new since the last
run, the errors, the cloaking found, and a timeline that still says something when all the data
is from one day (hours instead of days).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from html import escape
from typing import Any

from markupsafe import Markup
from sqlalchemy import Connection, func, select

from db import queries
from db.blocklist import iter_blocklist
from db.models import Number, Page
from pipelines.types import SPAM_VERDICTS

WIDTH = 720


def number_verdicts(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """Scored numbers, most suspicious first, each with the reasons behind its verdict."""
    rows = [n for n in queries.iter_numbers(conn) if n["verdict"] and n["kind"] != "malformed"]
    rows.sort(key=lambda n: (-(n["score"] or 0), n["e164"]))
    official = set(conn.execute(select(Number.e164).where(Number.verdict == "official")).scalars())
    out = []
    for n in rows[:limit]:
        reasons = [f"advertised on {n['pages']} page(s) on {len(n['domains'])} domain(s)"
                   if n["advertised"] else f"quoted on {n['pages']} page(s), never advertised"]
        if n["brands"]:
            reasons.append("pages claim " + ", ".join(n["brands"][:3]))
        if n["score"] is not None:
            reasons.append(f"reputation score {n['score']:.2f} from the pages and numbers it "
                           "shares pages with")
        if n["e164"] in official:
            reasons.append("a brand's official number")
        out.append(n | {"reasons": reasons})
    return out


def blocklist(conn: Connection, limit: int) -> tuple[list[dict[str, Any]], int]:
    rows = list(iter_blocklist(conn))
    return rows[:limit], len(rows)


def errors(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """Fetch and analysis errors of the latest run, by kind (the text before the first ':')."""
    latest = conn.execute(select(func.max(Page.run_id))).scalar()
    kinds: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for url, error in conn.execute(select(Page.url, Page.error).where(
            Page.run_id == latest, Page.error != "")):
        kind = error.split(":", 1)[0].split(";", 1)[0][:60]
        kinds[kind] += 1
        examples.setdefault(kind, url)
    return [{"kind": k, "pages": c, "example": examples[k]} for k, c in kinds.most_common(limit)]


def cloaking(conn: Connection, limit: int) -> tuple[list[dict[str, Any]], Counter[str]]:
    pages: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    for url, domain, verdict, flags, found in conn.execute(
            select(Page.url, Page.domain, Page.verdict, Page.flags, Page.cloaking_kinds)
            .order_by(Page.url)):
        if "cloaking" not in (flags or []):
            continue
        kinds.update(found or [])
        pages.append({"url": url, "domain": domain, "verdict": verdict, "kinds": found or []})
    return pages[:limit], kinds


def hourly_chart(conn: Connection, title: str) -> Markup:
    """Pages fetched and spam pages found per hour (for data that spans a day or less)."""
    hours: Counter[datetime] = Counter()
    spam: Counter[datetime] = Counter()
    for when, verdict in conn.execute(select(Page.fetched_at, Page.verdict)):
        if when is None:
            continue
        hour = when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        hours[hour] += 1
        spam[hour] += verdict in SPAM_VERDICTS
    if not hours:
        return Markup(f'<p class="empty">{escape(title)}: nothing fetched yet</p>')
    slots = sorted(hours)
    left, top, plot_h, height = 50, 14, 200, 260
    slot_w = (WIDTH - left - 20) / len(slots)
    peak = max(hours.values())
    parts = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
             f"<title>{escape(title)}</title>"]
    for i, hour in enumerate(slots):
        x = left + i * slot_w
        for count, colour in ((hours[hour], "#2c6fbb"), (spam[hour], "#c0392b")):
            h = plot_h * count / peak
            parts.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" '
                         f'width="{max(slot_w - 2, 1):.1f}" height="{h:.1f}" fill="{colour}">'
                         f"<title>{hour:%Y-%m-%d %H}:00 UTC: {hours[hour]} pages, "
                         f"{spam[hour]} spam</title></rect>")
        parts.append(f'<text x="{x + slot_w / 2:.1f}" y="{top + plot_h + 16}" '
                     f'text-anchor="middle">{hour:%H}h</text>')
    parts.append(f'<text x="{left}" y="{height - 8}">{slots[0]:%Y-%m-%d} (UTC), '
                 f"{sum(hours.values())} pages, peak {peak} an hour</text></svg>")
    return Markup("".join(parts))


def sections(conn: Connection, limit: int) -> dict[str, Any]:
    blocked, blocked_total = blocklist(conn, limit)
    cloaked, kinds = cloaking(conn, limit)
    return {"number_verdicts": number_verdicts(conn, limit), "blocklist": blocked,
            "blocklist_total": blocked_total, "new": queries.new_in_latest_run(conn, limit),
            "errors": errors(conn, limit), "cloaked": cloaked,
            "cloaking_kinds": sorted(kinds.items())}


FRAGMENT = """
<h2>Number verdicts</h2>
<table><thead><tr><th>number</th><th>verdict</th><th>score</th><th>why</th></tr></thead><tbody>
{% for n in number_verdicts %}<tr><td>{{ n.e164 }}</td><td>{{ n.verdict }}</td>
<td class="n">{{ n.score }}</td><td>{{ n.reasons|join("; ") }}</td></tr>
{% else %}<tr><td colspan="4" class="empty">no scored numbers</td></tr>{% endfor %}
</tbody></table>
<h2>Blocklist ({{ blocklist_total }} numbers)</h2>
<table><thead><tr><th>number</th><th>verdict</th><th>evidence pages</th><th>domains</th>
<th>first / last seen</th><th>example URLs</th></tr></thead><tbody>
{% for b in blocklist %}<tr><td>{{ b.number }}</td><td>{{ b.verdict }}</td>
<td class="n">{{ b.evidence }}</td><td class="n">{{ b.domains }}</td>
<td>{{ b.first_seen }} / {{ b.last_seen }}</td><td>{{ b.example_urls|join(" ") }}</td></tr>
{% else %}<tr><td colspan="6" class="empty">nothing to block</td></tr>{% endfor %}
</tbody></table>
<h2>New since the last run</h2>
{% if new %}<p>Run {{ new.run.id }}: {{ new.new_numbers_total }} new numbers,
{{ new.new_spam_pages_total }} new spam pages, new spam domains:
{{ new.new_spam_domains|join(", ") or "none" }}.</p>
<ul>{% for n in new.new_numbers %}<li>{{ n.e164 }} ({{ n.kind }}, {{ n.domains }} domains)</li>{% endfor %}
{% for p in new.new_spam_pages %}<li>{{ p.url }} ({{ p.verdict }})</li>{% endfor %}</ul>
{% else %}<p class="empty">no crawl run yet</p>{% endif %}
<h2>Cloaking found</h2>
<p>{% for k, c in cloaking_kinds %}{{ k }}: {{ c }} page(s){% if not loop.last %}, {% endif %}
{% else %}no cloaked pages{% endfor %}</p>
<ul>{% for c in cloaked %}<li>{{ c.url }}: {{ c.kinds|join(", ") }} ({{ c.verdict }})</li>{% endfor %}</ul>
<h2>Errors (latest run)</h2>
<table><thead><tr><th>error</th><th>pages</th><th>example</th></tr></thead><tbody>
{% for e in errors %}<tr><td>{{ e.kind }}</td><td class="n">{{ e.pages }}</td><td>{{ e.example }}</td></tr>
{% else %}<tr><td colspan="3" class="empty">no errors</td></tr>{% endfor %}
</tbody></table>
"""
