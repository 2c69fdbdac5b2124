"""Cross-validated comparison of balancing strategies on an image
collection, with honest uncertainty and a recommendation."""

import numbers
import time
import traceback

import numpy as np

from ._comparison import StrategyComparison
from ._panel import Strategy, auto_features, standard_panel

__all__ = ["compare_strategies"]

METRICS = ("balanced_accuracy", "f1_macro", "geometric_mean")
# images are compared at this size at most (their side, in pixels): what
# the strategies differ by shows at it, and the comparison stays quick
WORKING_SIDE = 64


def _images(X):
    """``X`` as one array, read once: files decoded, several sizes (or
    sides above ``WORKING_SIDE``) resized to one, several modes made one."""
    from .._contract._collection import check_image_collection
    from ..features import ImageLoader

    collection = check_image_collection(X)
    if collection.kind == "images":
        images = collection.data
        if max(images.shape[1:3]) <= WORKING_SIDE:
            return images
        side = (min(images.shape[1], WORKING_SIDE), min(images.shape[2], WORKING_SIDE))
        return ImageLoader(size=side).fit_transform(images)
    if collection.kind == "table":
        raise ValueError(
            "X is a 2-D array: compare_strategies works on images (n, h, w[, c]) "
            "or a sequence of paths, PIL images or arrays; reshape the rows."
        )
    try:
        images = ImageLoader().fit_transform(X)
    except ValueError:  # several sizes: one
        return ImageLoader(size=(WORKING_SIDE, WORKING_SIDE)).fit_transform(X)
    if max(images.shape[1:3]) > WORKING_SIDE:
        side = (min(images.shape[1], WORKING_SIDE), min(images.shape[2], WORKING_SIDE))
        return ImageLoader(size=side).fit_transform(images)
    return images


def _folds(y, cv, groups, random_state):
    """The (train, test) positions of every fold."""
    from sklearn.model_selection import (
        RepeatedStratifiedKFold,
        StratifiedGroupKFold,
        check_cv,
    )

    if cv is not None:
        return list(check_cv(cv, y, classifier=True).split(np.zeros(len(y)), y, groups))
    smallest = int(np.bincount(np.unique(y, return_inverse=True)[1].ravel()).min())
    if smallest < 2:
        raise ValueError(
            "a class of y has one image; cross-validation needs at least two "
            "images of every class (a train and a test fold)."
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


def _pipeline(strategy, features, classifier):
    """The strategy's pipeline: its sampler, the features (a pipeline of
    them laid flat: imbalanced-learn's takes no pipeline within), the
    classifier with the strategy's class weights."""
    from imblearn.pipeline import Pipeline
    from sklearn.base import clone

    model = clone(classifier)
    if "class_weight" in model.get_params():
        model.set_params(class_weight=strategy.class_weight)
    sampler = strategy.sampler
    sampler = sampler if isinstance(sampler, str) else clone(sampler)
    steps = getattr(features, "steps", None) or [("features", features)]
    steps = [(name, clone(step)) for name, step in steps]
    return Pipeline([("sampler", sampler), *steps, ("clf", model)])


def _score_fold(strategy, features, classifier, images, y, fold, classes):
    """Fit and score one strategy on one fold: the scores, per-class
    recall, seconds, and the reason of a failure (or None)."""
    import warnings

    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

    train, test = fold
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():  # tiny folds: metrics and samplers warn
            warnings.simplefilter("ignore")
            model = _pipeline(strategy, features, classifier)
            model.fit(images[train], y[train])
            predicted = model.predict(images[test])
            scores = {
                "balanced_accuracy": balanced_accuracy_score(y[test], predicted),
                "f1_macro": f1_score(y[test], predicted, average="macro"),
                "geometric_mean": geometric_mean_score(y[test], predicted),
            }
            recall = recall_score(
                y[test], predicted, labels=classes, average=None, zero_division=0
            )
    except Exception as exc:  # a strategy that cannot work on this fold
        reason = " ".join(str(exc).split()) or traceback.format_exception_only(exc)[-1]
        return None, None, time.perf_counter() - start, reason
    return scores, recall, time.perf_counter() - start, None


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
    stated rule that is robust with tiny classes: the baseline unless some
    strategy beats it by the corrected paired test (p <= 0.05); then the
    simplest strategy within one standard error of the best.

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
        ``"auto"``: pixels for images of 32 x 32 or fewer, HOG otherwise,
        standardised.
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
        Seconds after which no further round of folds is started: the
        comparison ends cleanly with the folds done (``complete`` False).
    progress : callable or None, default=None
        Called as ``progress(done, total)`` with the fits done and planned.

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
    from joblib import Parallel, delayed
    from sklearn.linear_model import LogisticRegression

    panel = _panel(strategies, random_state)
    if max_time is not None and not (
        isinstance(max_time, numbers.Real) and max_time > 0
    ):
        raise ValueError(f"max_time must be a number of seconds > 0; got {max_time!r}.")
    images = _images(X)
    y = np.asarray(y)
    if len(y) != len(images):
        raise ValueError(f"X has {len(images)} images but y has {len(y)} labels.")
    classes = np.unique(y)
    features = (
        auto_features(images)
        if isinstance(features, str) and features == "auto"
        else features
    )
    classifier = LogisticRegression(max_iter=1000) if classifier is None else classifier
    folds = _folds(y, cv, groups, random_state)
    n_s, n_f = len(panel), len(folds)
    scores = {m: np.full((n_s, n_f), np.nan) for m in METRICS}
    recall = np.full((n_s, n_f, len(classes)), np.nan)
    fit_time = np.full((n_s, n_f), np.nan)
    failures, start, complete = [], time.perf_counter(), True
    with Parallel(n_jobs=n_jobs) as parallel:
        for f, fold in enumerate(folds):  # a round: every strategy on one fold
            if (
                max_time is not None
                and f
                and time.perf_counter() - start > max_time * f / (f + 1)
            ):
                complete = False
                break
            results = parallel(
                delayed(_score_fold)(s, features, classifier, images, y, fold, classes)
                for s in panel
            )
            for s, (fold_scores, fold_recall, seconds, reason) in enumerate(results):
                fit_time[s, f] = seconds
                if reason is not None:
                    failures.append(
                        {"strategy": panel[s].name, "fold": f, "reason": reason}
                    )
                    continue
                for metric in METRICS:
                    scores[metric][s, f] = fold_scores[metric]
                recall[s, f] = fold_recall
            if progress is not None:
                progress(n_s, n_s * n_f)
    n_train = float(np.mean([len(train) for train, _ in folds]))
    n_test = float(np.mean([len(test) for _, test in folds]))
    names = [s.name for s in panel]
    return StrategyComparison(
        names,
        [s.simplicity for s in panel],
        METRICS,
        scores,
        recall,
        fit_time,
        classes,
        failures=failures,
        n_train=n_train,
        n_test=n_test,
        baseline="class weights" if "class weights" in names else names[0],
        complete=complete,
        methods=[s.method for s in panel],
        samplers=[s.sampler for s in panel],
        class_weights=[s.class_weight for s in panel],
        features=features,
        classifier=classifier,
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
