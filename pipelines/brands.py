"""The brand(s) a page claims to serve, the claimed one first.

Fake after-sales pages name the brand right before the service claim: "<brand><category>全国统一
24小时售后服务热线", "<city><brand><category>维修服务电话". Two readers:

1. The shipped dictionary of impersonated brands (:mod:`pipelines.brand_names`): a known brand
   in the title, or right before a service claim, is the claimed brand; aliases map to one
   canonical name (格力电器, Gree -> 格力).
2. A fallback for brands the dictionary does not know: the clause in front of the first service
   word, stripped of what is not the brand (cities, "欢迎拨打", years, "咨询"; a product category
   stays: 联勒指纹锁) and
   kept only under strict validation (:mod:`pipelines.brand_fallback`): no warning words (警惕,
   假冒, 骗子), template words (已更新, 点击咨询), verbs or function words, digits, common
   dictionary words, place names alone, and short (2-8 Chinese characters); and the page's
   subject (:func:`page_subject`), the name its title opens its service topic with, confirmed
   by the page repeating it.

``brands`` therefore lists only names. Claims are counted the same way by both readers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from pipelines.brand_fallback import (
    _CATEGORY_ALT,
    _CATEGORY_TAIL,
    _CLAUSE_SPLIT,
    _COMMON_NAME_MAX,
    _DIGIT,
    _DOCUMENT_END,
    _NOT_A_NAME,
    _SERVICE_START,
    _TRAIL_JUNK,
    _breadcrumb_end,
    _clean,
    _title_line,
    _word_freq_of,
    product_core,
    valid_name,
)
from pipelines.brand_names import (
    CLAIM_TAIL,
    brand_entry,
    claim_lines,
    dictionary_claims,
    find_brand_mentions,
    garbled_forms,
    transposed,
    without_pinyin,
)
from pipelines.lexicon import GAMBLING_TITLE, INJECTION_RE
from pipelines.official import normalise, official_for

# A dictionary brand followed (within a category word or two) by a service word is a claim.


@dataclass(frozen=True, slots=True)
class BrandClaim:
    name: str
    count: int  # service claims for the brand (title included)
    in_title: bool
    category: str = ""  # dictionary category ("appliance", "bank", ...), "" for the fallback
    from_dictionary: bool = False
    mentions: int = 0  # times named in the title and the claim lines
    forms: tuple[str, ...] = ()  # spellings as written on the page (工行 for 中国工商银行)




def _claim_lines(text: str) -> str:
    """Only lines with a claim word can hold a claim: skip the rest (region lists, articles)."""
    return "\n".join(text[start:end] for start, end in claim_lines(text))


@lru_cache(maxsize=16384)
def _names_a_known_brand(name: str) -> bool:
    """A fallback candidate holding a dictionary brand is that brand's claim, counted there."""
    return bool(find_brand_mentions(name))


@lru_cache(maxsize=4096)
def _respelt(name: str) -> str:
    """A garbled spelling of a dictionary brand as that brand (格苏拉蒂手表 -> 格拉苏蒂)."""
    stem = _CATEGORY_TAIL.sub("", name) or name
    return transposed(stem) or name


def brand_candidates(text: str) -> Counter[str]:
    """Fallback candidates in front of service claims, with how often each is claimed."""
    clauses = _CLAUSE_SPLIT.split(_claim_lines(text))
    return Counter(filter(None, map(_clause_candidate, filter(_long_enough, clauses))))


def _long_enough(clause: str) -> bool:
    return len(clause) >= 4


# A name stands in the characters right before its service word: the trimming patterns
# ("(?:的|…)+$") are quadratic in what they are given, so a clause of 20,000 characters (a
# title of filler) is read only there.
_NAME_WINDOW = 48


@lru_cache(maxsize=16384)
def _clause_candidate(clause: str) -> str | None:
    """The fallback name one clause claims service for, or None. Cached: farm pages repeat
    their claims."""
    if not CLAIM_TAIL.search(clause):
        return None
    m = _SERVICE_START.search(clause)
    if not m or m.start() < 2:
        return None
    name = _clean(clause[max(0, m.start() - _NAME_WINDOW): m.start()])
    return _respelt(name) if name and not _names_a_known_brand(name) else None


