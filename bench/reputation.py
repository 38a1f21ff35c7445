"""Number-verdict AUC of the reputation propagation on a generated numbers/pages/domains graph.

    .venv/bin/python bench/reputation.py [--seed 1] [--brands 200] [--operations 40]

The graph mimics what crawls store, with the engine's mistakes: fraud operations advertise a few
numbers on many pages and domains, mostly for many brands (some stick to one brand); brands have
official numbers, advertised by their sites and retailers and quoted by news warnings next to a
fake number; spam pages sometimes quote the official number; victims' forum posts repeat fake
numbers on clean pages; multi-brand repair shops advertise their own numbers for several brands
on one page; the engine mislabels a share of pages. A share of official and fraud numbers is
given as seeds; the AUC is measured on the held-out numbers only, against a baseline that scores
a number by the mean spam probability of the pages advertising it (no propagation, no seeds).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.propagation import Mention, PageFacts, score_numbers


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2  # 1-based average rank of the tie group
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def make_graph(seed: int, n_brands: int, n_ops: int, flip_spam: float = 0.10,
               flip_clean: float = 0.05):
    rng = random.Random(seed)
    pages: list[PageFacts] = []
    mentions: list[Mention] = []
    truth: dict[str, int] = {}  # 1 fraud, 0 legitimate
    official: dict[str, str] = {}

    def number() -> str:
        while True:
            n = "+86400" + "".join(str(rng.randrange(10)) for _ in range(7))
            if n not in truth:
                return n

    def page(domain: str, spam: bool, brands: tuple[str, ...], warning: bool = False) -> int:
        flip = rng.random() < (flip_spam if spam else flip_clean)
        shown_spam = spam != flip
        score = rng.uniform(0.55, 0.99) if shown_spam else rng.uniform(0.01, 0.45)
        pid = len(pages) + 1
        pages.append(PageFacts(pid, domain, "hotline_spam" if shown_spam else "clean", score,
                               brands, warning))
        return pid

    brands = [f"brand{i}" for i in range(n_brands)]
    for b in brands:
        official[b] = number()
        truth[official[b]] = 0
        pid = page(f"{b}.example.com", False, (b,))
        mentions.append(Mention(pid, official[b], True))
        for r in range(rng.randint(0, 3)):  # retailers
            pid = page(f"shop{rng.randrange(60)}.example.com", False, (b,))
            mentions.append(Mention(pid, official[b], True))
    fakes: list[str] = []
    for op in range(n_ops):
        nums = [number() for _ in range(rng.randint(1, 5))]
        for n in nums:
            truth[n] = 1
        fakes += nums
        domains = [f"op{op}-{d}.example.net" for d in range(rng.randint(1, 6))]
        own = [rng.choice(brands)] if rng.random() < 0.25 else rng.sample(brands, 12)
        for _ in range(rng.randint(3, 60)):
            brand = rng.choice(own)
            pid = page(rng.choice(domains), True, (brand,))
            mentions.append(Mention(pid, rng.choice(nums), True))
            if rng.random() < 0.1:  # quotes the real number somewhere on the page
                mentions.append(Mention(pid, official[brand], False))
    for k in range(n_brands // 2):  # news warnings: a fake number accused, the official advised
        b = rng.choice(brands)
        pid = page("news.example.org", False, (b,), warning=True)
        mentions.append(Mention(pid, rng.choice(fakes), False))
        mentions.append(Mention(pid, official[b], True))
    for k in range(n_brands // 4):  # victims' forum posts repeating a fake number
        b = rng.choice(brands)
        pid = page("forum.example.org", False, (b,))
        mentions.append(Mention(pid, rng.choice(fakes), True))
    for k in range(n_brands // 4):  # multi-brand repair shops: legitimate own numbers
        n = number()
        truth[n] = 0
        pid = page(f"repair{k}.example.com", False, tuple(rng.sample(brands, 4)))
        mentions.append(Mention(pid, n, True))
    return pages, mentions, truth, official


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--brands", type=int, default=200)
    ap.add_argument("--operations", type=int, default=40)
    ap.add_argument("--official-known", type=float, default=0.5)
    ap.add_argument("--fraud-known", type=float, default=0.2)
    ap.add_argument("--flip-spam", type=float, default=0.10,
                    help="share of spam pages the engine calls clean")
    ap.add_argument("--flip-clean", type=float, default=0.05,
                    help="share of clean pages the engine calls spam")
    args = ap.parse_args()
    pages, mentions, truth, official = make_graph(args.seed, args.brands, args.operations,
                                                  args.flip_spam, args.flip_clean)
    rng = random.Random(args.seed + 1)
    seeds_official = {n: [b] for b, n in official.items() if rng.random() < args.official_known}
    seeds_fraud = {n for n, y in truth.items() if y == 1 and rng.random() < args.fraud_known}
    mentioned = {m.number for m in mentions}  # a number an operation never used is not seen
    held_out = [n for n in truth
                if n in mentioned and n not in seeds_official and n not in seeds_fraud]
    started = time.perf_counter()
    result = score_numbers(pages, mentions, official=seeds_official, fraud=seeds_fraud)
    seconds = time.perf_counter() - started
    by_page = {p.id: p for p in pages}
    adv: dict[str, list[float]] = {}
    for m in mentions:
        if m.advertised:
            adv.setdefault(m.number, []).append(by_page[m.page].score)
    base = {n: sum(v) / len(v) for n, v in adv.items()}

    def split(scores: dict[str, float]) -> tuple[list[float], list[float]]:
        pos = [scores.get(n, 0.5) for n in held_out if truth[n] == 1]
        neg = [scores.get(n, 0.5) for n in held_out if truth[n] == 0]
        return pos, neg

    ours = auc(*split({n: r.score for n, r in result.items()}))
    baseline = auc(*split(base))
    verdicts = {y: Counter(result[n].verdict for n in held_out if truth[n] == y) for y in (0, 1)}
    n_pos = sum(truth[n] for n in held_out)
    n_neg = len(held_out) - n_pos
    print(f"engine mistakes: {args.flip_spam:.0%} of spam pages called clean, "
          f"{args.flip_clean:.0%} of clean pages called spam")
    print(f"graph: {len(pages)} pages, {len(mentions)} mentions, {len(truth)} numbers "
          f"({sum(truth.values())} fraud); seeds: {len(seeds_official)} official, "
          f"{len(seeds_fraud)} fraud; held out: {n_pos} fraud, {n_neg} legitimate")
    print(f"number-verdict AUC on held-out numbers: {ours:.3f} "
          f"(baseline, mean page spam score: {baseline:.3f}); {seconds:.2f} s")
    for y, name in ((1, "fraud"), (0, "legitimate")):
        v = verdicts[y]
        print(f"held-out {name} numbers: " + ", ".join(
            f"{v[k]} {k}" for k in ("fraud", "suspicious", "clean")))


if __name__ == "__main__":
    main()
