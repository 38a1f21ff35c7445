"""Speed of region-list detection (pipelines.regions) on synthetic pages.

Prints the one-off gazetteer load time, then milliseconds per page for ``find_region_lists``
on seed-like pages (20,000 characters, about half region lists) with every item new (the
per-item memo cleared) and with items seen before (as on a crawl of one spam site), on ordinary
prose with no lists (per 10,000 characters), and for ``mask_places`` on prose. Targets: < 3 ms
per seed-like page, < 0.5 ms per 10,000 characters of prose, load < 300 ms. Timings are the
best of ``--repeat`` passes, since the machine may be shared.

    python bench/regions_speed.py [--pages N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines import places, regions
from pipelines.gazetteer import load

# Invented text: a fake hotline page's filler and an unrelated article, written for this bench.
FILLER = [
    "澜拓净水器全国统一24小时售后服务热线：400-6{0}-{1}（点击咨询）",
    "维修服务快速响应，师傅最快30分钟上门，收费透明，配件原厂直供。",
    "澜拓净水器售后维修网点电话，全国联保，预约后专人跟进处理进度。",
    "服务承诺：不修好不收费，维修后保修九十天，回访满意后再结单。",
]
ARTICLE = [
    "记者近日走访了本市多家家电卖场，发现净水设备的销量比去年同期明显上升。",
    "业内人士表示，消费者在选购时应关注滤芯更换成本，而不只是机器本身的价格。",
    "一位来自杭州的用户说，他家的设备用了两年，出水量一直比较稳定。",
    "市场监管部门提醒，遇到陌生号码自称官方客服时，要通过品牌官网核实。",
    "专家建议，城区和郊区的水质差异较大，选择过滤方案前最好先做水质检测。",
    "据统计，去年相关投诉主要集中在上门收费不透明和配件以次充好两个方面。",
    "在向阳的阳台上安装设备会加速管路老化，厂家一般建议放在阴凉通风处。",
    "和平里社区的志愿者每周组织一次讲座，向老人讲解防范电信诈骗的常识。",
]


def region_items(rng: random.Random, n: int) -> list[str]:
    """Compound items (prefecture + county, or county + town) drawn from the gazetteer."""
    rows = [(c, lv, names) for c, lv, names in regions.divisions() if c[0] != "9"]
    by_code = {c: names for c, _lv, names in rows}
    leaves = [c for c, lv, _names in rows if lv in (3, 4)]
    items = []
    while len(items) < n:
        code = rng.choice(leaves)
        parent = by_code.get(code[:4] if len(code) == 6 else code[:6])
        if parent:
            items.append(rng.choice(parent[:2]) + by_code[code][0])
    return items


def seed_like_page(rng: random.Random, items: list[str], size: int = 20_000) -> str:
    """About half region lists (lines of 5-10 items) and half filler/article lines."""
    out: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.5:
            line = "、".join(rng.sample(items, rng.randint(5, 10)))
        else:
            line = rng.choice(FILLER + ARTICLE).format(
                rng.randint(100, 999), rng.randint(1000, 9999)
            )
        out.append(line + "\n\n\n")
        length += len(line) + 3
    return "".join(out)[:size]


def prose_page(rng: random.Random, size: int = 10_000) -> str:
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append("".join(rng.sample(ARTICLE, 4)) + "\n")
    return "".join(out)[:size]


def per_page_ms(fn, pages: list[str], repeat: int) -> float:
    """Best of ``repeat`` passes over ``pages`` (the machine is shared: the minimum is the cost)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for page in pages:
            fn(page)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    regions.place_names()
    load_ms = (time.perf_counter() - start) * 1000

    rng = random.Random(7)
    items = region_items(rng, 3000)
    seeds = [seed_like_page(rng, items) for _ in range(args.pages)]
    proses = [prose_page(rng) for _ in range(args.pages)]
    found = sum(r.places for r in regions.find_region_lists(seeds[0]))
    assert found > 500 and not regions.find_region_lists(proses[0]), "bench pages are not as meant"

    def cold(page: str) -> None:
        load().memo.clear()  # as if every item were new
        regions.find_region_lists(page)

    cold_ms = per_page_ms(cold, seeds, args.repeat)
    seed_ms = per_page_ms(regions.find_region_lists, seeds, args.repeat)
    prose_ms = per_page_ms(regions.find_region_lists, proses, args.repeat)
    mask_ms = per_page_ms(places.mask_places, proses, args.repeat)
    print(f"gazetteer load:                      {load_ms:7.1f} ms (target < 300)")
    print(
        f"find_region_lists, seed-like 20k:    {cold_ms:7.3f} ms/page, items new ({found} places)"
    )
    print(f"find_region_lists, seed-like 20k:    {seed_ms:7.3f} ms/page, items seen before")
    print(f"find_region_lists, prose per 10k:    {prose_ms:7.3f} ms (target < 0.5)")
    print(f"mask_places, prose per 10k:          {mask_ms:7.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
