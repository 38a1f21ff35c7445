"""The brand(s) a page claims to serve, the claimed one first.

Fake after-sales pages name the brand right before the service claim: "<brand><category>全国统一
24小时售后服务热线", "<city><brand><category>维修服务电话". Two readers:

1. The shipped dictionary of impersonated brands (:mod:`pipelines.brand_names`): a known brand
   in the title, or right before a service claim, is the claimed brand; aliases map to one
   canonical name (格力电器, Gree -> 格力).
2. A fallback for brands the dictionary does not know: the clause in front of the first service
   word, stripped of what is not the brand (cities, "欢迎拨打", years, "咨询"; a product category
   stays: 联勒指纹锁) and
   kept only under strict validation: no warning words (警惕, 假冒, 骗子), template words (已更新,
   点击咨询), verbs or function words, digits, common dictionary words, place names alone, and
   short (2-8 Chinese characters).

``brands`` therefore lists only names. Claims are counted the same way by both readers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

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
from pipelines.lexicon import (
    CATEGORIES,
    GAMBLING_TITLE,
    INJECTION_RE,
    TEMPLATE_PHRASES,
    WARNING_WORDS,
    WEAK_WARNING_WORDS,
)
from pipelines.official import normalise, official_for
from pipelines.places import WHITESPACE

_CLAUSE_PUNCT = r"[,，。.!！?？;；:：、|()（）【】\[\]《》<>\"“”'‘’/_>\n\t—–]"
# ``PUNCT+|-{1,}|\s{2,}``, opening with one character class so that ``re`` scans for that class
# (an alternation of repeats makes it try the whole pattern at every position): the branch the
# opening character's class picks then takes the rest, as the alternation would.
# ``\s`` spelt out (places.WHITESPACE): one table per character, not a whitespace test (twice
# as fast).
_WS = re.escape(WHITESPACE)
_CLAUSE_SPLIT = re.compile(
    rf"[{_CLAUSE_PUNCT[1:-1]}\-{_WS}](?:(?<={_CLAUSE_PUNCT}){_CLAUSE_PUNCT}*|(?<=-)-*|(?<=[{_WS}])[{_WS}]+)")
# The first word of a service claim; what stands before it is the brand candidate.
_SERVICE_START = re.compile(
    r"(?:全国|统一|24小时|二十四小时|厂家|总部|官方|官网|特约|授权|指定|售后|维修|客服|报修|保修|服务|网点|"
    r"热线|电话|400|800|人工|各地|各区|上门|清洗|安装|移机|加氟|不制冷|故障|保养|收费|维保)"
)
_TEMPLATE_LEAD = "|".join(re.escape(w) for w in sorted(TEMPLATE_PHRASES, key=len, reverse=True))
_LEAD_JUNK = re.compile(
    r"^(?:" + _TEMPLATE_LEAD + r"|欢迎来到|欢迎光临|欢迎拨打|欢迎致电|欢迎|请拨打|拨打|致电|关于|当前位置|您的位置|"
    r"首页|如何联系|怎么联系|如何|怎么|怎样|联系|查询|咨询|热门|最新|推荐|官方|正品|原装|本地|附近|同城|"
    r"地区|当地|市区|前往|揭秘|解读|详解|您的|你的|我的|"
    r"[0-9０-９]{2,4}年?|[0-9]+[、.]|[一二三四五六七八九十]+[、.]|的|\s)+"
)
# A sentence leading up to the name ("下面就为大家详细介绍西马…"): the name follows its last verb.
_INTRO = re.compile(r"^.*(?:介绍|了解|推荐|分享|整理|查询|拨打|联系|致电|咨询|填写|搜索|找到|寻找|选择|使用|"
                    r"购买|认准|关于|就是|叫做|名为|对于|针对|前往|揭秘|解读)")
_CATEGORY_ALT = "|".join(re.escape(c) for c in sorted(set(CATEGORIES), key=len, reverse=True))
_TRAIL_JUNK = re.compile(
    r"(?:全国|统一|各|的|总部|厂家|官方|家用|之|与|和|及|等|咨询|查询|热线|号码|修理|维修|保养|售后|"
    r"未成年人?|儿童|学生|充值|退款|退费|(?:[Aa][Pp][Pp]|客户端|官网|平台)?内?(?:联系|拨打|致电))+$"
)
_CATEGORY_TAIL = re.compile(r"(?:" + _CATEGORY_ALT + r")+$")
# A document's title (消费者权益保护法, 三包规定), not a name.
_DOCUMENT_END = re.compile(r"(?:法|条例|规定|办法|通知|意见|公告|细则|标准|制度|规则|协议|条款|指南|报告)$")
_GENERIC = frozenset(
    "全国 家电 电器 售后 产品 本公司 公司 我们 我司 本店 客户 用户 品牌 厂家 网点 维修 服务 各大 中心 "
    "本站 网站 平台 官方 小编 大家 消费者 市民 您 你 他们 如果 目前 现在 这个 那个 本产品 该产品 "
    "所有 部分 其他 相关 常见 日常 专业 正规 家用 商用 智能 快速 免费 上门 售前 订餐 营业 投诉 "
    "变频 定频 节能 壁挂 立式 柜式 挂式 嵌入式 燃气 全自动 半自动 滚筒 波轮 双门 对开门 冷暖 工业 中央 "
    "进口 国产 老式 新款 各种 各类 大型 小型 多功能 电动 电子 机械 家庭 酒店 办公 民用".split()
)
# Warning, template, verb and function words: a candidate holding one is a phrase, not a name.
_NOT_A_NAME = re.compile("|".join(
    [re.escape(w) for w in (*WARNING_WORDS, *WEAK_WARNING_WORDS)]
    + [re.escape(w) for w in TEMPLATE_PHRASES]
    + r"""联系 拨打 请 及时 可以 如何 怎么 需要 我们 您 你 进行 提供 为了 通过 遇到 如果 出现 使用 选择
    填写 建议 提前 介绍 下面 大家 详细 经由 一种 不要 轻信 网上 搜索 所谓 点击 咨询 更新 查看 分配 系统
    自动 第一 时间 想知 可靠 涉及 金额 接近 开头 就是 知道 这 那 是 为 了 在 有 要 不 也 都 就 被 把
    让 给 但 还 又 再 很 已 着 过 吗 呢 吧 啊 的 打 接 走 进 来 年 可 称 致 竟 伪 个 男 女 岁 或 公开 未成年 领域
    协商 光临 欢迎 各大 贵行 贵司 本行 我行 该行 揾
    分子 集团 北京 上海 本文 如何 怎样 哪里 多少 地址""".split()
    + [r"(?:客户|用户|企业|公司|单位|部门|人员|平台|中心|市民|居民|家长|同学|卫生|政务|便民|社区|公共|综合|"
       r"人才|就业|志愿|养老|党群|文化|医疗|健康|法律|心理|技术|信息|产品|内|中|上|分)$"]
))
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,8}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z&'.\- ]{2,19}$")
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


def _strip_places(cand: str) -> str:
    """Drop a leading city/province name ("苏州奥克斯" -> "奥克斯") and a trailing one ("爱彼沈阳"
    -> "爱彼": "<brand><city>售后" is written as often as "<city><brand>售后")."""
    from pipelines.regions import is_place

    for cut in range(min(len(cand) - 2, 8), 1, -1):
        if is_place(cand[:cut]):
            cand = cand[cut:]
            break
    for cut in range(min(len(cand) - 2, 8), 1, -1):
        if _CJK_NAME.match(cand) and is_place(cand[-cut:]):
            return cand[:-cut]
    return cand


def _common_word(cand: str) -> bool:
    """In jieba's 100k most frequent words: vocabulary (订餐, 售前, 骗子), not an unknown name."""
    from pipelines.brand_names import _word_freq

    return _word_freq().get(cand, 0) > 0


