"""Decoding one image: a file, a PIL image or an array to a numpy array.

Light on purpose (numpy and Pillow only): worker processes that render
images import it without the rest of the input contract.
"""

import os

import numpy as np
from PIL import Image, ImageOps

from ..utils._caller import warn
from ._files import large_image_message, open_image

__all__ = ["load_image"]

_PIL_MODE_TO_ARRAY_MODE = {
    "1": "L",
    "LA": "RGBA",
    "PA": "RGBA",
    "CMYK": "RGB",
    "YCbCr": "RGB",
    "LAB": "RGB",
    "HSV": "RGB",
}


def _pil_to_array(image):
    mode = image.mode
    if mode == "P":
        mode = "RGBA" if "transparency" in image.info else "RGB"
    else:
        mode = _PIL_MODE_TO_ARRAY_MODE.get(mode, mode)
    if mode != image.mode:
        image = image.convert(mode)
    return np.asarray(image)


def load_image(item, *, index=None, input_name="X"):
    """Decode one item of an image collection into a numpy array.

    Parameters
    ----------
    item : str, os.PathLike, PIL.Image.Image or ndarray
        A file path (opened with Pillow, EXIF orientation applied), a PIL
        image or an array (returned as is).
    index : int, default=None
        The item's position (messages name a file by its path).
    input_name : str, default="X"
        The collection's argument name, used in error messages.

    Returns
    -------
    image : ndarray of shape (h, w) or (h, w, c)
        Palette images become RGB (RGBA with transparency), 1-bit images
        become 8-bit grayscale, 16-bit images stay 16-bit.

    Warns
    -----
    UserWarning
        For a file above Pillow's decompression-bomb limit
        (``PIL.Image.MAX_IMAGE_PIXELS``), naming it; it is read all the same.
        Pillow's own ``DecompressionBombWarning`` is replaced by it when the
        process runs one thread, and shows as well otherwise.

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.utils import load_image
    >>> path = os.path.join(tempfile.mkdtemp(), "red.png")
    >>> Image.new("RGB", (4, 3), (255, 0, 0)).save(path)
    >>> image = load_image(path)
    >>> image.shape, image.dtype, image[0, 0].tolist()
    ((3, 4, 3), dtype('uint8'), [255, 0, 0])
    >>> load_image(os.path.join(os.path.dirname(path), "nope.png"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: X: the file '...nope.png' does not exist; check the path.
    """
    if isinstance(item, np.ndarray):
        return item
    if isinstance(item, Image.Image):
        return _pil_to_array(item)
    # a file is named by its path, not by its position: inside a
    # cross-validation fold, a position is not the user's own
    where = input_name
    path = os.fsdecode(item)
    try:
        with open_image(path) as image:
            large = large_image_message(image.size)
            if large is not None:
                warn(f"{where}: {path!r} is {large}")
            image = ImageOps.exif_transpose(image)
            return _pil_to_array(image)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{where}: the file {path!r} does not exist; check the path."
        ) from None
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(
            f"{where}: cannot decode {path!r} as an image ({exc}); remove or "
            "replace the file."
        ) from exc
