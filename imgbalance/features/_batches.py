"""An image collection read a batch at a time, for a network, so memory is
bounded by the batch, not by the collection.

Arrays and tables are sliced; a sequence is decoded batch by batch. Its
images are given one channel layout decided before the first batch (from
the arrays' shapes, the PIL images' modes and the files' headers, without
decoding), by the package's mode rule: the layout all share, else RGB when
any is colour (alpha dropped), else grayscale. So the batches do not
depend on the batch size.
"""

import numpy as np
from PIL import Image

from .._contract._decoding import load_image
from .._contract._intensity import unit_float
from .._contract._modes import ImageModeWarning
from ..utils._caller import warn
from ._base import _resize

__all__ = ["image_batches", "sequence_layout"]

# channels of the arrays load_image gives for each Pillow mode
_MODE_CHANNELS = {"LA": 4, "PA": 4, "RGBA": 4, "RGBa": 4}
_GRAY_MODES = ("1", "L", "I", "F", "I;16", "I;16B", "I;16L", "I;16N")
_NAMES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _channels(item):
    """The channels ``load_image`` gives for an item, read without decoding."""
    if isinstance(item, np.ndarray):
        return 1 if item.ndim == 2 else item.shape[2]
    if isinstance(item, Image.Image):
        return _mode_channels(item)
    with Image.open(item) as image:  # the header only
        return _mode_channels(image)


def _mode_channels(image):
    mode = image.mode
    if mode == "P":
        return 4 if "transparency" in image.info else 3
    if mode in _GRAY_MODES:
        return 1
    return _MODE_CHANNELS.get(mode, 3)


def sequence_layout(items, input_name="X"):
    """The channels every image of a sequence is given (see the module
    docstring), with one warning when images of several layouts are
    converted."""
    found = {_channels(item) for item in items}
    if len(found) == 1:
        return found.pop()
    if max(found) > 4:
        raise ValueError(
            f"{input_name} holds images of {sorted(found)} channels; a network "
            "takes one number of channels. Give images of one layout."
        )
    layout = 3 if found & {3, 4} else 1
    changes = [f"{_NAMES[c]} to {_NAMES[layout]}" for c in sorted(found - {layout})]
    warn(
        f"{input_name} holds images of several modes, converted to one "
        f"({_NAMES[layout]}): {', '.join(changes)}. Put ImageLoader(mode='RGB') "
        "or ImageLoader(mode='L') first to choose the mode yourself.",
        ImageModeWarning,
    )
    return layout


def _with_channels(image, channels):
    """``image`` (h, w[, c]) given ``channels`` channels by the mode rule."""
    have = 1 if image.ndim == 2 else image.shape[2]
    if have == channels:
        return image
    planes = image if image.ndim == 3 else image[:, :, None]
    if channels == 1:  # from gray + alpha
        return planes[:, :, 0]
    if have in (1, 2):  # gray to RGB
        return np.repeat(planes[:, :, :1], 3, axis=2)
    return planes[:, :, :3]  # alpha dropped


def _decoded(items, start, layout, size, input_name, first_size):
    """A batch of a sequence's items, decoded, in one layout and size."""
    images = []
    for offset, item in enumerate(items):
        index = start + offset
        image = load_image(item, index=index, input_name=input_name)
        image = _with_channels(image, layout)
        if size is not None:
            image = _resize(image, size)
        elif image.shape[:2] != first_size:
            raise ValueError(
                f"{input_name}[{index}] is {image.shape[0]}x{image.shape[1]} "
                f"pixels (h x w) but {input_name}[0] is {first_size[0]}x"
                f"{first_size[1]}; a batch needs one size. Give size=(h, w) to "
                "resize every image."
            )
        if image.dtype.kind == "f" and not np.isfinite(image).all():
            raise ValueError(
                f"Input {input_name}[{index}] contains NaN or infinity; features "
                "need finite pixel values (replace them, such as with "
                "numpy.nan_to_num, first)."
            )
        images.append(unit_float(image).astype(np.float32, copy=False))
    return np.stack(images)


def _first_size(item, size):
    if size is not None:
        return tuple(size)
    if isinstance(item, np.ndarray):
        return item.shape[:2]
    if isinstance(item, Image.Image):
        return (item.height, item.width)
    return load_image(item).shape[:2]  # EXIF orientation may swap the sides


def image_batches(collection, batch_size, *, size=None, input_name="X"):
    """Yield ``(start, batch)`` over a checked image collection.

    Parameters
    ----------
    collection : ImageCollection
    batch_size : int
    size : (int, int) or None
        Resize every image to (h, w) first (bilinear).
    input_name : str

    Yields
    ------
    start : int
        The position of the batch's first image.
    batch : ndarray of shape (b, h, w) or (b, h, w, c)
        An array's (or table's) images as they are, in their dtype; a
        sequence's decoded and read on 0..1 (float32) by the intensity
        rule, each image on its own dtype's scale.
    """
    data = collection.data
    n = len(collection)
    if collection.kind == "sequence":
        layout = sequence_layout(data, input_name)
        first = _first_size(data[0], size)
        for start in range(0, n, batch_size):
            items = data[start : start + batch_size]
            yield start, _decoded(items, start, layout, size, input_name, first)
        return
    for start in range(0, n, batch_size):
        batch = data[start : start + batch_size]
        if collection.kind == "table":
            if hasattr(batch, "iloc"):
                batch = batch.to_numpy()
            shape = collection.image_shape or (1, batch.shape[1])
            batch = np.asarray(batch).reshape((len(batch),) + tuple(shape))
        if size is not None:
            batch = np.stack([_resize(image, size) for image in batch])
        yield start, batch
