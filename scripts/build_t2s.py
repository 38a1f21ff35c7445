"""Build pipelines/data/t2s.tsv: traditional -> simplified, one character for one character.

Source: OpenCC's TSCharacters dictionary as shipped by the PyPI package
opencc-python-reimplemented (a build-time dependency only). Only single-character mappings are
kept (the first candidate), so translating a text keeps every character offset unchanged.

    .venv/bin/pip install opencc-python-reimplemented && .venv/bin/python scripts/build_t2s.py
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipelines" / "data" / "t2s.tsv"


def main() -> None:
    src = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    rows = []
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        trad, simp = parts[0], parts[1].split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            rows.append(f"{trad}\t{simp}")
    OUT.write_text("# traditional\tsimplified (from OpenCC TSCharacters, single characters)\n"
                   + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} mappings to {OUT}")


if __name__ == "__main__":
    main()
