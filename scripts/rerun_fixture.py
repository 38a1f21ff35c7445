"""Print the engine's current output for an engine fixture, in ``expected.json``'s shape.

    python scripts/rerun_fixture.py CASE [--write]

``CASE`` is a folder name under ``tests/fixtures/``. Read the output before pasting it (or
``--write``-ing it) into ``expected.json``: the fixture is the spec, not a recording.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))


def fixture_output(case: Path) -> dict[str, Any]:
    """The fields a fixture pins down, from the engine's analysis of ``page.html``."""
    from pipelines.analyze import analyze

    url = (case / "url.txt").read_text(encoding="utf-8").strip()
    a = analyze((case / "page.html").read_bytes(), url=url, content_type="text/html")
    return {
        "verdict": a.verdict,
        "encoding": a.encoding,
        "brands": list(a.brands[:1]),
        "numbers": sorted(({"e164": p.e164, "kind": p.kind, "advertised": p.advertised}
                           for p in a.numbers), key=lambda n: n["e164"]),
        "padding_kinds": sorted({s.kind for s in a.padding}),
        "redirect": a.redirect,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("--write", action="store_true", help="write expected.json")
    args = ap.parse_args()
    case = FIXTURES / args.case
    if not (case / "page.html").is_file():
        print(f"no fixture {case}: expected page.html and url.txt there", file=sys.stderr)
        return 2
    text = json.dumps(fixture_output(case), ensure_ascii=False, indent=2) + "\n"
    if args.write:
        (case / "expected.json").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
