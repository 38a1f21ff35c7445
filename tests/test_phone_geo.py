"""The shipped +86 prefix table answers exactly as phonenumbers' own geocoder and carrier data."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import carrier, geocoder

from pipelines.phones.numbers import place_and_carrier


def reference(e164: str) -> tuple[str, str]:
    num = phonenumbers.parse(e164, None)
    place = geocoder.description_for_number(num, "zh") or geocoder.description_for_valid_number(num, "zh")
    return place, carrier.name_for_number(num, "zh")


def sample_numbers(n: int = 1500) -> list[str]:
    rng = random.Random(11)
    out = []
    for _ in range(n):
        out.append("+86" + rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randrange(10**9)).zfill(9))
        area = rng.choice(["10", "21", "28", "532", "571", "731", "755", "991"])
        out.append("+86" + area + str(rng.randrange(10**8)).zfill(rng.choice([7, 8])))
    return [*out, "+864006123456", "+868001234567"]


@pytest.mark.parametrize("chunk", range(3))
def test_cn_table_matches_phonenumbers(chunk):
    numbers = sample_numbers()[chunk::3]
    mismatches = [(e, place_and_carrier.__wrapped__(e), reference(e)) for e in numbers
                  if place_and_carrier.__wrapped__(e) != reference(e)]
    assert not mismatches[:5]


def test_foreign_numbers_still_geocoded():
    place, _ = place_and_carrier("+12125550123")
    assert place  # New York, via phonenumbers itself


def test_engine_process_stays_small():
    """Analysing a page must not load every country's geocoding data (about 110 MB)."""
    import subprocess
    import sys

    code = ("import sys; from pipelines.analyze import analyze;"
            "analyze(text='售后电话 400-612-3456 手机 13800138000 座机 028-85551234');"
            "print('phonenumbers.geodata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
