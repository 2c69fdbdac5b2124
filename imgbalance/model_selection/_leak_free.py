"""Splits of image collections that keep near-duplicates on one side: the
groups, a wrapper for scikit-learn's group splitters, and a train/test
split."""

import numbers

import numpy as np
from sklearn.utils import check_random_state

from .._contract._collection import check_image_collection
from .._contract._labels import check_label_values
from ..duplicates._finding import threshold_for
from ..duplicates._hash_groups import hash_groups
from ..duplicates._hashing import hash_images
from ._parts import (
    assign_parts,
    exact_shares,
    fraction_targets,
    union_groups,
)

__all__ = ["NearDuplicateSplit", "near_duplicate_groups", "train_test_split"]


def near_duplicate_groups(
    X, *, groups=None, hash="perceptual", hash_size=8, threshold=None
):
    """A group number for every image: near-duplicates share one.

    Give the result to a group-aware splitter of scikit-learn
    (:class:`~sklearn.model_selection.StratifiedGroupKFold`,
    :class:`~sklearn.model_selection.GroupShuffleSplit`...) so that no
    image has a near-duplicate (a re-encoded, resized, brightened copy, a
    shot of a burst) on the other side of a split.

    Parameters
    ----------
    X : image collection
        An ``(n, h, w[, c])`` array, or a sequence of paths, PIL images or
        arrays (sizes may differ).
    groups : array-like of shape (n,) or None, default=None
        Groups known already, such as those of
        :func:`~imgbalance.folder.manifest_groups` (a source and the images
        made from it): joined with the near-duplicate ones.
    hash : {"perceptual", "difference", "average"}, default="perceptual"
        The hash compared (see :func:`imgbalance.duplicates.find_duplicates`).
    hash_size : int, default=8
        Hashes of ``hash_size ** 2`` bits.
    threshold : int or None, default=None
        The largest Hamming distance, in bits, of two near-duplicates; None:
        the hash's default (6 of 64 bits for the perceptual hash).

    Returns
    -------
    groups : ndarray of shape (n,), int64
        Numbered from 0 in order of each group's first image.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.model_selection import near_duplicate_groups
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (4, 64, 64), dtype=np.uint8)
    >>> X[3] = np.clip(X[1] * 1.05, 0, 255)  # a brighter copy of image 1
    >>> near_duplicate_groups(X).tolist()
    [0, 1, 2, 1]
    >>> near_duplicate_groups(X, groups=[0, 0, 5, 6]).tolist()  # 0 and 1 known alike
    [0, 0, 1, 0]
    """
    hashes = hash_images(X, hash, hash_size)
    found = hash_groups(hashes, threshold_for(hash, hash_size, threshold))
    if groups is None:
        return found
    groups = np.asarray(groups)
    if groups.shape != (len(found),):
        raise ValueError(
            f"groups has shape {groups.shape}; give one group per image of X "
            f"({len(found)})."
        )
    return union_groups(found, groups)


