"""What every comparison fit shares: the images at the working size, a
strategy's pipeline, and one fit scored (on a fold, or on held-out images)."""

import contextlib
import time
import traceback
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["FitResult", "Scorer", "WORKING_SIDE", "quiet_workers", "working_images"]

# images are compared at this size at most (their side, in pixels): what
# the strategies differ by shows at it, and the comparison stays quick
WORKING_SIDE = 64


def working_images(X):
    """``X`` as one array, read once: files decoded, several sizes (or
    sides above ``WORKING_SIDE``) resized to one, several modes made one."""
    from .._contract._collection import check_image_collection
    from ..features import ImageLoader

    collection = check_image_collection(X)
    if collection.kind == "table":
        raise ValueError(
            "X is a 2-D array: compare_strategies works on images (n, h, w[, c]) "
            "or a sequence of paths, PIL images or arrays; reshape the rows."
        )
    if collection.kind == "images":
        images = collection.data
    else:
        try:
            images = ImageLoader().fit_transform(X)
        except ValueError:  # several sizes: one
            side = (WORKING_SIDE, WORKING_SIDE)
            return ImageLoader(size=side).fit_transform(X)
    if max(images.shape[1:3]) <= WORKING_SIDE:
        return images
    side = (min(images.shape[1], WORKING_SIDE), min(images.shape[2], WORKING_SIDE))
    return ImageLoader(size=side).fit_transform(images)


@contextlib.contextmanager
def quiet_workers():
    """A context in which joblib's process pool does not warn that it
    replaced a worker whose memory grew (it does so by design, between
    fits on large images; the fits are unaffected)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs")
        yield


class FitResult(NamedTuple):
    """One fit scored: metric -> score and each class's recall (None where
    the fit failed), the seconds it took, and why it failed (or None)."""

    scores: dict
    recall: np.ndarray
    seconds: float
    reason: str


@dataclass(frozen=True)
class Scorer:
    """The features and classifier every strategy is fitted with, and the
    classes its recall is given for; ``cache`` (a
    :class:`~imgbalance.model_selection._feature_cache.FeatureCache` or
    None) holds the features of the comparison's images, computed once."""

    features: object
    classifier: object
    classes: np.ndarray
    cache: object = None

    def pipeline(self, strategy):
        """The strategy's pipeline: its sampler, the features (their steps
        laid flat: imbalanced-learn's pipeline takes no pipeline within),
        the classifier with the strategy's class weights."""
        from imblearn.pipeline import Pipeline
        from sklearn.base import clone

        model = clone(self.classifier)
        if "class_weight" in model.get_params():
            model.set_params(class_weight=strategy.class_weight)
        sampler = strategy.sampler
        sampler = sampler if isinstance(sampler, str) else clone(sampler)
        steps = getattr(self.features, "steps", None) or [("features", self.features)]
        steps = [(name, clone(step)) for name, step in steps]
        if self.cache is not None:  # its steps are the first ones
            from ._feature_cache import CachedFeatures

            steps = [("features", CachedFeatures(self.cache))] + steps[
                len(self.cache.steps) :
            ]
        return Pipeline([("sampler", sampler), *steps, ("clf", model)])

    def score(self, strategy, images, y, fold):
        """Fit ``strategy`` on ``images[train]`` and score it on
        ``images[test]``, ``fold`` being ``(train, test)`` positions."""
        from imblearn.metrics import geometric_mean_score
        from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

        from threadpoolctl import threadpool_limits

        train, test = fold
        start = time.perf_counter()
        try:
            # one BLAS thread: the same sums (and scores) whatever n_jobs, and
            # no threads fighting the processes of n_jobs for the cores
            with threadpool_limits(limits=1), warnings.catch_warnings():
                # tiny folds: metrics and samplers warn
                warnings.simplefilter("ignore")
                model = self.pipeline(strategy)
                model.fit(images[train], y[train])
                predicted = model.predict(images[test])
                truth = y[test]
                scores = {
                    "balanced_accuracy": balanced_accuracy_score(truth, predicted),
                    "f1_macro": f1_score(truth, predicted, average="macro"),
                    "geometric_mean": geometric_mean_score(truth, predicted),
                }
                recall = recall_score(
                    truth, predicted, labels=self.classes, average=None, zero_division=0
                )
        except Exception as exc:  # a strategy that cannot work on this fold
            reason = " ".join(str(exc).split())
            reason = reason or traceback.format_exception_only(exc)[-1].strip()
            return FitResult(None, None, time.perf_counter() - start, reason)
        scores = {metric: float(value) for metric, value in scores.items()}
        return FitResult(scores, recall, time.perf_counter() - start, None)
