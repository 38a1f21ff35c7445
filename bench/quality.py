"""Detection quality on labelled real page excerpts (../shared/data/dev.jsonl).

Prints spam precision/recall (spam = hotline_spam or seo_spam), hotline_spam recall and
phone-number precision/recall against the ``numbers`` labels, scored on full numbers only
('+' and at least 11 digits); numbers in ``ignore`` are neither required nor penalised.

    python bench/quality.py [--data PATH] [--verbose]

Skips cleanly (exit 0) when the data file is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev.jsonl"
SPAM = {"hotline_spam", "seo_spam"}


def full_number(n: str) -> bool:
    return n.startswith("+") and sum(c.isdigit() for c in n) >= 11


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"skipped: {args.data} not found (labelled data is only on development machines)")
        return 0
    from pipelines.analyze import analyze

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    hot_total = hot_found = 0
    n_tp = n_fp = n_fn = 0
    misses: list[str] = []
    for r in rows:
        a = analyze(text=r["text"], url=r["url"])
        gold_spam = r["label"] in SPAM
        pred_spam = a.verdict in SPAM
        tp += gold_spam and pred_spam
        fp += pred_spam and not gold_spam
        fn += gold_spam and not pred_spam
        if r["label"] == "hotline_spam":
            hot_total += 1
            hot_found += a.verdict == "hotline_spam"
        if gold_spam != pred_spam or (r["label"] == "hotline_spam") != (a.verdict == "hotline_spam"):
            misses.append(f"verdict {r['id']} gold={r['label']} got={a.verdict} {a.score:.2f} "
                          f"{r['category']} {'; '.join(a.reasons[:4])}")
        gold = {n for n in r["numbers"] if full_number(n)}
        ignore = set(r.get("ignore", []))
        pred = {p.e164 for p in a.numbers if full_number(p.e164)} - ignore
        n_tp += len(pred & gold)
        n_fp += len(pred - gold)
        n_fn += len(gold - pred)
        for n in sorted(pred - gold):
            misses.append(f"number-fp {r['id']} {n}")
        for n in sorted(gold - pred):
            misses.append(f"number-fn {r['id']} {n}")

    print(f"pages: {len(rows)}  spam: {tp + fn}  hotline_spam: {hot_total}")
    print(f"spam precision:        {ratio(tp, tp + fp):.3f}  (target >= 0.98; {fp} false positives)")
    print(f"spam recall:           {ratio(tp, tp + fn):.3f}  (target >= 0.95; {fn} missed)")
    print(f"hotline_spam recall:   {ratio(hot_found, hot_total):.3f}")
    print(f"number precision:      {ratio(n_tp, n_tp + n_fp):.3f}  (target >= 0.97; {n_fp} wrong)")
    print(f"number recall:         {ratio(n_tp, n_tp + n_fn):.3f}  (target >= 0.97; {n_fn} missed)")
    if args.verbose:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
