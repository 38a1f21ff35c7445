"""Build pipelines/data/jieba_100k.txt.gz: jieba's dictionary cut to its 100,000 most frequent words.

The engine only segments to compare the vocabulary of a page's hotline part with the rest
(scraped-article padding). Rare words add nothing there, while jieba's full dictionary (349,046
words) costs about 65 MB in every analysis process; the 100,000 most frequent cost 16 MB and
segment ordinary news prose the same way. Every prefix of a kept word that is no word itself
follows the words with frequency 0 (what jieba's ``gen_pfdict`` adds while loading): the engine
loads the prefix dictionary in a few C-level steps (:mod:`pipelines.segment`), without jieba,
and jieba still reads the file as it is.

    .venv/bin/python scripts/build_jieba_dict.py
"""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import jieba

OUT = Path(__file__).resolve().parent.parent / "pipelines" / "data" / "jieba_100k.txt.gz"
KEEP = 100_000


def main() -> None:
    src = resources.files("jieba") / "dict.txt"
    rows = [line.split() for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: (-int(r[1]), r[0]))
    kept = rows[:KEEP]
    words = {r[0] for r in kept}
    prefixes = sorted({w[:k] for w in words for k in range(1, len(w))} - words)
    body = "".join(f"{r[0]} {r[1]}\n" for r in kept) + "".join(f"{p} 0\n" for p in prefixes)
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(body.encode("utf-8"))
    print(f"wrote {min(KEEP, len(rows))} of {len(rows)} words (jieba {jieba.__version__}) to {OUT}")


if __name__ == "__main__":
    main()
