"""The balancing strategies compared by ``compare_strategies``: what each
is, how simple it is, and how to apply it; the features chosen for the
images when none are given."""

from dataclasses import dataclass

import numpy as np

__all__ = ["Strategy", "auto_features", "halfway", "standard_panel"]


@dataclass(frozen=True)
class Strategy:
    """One remedy to compare: a sampler before the features, and the
    classifier's ``class_weight``.

    Parameters
    ----------
    name : str
        What the comparison calls it.
    sampler : sampler or "passthrough"
        An imbalanced-learn sampler fitted on each training fold before
        the features (``"passthrough"``: none).
    class_weight : dict, "balanced" or None
        The classifier's ``class_weight`` with it.
    simplicity : int
        Orders remedies for the recommendation: of strategies scoring
        alike, the one with the smallest is recommended (0: no remedy).
    method : str or None, default=None
        The ``imgbalance balance --method`` that applies it to a folder;
        None where only a pipeline does.

    Examples
    --------
    >>> from imgbalance.model_selection import Strategy
    >>> from imgbalance.over_sampling import RandomImageOverSampler
    >>> Strategy("over-sampling to 80 %",
    ...          RandomImageOverSampler(sampling_strategy=0.8), None, 2).name
    'over-sampling to 80 %'
    """

    name: str
    sampler: object
    class_weight: object
    simplicity: int
    method: str = None


class halfway:
    """A ``sampling_strategy``: every class grown halfway to the largest
    one's size (a moderate over-sampling, for beside class weights)."""

    def __call__(self, y):
        labels, counts = np.unique(np.asarray(y), return_counts=True)
        largest = counts.max()
        return {
            (label.item() if isinstance(label, np.generic) else label): int(
                (count + largest) // 2
            )
            for label, count in zip(labels, counts)
        }

    def __repr__(self):
        return "halfway()"


def standard_panel(random_state):
    """The ``"standard"`` panel: what imgbalance offers, simplest first."""
    from imblearn.under_sampling import EditedNearestNeighbours

    from ..augment import TrivialAugment
    from ..over_sampling import (
        AugmentingOverSampler,
        EmbeddingSMOTE,
        RandomImageOverSampler,
    )
    from ..under_sampling import EmbeddingUnderSampler, RandomImageUnderSampler

    seed = random_state
    return [
        Strategy("none", "passthrough", None, 0),
        Strategy("class weights", "passthrough", "balanced", 1),
        Strategy(
            "random over-sampling",
            RandomImageOverSampler(random_state=seed),
            None,
            2,
            "random",
        ),
        Strategy(
            "random under-sampling",
            RandomImageUnderSampler(random_state=seed),
            None,
            2,
        ),
        Strategy(
            "moderate over-sampling + class weights",
            RandomImageOverSampler(sampling_strategy=halfway(), random_state=seed),
            "balanced",
            3,
        ),
        Strategy(
            "augmentation", AugmentingOverSampler(random_state=seed), None, 4, "augment"
        ),
        Strategy(
            "augmentation (TrivialAugment)",
            AugmentingOverSampler(augmenter=TrivialAugment(), random_state=seed),
            None,
            4,
        ),
        Strategy(
            "embedding under-sampling",
            EmbeddingUnderSampler(random_state=seed),
            None,
            5,
        ),
        Strategy("EmbeddingSMOTE", EmbeddingSMOTE(random_state=seed), None, 5, "smote"),
        Strategy(
            "EmbeddingSMOTE + ENN",
            EmbeddingSMOTE(
                cleaner=EditedNearestNeighbours(sampling_strategy="all"),
                random_state=seed,
            ),
            None,
            6,
        ),
    ]


def auto_features(images):
    """Features for ``images`` (an ``(n, h, w[, c])`` array) when none are
    given, standardised: the pixels of images under 16 pixels a side;
    otherwise Gabor energies of the gray image (the mean and deviation of
    12 filters' response, at 0.2, 0.3 and 0.4 cycles per pixel): 24
    features that describe texture and shape, few enough for classes of a
    handful of images (HOG's hundreds of features let a classifier fit
    such classes by heart; docs/quality.md has the figures)."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..features import GaborFeatures, PixelFeatures

    if max(images.shape[1:3]) < 16:
        return make_pipeline(PixelFeatures(), StandardScaler())
    return make_pipeline(GaborFeatures(frequencies=(0.2, 0.3, 0.4)), StandardScaler())
