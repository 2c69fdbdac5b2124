"""An image collection as one array: items decoded and stacked, a table's
rows given back their image shape."""

import numpy as np

from ..utils._constraints import validate_params
from ._collection import check_image_collection
from ._decoding import load_image
from ._modes import ModeRule

__all__ = ["decode_items", "pixels_of", "stack_collection", "stack_images"]


@validate_params(
    {"X": ["array-like", "sparse matrix"], "image_shape": [tuple, list, None]},
    prefer_skip_nested_validation=True,
)
def stack_images(X, *, image_shape=None):
    """Return an image collection as one ``(n, h, w[, c])`` array.

    Paths are decoded, PIL images converted; every image must have the same
    size.

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
        several modes are converted to one, with a warning that counts
        them: RGB where any is colour, else grayscale (alpha dropped);
        16-bit beside 8-bit becomes 8-bit; integers beside floats become
        floats in 0..1; dtypes read on one scale (uint8 and int64, float32
        and float64) take the wider one.

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


def stack_collection(collection, input_name="X", item_transform=None, gray=False):
    """Stack a checked collection into one array (see :func:`stack_images`).

    ``item_transform(image, index)``, if given, is applied to every decoded
    image before the shapes are compared (for example a resize); ``gray``:
    for a reader of gray images, every image made gray (see :mod:`._modes`).
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

    rule = ModeRule(input_name, gray=gray)
    first = rule.add(decode(0))
    out = np.empty((len(data),) + first.shape, dtype=first.dtype)
    out[0] = first
    for i in range(1, len(data)):
        image = rule.add(decode(i))
        if rule.changed:  # the earlier images follow the new common mode
            first = rule.convert(out[0])
        if image.shape != first.shape:
            _refuse_shapes(input_name, i, image.shape, first.shape)
        if rule.changed:
            earlier = [rule.convert(out[j]) for j in range(i)]
            out = np.empty((len(data),) + image.shape, dtype=image.dtype)
            out[:i] = earlier
        out[i] = image
    rule.warn()
    return out


def _refuse_shapes(input_name, i, shape, first):
    """Images of two sizes (or of two layouts no rule joins) cannot stack."""
    if shape[:2] != first[:2]:
        raise ValueError(
            f"{input_name}[{i}] is {shape[0]}x{shape[1]} pixels (h x w) but "
            f"{input_name}[0] is {first[0]}x{first[1]}; all images must have one "
            "size here. Give them one size first, for example with "
            "ImageLoader(size=(h, w)) or the size parameter of the feature "
            "extractors."
        )
    raise ValueError(
        f"{input_name}[{i}] has shape {shape} but {input_name}[0] has shape "
        f"{first}; all images must have one shape here. Give them one mode "
        "first, for example with ImageLoader(mode='RGB')."
    )


def decode_items(collection, input_name="X", gray=False):
    """The images of a sequence, decoded, each of its own size, in one mode
    by the rule of :mod:`._modes` (a list of arrays; ``gray``: as for
    :func:`stack_collection`)."""
    rule = ModeRule(input_name, gray=gray)
    images = []
    for i, item in enumerate(collection.data):
        images.append(rule.add(load_image(item, index=i, input_name=input_name)))
        if rule.changed:
            images[:i] = [rule.convert(image) for image in images[:i]]
    rule.warn()
    return images


def pixels_of(collection):
    """The images of a checked collection as one array: a table's rows, or
    the images stacked (sequences decoded; they must share a size)."""
    if collection.kind == "table":  # a DataFrame's values may come in
        # columns: in rows, the embedding is the one an array gets
        return np.ascontiguousarray(collection.data)
    if collection.kind == "sequence":
        return stack_collection(collection)
    return collection.data