def valid_name(cand: str, *, common_ok: bool = False) -> bool:
    """Can a fallback candidate be a brand name ("联勒", "联勒指纹锁")? Strict: precision before
    recall. The name without its product category is what must look like a name. ``common_ok``:
    one dictionary word of middling frequency may be a name too (诺基亚, 海信): for a page's
    subject, which the page repeats before its service topics."""
    if _DIGIT.search(cand):
        return False
    stem = _CATEGORY_TAIL.sub("", cand)
    with_category = bool(stem) and stem != cand
    cand = stem or cand
    if not (_CJK_NAME.match(cand) or _LATIN_NAME.match(cand)) or _DIGIT.search(cand):
        return False
    if cand in _GENERIC or cand in CATEGORIES or _NOT_A_NAME.search(cand) or (
            len(cand) >= 4 and _DOCUMENT_END.search(cand)):
        return False
    from pipelines.regions import is_place

    if is_place(cand):
        return False
    # A common word (订餐, 骗子) is no name, unless a product category follows it (金龟保险柜);
    # nor is a phrase of common words (能源动力, 中国大陆市长).
    if common_ok and _CJK_NAME.match(cand) and not _common_phrase(cand):
        return _word_freq_of(cand) < _COMMON_NAME_MAX and not _opens_with_everyday_word(cand)
    return not (_CJK_NAME.match(cand)
                and (_common_phrase(cand) or (not with_category and _common_word(cand))))


# A brand that is also a word is rare in jieba's counts (诺基亚 310, 海尔 230, 劳力士 25); the
# words a service page's title opens with are not (语音 865, 产品 22,801, 孩子 17,465).
_COMMON_NAME_MAX = 400
_EVERYDAY = 5000


def _opens_with_everyday_word(cand: str) -> bool:
    """"产品延保", "用户服务": a phrase opening with an everyday word, not a name; nor is a run of
    three words ("中小学新增课后")."""
    from pipelines.segment import HAN, route_words

    words = route_words(cand) if HAN.fullmatch(cand) else []
    return (len(words) >= 2 and len(words[0]) >= 2 and _word_freq_of(words[0]) >= _EVERYDAY) or \
        sum(len(w) >= 2 for w in words) >= 3


def _word_freq_of(word: str) -> int:
    from pipelines.brand_names import _word_freq

    return _word_freq().get(word, 0)


