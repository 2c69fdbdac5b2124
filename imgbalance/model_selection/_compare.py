"""Cross-validated comparison of balancing strategies on an image
collection, with honest uncertainty and a recommendation."""

import math
import numbers
import time
from typing import NamedTuple

import numpy as np

from ..utils._pool import workers_lost_said
from ._comparison import StrategyComparison
from ._fitting import Scorer, quiet_workers, working_images
from ._panel import Strategy, auto_features, standard_panel

__all__ = ["Setup", "TimeBudget", "compare_strategies", "prepare", "run_rounds"]

METRICS = ("balanced_accuracy", "f1_macro", "geometric_mean")


class TimeBudget:
    """When to stop starting rounds of folds: ``seconds`` after
    ``started`` (a ``time.monotonic()``; None: now), keeping time for
    ``reserve`` more rounds' worth of work after the last (the held-out
    fits of ``imgbalance compare --test``). The first round always runs."""

    def __init__(self, seconds, started=None, reserve=0.0):
        if seconds is not None and not (
            isinstance(seconds, numbers.Real) and 0 < seconds < math.inf
        ):
            raise ValueError(
                f"max_time must be a number of seconds > 0; got {seconds!r}."
            )
        self.seconds, self.reserve = seconds, reserve
        self.started = time.monotonic() if started is None else started

    def allows(self, rounds, seconds):
        """Whether one more round fits, after ``rounds`` rounds that took
        ``seconds`` in all."""
        if self.seconds is None or rounds == 0:
            return True
        per_round = seconds / rounds
        elapsed = time.monotonic() - self.started
        return elapsed + per_round * (1 + self.reserve) <= self.seconds


def _folds(y, cv, groups, random_state):
    """The (train, test) positions of every fold."""
    from sklearn.model_selection import (
        RepeatedStratifiedKFold,
        StratifiedGroupKFold,
        check_cv,
    )

    if cv is not None:
        return list(check_cv(cv, y, classifier=True).split(np.zeros(len(y)), y, groups))
    labels, counts = np.unique(y, return_counts=True)
    smallest = int(counts.min())
    if smallest < 2:
        single = ", ".join(repr(str(label)) for label in labels[counts < 2])
        raise ValueError(
            f"class {single} has one image: cross-validation needs at least two "
            "images of every class (one for a training fold, one for a test "
            "fold); add images of it, or leave it out."
        )
    k = min(5, smallest)
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max)
    if groups is None:
        splitter = RepeatedStratifiedKFold(n_splits=k, n_repeats=2, random_state=seed)
        return list(splitter.split(np.zeros(len(y)), y))
    folds = []
    for repeat in range(2):
        splitter = StratifiedGroupKFold(
            n_splits=k, shuffle=True, random_state=seed + repeat
        )
        folds += list(splitter.split(np.zeros(len(y)), y, groups))
    return folds


def compare_strategies(
    X,
    y,
    *,
    strategies="standard",
    features="auto",
    classifier=None,
    cv=None,
    groups=None,
    n_jobs=None,
    random_state=0,
    max_time=None,
    progress=None,
):
    """Compare balancing strategies by cross-validation, with intervals and
    a recommendation.

    Each strategy (a sampler before the features, or class weights in the
    classifier) is fitted on the training folds and scored on the test
    folds of a repeated stratified cross-validation. The scores of folds
    whose training sets overlap are not independent: the intervals and
    the paired tests against the baseline (class weights) use Nadeau and
    Bengio's corrected resampled t-statistic. The recommendation follows a
    stated rule that is robust with tiny classes: each strategy's gain over
    the baseline is weighed against its noise (shrunk toward zero by a
    normal prior of spread 0.025, so that a gain measured on a few noisy
    folds counts for little), and the strategy with the largest expected
    gain is recommended, the baseline when none is expected to gain. The
    baseline also stays when the folds show nothing to choose on: when
    the strategies' balanced accuracy (their mean on each fold) is not
    above chance, one over the number of classes, by the corrected
    one-sided t-test at 0.05.

    Parameters
    ----------
    X : image collection
        An ``(n, h, w[, c])`` array, or a sequence of paths, PIL images or
        arrays; read once (at most 64 pixels a side, one size and mode).
    y : array-like of shape (n,)
    strategies : "standard" or list of Strategy, default="standard"
        The panel: none, class weights, random over- and under-sampling,
        moderate over-sampling with class weights, augmentation (default
        and TrivialAugment), embedding under-sampling, EmbeddingSMOTE and
        EmbeddingSMOTE + ENN.
    features : "auto" or transformer, default="auto"
        ``"auto"``: pixels for images under 16 pixels a side, Gabor
        energies of the gray image otherwise (24 features: few enough for
        classes of a handful of images), standardised.
    classifier : estimator or None, default=None
        None gives ``LogisticRegression(max_iter=1000)``; its
        ``class_weight`` is set by each strategy.
    cv : cross-validator, int or None, default=None
        None: stratified k-fold repeated twice, k = min(5, smallest class)
        (group-aware with ``groups``).
    groups : array-like of shape (n,) or None, default=None
        Images of one group stay on one side of every fold (near-duplicate
        groups, :func:`near_duplicate_groups`, or a balanced folder's
        :func:`~imgbalance.folder.manifest_groups`).
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib); the scores do not depend on it.
    random_state : int, default=0
        Seed of the folds and of the samplers.
    max_time : float or None, default=None
        Seconds for the comparison: a round of folds (every strategy on one
        fold) is not started when, at the pace of the rounds before, it
        would end after them; the first round always runs. The comparison
        then ends cleanly with the folds done (``complete`` False).
    progress : callable or None, default=None
        Called after each round of folds as ``progress(n, total)``: the
        fits just done, and the fits planned.

    Returns
    -------
    comparison : StrategyComparison

    Examples
    --------
    >>> from imgbalance.datasets import load_digits_images, make_imbalance
    >>> from imgbalance.model_selection import compare_strategies
    >>> images, target = load_digits_images(return_X_y=True)
    >>> X, y = make_imbalance(images, target, ratio=10, random_state=0)
    >>> result = compare_strategies(X[::3], y[::3], strategies=["class weights",
    ...                             "random over-sampling"], random_state=0)
    >>> result.strategies
    ['class weights', 'random over-sampling']
    >>> result.recommendation in result.strategies
    True
    """
    budget = TimeBudget(max_time)
    setup = prepare(
        X,
        y,
        strategies=strategies,
        features=features,
        classifier=classifier,
        cv=cv,
        groups=groups,
        random_state=random_state,
    )
    return run_rounds(setup, n_jobs, budget, progress)


