"""Page-level signals of whose page this is (issue 10: a verdict that generalises).

- A generated guide article speaks of itself in stock phrases ("本文将", "引言",
  "希望对大家有所帮助"): spun refund, loan and repair guides do, reports, notices and a brand's own
  pages almost never do. :func:`article_voice` counts them.
- A page on the claimed brand's own site (``vaillant.cn`` for 威能, ``apple.com.cn`` for 苹果) is
  the brand speaking: :func:`own_site` is true when the site's registered name is one of the
  brand's Latin names. Only the registered name counts: farms put a brand in a subdomain
  (``rolex.<farm>.com``) or beside a service word (``omegazxfw.com``), never own its domain.
- A web page at a file's address (``/2026-03-12/x.pdf``, ``/usy0120Q.xml``) is a parasite page
  on a hacked site, whose rewrite rules serve spam under names no page of its own has:
  :func:`file_address`.

All are model features with learned weights, not rules; the phrases are generic, never a site's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipelines.brand_names import brand_entry
from pipelines.wordscan import Words

__all__ = ["ARTICLE_PHRASES", "article_voice", "file_address", "own_site"]

ARTICLE_PHRASES = (
    "本文将", "本文为您", "本文为大家", "本文主要", "本篇文章", "引言", "总结:", "总结：", "综上所述",
    "小伙伴", "全攻略", "一文读懂", "一文看懂", "一文搞懂", "详细介绍", "详细解析",
    "以下是", "下面将", "下面就", "下面为大家", "希望本文", "希望对大家有所帮助",
    "希望对各位有所帮助", "希望对你有所帮助", "希望对您有所帮助",
)
_PHRASES = Words(ARTICLE_PHRASES)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&.\- ]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
# Where brands keep their own sites (national and long-standing generic suffixes).
_ESTABLISHED = frozenset(
    "com cn com.cn net net.cn org org.cn hk com.hk tw com.tw mo com.mo sg com.sg jp co.jp kr "
    "co.kr de fr it es nl ch se uk co.uk us ca com.au au eu info biz asia".split())
if TYPE_CHECKING:
    from tldextract import TLDExtract

_FILE = re.compile(
    r"\.(?:xml|pdf|txt|docx?|xlsx?|pptx?|csv|json|jpe?g|png|gif|webp|rar|zip|7z|apk|exe)$", re.I)


def article_voice(text: str) -> int:
    """Occurrences of a generated article's stock phrases in ``text`` (simplified script)."""
    return len(_PHRASES.findall(text))


@lru_cache(maxsize=1)
def _extract() -> TLDExtract:
    # Imported here: tldextract brings requests and urllib3 (a tenth of a second of start-up),
    # and only a page whose host is looked up needs it (``triage analyze`` on files never does).
    from tldextract import TLDExtract

    # The bundled Public Suffix List snapshot: no network fetch, the same answer offline.
    return TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@lru_cache(maxsize=4096)
def _latin_names(brand: str) -> frozenset[str]:
    entry = brand_entry(brand) if brand else None
    if entry is None:
        return frozenset()
    forms = (_NOT_ALNUM.sub("", a.lower()) for a in (entry.name, *entry.aliases)
             if _LATIN.fullmatch(a))
    return frozenset(f for f in forms if len(f) >= 3)


def own_site(host: str, brand: str) -> bool:
    """Whether ``host``'s registered name (``www.apple.com.cn`` -> ``apple``) is a Latin name of
    the dictionary brand ``brand``, under a long-established suffix: a brand's name under a cheap
    new one (``.top``, ``.vip``, ``.xyz``) is a look-alike a farm can buy, so it counts for nothing."""
    names = _latin_names(brand)
    if not names or not host:
        return False
    parts = _extract()(host.lower().rstrip("."))
    return parts.suffix in _ESTABLISHED and _NOT_ALNUM.sub("", parts.domain) in names


def file_address(path: str) -> bool:
    """Whether a page's address path names a document, data or image file, not a web page (the
    engine only sees pages that turned out to be HTML or text)."""
    return bool(_FILE.search(path))