def _common_phrase(cand: str) -> bool:
    """Two or more frequent words (jieba, no HMM) and nothing else: a phrase, not a name."""
    from pipelines.brand_names import _word_freq
    from pipelines.segment import HAN, route_words

    # jieba cuts what is not a HAN run into single characters: no phrase of words then.
    if not HAN.fullmatch(cand):
        return False
    words = route_words(cand)
    freq = _word_freq()
    return len(words) >= 2 and all(len(w) >= 2 and freq.get(w, 0) >= 500 for w in words)


@lru_cache(maxsize=16384)
def _clean(cand: str, common_ok: bool = False) -> str | None:
    """The fallback name in a clause, or None. Cached: farm pages repeat their claims."""
    cand = cand.strip(" \u3000·-+*#")
    intro = _INTRO.match(cand)
    if intro and len(cand) - intro.end() >= 2:
        cand = cand[intro.end():]
    cand = _LEAD_JUNK.sub("", cand)
    cand = _TRAIL_JUNK.sub("", cand).strip()
    if len(cand) < 2:
        return None
    cand = _strip_places(cand)
    cand = _TRAIL_JUNK.sub("", _LEAD_JUNK.sub("", cand)).strip()
    if not _HAS_WORD.search(cand) or not valid_name(cand, common_ok=common_ok):
        return None
    return cand


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


@lru_cache(maxsize=16384)
def _clause_candidate(clause: str) -> str | None:
    """The fallback name one clause claims service for, or None. Cached: farm pages repeat
    their claims."""
    if not CLAIM_TAIL.search(clause):
        return None
    m = _SERVICE_START.search(clause)
    if not m or m.start() < 2:
        return None
    name = _clean(clause[: m.start()])
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
    head = _TOPIC_VERB.sub("", clause[:m.start()])
    cat = _CATEGORY.search(head, 2)  # the name ends with its category ("海尔净水机一般" -> 海尔净水机)
    return _clean(head[:cat.end()] if cat else head, True)


def _topic_repeats(stem: str, text: str) -> int:
    """How often ``text`` names ``stem`` right before a service topic (or its category and one)."""
    at = re.compile(re.escape(stem) + rf"(?:{_CATEGORY_ALT})?(?:{_TOPIC_START.pattern})")
    return sum(1 for _ in at.finditer(text))


def page_subject(title_line: str, text: str) -> tuple[str, int] | None:
    """The unknown brand a page is about, and how often it names it before a service topic: the
    name opening its title's service topic (else the one its first lines introduce as a brand),
    confirmed by the page repeating it. The first claim of a page, not its first mention."""
    title_line = _GLOSS.sub("", without_pinyin(title_line))
    text = _GLOSS.sub("", without_pinyin(text))
    candidates = [(c, True) for clause in _CLAUSE_SPLIT.split(title_line)[:4] if len(clause) >= 4
                  if (c := _subject_candidate(clause))]
    head = text[:400]
    candidates += [(c, False) for m in (*_DEFINES.finditer(head), *_BOOK_TITLE.finditer(head, 0, 200))
                   if not _DOCUMENT_END.search(m.group(1)) and (c := _clean(m.group(1), True))]
    for name, in_title in candidates:
        if _names_a_known_brand(name) or brand_entry(_respelt(name)):
            continue  # the dictionary reader's (a garbled spelling too: 格苏拉蒂手表)
        stem = _CATEGORY_TAIL.sub("", name) or name
        if _word_freq_of(stem) and not re.search(f"{re.escape(stem)}(?:{_CATEGORY.pattern})", text):
            continue  # a word (校园网, 宽带) is a brand's name where it names a product (海信热水器)
        topical = _topic_repeats(stem, text)
        named = text.count(stem)
        # The title's service topic is one claim; the page must make another (a dictionary
        # word, 海信, must stand before a service topic again, a name be named again).
        if (topical + in_title >= 2 and named >= 3) or (
                in_title and not _word_freq_of(stem) and named >= 2):
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


def _place_start(clause: str, end: int) -> int | None:
    """Where an institution name starts: at a place name (平顶山, 台湾) or 中国, within the 14
    characters before its suffix ends at ``end``."""
    from pipelines.regions import is_place

    for i in range(max(0, end - 18), end - 3):
        # Inside a clause a two-character place (a town: 能科) is as likely part of a word
        # (澜拓智能科技): only longer names, or two characters at the clause's start, count.
        if clause.startswith("中国", i) or any(is_place(clause[i:i + k])
                                              for k in ((2, 3, 4) if i == 0 else (3, 4))):
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
                    and not _NOT_A_NAME.search(stem) and name not in out):
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
    text_head = text[:200]
    if not title:
        text_lines = text.split("\n", 6)
        first = next((i for i, ln in enumerate(text_lines[:6]) if _real_title(ln)), 0)
        if first:
            text_head = "\n".join(text_lines[first:])[:200]
    title_line = title or text_head.split("\n", 1)[0][:120]
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
    subject = page_subject(title_line, f"{title}\n{text}" if title and title not in text[:400] else text)
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
