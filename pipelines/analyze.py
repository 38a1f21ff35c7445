"""Entry point of the triage engine: one page in, one :class:`PageAnalysis` out.

TEMPORARY: a placeholder with the final signature, replaced by the real engine.
"""

from __future__ import annotations

from pipelines.types import PageAnalysis


def analyze(
    html: bytes | str | None = None,
    *,
    url: str = "",
    text: str | None = None,
    content_type: str | None = None,
) -> PageAnalysis:
    """Analyse one page given as HTML (bytes or str) or as plain text."""
    body = text if text is not None else (html.decode("utf-8", "replace") if isinstance(html, bytes) else html or "")
    return PageAnalysis(url=url, verdict="clean", score=0.0, reasons=(), numbers=(), brands=(),
                        padding=(), padding_ratio=0.0, title="", text=body, visible_chars=len(body))
