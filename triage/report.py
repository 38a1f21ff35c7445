"""``triage report --html FILE``: the report as one self-contained HTML file with SVG charts.

Charts (new numbers over time, verdict mix, most impersonated brands) are drawn here as inline
SVG, so the file opens anywhere, offline, with no JavaScript and nothing fetched from a CDN. A
Content-Security-Policy meta tag forbids scripts and remote loads; every crawled string (brands,
domains, numbers) is escaped by Jinja2's autoescaping or :func:`html.escape` inside the SVG.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from sqlalchemy import Connection, Engine, select

from db import queries
from db.models import Number
from triage.report_sections import FRAGMENT, hourly_chart, sections

WIDTH = 720
BAR = 22
COLOURS = {"hotline_spam": "#c0392b", "seo_spam": "#e67e22", "clean": "#27ae60",
           queries.NOT_ANALYSED: "#95a5a6"}
DEFAULT_COLOUR = "#2c6fbb"


def numbers_by_day(conn: Connection) -> list[tuple[date, int, int]]:
    """(day, numbers first seen that day, numbers known by the end of it), oldest first."""
    days = Counter(d.astimezone(UTC).date() for d in
                   conn.execute(select(Number.first_seen)).scalars() if d is not None)
    out: list[tuple[date, int, int]] = []
    total = 0
    for day in sorted(days):
        total += days[day]
        out.append((day, days[day], total))
    return out


def _text(x: float, y: float, s: str, *, anchor: str = "start", cls: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
            f'{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{escape(s)}</text>')


def _svg(title: str, height: int) -> list[str]:
    head = (f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">')
    return [head, f"<title>{escape(title)}</title>"]


def bar_chart(items: list[tuple[str, int]], title: str,
              colours: dict[str, str] | None = None) -> Markup:
    """Horizontal bars, one per (label, value), labels escaped."""
    if not items:
        return Markup(f'<p class="empty">{escape(title)}: nothing to show</p>')
    label_w, top = 220, 8
    height = top + BAR * len(items) + 8
    peak = max(v for _, v in items) or 1
    parts = _svg(title, height)
    for i, (label, value) in enumerate(items):
        y = top + i * BAR
        w = (WIDTH - label_w - 70) * value / peak
        colour = (colours or {}).get(label, DEFAULT_COLOUR)
        shown = label if len(label) <= 28 else label[:27] + "…"
        bar = (f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{BAR - 6}" '
               f'fill="{colour}"><title>{escape(label)}: {value}</title></rect>')
        parts += [_text(label_w - 8, y + 15, shown, anchor="end"), bar,
                  _text(label_w + w + 6, y + 15, str(value), cls="value")]
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(days: list[tuple[date, int, int]], title: str) -> Markup:
    """New numbers per day (bars) and numbers known so far (line), on one time axis."""
    if not days:
        return Markup(f'<p class="empty">{escape(title)}: no numbers yet</p>')
    left, right, top, bottom, height = 50, 20, 14, 40, 260
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    first, last = days[0][0], days[-1][0]
    span = max((last - first).days, 1)
    peak_new = max(n for _, n, _ in days) or 1
    peak_total = days[-1][2] or 1
    slot = plot_w / (span + 1)

    def x(day: date) -> float:
        return left + (day - first).days * slot

    parts = _svg(title, height)
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
                 f'y2="{top + plot_h}" class="axis"/>')
    for day, new, _ in days:
        h = plot_h * new / peak_new
        parts.append(f'<rect x="{x(day) + 1:.1f}" y="{top + plot_h - h:.1f}" '
                     f'width="{max(slot - 2, 1):.1f}" height="{h:.1f}" fill="{DEFAULT_COLOUR}">'
                     f"<title>{day.isoformat()}: {new} new</title></rect>")
    points = " ".join(f"{x(d) + slot / 2:.1f},{top + plot_h - plot_h * t / peak_total:.1f}"
                      for d, _, t in days)
    parts += [f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2"/>',
              _text(left - 6, top + 10, str(peak_new), anchor="end", cls="value"),
              _text(left + 8, top + 10, f"{peak_total} numbers known", cls="line"),
              _text(left, height - 12, first.isoformat()),
              _text(left + plot_w, height - 12, last.isoformat(), anchor="end"),
              "</svg>"]
    return Markup("".join(parts))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>hotline-triage report {{ generated }}</title>
<style>
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em; color: #1d2330; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; } th, td { padding: .3em .6em; border-bottom: 1px solid #ddd;
 text-align: left; } td.n { text-align: right; }
svg text { font-size: 12px; fill: #1d2330; } svg .value { fill: #555; } svg .line { fill: #c0392b; }
svg .axis { stroke: #999; } .legend span { margin-right: 1.5em; } .empty { color: #888; }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: middle; }
</style></head><body>
<h1>hotline-triage report</h1>
<p>{{ totals.pages }} pages on {{ totals.domains }} domains, {{ totals.numbers }} numbers,
{{ totals.brands }} brands, {{ totals.runs }} crawl runs. Generated {{ generated }} UTC.</p>
<h2>Timeline</h2>
<p class="legend"><span><i class="swatch" style="background:#2c6fbb"></i> new numbers per day</span>
<span><i class="swatch" style="background:#c0392b"></i> numbers known</span></p>
{{ timeline }}
<h2>Verdict mix</h2>
{{ verdicts }}
<h2>Most impersonated brands (spam pages)</h2>
{{ brands }}
<h2>Top advertised numbers</h2>
<table><thead><tr><th>number</th><th>kind</th><th>domains</th><th>pages</th><th>brands</th></tr>
</thead><tbody>
{% for n in numbers %}<tr><td>{{ n.e164 }}</td><td>{{ n.kind }}</td><td class="n">{{ n.domains }}</td>
<td class="n">{{ n.pages }}</td><td>{{ n.brands|join(", ") }}</td></tr>
{% else %}<tr><td colspan="5" class="empty">no advertised numbers on spam pages</td></tr>{% endfor %}
</tbody></table>
{{ fragment }}
<h2>Top domains</h2>
<table><thead><tr><th>domain</th><th>spam pages</th><th>pages</th><th>numbers</th></tr></thead><tbody>
{% for d in domains %}<tr><td>{{ d.domain }}</td><td class="n">{{ d.spam_pages }}</td>
<td class="n">{{ d.pages }}</td><td class="n">{{ d.numbers }}</td></tr>
{% else %}<tr><td colspan="4" class="empty">no spam pages</td></tr>{% endfor %}
</tbody></table>
</body></html>
"""


