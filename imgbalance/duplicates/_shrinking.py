"""Images shrunk to a few gray pixels, the first step of every hash: JPEG
files decoded at a reduced scale, images turned gray and shrunk by area
averaging; optionally in threads (decoding and OpenCV release the GIL)."""

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np
from PIL import Image, ImageOps

from .._contract._decoding import image_array
from .._contract._files import file_problem, open_image, stores_16_bits
from .._contract._intensity import full_scale

__all__ = ["grays_of_collection", "grays_of_items", "small_gray"]

_GRAY = np.array([0.299, 0.587, 0.114], dtype=np.float32)
# 8-bit modes Pillow makes gray itself ("L"); the others (16-bit, 32-bit,
# float, LAB...) go through the pixels as every reader of a file reads them
_TO_GRAY = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr")


def _shrink(gray, width, height):
    """``gray`` (2-D float32) resized to ``width`` x ``height``: area
    averaging when shrinking (OpenCV's for whole factors; by two small
    matrix products otherwise, the same values several times faster),
    bilinear when enlarging."""
    import cv2

    h, w = gray.shape
    if (h, w) == (height, width):
        return gray
    if h < height or w < width:
        return cv2.resize(gray, (width, height), interpolation=cv2.INTER_LINEAR)
    if h % height == 0 and w % width == 0:
        return cv2.resize(gray, (width, height), interpolation=cv2.INTER_AREA)
    return _area_weights(h, height) @ gray @ _area_weights(w, width).T


class _Unreadable(ValueError):
    """An item that cannot be hashed, and why (its text)."""


class NotFinite(_Unreadable):
    """An image holds NaN or infinity: it has no hash."""


def _gray_of_array(image):
    """A float32 gray image on 0..255 from an (h, w[, c]) array of any dtype
    (imgbalance's rule for the scale; alpha ignored). uint8 colour images
    are converted by OpenCV to 8-bit gray (ITU-R 601 weights: Pillow's "L"
    mode within one level). NaN or infinity raises :class:`NotFinite`."""
    image = np.asarray(image)
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise NotFinite("holds NaN or infinity")
    if image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] in (3, 4):
        import cv2

        code = cv2.COLOR_RGB2GRAY if image.shape[2] == 3 else cv2.COLOR_RGBA2GRAY
        gray = cv2.cvtColor(np.ascontiguousarray(image), code)
        return gray.astype(np.float32)
    scale = np.float32(255.0 / full_scale(image.dtype))
    if image.ndim == 3 and image.shape[2] >= 3:
        gray = image[..., :3].astype(np.float32) @ _GRAY
    elif image.ndim == 3:  # gray with alpha, or one channel
        gray = image[..., 0].astype(np.float32)
    else:
        gray = image.astype(np.float32)
    gray = gray * scale if scale != 1 else gray
    if image.dtype.kind in "iuf" and image.dtype.itemsize != 2:  # may be outside
        gray = np.clip(gray, 0, 255)  # the rule: clipped to the dtype's range
    return gray


def _gray_of_file(path, width, height):
    """A file decoded to gray (EXIF orientation applied), a JPEG at the
    smallest scale that keeps it at least ``width`` x ``height``; its
    pixels read as every reader of a file reads them (16-bit ones on
    0..65535, whatever mode Pillow opens them in)."""
    problem = file_problem(path)  # before opening: a named pipe would block
    if problem is not None:
        raise _Unreadable(problem)
    with open_image(path) as image:
        sixteen = stores_16_bits(image)
        if image.format == "JPEG":
            image.draft("L", (width, height))
        if image.format != "JPEG" or "exif" in image.info:  # an orientation?
            image = ImageOps.exif_transpose(image)
        if image.mode in _TO_GRAY:
            return np.asarray(image.convert("L"), dtype=np.float32)
        return _gray_of_array(image_array(image, sixteen))


