"""Synthetic pages, written by us, for tests, benchmarks and the demo site.

A fake-hotline "farm" page mimics the genre (a brand's after-sales claim, a 400 number repeated,
slogans, service-promise filler, keyword-stuffed title variants, a list of places, an unrelated
article) with invented brands and numbers; legitimate look-alikes cover an official service page,
a scam-warning news story, a government notice listing counties and a local shop.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

BRANDS = ("澜拓", "沃霆", "科赛恩", "铂雅", "瑞沐", "恒翼", "启澄", "凯诺斯", "维希朗", "赛骐")
CATEGORIES = ("指纹锁", "保险柜", "燃气灶", "热水器", "净水器", "洗衣机", "油烟机", "壁挂炉", "冰箱", "空调")
PLACES = (
    "杭州市西湖区 杭州市余杭区 宁波市鄞州区 温州市鹿城区 嘉兴市南湖区 湖州市吴兴区 绍兴市柯桥区 金华市义乌市 "
    "成都市武侯区 成都市锦江区 绵阳市涪城区 宜宾市翠屏区 南充市顺庆区 泸州市江阳区 德阳市旌阳区 乐山市市中区 "
    "长沙市岳麓区 株洲市荷塘区 衡阳市蒸湘区 岳阳市岳阳楼区 常德市武陵区 郴州市北湖区 怀化市鹤城区 娄底市娄星区 "
    "郑州市金水区 洛阳市涧西区 开封市龙亭区 新乡市红旗区 南阳市卧龙区 信阳市浉河区 周口市川汇区 商丘市睢阳区 "
    "济南市历下区 青岛市崂山区 烟台市芝罘区 潍坊市奎文区 临沂市兰山区 济宁市任城区 淄博市张店区 泰安市泰山区 "
    "广州市天河区 深圳市南山区 佛山市顺德区 东莞市虎门镇 珠海市香洲区 惠州市惠城区 江门市蓬江区 湛江市赤坎区 "
    "昆明市五华区 大理白族自治州大理市 曲靖市麒麟区 贵阳市南明区 遵义市红花岗区 南宁市青秀区 桂林市七星区 "
    "柳州市城中区 合肥市蜀山区 芜湖市镜湖区 南昌市东湖区 赣州市章贡区 福州市鼓楼区 厦门市思明区 泉州市丰泽区 "
    "西安市雁塔区 咸阳市秦都区 兰州市城关区 银川市兴庆区 西宁市城中区 乌鲁木齐市天山区 呼和浩特市新城区 "
    "太原市小店区 石家庄市长安区 保定市竞秀区 唐山市路北区 沈阳市沈河区 大连市中山区 长春市朝阳区 哈尔滨市南岗区"
).split()
SLOGANS = ("全国报修", "有问题 必受理", "服务流程", "拨打电话", "安排师傅", "最快30分钟", "快速响应", "上门服务",
           "安心保障", "价格透明")
FILLER = (
    "维修服务专业团队,持证上岗:所有师傅均经过专业培训,持证上岗,为客户提供专业、高效、贴心的上门维修服务。",
    "服务承诺透明收费,明码标价:维修前先检测报价,客户确认后再维修,收费标准透明,让客户安心放心。",
    "原厂配件品质保障:维修使用原厂配件,质量有保障,维修后提供质保服务,客户满意是我们的服务宗旨。",
    "快速响应及时上门:接到客户报修后快速响应,专业技师及时上门检测故障,服务全程规范高效。",
    "售后回访用户至上:维修完成后安排专人回访,倾听用户意见,不断提升服务品质,让用户体验更便捷。",
)
ARTICLE = (
    "本市第十届城市马拉松赛于上周日清晨鸣枪开跑,来自二十多个国家和地区的两万余名跑者沿着滨江大道奔跑,沿途市民自发组成加油队伍。",
    "赛事组委会介绍,今年的赛道首次穿过新建成的湿地公园,跑者可以在湖光山色之间感受城市更新带来的变化。赛道沿线设置了十二个补给站和多处医疗点。",
    "一位来自外省的业余跑者表示,这是她第三次参加这项赛事,赛道平坦、志愿者热情,她在终点刷新了个人最好成绩,并计划明年带着家人一起报名。",
    "体育部门负责人表示,马拉松赛事不仅带动了全民健身热潮,也拉动了餐饮、住宿和旅游消费,赛事周末全市酒店入住率明显上升。",
    "据了解,组委会还将推出线上跑步挑战活动,鼓励更多市民走出家门参与运动,养成健康的生活方式,让跑步成为城市的一张名片。",
    "比赛当天,交通管理部门提前发布了道路临时管制公告,地铁运营时间提前一小时,公交线路也作了相应调整,绝大多数市民对此表示理解和支持。",
    "在终点附近的补给区,志愿者们为跑者送上香蕉、能量饮料和保暖毯。一位大学生志愿者说,看到跑者们冲线时的笑容,觉得自己的付出非常值得。",
    "医疗保障团队由来自多家医院的医生和护士组成,赛道上还有骑行急救员随时待命。组委会透露,今年全程没有发生严重的伤病事件。",
    "不少跑者在社交平台上晒出了自己的完赛奖牌和沿途风景照片,话题阅读量在两天内突破了千万次,这座城市的知名度也随之进一步提升。",
    "专家提醒,参加长距离跑步前要循序渐进地训练,赛前注意休息和饮食,比赛中根据身体状况调整配速,身体不适时应及时停下寻求帮助。",
    "赛事期间,沿线商户也迎来了客流高峰。一家早餐店的老板说,凌晨四点就开始准备包子和豆浆,不到七点就卖光了,比平时多卖了三倍。",
    "为了减少塑料垃圾,组委会今年在补给站全面使用可降解水杯,并设置了分类回收点,赛后两个小时内,赛道沿线的垃圾就被清理干净。",
    "来自本地跑团的几位退休教师结伴完成了半程比赛,他们说坚持跑步五年来,身体越来越好,结识了许多志同道合的朋友,生活也更加充实。",
    "城市规划部门表示,将以此次赛事为契机,继续完善滨江绿道和城市公园的配套设施,建设更多适合市民散步、骑行和跑步的公共空间。",
    "据统计,本届赛事共吸引了数十家企业参与赞助,带动相关消费超过亿元,体育产业正在成为推动城市经济高质量发展的新引擎。",
)


@dataclass(frozen=True)
class FarmPage:
    """A generated page and what it is meant to be."""

    html: str
    label: str  # hotline_spam / clean
    brand: str
    numbers: tuple[str, ...]  # E.164 of the numbers it advertises or quotes


def invented_400(rng: random.Random) -> tuple[str, str]:
    """An invented 400 number: (display form, E.164)."""
    digits = "400" + str(rng.choice((0, 1, 6, 8, 9))) + "".join(str(rng.randrange(10)) for _ in range(6))
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", "+86" + digits


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def spam_page(rng: random.Random, *, brand: str | None = None, category: str | None = None,
              number: tuple[str, str] | None = None, places: int = 120, links: tuple[str, ...] = ()) -> FarmPage:
    """A seed-like fake after-sales hotline page."""
    brand = (brand or rng.choice(BRANDS)) + (category or rng.choice(CATEGORIES))
    shown, e164 = number or invented_400(rng)
    title = f"{brand}全国统一24小时维修服务热线"
    parts = ["<div class='menu'>" + "".join(f"<div>{s}</div>" for s in SLOGANS) + "</div>",
             f"<h1>{title}</h1>", f"<p>发布时间:</p><p>400服务电话:{shown}(点击咨询)</p>",
             f"<p>{brand}维修售后网点热线</p>"]
    for _ in range(rng.randint(3, 5)):
        label = rng.choice(("厂家总部售后统一热线", "24小时网点维修服务电话", "售后电话服务客服24小时热线"))
        parts.append(f"<p>{brand}{label}:(1){shown}(点击咨询)(2){shown}(点击咨询)</p>")
        variant = rng.choice(('400售后咨询', '全国24小时服务网点电话', '总部400售后维修电话24小时',
                              '预约24小时服务受理中心'))
        parts.append(f"<p>{brand}{variant}</p>")
        parts.append(_p(rng.choice(FILLER)))
    parts.append(f"<p>{brand}维修服务电话全国服务区域:</p>")
    chosen = [rng.choice(PLACES) for _ in range(places)]
    for k in range(0, len(chosen), 8):
        parts.append(_p("、".join(chosen[k:k + 8])))
    parts.append(f"<p>400服务电话:{shown}(点击咨询)</p>")
    # Each page pastes its own selection of the article, as farms paste a different story each.
    parts.extend(_p(a) for a in rng.sample(ARTICLE, rng.randint(6, len(ARTICLE))))
    parts.extend(f"<a href='{html.escape(h)}'>{brand}售后服务网点{i}</a>" for i, h in enumerate(links))
    body = "\n".join(parts)
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='keywords' content='{brand}售后,{brand}维修电话'></head><body>{body}</body></html>")
    return FarmPage(page, "hotline_spam", brand, (e164,))


def official_page(rng: random.Random, brand: str = "澜拓", category: str = "净水器") -> FarmPage:
    shown, e164 = invented_400(rng)
    body = (
        f"<h1>{brand}{category} 客户服务</h1>"
        f"<p>{brand}科技股份有限公司成立于2006年,专注于家用{category}的研发与制造。</p>"
        f"<p>客户服务热线:{shown}(工作日 8:00-20:00)</p>"
        "<h2>分公司与服务中心</h2><p>杭州分公司:杭州市西湖区文三路88号 邮编310012</p>"
        "<p>成都分公司:成都市武侯区天府大道北段66号</p>"
        f"<p>购买产品后请保留发票,保修期内凭发票享受免费维修。更多信息请访问{brand}官方网站。</p>"
        f"<p>© 2025 {brand}科技股份有限公司 版权所有 浙ICP备12345678号</p>"
    )
    return FarmPage(_doc(f"{brand}{category}客户服务", body), "clean", brand, (e164,))


def warning_news_page(rng: random.Random, brand: str = "沃霆") -> FarmPage:
    shown, e164 = invented_400(rng)
    body = (
        "<h1>警惕!搜索到的“售后电话”可能是骗局</h1><p>本报讯(记者 林晓)</p>"
        f"<p>近日,市民王女士家中的{brand}热水器出现故障,她通过搜索引擎找到一个自称“{brand}售后”的电话{shown},"
        "对方上门后以更换配件为由收取高额费用,事后发现该号码并非官方客服,而是假冒的维修机构。</p>"
        "<p>市消费者协会提醒,消费者应通过产品说明书或品牌官方网站查询售后电话,谨防虚假客服诈骗,"
        "遇到问题可拨打12315投诉举报,必要时向公安机关报警。</p><p>责任编辑:周然</p>"
    )
    return FarmPage(_doc("警惕假冒售后电话", body), "clean", brand, (e164,))


def gov_notice_page(rng: random.Random) -> FarmPage:
    counties = "、".join(rng.sample(PLACES, 24))
    body = (
        "<h1>关于公布2025年农村公路养护示范县名单的通知</h1>"
        "<p>各市、县人民政府,省直有关单位:</p>"
        f"<p>经县级申报、市级推荐、省级评审,确定以下县(市、区)为2025年农村公路养护示范县:{counties}。</p>"
        "<p>请各地认真总结经验,进一步完善养护机制。联系电话:0571-87051234。</p>"
        "<p>省交通运输厅办公室 2025年3月12日</p>"
    )
    return FarmPage(_doc("关于公布农村公路养护示范县名单的通知", body), "clean", "", ("+8657187051234",))


def shop_page(rng: random.Random) -> FarmPage:
    body = (
        "<h1>老街面馆</h1><p>本店位于成都市锦江区春熙路北段12号,主营红油抄手、担担面和钟水饺。</p>"
        "<p>营业时间:10:00-21:30 订餐电话:028-86661234 人均消费:25元</p>"
        "<p>周末客人较多,建议提前电话预约座位。</p>"
    )
    return FarmPage(_doc("老街面馆 成都小吃", body), "clean", "", ("+862886661234",))


def _doc(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body>{body}</body></html>")
