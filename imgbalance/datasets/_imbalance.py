"""Make a dataset imbalanced by the protocols of Buda, Maki & Mazurowski,
and by the long-tailed profile of Cui et al."""

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state

from ..under_sampling import RandomImageUnderSampler
from ..utils._constraints import Interval, StrOptions, validate_params

__all__ = ["make_imbalance"]


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "kind": [StrOptions({"step", "linear", "exponential"})],
        "ratio": [Interval(Real, 1, None, closed="left")],
        "minority_fraction": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_imbalance(
    X, y, *, kind="step", ratio=10.0, minority_fraction=0.5, random_state=None
):
    """Subsample a dataset into a controlled class imbalance.

    Implements the two protocols of Buda, Maki & Mazurowski (2018) and the
    long tail of Cui et al. (2019):

    - ``"step"``: a fraction ``minority_fraction`` of the classes (rounded,
      at least one and at most all but one) are minority classes of
      ``n_min`` images each; the others keep ``n_max`` images each.
    - ``"linear"``: class sizes rise linearly from ``n_min`` to ``n_max``.
    - ``"exponential"``: the long tail (CIFAR-10-LT and the like): class
      ``i`` of ``C`` (in the drawn order) keeps ``n_max * ratio ** (-i /
      (C - 1))`` images, rounded (at least one), from ``n_max`` down to
      ``n_max / ratio``.

    ``n_max`` is the size of the smallest class of ``y``, so that every class
    can be drawn without replacement, and ``n_min = max(1, round(n_max /
    ratio))``. Which classes become small is drawn with ``random_state``;
    the images kept in each class too. Works on every image collection of
    the input contract; the output is grouped by class, in sorted class
    order, and follows the input's container.

    Parameters
    ----------
    X : image collection of n_samples images
        Array ``(n, h, w[, c])``, 2-D array ``(n, features)``, or a sequence
        of paths, PIL images or arrays.

    y : array-like of shape (n_samples,)
        Class labels, at least two classes.

    kind : {"step", "linear", "exponential"}, default="step"
        The imbalance protocol.

    ratio : float >= 1, default=10.0
        Imbalance ratio: size of the largest class over the smallest.

    minority_fraction : float in (0, 1), default=0.5
        Share of the classes that are minority classes (``"step"`` only).

    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Returns
    -------
    X_imbalanced : image collection, same container as X
    y_imbalanced : ndarray or same container as y

    References
    ----------
    .. [1] M. Buda, A. Maki and M. A. Mazurowski, "A systematic study of the
       class imbalance problem in convolutional neural networks", Neural
       Networks 106, pp. 249-259, 2018.
    .. [2] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie,
       "Class-balanced loss based on effective number of samples", CVPR
       2019 (the long-tailed CIFAR protocol).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.datasets import make_imbalance
    >>> X = np.zeros((400, 8, 8), dtype=np.uint8)
    >>> y = np.repeat([0, 1, 2, 3], 100)
    >>> X_imb, y_imb = make_imbalance(X, y, kind="step", ratio=10,
    ...                               minority_fraction=0.5, random_state=0)
    >>> sorted(np.bincount(y_imb).tolist())
    [10, 10, 100, 100]
    >>> _, y_lin = make_imbalance(X, y, kind="linear", ratio=10, random_state=0)
    >>> sorted(np.bincount(y_lin).tolist())
    [10, 40, 70, 100]
    >>> _, y_exp = make_imbalance(X, y, kind="exponential", ratio=10, random_state=0)
    >>> sorted(np.bincount(y_exp).tolist())
    [10, 22, 46, 100]
    """
    classes, counts = np.unique(np.asarray(y).ravel(), return_counts=True)
    n_classes = len(classes)
    if n_classes < 2:
        raise ValueError(
            f"y has {n_classes} class; make_imbalance needs at least two classes."
        )
    rng = check_random_state(random_state)
    n_max = int(counts.min())
    n_min = max(1, int(round(n_max / ratio)))
    order = rng.permutation(n_classes)
    if kind == "step":
        n_minority = int(round(minority_fraction * n_classes))
        if not 1 <= n_minority <= n_classes - 1:
            raise ValueError(
                f"minority_fraction={minority_fraction} gives {n_minority} "
                f"minority classes out of {n_classes}; choose a fraction that "
                f"leaves between 1 and {n_classes - 1} of them."
            )
        sizes = np.where(np.arange(n_classes) < n_minority, n_min, n_max)
    elif kind == "linear":
        sizes = np.rint(np.linspace(n_min, n_max, n_classes)).astype(int)
    else:  # the long tail, smallest first as for "linear"
        steps = np.arange(n_classes)[::-1] / (n_classes - 1)
        sizes = np.maximum(1, np.rint(n_max * float(ratio) ** -steps)).astype(int)
    strategy = {classes[c]: int(size) for c, size in zip(order, sizes)}
    sampler = RandomImageUnderSampler(sampling_strategy=strategy, random_state=rng)
    return sampler.fit_resample(X, y)
