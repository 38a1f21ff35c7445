"""Synthetic pages for the verdict tests: the genres the issue names, with invented brands,
institutions and numbers (never text from the labelled data)."""

from __future__ import annotations

import html
import random


def doc(title: str, *paras: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def brand_policy(rng: random.Random) -> str:
    """A brand's own after-sales policy page with its 400 number."""
    n = f"400-{rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}"
    return doc(
        "岚枫电器售后服务政策",
        "岚枫电器股份有限公司依据国家三包规定制定本售后服务政策,自2025年1月1日起施行。",
        "整机保修一年,主要部件保修三年。保修期内凭购机发票享受免费维修服务。",
        f"客户服务热线:{n}(工作日 8:30-17:30),也可通过官方网站在线提交报修。",
        "本政策的解释权归岚枫电器股份有限公司客户服务部所有。",
        "© 2025 岚枫电器股份有限公司 版权所有 浙ICP备00000001号",
    )


def bank_notice(rng: random.Random) -> str:
    return doc(
        "关于客户服务热线系统升级的公告",
        "尊敬的客户:为提升服务质量,澄川银行将于2025年6月8日凌晨0:00至6:00对客户服务系统进行升级。",
        "升级期间,客户服务热线95599及400-820-0001暂停人工服务,自助查询不受影响。",
        "升级给您带来不便,请您谅解。特此公告。",
        "澄川银行股份有限公司 2025年6月1日",
    )


def heating_hotline(rng: random.Random) -> str:
    return doc(
        "关于2025-2026年采暖季供热服务热线的通知",
        "各住户:本市采暖季自2025年11月15日起至2026年3月15日止。",
        "供热服务热线:0431-8800 1234(24小时),供水抢修热线:0431-8800 5678。",
        "市民也可拨打12345热线反映供热问题。",
        "市城市管理局 2025年11月1日",
    )


def news_quote(rng: random.Random) -> str:
    return doc(
        "搜索“售后电话”竟遇假客服 市场监管部门提醒",
        "本报讯(记者 陈岩 通讯员 孟晴)近日,市民刘先生家中的洗衣机出现故障,他在网上搜索到一个“售后电话”400-661-2377。",
        "对方上门后以更换主板为由收取800元,刘先生事后发现该号码并非厂家客服,而是假冒的维修机构。",
        "市场监督管理局提醒,消费者应通过产品说明书或官方网站查询售后电话,谨防虚假客服诈骗,遇到问题可拨打12315投诉举报。",
        "责任编辑:王凯",
    )


def traditional_hospital(rng: random.Random) -> str:
    """A traditional-script hospital notice that glosses its own name's reading."""
    return doc(
        "澄心醫(yī)院門診時間調整通知",
        "各位病友:澄心醫(yī)院自2025年7月1日起調整門診時間,週一至週五上午八時至下午五時。",
        "澄心醫(yī)院預約電話:(02)2345-6789。急診服務全天開放,請民眾多加利用。",
        "澄心醫(yī)院 敬啟 2025年6月20日",
    )


def fake_code_of_conduct(rng: random.Random) -> str:
    """A fake after-sales page that borrows a code-of-conduct and a news agency byline."""
    n = f"400-{rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}"
    return doc(
        "翼澜指纹锁售后服务电话-全国统一24小时报修热线",
        "来源:新华社",
        f"翼澜指纹锁售后服务电话:{n}(点击拨打)",
        "翼澜指纹锁维修服务十要十不准:要文明服务,要持证上门,不准乱收费,不准小病大修。",
        f"翼澜指纹锁全国24小时报修热线:{n},师傅快速上门,专业维修,收费透明。",
        "服务区域:北京、上海、广州、深圳、杭州、南京、武汉、成都、重庆、西安、天津、苏州。",
        f"翼澜指纹锁客服热线:{n} 谨防假冒,认准官方服务热线。",
    )


def numberless_service_centre(rng: random.Random) -> str:
    return doc(
        "溯川空调售后维修服务中心-溯川空调全国统一售后服务电话",
        "溯川空调售后维修服务中心为您提供专业的空调维修、清洗、加氟、移机服务。",
        "溯川空调全国统一售后服务热线,24小时受理报修,师傅30分钟快速上门,原厂配件,收费透明。",
        "溯川空调售后服务网点覆盖全国,专业技师持证上岗,服务承诺:满意为止,质量保障。",
        "点击咨询 溯川空调售后服务电话 一键拨打",
    )


LEGIT = {
    "brand-policy": brand_policy,
    "bank-notice": bank_notice,
    "heating-hotline": heating_hotline,
    "news-quote": news_quote,
    "traditional-hospital": traditional_hospital,
}
FAKE = {
    "fake-code-of-conduct": fake_code_of_conduct,
    "numberless-service-centre": numberless_service_centre,
}


def tel_flood(n: int = 50_000) -> str:
    """A page with n distinct tel: links (an evasion attempt by sheer count)."""
    links = "".join(f'<a href="tel:400{i:07d}">拨打</a>' for i in range(n))
    return doc("雁川热水器售后服务电话", "全国统一客服热线").replace("</body>", links + "</body>")
