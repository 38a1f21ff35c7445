"""Fit the verdict model on the labelled pages and ship it (weights and hashing config only).

    python scripts/train_verdict.py [--data PATH] [--seeds 0 1 2] [--no-cv]

Folds are grouped by ``op`` (no operation in two folds) and repeated over seeds; thresholds are
chosen on grouped out-of-fold predictions, precision first. Writes
``pipelines/data/verdict_model.json`` and ``pipelines/data/verdict_model_report.json``.
Skips cleanly (exit 0) when the data file is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.model_fit import Config, fit
from pipelines.model_train import labelled_data, read_rows, report_lines, write_artefact

OUT = ROOT / "pipelines" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-cv", action="store_true", help="fit only, without the grouped report")
    args = ap.parse_args()
    data = labelled_data(args.data)
    if data is None:
        return 0
    rows = read_rows(data)
    artefact, report = fit(rows, Config(seeds=tuple(args.seeds)), evaluate=not args.no_cv)
    report["data"] = data.name
    path = write_artefact(args.out, artefact, report)
    for line in report_lines(artefact, report):
        print(line)
    print(f"wrote {path} and verdict_model_report.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