def small_gray(item, width, height):
    """One item of an image collection as a ``height`` x ``width`` float32
    gray image on 0..255."""
    if isinstance(item, Image.Image):
        item = ImageOps.exif_transpose(item)
        if item.mode in _TO_GRAY:
            gray = np.asarray(item.convert("L"), np.float32)
        else:
            gray = _gray_of_array(image_array(item))
    elif isinstance(item, np.ndarray):
        gray = _gray_of_array(item)
    else:
        gray = _gray_of_file(item, width, height)
    return _shrink(np.ascontiguousarray(gray), width, height)


@functools.lru_cache(maxsize=32)
def _area_weights(n_in, n_out):
    """(n_out, n_in) float32: each output pixel the mean of the input
    pixels it covers, partly covered ones in proportion (area averaging,
    as OpenCV's INTER_AREA shrinks)."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    left, right = edges[:-1, None], edges[1:, None]
    pixels = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(right, pixels + 1) - np.maximum(left, pixels), 0, None)
    return (overlap / (n_in / n_out)).astype(np.float32)


def _threads(n_jobs):
    """Threads for ``n_jobs`` (None: 1; -1: one per core)."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, Integral) or n_jobs == 0:
        raise ValueError(
            f"n_jobs must be a number of threads (1, 2...), -1 for one per "
            f"core, or None; got {n_jobs!r}."
        )
    return (os.cpu_count() or 1) if n_jobs < 0 else int(n_jobs)


def grays_of_items(
    items,
    width,
    height,
    n_jobs=None,
    positions=None,
    failed=None,
    input_name="X",
):
    """Each item (path, PIL image or array) shrunk: (n, height, width);
    ``n_jobs`` threads (None: 1; -1: one per core). ``positions``: the
    items' places in the user's ``X`` (named ``input_name``), for messages.
    ``failed``, a dict, gets position -> reason of each item that does not
    decode (its row left 0) instead of an error."""
    out = np.empty((len(items), height, width), dtype=np.float32)

    def fill(i):
        try:
            out[i] = small_gray(items[i], width, height)
        except (MemoryError, Warning):  # not the item's fault
            raise
        except Exception as exc:  # any failure to open or decode the file
            if isinstance(exc, _Unreadable):
                reason = str(exc)
            else:
                reason = " ".join(str(exc).split()) or type(exc).__name__
            if failed is not None:
                out[i] = 0
                failed[i] = (
                    reason
                    if isinstance(exc, NotFinite)
                    else f"cannot be decoded: {reason}"
                )
                return
            at = i if positions is None else int(positions[i])
            if isinstance(exc, NotFinite):
                raise ValueError(
                    f"{input_name}[{at}] holds NaN or infinity, which has no hash; "
                    "replace such values first (numpy.nan_to_num, for example)."
                ) from None
            raise ValueError(
                f"{input_name}[{at}] cannot be decoded: {reason}"
            ) from None

    threads = _threads(n_jobs)
    if threads <= 1 or len(items) < 2:
        for i in range(len(items)):
            fill(i)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(fill, range(len(items)), chunksize=16))
    return out


def grays_of_collection(X, width, height, n_jobs=None, input_name="X"):
    """Every image of the collection ``X`` (checked as the samplers check
    their input; none is fine), shrunk: (n, height, width)."""
    from .._contract._collection import check_image_collection  # scikit-learn's checks

    collection = check_image_collection(X, input_name=input_name, allow_empty=True)
    data = collection.data
    if len(data) == 0:
        return np.empty((0, height, width), dtype=np.float32)
    if collection.kind == "table":
        raise ValueError(
            f"{input_name} is a 2-D array (rows of flattened images?); give the "
            "images as an (n, h, w) or (n, h, w, c) array, such as "
            f"{input_name}.reshape(-1, h, w), so that they can be hashed."
        )
    return grays_of_items(data, width, height, n_jobs, input_name=input_name)
