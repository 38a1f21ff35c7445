"""Word lists the engine reasons with, in one place so reviewers can read and extend them.

They describe the genre (after-sales hotline advertising, service-promise boilerplate, scam
warnings, news, hacked-site injections), never a particular site, brand or number.
"""

from __future__ import annotations

import re

# Product categories that fake after-sales pages attach to a brand ("<brand><category>售后电话").
CATEGORIES = (
    "指纹锁 智能锁 密码锁 电子锁 门锁 保险柜 保险箱 冰箱 冰柜 洗衣机 干衣机 空调 中央空调 燃气灶 煤气灶 "
    "热水器 燃气热水器 电热水器 太阳能 壁挂炉 地暖 油烟机 抽油烟机 吸油烟机 烟机 集成灶 消毒柜 洗碗机 "
    "净水器 净水机 饮水机 软水机 电视 电视机 微波炉 烤箱 蒸箱 马桶 智能马桶 坐便器 新风 新风系统 "
    "手表 腕表 名表 表 电脑 笔记本 手机 平板 投影仪 扫地机器人 按摩椅 跑步机 电梯 发电机 "
    "空气能 空气源热泵 热泵 锅炉 采暖炉 冷柜 展示柜 除湿机 加湿器 空气净化器 门窗 卷帘门 车库门 "
    "家电 电器 厨电 卫浴 开锁"
).split()

# Other products a page names before its service topics ("<product>维修保养技巧"): not read as
# a brand's category (a brand is named before CATEGORIES), but a name ending in one with no
# name before it (电动车电池, 蓝牙耳机) is the product itself, not a brand.
PRODUCT_NOUNS = (
    "电动车 电瓶车 汽车 摩托车 自行车 三轮车 平衡车 房车 轮椅 充电桩 充电器 充电宝 电池 电瓶 蓄电池 耳机 音箱 "
    "音响 相机 摄像头 监控 打印机 复印机 路由器 显示器 键盘 鼠标 硬盘 手环 眼镜 助听器 血压计 剃须刀 "
    "吹风机 电吹风 电饭煲 电饭锅 压力锅 豆浆机 破壁机 榨汁机 咖啡机 面包机 空气炸锅 电磁炉 电风扇 风扇 "
    "取暖器 暖风机 净化器 吸尘器 洗地机 机器人 门铃 灯具 窗帘 沙发 床垫 家具 橱柜 地板 水龙头 花洒 "
    "水泵 压缩机 电机 马达 发动机 轮胎 玩具 游戏机 主机 一体机 热水器 电脑"
).split()

# Words that make a sentence about service rather than about anything in particular.
SERVICE_PROMISE = (
    "服务 专业 快速 及时 上门 师傅 技师 工程师 保障 承诺 满意 质量 诚信 高效 贴心 周到 客户 用户 维修 "
    "保养 配件 原厂 收费 透明 标准 规范 响应 团队 技术 培训 持证 环保 安心 放心 品质 体验 全程 一站式 "
    "合作 优质 便捷 免费 预约 回访 投诉 售后 检测 故障 安装 清洗 报修 受理 网点 覆盖 全国 24小时 "
    "快捷 省心 无忧 信赖 值得 竭诚 宗旨 理念 至上 第一 热情 耐心 细致 精湛 经验 丰富 正规 官方 "
    "授权 认证 保修 三包 质保 退换 更换 维护 价格 合理 明码标价"
).split()

# Scam warnings, consumer alerts and police notices quote numbers without advertising them.
WARNING_WORDS = (
    "诈骗 骗子 骗局 被骗 受骗 行骗 诱骗 骗取 假冒 冒充 山寨 虚假 谨防 警惕 提防 反诈 陷阱 上当 黑维修 "
    "冒牌 李鬼 不法 犯罪 嫌疑人 涉案 劝阻 止付 騙 詐騙 假冒 冒充 謹防"
).split()
# Words that lean the same way but also appear on ordinary service pages.
WEAK_WARNING_WORDS = (
    "报警 民警 公安 警方 派出所 消协 消委会 消费者协会 维权 投诉举报 曝光 提醒 案件 立案 预警 当心"
).split()

