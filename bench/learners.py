"""Would another learner rank the labelled pages better than the shipped logistic model?

The same design matrix as the verdict model (the engine's numeric features and hashed
n-grams), the same folds grouped by operation, over seeds: out-of-fold ROC AUC, average
precision and the spam recall reachable at precision 0.98 (the verdict's target) for

- ``logistic``: the shipped model's fit (``pipelines.model_fit.fit_linear``, its C);
- ``forest``: a random forest on the numeric features (trees cannot use 16,384 sparse columns
  of 293 rows usefully);
- ``boosting``: scikit-learn's histogram gradient boosting on the numeric features.

The recall printed is the best any threshold gives on the pooled out-of-fold scores of the
learner alone (an upper bound of what threshold choice inside the folds can reach, and without
the verdict's rules, which add the pages with injected keyword lists); ``bench/quality.py``
prints the honest figure of the shipped verdict. Skips cleanly when the data file is absent.

    python bench/learners.py [--data PATH] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recall_at(p: Any, y: Any, precision: float = 0.98) -> float:
    """Highest recall among cut-offs of the ranking whose precision reaches ``precision``."""
    import numpy as np

    order = np.argsort(-p, kind="stable")
    ps, tp = p[order], np.cumsum(y[order])
    # A threshold cuts only where the score changes: never inside a run of tied scores.
    ends = np.flatnonzero(np.append(ps[1:] != ps[:-1], True))
    ok = ends[tp[ends] / (ends + 1) >= precision]
    return float(tp[ok.max()] / y.sum()) if len(ok) and y.sum() else 0.0


def main() -> int:
    from pipelines.model_train import labelled_data, read_rows

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args()
    data = labelled_data(args.data)
    if data is None:
        return 0

    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score

    from pipelines import model_fit as MF

    cfg = MF.Config()
    d = MF.prepare(read_rows(data), cfg)
    X, labels, groups = d["X"], d["labels"], d["groups"]
    n = len(d["names"])
    dense = X[:, :n].toarray()
    y = np.isin(labels, MF.SPAM_ANY).astype(int)
    print(f"pages: {len(y)}  spam: {int(y.sum())}  operations: {len(set(groups.tolist()))}")
    for seed in args.seeds:
        scores = {name: np.zeros(len(y)) for name in ("logistic", "forest", "boosting")}
        for tr, te in MF._folds(y, groups, cfg.n_splits, seed):
            scores["logistic"][te] = MF.fit_linear(X[tr], y[tr], cfg.c_spam, n, True).z(X[te])
            forest = RandomForestClassifier(500, min_samples_leaf=2, class_weight="balanced",
                                            random_state=0).fit(dense[tr], y[tr])
            scores["forest"][te] = forest.predict_proba(dense[te])[:, 1]
            boost = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200,
                                                   class_weight="balanced", random_state=0)
            scores["boosting"][te] = boost.fit(dense[tr], y[tr]).predict_proba(dense[te])[:, 1]
        for name, p in scores.items():
            print(f"seed {seed} {name:9s} AUC {roc_auc_score(y, p):.3f}  "
                  f"AP {average_precision_score(y, p):.3f}  recall at precision 0.98 "
                  f"{recall_at(p, y):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
