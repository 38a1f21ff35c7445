"""The brand(s) a page claims to serve.

Fake after-sales pages name the brand right before the service claim: "<brand><category>全国统一
24小时售后服务热线", "<city><brand><category>维修服务电话". We read the clause in front of the first
service word, strip what is not the brand (city names, "欢迎拨打", years, "厂家总部") and keep
candidates that recur or sit in the title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.lexicon import CATEGORIES

_CLAUSE_SPLIT = re.compile(r"[,，。.!！?？;；:：、|()（）【】\[\]《》<>\"“”'‘’/_>\n\t—–]+|-{1,}|\s{2,}")
# The first word of a service claim; what stands before it is the brand candidate.
_SERVICE_START = re.compile(
    r"(?:全国|统一|24小时|二十四小时|厂家|总部|官方|官网|特约|授权|指定|售后|维修|客服|报修|保修|服务|网点|"
    r"热线|电话|400|800|人工|各地|各区|上门|清洗|安装|移机|加氟|不制冷|故障|保养|收费|维保)"
)
_CLAIM_TAIL = re.compile(r"(?:售后|客服|热线|电话|网点|服务中心|维修中心|维修点|号码|400|800)")
_LEAD_JUNK = re.compile(
    r"^(?:欢迎来到|欢迎光临|欢迎拨打|欢迎致电|欢迎|请拨打|拨打|致电|关于|当前位置|您的位置|首页|如何联系|"
    r"怎么联系|如何|怎么|怎样|联系|查询|咨询|热门|最新|推荐|官方|正品|原装|本地|附近|同城|[0-9０-９]{2,4}年?|"
    r"[0-9]+[、.]|[一二三四五六七八九十]+[、.]|的)+"
)
_TRAIL_JUNK = re.compile(r"(?:全国|统一|各|的|总部|厂家|官方|家用|之|与|和|及|等)+$")
_GENERIC = frozenset(
    "全国 家电 电器 售后 产品 本公司 公司 我们 我司 本店 客户 用户 品牌 厂家 网点 维修 服务 各大 中心 "
    "本站 网站 平台 官方 小编 大家 消费者 市民 您 你 他们 如果 目前 现在 这个 那个 本产品 该产品 "
    "所有 部分 其他 相关 常见 日常 专业 正规 家用 商用 智能 快速 免费 上门".split()
)
_CATEGORY_SET = frozenset(CATEGORIES)
# A candidate holding a verb or a generic noun ending is a phrase, not a name.
_NOT_A_NAME = re.compile(
    r"联系|拨打|请|及时|可以|如何|怎么|需要|我们|您|你|进行|提供|为了|通过|遇到|如果|出现|使用|选择|"
    r"(?:客户|用户|企业|公司|单位|部门|人员|平台|中心|市民|居民|家长|同学|卫生|政务|便民|社区|公共|综合|"
    r"人才|就业|志愿|养老|党群|文化|医疗|健康|法律|心理|技术|信息)$"
)
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@dataclass(frozen=True, slots=True)
class BrandClaim:
    name: str
    count: int
    in_title: bool


def _strip_places(cand: str) -> str:
    """Drop a leading city/province name ("苏州奥克斯" -> "奥克斯")."""
    from pipelines.regions import is_place

    for cut in range(min(len(cand) - 2, 8), 1, -1):
        if is_place(cand[:cut]):
            return cand[cut:]
    return cand


def _clean(cand: str) -> str | None:
    cand = cand.strip(" \u3000·-+*#")
    cand = _LEAD_JUNK.sub("", cand)
    cand = _TRAIL_JUNK.sub("", cand).strip()
    if len(cand) < 2:
        return None
    cand = _strip_places(cand)
    cand = _TRAIL_JUNK.sub("", cand).strip()
    if not (2 <= len(cand) <= 16) or not _HAS_WORD.search(cand):
        return None
    if cand in _GENERIC or cand in _CATEGORY_SET:
        return None
    if cand.isdigit() or (cand.isascii() and len(cand) < 3):
        return None
    if _NOT_A_NAME.search(cand):
        return None
    return cand


def brand_candidates(text: str) -> Counter[str]:
    """Brand candidates in front of service claims, with how often each is claimed."""
    counts: Counter[str] = Counter()
    # Only lines with a claim word can hold a claim: skip the rest (region lists, articles) fast.
    text = "\n".join(line for line in text.split("\n") if _CLAIM_TAIL.search(line))
    for clause in _CLAUSE_SPLIT.split(text):
        if len(clause) < 4 or not _CLAIM_TAIL.search(clause):
            continue
        m = _SERVICE_START.search(clause)
        if not m or m.start() < 2:
            continue
        name = _clean(clause[: m.start()])
        if name:
            counts[name] += 1
    return counts


def _merge(counts: Counter[str]) -> Counter[str]:
    """Fold "联勒" into "联勒指纹锁" when both are claimed: the longer name says more."""
    merged: Counter[str] = Counter()
    names = sorted(counts, key=len, reverse=True)
    for name in names:
        home = next((m for m in merged if m.startswith(name) and m != name), None)
        if home and len(home) - len(name) <= 5:
            merged[home] += counts[name]
        else:
            merged[name] += counts[name]
    return merged


def find_brands(text: str, title: str = "", *, limit: int = 3) -> list[BrandClaim]:
    """Brands the page claims to serve, most claimed first.

    A candidate counts when it is claimed at least twice, or once in the title / first lines.
    """
    head = title or text[:200]
    head_counts = brand_candidates(head + "\n" + text[:120])
    counts = _merge(brand_candidates(text) + brand_candidates(title))
    out: list[BrandClaim] = []
    for name, n in counts.most_common():
        in_title = any(h.startswith(name) or name.startswith(h) for h in head_counts)
        if n >= 2 or in_title:
            out.append(BrandClaim(name, n, in_title))
        if len(out) >= limit:
            break
    return out
