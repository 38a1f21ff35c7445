"""Identifiers operators reuse across domains (issue 14), read from one page's HTML and text.

Pure: markup (or plain text) in, :class:`~pipelines.types.Identifier` values out, in order of
first appearance, each (kind, value) once. Kinds (``IDENTIFIER_KINDS`` in ``pipelines/types``):

- ``icp``: an ICP filing, normalised to the filing (``粤ICP备2023012345号``); the ``-N`` site
  suffix is kept apart in ``detail`` (``site 1``); ``psb``: a public-security filing
  (``公网安备 44030602001234号`` -> ``44030602001234``);
- ``baidu_tongji`` (``hm.js?<32 hex>``), ``cnzz`` (``z_stat.php?id=``, ``cnzz.com/stat.php?id=``,
  ``CNZZ_DATA`` cookies' ids), ``la51`` (``LA.init({id: ...})``, ``js.users.51.la/<id>.js``),
  ``google_analytics`` (``UA-123456-1`` normalised to the property ``UA-123456``, ``G-XXXX``),
  ``gtm`` (``GTM-XXXX``);
- ``verification``: ``<meta name="baidu-site-verification" content=...>`` and the 360, Sogou,
  Shenma, Google and Bing equivalents, as ``<engine>:<token>``;
- ``chat``: a chat widget's account, as ``<widget>:<account>`` (53KF, 快商通 kuaishang, 美洽
  meiqia, 商务通 swt, Live800, Tawk, Udesk, 智齿 sobot); a widget script without an account is
  no identifier;
- ``qq``: a QQ number in a QQ context (``QQ: 123456789``, ``tencent://message/?uin=``,
  ``wpa.qq.com/msgrd?uin=``); ``wechat``: a WeChat id after 微信/WeChat/vx;
- ``email``: an e-mail address (not an image file name, not an example domain).

The per-site identifiers (``favicon_mmh3``, ``favicon_sha256``, ``server_ip``) are not read
from the page; the crawl's joining components add them (``pipelines/items/siteids.py``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from itertools import product

import ahocorasick_rs

from pipelines.types import Identifier
from pipelines.wordscan import FOLD_TRAPS

_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
ICP_RE = re.compile(rf"([{_PROVINCES}])\s*ICP\s*(备|证)\s*(\d{{6,10}})\s*号?(?:\s*-\s*(\d{{1,3}}))?",
                    re.I)
PSB_RE = re.compile(r"公网安备\s*[:：]?\s*(\d{14})\s*号?")
TONGJI_RE = re.compile(r"hm\.baidu\.com/h(?:m)?\.js\?([0-9a-f]{32})(?![0-9a-f])", re.I)
CNZZ_RE = re.compile(r"(?:z_stat\.php\?(?:[^\"'\s<>]*&)?id=|cnzz\.com/stat\.php\?(?:[^\"'\s<>]*&)?"
                     r"id=|CNZZ_DATA)(\d{4,12})(?!\d)", re.I)
LA51_RE = re.compile(r"(?:LA\.init\(\s*\{[^}]{0,80}?\bid\s*:\s*[\"']|js\.users\.51\.la/)"
                     r"([A-Za-z0-9]{4,24})", re.I)
GA_RE = re.compile(r"(?<![A-Za-z0-9-])(UA-\d{4,10})-\d{1,4}(?![\w-])|(?<![A-Za-z0-9-])"
                   r"(G-[A-Z0-9]{6,12})(?![\w-])")
GTM_RE = re.compile(r"(?<![A-Za-z0-9-])(GTM-[A-Z0-9]{4,9})(?![\w-])")
_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""\b(name|content|property)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
VERIFICATION_NAMES = {
    "baidu-site-verification": "baidu", "360-site-verification": "360",
    "sogou_site_verification": "sogou", "shenma-site-verification": "shenma",
    "google-site-verification": "google", "msvalidate.01": "bing",
}
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-.=+/]{6,128}$")
# Chat widgets: (widget, pattern whose group 1 is the account).
CHAT_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("53kf", re.compile(r"53kf\.com/(?:code/code|kf\.php\?arg=|m\.php\?cid=)/?([A-Za-z0-9]{4,40})",
                        re.I)),
    ("kuaishang", re.compile(r"kuaishang\.(?:cn|com)/[^\"'\s<>]*?[?&](?:cI|cas|sid)=(\d{3,12})", re.I)),
    ("meiqia", re.compile(r"""_MEIQIA\(\s*['"]entId['"]\s*,\s*['"]?([A-Za-z0-9]{2,40})|"""
                          r"meiqia\.com/[^\"'\s<>]*?[?&]entId=([A-Za-z0-9]{2,40})", re.I)),
    ("swt", re.compile(r"(?:swt|zoosnet)[\w.]*\.(?:com|net|cn)/[^\"'\s<>]*?[?&]id=([A-Za-z0-9]{3,30})",
                       re.I)),
    ("live800", re.compile(r"live800\.com/[^\"'\s<>]*?[?&]companyID=(\d{3,12})", re.I)),
    ("tawk", re.compile(r"embed\.tawk\.to/([0-9a-f]{24})", re.I)),
    ("udesk", re.compile(r"([a-z0-9-]{3,40})\.udesk\.cn/im_client", re.I)),
    ("sobot", re.compile(r"sobot\.com/[^\"'\s<>]*?[?&]sysnum=([0-9a-f]{16,40})", re.I)),
)
QQ_LINK_RE = re.compile(r"(?:tencent://message/?\?(?:[^\"'\s<>]*&)?uin=|wpa\.qq\.com/msgrd\?"
                        r"(?:[^\"'\s<>]*&)?uin=)([1-9]\d{4,10})(?!\d)", re.I)
QQ_TEXT_RE = re.compile(r"(?:QQ|企鹅|扣扣)(?:号码?|号|客服|咨询|交流群|群)?\s*[:：]?\s*([1-9]\d{4,10})(?!\d)",
                        re.I)
WECHAT_RE = re.compile(r"(?:微信|微 信|WeChat|weixin|vx|V信)(?:号|客服|咨询)?\s*[:：]\s*"
                       r"([a-zA-Z][-_a-zA-Z0-9]{5,19}|1[3-9]\d{9})(?![-_a-zA-Z0-9])", re.I)
EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                      r"\.[A-Za-z]{2,12})(?![\w-])")
_IMAGE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "css", "js"})
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "domain.com", "xxx.com",
                    "email.com", "yourdomain.com")


def _meta_verifications(html: str) -> Iterable[Identifier]:
    for tag in _META_RE.findall(html):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                 for m in _ATTR_RE.finditer(tag)}
        engine = VERIFICATION_NAMES.get(attrs.get("name", "").strip().lower())
        token = attrs.get("content", "").strip()
        if engine and _TOKEN_RE.match(token):
            yield Identifier("verification", f"{engine}:{token}")


def _emails(source: str) -> Iterable[Identifier]:
    for m in EMAIL_RE.finditer(source):
        value = m.group(1).lower().strip(".")
        local, _, host = value.partition("@")
        if host.rsplit(".", 1)[-1] in _IMAGE_TLDS or re.search(r"@\d+x\.", value):
            continue  # logo@2x.png: a file name
        if host in _EXAMPLE_DOMAINS or host.endswith(".example") or not local:
            continue
        yield Identifier("email", value)


# Literals every match of a pattern contains (lower case; ``None``: no gate): a page's markup
# is read once for them, and a pattern runs only where one is present (issue 12: one scan, not
# twenty). Case-insensitive patterns are gated on the lowered source, the others on the source.
_GATES: dict[str, tuple[str, ...]] = {
    "icp": ("icp",), "tongji": ("hm.baidu.com/h",), "cnzz": ("stat.php?", "cnzz_data"),
    "la51": ("la.init(", "js.users.51.la/"), "53kf": ("53kf.com/",), "kuaishang": ("kuaishang.",),
    "meiqia": ("_meiqia(", "meiqia.com/"), "swt": ("swt", "zoosnet"), "live800": ("live800.com/",),
    "tawk": ("embed.tawk.to/",), "udesk": (".udesk.cn/im_client",), "sobot": ("sobot.com/",),
    "qq_link": ("uin=",), "qq_text": ("qq", "企鹅", "扣扣"),
    "wechat": ("微信", "微 信", "wechat", "weixin", "vx", "v信"),
}
# Tests of case-sensitive patterns, gated on the source as written.
_EXACT: dict[str, tuple[str, ...]] = {
    "psb": ("公网安备",), "ga": ("UA-", "G-"), "gtm": ("GTM-",), "email": ("@",),
}
# Verification tags are read only where an engine's tag name is (lower case, as they are read).
_LOWERED = {**_GATES, "verification": tuple(VERIFICATION_NAMES)}


def _variants(lit: str) -> tuple[str, ...]:
    """``lit`` with each ASCII letter in either case: what a lowered literal is in the source as
    written, when no fold trap is there (then only ASCII letters lower to ASCII letters)."""
    options = [(c, c.upper()) if c.isascii() and c.isalpha() else (c,) for c in lit]
    return tuple(dict.fromkeys("".join(p) for p in product(*options)))


def _split(gates: dict[str, tuple[str, ...]], fold: bool) -> list[tuple[str, tuple[str, ...],
                                                                          tuple[str, ...]]]:
    """(name, ASCII literals, the others as written in the source) of each gate."""
    return [(name, tuple(lit for lit in lits if lit.isascii()),
             tuple(v for lit in lits if not lit.isascii() for v in (_variants(lit) if fold else (lit,))))
            for name, lits in gates.items()]


def _in(lit: str, source: str) -> bool:
    """``lit in source`` for a literal holding a Chinese character. On Chinese text a
    one-character search is many times cheaper than a longer one: each of its Chinese
    characters is looked for alone (one absent is mostly enough), then the literal only where
    its last one is."""
    chars = [(k, c) for k, c in enumerate(lit) if not c.isascii()]
    if not all(c in source for _, c in chars):
        return False
    k, c = chars[-1]
    at = source.find(c, k)
    while at >= 0:
        if source.startswith(lit, at - k):
            return True
        at = source.find(c, at + 1)
    return False


_LOWERED_SPLIT = _split(_LOWERED, fold=True)
_EXACT_SPLIT = _split(_EXACT, fold=False)


class _Literals:
    """Which of some ASCII literals a text holds: one automaton pass (every occurrence,
    overlapping), not one ``in`` scan per literal."""

    def __init__(self, gates: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> None:
        self._lits = sorted({lit for _, ascii_lits, _ in gates for lit in ascii_lits})
        self._auto = ahocorasick_rs.AhoCorasick(self._lits)

    def found(self, text: str) -> set[str]:
        return set(self._auto.find_matches_as_strings(text, overlapping=True))


_LOWERED_LITS = _Literals(_LOWERED_SPLIT)
_EXACT_LITS = _Literals(_EXACT_SPLIT)


def _present(source: str) -> set[str]:
    """The tests that can match ``source``: the case-sensitive ones by their literals, the gated
    patterns by theirs in the lowered source (all of them if a fold trap is present).

    ASCII literals are looked for in the source's ASCII characters alone (a short text, several
    times cheaper to scan; lowered there, without a fold trap, they are the lowered source's).
    Dropping the other characters can join two ASCII neighbours: a pattern may then run and find
    nothing, but none is skipped that could match.
    """
    if any(t in source for t in FOLD_TRAPS):  # IGNORECASE folds them to ASCII letters
        return set(_LOWERED) | {name for name, lits in _EXACT.items() if any(lit in source for lit in lits)}
    ascii_text = source.encode("ascii", "ignore").decode("ascii")
    low = _LOWERED_LITS.found(ascii_text.lower())
    on = {name for name, ascii_lits, others in _LOWERED_SPLIT
          if not low.isdisjoint(ascii_lits) or any(_in(lit, source) for lit in others)}
    exact = _EXACT_LITS.found(ascii_text)
    on.update(name for name, ascii_lits, others in _EXACT_SPLIT
              if not exact.isdisjoint(ascii_lits) or any(_in(lit, source) for lit in others))
    return on


def find_identifiers(html: str, text: str = "") -> tuple[Identifier, ...]:
    """Every identifier on a page: ``html`` is its markup (scripts included), ``text`` the
    visible text (for plain-text input pass ``html=""``)."""
    source = f"{html}\n{text}" if html else text
    on = _present(source)
    found: list[Identifier] = []
    if "icp" in on:
        for m in ICP_RE.finditer(source):
            prov, kind, digits, site = m.groups()
            found.append(Identifier("icp", f"{prov}ICP{kind}{digits}号",
                                    f"site {site}" if site else ""))
    if "psb" in on:
        found += [Identifier("psb", m.group(1)) for m in PSB_RE.finditer(source)]
    if "tongji" in on:
        found += [Identifier("baidu_tongji", m.group(1).lower()) for m in TONGJI_RE.finditer(source)]
    if "cnzz" in on:
        found += [Identifier("cnzz", m.group(1)) for m in CNZZ_RE.finditer(source)]
    if "la51" in on:
        found += [Identifier("la51", m.group(1)) for m in LA51_RE.finditer(source)]
    if "ga" in on:
        found += [Identifier("google_analytics", m.group(1) or m.group(2))
                  for m in GA_RE.finditer(source)]
    if "gtm" in on:
        found += [Identifier("gtm", m.group(1)) for m in GTM_RE.finditer(source)]
    if "verification" in on:
        found += list(_meta_verifications(html))
    for widget, pattern in CHAT_RES:
        for m in (pattern.finditer(source) if widget in on else ()):
            account = next(g for g in m.groups() if g)
            found.append(Identifier("chat", f"{widget}:{account.lower()}"))
    if "qq_link" in on:
        found += [Identifier("qq", m.group(1)) for m in QQ_LINK_RE.finditer(source)]
    if "qq_text" in on:
        found += [Identifier("qq", m.group(1)) for m in QQ_TEXT_RE.finditer(text or source)]
    if "wechat" in on:
        found += [Identifier("wechat", m.group(1).lower())
                  for m in WECHAT_RE.finditer(text or source)]
    if "email" in on:
        found += list(_emails(source))
    out: dict[tuple[str, str], Identifier] = {}
    for ident in found:
        key = (ident.kind, ident.value)
        if key not in out or (ident.detail and not out[key].detail):
            out[key] = ident
    return tuple(out.values())


def favicon_hashes(data: bytes) -> tuple[Identifier, ...]:
    """A favicon's identifiers: the Shodan hash (MurmurHash3 of the base64 with newlines,
    ``mmh3.hash(base64.encodebytes(data))``) and its SHA-256. Empty for an empty body."""
    if not data:
        return ()
    import mmh3

    return (Identifier("favicon_mmh3", str(mmh3.hash(base64.encodebytes(data)))),
            Identifier("favicon_sha256", hashlib.sha256(data).hexdigest()))
