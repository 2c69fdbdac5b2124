"""Class and sample weights: the algorithm-level remedy for imbalance.

Weights for a classifier's ``class_weight`` or ``sample_weight``, or for a
loss (see :mod:`imgbalance.torch`), from the labels alone: any hashable
labels (strings included), classes in any order.
"""

from numbers import Real

import numpy as np

from ._contract._labels import check_label_values
from .utils._constraints import Interval, StrOptions, validate_params

__all__ = ["class_weights", "sample_weights"]

_METHODS = {"balanced", "effective_number", "inverse_sqrt", "none"}
_PARAMETERS = {
    "y": ["array-like"],
    "method": [StrOptions(_METHODS)],
    "beta": [Interval(Real, 0, 1, closed="left")],
    "classes": ["array-like", None],
}


def _counts(y, classes):
    """The labels' classes and counts; ``classes`` in the given order."""
    check_label_values(y)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, one label per sample; got shape {y.shape}.")
    if y.size == 0:
        raise ValueError("y is empty: weights need at least one labelled sample.")
    present, counts = np.unique(y, return_counts=True)
    if classes is None:
        return y, present, counts
    classes = np.asarray(classes)
    if len(np.unique(classes)) != len(classes):
        raise ValueError("classes holds a label twice; give each class once.")
    absent = [c for c in classes.tolist() if c not in set(present.tolist())]
    if absent:
        raise ValueError(
            f"classes {absent!r} do not occur in y: a weight needs samples of "
            "the class. Leave them out of classes (or gather samples of them)."
        )
    unknown = [c for c in present.tolist() if c not in set(classes.tolist())]
    if unknown:
        raise ValueError(
            f"y holds labels {unknown!r} missing from classes; add them to classes."
        )
    lookup = dict(zip(present.tolist(), counts.tolist()))
    return y, classes, np.array([lookup[c] for c in classes.tolist()])


@validate_params(_PARAMETERS, prefer_skip_nested_validation=True)
def class_weights(y, *, method="balanced", beta=0.999, classes=None):
    """A weight per class, from the class frequencies of ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, of any hashable type.
    method : {"balanced", "effective_number", "inverse_sqrt", "none"}, \
            default="balanced"
        - ``"balanced"``: ``n_samples / (n_classes * n_c)``, as scikit-learn's
          ``class_weight="balanced"`` (tested equal to
          :func:`~sklearn.utils.class_weight.compute_class_weight`, computed
          here from the counts: one pass over ``y``).
        - ``"effective_number"``: Cui et al., CVPR 2019, "Class-Balanced Loss
          Based on Effective Number of Samples": proportional to
          ``(1 - beta) / (1 - beta ** n_c)``, normalised to sum to the number
          of classes. ``beta=0`` weighs all classes 1; ``beta`` towards 1
          tends to ``"balanced"``'s inverse frequency.
        - ``"inverse_sqrt"``: proportional to ``1 / sqrt(n_c)``, a milder
          re-weighting, normalised like ``"balanced"`` (the weights of the
          samples average 1).
        - ``"none"``: 1 for every class.
    beta : float in [0, 1), default=0.999
        For ``"effective_number"``.
    classes : array-like or None, default=None
        The classes to weigh, in the order wanted (they must be exactly the
        labels of ``y``); None takes the sorted labels of ``y``.

    Returns
    -------
    weights : dict
        Class label -> weight (a float), in the order of ``classes``.

    Examples
    --------
    >>> from imgbalance.class_weight import class_weights
    >>> y = ["cat"] * 90 + ["dog"] * 10
    >>> class_weights(y)
    {'cat': 0.5555555555555556, 'dog': 5.0}
    >>> {k: round(v, 3) for k, v in class_weights(y, method="effective_number",
    ...                                            beta=0.99).items()}
    {'cat': 0.277, 'dog': 1.723}
    """
    y, classes, counts = _counts(y, classes)
    counts = counts.astype(np.float64)
    if method == "balanced":
        weights = counts.sum() / (len(classes) * counts)
    elif method == "effective_number":
        effective = (1.0 - np.power(beta, counts)) / (1.0 - beta)
        weights = 1.0 / effective
        weights *= len(classes) / weights.sum()
    elif method == "inverse_sqrt":
        weights = 1.0 / np.sqrt(counts)
        weights *= counts.sum() / (weights * counts).sum()
    else:
        weights = np.ones(len(classes))
    return {c: float(w) for c, w in zip(classes.tolist(), weights)}


@validate_params(_PARAMETERS, prefer_skip_nested_validation=True)
def sample_weights(y, *, method="balanced", beta=0.999, classes=None):
    """A weight per sample: its class's weight (see :func:`class_weights`).

    For estimators that take ``sample_weight`` in ``fit``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    method : {"balanced", "effective_number", "inverse_sqrt", "none"}, \
            default="balanced"
    beta : float in [0, 1), default=0.999
    classes : array-like or None, default=None

    Returns
    -------
    weights : ndarray of shape (n_samples,), float64

    Examples
    --------
    >>> from imgbalance.class_weight import sample_weights
    >>> sample_weights([0, 0, 0, 1]).tolist()
    [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    """
    weights = class_weights(y, method=method, beta=beta, classes=classes)
    y = np.asarray(y)
    labels, inverse = np.unique(y, return_inverse=True)
    per_label = np.array([weights[label] for label in labels.tolist()])
    return per_label[inverse.reshape(-1)]
