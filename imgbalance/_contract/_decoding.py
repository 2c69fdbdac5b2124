"""Decoding one image: a file, a PIL image or an array to a numpy array.

Light on purpose (numpy and Pillow only): worker processes that render
images import it without the rest of the input contract.
"""

import os

import numpy as np
from PIL import Image, ImageOps

from ..utils._caller import warn
from ._files import (
    file_problem,
    large_image_message,
    open_image,
    reason_of,
    stores_16_bits,
)

__all__ = ["image_array", "load_image"]

_PIL_MODE_TO_ARRAY_MODE = {
    "1": "L",
    "LA": "RGBA",
    "PA": "RGBA",
    "CMYK": "RGB",
    "YCbCr": "RGB",
    "LAB": "RGB",
    "HSV": "RGB",
}


def image_array(image, sixteen_bits=False):
    """The pixels of a PIL image as imgbalance reads them: palette images
    RGB (RGBA with transparency), 1-bit 8-bit gray, CMYK and other colour
    spaces RGB, gray with alpha RGBA; 16-bit pixels uint16 (native byte
    order), also where Pillow opened a 16-bit file in mode "I"
    (``sixteen_bits``: :func:`~._files.stores_16_bits` of the file, asked
    before it was loaded); other 32-bit integers int32, floats float32."""
    mode = image.mode
    if mode == "P":
        mode = "RGBA" if "transparency" in image.info else "RGB"
    else:
        mode = _PIL_MODE_TO_ARRAY_MODE.get(mode, mode)
    if mode != image.mode:
        image = image.convert(mode)
    array = np.asarray(image)
    if sixteen_bits and array.dtype.kind == "i":  # 0..65535 held in int32
        return np.clip(array, 0, 65535).astype(np.uint16)
    if array.dtype.kind == "u" and array.dtype.itemsize == 2:
        return array.astype(np.uint16, copy=False)  # big-endian made native
    return array


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
        become 8-bit grayscale, 16-bit images stay 16-bit: uint16, whatever
        mode Pillow opens them in (a 16-bit PGM opens in mode "I").

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        The file cannot be opened or decoded, for whatever reason (the
        message says it): a folder, a named pipe, an empty or truncated
        file, a format or pixel format Pillow cannot decode.

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
        return image_array(item)
    # a file is named by its path, not by its position: inside a
    # cross-validation fold, a position is not the user's own
    where = input_name
    path = os.fsdecode(item)
    problem = file_problem(path)  # before opening: a named pipe would block
    if problem == "the file does not exist":
        raise FileNotFoundError(
            f"{where}: the file {path!r} does not exist; check the path."
        )
    try:
        if problem is not None:
            raise ValueError(problem)
        with open_image(path) as image:
            large = large_image_message(image.size)
            if large is not None:
                warn(f"{where}: {path!r} is {large}")
            sixteen = stores_16_bits(image)
            image = ImageOps.exif_transpose(image)
            return image_array(image, sixteen)
    except (MemoryError, Warning):  # a warning the filters made an error
        raise
    except Exception as exc:  # any failure to open or decode the file
        raise ValueError(
            f"{where}: cannot decode {path!r} as an image "
            f"({reason_of(exc).removeprefix('cannot be decoded: ')}); remove or "
            "replace the file."
        ) from exc
