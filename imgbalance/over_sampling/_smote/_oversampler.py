"""An imbalanced-learn over-sampler run on the embedding of the images:
what it makes, and the real image each synthetic embedding is nearest to."""

import numpy as np
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import SMOTEN, SMOTENC
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from ...utils._caller import warn
from ._plan import plain_label

__all__ = ["check_oversampler", "nearest_of_class", "oversample"]


def check_oversampler(oversampler):
    """Refuse imbalanced-learn's combinations, which remove images, and its
    over-samplers made for categorical features (an embedding is
    continuous)."""
    if isinstance(oversampler, (SMOTEENN, SMOTETomek)):
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() cleans as it grows, "
            "removing images of X; EmbeddingSMOTE's oversampler only adds. "
            "Give the parts apart: oversampler=SMOTE() (or another "
            "over-sampler) and cleaner=EditedNearestNeighbours() (or "
            "TomekLinks())."
        )
    if isinstance(oversampler, (SMOTEN, SMOTENC)):
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() is made for categorical "
            "features, and an embedding of images is continuous; use SMOTE, "
            "BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE or RandomOverSampler."
        )


def _warn_if_short(oversampler, targets, have, new_labels):
    """Warn when the over-sampler made less than 90 % of what a class was
    asked to grow by (BorderlineSMOTE without points in danger makes none)."""
    labels, made = np.unique(new_labels, return_counts=True)
    made = dict(zip(labels.tolist(), made.tolist()))
    short = []
    for label, target in targets.items():
        asked = target - have[plain_label(label)]
        got = made.get(plain_label(label), 0)
        if got < 0.9 * asked:
            short.append(f"{plain_label(label)!r}: {got} of {asked}")
    if short:
        warn(
            f"oversampler={type(oversampler).__name__}() made fewer images than "
            f"asked ({'; '.join(short)}); this is its own count on the embedding "
            "(BorderlineSMOTE grows only from points in danger, SVMSMOTE from "
            "support vectors). The output is not balanced."
        )


def oversample(oversampler, embedding, y, sampling_strategy, random_state):
    """A clone of ``oversampler`` run on the embedding of every image:
    the synthetic embeddings, their labels, (for a sampler that copies
    rows, such as RandomOverSampler) the positions copied, else None, and
    the fitted clone."""
    oversampler = clone(oversampler)
    labels, counts = np.unique(y, return_counts=True)
    have = dict(zip(labels.tolist(), counts.tolist()))
    # imbalanced-learn's dict for over-sampling is the size to reach
    targets = {
        label: have[plain_label(label)] + int(n_new)
        for label, n_new in sampling_strategy.items()
        if n_new
    }
    params = {"sampling_strategy": targets}
    if oversampler.get_params(deep=False).get("random_state", 0) is None:
        params["random_state"] = check_random_state(random_state).randint(
            np.iinfo(np.int32).max
        )
    oversampler.set_params(**params)
    try:
        embedding_res, y_res = oversampler.fit_resample(embedding, y)
    except (ValueError, RuntimeError) as error:
        sizes = ", ".join(f"{plain_label(k)!r}: {v}" for k, v in have.items())
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() could not grow the "
            f"classes in the embedding (class sizes {{{sizes}}}): {error}"
        ) from error
    embedding_res, y_res = np.asarray(embedding_res), np.asarray(y_res)
    n = len(y)
    kept = (
        len(y_res) >= n
        and np.array_equal(y_res[:n], y)
        and np.array_equal(embedding_res[:n], embedding)
    )
    if not kept:
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() removed or moved "
            "images of X (it cleans as it grows); EmbeddingSMOTE keeps "
            "every image and adds to them. Use an over-sampler here (SMOTE, "
            "BorderlineSMOTE...) and clean the result afterwards."
        )
    _warn_if_short(oversampler, targets, have, y_res[n:])
    copied = getattr(oversampler, "sample_indices_", None)
    if copied is not None and getattr(oversampler, "shrinkage", None) is None:
        copied = np.asarray(copied)[n:]  # copies, not a smoothed bootstrap
    else:
        copied = None
    return embedding_res[n:], y_res[n:], copied, oversampler


def nearest_of_class(embedding, y, new_embedding, new_labels, n_jobs):
    """For each synthetic embedding, the nearest real one of its class."""
    nearest = np.empty(len(new_labels), dtype=np.intp)
    for label in np.unique(new_labels):
        members = np.flatnonzero(y == label)
        chosen = np.flatnonzero(new_labels == label)
        search = NearestNeighbors(n_neighbors=1, n_jobs=n_jobs)
        search.fit(embedding[members])
        found = search.kneighbors(new_embedding[chosen], return_distance=False)
        nearest[chosen] = members[found[:, 0]]
    return nearest
