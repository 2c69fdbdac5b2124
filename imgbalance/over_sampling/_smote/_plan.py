"""What SMOTE makes, before any pixel: for each synthetic image of a class,
its source, the neighbour it moves towards and the gap, drawn as
imbalanced-learn's SMOTE draws them."""

import warnings

import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

__all__ = ["check_class_size", "plain_label", "plan_smote"]


def plan_smote(embedding, y, sampling_strategy, k_neighbors, random_state, n_jobs):
    """Sources, neighbours and gaps of SMOTE's synthetic samples, and the
    neighbours used for each class.

    Draws what :class:`imblearn.over_sampling.SMOTE` draws on the same
    data: for each class to grow (in ``sampling_strategy``'s order), the
    ``k`` nearest neighbours of each of its samples within the class, then
    ``randint(0, n_class * k)`` picking a (sample, neighbour) pair and
    ``uniform()`` the gap, from ``check_random_state(random_state)`` taken
    anew for each class, as SMOTE does. A class with ``k_neighbors`` or
    fewer samples uses ``n_class - 1`` neighbours, with a warning naming it.

    Parameters
    ----------
    embedding : ndarray of shape (n_samples, n_components)
    y : ndarray of shape (n_samples,)
    sampling_strategy : dict
        Class label to the number of samples to add.
    k_neighbors : int
    random_state : int, RandomState instance or None
    n_jobs : int or None
        Jobs of the neighbour search.

    Returns
    -------
    sources, neighbors : ndarray of shape (n_new,), intp
        Positions in ``embedding`` of each synthetic sample's source and of
        the neighbour it moves towards.
    gaps : ndarray of shape (n_new,), float64
        The fraction of the way from source to neighbour, in [0, 1).
    used : dict
        Each grown class (as a plain Python value) to the neighbours used.
    """
    sources, neighbors, gaps, used = [], [], [], {}
    for label, n_new in sampling_strategy.items():
        if n_new == 0:
            continue
        members = np.flatnonzero(y == label)
        k = _class_k(label, len(members), k_neighbors)
        used[plain_label(label)] = k
        search = NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs)
        search.fit(embedding[members])
        nearest = search.kneighbors(embedding[members], return_distance=False)[:, 1:]
        rng = check_random_state(random_state)
        pairs = rng.randint(low=0, high=nearest.size, size=n_new)
        gaps.append(rng.uniform(size=n_new))
        rows, cols = np.divmod(pairs, k)
        sources.append(members[rows])
        neighbors.append(members[nearest[rows, cols]])
    if not sources:
        return np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0), used
    return (
        np.concatenate(sources).astype(np.intp),
        np.concatenate(neighbors).astype(np.intp),
        np.concatenate(gaps),
        used,
    )


def check_class_size(label, n_members):
    label = label.item() if isinstance(label, np.generic) else label
    if n_members < 2:
        raise ValueError(
            f"Class {label!r} has {n_members} sample; SMOTE needs at least 2 "
            "images of a class to interpolate between. Grow it with "
            "AugmentingOverSampler or RandomImageOverSampler, or leave it out "
            "of sampling_strategy."
        )


def plain_label(label):
    """A numpy scalar label as the Python value ``np.unique(...).tolist()``
    gives (the keys of a count dict)."""
    return label.item() if isinstance(label, np.generic) else label


def _class_k(label, n_members, k_neighbors):
    """Neighbours used for a class: ``k_neighbors``, fewer for a small class."""
    check_class_size(label, n_members)
    label = label.item() if isinstance(label, np.generic) else label
    if n_members <= k_neighbors:
        warnings.warn(
            f"Class {label!r} has {n_members} samples, too few for "
            f"k_neighbors={k_neighbors}; using {n_members - 1} neighbours for it.",
            UserWarning,
            stacklevel=3,
        )
        return n_members - 1
    return k_neighbors
