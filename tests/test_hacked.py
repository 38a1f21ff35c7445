"""Injection signatures of hacked pages (pipelines.hacked) and the verdict rules they feed."""

from __future__ import annotations

from pipelines.analyze import analyze
from pipelines.hacked import gambling_title, injected_lines


def test_betting_title_over_an_unrelated_page() -> None:
    assert gambling_title("ab123线路检测官网_某某医院门诊时间", "门诊时间为每周一至周五。") == 1
    assert gambling_title("某某体育投注官网", "本院心内科专家坐诊安排如下。") == 1


def test_betting_words_on_a_page_about_betting_or_sport_are_not_injected() -> None:
    # A lottery shop, a score site and a casino-news page use the words in their own body.
    assert gambling_title("体育彩票投注站申请指南", "申请开设彩票投注站需满足以下条件") == 0
    assert gambling_title("足球比分直播", "今晚联赛比赛的比分与赛程") == 0
    assert gambling_title("澳门葡京酒店", "酒店位于市中心") == 0  # no betting-only word
    assert gambling_title("某某学校新生须知", "报到时间") == 0


def test_keyword_lines_cut_into_sentences() -> None:
    text = "我住在附近,\n网络推广\n,昨天停电,\n关键词排名\n,冰箱坏了,\n建站\n,希望改进。"
    assert injected_lines(text) == 3


def test_ordinary_short_lines_are_not_injections() -> None:
    # Lists, headings and a comma-ended line followed by a normal line.
    text = "报到须知\n一、时间\n二、地点,\n学生活动中心\n请按指引办理,\n谢谢配合。"
    assert injected_lines(text) == 0


def test_rules_make_hacked_pages_spam_with_the_reason_first() -> None:
    body = "".join(f"<p>第{i}条:新生报到请携带录取通知书和身份证件,按院系指引办理。</p>"
                   for i in range(8))
    html = f"<html><head><title>zz8899线路检测官网_某学院新生须知</title></head><body>{body}"
    a = analyze(html.encode(), url="http://www.some-college.example.cn/n/1.html")
    assert a.verdict in ("seo_spam", "hotline_spam")
    assert a.reasons[0].startswith("betting title")
    clean = analyze(html.replace("zz8899线路检测官网_", "").encode(),
                    url="http://www.some-college.example.cn/n/1.html")
    assert clean.verdict == "clean"
