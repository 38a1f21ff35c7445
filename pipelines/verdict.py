"""From page features to a verdict, a calibrated score and reasons a reviewer can read.

The weights are learned (:mod:`pipelines.model`, fitted by ``scripts/train_verdict.py`` with
cross-validation grouped by operation), not set by hand: single features are shared with
legitimate pages (an official page lists its hotline, a news story quotes a fake one, a notice
lists counties), and only a fit on labelled pages, judged on operations it has not seen, can
weigh their combination. Each reason is one contribution to the score, with its sign and weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import model as _model
from pipelines.features import Features
from pipelines.types import Verdict

__all__ = ["INJECTED_LINES", "INJECTED_TITLE", "Decision", "Features", "decide", "injected",
           "judge", "official_only", "presents_number"]

INJECTED_TITLE = 3  # distinct injected keywords in the title lines that make a page spam
INJECTED_LINES = 3  # keyword lines cut into sentences that make a page spam


def injected(f: Features) -> str:
    """Why a page is spam whatever the model says (hacked or junk injections), or ""."""
    if f.injection_title >= INJECTED_TITLE:
        # No labelled clean page has three such keywords in its title lines.
        return f"title stuffed with {f.injection_title} injected gambling/porn keywords"
    if f.gambling_title:
        return "betting title over a page about something else (hacked page)"
    if f.injected_lines >= INJECTED_LINES:
        return f"{f.injected_lines} keyword lines cut into its sentences (injected keywords)"
    return ""


CALLABLE_KINDS = ("shared_cost", "toll_free", "mobile")  # what fake hotlines advertise: 400/800, mobiles


def presents_number(f: Features) -> str:
    """Why a spam page is a fake hotline by definition (a number presented to call), or "".

    A spam page that advertises a 400/800 or mobile number as the one to call sells a service by
    phone: hotline_spam, whatever its wording. Not when any advertised number is the claimed
    brand's official one or the page quotes official short codes (a junk guide citing a bank's
    95xxx line and its published 400 form): the hotline model decides those. A click-to-call
    button in place of the number ("点击获取售后电话") offers a number without showing it.
    """
    if f.official_advertised == 0 and f.short_codes == 0:
        ads = [a for a in f.advertised if a[2] in CALLABLE_KINDS]
        if ads:
            shown = max(ads, key=lambda a: a[1])[0]
            return f"presents {shown} as the number to call"
    if not f.advertised and f.call_buttons and not f.placeholder_numbers:
        return "a click-to-call button stands in for the number"
    return ""


@dataclass(frozen=True)
class Decision:
    """A verdict with its score and reasons, and the page's spam class whatever the verdict:
    what an analyst's plain ``spam`` label on the page resolves to (issue 10)."""

    verdict: Verdict
    score: float
    reasons: list[str]
    spam_class: Verdict  # hotline_spam or seo_spam


def official_only(f: Features) -> bool:
    """Every advertised number is the claimed brand's official one (never a fake hotline)."""
    return bool(f.advertised) and f.official_advertised >= len(f.advertised)


def decide(f: Features, model: _model.Model | None = None) -> tuple[Verdict, float, list[str]]:
    """(verdict, calibrated spam probability in [0, 1], reasons): :func:`judge` without the
    spam class."""
    d = judge(f, model)
    return d.verdict, d.score, d.reasons


def judge(f: Features, model: _model.Model | None = None) -> Decision:
    """The verdict, calibrated spam probability in [0, 1], reasons and spam class.

    Spam when the spam model's probability reaches its threshold (chosen on grouped folds,
    precision first); then hotline_spam when it presents a number to call
    (:func:`presents_number`) or the hotline model says the page sells a service to call (a
    look-alike service-centre whose excerpt shows no number), else seo_spam.
    Reasons are the spam model's contributions, largest first. A page whose every advertised
    number is the claimed brand's official one (the shipped seed list) is not a fake hotline:
    clean, or seo_spam when the model calls it spam, and the first reason says why.
    """
    m = model or _model.shipped()
    facts = f.__dict__
    scored = m.score(facts)
    p_spam = m.spam.probability(scored.spam)
    why = _model.reasons(facts, scored.spam, scored.grams, values=scored.values)
    p_hot = m.hotline.probability(scored.hotline)
    # A placeholder in place of the number (400-XXX-XXXX) is a template with nothing to call.
    template_only = f.placeholder_numbers > 0 and not f.advertised
    official = official_only(f)
    calls = presents_number(f)
    kind: Verdict = ("hotline_spam" if (calls or p_hot >= m.hotline_threshold)
                     and not template_only and not official else "seo_spam")
    rule = injected(f)
    if official and not rule:
        # Its every advertised number is the claimed brand's own: no fake hotline. Junk that
        # quotes the real number (a spun "official service centre" article) is still seo_spam.
        why = [f"advertises the official number of {f.brand}", *why]
        if p_spam < m.spam_threshold:
            return Decision("clean", min(p_spam, 0.5 * m.spam_threshold), why, kind)
        return Decision("seo_spam", p_spam, why, kind)
    if rule:
        # Injected keywords make a hacked or junk page whatever else it holds: spam, and the
        # reason says so first.
        why = [rule, *why]
        p_spam = max(p_spam, m.spam_threshold)
    elif p_spam < m.spam_threshold:
        return Decision("clean", p_spam, why, kind)
    if kind == "hotline_spam" and calls and p_hot < m.hotline_threshold:
        why = [*why[:1], f"hotline: {calls}", *why[1:]] if rule else [f"hotline: {calls}", *why]
    return Decision(kind, p_spam, why, kind)
