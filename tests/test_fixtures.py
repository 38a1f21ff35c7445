"""Engine fixtures (web-poet style): ``tests/fixtures/<case>/{page.html, url.txt, expected.json}``.

Each case is analysed offline from its raw bytes; one test per case and field, so a change
reports exactly which field of which page moved. ``scripts/rerun_fixture.py CASE`` prints the
current output for updating ``expected.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))

from rerun_fixture import fixture_output  # noqa: E402

CASES = sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").is_file())
_outputs: dict[Path, dict[str, Any]] = {}


def _output(case: Path) -> dict[str, Any]:
    if case not in _outputs:
        _outputs[case] = fixture_output(case)
    return _outputs[case]


def _params() -> list[Any]:
    out = []
    for case in CASES:
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        out += [pytest.param(case, field, value, id=f"{case.name}-{field}")
                for field, value in expected.items()]
    return out


def test_there_are_fixtures() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize(("case", "field", "expected"), _params())
def test_fixture_field(case: Path, field: str, expected: Any) -> None:
    got = _output(case)
    assert field in got, f"{case.name}: the engine gives no {field!r}"
    assert got[field] == expected, f"{case.name}: {field}"
