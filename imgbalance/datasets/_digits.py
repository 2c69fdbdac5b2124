"""scikit-learn's digits as 8x8 uint8 images."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch

__all__ = ["load_digits_images"]


def load_digits_images(*, return_X_y=False):
    """Load scikit-learn's handwritten digits as ``(n, 8, 8)`` uint8 images.

    1797 images of ten classes, shipped with scikit-learn (no download).
    scikit-learn stores the pixels as 0..16; here they are scaled to 0..255
    (``round(v * 255 / 16)``) so they behave as ordinary 8-bit grayscale
    images. ``round(u * 16 / 255)`` recovers the original values exactly.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (ndarray of shape (1797, 8, 8), uint8), ``target``
        (ndarray of shape (1797,), int), ``target_names`` (ndarray of the ten
        digits) and ``DESCR``.

    (images, target) : tuple
        When ``return_X_y`` is True.

    Examples
    --------
    >>> from imgbalance.datasets import load_digits_images
    >>> images, target = load_digits_images(return_X_y=True)
    >>> images.shape, images.dtype, int(images.max())
    ((1797, 8, 8), dtype('uint8'), 255)
    """
    digits = load_digits()
    images = np.rint(digits.images * (255 / 16)).astype(np.uint8)
    if return_X_y:
        return images, digits.target
    return Bunch(
        images=images,
        target=digits.target,
        target_names=digits.target_names,
        DESCR=digits.DESCR,
    )
