"""What every way of fitting the verdict model shares: where the bundled labelled data is, how
its rows are read, and the grouped report printed after a fit (``scripts/train_verdict.py``,
``triage train``). The fit itself is :func:`pipelines.model_fit.fit`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent


def default_data() -> Path:
    """../shared/data/dev.jsonl beside the checkout (or beside the worktrees' parent)."""
    for base in (CHECKOUT.parent, CHECKOUT.parent.parent):
        p = base / "shared" / "data" / "dev.jsonl"
        if p.exists():
            return p
    return CHECKOUT.parent / "shared" / "data" / "dev.jsonl"


def labelled_data(path: Path | None) -> Path | None:
    """The labelled data file to read (``path``, else :func:`default_data`), or None after one
    ``skipped:`` line when it is absent: every script and benchmark that needs the data skips
    the same way on a machine without it (CI, a clean clone)."""
    data = path or default_data()
    if not data.exists():
        print(f"skipped: {data} not found (labelled data is only on development machines)")
        return None
    return data


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Labelled rows of a JSONL file, each grouped by its operation (``op``), else its domain."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    for r in rows:
        r["group"] = r.get("op") or r.get("domain") or r.get("url")
    return rows


def data_sha256(rows: Sequence[Mapping[str, Any]]) -> str:
    """The training data's fingerprint (labels and texts, in order) for the report."""
    h = hashlib.sha256()
    for r in rows:
        h.update(str(r.get("label")).encode() + b"\x00"
                 + (r.get("text") or r.get("html") or "").encode("utf-8", "replace"))
    return h.hexdigest()


def report_lines(artefact: Mapping[str, Any], report: Mapping[str, Any],
                 groups: str = "operations") -> list[str]:
    """The fit in a few lines: rows, groups, thresholds, grouped-CV figures over seeds."""
    lines = [f"fitted on {report['rows']} pages, {report['groups']} {groups}; "
             f"thresholds {artefact['thresholds']}"]
    cv = report.get("grouped_cv")
    if cv:
        for key, v in cv["summary"].items():
            lines.append(f"grouped CV {key:15s} mean {v['mean']:.3f}  "
                         f"(seeds: {v['min']:.3f}..{v['max']:.3f})")
    return lines


def write_artefact(out: Path, artefact: Mapping[str, Any], report: Mapping[str, Any]) -> Path:
    """``verdict_model.json`` (weights and hashing config, no page text) and its report."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "verdict_model.json").write_text(
        json.dumps(artefact, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (out / "verdict_model_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return out / "verdict_model.json"
