"""The cleaning after SMOTE in an embedding (the SMOTEENN / SMOTETomek
combinations on images): a cleaner run on the real and synthetic
embeddings, telling which of them to keep."""

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

__all__ = ["check_cleaner", "clean"]


def check_cleaner(cleaner):
    """Refuse what cannot say which images it keeps: over-samplers, and
    under-samplers that make new rows (ClusterCentroids)."""
    kind = getattr(cleaner, "_sampling_type", None)
    if kind not in ("clean-sampling", "under-sampling") or (
        type(cleaner).__name__ == "ClusterCentroids"
    ):
        raise ValueError(
            f"cleaner={type(cleaner).__name__}() does not keep a subset of the "
            "images it is given; use an imbalanced-learn cleaner "
            "(EditedNearestNeighbours, TomekLinks, ...) or an under-sampler "
            "that keeps samples (NearMiss, RandomUnderSampler, ...)."
        )


def clean(cleaner, embedding, y, random_state):
    """Run a clone of ``cleaner`` (its ``random_state``, if None, drawn
    from ``random_state``) on ``embedding`` and labels ``y``; returns the
    positions it keeps, in its order, and the fitted clone."""
    cleaner = clone(cleaner)
    if cleaner.get_params(deep=False).get("random_state", 0) is None:
        seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        cleaner.set_params(random_state=seed)
    cleaner.fit_resample(embedding, y)
    return np.asarray(cleaner.sample_indices_, dtype=np.intp), cleaner
