"""Template clusters: pages made from one template, whatever brand, places and number it names.

A farm page is a fixed text with slots (brand, number, a random list of places) plus a pasted
article that changes from page to page. To see the template we remove the pasted article (the
engine's ``scraped_article`` spans), replace brands, phone numbers, place names and remaining
digits by placeholders, and compare what is left as sets of character shingles. MinHash
signatures (datasketch's ``affine32`` scheme, computed here with numpy so that the analysis
workers never import datasketch and its scipy) estimate the Jaccard similarity of those sets; LSH banding finds the
pairs worth checking without comparing every page with every other, and pairs whose estimated
similarity reaches the threshold are joined (union-find), so a cluster is a connected group of
similar pages. A cluster is named by its smallest key (the oldest page id in the database), so
ids stay the same when pages are added, unless two clusters merge (the merged one keeps the
older id).

Pure: text in, signatures and cluster ids out; no database, no Scrapy.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache

import numpy as np

from pipelines.phones import find_phone_hits
from pipelines.places import place_spans
from pipelines.types import PageAnalysis

__all__ = [
    "FORMAT", "NUM_PERM", "SHINGLE", "THRESHOLD", "cluster_signatures", "jaccard",
    "places_outside", "sign_page", "signature", "template_text",
]

NUM_PERM = 64  # 256-byte signatures; LSH bands of 4 rows at a 0.5 threshold
SHINGLE = 5  # characters per shingle: long enough to keep word order, short enough for CJK
THRESHOLD = 0.5  # estimated Jaccard of masked texts for two pages to share a template
SEED = 1
# Version of stored signatures: bump when template_text or the signature parameters change.
FORMAT = 2
SCHEME = "affine32"  # datasketch 2's hashing scheme; stored signatures are only valid with it
PHONE_MASK, BRAND_MASK, PLACE_MASK, DIGIT_MASK = "☎", "Ⓑ", "□", "0"
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# A run of the same placeholder (a list of places, a number repeated) counts once.
_REPEATS = re.compile(rf"([{PHONE_MASK}{BRAND_MASK}{PLACE_MASK}])(?:[\s、,，;；/|]*\1)+")


def _brand_spans(text: str, brands: Iterable[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for brand in {b for b in brands if b}:
        at = text.find(brand)
        while at >= 0:
            out.append((at, at + len(brand)))
            at = text.find(brand, at + len(brand))
    return out


def _cut(text: str, drops: Iterable[tuple[int, int]],
         masks: Iterable[tuple[int, int, str]]) -> str:
    """One pass over ``text``: ``drops`` become a line break, each mask span its mask (phones,
    brands, places, in that order of priority where they overlap; a mask inside a dropped span
    goes with it)."""
    priority = {PHONE_MASK: 1, BRAND_MASK: 2, PLACE_MASK: 3}
    edits = sorted([(s, 0, -e, "\n") for s, e in drops]
                   + [(s, priority[m], -e, m) for s, e, m in masks])
    out, last = [], 0
    for start, kind, neg_end, mask in edits:
        end = -neg_end
        if kind and start < last:
            continue  # overlaps what is already cut
        start = max(start, last)
        if end <= start:
            continue
        out += [text[last:start], mask]
        last = end
    out.append(text[last:])
    return "".join(out)


def places_outside(text: str, drop: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Place-name spans of ``text`` outside the ``drop`` spans (a pasted article is not
    scanned: it is removed from the template anyway)."""
    out: list[tuple[int, int]] = []
    last = 0
    for start, end in [*sorted(drop), (len(text), len(text))]:
        if start > last:
            out += [(last + s, last + e) for s, e in place_spans(text[last:start])]
        last = max(last, end)
    return out


def template_text(text: str, *, brands: Sequence[str] = (),
                  drop: Iterable[tuple[int, int]] = (),
                  phones: Iterable[tuple[int, int]] | None = None,
                  places: Iterable[tuple[int, int]] | None = None) -> str:
    """``text`` reduced to its template: ``drop`` spans removed, phone numbers, brands, places and
    digits masked, whitespace collapsed. ``phones`` and ``places`` are the stored occurrence spans
    (offsets into ``text``, like ``drop``); without them the engine's finders look for them."""
    if phones is None:
        phones = [(h.start, h.end) for h in find_phone_hits(text)]
    drop = list(drop)
    if places is None:
        places = places_outside(text, drop)
    masks = ([(s, e, PHONE_MASK) for s, e in phones]
             + [(s, e, BRAND_MASK) for s, e in _brand_spans(text, brands)]
             + [(s, e, PLACE_MASK) for s, e in places])
    text = _cut(text, drop, masks)
    text = _DIGITS.sub(DIGIT_MASK, text)
    text = _SPACE.sub(" ", text)
    return _REPEATS.sub(r"\1", text).strip()


