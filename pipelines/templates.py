"""Template clusters: pages made from one template, whatever brand, places and number it names.

A farm page is a fixed text with slots (brand, number, a random list of places) plus a pasted
article that changes from page to page. To see the template we remove the pasted article (the
engine's ``scraped_article`` spans), replace brands, phone numbers, place names and remaining
digits by placeholders, and compare what is left as sets of character shingles. MinHash
signatures (datasketch) estimate the Jaccard similarity of those sets; LSH banding finds the
pairs worth checking without comparing every page with every other, and pairs whose estimated
similarity reaches the threshold are joined (union-find), so a cluster is a connected group of
similar pages. A cluster is named by its smallest key (the oldest page id in the database), so
ids stay the same when pages are added, unless two clusters merge (the merged one keeps the
older id).

Pure: text in, signatures and cluster ids out; no database, no Scrapy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pipelines.phones import find_phone_hits
from pipelines.regions import mask_places

__all__ = [
    "NUM_PERM", "SHINGLE", "THRESHOLD", "cluster_signatures", "jaccard", "signature",
    "template_text",
]

NUM_PERM = 64  # 256-byte signatures; LSH bands of 4 rows at a 0.5 threshold
SHINGLE = 5  # characters per shingle: long enough to keep word order, short enough for CJK
THRESHOLD = 0.5  # estimated Jaccard of masked texts for two pages to share a template
SEED = 1
SCHEME = "affine32"  # datasketch 2's hashing scheme; stored signatures are only valid with it
PHONE_MASK, BRAND_MASK, PLACE_MASK, DIGIT_MASK = "☎", "Ⓑ", "□", "0"
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# A run of the same placeholder (a list of places, a number repeated) counts once.
_REPEATS = re.compile(rf"([{PHONE_MASK}{BRAND_MASK}{PLACE_MASK}])(?:[\s、,，;；/|]*\1)+")


def _cut(text: str, drops: Iterable[tuple[int, int]], phones: Iterable[tuple[int, int]]) -> str:
    """One pass over ``text``: ``drops`` become a line break, ``phones`` the phone mask (a phone
    inside a dropped span goes with it)."""
    edits = sorted([(s, e, 0) for s, e in drops] + [(s, e, 1) for s, e in phones])
    out, last = [], 0
    for start, end, kind in edits:
        if kind == 1 and start < last:
            continue  # overlaps what is already cut
        start = max(start, last)
        if end <= start:
            continue
        out += [text[last:start], "\n" if kind == 0 else PHONE_MASK]
        last = end
    out.append(text[last:])
    return "".join(out)


def template_text(text: str, *, brands: Sequence[str] = (),
                  drop: Iterable[tuple[int, int]] = (),
                  phones: Iterable[tuple[int, int]] | None = None) -> str:
    """``text`` reduced to its template: ``drop`` spans removed, phone numbers, brands, places and
    digits masked, whitespace collapsed. ``phones`` are the stored occurrence spans (offsets into
    ``text``, like ``drop``); without them the engine's phone finder looks for them."""
    if phones is None:
        phones = [(h.start, h.end) for h in find_phone_hits(text)]
    text = _cut(text, drop, phones)
    for brand in sorted({b for b in brands if b}, key=len, reverse=True):
        text = text.replace(brand, BRAND_MASK)
    text = mask_places(text, PLACE_MASK)
    text = _DIGITS.sub(DIGIT_MASK, text)
    text = _SPACE.sub(" ", text)
    return _REPEATS.sub(r"\1", text).strip()


def signature(template: str, *, num_perm: int = NUM_PERM, shingle: int = SHINGLE) -> np.ndarray:
    """MinHash hash values of the set of ``shingle``-character shingles of ``template``."""
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    if len(template) <= shingle:
        shingles = {template} if template else set()
    else:
        shingles = {template[i:i + shingle] for i in range(len(template) - shingle + 1)}
    if shingles:
        mh.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(mh.hashvalues).copy()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal hash values)."""
    return float(np.count_nonzero(a == b)) / len(a)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the smaller key becomes the root: the cluster id is its oldest member
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def cluster_signatures(signatures: Mapping[int, np.ndarray], *, threshold: float = THRESHOLD,
                       num_perm: int = NUM_PERM) -> dict[int, int]:
    """Cluster id (the smallest member key) of every key; a page like no other is its own.

    Pages sharing an LSH bucket are checked against the bucket's first page only, so the work
    grows with the number of pages, not with the square of a cluster's size.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sigs = {k: v for k, v in signatures.items() if len(v) == num_perm}
    with lsh.insertion_session() as session:
        for key, values in sigs.items():
            session.insert(key, LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME),
                           check_duplication=False)
    uf = _UnionFind()
    for table in lsh.hashtables:
        for bucket in table:
            members = sorted(table.get(bucket))
            if len(members) < 2:
                continue
            anchor = members[0]
            for other in members[1:]:
                if uf.find(other) != uf.find(anchor) and \
                        jaccard(sigs[anchor], sigs[other]) >= threshold:
                    uf.union(anchor, other)
    return {k: uf.find(k) for k in signatures}
