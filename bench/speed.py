"""Analysis throughput on seed-like pages against one ``jieba.lcut`` pass over their visible text.

Both are measured in the same run, alternating rounds, so machine noise hits both alike; each
side reports its best round (as ``timeit`` does: noise only ever adds time). Target:
the whole analysis costs at most half of that single segmentation pass (ratio >= 2.0).

    python bench/speed.py [--pages 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    import jieba

    from pipelines.analyze import analyze
    from pipelines.html_text import extract_page_text
    from triage.demo.farm import spam_page

    jieba.initialize()
    analyze(spam_page(random.Random(0)).html)  # load the gazetteer and phone metadata, as a crawl does once

    def fresh_pages(seed: int) -> tuple[list[bytes], list[str]]:
        """New pages every round, so that no cache carries a page over from an earlier round."""
        rng = random.Random(seed)
        pages = [spam_page(rng, places=rng.randint(300, 450)).html.encode("utf-8")
                 for _ in range(args.pages)]
        return pages, [extract_page_text(p).text for p in pages]

    t_an: list[float] = []
    t_jb: list[float] = []
    chars = 0
    for r in range(args.rounds):
        pages, texts = fresh_pages(1000 + r)
        chars = sum(map(len, texts))
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t)
        t_jb.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for p in pages:
            analyze(p, url="http://bench.invalid/")
        t_an.append(time.perf_counter() - t0)

    jb, an = min(t_jb), min(t_an)
    print(f"pages: {len(pages)}, visible chars/page: {chars // len(pages)}")
    print(f"jieba.lcut (visible text): {len(pages) / jb:8.1f} pages/s  ({jb / len(pages) * 1000:.2f} ms/page)")
    print(f"analyze (HTML bytes):      {len(pages) / an:8.1f} pages/s  ({an / len(pages) * 1000:.2f} ms/page)")
    print(f"ratio analyze/jieba throughput: {jb / an:.2f}x  (target >= 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
