"""The human-readable complaint of an evidence packet, in Chinese (``report.txt``/``report.html``).

Written to be pasted into the 12321 reporting form (网络不良与垃圾信息举报受理中心) or a carrier's
complaint form, which ask for the URL, the harmful content and how the page was reached: what is
impersonated, the numbers, every URL with its first and last sighting and how it was reached,
the engine's reasons, cloaking, and how the evidence was fixed (WARC records, SHA-256).
The HTML names CJK fonts in order with a generic fallback, so it renders on Windows, macOS and
Linux desktops alike.
"""

from __future__ import annotations

from html import escape
from typing import Any

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
         '"Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif')
KINDS = {"user_agent": "对搜索引擎爬虫与普通浏览器显示不同内容", "referer": "仅对从搜索结果页进入的访客显示",
         "mobile": "仅对手机访客显示", "redirect": "将部分访客跳转到其他网站"}
VERDICTS = {"hotline_spam": "假冒客服电话页面", "seo_spam": "搜索引擎垃圾页面", "clean": "未见异常"}


def _reached(page: dict[str, Any]) -> str:
    reached = page.get("reached") or {}
    parts = []
    if reached.get("referer_sent"):
        query = reached.get("search_query")
        parts.append(f"模拟从搜索结果页进入（Referer: {reached['referer_sent']}"
                     + (f"，搜索词「{query}」" if query else "") + "）")
    if reached.get("linked_from"):
        parts.append(f"由页面 {reached['linked_from']} 的链接进入")
    return "；".join(parts) or "直接访问该网址"