def sign_page(analysis: PageAnalysis) -> PageAnalysis:
    """``analysis`` with its place spans and template signature (hex of the ``FORMAT`` byte and
    the little-endian uint32 hash values): what the crawl's analysis workers add to every page so
    that clustering never reads the page's text again."""
    text = analysis.text
    if not text:
        return analysis
    drop = [(s.start, s.end) for s in analysis.padding if s.kind == "scraped_article"]
    places = tuple(places_outside(text, drop))
    template = template_text(text, brands=analysis.brands,
                             phones=[(h.start, h.end) for h in analysis.hits], places=places,
                             drop=drop)
    blob = bytes([FORMAT]) + signature(template).astype("<u4").tobytes()
    return replace(analysis, places=places, minhash=blob.hex())


def signature(template: str, *, num_perm: int = NUM_PERM, shingle: int = SHINGLE) -> np.ndarray:
    """MinHash hash values of the set of ``shingle``-character shingles of ``template``.

    Exactly what ``datasketch.MinHash(num_perm, seed=SEED, scheme="affine32").update_batch``
    gives (tests/test_templates.py checks it), without importing datasketch (0.4 s and scipy
    in every analysis worker): shingle hashes pre-mixed by MurmurHash3's finalizer, then
    ``a * h + b`` in uint32 per permutation, the minimum kept.
    """
    if len(template) <= shingle:
        shingles = {template} if template else set()
    else:
        shingles = {template[i:i + shingle] for i in range(len(template) - shingle + 1)}
    a, b = _permutations(num_perm)
    if not shingles:
        return np.full(num_perm, _MAX32, dtype=np.uint32)
    # Remembered hashes looked up in C; only a page with new shingles calls Python per shingle.
    order = list(shingles)
    known = list(map(_HASHES.get, order))
    if None in known:
        known = [_shingle_hash(sh) if h is None else h for sh, h in zip(order, known, strict=True)]
    hv = np.array(known, dtype=np.uint32)
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    # One row per permutation, reduced along the row (contiguous): the same minima, sooner.
    return np.asarray((a[:, None] * hv + b[:, None]).min(axis=1), dtype=np.uint32)


_MAX32 = np.uint32(0xFFFFFFFF)


@cache
def _permutations(num_perm: int) -> np.ndarray:
    """datasketch's affine32 permutations for ``SEED`` (odd ``a``, any ``b``, drawn from
    ``RandomState(SEED)`` as it draws them), once per process."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


_HASHES: dict[str, int] = {}
_HASHES_MAX = 50_000  # ~6 MB; a farm's pages share most shingles of their template


def _shingle_hash(shingle: str) -> int:
    """datasketch's default hash (``sha1_hash32``: the first 4 bytes of SHA-1, little-endian)
    of the shingle's UTF-8, remembered: farm pages repeat a template."""
    h = _HASHES.get(shingle)
    if h is None:
        if len(_HASHES) >= _HASHES_MAX:
            _HASHES.clear()
        h = _HASHES[shingle] = int.from_bytes(
            hashlib.sha1(shingle.encode("utf-8")).digest()[:4], "little")
    return h


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


@cache
def bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """LSH bands and rows per band for ``threshold`` (datasketch's optimum, equal weights).

    The default parameters' answer is known (datasketch finds it by numerical integration,
    which imports scipy); tests/test_templates.py checks it against datasketch."""
    if (threshold, num_perm) in _KNOWN_BANDS:
        return _KNOWN_BANDS[threshold, num_perm]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


_KNOWN_BANDS = {(0.5, 64): (14, 4)}


def band_keys(values: np.ndarray, *, threshold: float = THRESHOLD) -> list[int]:
    """One LSH bucket key per band (signed 64-bit, the band's number mixed in): two pages that
    share a key agree on every hash value of that band. Stored in ``minhash_bands``."""
    b, r = bands(threshold, len(values))
    raw = np.asarray(values, dtype="<u4").tobytes()
    out = []
    for i in range(b):
        digest = hashlib.blake2b(raw[i * r * 4:(i + 1) * r * 4], digest_size=8,
                                 person=b"band%04d" % i).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def cluster_signatures(signatures: Mapping[int, np.ndarray], *, threshold: float = THRESHOLD,
                       num_perm: int = NUM_PERM) -> dict[int, int]:
    """Cluster id (the smallest member key) of every key; a page like no other is its own.

    Pages sharing an LSH bucket (:func:`band_keys`) are checked against the bucket's first
    (smallest) key only, so the work grows with the number of pages, not with the square of a
    cluster's size. ``investigate.clusters`` applies the same rule incrementally.
    """
    buckets: dict[int, list[int]] = defaultdict(list)
    sigs = {k: v for k, v in signatures.items() if len(v) == num_perm}
    for key in sorted(sigs):
        for bucket in band_keys(sigs[key], threshold=threshold):
            buckets[bucket].append(key)
    uf = _UnionFind()
    for members in buckets.values():
        if len(members) < 2:
            continue
        anchor = members[0]
        for other in members[1:]:
            if uf.find(other) != uf.find(anchor) and \
                    jaccard(sigs[anchor], sigs[other]) >= threshold:
                uf.union(anchor, other)
    return {k: uf.find(k) for k in signatures}
