"""Snapshot the engine's answers on generated pages, to prove a speed-up changes nothing.

    python scripts/engine_snapshot.py OUT.jsonl [--pages 3000] [--data ../shared/data/dev.jsonl]
    python scripts/engine_snapshot.py --compare BEFORE.jsonl AFTER.jsonl

One JSON line per page: verdict, score, every number, brand, padding span, the features, hits,
identifiers, the padding ratio, and the place spans and template signature the crawl's workers
add. Pages come from the synthetic generators
(:mod:`triage.demo.farm`, :mod:`triage.demo.farm_ops`, :mod:`triage.demo.operations_web`,
``tests/verdict_pages``, the engine fixtures) and, when given and present, the texts of a
labelled JSONL file (read, never copied: the snapshot stays on this machine). ``--compare``
prints the pages whose answers differ (scores and features compared to 1e-9) and exits 1.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generated(n: int) -> Iterator[tuple[str, str, bytes | None, str | None]]:
    """(id, url, html bytes, text) of ``n`` farm pages, look-alikes and the other generators."""
    from tests import verdict_pages as vp
    from triage.demo import farm
    from triage.demo.farm_ops import make_farm, portal_site
    from triage.demo.operations_web import build_operations_web

    rng = random.Random(12)
    look_alikes = [farm.official_page, farm.warning_news_page, farm.gov_notice_page, farm.shop_page]
    vps = [vp.brand_policy, vp.bank_notice, vp.heating_hotline, vp.news_quote,
           vp.traditional_hospital, vp.fake_code_of_conduct, vp.numberless_service_centre]
    for i in range(n):
        k = i % 10
        if k < 6:
            page = farm.spam_page(rng, places=rng.choice((0, 8, 40, 120, 300, 450)),
                                  links=tuple(f"/p{j}.html" for j in range(rng.randrange(4))))
            html = page.html
        elif k < 8:
            html = rng.choice(look_alikes)(rng).html
        else:
            html = rng.choice(vps)(rng)
        yield f"gen{i}", f"http://site{i % 37}.example.com/p{i}.html", html.encode(), None
    f = make_farm(5, operations=8, pages_per_operation=30)
    for i, p in enumerate(f.pages):
        yield f"ops{i}", f"http://{p.domain}{p.path}", p.html.encode(), None
    for path, (html, _label) in portal_site(4).items():
        yield f"portal{path}", f"http://portal.example.com{path}", html.encode(), None
    for site in build_operations_web(9, pages_per_site=3).sites.values():
        for path, (body, ctype) in site.pages.items():
            if ctype.startswith("text/html"):
                yield f"web{site.name}{path}", f"http://{site.name}.example.com{path}", body, None
    for case in sorted((ROOT / "tests" / "fixtures").iterdir()):
        if (case / "page.html").exists():
            url = (case / "url.txt").read_text().strip() if (case / "url.txt").exists() else ""
            yield f"fixture{case.name}", url, (case / "page.html").read_bytes(), None
    yield "tel_flood", "http://flood.example.com/", vp.tel_flood(3000).encode(), None


def default_data() -> Path:
    """../shared/data/dev.jsonl beside the checkout (or beside the worktrees' parent)."""
    return next((b / "shared" / "data" / "dev.jsonl" for b in (ROOT.parent, ROOT.parent.parent)
                 if (b / "shared" / "data" / "dev.jsonl").exists()),
                ROOT.parent / "shared" / "data" / "dev.jsonl")


def labelled(path: Path) -> Iterator[tuple[str, str, bytes | None, str | None]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("html"):
            yield f"data{rec.get('id')}", rec.get("url", ""), rec["html"].encode(), None
        elif rec.get("text"):
            yield f"data{rec.get('id')}", rec.get("url", ""), None, rec["text"]


def answer(url: str, html: bytes | None, text: str | None) -> dict[str, Any]:
    from pipelines.analyze import analyze
    from pipelines.templates import sign_page

    a = sign_page(analyze(html, url=url, text=text))
    out = a.to_dict(with_text=True)
    out["score"] = a.score
    out["padding_ratio"] = a.padding_ratio
    out["features"] = a.features
    out["hits"] = [[h.start, h.end, h.raw, h.e164, h.obfuscated] for h in a.hits]
    out["visible_chars"] = a.visible_chars
    out["redirect"] = a.redirect
    out["encoding_problem"] = a.encoding_problem
    out["places"] = [list(p) for p in a.places]  # what the crawl's workers add (sign_page)
    out["minhash"] = a.minhash
    return out


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-9
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_close, a, b))
    return bool(a == b)


def compare(before: Path, after: Path) -> int:
    old = [json.loads(x) for x in before.read_text().splitlines()]
    new = [json.loads(x) for x in after.read_text().splitlines()]
    if len(old) != len(new):
        print(f"{len(old)} pages before, {len(new)} after")
        return 1
    bad = 0
    for o, n in zip(old, new, strict=True):
        if not _close(o, n):
            bad += 1
            keys = sorted(k for k in o if not _close(o.get(k), n.get(k)))
            if bad <= 20:
                print(f"{o['id']}: differs in {keys}")
    verdicts: dict[str, int] = {}
    for o in old:
        verdicts[o["verdict"]] = verdicts.get(o["verdict"], 0) + 1
    print(f"{len(old)} pages ({verdicts}): {bad} differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--data", default=str(default_data()))
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.compare:
        return compare(Path(args.compare[0]), Path(args.compare[1]))
    if not args.out:
        ap.error("OUT.jsonl or --compare BEFORE AFTER")
    pages = list(generated(args.pages))
    data = Path(args.data)
    if data.exists():
        pages += list(labelled(data))
    with open(args.out, "w", encoding="utf-8") as fh:
        for pid, url, html, text in pages:
            fh.write(json.dumps({"id": pid, **answer(url, html, text)}, ensure_ascii=False) + "\n")
    print(f"{len(pages)} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
