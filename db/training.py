"""Analysts' labels as a page's verdict (issue 10): what training learns from and what exports
show.

A page's effective label is the latest of its own label, its template cluster's and its
domain's (latest row wins, as in :func:`db.labels.page_labels`, which the review UI shows for
page and cluster labels). ``not_spam`` and ``official`` make a page clean; ``spam`` makes it
hotline_spam or seo_spam as the engine classes it (``pages.spam_class``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, String, and_, cast, func, select

from db.labels import CHUNK, current
from db.models import Label, Page, PageNumber
from pipelines.types import SPAM_VERDICTS

CLEAN_LABELS = ("not_spam", "official")


def effective_labels(conn: Connection, pages: Sequence[tuple[str, int | None, str]]
                     ) -> dict[str, dict[str, Any]]:
    """Effective label of each page ``(url, cluster, domain)`` that has one, with ``via`` =
    ``page``, ``cluster`` or ``domain``."""
    own = current(conn, "page", [u for u, _, _ in pages])
    clusters = current(conn, "cluster", [str(c) for _, c, _ in pages if c is not None])
    domains = current(conn, "domain", [d for _, _, d in pages if d])
    out: dict[str, dict[str, Any]] = {}
    for url, cluster, domain in pages:
        found = [dict(own[url], via="page")] if url in own else []
        if cluster is not None and str(cluster) in clusters:
            found.append(dict(clusters[str(cluster)], via="cluster"))
        if domain in domains:
            found.append(dict(domains[domain], via="domain"))
        if found:
            out[url] = max(found, key=lambda c: c["id"])
    return out


def labelled_clause() -> Any:
    """SQL condition: the page has a page, cluster or domain label (current or not). As
    ``Page.id IN (union)``, found once per query (labels are few), as
    :func:`db.labels.labelled_pages` does for page and cluster labels."""
    def via(kind: str, key: Any) -> Any:
        return select(Page.id).join(Label, and_(Label.target_type == kind, Label.target == key))

    return Page.id.in_(via("page", Page.url).union(via("cluster", cast(Page.cluster, String)),
                                                   via("domain", Page.domain)))


def spam_class(model_verdict: str | None, stored_class: str | None, advertises: bool) -> str:
    """What a ``spam`` label resolves to: the engine's spam class (a page analysed before it was
    kept: its spam verdict, else hotline_spam when it advertises a number)."""
    if stored_class in SPAM_VERDICTS:
        return str(stored_class)
    if model_verdict in SPAM_VERDICTS:
        return str(model_verdict)
    return "hotline_spam" if advertises else "seo_spam"


def labelled_verdict(label: str | None, model_verdict: str | None, stored_class: str | None,
                     advertises: bool) -> str | None:
    """The verdict a page is exported with: its label's when it has one, else the model's."""
    if label in CLEAN_LABELS:
        return "clean"
    if label == "spam":
        return spam_class(model_verdict, stored_class, advertises)
    return model_verdict


def advertising(conn: Connection, page_ids: Sequence[int]) -> set[int]:
    """The pages among ``page_ids`` that advertise a number."""
    out: set[int] = set()
    for i in range(0, len(page_ids), CHUNK):
        out.update(conn.execute(select(PageNumber.page_id).where(
            PageNumber.page_id.in_(page_ids[i:i + CHUNK]), PageNumber.advertised.is_(True))
            .distinct()).scalars())
    return out


TRAINING_COLUMNS = (Page.id, Page.url, Page.final_url, Page.domain, Page.cluster, Page.verdict, Page.spam_class,
                    Page.text, Page.visible_chars, Page.features, Page.model_input)


def labelled_pages(conn: Connection, columns: Sequence[Any] = TRAINING_COLUMNS
                   ) -> Iterator[dict[str, Any]]:
    """Every analysed page with an effective label: its stored analysis and ``label``/``via``
    (training rows; ``label`` is the analyst's: spam, not_spam or official)."""
    last = 0
    while True:
        rows = conn.execute(select(*columns).where(
            Page.id > last, Page.verdict.is_not(None), labelled_clause())
            .order_by(Page.id).limit(CHUNK)).all()
        if not rows:
            return
        last = rows[-1].id
        labels = effective_labels(conn, [(r.url, r.cluster, r.domain) for r in rows])
        ads = advertising(conn, [r.id for r in rows])
        for r in rows:
            if r.url in labels:
                yield {**r._asdict(), "label": labels[r.url]["label"],
                       "via": labels[r.url]["via"], "advertises": r.id in ads}


def label_counts(conn: Connection) -> Mapping[str, int]:
    """Current labels per target type (for the training summary)."""
    latest = select(func.max(Label.id)).group_by(Label.target_type, Label.target).scalar_subquery()
    rows = conn.execute(select(Label.target_type, func.count()).where(Label.id.in_(latest))
                        .group_by(Label.target_type))
    return {str(t): int(n) for t, n in rows}


def label_overrides(conn: Connection) -> tuple[int, int]:
    """(pages with an effective label, those whose label says otherwise than the model)."""
    labelled = overridden = 0
    cols = (Page.id, Page.url, Page.domain, Page.cluster, Page.verdict, Page.spam_class)
    for p in labelled_pages(conn, cols):
        labelled += 1
        shown = labelled_verdict(p["label"], p["verdict"], p["spam_class"], p["advertises"])
        overridden += shown != p["verdict"]
    return labelled, overridden
