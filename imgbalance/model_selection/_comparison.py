"""What ``compare_strategies`` found: the scores of every strategy on every
fold, their intervals, the paired tests against the baseline, per-class
recall, and the recommendation by a stated rule."""

import math
import warnings

import numpy as np

from ._stats import corrected_interval, corrected_ttest, corrected_variance

__all__ = ["StrategyComparison"]

# a strategy is recommended over the baseline only when it beats it by
# this paired test's two-sided p-value or less
SIGNIFICANCE = 0.05


class StrategyComparison:
    """The result of :func:`~imgbalance.model_selection.compare_strategies`.

    Attributes
    ----------
    strategies : list of str
        The strategies compared, in the order given (simplest first for the
        standard panel).
    metrics : list of str
        The scores computed on every fold; the first decides.
    scores : dict
        Metric -> ndarray of shape (n_strategies, n_folds): each fold's
        score (NaN where the fold failed or was not run).
    recall : ndarray of shape (n_strategies, n_folds, n_classes)
        Each class's recall on each fold.
    fit_time : ndarray of shape (n_strategies, n_folds)
        Seconds to fit (and predict) on each fold.
    classes : ndarray
        The classes, sorted.
    failures : list of dict
        ``{"strategy", "fold", "reason"}`` of every fold a strategy could
        not be fitted on (a class too small for SMOTE's neighbours...).
    n_train, n_test : float
        Mean images per training and test fold (for the corrected test).
    baseline : str
        The strategy every other one is tested against.
    complete : bool
        False when a time budget ended the comparison before every fold.
    """

    def __init__(
        self, strategies, simplicity, metrics, scores, recall, fit_time, classes, **more
    ):
        self.strategies, self.simplicity = list(strategies), list(simplicity)
        self.metrics, self.scores = list(metrics), scores
        self.recall, self.fit_time, self.classes = recall, fit_time, classes
        self.failures = more["failures"]
        self.n_train, self.n_test = more["n_train"], more["n_test"]
        self.baseline = more["baseline"]
        self.complete = more["complete"]
        self.methods = more.get("methods", [None] * len(self.strategies))
        self.samplers = more.get("samplers", [None] * len(self.strategies))
        self.class_weights = more.get("class_weights", [None] * len(self.strategies))
        self.features = more.get("features")
        self.classifier = more.get("classifier")

    # -- per strategy -----------------------------------------------------

    def _folds_run(self):
        first = self.scores[self.metrics[0]]
        return int(np.count_nonzero(~np.all(np.isnan(first), axis=0)))

    def rows(self):
        """One dict per strategy: folds scored and failed; for each metric
        its mean and 95 % interval (corrected for overlapping training
        sets); the mean difference with the baseline on the first metric
        and the corrected paired test's p-value; the mean per-class recall
        and fit time."""
        first = self.metrics[0]
        base = self.strategies.index(self.baseline)
        failed = {}
        for failure in self.failures:
            failed[failure["strategy"]] = failed.get(failure["strategy"], 0) + 1
        out = []
        for s, name in enumerate(self.strategies):
            row = {"strategy": name, "simplicity": self.simplicity[s]}
            row["folds"] = int(np.count_nonzero(~np.isnan(self.scores[first][s])))
            row["failed folds"] = failed.get(name, 0)
            for metric in self.metrics:
                mean, low, high = corrected_interval(
                    self.scores[metric][s], self.n_train, self.n_test
                )
                row[metric] = mean
                row[f"{metric} low"], row[f"{metric} high"] = low, high
            difference, _, p = corrected_ttest(
                self.scores[first][s],
                self.scores[first][base],
                self.n_train,
                self.n_test,
            )
            row["vs baseline"] = difference if s != base else 0.0
            row["p vs baseline"] = p if s != base else math.nan
            with warnings.catch_warnings():  # a strategy with no fold scored
                warnings.simplefilter("ignore", RuntimeWarning)
                row["recall per class"] = np.nanmean(self.recall[s], axis=0).tolist()
            row["fit time"] = (
                float(np.nanmean(self.fit_time[s])) if row["folds"] else math.nan
            )
            out.append(row)
        return out

    def to_frame(self):
        """The :meth:`rows` as a pandas DataFrame, one row per strategy.

        Returns
        -------
        frame : pandas.DataFrame
        """
        import pandas

        return pandas.DataFrame(self.rows()).set_index("strategy")

    # -- the recommendation -----------------------------------------------

    @property
    def recommendation(self):
        """The strategy the stated rule picks (see :attr:`reason`)."""
        return self._recommend()[0]

    @property
    def reason(self):
        """Why: the rule, with the figures it was applied to."""
        return self._recommend()[1]

    def _recommend(self):
        first = self.metrics[0]
        rows = {row["strategy"]: row for row in self.rows()}
        usable = [
            name
            for name, row in rows.items()
            if row["failed folds"] == 0 and row["folds"] >= 2
        ]
        base = rows[self.baseline]
        if self.baseline not in usable or len(usable) == 1:
            return self.baseline, (
                f"{self.baseline}, the baseline: too few folds to compare "
                f"({base['folds']} scored)."
            )
        best = max(usable, key=lambda name: rows[name][first])
        scores = self.scores[first][self.strategies.index(best)]
        se = math.sqrt(corrected_variance(scores, self.n_train, self.n_test))
        if best == self.baseline:
            return self.baseline, (
                f"{self.baseline}: it scores best on {first} "
                f"({rows[best][first]:.3f}), and it is the simplest remedy."
            )
        if not rows[best]["p vs baseline"] <= SIGNIFICANCE:
            return self.baseline, (
                f"{self.baseline}: no strategy beats it clearly on {first} (the "
                f"best, {best}, by {rows[best]['vs baseline']:+.3f}, p = "
                f"{rows[best]['p vs baseline']:.2f} by the corrected paired "
                f"t-test; {SIGNIFICANCE} needed), so the simplest remedy stays."
            )
        near = [
            name
            for name in usable
            if rows[name][first] >= rows[best][first] - se
            and rows[name]["p vs baseline"] <= SIGNIFICANCE
        ]
        chosen = min(
            near, key=lambda name: (rows[name]["simplicity"], -rows[name][first])
        )
        return chosen, (
            f"{chosen}: the simplest strategy within one standard error "
            f"({se:.3f}, corrected) of the best on {first} ({best}, "
            f"{rows[best][first]:.3f}), and better than {self.baseline} by "
            f"{rows[chosen]['vs baseline']:+.3f} (p = "
            f"{rows[chosen]['p vs baseline']:.3f}, corrected paired t-test)."
        )

    # -- drawing ----------------------------------------------------------

    def plot(self):
        """Fold scores per strategy (dots, with the mean and interval) and
        per-class recall (a grid); needs matplotlib.

        Returns
        -------
        figure : matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        first = self.metrics[0]
        rows = self.rows()
        figure, (left, right) = plt.subplots(
            1, 2, figsize=(12, 0.45 * len(rows) + 1.5), width_ratios=[3, 2]
        )
        for s, row in enumerate(rows):
            values = self.scores[first][s]
            left.plot(values, np.full(len(values), s), "o", color="tab:blue", alpha=0.5)
            if not math.isnan(row[f"{first} low"]):
                left.plot(
                    [row[f"{first} low"], row[f"{first} high"]], [s, s], color="k"
                )
            left.plot([row[first]], [s], "|", color="k", markersize=14)
        left.set_yticks(range(len(rows)), [row["strategy"] for row in rows])
        left.invert_yaxis()
        left.set_xlabel(f"{first} (each fold; mean and 95 % interval)")
        grid = np.array([row["recall per class"] for row in rows])
        right.imshow(grid, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        right.set_yticks(range(len(rows)), [""] * len(rows))
        right.set_xticks(range(len(self.classes)), [str(c) for c in self.classes])
        right.set_xlabel("recall per class")
        figure.tight_layout()
        return figure
