"""Random over-sampling of image collections."""

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_random_state

from .._contract._output import take_resampled
from ..base import ImageSamplerMixin
from ..utils._docstrings import fill_docs

__all__ = ["RandomImageOverSampler"]


@fill_docs
class RandomImageOverSampler(ImageSamplerMixin, BaseOverSampler):
    """Over-sample minority classes of an image collection by random copies.

    Draws images of each class to grow, at random with replacement, and
    appends them after all the originals. Works directly on image arrays
    ``(n, h, w[, c])``, on 2-D arrays of flattened images and on sequences of
    file paths, PIL images or arrays: paths are never decoded, so
    over-sampling a list of paths costs one string reference per item.

    With the same ``random_state`` it draws exactly the indices that
    imbalanced-learn's :class:`~imblearn.over_sampling.RandomOverSampler`
    draws on the same labels.

    Parameters
    ----------
    <over_sampling_strategy>

    <random_state>

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to grow to the number of images added to it.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position of its source in ``X``: first
        ``0 .. n_samples - 1`` (the originals, in order), then the copies.

    <input_attributes>

    See Also
    --------
    RandomImageUnderSampler : Under-sample majority classes at random.
    imblearn.over_sampling.RandomOverSampler : The same draws on 2-D tables.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.over_sampling import RandomImageOverSampler
    >>> X = np.zeros((6, 8, 8, 3), dtype=np.uint8)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> X_res, y_res = RandomImageOverSampler(random_state=0).fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res)
    ((8, 8, 8, 3), dtype('uint8'), array([4, 4]))

    A list of paths stays a list of paths; nothing is read from disk (these
    files are empty, so decoding them would fail):

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> paths = [os.path.join(folder, name) for name in ["a.png", "b.png", "c.png"]]
    >>> for path in paths:
    ...     open(path, "wb").close()
    >>> paths_res, labels_res = RandomImageOverSampler(
    ...     random_state=0).fit_resample(paths, ["cat", "cat", "dog"])
    >>> [os.path.basename(path) for path in paths_res], labels_res
    (['a.png', 'b.png', 'c.png', 'c.png'], ['cat', 'cat', 'dog', 'dog'])
    >>> import shutil; shutil.rmtree(folder)
    """

    _parameter_constraints: dict = {**BaseOverSampler._parameter_constraints}

    def __init__(self, *, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        indices = [np.arange(len(y))]
        for class_sample, num_samples in self.sampling_strategy_.items():
            target_class_indices = np.flatnonzero(y == class_sample)
            indices.append(
                random_state.choice(
                    target_class_indices, size=num_samples, replace=True
                )
            )
        self.sample_indices_ = np.concatenate(indices)
        return take_resampled(X, self.sample_indices_), y[self.sample_indices_]
