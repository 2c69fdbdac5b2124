"""Image files: opened with Pillow (its size warning replaced by ours), and
checked by decoding them once.

Pillow warns (``DecompressionBombWarning``) when a file holds more pixels
than ``PIL.Image.MAX_IMAGE_PIXELS`` (89 million by default) and refuses one
of more than twice that. Its warning names neither the file nor what to do;
callers here open files with :func:`open_image`, which keeps it quiet, and
say it their own way with :func:`large_image_message`.
"""

import contextlib
import os
import stat
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from ..utils._pool import one_thread_at_work
from ._jpeg import quick_jpeg_check

__all__ = [
    "ImageFileInfo",
    "check_image_file",
    "check_with_pillow",
    "file_problem",
    "large_image_message",
    "large_images_quiet",
    "open_image",
    "reason_of",
    "stores_16_bits",
]

# what a path names, when it is not a regular file
_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


def file_problem(path):
    """Why ``path`` is not an image file to open, from what the file system
    says of it (nothing is opened: a named pipe would wait for a writer), or
    None: missing, a symbolic link to nothing, not a regular file, empty."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"a symbolic link to {os.readlink(path)!r}, which does not exist"
        return "the file does not exist"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or type(exc).__name__}"
    if not stat.S_ISREG(info.st_mode):
        kind = next((k for test, k in _KINDS if test(info.st_mode)), "not a file")
        return f"not a regular file but {kind}"
    if info.st_size == 0:
        return "empty file (0 bytes)"
    return None


def reason_of(exc):
    """Why a file did not decode, in one line, from any exception a reader
    raised (Pillow's plugins raise more than OSError: NotImplementedError
    for a DDS pixel format they do not know, SyntaxError, struct.error...)."""
    if isinstance(exc, UnidentifiedImageError):
        return "not an image file Pillow can read"
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(exc, MemoryError):
        return "cannot be decoded: it needs more memory than is available"
    text = " ".join(str(exc).split())  # one line, whatever the library said
    return f"cannot be decoded: {text or type(exc).__name__}"


# modes whose pixels are read without a conversion that could fail
_READ_AS_THEY_ARE = ("L", "RGB", "RGBA", "1", "P", "I", "F", "I;16", "I;16B")

# the raw modes of 16-bit unsigned data that Pillow may open in mode "I"
_SIXTEEN = ("I;16", "I;16B", "I;16L", "I;16N")


def stores_16_bits(image):
    """Whether a file opened by Pillow (``image``, not loaded yet) holds
    16-bit unsigned pixels: mode "I;16...", or mode "I" read from 16-bit
    data (a PGM of more than 255 levels, which Pillow scales to 0..65535,
    or a tile of 16-bit raw data)."""
    if image.mode in _SIXTEEN:
        return True
    if image.mode != "I":
        return False
    for tile in image.tile or ():
        args = tile[3]
        rawmode = args if isinstance(args, str) else None
        if isinstance(args, tuple) and args and isinstance(args[0], str):
            rawmode = args[0]
        if rawmode in _SIXTEEN or image.format == "PPM":
            return True
    return False


def open_image(path, *, own_threads=False):
    """``Image.open(path)`` without Pillow's ``DecompressionBombWarning``.

    ``warnings.catch_warnings`` changes the filters of the whole process
    (before Python 3.14), so the warning is silenced only where no other
    thread can be warning at the same time: when this is the process's one
    thread (a worker's watchdog aside: :func:`one_thread_at_work`), or when
    the caller runs every thread of it (``own_threads``). Elsewhere Pillow's
    warning shows as it is.
    """
    if not own_threads and not one_thread_at_work():
        return Image.open(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path)


def large_image_message(size):
    """What to say of an image of ``size`` (width, height) above Pillow's
    limit, or None when it is within the limit (or there is none)."""
    limit = Image.MAX_IMAGE_PIXELS
    width, height = size
    if limit is None or width * height <= limit:
        return None
    return (
        f"{width}x{height} = {width * height:,} pixels, above Pillow's limit "
        f"for untrusted files ({limit:,} pixels, PIL.Image.MAX_IMAGE_PIXELS); "
        "raise that limit to read such files without this warning."
    )


@contextlib.contextmanager
def large_images_quiet():
    """Neither Pillow's size warning nor ours (:func:`load_image`'s) inside
    the block: for callers that report large images their own way. Changes
    the process's warning filters: for code that runs every thread of its
    process (a worker, a command)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.filterwarnings(
            "ignore", message=".*above Pillow's limit for untrusted files"
        )
        yield


@dataclass(slots=True)  # one per file of a dataset: kept small
class ImageFileInfo:
    """What decoding one file told: ``reason`` is None when it decoded."""

    path: str
    reason: str = None
    format: str = None
    mode: str = None
    size: tuple = None  # (width, height), after EXIF orientation

    @property
    def ok(self):
        return self.reason is None


def check_image_file(path):
    """Decode ``path`` (JPEG at a reduced scale, which reads all of it); say
    why it cannot be, or its format and mode ("I;16" for 16-bit pixels,
    whatever mode Pillow opens them in). A plain JPEG file may be checked
    without Pillow, with the same answer (:mod:`._jpeg`).

    Every failure to open or decode the file, whatever a reader raises, is
    a reason (the file is unreadable), never an error.

    Parameters
    ----------
    path : str

    Returns
    -------
    info : ImageFileInfo
    """
    problem = file_problem(path)
    if problem is not None:
        return ImageFileInfo(path, reason=problem)
    quick = quick_jpeg_check(path)
    if quick is not None:  # Pillow's answer, found faster (``_jpeg``)
        mode, size = quick
        return ImageFileInfo(path, None, "JPEG", mode, size)
    return check_with_pillow(path)


def check_with_pillow(path):
    """:func:`check_image_file` of a file that exists, by Pillow."""
    try:
        with open_image(path, own_threads=True) as image:
            (width, height), mode = image.size, image.mode
            if stores_16_bits(image):
                mode = "I;16"
            if image.format == "JPEG":
                # decoded at 1/8 scale: the whole compressed stream is still
                # read, so a truncated or corrupt file fails as in full (the
                # same errors), in about 60 % of the time on photos
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()  # finds truncated files, which the header hides
            if image.mode not in _READ_AS_THEY_ARE:  # their conversion too
                from ._decoding import image_array  # (it imports this module)

                image_array(image)
            orientation = image.getexif().get(0x0112, 1)
            if orientation in (5, 6, 7, 8):  # a quarter turn swaps the sides
                width, height = height, width
            return ImageFileInfo(path, None, image.format, mode, (width, height))
    except Warning:  # a warning the filters made an error: not the file's
        raise
    except Exception as exc:  # any failure to open or decode: unreadable
        return ImageFileInfo(path, reason=reason_of(exc))