# What follows the brand a page is about in its title: an after-sales or service topic
# ("<brand>售后服务电话", "<brand>保修多久", "<brand>充值退款办法"); a product category before it
# stays with the name (<brand>手表官方售后).
_TOPIC_START = re.compile(
    r"售后|维修|保修|包修|保养|客服|热线|电话|服务|网点|官方|官网|总部|厂家|授权|特约|退款|退票|退费|退改|"
    r"退保|充值|还款|投诉|故障|预约|报修|维权|人工|会员|续费|400|800|24小时|全国|统一")
_CATEGORY = re.compile(_CATEGORY_ALT)
# A Latin gloss after a name (夏普(SHARP)冰箱): read through, as the name is.
_GLOSS = re.compile(r"[(（][A-Za-z][A-Za-z .&'\-]{1,19}[)）]")
# "<name>作为国内知名家电品牌", "<name>是一家专业的…公司": a page introducing the brand it is about.
# A name in title brackets opening the page (《<game>》日均…充值): not a law or notice title.
_BOOK_TITLE = re.compile(r"《([^《》\n]{2,10})》")
# A verb between the name and its service topic ("<name>协商还款", "<name>申请退款").
_TOPIC_VERB = re.compile(r"(?:协商|申请|办理|关闭|取消|注销|开通|人工|联系|拨打|致电)+$")
_DEFINES = re.compile(
    r"(?:^|[。！？!?\n，,；;：:])\s*([\u4e00-\u9fffA-Za-z·]{2,12}?)(?:作为|是一家|是一款|是一个|是)"
    r"[^。！？!?\n]{0,24}?(?:品牌|公司|企业|平台|厂商|集团)")


@lru_cache(maxsize=4096)
def _subject_candidate(clause: str) -> str | None:
    """The name a title clause opens its service topic with ("北京欧米茄手表保修多久" -> 欧米茄手表),
    validated as a fallback name (a middling-frequency word may be one: see :func:`valid_name`)."""
    m = _TOPIC_START.search(clause)
    if not m or m.start() < 2:
        return None
    head = _TOPIC_VERB.sub("", clause[max(0, m.start() - _NAME_WINDOW):m.start()])
    cat = _CATEGORY.search(head, 2)  # the name ends with its category ("海尔净水机一般" -> 海尔净水机)
    return _clean(head[:cat.end()] if cat else head, True)


def _topic_repeats(stem: str, text: str) -> int:
    """How often ``text`` names ``stem`` right before a service topic (or its category and one;
    "<name>的售后服务" too)."""
    at = re.compile(re.escape(stem) + rf"(?:{_CATEGORY_ALT})?的?(?:{_TOPIC_START.pattern})")
    return sum(1 for _ in at.finditer(text))


# A brand that is a dictionary word (诺基亚, 海信) is confirmed by the page naming it as one: with
# its product after it (海信热水器), or calling it a brand ("…品牌,<name>", "<name>品牌"); a word
# (校园网, 宽带) is named before its service topics as often as a brand is.
_WORD_TOPICS = 3
def _called_a_brand(name: str, text: str) -> bool:
    """"<name>品牌", "<name>旗舰店", "品牌: <name>": the page calling a word a brand ("蓝牙耳机品牌"
    calls no 蓝牙 one; 官方 and 厂家 are no sign: fake pages write them after any product)."""
    n = re.escape(name)
    return bool(re.search(f"{n}(?:品牌|旗舰)|品牌[,，、:：]?{n}", text))


