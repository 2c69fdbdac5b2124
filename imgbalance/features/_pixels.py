"""Raw pixels as features."""

import numpy as np

from .._contract._intensity import full_scale
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures

__all__ = ["PixelFeatures"]


def _to_float(image, scale):
    """float32 copy of ``image``, integer dtypes divided by their full
    intensity (uint8 255, uint16 65535: the rule of ``_intensity``)."""
    out = image.astype(np.float32)
    if scale and image.dtype.kind in "iu":
        out /= np.float32(full_scale(image.dtype))
    return out


@fill_docs
class PixelFeatures(BaseImageFeatures):
    """Flatten images into rows of float32 pixel values.

    The simplest image features, and the step that turns an image collection
    (array, paths, PIL images) into the 2-D matrix a scikit-learn classifier
    expects.

    Parameters
    ----------
    size : tuple (h, w) or None, default=None
        Resize every image to this size (bilinear, antialiased when
        shrinking) before flattening. Required when the images do not all
        have one size. None keeps the size.

    scale : bool, default=True
        Divide integer pixel values by their full intensity, so features
        lie in [0, 1]: 65535 for uint16, 255 for uint8 and every other
        integer dtype (int64 from ``np.array``, for example). Float images
        are read on 0..1. Values outside their dtype's range (floats in
        0..255, for instance) are clipped to it, with a warning. False
        keeps every value as it is.

    <image_shape>
        Only needed together with ``size``.

    Attributes
    ----------
    <input_attributes>

    n_features_out_ : int
        Number of output features, ``h * w * c`` after resizing.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import PixelFeatures
    >>> X = np.full((2, 4, 4, 3), 255, dtype=np.uint8)
    >>> Xt = PixelFeatures().fit_transform(X)
    >>> Xt.shape, Xt.dtype, float(Xt.max())
    ((2, 48), dtype('float32'), 1.0)
    >>> PixelFeatures(size=(2, 2)).fit_transform(X).shape
    (2, 12)
    """

    _parameter_constraints: dict = {
        "size": [tuple, list, None],
        "scale": ["boolean"],
        "image_shape": [tuple, list, None],
    }

    def __init__(self, *, size=None, scale=True, image_shape=None):
        self.size = size
        self.scale = scale
        self.image_shape = image_shape

    def _reads_intensity(self):
        return self.scale  # scale=False: the values as they are

    def _prepare(self, image):
        # scaled before resizing, so each image of a sequence keeps its own
        # dtype's scale and the resize keeps float precision
        return _to_float(image, self.scale)

    def _compute(self, images):
        # floats (prepared, or float input) are not scaled again
        return _to_float(images.reshape(len(images), -1), self.scale)

    def _feature_names(self, n_features):
        return [f"pixelfeatures{i}" for i in range(n_features)]
