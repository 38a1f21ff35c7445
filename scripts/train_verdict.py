"""Fit the verdict model on the labelled pages and ship it (weights and hashing config only).

    python scripts/train_verdict.py [--data PATH] [--seeds 0 1 2] [--no-cv]

Folds are grouped by ``op`` (no operation in two folds) and repeated over seeds; thresholds are
chosen on grouped out-of-fold predictions, precision first. Writes
``pipelines/data/verdict_model.json`` and ``pipelines/data/verdict_model_report.json``.
Skips cleanly (exit 0) when the data file is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.model_fit import Config, fit

OUT = ROOT / "pipelines" / "data"


def default_data() -> Path:
    """../shared/data/dev.jsonl beside the checkout (or beside the worktrees' parent)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        p = base / "shared" / "data" / "dev.jsonl"
        if p.exists():
            return p
    return ROOT.parent / "shared" / "data" / "dev.jsonl"


def read_rows(path: Path) -> list[dict]:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    for r in rows:
        r["group"] = r.get("op") or r.get("domain") or r.get("url")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-cv", action="store_true", help="fit only, without the grouped report")
    args = ap.parse_args()
    data = args.data or default_data()
    if not data.exists():
        print(f"skipped: {data} not found (labelled data is only on development machines)")
        return 0
    rows = read_rows(data)
    artefact, report = fit(rows, Config(seeds=tuple(args.seeds)), evaluate=not args.no_cv)
    report["data"] = data.name
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "verdict_model.json").write_text(
        json.dumps(artefact, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    (args.out / "verdict_model_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(
        f"fitted on {len(rows)} pages, {report['groups']} operations; thresholds {artefact['thresholds']}"
    )
    if report["grouped_cv"]:
        for key, v in report["grouped_cv"]["summary"].items():
            print(
                f"grouped CV {key:15s} mean {v['mean']:.3f}  (seeds: {v['min']:.3f}..{v['max']:.3f})"
            )
    print(f"wrote {args.out / 'verdict_model.json'} and verdict_model_report.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
