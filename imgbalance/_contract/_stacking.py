"""An image collection as one array: items decoded and stacked, a table's
rows given back their image shape."""

import numpy as np

from ..utils._constraints import validate_params
from ._collection import check_image_collection
from ._decoding import load_image
from ._intensity import full_scale, unit_float

__all__ = ["pixels_of", "stack_collection", "stack_images"]


@validate_params(
    {"X": ["array-like", "sparse matrix"], "image_shape": [tuple, list, None]},
    prefer_skip_nested_validation=True,
)
def stack_images(X, *, image_shape=None):
    """Return an image collection as one ``(n, h, w[, c])`` array.

    Paths are decoded, PIL images converted; every image must have the same
    shape.

    Parameters
    ----------
    X : array-like
        An image collection of the input contract.
    image_shape : tuple of int, default=None
        Required for a 2-D ``X`` of flattened images: the ``(h, w[, c])`` each
        row was flattened from.

    Returns
    -------
    images : ndarray of shape (n, h, w) or (n, h, w, c)
        A view of ``X`` where ``X`` already is such an array. Items of
        different dtypes read on one scale (uint8 and int64, float32 and
        float64) take the wider dtype; items on different scales (uint8
        beside uint16 or float) become floats in 0..1.

    Raises
    ------
    ValueError
        When the images do not all have one shape (the message names the
        first index that differs and both shapes), or a 2-D ``X`` comes
        without ``image_shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.utils import stack_images
    >>> stack_images([np.zeros((4, 5)), np.ones((4, 5))]).shape
    (2, 4, 5)
    >>> stack_images(np.zeros((3, 12)), image_shape=(2, 2, 3)).shape
    (3, 2, 2, 3)
    """
    collection = check_image_collection(X, image_shape=image_shape)
    return stack_collection(collection)


def stack_collection(collection, input_name="X", item_transform=None):
    """Stack a checked collection into one array (see :func:`stack_images`).

    ``item_transform(image, index)``, if given, is applied to every decoded
    image before the shapes are compared (for example a resize).
    """
    data = collection.data
    if collection.kind == "table":
        if collection.image_shape is None:
            raise ValueError(
                f"{input_name} is a 2-D array of flattened images; give "
                "image_shape=(h, w) or (h, w, c) so the images can be "
                "restored."
            )
        if hasattr(data, "iloc"):
            data = data.to_numpy()
        elif hasattr(data, "toarray"):
            data = data.toarray()
        data = data.reshape((data.shape[0],) + collection.image_shape)
    elif collection.kind == "images" and item_transform is None:
        return data

    def decode(i):
        image = load_image(data[i], index=i, input_name=input_name)
        return image if item_transform is None else item_transform(image, i)

    first = decode(0)
    out = np.empty((len(data),) + first.shape, dtype=first.dtype)
    out[0] = first
    for i in range(1, len(data)):
        image = decode(i)
        if image.shape != first.shape:
            raise ValueError(
                f"{input_name}[{i}] has shape {image.shape} but {input_name}[0] "
                f"has shape {first.shape}; all images must have one shape here. "
                "Give them one size and mode first, for example with "
                "ImageLoader(size=(h, w), mode='RGB') or the size parameter of "
                "the feature extractors."
            )
        if image.dtype != out.dtype and full_scale(image.dtype) != full_scale(
            out.dtype
        ):  # uint8 beside uint16 or float: all read on 0..1, as floats
            out, image = unit_float(out), unit_float(image)
        if image.dtype != out.dtype:
            out = out.astype(np.result_type(out.dtype, image.dtype), copy=False)
        out[i] = image
    return out


def pixels_of(collection):
    """The images of a checked collection as one array: a table's rows, or
    the images stacked (sequences decoded; they must share a size)."""
    if collection.kind == "table":  # a DataFrame's values may come in
        # columns: in rows, the embedding is the one an array gets
        return np.ascontiguousarray(collection.data)
    if collection.kind == "sequence":
        return stack_collection(collection)
    return collection.data
