"""``triage train``: refit the verdict model on the bundled labelled data plus a database's
analyst labels, and make it the database's active model (issue 10).

Database pages are labelled by their effective label (:mod:`db.training`: page, cluster or
domain label, the latest wins): ``not_spam``/``official`` as clean, ``spam`` as the engine's
spam class of the page. Their features are the stored ones (:func:`investigate.reanalyze.
stored_features`), so training needs no HTML. Folds are grouped by operation for the bundled
data and by template cluster (else domain) for database pages: no template in two folds.
The fit itself is :func:`pipelines.model_fit.fit`.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from db.training import CLEAN_LABELS, labelled_pages, spam_class
from db.verdict_models import save_model
from investigate.reanalyze import stored_features
from pipelines.model_train import read_rows, report_lines

MIN_GROUPS = 3  # groups of each class below which no grouped folds (nor calibration) are made


class TrainingError(ValueError):
    """Training cannot run on this data; the message says what to do."""


@dataclass
class Trained:
    """A fit: the artefact, its report, the data summary and what to tell the user."""

    artefact: dict[str, Any]
    report: dict[str, Any]
    data: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    version: int | None = None


def database_rows(engine: Engine) -> list[dict[str, Any]]:
    """One training row per labelled page of the database (features as stored)."""
    rows = []
    with engine.connect() as conn:
        for p in labelled_pages(conn):
            facts, _ = stored_features(p)
            label = ("clean" if p["label"] in CLEAN_LABELS
                     else spam_class(p["verdict"], p["spam_class"], p["advertises"]))
            group = (f"cluster:{p['cluster']}" if p["cluster"] is not None
                     else f"domain:{p['domain']}")
            rows.append({"facts": dict(facts.__dict__), "label": label, "group": group,
                         "text": p["text"] or "", "url": p["url"], "source": "database",
                         "via": p["via"]})
    return rows


def bundled_rows(path: Path | None) -> tuple[list[dict[str, Any]], str]:
    """The bundled labelled rows (grouped by operation) and a line saying what was read."""
    if path is None:
        return [], "bundled data: not used (--no-bundled)"
    if not path.exists():
        return [], f"bundled data: {path} not found, skipped (it is only on development machines)"
    rows = read_rows(path)
    for r in rows:
        r["group"] = f"op:{r['group']}"
        r["source"] = "bundled"
    return rows, f"bundled data: {len(rows)} pages from {path}"


def _groups_per_class(rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    clean = {r["group"] for r in rows if r["label"] == "clean"}
    spam = {r["group"] for r in rows if r["label"] != "clean"}
    return len(clean), len(spam)


def _database_figures(data: dict[str, Any], cv: dict[str, Any],
                      index: np.ndarray) -> dict[str, float] | None:
    """Out-of-fold figures on the database pages alone, averaged over seeds."""
    from pipelines.model_fit import figures

    if not len(index) or not cv.get("oof"):
        return None
    per_seed = [figures(data["labels"][index], list(pred[index]), data["groups"][index])
                for pred in cv["oof"]]
    return {k: round(float(np.mean([f[k] for f in per_seed])), 4)
            for k in ("precision", "recall", "op_recall", "hotline_recall")}


def fit_rows(rows: list[dict[str, Any]], seeds: tuple[int, ...], evaluate: bool) -> Trained:
    """Fit on ``rows`` (grouped CV when every class spans enough groups); the report lines."""
    from pipelines.model_fit import Config, cross_validate, fit, prepare

    clean_groups, spam_groups = _groups_per_class(rows)
    if not clean_groups or not spam_groups:
        raise TrainingError("training needs pages labelled spam and pages labelled not_spam: "
                            f"{'no spam' if not spam_groups else 'no clean'} pages among "
                            f"{len(rows)} (label some with `triage review label`)")
    enough = min(clean_groups, spam_groups) >= MIN_GROUPS
    cfg = Config(seeds=seeds, calibrate=enough)
    lines = []
    with warnings.catch_warnings():  # scikit-learn on small folds: said in one line below
        warnings.simplefilter("ignore", UserWarning)
        cv = None
        if evaluate and enough:
            prepared = prepare(rows, cfg)
            cv = cross_validate(prepared, cfg)
        artefact, report = fit(rows, cfg, evaluate=False)
    if cv is not None:
        report["grouped_cv"] = {k: v for k, v in cv.items() if k != "oof"}
        index = np.flatnonzero([r.get("source") == "database" for r in rows])
        report["database_oof"] = _database_figures(prepared, cv, index)
    elif not enough:
        lines.append(f"too few groups for grouped folds ({clean_groups} clean, {spam_groups} "
                     f"spam; {MIN_GROUPS} of each needed): fitted without calibration, "
                     "thresholds 0.5, no grouped report")
    lines += report_lines(artefact, report, groups="groups (operations, clusters, domains)")
    if report.get("database_oof"):
        f = report["database_oof"]
        lines.append(f"database pages out of fold: precision {f['precision']:.3f} recall "
                     f"{f['recall']:.3f}")
    sources = Counter(r.get("source", "bundled") for r in rows)
    data = {"rows": len(rows), "data_sha256": report["data_sha256"], "labels": report["labels"],
            "groups": report["groups"], "sources": dict(sources), "calibrated": enough,
            "via": dict(Counter(r["via"] for r in rows if "via" in r))}
    return Trained(artefact, report, data, lines)


def train(engine: Engine, data_file: Path | None, seeds: tuple[int, ...] = (0, 1, 2),
          evaluate: bool = True) -> Trained:
    """Fit on the bundled data and the database's labels; store it as the active model."""
    bundled, note = bundled_rows(data_file)
    own = database_rows(engine)
    if not own:
        raise TrainingError("no labelled pages in the database: label pages, clusters or "
                            "domains first (`triage review label`, or the review UI)")
    trained = fit_rows(bundled + own, seeds, evaluate)
    trained.data["bundled_file"] = data_file.name if bundled and data_file else None
    figures = {"grouped_cv": trained.report.get("grouped_cv"),
               "database_oof": trained.report.get("database_oof")}
    trained.version = save_model(engine, trained.artefact, trained.data, figures)
    trained.lines[:0] = [note, f"database: {len(own)} labelled pages ("
                         + ", ".join(f"{n} via {k}" for k, n in trained.data["via"].items())
                         + ")"]
    return trained
