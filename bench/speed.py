"""Analysis throughput on seed-like pages against one ``jieba.lcut`` pass over their visible text.

Both are measured in the same run, alternating rounds, so machine noise hits both alike; each
side reports its best round (as ``timeit`` does: noise only ever adds time). Target (issue 12):
the whole analysis costs at most a quarter of that single segmentation pass (ratio >= 4.0).

The same figure as whole-process timing (``--whole N``, default 1,000 pages; 0 skips it):
``triage analyze DIR`` on N seed-like HTML files against a Python process that imports jieba
and segments the same pages' visible text (read from one file), each started fresh, alternated
``--rounds`` times, best of each: start-up, dictionary and model loading count on both sides.

    python bench/speed.py [--pages 200] [--rounds 5] [--whole 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--whole", type=int, default=1000, metavar="N",
                    help="pages for the whole-process figure (0: skip it)")
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
    print(f"ratio analyze/jieba throughput: {jb / an:.2f}x  (target >= 4.0)")
    if args.whole:
        whole(args.whole, args.rounds)
    return 0


JIEBA_PROCESS = """
import json, sys, jieba
jieba.setLogLevel(60)
for text in json.load(open(sys.argv[1], encoding="utf-8")):
    jieba.lcut(text)
"""


def whole(n: int, rounds: int) -> None:
    """``triage analyze`` on ``n`` files against a jieba process on their text, whole processes."""
    from pipelines.html_text import extract_page_text
    from triage.demo.farm import spam_page

    root = Path(__file__).resolve().parent.parent
    rng = random.Random(77)
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        texts = []
        for i in range(n):
            html = spam_page(rng, places=rng.randint(300, 450)).html.encode("utf-8")
            (pages / f"p{i:05d}.html").write_bytes(html)
            texts.append(extract_page_text(html).text)
        (Path(tmp) / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        (Path(tmp) / "seg.py").write_text(JIEBA_PROCESS)
        cmds = {"jieba": [sys.executable, str(Path(tmp) / "seg.py"), str(Path(tmp) / "texts.json")],
                "analyze": [sys.executable, "-m", "triage.cli", "analyze", str(pages)]}
        best = {k: float("inf") for k in cmds}
        for _ in range(rounds):
            for name, cmd in cmds.items():
                t0 = time.perf_counter()
                subprocess.run(cmd, cwd=root, check=True, stdout=subprocess.DEVNULL)
                best[name] = min(best[name], time.perf_counter() - t0)
    print(f"whole process, {n} pages: jieba {best['jieba']:.2f} s, triage analyze "
          f"{best['analyze']:.2f} s: ratio {best['jieba'] / best['analyze']:.2f}x  (target >= 4.0)")


if __name__ == "__main__":
    sys.exit(main())
