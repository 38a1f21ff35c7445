"""The stored form of a page's template signature (``pages.minhash``)."""

from __future__ import annotations

HASH_BYTES = 16  # of the content hash, kept in a stored signature (investigate.clusters)


def signature_blob(content_hash: str, minhash: bytes) -> bytes | None:
    """``pages.minhash`` for the analysis workers' signature (``PageAnalysis.minhash``: format
    byte, hash values): the format byte, the first bytes of the content hash, the values."""
    if not minhash:
        return None
    try:
        digest = bytes.fromhex(content_hash)[:HASH_BYTES]
    except ValueError:
        digest = b""
    return minhash[:1] + digest.ljust(HASH_BYTES, b"\0") + minhash[1:]