# Signs of a news report, a recall notice or an official notice.
NEWS_WORDS = (
    "记者 本报讯 通讯员 责任编辑 新华社 人民网 央视 召回 缺陷 市场监管总局 市场监督管理局 国家市场 "
    "人民政府 政务 办事指南 记者 本報訊 記者 通訊員"
).split()

# Consumer-service topics that generated "how to contact / get a refund" articles target beyond
# appliances: platforms, memberships, games, loans, couriers, airlines.
SERVICE_TOPIC_WORDS = (
    "退款 退费 退票 改签 退订 注销 销户 解绑 自动续费 续费 取消订阅 会员 充值 未成年 原路退回 协商 还款 "
    "逾期 延期 分期 网贷 投诉 人工客服 转人工 客服电话 客服热线 联系客服 官方客服 理赔 快递 物流 航班 机票"
).split()

# The structure of an official notice: who issues it, to whom, since when.
NOTICE_WORDS = (
    "公告 通知 通告 特此 敬请 广大 告知 如下 现将 有关事项 自即日起 起施行 发布日期 发布时间 发布单位 "
    "办公室 办公时间 工作日 法定节假日 节假日 受理时间 咨询电话 监督电话 举报电话 服务时间 营业时间 "
    "联系我们 地址 邮编 邮箱 传真 版权所有 备案号 ICP备 公网安备 主办单位 承办"
).split()

# The structure of a question-and-answer thread or an explainer.
QA_WORDS = (
    "问： 答： 问: 答: 提问 回答 最佳答案 网友 追问 采纳 相关问题 Q： A： 为什么 是什么 什么是 区别 "
    "如何 怎样 哪些 吗？ 呢？"
).split()

# Boilerplate of content farms that publish auto-generated or copied articles.
CONTENT_FARM = (
    "如侵权请联系 如有侵权 侵权请联系删除 网友投稿 由网友 版权归原作者 仅供参考 小编 网络整理 本类推荐 "
    "本类排行 猜你喜欢 百科 知识点 本文目录"
).split()

# A title that talks about after-sales service (with a category or brand, a content-farm topic).
AFTER_SALES = re.compile(r"售后|维修|客服|保修|报修|服务中心|服务网点|故障|服务电话|热线|维修点|安装")
# Click-bait title patterns of generated after-sales articles ("...是多少?如何联系?").
TITLE_SEO = re.compile(
    r"是多少|如何联系|怎么联系|联系方式|怎么处理|怎么办|解决方法|详细步骤|大原因|汇总|一览|"
    r"多少钱|收费标准|费用|正规吗|在哪里|电话号码|已更新|全国统一|24小时"
)


class Gated:
    """A regex run only on texts holding one of the characters each of its matches holds (a few
    ``in`` tests are several times cheaper than the regex's scan of a Chinese page)."""

    def __init__(self, pattern: re.Pattern[str], chars: str) -> None:
        self.pattern = pattern
        self._chars = chars

    def findall(self, text: str) -> list[str]:
        return self.pattern.findall(text) if any(c in text for c in self._chars) else []


def occurrences(text: str, sub: str) -> list[int]:
    """Where ``sub`` starts in ``text``, overlapping occurrences included (``str.find``)."""
    out = []
    at = text.find(sub)
    while at >= 0:
        out.append(at)
        at = text.find(sub, at + 1)
    return out


# A button that stands in for the number ("【点击获取售后电话】", "一键拨打热线"): generated
# hotline pages hide the number behind it, so the page offers a number to call without showing it.
# Its labelled support is one operation (scripts/lexicon_support.py): the pages it decides there
# are all the evidence for it, so its share of the hotline_spam recall is no held-out figure.
CALL_BUTTON = Gated(re.compile(
    r"(?:点击|點擊|一键|一鍵)[^\n，,。]{0,6}?(?:查看|拨打|撥打|获取|獲取)[^\n，,。]{0,6}?"
    r"(?:电话|電話|号码|號碼|热线|熱線|客服)"), "点點键鍵")