class Setup(NamedTuple):
    """What a comparison runs: the panel, the images read once and their
    labels, the scorer (features, classifier, classes) and the folds."""

    panel: list
    images: np.ndarray
    y: np.ndarray
    scorer: Scorer
    folds: list


def prepare(X, y, *, strategies, features, classifier, cv, groups, random_state):
    """The :class:`Setup` of :func:`compare_strategies` (its arguments)."""
    from sklearn.linear_model import LogisticRegression

    panel = _panel(strategies, random_state)
    images = working_images(X)
    y = np.asarray(y)
    if len(y) != len(images):
        raise ValueError(f"X has {len(images)} images but y has {len(y)} labels.")
    if isinstance(features, str) and features == "auto":
        features = auto_features(images)
    classifier = LogisticRegression(max_iter=1000) if classifier is None else classifier
    scorer = Scorer(features, classifier, np.unique(y), _cache(features, images))
    return Setup(panel, images, y, scorer, _folds(y, cv, groups, random_state))


def _cache(features, images):
    """The features of ``images`` computed once, where the first steps of
    ``features`` compute each image's from that image alone (else None)."""
    from ._feature_cache import FeatureCache, per_image_steps

    n = per_image_steps(features)
    if n == 0:
        return None
    steps = getattr(features, "steps", None) or [("features", features)]
    return FeatureCache([step for _, step in steps[:n]], images)


def run_rounds(setup, n_jobs, budget, progress):
    """Every strategy on every fold, a round (every strategy on one fold)
    at a time while ``budget`` allows: the StrategyComparison."""
    from joblib import Parallel, delayed

    panel, folds, scorer = setup.panel, setup.folds, setup.scorer
    n_s, n_f = len(panel), len(folds)
    scores = {m: np.full((n_s, n_f), np.nan) for m in METRICS}
    recall = np.full((n_s, n_f, len(scorer.classes)), np.nan)
    fit_time = np.full((n_s, n_f), np.nan)
    failures, started, complete = [], time.monotonic(), True
    with quiet_workers(), workers_lost_said(), Parallel(n_jobs=n_jobs) as parallel:
        for f, fold in enumerate(folds):
            if not budget.allows(f, time.monotonic() - started):
                complete = False
                break
            results = parallel(
                delayed(scorer.score)(s, setup.images, setup.y, fold) for s in panel
            )
            for s, result in enumerate(results):
                fit_time[s, f] = result.seconds
                if result.reason is not None:
                    failures.append(
                        {"strategy": panel[s].name, "fold": f, "reason": result.reason}
                    )
                    continue
                for metric in METRICS:
                    scores[metric][s, f] = result.scores[metric]
                recall[s, f] = result.recall
            if progress is not None:
                progress(n_s, n_s * n_f)
    return StrategyComparison(
        panel,
        scores,
        recall,
        fit_time,
        scorer=scorer,
        folds=folds,
        failures=failures,
        complete=complete,
    )


def _panel(strategies, random_state):
    """The strategies to compare: the standard panel, some of it by name,
    or Strategy objects."""
    standard = {s.name: s for s in standard_panel(random_state)}
    if isinstance(strategies, str) and strategies == "standard":
        return list(standard.values())
    panel = []
    for item in strategies:
        if isinstance(item, Strategy):
            panel.append(item)
        elif isinstance(item, str) and item in standard:
            panel.append(standard[item])
        else:
            raise ValueError(
                f"strategies: {item!r} is not a Strategy nor one of "
                f"{', '.join(map(repr, standard))}."
            )
    if not panel:
        raise ValueError("strategies is empty; give 'standard' or some strategies.")
    return panel
