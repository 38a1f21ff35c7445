"""Signatures of hacked pages whose own text is real: what was injected, not what was copied.

A hacked school, hospital or utility page reads like the real thing; the learned verdict sees an
ordinary page. Two injections are structural and rare on any legitimate page, so the verdict
treats them as rules (with the reason first), like a porn/gambling keyword title:

- a gambling title over a page that is about nothing of the kind (``gambling_title``): the
  title lines sell bets ("投注", "线路检测", "真人视讯") while the rest of the page never
  mentions betting, lotteries or sport (a real lottery, casino-news or score page does);
- keyword lines cut into sentences (``injected_lines``): a short line between a line ending in
  a comma and one starting with a comma, i.e. an SEO keyword pasted into the middle of a
  sentence ("…我家住在附近,\\n网络代销公司\\n,昨天停电…").
"""

from __future__ import annotations

import re

# Words that only a betting site puts in a title (simplified and traditional). Casino and hotel
# names (葡京, 威尼斯人) and regulators' words (博彩) are left out: Macau pages use them legitimately.
GAMBLING_ONLY = re.compile(
    "投注|下注|线路检测|線路檢測|真人视讯|真人視訊|电子游艺|電子遊藝|彩金|娱乐城|娛樂城|"
    "百家乐|百家樂|比分直播"
)
# Anything a legitimate page about betting, lotteries, casinos or sport would say in its body.
GAMBLING_TOPIC = re.compile(
    "投注|下注|彩票|开奖|開獎|博彩|赌场|賭場|赌博|賭博|赔率|賠率|比分|比赛|比賽|赛事|賽事|球队|球隊|"
    "足球|篮球|籃球|体育|體育|娱乐|娛樂|游戏|遊戲|casino|bet"
)
_COMMA_END = ",，"
_COMMA_LINE = re.compile(r"\n\s*[,，]")
_SHORT = 12  # an injected keyword line: a few words, no sentence


def gambling_title(title_lines: str, rest: str) -> int:
    """1 when the title lines hold a betting-only word and the rest of the page is about
    something else entirely; else 0."""
    if not GAMBLING_ONLY.search(title_lines):
        return 0
    return 0 if GAMBLING_TOPIC.search(rest.lower()) else 1


def injected_lines(text: str) -> int:
    """How many short lines sit inside a sentence (previous line ends with a comma, the next
    starts with one): keyword lines pasted into a page's own text."""
    if not _COMMA_LINE.search(text):  # no line starts with a comma: nothing is cut in two
        return 0
    lines = [s.strip() for s in text.split("\n")]
    lines = [s for s in lines if s]
    n = 0
    for before, line, after in zip(lines, lines[1:], lines[2:], strict=False):
        if before[-1] in _COMMA_END and len(line) <= _SHORT and after[0] in _COMMA_END:
            n += 1
    return n
