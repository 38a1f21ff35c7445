"""How a reviewer moves through the queue: the queue a page was opened from, carried in its
address and in its label forms, and the one-line message shown after a label is saved.

A page opened from the queue carries the queue's filters and order in its query string (always
with ``sort``, which is how the page view knows it is in a queue), so "label and next", j/k and
"back to the queue" all walk the same queue. The message after a label travels in a short-lived
SameSite=Strict cookie holding only a kind, a count and a label name, never text: another site
cannot set it, and the sentence is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from db import labels, review
from pipelines.types import VERDICTS

FLASH_COOKIE = "triage_flash"
FLASH_KINDS = ("one", "bulk", "end")


def queue_filter(q: Mapping[str, str], threshold: float) -> review.QueueFilter:
    """The queue a reviewer asked for, from a query string's fields (bad values ignored)."""
    cluster_raw = q.get("cluster", "").strip()
    return review.QueueFilter(
        verdict=q.get("verdict", "") if q.get("verdict", "") in VERDICTS else "",
        brand=q.get("brand", ""), domain=q.get("domain", ""), number=q.get("number", ""),
        cluster=int(cluster_raw) if cluster_raw.lstrip("-").isdigit() else None,
        unreviewed=q.get("unreviewed") in ("1", "on", "true"),
        sort=q.get("sort", "") if q.get("sort") in review.SORTS else review.SORTS[0],
        page=int(q["page"]) if q.get("page", "").isdigit() else 1, threshold=threshold)


def queue_query(f: review.QueueFilter) -> str:
    """The query string that names queue ``f`` (without its screen number), ``sort`` always."""
    fields = {"verdict": f.verdict, "brand": f.brand, "domain": f.domain, "number": f.number,
              "cluster": "" if f.cluster is None else str(f.cluster),
              "unreviewed": "1" if f.unreviewed else "", "sort": f.sort}
    return urlencode({k: v for k, v in fields.items() if v})


def in_queue(q: Mapping[str, str]) -> bool:
    """Whether a page view was opened from the queue (its address names the queue's order)."""
    return q.get("sort", "") in review.SORTS


def parse_queue(raw: str, threshold: float) -> review.QueueFilter | None:
    """The queue named by a label form's ``queue`` field, or None when it names none."""
    fields = dict(parse_qsl(raw or ""))
    return queue_filter(fields, threshold) if in_queue(fields) else None


def flash_value(kind: str, count: int, label: str) -> str:
    """The cookie value for a message: ``kind.count.label`` (cookie-safe characters only)."""
    return f"{kind}.{count}.{label}"


def flash_message(value: str | None) -> str | None:
    """The sentence for a flash cookie's value; None when it is missing or not one of ours."""
    parts = (value or "").split(".")
    if len(parts) != 3 or parts[0] not in FLASH_KINDS or not parts[1].isdigit() \
            or parts[2] not in labels.LABELS:
        return None
    kind, count, label = parts[0], int(parts[1]), parts[2]
    if kind == "bulk":
        return f"Labelled {count} page{'s' if count != 1 else ''} {label}."
    if kind == "end":
        return (f"Labelled page #{count} {label}. That was the last page of this queue: "
                "nothing after it.")
    return f"Labelled page #{count} {label}; this is the next page of the queue."