PLACEHOLDER_NUMBER = Gated(re.compile(r"(?:400|800)[-—\s]?[Xx×*＊]{3}"), "Xx×*＊")
GAMBLING_TITLE = re.compile(r"(?:体育|娱乐|棋牌)[-—·]?(?:官方网站|官网)")

# Injected gambling and porn keyword lists that hacked or junk sites put in their titles: the
# genre's vocabulary, not a betting site's or an app's name (a brand is one site; its title shape is
# GAMBLING_TITLE's, and casino names are Macau's ordinary vocabulary too).
INJECTION_WORDS = (
    "无码 毛片 一区二区 二区三区 国产精品 精品视频 色综合 少妇 人妻 黄色 乱伦 麻豆 午夜 激情 婷婷 "
    "高潮 裸体 蜜桃 黑人 熟女 av 欧美 日韩 亚洲 久久 精品 成人 在线观看 免费视频 视频在线 免费看 "
    "国产 自拍 偷拍 美女 性猛交 爽爽 噜噜 羞羞 91 娱乐城 博彩 彩票 百家乐 赌场 真人 棋牌 "
    "体育官方 官方网站 "
    "久草 自慰 黄色片 大尺度 呻吟 福利视频 不卡 四虎 中文字幕 三级片 色情 裸聊 约炮 "
    "投注 下注 比分直播 线路检测 真人视讯 电子游艺 彩金 赌博"
).split()

# Words of generated "guide" titles that pass a contact-the-service article off as help
# (a "揭秘" or "全攻略" title over a refund or repayment article).
GUIDE_WORDS = (
    "攻略 全攻略 揭秘 必看 一通电话 轻松解决 官方电话 人工服务 退款电话 退票电话"
).split()

# Template phrases of auto-generated hotline pages.
TEMPLATE_PHRASES = (
    "已更新 今日更新 实时资讯 资讯汇总 点击咨询 点击拨打 点击查看 "
    "一键拨打 立即拨打 全国报修 "
    "报修热线 受理中心 统一热线 统一服务热线 24小时热线 人工客服热线 网点电话 售后网点 服务网点电话"
).split()

PINYIN_ANNOTATION = re.compile(
    r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6}[)）]"
)
INTERLEAVED = re.compile(r"[\u4e00-\u9fff][+＋][\u4e00-\u9fff][+＋][\u4e00-\u9fff]")


def alternation(words: tuple[str, ...] | list[str], *, first_chars: bool | None = None) -> re.Pattern[str]:
    """One compiled alternation, longest words first so the regex prefers them.

    ``first_chars`` puts a lookahead on the words' first characters in front. By default only
    for lists with a word starting in ASCII: case-insensitive ASCII first letters keep ``re``
    from skipping positions by itself, and the lookahead makes it several times faster."""
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    if first_chars is None:
        first_chars = any(w[:1].isascii() for w in ordered)
    if first_chars:
        chars = "".join(sorted({re.escape(c) for w in ordered for c in (w[0].lower(), w[0].upper())}))
        body = f"(?=[{chars}])(?:{body})"
    return re.compile(body, re.IGNORECASE)


SERVICE_PROMISE_RE = alternation(SERVICE_PROMISE)
WARNING_RE = alternation(WARNING_WORDS)
WEAK_WARNING_RE = alternation(WEAK_WARNING_WORDS)
CONTENT_FARM_RE = alternation(CONTENT_FARM)
NEWS_RE = alternation(NEWS_WORDS)
INJECTION_RE = alternation(INJECTION_WORDS)
TEMPLATE_RE = alternation(TEMPLATE_PHRASES)
CATEGORY_RE = alternation(CATEGORIES)
NOTICE_RE = alternation(NOTICE_WORDS)
SERVICE_TOPIC_RE = alternation(SERVICE_TOPIC_WORDS)
QA_RE = alternation(QA_WORDS)
GUIDE_RE = alternation(GUIDE_WORDS)


def names_category(text: str) -> bool:
    """Whether ``text`` names a product category (focused crawling reads anchor texts with it)."""
    return CATEGORY_RE.search(text) is not None