def _confirmed(name: str, text: str, *, in_title: bool, defined: bool) -> int | None:
    """How often the page names ``name`` before a service topic, when that confirms it as the
    page's subject; None when it does not."""
    stem = _CATEGORY_TAIL.sub("", name) or name
    freq = _word_freq_of(stem)
    topical = _topic_repeats(stem, text)
    product = re.search(f"{re.escape(stem)}(?:{_CATEGORY.pattern})", text)
    if freq and not product and not _called_a_brand(stem, text):
        return None  # a word (校园网, 宽带) is a brand's name where it names a product (海信热水器)
    core = product_core(stem)
    if core != stem and _word_freq_of(core) and not _called_a_brand(core, text):
        return None  # a word and its product (蓝牙耳机) is the product, unless called a brand
    if freq >= _COMMON_NAME_MAX and not (product and topical >= _WORD_TOPICS):
        return None
    named = text.count(stem)
    # The title's service topic is one claim; the page must make another (a dictionary
    # word, 海信, must stand before a service topic again, a name be named again). A product
    # (<name>净水机) in the title and again before a topic is claimed twice; a name the page
    # introduces as a brand (<name>是一家…品牌) and claims service for is its subject.
    if (topical + in_title >= 2 and named >= 3) or (in_title and not freq and named >= 2) or (
            in_title and name != stem and topical >= 1 and named >= 2) or (
            defined and topical >= 1 and named >= 4):
        return topical
    return None


def page_subject(title_line: str, text: str, crumb: str = "") -> tuple[str, int] | None:
    """The unknown brand a page is about, and how often it names it before a service topic: the
    name opening its title's service topic (else the last crumb of its breadcrumb, else the one
    its first lines introduce as a brand), confirmed by the page repeating it. The first claim
    of a page, not its first mention."""
    title_line = _GLOSS.sub("", without_pinyin(title_line))
    text = _GLOSS.sub("", without_pinyin(text))
    candidates = [(c, True, False) for clause in _CLAUSE_SPLIT.split(title_line)[:4]
                  if len(clause) >= 4 if (c := _subject_candidate(clause))]
    if crumb and (c := _clean(crumb, True)):
        candidates.append((c, True, False))
    head = text[:400]
    candidates += [(c, False, True) for m in _DEFINES.finditer(head)
                   if not _DOCUMENT_END.search(m.group(1)) and (c := _clean(m.group(1), True))]
    candidates += [(c, False, False) for m in _BOOK_TITLE.finditer(head, 0, 200)
                   if not _DOCUMENT_END.search(m.group(1)) and (c := _clean(m.group(1), True))]
    for name, in_title, defined in candidates:
        if _names_a_known_brand(name) or brand_entry(_respelt(name)):
            continue  # the dictionary reader's (a garbled spelling too: 格苏拉蒂手表)
        topical = _confirmed(name, text, in_title=in_title, defined=defined)
        if topical is not None:
            return name, topical
    return None


_INSTITUTION_SUFFIX = (r"股份有限公司|有限责任公司|有限公司|集团|公司|医院|大学|学院|学校|"
                       r"中学|小学|银行|供电局|公安局|教育局|交通局|交通厅|卫健委|人民政府|委员会|协会|管理局|管理处|研究院|"
                       r"研究所|保护中心|服务中心|燃气(?![灶热])|水务")
_INSTITUTION = re.compile(rf"[\u4e00-\u9fff]{{2,16}}?(?P<suffix>{_INSTITUTION_SUFFIX})")
# Every institution match holds a suffix: a clause without one is skipped (the suffixes alone
# are scanned for by their first characters; the pattern above is tried at every position).
_HAS_SUFFIX = re.compile(_INSTITUTION_SUFFIX)
_SERVICE_WORD = re.compile(r"售后|维修|客服|热线|电话|网点|报修|保修|上门|服务(?!中心$)")


_UTILITY = re.compile(r"供电|供水|供热|供气|电力|燃气|热力|自来水|水务|公交|公共交通")


def _place_start(clause: str, end: int) -> int | None:
    """Where an institution name starts: at a place name (平顶山, 台湾) or 中国, within the 14
    characters before its suffix ends at ``end``."""
    from pipelines.regions import is_place

    for i in range(max(0, end - 18), end - 3):
        # Inside a clause a two-character place (a town: 能科) is as likely part of a word
        # (澜拓智能科技): only longer names, two characters at the clause's start, or two before
        # a public utility (<city>供电公司, <city>自来水公司: no word runs on into those) count.
        if clause.startswith("中国", i) or any(is_place(clause[i:i + k])
                                              for k in ((2, 3, 4) if i == 0 else (3, 4))) or (
                _UTILITY.match(clause, i + 2) and is_place(clause[i:i + 2])):
            return i
    return None


