"""Region-list detection over the shipped gazetteer, with lists built from it in code."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import random
import re
import time
from pathlib import Path

import pytest

from pipelines.gazetteer import Gazetteer
from pipelines.places import mask_places
from pipelines.regions import (
    RegionRun,
    divisions,
    find_region_lists,
    is_place,
    place_names,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "pipelines" / "data" / "gazetteer.tsv.gz"


# ---------------------------------------------------------------- building synthetic lists


def _short(names: tuple[str, ...]) -> str:
    """The shortest simplified short form of a division (中山市 → 中山), else its full name."""
    full = names[0]
    shorts = [n for n in names[1:] if full.startswith(n)]
    return min(shorts, key=len) if shorts else full


@pytest.fixture(scope="module")
def tree() -> dict[str, tuple[int, tuple[str, ...]]]:
    """code → (level, names) for mainland divisions."""
    return {code: (level, names) for code, level, names in divisions() if code[0] != "9"}


def _chain(tree: dict, code: str) -> list[tuple[str, ...]]:
    """Names of a division and its ancestors, province first (prefix codes 2/4/6 digits)."""
    out = []
    for cut in (2, 4, 6, 9):
        if cut <= len(code) and code[:cut] in tree:
            out.append(tree[code[:cut]][1])
    return out


def make_items(tree: dict, n: int, *, seed: int, suffixes: str = "mixed") -> list[str]:
    """``n`` compound list items such as 广元市青川县 or 中山石岐街道, in several patterns."""
    rng = random.Random(seed)
    leaves = sorted(
        c
        for c, (level, names) in tree.items()
        if level in (3, 23) or (level == 4 and names[0].endswith(("镇", "乡", "街道", "苏木")))
    )
    items: list[str] = []
    while len(items) < n:
        chain = _chain(tree, rng.choice(leaves))
        if len(chain) < 2:
            continue
        patterns = [chain[-2:], chain[-3:], chain[-2:]]
        if len(chain) >= 3:
            patterns.append(chain[:1] + chain[-2:])
        take = rng.choice(patterns)
        parts = []
        for names in take:
            full = suffixes == "full" or (suffixes == "mixed" and rng.random() < 0.6)
            parts.append(names[0] if full else _short(names))
        item = "".join(parts)
        if item not in items:
            items.append(item)
    return items


def as_lines(items: list[str], *, seed: int, blank: int = 3) -> str:
    """Items joined with 、 into lines of 5-10, lines separated by blank lines."""
    rng = random.Random(seed)
    lines, i = [], 0
    while i < len(items):
        k = rng.randint(5, 10)
        lines.append("、".join(items[i : i + k]))
        i += k
    return ("\n" * (blank + 1)).join(lines)


PROSE = (
    "澜拓净水器的滤芯建议每六个月更换一次，具体时间取决于当地水质和用水量。"
    "如果出水量明显变小，请先检查进水阀门是否完全打开，再联系售后人员上门检测。"
    "我们和平台上的其他商家一样，承诺七天无理由退换，向阳的阳台不宜放置设备。"
    "城区和郊区的上门时间略有不同，新区的用户请提前一天预约。"
)


def _assert_clean_span(text: str, run: RegionRun) -> None:
    span = text[run.start : run.end]
    first = re.split(r"[、，,;；\s]+", span, maxsplit=1)[0]
    last = re.split(r"[、，,;；\s]+", span)[-1]
    assert is_place(first), first
    assert is_place(last), last
    assert span == span.strip()


# ---------------------------------------------------------------- the gazetteer


def test_gazetteer_covers_all_four_levels() -> None:
    counts: dict[int, int] = {}
    for _code, level, _names in divisions():
        counts[level] = counts.get(level, 0) + 1
    assert counts[1] >= 34  # 31 mainland + HK, Macao, Taiwan
    assert counts[2] >= 330
    assert counts[3] + counts[23] >= 2800
    assert counts[4] >= 38000


def test_a_file_without_index_rows_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="rebuild it with"):
        Gazetteer(["# header only", "D\t11\t1\t北京市;北京"])


def test_data_file_names_its_source_and_stays_small() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", ROOT / "scripts/build_gazetteer.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        header = [fh.readline() for _ in range(3)]
    assert f"{build.PACKAGE} {build.VERSION}" in "".join(header)
    assert DATA.stat().st_size < 4_000_000
    # The build's short-form rules, on names the pages use.
    assert "黔东南" in build.short_forms("黔东南苗族侗族自治州", 2)
    assert "黔东南州" in build.short_forms("黔东南苗族侗族自治州", 2)
    assert "彭水" in build.short_forms("彭水苗族土家族自治县", 3)
    assert build.short_forms("广西壮族自治区", 1) == ["广西"]
    assert "锡林郭勒" in build.short_forms("锡林郭勒盟", 2)
    assert build.short_forms("城区", 3) == []  # one character is no name


@pytest.mark.parametrize(
    "name",
    [
        "中山市",
        "中山",
        "锡林郭勒盟",
        "彭水苗族土家族自治县",
        "城步苗族自治县",
        "甘孜",
        "甘孜藏族自治州",
        "黔东南",
        "黔东南州",
        "内蒙古",
        "广西",
        "宁夏",
        "延边",
        "凉山",
        "西双版纳",
        "海北",
        "玉树",
        "黄南",
        "石岐街道",
        "苏尼特右旗",
        "额济纳旗",
        "廣西",
        "內蒙古",
        "黔東南苗族侗族自治州",
        "香港",
    ],
)
def test_names_and_short_forms_are_places(name: str) -> None:
    assert name in place_names()
    assert is_place(name)


@pytest.mark.parametrize(
    "token, expected",
    [
        ("内蒙古锡林郭勒盟苏尼特右旗", True),
        ("重庆市彭水苗族土家族自治县", True),
        ("甘孜得荣县", True),
        ("广西百色市凌云县", True),
        ("内蒙古錫林郭勒盟蘇尼特右旗", True),
        ("广东省深圳市南山区科技园路1号", False),
        ("澜拓净水器", False),
        ("我们", False),
        ("北", False),
        ("", False),
    ],
)
def test_is_place(token: str, expected: bool) -> None:
    assert is_place(token) is expected


def test_place_names_is_frozen_and_large() -> None:
    names = place_names()
    assert isinstance(names, frozenset)
    assert len(names) > 100_000
    assert {"北京", "北京市", "臺北市", "台北市", "錫林郭勒盟"} <= names


# ---------------------------------------------------------------- finding lists


def test_seed_like_list_is_one_run(tree: dict) -> None:
    items = make_items(tree, 60, seed=1)
    body = as_lines(items, seed=2)
    text = "澜拓净水器全国统一服务热线\n全国服务区域:\n\n" + body + "\n\n" + PROSE
    runs = find_region_lists(text)
    assert len(runs) == 1
    run = runs[0]
    assert text[run.start : run.end] == body
    assert run.places == 60
    _assert_clean_span(text, run)


@pytest.mark.parametrize("suffixes", ["full", "short"])
def test_items_with_and_without_suffixes(tree: dict, suffixes: str) -> None:
    items = make_items(tree, 25, seed=3, suffixes=suffixes)
    text = PROSE + "\n" + "、".join(items) + "\n" + PROSE
    (run,) = find_region_lists(text)
    assert run.places == 25
    assert text[run.start : run.end] == "、".join(items)


def test_traditional_list(tree: dict) -> None:
    opencc = pytest.importorskip("opencc")
    items = make_items(tree, 30, seed=4)
    converter = opencc.OpenCC("s2t")
    body = converter.convert(as_lines(items, seed=5, blank=1))
    text = converter.convert(PROSE) + "\n" + body
    (run,) = find_region_lists(text)
    assert run.places == 30
    assert text[run.start : run.end] == body


def test_variant_characters_inside_a_list() -> None:
    text = "深圳、廣州、臺州、黃巖、溫州、寧波、紹興"
    (run,) = find_region_lists(text)
    assert (run.start, run.end, run.places) == (0, len(text), 7)


def test_list_broken_over_many_lines_with_headers(tree: dict) -> None:
    items = make_items(tree, 48, seed=6)
    parts = [
        "华南地区：",
        "、".join(items[:16]),
        "",
        "",
        "华东地区",
        "、".join(items[16:32]),
        "更多城市：",
        "\n".join(items[32:]),
    ]  # the last part: one item per line
    text = PROSE + "\n服务网点覆盖：\n" + "\n".join(parts) + "\n\n" + PROSE
    (run,) = find_region_lists(text)
    assert run.places == 48
    assert text[run.start :].startswith(items[0])
    assert text[: run.end].endswith(items[-1])


def test_space_and_comma_separated_lists(tree: dict) -> None:
    items = make_items(tree, 12, seed=7)
    for sep in (" ", "，", ",", "；", " | ", "\n"):
        text = "服务区域 " + sep.join(items) + "。" + PROSE
        runs = find_region_lists(text)
        assert [r.places for r in runs] == [12], sep


def test_numbered_list(tree: dict) -> None:
    items = make_items(tree, 8, seed=8)
    text = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    (run,) = find_region_lists(text)
    assert run.places == 8
    _assert_clean_span(text, run)


def test_one_unknown_item_does_not_split_a_list(tree: dict) -> None:
    items = make_items(tree, 20, seed=9)
    items.insert(10, "旧时名称")
    (run,) = find_region_lists("、".join(items))
    assert run.places == 20


def test_a_list_of_big_cities_is_a_list() -> None:
    text = "热门城市：北京、上海、广州、深圳、杭州、大连、孝感"
    (run,) = find_region_lists(text)
    assert (text[run.start : run.end], run.places) == (
        "北京、上海、广州、深圳、杭州、大连、孝感",
        7,
    )


def test_places_run_together_count_one_each() -> None:
    (run,) = find_region_lists("北京上海广州深圳杭州南京")
    assert run.places == 6


def test_min_places(tree: dict) -> None:
    text = "、".join(make_items(tree, 4, seed=10))
    assert find_region_lists(text) == []
    assert [r.places for r in find_region_lists(text, min_places=4)] == [4]


def test_government_notice_listing_counties_is_a_list(tree: dict) -> None:
    counties = [names[0] for _c, (level, names) in sorted(tree.items()) if level == 3][200:220]
    text = (
        "关于做好2025年度农村饮水安全工作的通知\n各有关县（市、区）人民政府：\n"
        "经研究，确定" + "、".join(counties) + "等20个县为重点县。请认真组织实施。"
    )
    (run,) = find_region_lists(text)
    assert run.places == 20
    assert text[run.start : run.end] == "、".join(counties)


@pytest.mark.parametrize(
    "text",
    [
        "我们在北京、上海和广州都设有服务中心，欢迎就近咨询。",
        "公司地址：广东省深圳市南山区科技园路1号澜拓大厦12楼",
        "今日天气\n北京 晴 25℃\n上海 多云 27℃\n广州 小雨 29℃\n",
        PROSE * 20,
        "服务项目：维修、安装、保养、清洗、移机、检测、换芯、调试。",
        "和平、向阳、胜利、团结、友谊，这些词常见于街道名称。",
        "我们倡导和平、友好、合作、互助、共和、富裕、光明的理念。",
    ],
)
def test_not_lists(text: str) -> None:
    assert find_region_lists(text) == []


@pytest.mark.parametrize("text", ["", "   \n\n", "、、、", "。"])
def test_empty_and_punctuation_only(text: str) -> None:
    assert find_region_lists(text) == []
    assert mask_places(text) == text


def test_a_huge_unbroken_text_is_no_list() -> None:
    text = "北京" + "澜" * 50_000 + "上海"
    assert find_region_lists(text) == []
    assert mask_places(text) == "□" + "澜" * 50_000 + "□"


def test_a_sentence_end_splits_two_lists(tree: dict) -> None:
    a, b = make_items(tree, 6, seed=15), make_items(tree, 6, seed=16)
    text = "、".join(a) + "。" + "、".join(b)
    assert [r.places for r in find_region_lists(text)] == [6, 6]


def test_spans_are_ordered_and_disjoint(tree: dict) -> None:
    a = "、".join(make_items(tree, 10, seed=11))
    b = "、".join(make_items(tree, 7, seed=12))
    text = PROSE + a + "。" + PROSE + b + "。"
    runs = find_region_lists(text)
    assert [r.places for r in runs] == [10, 7]
    assert runs[0].end <= runs[1].start
    for run in runs:
        _assert_clean_span(text, run)


def test_region_run_is_frozen() -> None:
    run = RegionRun(1, 5, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.start = 2  # type: ignore[misc]


# ---------------------------------------------------------------- masking


def test_mask_places() -> None:
    assert mask_places("北京朝阳区澜拓净水器维修电话") == "□澜拓净水器维修电话"
    assert mask_places("广东省深圳市南山区科技园路1号", mask="#") == "#科技园路1号"
    assert mask_places("澜拓净水器维修电话") == "澜拓净水器维修电话"


def test_mask_places_keeps_everyday_words() -> None:
    # 胜利 is only a town's short form (胜利街道) and an everyday word: not a place on its own.
    assert not is_place("胜利")
    assert mask_places("取得胜利") == "取得胜利"
    assert mask_places("中山胜利街道") == "□"


def test_mask_makes_titles_of_one_template_equal() -> None:
    a = mask_places("玉树澜拓净水器售后维修电话")
    b = mask_places("黔东南州澜拓净水器售后维修电话")
    assert a == b == "□澜拓净水器售后维修电话"


# ---------------------------------------------------------------- speed (sanity, not timed)


def test_big_page_runs(tree: dict) -> None:
    """A 20,000-character seed-like page goes through; timing is in bench/regions_speed.py."""
    items = make_items(tree, 1200, seed=13)
    text = as_lines(items, seed=14)
    text = (text + "\n" + PROSE * 40)[:20_000]
    start = time.perf_counter()
    runs = find_region_lists(text)
    elapsed = time.perf_counter() - start
    assert sum(r.places for r in runs) > 1000
    assert elapsed >= 0  # reported by the benchmark, never asserted here


def test_split_class_spells_out_whitespace() -> None:
    """The list splitter spells ``\\s`` out (faster in ``re``): the same characters split."""
    import re

    from pipelines import regions

    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == regions._WHITESPACE
    spelt = re.compile(regions._SEP_CLASS)  # the character class alone
    with_s = re.compile(f"[{regions._SEPS}]")
    assert all(bool(spelt.fullmatch(chr(c))) == bool(with_s.fullmatch(chr(c)))
               for c in range(0x110000))
