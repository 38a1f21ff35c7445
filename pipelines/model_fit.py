"""Fitting the verdict model (scikit-learn, at training time only) and measuring it honestly.

Pages of one operation share a template and a number: a model that has seen one has seen them
all. So every figure here is out-of-fold with folds grouped by operation (StratifiedGroupKFold,
repeated over seeds), thresholds are chosen inside each training fold on its own grouped inner
folds (precision first), and the shipped artefact is refitted on all rows afterwards.

    fit(rows) -> (artefact, report)       # rows: dicts with text or html, url, label, group
    pipelines.model.load(artefact)        # the engine's Model
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from pipelines import model as M
from pipelines.model_train import data_sha256

SPAM = ("hotline_spam", "seo_spam")
# An analyst's plain "spam" label (no subtype) counts for the spam model, not the hotline model.
SPAM_ANY = (*SPAM, "spam")
PRECISION_TARGET = 0.98
BUCKETS = 1 << 14
SIZES = (2,)


@dataclass
class Config:
    """What the fit may vary; defaults chosen by grouped CV (see the training report)."""

    c_spam: float = 0.1
    c_hotline: float = 0.3
    buckets: int = BUCKETS
    sizes: tuple[int, ...] = SIZES
    use_ngrams: bool = True
    ngram_scale: float = 8.0
    fields: tuple[str, ...] = ("t", "c", "b", "u")
    field_sizes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # per-field n-gram sizes
    precision_target: float = PRECISION_TARGET
    n_splits: int = 5
    seeds: tuple[int, ...] = (0, 1, 2)
    calibrate: bool = True  # False (too few groups for inner folds): Platt off, thresholds 0.5


def row_facts(row: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's features of one labelled row (``facts`` as the analysis had them, e.g. a
    stored page's, else from its ``text`` or ``html`` and ``url``)."""
    from pipelines.analyze import page_features

    if row.get("facts") is not None:
        return dict(row["facts"])
    if row.get("html") is not None:
        f = page_features(row["html"], url=row.get("url", ""))
    else:
        f = page_features(url=row.get("url", ""), text=row.get("text") or "")
    return dict(f.__dict__)


def design(facts: Sequence[Mapping[str, Any]], cfg: Config) -> tuple[Any, list[str]]:
    """Sparse design matrix: named numeric columns, then ``#<bucket>`` hashed n-gram columns."""
    from scipy.sparse import csr_matrix

    names = list(M.NUMERIC)
    col = {n: i for i, n in enumerate(names)}
    data, rows, cols = [], [], []
    for r, f in enumerate(facts):
        vec, _ = M.vectorize(
            f, cfg.buckets, cfg.sizes, cfg.ngram_scale, cfg.fields, cfg.field_sizes
        )
        for k, v in vec.items():
            if not v:  # 0, or None: a feature the page cannot have (no URL): weighs nothing
                continue
            if k.startswith("#"):
                if not cfg.use_ngrams:
                    continue
                j = len(names) + int(k[1:])
            else:
                j = col[k]
            rows.append(r)
            cols.append(j)
            data.append(v)
    X = csr_matrix((data, (rows, cols)), shape=(len(facts), len(names) + cfg.buckets))
    return X, names


@dataclass
class Fitted:
    intercept: float
    coef: np.ndarray  # over raw (unscaled) columns
    platt: tuple[float, float] = (1.0, 0.0)
    mean: np.ndarray | None = None  # numeric columns' training means

    def z(self, X: Any) -> np.ndarray:
        return np.asarray(X @ self.coef).ravel() + self.intercept

    def p(self, X: Any) -> np.ndarray:
        a, c = self.platt
        return 1.0 / (1.0 + np.exp(-np.clip(a * self.z(X) + c, -700, 700)))


