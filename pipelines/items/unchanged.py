"""``SkipUnchangedPipeline``: a re-fetched body identical to the stored one is not analysed again.

Runs before :class:`~pipelines.items.analyze.AnalyzePipeline`. When the body's hash equals the
content hash stored for the URL (remembered by
:class:`~pipelines.items.conditional.ConditionalMiddleware` when it looked the page up),
the body is dropped: the item is stored as a fetch, and the page keeps its analysis, numbers
and history untouched. Counted as ``triage/unchanged``. A ``304 Not Modified`` answer is a
successful fetch too: the spider's "redirect not followed" note (any other 3xx) is cleared.
"""

from __future__ import annotations

from typing import Any

from pipelines.items.conditional import known_pages


class SkipUnchangedPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.known = known_pages(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SkipUnchangedPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if item.get("status") == 304 and item.get("error", "").startswith("redirect not followed"):
            item["error"] = ""  # 304 Not Modified: a successful, conditional fetch
        stored_hash = self.known.pop(item.get("url", ""), None)
        if stored_hash and item.get("body") and item.get("content_hash") == stored_hash:
            item["body"] = b""
            self.crawler.stats.inc_value("triage/unchanged")
        return item
