"""The template signature computed with numpy is datasketch's ``affine32`` MinHash, bit for bit.

Stored signatures (``FORMAT`` 2, ``SCHEME`` affine32) must stay comparable with those of earlier
crawls, so the engine's own MinHash is checked against datasketch on varied shingle sets.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

from pipelines.templates import NUM_PERM, SCHEME, SEED, SHINGLE, bands, signature


def datasketch_signature(template: str, num_perm: int = NUM_PERM) -> np.ndarray:
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, hashfunc=sha1_hash32)
    if len(template) <= SHINGLE:
        shingles = {template} if template else set()
    else:
        shingles = {template[i:i + SHINGLE] for i in range(len(template) - SHINGLE + 1)}
    if shingles:
        mh.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(mh.hashvalues)


def random_template(rng: random.Random) -> str:
    alphabet = "客服电话热线售后维修中心□☎Ⓑ0 abcXYZ、，。"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 5, 6, 40, 900))))


@pytest.mark.parametrize("seed", range(6))
def test_signature_is_datasketch_affine32(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20):
        template = random_template(rng)
        ours = signature(template)
        theirs = datasketch_signature(template)
        assert ours.dtype == np.uint32
        assert ours.tolist() == theirs.tolist(), template


def test_other_signature_sizes_match_too() -> None:
    template = "售后服务热线☎ 全国□各区域维修网点 Ⓑ官方客服中心" * 3
    assert signature(template, num_perm=128).tolist() == \
        datasketch_signature(template, num_perm=128).tolist()


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 64), (0.7, 64), (0.5, 128)])
def test_bands_are_datasketch_optimum(threshold: float, num_perm: int) -> None:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert bands(threshold, num_perm) == (lsh.b, lsh.r)
