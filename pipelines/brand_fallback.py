"""What a fallback brand name may be: the clause cuts, trimming and strict validation.

:mod:`pipelines.brands` reads candidates for brands its dictionary lacks out of service claims
and a page's subject; this module says which line stands for a text's title (the one past a
breadcrumb), what of a candidate is the name (cities, "欢迎拨打", years, verbs and template
words trimmed) and whether it can be one: no warning words, template words, verbs or function
words, digits, common words or phrases, document titles or place names alone; 2-8 Chinese
characters, a Latin name, or (for a page's subject) a Latin mark and a Chinese word (QQ音乐),
with its product category.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.lexicon import (
    CATEGORIES,
    PRODUCT_NOUNS,
    TEMPLATE_PHRASES,
    WARNING_WORDS,
    WEAK_WARNING_WORDS,
)
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
    r"首页|如何联系|怎么联系|如何|怎么|怎样|联系|查询|咨询|热门|最新|推荐|官方|正品|原装|进口|国产|本地|附近|同城|"
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
# Products, the categories and other product nouns (电动车, 耳机), closing a name.
_PRODUCT_TAIL = re.compile("(?:" + "|".join(
    re.escape(c) for c in sorted({*CATEGORIES, *PRODUCT_NOUNS}, key=len, reverse=True)) + ")+$")


def product_core(stem: str) -> str:
    """What names the maker in a name without its category (蓝牙耳机 -> 蓝牙, 电动车电池 -> "",
    霁川电动车 -> 霁川): a name that is only products, or a word and a product, is no brand."""
    return _PRODUCT_TAIL.sub("", stem)
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
# A Latin mark and a Chinese word (QQ音乐, TCL空调's like), for a page's subject; the Latin
# words a service page writes before a Chinese one are no mark (APP客服, VIP会员, WiFi密码).
_MIXED_NAME = re.compile(r"^([A-Za-z]{2,5})([\u4e00-\u9fff]{2,4})$")
_LATIN_WORDS = frozenset("app vip wifi pc tv diy ai it ok id sos faq pdf usb gps led sim atm pos".split())


def _mixed_name(cand: str) -> bool:
    m = _MIXED_NAME.match(cand)
    if m is None:
        return False
    latin, word = m.groups()
    return latin.lower() not in _LATIN_WORDS and not (
        _NOT_A_NAME.search(word) or word in _GENERIC or word in CATEGORIES)


_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,8}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z&'.\- ]{2,19}$")


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
    core = product_core(stem)
    # Products only (平板电脑, 电动车电池), or a product after one letter or word (新电池, 蓝牙耳机:
    # the subject reader asks a dictionary word for the page calling it a brand).
    if len(core) < 2 or (core != stem and not common_ok and _common_word(core)):
        return False
    with_category = stem != cand
    cand = stem
    if not (_CJK_NAME.match(cand) or _LATIN_NAME.match(cand) or (common_ok and _mixed_name(cand))):
        return False
    if cand in _GENERIC or cand in CATEGORIES or (
            _NOT_A_NAME.search(cand) and not (common_ok and _named_de(cand, with_category))) or (
            len(cand) >= 4 and _DOCUMENT_END.search(cand)):
        return False
    from pipelines.regions import is_place

    if is_place(cand):
        return False
    # A common word (订餐, 骗子) is no name, unless a product category follows it (金龟保险柜);
    # nor is a phrase of common words (能源动力, 中国大陆市长).
    if common_ok and _CJK_NAME.match(cand) and not _common_phrase(cand):
        # A frequent word (苹果): the subject reader then asks for its product and topics.
        return _word_freq_of(cand) < _FREQUENT_NAME_MAX and not _opens_with_everyday_word(cand)
    return not (_CJK_NAME.match(cand)
                and (_common_phrase(cand) or (not with_category and _common_word(cand))))


# A brand that is also a word is rare in jieba's counts (诺基亚 310, 海尔 230, 劳力士 25); the
# words a service page's title opens with are not (语音 865, 产品 22,801, 孩子 17,465).
_COMMON_NAME_MAX = 400
# A frequent word (苹果, 1,334) can be a brand only with its product and its service topics
# repeated; above this nothing is (产品 22,801, 孩子 17,465).
_FREQUENT_NAME_MAX = 2000
_EVERYDAY = 5000


def _named_de(cand: str, with_category: bool) -> bool:
    """"<X>的" is a name (美的) where its product follows and jieba knows it as a word of middling
    frequency; otherwise it is a phrase (新的, 好的: no words; 目的, 真的: frequent ones)."""
    return (with_category and len(cand) == 2 and cand[1] == "的" and not _NOT_A_NAME.search(cand[0])
            and 0 < _word_freq_of(cand) < _COMMON_NAME_MAX)


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


# A breadcrumb ("当前位置: 首页 > 资讯 > <topic>", "首页><kind>><name>"): site navigation, not the
# page's title; its last crumb may name the page's subject.
_BREADCRUMB = re.compile(
    r"^\s*(?:(?:您现在的位置是|您现在的位置|您的位置|当前位置|所在位置|位置)\s*[:：]?\s*)?"
    r"(?:首页|主页|网站首页)\s*(?:[>›»/]|\s)")
_CRUMB_SPLIT = re.compile(r"\s*[>›»/]\s*|\s+")


def _breadcrumb_end(line: str) -> str | None:
    """The last crumb of a breadcrumb line, or None when the line is none."""
    if not _BREADCRUMB.match(line):
        return None
    crumbs = [c for c in _CRUMB_SPLIT.split(line.strip()) if c]
    return crumbs[-1] if len(crumbs) >= 2 else ""


def _title_line(text_head: str) -> tuple[str, str]:
    """The line standing for a missing title (the first one, past a breadcrumb), and the
    breadcrumb's last crumb ("" without one)."""
    lines = [ln for ln in text_head.split("\n", 4)[:4] if ln.strip()]
    if not lines:
        return "", ""
    crumb = _breadcrumb_end(lines[0])
    if crumb is None or len(lines) < 2:
        return lines[0][:120], crumb or ""
    return lines[1][:120], crumb