def institutions(title: str) -> list[str]:
    """Institution names in a title ("中山肿瘤医院", "台湾电力公司"): a place name (or 中国) and an
    organisation suffix, under the fallback's validation; service outfits are not institutions."""
    out: list[str] = []
    title = title.replace(" ", "")
    if not _HAS_SUFFIX.search(title):  # nor then in any of its clauses (most titles)
        return out
    for clause in _CLAUSE_SPLIT.split(title):
        for m in _INSTITUTION.finditer(clause) if _HAS_SUFFIX.search(clause) else ():
            i = _place_start(clause, m.end())
            if i is None:
                continue
            name = clause[i:m.end()]
            stem = name[: len(name) - len(m.group("suffix"))]
            if (len(name) >= 4 and not _DIGIT.search(name) and not _SERVICE_WORD.search(name)
                    and not _NOT_A_NAME.search(_UTILITY.sub("", stem)) and name not in out):
                out.append(name)
    return out


_WELCOME = re.compile(r"(?:欢迎来到|欢迎光临|欢迎访问)([^\s,，。.!！?？、|:：\-—_()（）【】]{2,12})")


def _welcomed(head: str) -> list[str]:
    """The name a site welcomes visitors to, validated like any fallback name."""
    out = []
    for m in _WELCOME.finditer(head):
        name = _TRAIL_JUNK.sub("", m.group(1))
        if valid_name(name) and not _names_a_known_brand(name):
            out.append(name)
    return out


def _real_title(line: str) -> str:
    """The line, unless it is an injected gambling/porn keyword list (then the page's own
    title is further down)."""
    if len({w.lower() for w in INJECTION_RE.findall(line)}) >= 3 or GAMBLING_TITLE.search(line):
        return ""
    return line


def _page_head(text: str, title: str) -> tuple[str, str, str]:
    """The text's first 200 characters (past injected keyword lines when there is no title),
    the line standing for the title, and the last crumb of a breadcrumb there ("" without)."""
    text_head = text[:200]
    if not title:
        text_lines = text.split("\n", 6)
        first = next((i for i, ln in enumerate(text_lines[:6]) if _real_title(ln)), 0)
        if first:
            text_head = "\n".join(text_lines[first:])[:200]
        return (text_head, *_title_line(text_head))
    # A breadcrumb for a title (a text's first line): the page's title is the line after it.
    if _breadcrumb_end(title) is None:
        return text_head, title, ""
    return (text_head, *_title_line(text_head))


