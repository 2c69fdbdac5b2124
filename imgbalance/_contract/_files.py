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
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

__all__ = [
    "ImageFileInfo",
    "check_image_file",
    "large_image_message",
    "large_images_quiet",
    "open_image",
]


def open_image(path, *, own_threads=False):
    """``Image.open(path)`` without Pillow's ``DecompressionBombWarning``.

    ``warnings.catch_warnings`` changes the filters of the whole process
    (before Python 3.14), so the warning is silenced only where no other
    thread can be warning at the same time: when this is the process's one
    thread, or when the caller runs every thread of it (``own_threads``).
    Elsewhere Pillow's warning shows as it is.
    """
    if not own_threads and threading.active_count() > 1:
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
    why it cannot be, or its format and mode.

    Parameters
    ----------
    path : str

    Returns
    -------
    info : ImageFileInfo
    """
    try:
        if os.path.getsize(path) == 0:
            return ImageFileInfo(path, reason="empty file (0 bytes)")
        with open_image(path, own_threads=True) as image:
            (width, height), mode = image.size, image.mode
            if image.format == "JPEG":
                # decoded at 1/8 scale: the whole compressed stream is still
                # read, so a truncated or corrupt file fails as in full (the
                # same errors), in about 60 % of the time on photos
                image.draft(mode, (max(1, width // 8), max(1, height // 8)))
            image.load()  # finds truncated files, which the header hides
            orientation = image.getexif().get(0x0112, 1)
            if orientation in (5, 6, 7, 8):  # a quarter turn swaps the sides
                width, height = height, width
            return ImageFileInfo(path, None, image.format, mode, (width, height))
    except UnidentifiedImageError:
        return ImageFileInfo(path, reason="not an image file Pillow can read")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        reason = " ".join(str(exc).split())  # one line, whatever the library said
        return ImageFileInfo(path, reason=f"cannot be decoded: {reason}")
