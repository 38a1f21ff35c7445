"""Claimed-brand accuracy on the labelled pages (``../shared/data/dev.jsonl``).

The claimed brand is the engine's first ``brands`` entry (``analyze(text=...)``), compared to
the gold ``brand``. Both sides are normalised the same way before comparing:

1. NFKC, traditional -> simplified script, spaces dropped, Latin lower-cased;
2. a spelling is replaced by its canonical dictionary name (工行 -> 中国工商银行, Gree -> 格力);
3. one trailing product-category word is removed (联勒指纹锁 -> 联勒, 格力空调 -> 格力), then
   step 2 again;
4. a leading 中国 is removed when four or more characters remain (中国外交部领事保护中心 is
   外交部领事保护中心; dictionary names were already made canonical in step 2).

A prediction is right when the two normalised names are equal. There is no looser containment
rule: "三星智能指纹锁24" is not 三星, "填写腾讯" is not 腾讯. Also listed: ``brands`` entries on
any page that cannot be names (warning or template words, digits, verbs).

    python bench/brands.py [--root DIR] [--data ../shared/data/dev.jsonl] [--show-misses] [--unseen]

``--unseen`` measures the fallback on brands the dictionary lacks, as on the web: the engine
runs on a copy of the dictionary without every entry one of whose spellings (canonical name or
alias, normalised as above) is a gold brand of the data (a gold field naming several brands
counts each). The copy is made at run time in a temporary directory and given to the engine
through ``pipelines.brand_names.DICTIONARY_ENV``; the normalisation keeps the full dictionary.

``--root`` evaluates another checkout's engine (e.g. /work/main for the figure before a
change); the normalisation always uses this checkout's dictionary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
_BAD = re.compile(r"警惕|谨防|假冒|虚假|骗|冒充|已更新|点击|咨询|建议|提前|填写|介绍|大家|不要|轻信|所谓|[0-9０-９]")


_SHIPPED = HERE / "pipelines" / "data" / "brands.tsv"
_GOLD_SPLIT = re.compile(r"[,，、]")


def _alias_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _SHIPPED.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        for form in (cells[0], *filter(None, cells[1].split("|"))):
            out.setdefault(_plain(form), cells[0])
    return out


def _plain(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def make_normaliser(categories: tuple[str, ...], to_simplified) -> callable:  # type: ignore[valid-type]
    aliases = _alias_map()
    suffixes = sorted(set(categories), key=len, reverse=True)

    def norm(name: str) -> str:
        n = _plain(to_simplified(name))
        n = _plain(aliases.get(n, n))
        for s in suffixes:
            if n.endswith(s) and len(n) > len(s) + 1:
                n = n[: -len(s)]
                break
        n = _plain(aliases.get(n, n))
        return n[2:] if n.startswith("中国") and len(n) >= 6 else n

    return norm


def without_gold(lines: list[str], golds: list[str], norm) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The dictionary's lines without every entry a spelling of which normalises to a gold
    brand, and the canonical names left out."""
    wanted = {norm(p.strip()) for g in golds for p in _GOLD_SPLIT.split(g) if p.strip()}
    kept, left_out = lines[:1], []
    for line in lines[1:]:
        cells = line.split("\t")
        forms = (cells[0], *filter(None, cells[1].split("|"))) if len(cells) > 1 else (cells[0],)
        if any(norm(f) in wanted for f in forms):
            left_out.append(cells[0])
        else:
            kept.append(line)
    return kept, left_out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=HERE, help="checkout whose engine to evaluate")
    ap.add_argument("--data", type=Path, default=None,
                    help="labelled pages (default: ../shared/data/dev.jsonl beside the checkout)")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--unseen", action="store_true",
                    help="leave the data's gold brands out of the engine's dictionary for the run")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from pipelines.model_train import labelled_data

    data = labelled_data(args.data)
    if data is None:
        return 0
    from pipelines.lexicon import CATEGORIES
    from pipelines.t2s import to_simplified

    norm = make_normaliser(tuple(CATEGORIES), to_simplified)
    known = _alias_map()  # dictionary names (58同城, 12306) are names whatever they hold
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    left_out: list[str] = []
    tmp = tempfile.TemporaryDirectory(prefix="brands-unseen-")
    if args.unseen:
        from pipelines import brand_names

        kept, left_out = without_gold(_SHIPPED.read_text(encoding="utf-8").splitlines(),
                                      [r.get("brand") or "" for r in rows], norm)
        path = Path(tmp.name) / "brands.tsv"
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        os.environ[brand_names.DICTIONARY_ENV] = str(path)  # before the engine's first look-up
        if left_out and brand_names.brand_entry(left_out[0]) is not None:
            print(f"error: the engine at {args.root} still knows {left_out[0]}: it has read its "
                  "dictionary already or does not read DICTIONARY_ENV")
            return 2
    from pipelines.analyze import analyze

    tally = {"spam": [0, 0], "all": [0, 0]}
    bad: dict[str, int] = {}
    misses: list[tuple[str, str, str]] = []
    for r in rows:
        brands = list(analyze(text=r["text"], url=r.get("url", "")).brands)
        for b in brands:
            if _BAD.search(b) and _plain(b) not in known:
                bad[b] = bad.get(b, 0) + 1
        gold = (r.get("brand") or "").strip()
        if not gold:
            continue
        ok = bool(brands) and norm(brands[0]) == norm(gold)
        groups = ["all"] + (["spam"] if r["label"] in ("hotline_spam", "seo_spam") else [])
        for g in groups:
            tally[g][0] += ok
            tally[g][1] += 1
        if not ok:
            misses.append((r["label"], gold, brands[0] if brands else ""))
    tmp.cleanup()
    print(f"engine: {args.root}")
    if args.unseen:
        print(f"unseen: {len(left_out)} dictionary entries matching a gold brand left out")
    for g, (ok, n) in tally.items():
        label = "spam pages" if g == "spam" else "all pages with a gold brand"
        print(f"claimed brand on {label}: {ok}/{n} = {ok / max(n, 1):.3f}")
    print(f"brands entries that cannot be names: {len(bad)} distinct, {sum(bad.values())} in all")
    for b, n in sorted(bad.items(), key=lambda kv: -kv[1])[:30]:
        print(f"  {n:3d}  {b}")
    if args.show_misses:
        for label, gold, pred in misses:
            print(f"  miss [{label}] gold={gold!r} predicted={pred!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