def find_brands(text: str, title: str = "", *, limit: int = 3,
                numbers: Collection[str] = ()) -> list[BrandClaim]:
    """Brands the page claims to serve, the claimed one first.

    A dictionary brand counts when it is in the title (or the first lines), claimed once, or
    named three times; a fallback candidate when claimed twice, or once in the title / first
    lines; an institution when its name is in the title line. Order: a dictionary brand in the
    title line, else a fallback name or institution there, then dictionary brands claimed or in
    the first lines, then the rest, by claims. A dictionary brand named once counts too when
    the page shows one of its official numbers (``numbers``: the page's numbers; a copied bank or
    insurer page lists the real 955xx code beside its name).
    """
    title = _real_title(title)
    text_head, title_line, crumb = _page_head(text, title)
    head = f"{title}\n{text[:160]}" if title else text_head
    known, forms = dictionary_claims(text, title)
    shown = {normalise(n) for n in numbers}  # once, not per brand: a page may show 1,000
    ranked: list[tuple[tuple[float, ...], BrandClaim]] = []
    for name, (n_claims, in_lines, in_head, first, total) in known.items():
        own_number = not shown.isdisjoint(official_for(name))
        if not (in_head or n_claims or in_lines >= 2 or total >= 3 or own_number):
            continue
        entry = brand_entry(name)
        claim = BrandClaim(name, n_claims, bool(in_head), entry.category if entry else "", True,
                           in_head + in_lines, tuple(sorted(forms[name])))
        tier = (5 if any(f in title_line for f in forms[name])
                else 3 if in_head or n_claims or own_number else 1)
        ranked.append(((tier, n_claims, in_lines + 0.4 * total, -first), claim))
    if not ranked:  # nothing claimed: the page is about the dictionary name it repeats
        for name, (_, _, _, first, total) in known.items():
            if total >= 2:
                entry = brand_entry(name)
                ranked.append(((0, 0, total, -first), BrandClaim(
                    name, 0, False, entry.category if entry else "", True, 0,
                    tuple(sorted(forms[name])))))
    title_known = any(r[0] == 5 for r, _ in ranked)

    head_counts = brand_candidates(head + "\n" + text[:120])
    counts = _merge(brand_candidates(text) + brand_candidates(title))
    for name, n in counts.most_common():
        in_title = any(h.startswith(name) or name.startswith(h) for h in head_counts)
        # Claimed once is enough for a name with its product category (科适指纹锁售后…).
        if n >= 2 or in_title or _CATEGORY_TAIL.search(name):
            # A product claimed twice or more at the top ("<brand>燃气灶售后…" in the first claim
            # lines) ranks with the dictionary brands claimed there (a 微信客服 in passing).
            tier = ((4 if name in title_line and not title_known
                     else 3 if n >= 2 and _CATEGORY_TAIL.search(name) else 2) if in_title else 1)
            entry = brand_entry(name)  # a garbled dictionary name, read as the brand
            written = (name,) if entry is None else garbled_forms(name, f"{title}\n{text}")
            ranked.append(((tier, n, n, 0), BrandClaim(
                name, n, in_title, entry.category if entry else "", entry is not None, n, written)))
    taken = {c.name for _, c in ranked}
    subject = page_subject(title_line, f"{title}\n{text}" if title and title not in text[:400] else text,
                           crumb)
    if subject and not any(subject[0] in t or t in subject[0] for t in taken):
        name, n = subject
        taken.add(name)
        on_line = name in _GLOSS.sub("", without_pinyin(title_line))
        # Its claims as the other readers count them: a page about its own products ("<brand>
        # 客户服务") claims none, and its title claims nothing for the verdict either.
        claims = sum(k for c, k in counts.items() if c.startswith(name) or name.startswith(c))
        ranked.append(((4 if on_line and not title_known else 3 if on_line else 2, n, n, 0),
                       BrandClaim(name, claims, on_line and claims > 0, "", False, n, (name,))))
    for name in _welcomed(head):  # "欢迎来到澜拓快修": the site's own name, below claimed brands
        if name not in taken and not any(name in t or t in name for t in taken):
            taken.add(name)
            ranked.append(((2, 0, 1, 0), BrandClaim(name, 0, True, "", False, 1, (name,))))
    in_line = set(institutions(title_line))
    for name in [*in_line, *institutions(head)]:
        if name not in taken and not any(name in t or t in name for t in taken):
            taken.add(name)
            tier = (4 if not title_known else 1) if name in in_line else 2
            ranked.append(((tier, 0, 1, 0), BrandClaim(name, 0, True, "institution", False, 1, (name,))))
    ranked.sort(key=lambda rc: rc[0], reverse=True)
    return [c for _, c in ranked[:limit]]


def _merge(counts: Counter[str]) -> Counter[str]:
    """Fold "联勒" into "联勒指纹锁" when both are claimed: the longer name says more, unless it
    runs on past the product ("联勒指纹锁设立": then the product is the name)."""
    merged: Counter[str] = Counter()
    for name in sorted(counts, key=len, reverse=True):
        home = next((m for m in merged if m.startswith(name) and m != name), None)
        if home and len(home) - len(name) <= 5 and _CATEGORY_TAIL.search(name) \
                and not _CATEGORY_TAIL.search(home):
            # "霁川燃气灶设立" runs past the product on to a verb: the product is the name.
            merged[name] = merged.pop(home) + counts[name]
        elif home and len(home) - len(name) <= 5:
            merged[home] += counts[name]
        else:
            merged[name] += counts[name]
    return merged
