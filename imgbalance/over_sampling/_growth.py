"""A sampling strategy that grows every class, not only the smaller ones."""

from numbers import Real

import numpy as np

__all__ = ["grow_by"]


class grow_by:
    """Grow every class to ``factor`` times its size: a ``sampling_strategy``
    for the over-samplers, for when all classes are small.

    imbalanced-learn's strategies grow the classes smaller than the largest;
    with a handful of images in every class, augmenting all of them helps
    too. The imbalance stays as it was (apply a balancing sampler before or
    after, in a pipeline, to change it).

    Parameters
    ----------
    factor : float >= 1
        Each class of ``n`` images is grown to ``round(factor * n)``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.over_sampling import AugmentingOverSampler, grow_by
    >>> X = np.zeros((6, 8, 8), dtype=np.uint8)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = AugmentingOverSampler(sampling_strategy=grow_by(3), random_state=0)
    >>> np.bincount(sampler.fit_resample(X, y)[1]).tolist()
    [12, 6]
    >>> grow_by(2.5)(y)
    {0: 10, 1: 5}
    """

    def __init__(self, factor):
        if isinstance(factor, bool) or not isinstance(factor, Real) or not factor >= 1:
            raise ValueError(f"factor must be a number >= 1; got {factor!r}.")
        self.factor = float(factor)

    def __call__(self, y):
        labels, counts = np.unique(np.asarray(y), return_counts=True)
        return {
            label.item() if isinstance(label, np.generic) else label: int(
                round(self.factor * count)
            )
            for label, count in zip(labels, counts)
        }

    def __repr__(self):
        return f"grow_by({self.factor:g})"
