"""``triage reanalyze``: score stored pages again with the database's active verdict model, then
redo what depends on verdicts (clusters, operations, number reputation).

Scoring needs the page's features exactly as its analysis had them: the numeric ones are in
``pages.features``, the rest (advertised numbers, the short texts the model hashes) in
``pages.model_input`` and the stored text (:func:`pipelines.features.rebuild`), so the page's
HTML is not needed and a re-score with the same model changes nothing. A page stored before
model inputs were kept is read again from its stored text (plain-text analysis: close, not
identical), and the summary counts those. Numbers, padding and brands are never touched.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from db import rescore
from db.verdict_models import active_artefact
from pipelines import model as M
from pipelines.analyze import page_features, with_notes
from pipelines.features import Features, rebuild
from pipelines.verdict import judge

Progress = Callable[[int, int], None]


@dataclass
class ReanalyzeSummary:
    """What one re-analysis did."""

    model: str
    pages: int = 0
    changed: int = 0
    from_text: int = 0  # pages without a stored model input, read again from their text
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)  # (old, new) verdicts
    seconds: float = 0.0

    def line(self) -> str:
        moved = ", ".join(f"{a} → {b} {n}" for (a, b), n in self.moves.most_common())
        extra = f"; {self.from_text} read again from their stored text" if self.from_text else ""
        return (f"re-scored {self.pages} pages with the {self.model} in {self.seconds:.1f} s: "
                f"{self.changed} verdicts changed" + (f" ({moved})" if moved else "") + extra)


def active_model(engine: Engine) -> tuple[str, M.Model]:
    """The model analyses writing this database use: its active trained one, else the shipped."""
    with engine.connect() as conn:
        found = active_artefact(conn)
    if found is None:
        return "shipped model", M.shipped()
    return f"trained model version {found[0]}", M.load(found[1])


def stored_features(row: Mapping[str, Any]) -> tuple[Features, bool]:
    """A stored page's features (``features``, ``model_input``, ``text``, ``visible_chars``,
    ``url``, ``final_url`` columns), and whether they had to be read again from its text."""
    inputs = json.loads(row["model_input"]) if row["model_input"] else {}
    text = row["text"] or ""
    url = row.get("final_url") or row["url"]  # the address the analysis read
    facts = rebuild(row["features"] or {}, inputs, text, int(row["visible_chars"] or 0), url)
    if facts is not None:
        return facts, False
    return page_features(url=url, text=text), True


def rescore_row(row: Any, model: M.Model) -> tuple[rescore.Rescored, bool]:
    """One stored page scored by ``model``."""
    facts, from_text = stored_features(row._mapping)
    d = judge(facts, model)
    return rescore.Rescored(row.id, row.verdict, d.verdict, d.score,
                            with_notes(d.reasons, facts), d.spam_class), from_text


def reanalyze(engine: Engine, *, verdict: str | None = None, since: datetime | None = None,
              progress: Progress | None = None, after: bool = True) -> ReanalyzeSummary:
    """Re-score the stored pages (of ``verdict``, fetched since ``since``) with the active
    model, then clusters, operations and reputation (``after``)."""
    started = time.monotonic()
    name, model = active_model(engine)
    summary = ReanalyzeSummary(model=name)
    with engine.connect() as conn:
        total = rescore.count_pages(conn, verdict, since)
    for rows in rescore.iter_pages(engine, verdict, since):
        done = []
        for row in rows:
            new, from_text = rescore_row(row, model)
            summary.from_text += from_text
            if (new.verdict, new.score, list(new.reasons), new.spam_class) != (
                    row.verdict, row.score, list(row.reasons or []), row.spam_class):
                done.append(new)
            if new.verdict != row.verdict:
                summary.moves[(str(row.verdict), new.verdict)] += 1
        summary.changed += rescore.save_scores(engine, done)
        summary.pages += len(rows)
        if progress is not None:
            progress(summary.pages, total)
    summary.seconds = time.monotonic() - started
    if after:
        from investigate.run import after_crawl

        after_crawl(engine)
    return summary
