"""Random under-sampling of image collections."""

import numpy as np
from imblearn.under_sampling.base import BaseUnderSampler
from sklearn.utils import check_random_state

from .._contract._output import take_resampled
from ..base import ImageSamplerMixin
from ..utils._docstrings import fill_docs

__all__ = ["RandomImageUnderSampler"]


@fill_docs
class RandomImageUnderSampler(ImageSamplerMixin, BaseUnderSampler):
    """Under-sample majority classes of an image collection at random.

    Keeps a random subset of each class to shrink and every image of the
    other classes, grouped by class in sorted class order. Works directly on
    image arrays ``(n, h, w[, c])``, on 2-D arrays of flattened images and on
    sequences of file paths, PIL images or arrays; paths are never decoded.

    With the same ``random_state`` it keeps exactly the images that
    imbalanced-learn's :class:`~imblearn.under_sampling.RandomUnderSampler`
    keeps for the same labels.

    Parameters
    ----------
    <under_sampling_strategy>

    <random_state>

    replacement : bool, default=False
        Whether to draw with replacement.

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to shrink to the number of images it keeps.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, its position in ``X``.

    <input_attributes>

    See Also
    --------
    RandomImageOverSampler : Over-sample minority classes at random.
    imblearn.under_sampling.RandomUnderSampler : The same draws on 2-D tables.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.under_sampling import RandomImageUnderSampler
    >>> X = np.zeros((6, 8, 8), dtype=np.float32)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> X_res, y_res = RandomImageUnderSampler(random_state=0).fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res)
    ((4, 8, 8), dtype('float32'), array([2, 2]))
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "random_state": ["random_state"],
        "replacement": ["boolean"],
    }

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, replacement=False
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        indices = []
        for target_class in np.unique(y):
            class_indices = np.flatnonzero(y == target_class)
            if target_class in self.sampling_strategy_:
                chosen = random_state.choice(
                    range(len(class_indices)),
                    size=self.sampling_strategy_[target_class],
                    replace=self.replacement,
                )
                class_indices = class_indices[chosen]
            indices.append(class_indices)
        self.sample_indices_ = np.concatenate(indices)
        return take_resampled(X, self.sample_indices_), y[self.sample_indices_]