class NearDuplicateSplit:
    """Any group splitter of scikit-learn, with near-duplicate images in one
    group: a cross-validator for ``cv=``.

    Each :meth:`split` hashes the images of ``X``, joins near-duplicates
    (and the ``groups`` given) in groups, and hands them to ``cv``: a test
    fold never holds a near-duplicate of a training image. Use it where
    ``cv=`` is taken (``GridSearchCV``, ``cross_validate``), where the
    groups could not be passed by hand.

    Parameters
    ----------
    cv : group splitter or None, default=None
        A splitter taking ``groups`` (``StratifiedGroupKFold``, ``GroupKFold``,
        ``GroupShuffleSplit``...); None gives
        ``StratifiedGroupKFold(n_splits=5)``.
    hash, hash_size, threshold : str, int, int or None
        As for :func:`near_duplicate_groups`.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.model_selection import NearDuplicateSplit
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (12, 32, 32), dtype=np.uint8)
    >>> X[6:] = np.clip(X[:6] * 1.05, 0, 255)  # a copy of each of the first six
    >>> y = np.array([0, 1] * 6)
    >>> cv = NearDuplicateSplit()
    >>> cv.get_n_splits()
    5
    >>> all(not set(train % 6) & set(test % 6) for train, test in cv.split(X, y))
    True
    """

    def __init__(self, cv=None, *, hash="perceptual", hash_size=8, threshold=None):
        self.cv = cv
        self.hash = hash
        self.hash_size = hash_size
        self.threshold = threshold

    def _cv(self):
        if self.cv is not None:
            return self.cv
        from sklearn.model_selection import StratifiedGroupKFold

        return StratifiedGroupKFold(n_splits=5)

    def split(self, X, y=None, groups=None):
        """Train and test positions of each split.

        Parameters
        ----------
        X : image collection
        y : array-like of shape (n,) or None, default=None
        groups : array-like of shape (n,) or None, default=None
            Groups known already, joined with the near-duplicate ones.

        Yields
        ------
        train, test : ndarray of int
        """
        found = near_duplicate_groups(
            X,
            groups=groups,
            hash=self.hash,
            hash_size=self.hash_size,
            threshold=self.threshold,
        )
        yield from self._cv().split(np.zeros((len(found), 1)), y, found)

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of splits of ``cv``.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
        """
        return self._cv().get_n_splits()

    def __repr__(self):
        return f"NearDuplicateSplit(cv={self._cv()!r})"


def train_test_split(
    X,
    y,
    *,
    test_size=0.25,
    random_state=None,
    groups=None,
    hash="perceptual",
    hash_size=8,
    threshold=None,
):
    """Split an image collection in train and test parts without leaks.

    Like scikit-learn's ``train_test_split(..., stratify=y)``, but groups
    of near-duplicate images (and the ``groups`` given) stay on one side
    whole, and each class's test count is within one image of its exact
    share wherever the groups allow it.

    Parameters
    ----------
    X : image collection
        An ``(n, h, w[, c])`` array, or a sequence of paths, PIL images or
        arrays.
    y : array-like of shape (n,)
        The labels.
    test_size : float in (0, 1), default=0.25
        The share of each class in the test part.
    random_state : int, RandomState instance or None, default=None
        Seed of the order groups and images are placed in.
    groups : array-like of shape (n,) or None, default=None
        Groups known already (a source and what was made from it).
    hash, hash_size, threshold : str, int, int or None
        As for :func:`near_duplicate_groups`.

    Returns
    -------
    X_train, X_test : same container as X
    y_train, y_test : ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.model_selection import train_test_split
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (20, 32, 32), dtype=np.uint8)
    >>> X[10:] = np.clip(X[:10] * 1.05, 0, 255)  # a copy of each of the first ten
    >>> y = np.array([0] * 5 + [1] * 5 + [0] * 5 + [1] * 5)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> np.bincount(y_test).tolist()
    [2, 2]
    """
    if not (isinstance(test_size, numbers.Real) and 0 < test_size < 1):
        raise ValueError(f"test_size must be a float in (0, 1); got {test_size!r}.")
    check_label_values(y)
    collection = check_image_collection(X)
    y = np.asarray(y)
    if len(y) != len(collection):
        raise ValueError(
            f"X has {len(collection)} images but y has {len(y)} labels; give "
            "one label per image."
        )
    found = near_duplicate_groups(
        X, groups=groups, hash=hash, hash_size=hash_size, threshold=threshold
    )
    _, labels, counts = np.unique(y, return_inverse=True, return_counts=True)
    shares = [1 - test_size, test_size]
    parts = assign_parts(
        labels.ravel(),
        found,
        fraction_targets(counts, shares),
        check_random_state(random_state),
        exact_shares(counts, shares),
    )
    train, test = np.flatnonzero(parts == 0), np.flatnonzero(parts == 1)
    X_out = collection.take
    if collection.kind == "sequence" and isinstance(X, list):
        return ([X[i] for i in train], [X[i] for i in test], y[train], y[test])
    return X_out(train), X_out(test), y[train], y[test]
