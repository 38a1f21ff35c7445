"""Build pipelines/data/cn_geo.tsv.gz: places and carriers of Chinese (+86) number prefixes.

Source: the geocoder and carrier data of the installed ``phonenumbers`` package (Google's
libphonenumber metadata), Chinese descriptions. ``phonenumbers.geocoder`` loads the data of every
country at once (about 110 MB resident); the engine runs in every crawl and analysis process
and only needs China's, so this script extracts it into a small shipped file
(``pipelines/phones/geo.py`` reads it; other countries still go to ``phonenumbers``).

    .venv/bin/python scripts/build_cn_geo.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

import phonenumbers
from phonenumbers.carrierdata import CARRIER_DATA
from phonenumbers.geodata import GEOCODE_DATA

OUT = Path(__file__).resolve().parent.parent / "pipelines" / "data" / "cn_geo.tsv.gz"


def main() -> None:
    rows = [f"# +86 number prefixes: place and carrier (zh), from phonenumbers {phonenumbers.__version__}",
            "# p<TAB>place<TAB>its prefixes (comma-separated); c<TAB>prefix<TAB>carrier"]
    places = sorted((k, v["zh"]) for k, v in GEOCODE_DATA.items() if k.startswith("86") and "zh" in v)
    carriers = sorted((k, v["zh"]) for k, v in CARRIER_DATA.items() if k.startswith("86") and "zh" in v)
    # One row per place (130,000 prefixes share a few hundred places): a loader splits a few
    # hundred rows instead of 130,000.
    by_place: dict[str, list[str]] = {}
    for k, v in places:
        by_place.setdefault(v, []).append(k)
    rows += [f"p\t{v}\t{','.join(ks)}" for v, ks in by_place.items()]
    rows += [f"c\t{k}\t{v}" for k, v in carriers]
    # mtime=0: the same data gives the same bytes.
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(("\n".join(rows) + "\n").encode("utf-8"))
    print(f"wrote {len(places)} places and {len(carriers)} carriers to {OUT}")


if __name__ == "__main__":
    main()
