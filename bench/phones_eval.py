"""Phone-number precision/recall of :func:`pipelines.phones.extract.extract_phones` on the dev data.

Scored on full numbers only (``+`` and at least 11 digits); numbers in a record's ``ignore`` list
are neither required nor penalised. Also times the finder per 10,000 characters. Skips cleanly
when the data file is absent. Usage: ``python bench/phones_eval.py [PATH] [--misses]``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quality import full_number as _full  # the scoring rule, defined once in bench/quality.py

from pipelines.phones import extract_phones, find_phone_hits
from pipelines.phones.region import page_region

DEFAULT = ROOT.parent / "shared" / "data" / "dev.jsonl"


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    if not path.is_file():
        print(f"phones_eval: skipped, no data file at {path}")
        return 0
    records = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    tp = fp = fn = 0
    adv_tp = adv_fp = adv_fn = 0
    misses: list[str] = []
    for rec in records:
        # As the engine reads a page: with its numbering plan from URL and text.
        phones, _ = extract_phones(rec["text"], region_hint=page_region(rec.get("url", ""), rec["text"]))
        got = {p.e164 for p in phones if _full(p.e164)}
        want = {n for n in rec.get("numbers", []) if _full(n)}
        ignore = set(rec.get("ignore", []))
        got_scored = got - ignore
        tp += len(got_scored & want)
        fp += len(got_scored - want)
        fn += len(want - got)
        for n in sorted(want - got):
            misses.append(f"MISS {rec['id']} {n}")
        for n in sorted(got_scored - want):
            misses.append(f"FALSE {rec['id']} {n}")
        hot = {n for n in rec.get("hotlines", []) if _full(n)}
        adv = {p.e164 for p in phones if p.advertised and _full(p.e164)} - ignore
        adv_tp += len(adv & hot)
        adv_fp += len(adv - hot)
        adv_fn += len(hot - adv)
        for n in sorted(hot - adv):
            misses.append(f"ADV-MISS {rec['id']} {n}")
        for n in sorted(adv - hot):
            misses.append(f"ADV-FALSE {rec['id']} {n}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"records {len(records)}  full numbers: tp {tp} fp {fp} fn {fn}")
    print(f"number precision {precision:.3f}  recall {recall:.3f}")
    ap = adv_tp / (adv_tp + adv_fp) if adv_tp + adv_fp else 1.0
    ar = adv_tp / (adv_tp + adv_fn) if adv_tp + adv_fn else 1.0
    print(f"advertised vs hotlines: precision {ap:.3f}  recall {ar:.3f}")
    texts = [rec["text"] for rec in records]
    hints = [page_region(rec.get("url", ""), rec["text"]) for rec in records]
    chars = sum(len(t) for t in texts)
    for t in texts:  # warm the caches as a crawl would be
        find_phone_hits(t)
    # Best of several rounds: the machine is shared, and the minimum is the cost of the code.
    rounds = []
    for _ in range(7):
        t0 = time.perf_counter()
        for t, hint in zip(texts, hints, strict=False):
            extract_phones(t, region_hint=hint)
        rounds.append(time.perf_counter() - t0)
    per10k = min(rounds) / chars * 10_000 * 1000
    print(
        f"extract_phones: {per10k:.3f} ms per 10,000 characters ({chars} chars, best of 7 rounds)"
    )
    for line in misses:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
