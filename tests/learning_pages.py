"""Synthetic pages for the learning-from-analysts tests (issue 10), with invented brands and
numbers: a family of legitimate after-sales policy pages of a brand, with its own 400 number,
that the shipped model calls hotline_spam (the class of mistake the issue lists first), and
fake-hotline farm pages it gets right."""

from __future__ import annotations

import html
import random

from triage.demo import farm


def policy_page(rng: random.Random) -> tuple[str, str]:
    """A brand's own after-sales policy page: (HTML, E.164 of its number)."""
    brand, cat = rng.choice(farm.BRANDS), rng.choice(farm.CATEGORIES)
    shown, e164 = farm.invented_400(rng)
    years = rng.choice(("三年", "两年", "五年"))
    body = (f"<h1>{brand}{cat}售后服务政策</h1><p>尊敬的用户:感谢您选购{brand}{cat}。</p>"
            f"<p>{brand}全国统一售后服务热线:{shown}(每天8:00-20:00)</p>"
            f"<p>整机保修{years},主要部件保修五年。保修期内因产品质量问题产生的维修,免收人工费和配件费。</p>"
            f"<p>保修期外维修收取配件费和人工费,收费标准见官网公示。维修服务电话:{shown}</p>"
            f"<p>如需上门安装或维修,请拨打{brand}售后服务热线预约,服务人员上门时会出示工作证件。</p>")
    title = html.escape(f"{brand}{cat}售后服务政策_{brand}官网")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{body}</body></html>"), e164


def site(n_policy: int = 8, n_spam: int = 6, seed: int = 11) -> dict[str, str]:
    """path -> HTML of a small site: an index linking policy, spam, shop and notice pages."""
    rng = random.Random(seed)
    pages: dict[str, str] = {}
    for i in range(n_policy):
        pages[f"/policy{i}.html"] = policy_page(rng)[0]
    for i in range(n_spam):
        pages[f"/spam{i}.html"] = farm.spam_page(rng, places=24).html
    pages["/shop.html"] = farm.shop_page(rng).html
    pages["/notice.html"] = farm.gov_notice_page(rng).html
    links = "".join(f"<a href='{p}'>{p}</a>" for p in pages)
    pages["/"] = f"<html><head><title>index</title></head><body>{links}</body></html>"
    return pages