def _timeline(conn: Connection) -> Markup:
    """New numbers per day; when all of it is from one day, pages and spam per hour."""
    days = numbers_by_day(conn)
    if len(days) <= 1:
        return hourly_chart(conn, "Pages fetched and spam found per hour")
    return timeline_chart(days, "New numbers per day")


def render_report(engine: Engine, limit: int = 10, now: datetime | None = None) -> str:
    """The whole HTML report for the database behind ``engine``."""
    with engine.connect() as conn:
        data: dict[str, Any] = {
            "totals": queries.totals(conn), "numbers": queries.top_numbers(conn, limit),
            "domains": queries.top_domains(conn, limit),
            "timeline": _timeline(conn),
            "verdicts": bar_chart(queries.verdict_counts(conn), "Pages per verdict", COLOURS),
            "brands": bar_chart([(b["brand"], b["pages"]) for b in queries.top_brands(conn, limit)],
                                "Spam pages per brand"),
        }
        extra = sections(conn, limit)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    data["fragment"] = Markup(env.from_string(FRAGMENT).render(**extra))
    data["generated"] = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M")
    return env.from_string(PAGE).render(**data)


def write_report(engine: Engine, path: str, limit: int = 10) -> str:
    """Write the HTML report to ``path`` (the whole file or nothing); returns a one-line
    summary. Raises :class:`OSError` when the file cannot be written."""
    html = render_report(engine, limit)
    Path(path).write_text(html, encoding="utf-8")
    return f"wrote {path} ({len(html.encode()) // 1024 + 1} KiB)"
