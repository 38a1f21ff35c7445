"""Screenshots of the review UI for the docs: queue, page, number and cluster views.

Builds the test suite's demo database (generated farm pages, invented brands and numbers), serves
it with ``triage serve`` and photographs it with the system's headless Chromium::

    .venv/bin/python scripts/review_screenshots.py [OUT_DIR]    # default: docs/

Chinese text needs a CJK font in the browser's fontconfig (Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import make_engine
from db.labels import add_label
from tests.browser import browser, chromium_problem, serving
from tests.review_data import LANTO, build_review_db

SHOTS = (
    ("review-queue.png", "/"),
    ("review-page.png", "/page/{page}"),
    ("review-number.png", f"/number/%2B{LANTO[1][1:]}"),
    ("review-cluster.png", "/cluster/2"),
)


def main(out: Path) -> int:
    problem = chromium_problem()
    if problem:
        print(f"cannot take screenshots: {problem}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_review_db(Path(tmp) / "triage.db", hostile=False)
        engine = make_engine(str(db))
        add_label(engine, "cluster", "2", "spam", reviewer="lin", note="one template, 2 domains")
        add_label(engine, "page", "http://www.lanto-official.example.test/service.html",
                  "official", reviewer="lin", note="brand's own service page")
        engine.dispose()
        with serving(db, "--reviewer", "lin") as (address, _proc), browser() as b:
            base = address.rstrip("/")
            tab = b.new_page(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
            tab.goto(base + "/?number=" + LANTO[0])
            page_id = tab.get_attribute("a.page-link", "href").rsplit("/", 1)[1]
            for name, path in SHOTS:
                tab.goto(base + path.format(page=page_id))
                if name == "review-page.png":
                    tab.set_viewport_size({"width": 1360, "height": 1500})
                tab.screenshot(path=str(out / name), full_page=name != "review-page.png")
                tab.set_viewport_size({"width": 1360, "height": 900})
                print(f"wrote {out / name} ({path.format(page=page_id)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
