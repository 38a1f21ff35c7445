"""Detection quality on labelled real page excerpts (../shared/data/dev.jsonl).

Generalisation is measured out-of-fold with folds grouped by operation (``op``: no operation in
two folds), the model refitted per fold (calibration and thresholds chosen inside each training
fold), repeated over seeds: spam precision/recall (spam = hotline_spam or seo_spam), recall
averaged over spam operations, hotline_spam recall. The shipped model on all pages is printed
too, labelled in-sample: it has seen those pages. Phone numbers are scored against the
``numbers`` labels on full numbers only ('+' and at least 11 digits); numbers in ``ignore`` are
neither required nor penalised.

    python bench/quality.py [--data PATH] [--seeds 0 1 2] [--verbose]

Skips cleanly (exit 0) when the data file is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
SPAM = {"hotline_spam", "seo_spam"}


def full_number(n: str) -> bool:
    return n.startswith("+") and sum(c.isdigit() for c in n) >= 11


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def in_sample(rows: list[dict], verbose: bool) -> None:
    """The shipped model on every page, and the phone-number figures."""
    from pipelines.analyze import analyze
    from pipelines.model_fit import figures

    preds: list[str] = []
    n_tp = n_fp = n_fn = 0
    misses: list[str] = []
    for r in rows:
        a = analyze(text=r["text"], url=r["url"])
        preds.append(a.verdict)
        if (r["label"] in SPAM) != (a.verdict in SPAM) or (r["label"] == "hotline_spam") != (
            a.verdict == "hotline_spam"
        ):
            misses.append(
                f"verdict {r['id']} gold={r['label']} got={a.verdict} {a.score:.2f} "
                f"{r['category']} {'; '.join(a.reasons[:4])}"
            )
        gold = {n for n in r["numbers"] if full_number(n)}
        pred = {p.e164 for p in a.numbers if full_number(p.e164)} - set(r.get("ignore", []))
        n_tp += len(pred & gold)
        n_fp += len(pred - gold)
        n_fn += len(gold - pred)
        misses += [f"number-fp {r['id']} {n}" for n in sorted(pred - gold)]
        misses += [f"number-fn {r['id']} {n}" for n in sorted(gold - pred)]
    f = figures([r["label"] for r in rows], preds, [r["group"] for r in rows])
    print("in-sample (shipped model on the pages it was fitted on; not a generalisation figure):")
    print(
        f"  spam precision {f['precision']:.3f}  recall {f['recall']:.3f}  op-averaged recall "
        f"{f['op_recall']:.3f}  hotline_spam recall {f['hotline_recall']:.3f}"
    )
    print(f"number precision:      {ratio(n_tp, n_tp + n_fp):.3f}  (target >= 0.99; {n_fp} wrong)")
    print(f"number recall:         {ratio(n_tp, n_tp + n_fn):.3f}  (target >= 0.99; {n_fn} missed)")
    if verbose:
        print("\n".join(misses))


def grouped(rows: list[dict], seeds: tuple[int, ...]) -> None:
    from pipelines.model_fit import Config, cross_validate, prepare

    cfg = Config(seeds=seeds)
    cv = cross_validate(prepare(rows, cfg), cfg)
    s = cv["summary"]
    targets = {"precision": 0.98, "recall": 0.95, "op_recall": 0.9, "hotline_recall": 0.95}
    names = {
        "precision": "spam precision",
        "recall": "spam recall",
        "op_recall": "recall averaged over ops",
        "hotline_recall": "hotline_spam recall",
    }
    print(
        f"grouped CV by op ({cfg.n_splits} folds x seeds {list(seeds)}, model refitted per fold; "
        f"mean over seeds, min..max):"
    )
    for k, t in targets.items():
        v = s[k]
        print(f"  {names[k]:26s} {v['mean']:.3f}  ({v['min']:.3f}..{v['max']:.3f})  target >= {t}")
    for p in cv["per_seed"]:
        print(
            f"  seed {p['seed']}: precision {p['precision']:.3f} recall {p['recall']:.3f} "
            f"op-recall {p['op_recall']:.3f} hotline {p['hotline_recall']:.3f} (fp {p['fp']}, fn {p['fn']})"
        )


def main() -> int:
    from pipelines.model_train import labelled_data, read_rows

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--verbose", "-v", action="store_true", help="list every in-sample miss")
    args = ap.parse_args()
    data = labelled_data(args.data)
    if data is None:
        return 0
    rows = read_rows(data)
    print(
        f"pages: {len(rows)}  spam: {sum(r['label'] in SPAM for r in rows)}  "
        f"hotline_spam: {sum(r['label'] == 'hotline_spam' for r in rows)}  "
        f"operations: {len({r['group'] for r in rows})}"
    )
    grouped(rows, tuple(args.seeds))
    in_sample(rows, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