def fit_linear(X: Any, y: np.ndarray, C: float, n_numeric: int, balanced: bool) -> Fitted:
    """L2 logistic regression; numeric columns standardised for the fit, folded back after,
    so that the shipped weights apply to raw feature values."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    X = X.tocsr()
    if len(set(np.asarray(y).tolist())) < 2:  # one class only (e.g. no seo_spam yet): a constant
        only = int(np.asarray(y).ravel()[0]) if len(y) else 0
        return Fitted(4.0 if only else -4.0, np.zeros(X.shape[1]), mean=np.zeros(n_numeric))
    num = X[:, :n_numeric].toarray()
    mu, sd = num.mean(axis=0), num.std(axis=0)
    sd[sd < 1e-9] = 1.0
    Xc = hstack([csr_matrix((num - mu) / sd), X[:, n_numeric:]]).tocsr()
    clf = LogisticRegression(
        C=C, class_weight="balanced" if balanced else None, solver="liblinear", max_iter=3000
    )
    clf.fit(Xc, y)
    w = clf.coef_.ravel().copy()
    w[:n_numeric] /= sd
    b = float(clf.intercept_[0] - float(np.dot(w[:n_numeric], mu)))
    return Fitted(b, w, mean=mu)


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Calibrate decision values on out-of-fold predictions (Platt scaling)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return (1.0, 0.0)
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(z.reshape(-1, 1), y)
    return (float(lr.coef_[0, 0]), float(lr.intercept_[0]))


def choose_threshold(p: np.ndarray, y: np.ndarray, target: float) -> float:
    """Lowest threshold whose precision reaches ``target`` (most recall at that precision);
    when none does, the one with the best F0.5 (precision weighs more than recall)."""
    order = np.argsort(-p)
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ps) + 1)
    prec, rec = tp / k, tp / max(1, ys.sum())
    best, best_f = 0.5, -1.0
    for i in range(len(ps)):
        if i + 1 < len(ps) and ps[i + 1] == ps[i]:
            continue
        cut = (ps[i] + ps[i + 1]) / 2 if i + 1 < len(ps) else ps[i] / 2
        if prec[i] >= target:
            f = 10.0 + rec[i]
        else:
            f = 1.25 * prec[i] * rec[i] / (0.25 * prec[i] + rec[i]) if prec[i] + rec[i] else 0.0
        if f > best_f + 1e-12:
            best, best_f = float(cut), f
    return min(max(best, 0.02), 0.98)


def _folds(y: np.ndarray, groups: np.ndarray, n_splits: int,
           seed: int) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedGroupKFold

    # No more folds than groups or than rows of the rarer class (a few analysts' labels).
    n = min(n_splits, len(set(groups.tolist())), int(np.bincount(y, minlength=2).min()))
    if n < 2:
        return iter(())
    return StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed).split(
        np.zeros(len(y)), y, groups)


def train(
    X: Any,
    labels: np.ndarray,
    groups: np.ndarray,
    cfg: Config,
    n_numeric: int,
    inner_seed: int = 0,
    inner: bool = True,
) -> dict[str, Any]:
    """Fit both models on these rows; calibration and thresholds from grouped inner folds."""
    y = np.isin(labels, SPAM_ANY).astype(int)
    spam_idx = np.flatnonzero(np.isin(labels, SPAM))
    yh = (labels[spam_idx] == "hotline_spam").astype(int)
    spam = fit_linear(X, y, cfg.c_spam, n_numeric, balanced=True)
    hot = fit_linear(X[spam_idx], yh, cfg.c_hotline, n_numeric, balanced=True)
    if not inner:
        return {"spam": spam, "hotline": hot}
    if not cfg.calibrate:
        return {"spam": spam, "hotline": hot, "t_spam": 0.5, "t_hot": 0.5, "oof_spam": None}
    oz = np.zeros(len(y))
    oh = np.zeros(len(spam_idx))
    pos = {j: i for i, j in enumerate(spam_idx)}
    for tr, te in _folds(y, groups, cfg.n_splits, inner_seed):
        m = fit_linear(X[tr], y[tr], cfg.c_spam, n_numeric, balanced=True)
        oz[te] = m.z(X[te])
        tr_s = [j for j in tr if labels[j] in SPAM]
        te_s = [j for j in te if labels[j] in SPAM]
        if te_s and len(set(labels[tr_s])) == 2:
            mh = fit_linear(
                X[tr_s],
                (labels[tr_s] == "hotline_spam").astype(int),
                cfg.c_hotline,
                n_numeric,
                True,
            )
            oh[[pos[j] for j in te_s]] = mh.z(X[te_s])
    spam.platt = platt(oz, y)
    hot.platt = platt(oh, yh)
    a, c = spam.platt
    p_oof = 1.0 / (1.0 + np.exp(-np.clip(a * oz + c, -700, 700)))
    t_spam = choose_threshold(p_oof, y, cfg.precision_target)
    a, c = hot.platt
    ph = 1.0 / (1.0 + np.exp(-np.clip(a * oh + c, -700, 700)))
    cands = list(np.linspace(0.1, 0.9, 17))
    t_hot = max(cands, key=lambda t: (np.mean((ph >= t) == yh), -abs(t - 0.5))) if len(yh) else 0.5
    return {
        "spam": spam,
        "hotline": hot,
        "t_spam": t_spam,
        "t_hot": float(t_hot),
        "oof_spam": p_oof,
    }


def figures(labels: Sequence[str], pred: Sequence[str], groups: Sequence[str]) -> dict[str, float]:
    """Spam precision/recall, recall averaged over spam operations, hotline_spam recall."""
    gold = np.isin(labels, SPAM_ANY)
    got = np.isin(pred, SPAM)
    tp, fp, fn = int((gold & got).sum()), int((~gold & got).sum()), int((gold & ~got).sum())
    per_op: dict[str, list[bool]] = {}
    for g, lab, p in zip(groups, labels, pred, strict=False):
        if lab in SPAM_ANY:
            per_op.setdefault(g, []).append(p in SPAM)
    hot = [p == "hotline_spam" for lab, p in zip(labels, pred, strict=False) if lab == "hotline_spam"]
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "op_recall": float(np.mean([np.mean(v) for v in per_op.values()])) if per_op else 1.0,
        "hotline_recall": float(np.mean(hot)) if hot else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def predict(models: Mapping[str, Any], X: Any, template_only: np.ndarray,
            rules: np.ndarray | None = None, calls: np.ndarray | None = None) -> list[str]:
    """Verdicts as :func:`pipelines.verdict.decide` gives them, from the fitted models and the
    verdict's rules (``rules``: +1 spam whatever the model says, -1 official numbers only (clean
    or seo_spam, never hotline_spam), 2 both (seo_spam), 0 the model decides; ``calls``: the
    page presents a number to call, :func:`pipelines.verdict.presents_number`)."""
    ps, ph = models["spam"].p(X), models["hotline"].p(X)
    rules = rules if rules is not None else np.zeros(len(ps), dtype=int)
    calls = calls if calls is not None else np.zeros(len(ps), dtype=bool)
    out = []
    for s, h, t, r, c in zip(ps, ph, template_only, rules, calls, strict=False):
        if r < 0 or r == 2:  # every advertised number official: never hotline_spam
            out.append("seo_spam" if r == 2 or s >= models["t_spam"] else "clean")
        elif r == 0 and s < models["t_spam"]:
            out.append("clean")
        else:
            out.append("hotline_spam" if (c or h >= models["t_hot"]) and not t else "seo_spam")
    return out


def rule_of(f: Mapping[str, Any]) -> tuple[int, bool]:
    """The verdict's rules on one page's features (see :func:`pipelines.verdict.judge`): the
    ``rules`` code of :func:`predict`, and whether the page presents a number to call."""
    from pipelines.features import Features
    from pipelines.verdict import injected, official_only, presents_number

    page = Features(**f)
    official = official_only(page)
    code = (2 if official else 1) if injected(page) else (-1 if official else 0)
    return code, bool(presents_number(page))


def prepare(rows: Sequence[Mapping[str, Any]], cfg: Config) -> dict[str, Any]:
    """Features, design matrix, labels and groups of labelled rows (computed once)."""
    facts = [row_facts(r) for r in rows]
    X, names = design(facts, cfg)
    rules = [rule_of(f) for f in facts]
    return {
        "facts": facts,
        "X": X,
        "names": names,
        "labels": np.array([r["label"] for r in rows]),
        "groups": np.array(
            [str(r.get("group") or r.get("op") or r.get("url") or i) for i, r in enumerate(rows)]
        ),
        "template_only": np.array(
            [f["placeholder_numbers"] > 0 and not f["advertised"] for f in facts]
        ),
        "rules": np.array([code for code, _ in rules]),
        "calls": np.array([calls for _, calls in rules], dtype=bool),
    }


def cross_validate(data: Mapping[str, Any], cfg: Config) -> dict[str, Any]:
    """Grouped out-of-fold figures: per fold, pooled per seed, and mean/min/max over seeds.
    Each outer fold refits both models, calibration and thresholds on its training part only."""
    X, labels, groups, has = data["X"], data["labels"], data["groups"], data["template_only"]
    y = np.isin(labels, SPAM_ANY).astype(int)
    n_num = len(data["names"])
    per_seed, folds, oof_all = [], [], []
    for seed in cfg.seeds:
        pred = np.empty(len(labels), dtype=object)
        for k, (tr, te) in enumerate(_folds(y, groups, cfg.n_splits, seed)):
            m = train(X[tr], labels[tr], groups[tr], cfg, n_num, inner_seed=seed)
            pred[te] = predict(m, X[te], has[te], data["rules"][te], data["calls"][te])
            f = figures(labels[te], list(pred[te]), groups[te])
            folds.append(
                {
                    "seed": seed,
                    "fold": k,
                    "pages": len(te),
                    "threshold": round(m["t_spam"], 4),
                    **{key: round(v, 4) for key, v in f.items()},
                }
            )
        pooled = figures(labels, list(pred), groups)
        per_seed.append({"seed": seed, **{k: round(v, 4) for k, v in pooled.items()}})
        oof_all.append(pred)
    summary = {}
    for key in ("precision", "recall", "op_recall", "hotline_recall"):
        vals = [s[key] for s in per_seed]
        summary[key] = {"mean": round(float(np.mean(vals)), 4), "min": min(vals), "max": max(vals)}
    return {"summary": summary, "per_seed": per_seed, "folds": folds, "oof": oof_all}


def _weights(f: Fitted, names: Sequence[str]) -> dict[str, Any]:
    """Shipped form: intercept at the mean page, weights of raw values, the numeric means."""
    w = {n: round(float(f.coef[i]), 5) for i, n in enumerate(names)}
    for j in np.flatnonzero(np.abs(f.coef[len(names) :]) >= 1e-4):
        w[f"#{int(j)}"] = round(float(f.coef[len(names) + j]), 5)
    mu = f.mean if f.mean is not None else np.zeros(len(names))
    at_mean = f.intercept + float(np.dot(f.coef[: len(names)], mu))
    return {
        "intercept": round(at_mean, 6),
        "weights": w,
        "mean": {n: round(float(m), 6) for n, m in zip(names, mu, strict=False)},
        "platt": [round(f.platt[0], 6), round(f.platt[1], 6)],
    }


def fit(
    rows: Sequence[Mapping[str, Any]], cfg: Config | None = None, evaluate: bool = True
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit on all rows (calibration and thresholds from grouped folds); return the artefact (weights
    and hashing config only, no page text) and a report with the grouped-CV figures."""
    cfg = cfg or Config()
    data = prepare(rows, cfg)
    cv = cross_validate(data, cfg) if evaluate else None
    final = train(data["X"], data["labels"], data["groups"], cfg, len(data["names"]), inner_seed=0)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sha = data_sha256(rows)
    artefact = {
        "format": M.FORMAT,
        "created": created,
        "data_sha256": sha,
        "rows": len(rows),
        "features": list(data["names"]),
        "hashing": {
            "buckets": cfg.buckets,
            "ngram_sizes": list(cfg.sizes),
            "hash": "crc32(field + '\\x1f' + gram) % buckets",
            "fields": {k: M.FIELDS[k][0] for k in cfg.fields},
            "field_keys": list(cfg.fields),
            "field_sizes": {k: list(v) for k, v in cfg.field_sizes.items()},
            "scale": cfg.ngram_scale,
            "digits": "folded to 0",
            "enabled": cfg.use_ngrams,
        },
        "thresholds": {
            "spam": round(final["t_spam"], 6),
            "hotline": round(final["t_hot"], 6),
            "precision_target": cfg.precision_target,
        },
        "spam": _weights(final["spam"], data["names"]),
        "hotline": _weights(final["hotline"], data["names"]),
    }
    labels = data["labels"]
    report = {
        "created": created,
        "data_sha256": sha,
        "rows": len(rows),
        "labels": {lab: int((labels == lab).sum()) for lab in sorted(set(labels.tolist()))},
        "groups": len(set(data["groups"].tolist())),
        "config": {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in cfg.__dict__.items()
            if k != "field_sizes"
        },
        "grouped_cv": None if cv is None else {k: v for k, v in cv.items() if k != "oof"},
    }
    return artefact, report