def _facts(manifest: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    brands: list[str] = []
    numbers: list[str] = []
    for page in manifest["pages"]:
        for b in page.get("brands") or []:
            if b not in brands:
                brands.append(b)
        for n in page.get("numbers") or []:
            if n not in numbers:
                numbers.append(n)
        for v in page["cloaking"]["versions"]:
            for n in v.get("numbers") or []:
                if n not in numbers:
                    numbers.append(n)
    subject = manifest["subject"]
    what = [f"电话号码 {n}" for n in subject["numbers"]] + [f"域名 {d}" for d in subject["domains"]]
    what += [f"团伙（模板簇）{o}" for o in subject["operations"]] + [f"网址 {u}" for u in subject["urls"]]
    return what, brands, numbers


def _page_lines(i: int, page: dict[str, Any]) -> list[str]:
    lines = [f"{i}. {page['url']}"]
    if page.get("final_url") and page["final_url"] != page["url"]:
        lines.append(f"   最终地址：{page['final_url']}")
    lines += [f"   首次发现：{page.get('first_seen') or '-'}；最近发现：{page.get('last_seen') or '-'}；"
              f"抓取时间：{page.get('fetched_at') or '-'}；HTTP 状态：{page.get('status')}",
              f"   访问方式：{_reached(page)}",
              f"   判定：{VERDICTS.get(page.get('verdict') or '', page.get('verdict') or '未分析')}"
              f"（得分 {page.get('score')}）",
              f"   页面宣传的号码：{'、'.join(page.get('numbers') or []) or '无'}；"
              f"冒充品牌：{'、'.join(page.get('brands') or []) or '未识别'}"]
    cloaking = page.get("cloaking") or {}
    if cloaking.get("flagged"):
        kinds = "；".join(KINDS.get(k, k) for k in cloaking.get("kinds") or [])
        lines.append(f"   伪装（cloaking）：{kinds}")
        for v in cloaking.get("versions") or []:
            lines.append(f"     - 以 {v['profile']} 身份访问：{VERDICTS.get(v.get('verdict') or '', '-')}"
                         f"，号码 {'、'.join(v.get('numbers') or []) or '无'}"
                         + (f"，跳转至 {v['redirect']}" if v.get("redirect") else ""))
    for reason in page.get("reasons") or []:
        lines.append(f"   依据：{reason}")
    for rec in page.get("warc") or []:
        lines.append(f"   存证：{rec['profile'] or '-'} 版本，WARC 记录 {rec['record_id']}，"
                     f"正文 SHA-256 {rec['payload_sha256']}")
    return lines


def report_text(manifest: dict[str, Any]) -> str:
    what, brands, numbers = _facts(manifest)
    lines = ["举报材料：假冒品牌售后客服电话网页", "",
             f"生成时间（UTC）：{manifest['generated_at']}；工具：{manifest['tool']} "
             f"{manifest['tool_version']}", "",
             "一、举报对象", *[f"   {w}" for w in what], "",
             "二、被冒充的品牌", f"   {'、'.join(brands) or '未识别'}", "",
             "三、涉及的电话号码（网页以品牌官方客服名义宣传，实为非官方号码）",
             *[f"   {n}" for n in numbers or ["无"]], "",
             f"四、涉事网页（共 {len(manifest['pages'])} 个）"]
    for i, page in enumerate(manifest["pages"], 1):
        lines += _page_lines(i, page)
    lines += ["", "五、证据固定",
              "   上述网页的 HTTP 请求与响应已按 WARC 格式（ISO 28500）原样保存于 evidence.warc.gz，",
              "   每条响应记录带有 WARC-Payload-Digest（正文 SHA-256），与 manifest.json 中的 sha256 一致；",
              "   本目录所有文件的 SHA-256 列于 SHA256SUMS，可用 `sha256sum -c SHA256SUMS` 校验。",
              *[f"   备注：{n}" for n in manifest.get("notes") or []], ""]
    return "\n".join(lines)


def report_html(manifest: dict[str, Any]) -> str:
    what, brands, numbers = _facts(manifest)
    rows = []
    for i, page in enumerate(manifest["pages"], 1):
        body = "<br>".join(escape(line.strip()) for line in _page_lines(i, page)[1:])
        shot = (f'<br><img src="{escape(page["screenshot"])}" alt="截图" width="320">'
                if page.get("screenshot") else "")
        rows.append(f"<tr><td>{i}</td><td><a href=\"{escape(page['url'])}\" rel=\"noreferrer "
                    f"nofollow\">{escape(page['url'])}</a></td><td>{body}{shot}</td></tr>")
    notes = "".join(f"<li>{escape(n)}</li>" for n in manifest.get("notes") or [])
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>举报材料：假冒品牌售后客服电话网页</title>
<style>
body {{ font-family: {FONTS}; margin: 2em; line-height: 1.6; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #bbb; padding: .4em; vertical-align: top; word-break: break-all; }}
th {{ background: #eee; }} .meta {{ color: #666; }}
</style></head><body>
<h1>举报材料：假冒品牌售后客服电话网页</h1>
<p class="meta">生成时间（UTC）：{escape(manifest['generated_at'])}；工具：{escape(manifest['tool'])}
{escape(manifest['tool_version'])}</p>
<h2>一、举报对象</h2><ul>{''.join(f'<li>{escape(w)}</li>' for w in what)}</ul>
<h2>二、被冒充的品牌</h2><p>{escape('、'.join(brands) or '未识别')}</p>
<h2>三、涉及的电话号码</h2><ul>{''.join(f'<li>{escape(n)}</li>' for n in numbers) or '<li>无</li>'}</ul>
<h2>四、涉事网页（共 {len(manifest['pages'])} 个）</h2>
<table><tr><th>#</th><th>网址</th><th>发现时间、访问方式、判定与依据、存证</th></tr>
{''.join(rows)}</table>
<h2>五、证据固定</h2>
<p>网页的 HTTP 请求与响应以 WARC 格式保存于 <code>evidence.warc.gz</code>，每条响应记录带正文 SHA-256
（WARC-Payload-Digest），与 <code>manifest.json</code> 一致；所有文件的 SHA-256 见 <code>SHA256SUMS</code>。</p>
<ul>{notes}</ul>
</body></html>
"""
