"""What ``compare_strategies`` found: the scores of every strategy on every
fold, their intervals, the paired tests against the baseline, per-class
recall, and the recommendation by a stated rule."""

import math
import warnings

import numpy as np

from ._recommendation import expected_gains, recommend
from ._stats import corrected_interval, corrected_ttest

__all__ = ["StrategyComparison"]


def _same_channels(images, like):
    """``images`` with the channels of ``like`` (gray made RGB, or RGB
    made gray by luma), both ``(n, h, w[, c])`` arrays."""
    if images.ndim == like.ndim:
        return images
    if like.ndim == 4:
        return np.repeat(images[..., None], like.shape[3], axis=3)
    from .._contract._modes import luma

    return luma(images).astype(images.dtype)


class StrategyComparison:
    """The result of :func:`~imgbalance.model_selection.compare_strategies`:
    every strategy's score on every fold, and what follows from them.

    Parameters
    ----------
    panel : list of Strategy
        The strategies compared, in order (simplest first for the standard
        panel).
    scores : dict
        Metric -> ndarray of shape (n_strategies, n_folds): each fold's
        score (NaN where the fold failed or was not run); the first metric
        decides.
    recall : ndarray of shape (n_strategies, n_folds, n_classes)
        Each class's recall on each fold.
    fit_time : ndarray of shape (n_strategies, n_folds)
        Seconds to fit (and predict) on each fold.
    scorer : object
        Its ``features``, ``classifier`` and ``classes`` (sorted): what
        every strategy was fitted with.
    folds : list of (train, test)
        The positions of every fold's images.
    failures : list of dict, default=()
        ``{"strategy", "fold", "reason"}`` of every fold a strategy could
        not be fitted on (a class too small for SMOTE's neighbours...).
    complete : bool, default=True
        False when a time budget ended the comparison before every fold.

    Attributes
    ----------
    strategies : list of str
        The names of the strategies of ``panel``.
    metrics : list of str
        The metrics of ``scores``.
    classes : ndarray
        The classes, sorted.
    n_train, n_test : float
        Mean images per training and test fold (for the corrected test).
    baseline : str
        The strategy every other one is tested against: class weights,
        when compared (else the first).
    recommendation, reason : str
        The strategy the stated rule picks, and why.

    Examples
    --------
    >>> from imgbalance.datasets import load_digits_images, make_imbalance
    >>> from imgbalance.model_selection import compare_strategies
    >>> images, target = load_digits_images(return_X_y=True)
    >>> X, y = make_imbalance(images, target, ratio=10, random_state=0)
    >>> result = compare_strategies(X, y, strategies=["none", "class weights"], cv=3)
    >>> result.scores["balanced_accuracy"].shape
    (2, 3)
    >>> result.baseline
    'class weights'
    >>> sorted(result.held_out(X[::2], y[::2], X[1::2], y[1::2]))
    ['class weights', 'none']
    """

    def __init__(
        self,
        panel,
        scores,
        recall,
        fit_time,
        *,
        scorer,
        folds,
        failures=(),
        complete=True,
    ):
        self.panel = list(panel)
        self.strategies = [strategy.name for strategy in self.panel]
        self.simplicity = [strategy.simplicity for strategy in self.panel]
        self.metrics, self.scores = list(scores), scores
        self.recall, self.fit_time = recall, fit_time
        self.scorer, self.classes, self.folds = scorer, scorer.classes, folds
        self.n_train = float(np.mean([len(train) for train, _ in folds]))
        self.n_test = float(np.mean([len(test) for _, test in folds]))
        self.failures, self.complete = list(failures), complete
        self.baseline = (
            "class weights"
            if "class weights" in self.strategies
            else self.strategies[0]
        )

    # -- per strategy -----------------------------------------------------

    def _folds_run(self):
        first = self.scores[self.metrics[0]]
        return int(np.count_nonzero(~np.all(np.isnan(first), axis=0)))

    def rows(self):
        """One dict per strategy: folds scored and failed; for each metric
        its mean and 95 % interval (corrected for overlapping training
        sets); the mean difference with the baseline on the first metric,
        the corrected paired test's p-value and the expected gain (the
        difference weighed against its noise: the recommendation's rule);
        the mean per-class recall and fit time."""
        first = self.metrics[0]
        base = self.strategies.index(self.baseline)
        gains = expected_gains(self)
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
            row["expected gain"] = (
                0.0 if s == base else gains.get(name, (0, 0, math.nan))[2]
            )
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

    def held_out(self, X, y, X_test, y_test, *, n_jobs=None):
        """Every strategy fitted on all of ``X`` and scored on ``X_test``:
        how the comparison's ranking holds on images it never saw.

        Parameters
        ----------
        X : image collection
            The images compared (as given to ``compare_strategies``).
        y : array-like of shape (n,)
        X_test : image collection
            Held-out images, read as ``X`` was (resized to its size and
            made its mode where they differ).
        y_test : array-like of shape (n_test,)
        n_jobs : int or None, default=None
            Strategies fitted in parallel (joblib).

        Returns
        -------
        scores : dict
            Strategy -> ``{metric: score, "recall per class": list}``, or
            ``{"failed": reason}`` where the strategy could not be fitted.
        """
        from joblib import Parallel, delayed

        from ._fitting import quiet_workers, working_images

        images, test = working_images(X), working_images(X_test)
        if images.shape[1:] != test.shape[1:]:
            from ..features import ImageLoader

            test = ImageLoader(size=images.shape[1:3]).fit_transform(test)
            test = _same_channels(test, images)
        both = np.concatenate([images, test])
        labels = np.concatenate([np.asarray(y), np.asarray(y_test)])
        if len(labels) != len(both):
            raise ValueError(
                f"X and X_test have {len(both)} images but y and y_test "
                f"{len(labels)} labels."
            )
        fold = (np.arange(len(images)), np.arange(len(images), len(both)))
        with quiet_workers():
            results = Parallel(n_jobs=n_jobs)(
                delayed(self.scorer.score)(strategy, both, labels, fold)
                for strategy in self.panel
            )
        out = {}
        for strategy, result in zip(self.panel, results):
            if result.reason is not None:
                out[strategy.name] = {"failed": result.reason}
            else:
                recall = [float(r) for r in result.recall]
                out[strategy.name] = {**result.scores, "recall per class": recall}
        return out

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
        return recommend(self, self.rows())

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
