"""The format each output is written in, what writing in it changes, and
the writing of decoded pixels in it."""

import numpy as np
from PIL import Image

from .._contract._checking import codes
from ..utils._backends import opencv_available
from ..utils._counting import count_codes
from ._files import write_atomically, write_bytes
from ._refusal import BalanceRefused, option

__all__ = [
    "EXTENSION",
    "FORMAT_OF_EXTENSION",
    "Formats",
    "encoded_jpeg",
    "formats_of",
    "save",
]

# Pillow format -> the extension of files we write in it
EXTENSION = {
    "BMP": ".bmp",
    "GIF": ".gif",
    "JPEG": ".jpg",
    "PNG": ".png",
    "PPM": ".ppm",
    "TIFF": ".tif",
    "WEBP": ".webp",
}


# extensions that already name a format correctly
FORMAT_OF_EXTENSION = {
    ".bmp": "BMP",
    ".gif": "GIF",
    ".jpeg": "JPEG",
    ".jpg": "JPEG",
    ".pgm": "PPM",
    ".png": "PNG",
    ".ppm": "PPM",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".webp": "WEBP",
}


SAVE_OPTIONS = {"JPEG": {"quality": 95}, "WEBP": {"quality": 95}}


def written_format(source_format, image_format):
    """The Pillow format of the files made from a source."""
    if image_format != "keep":
        return image_format
    if source_format in EXTENSION:
        return source_format
    if source_format == "MPO":  # a camera's JPEG with extra frames
        return "JPEG"
    return "PNG"


def conversion_note(mode, image_format):
    """What storing an image of ``mode`` as ``image_format`` changes."""
    if image_format != "JPEG":
        return ""
    if mode in ("RGBA", "LA", "PA"):
        return "alpha dropped: JPEG has none"
    if mode == "P":
        return "palette to RGB: JPEG has no palette"
    if mode in ("I;16", "I;16B", "I;16L"):
        return "16-bit to 8-bit: JPEG has 8 bits"
    if mode == "1":
        return "1-bit to 8-bit gray for JPEG"
    if mode not in ("L", "RGB"):
        return f"{mode} to RGB for JPEG"
    return ""


def refuse_wide_pixels(files, mode, written, source_format=None):
    """32-bit pixels (mode I: integers, F: floats) have no full scale that
    8- or 16-bit formats could map them to without a guess (an int32
    gradient from 0 to 1000 would come out black): refused, naming
    ``files`` (relative paths); ``source_format``: where the files' own
    format is kept but cannot be written (it is written as ``written``)."""
    kind = "32-bit integer (mode I)" if mode == "I" else "32-bit float (mode F)"
    if source_format is None:
        fix = f"use {option('image_format', 'keep')}, or convert them"
    else:
        fix = f"imgbalance writes {source_format} files as {written}: convert them"
    raise BalanceRefused(
        f"{len(files)} image(s) of SRC hold {kind} pixels, which {written} "
        f"cannot store without choosing a scale ({', '.join(files[:3])}"
        f"{', ...' if len(files) > 3 else ''}); {fix} to 8 or 16 bits first."
    )


def to_image(array, image_format):
    """A PIL image of ``array`` that ``image_format`` can store."""
    image = Image.fromarray(array)
    if image_format == "JPEG":
        if image.mode in ("I;16", "I"):
            image = Image.fromarray((array >> 8).astype(np.uint8))
        elif image.mode == "LA":
            image = image.convert("L")
        elif image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
    return image


def encoded_jpeg(array):
    """The JPEG file of a uint8 gray or RGB ``array`` at :data:`SAVE_OPTIONS`'
    quality, made by OpenCV's libjpeg-turbo (about half the time Pillow
    takes on small images, with the same settings: quality 95, 4:2:0
    chroma for colour, none for gray; the bytes equal Pillow's where both
    link libjpeg-turbo 3), or None for another array or without OpenCV."""
    if array.dtype != np.uint8 or not opencv_available():
        return None
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim != 2 and not (array.ndim == 3 and array.shape[2] == 3):
        return None
    import cv2

    if array.ndim == 3:  # OpenCV's order is BGR
        array = cv2.cvtColor(np.ascontiguousarray(array), cv2.COLOR_RGB2BGR)
    quality = SAVE_OPTIONS["JPEG"]["quality"]
    done, data = cv2.imencode(".jpg", array, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return data.data if done else None


def save(array, path, image_format):
    """Write ``array`` to ``path`` in ``image_format`` (written whole or not
    at all, :func:`~._files.write_atomically`)."""
    data = encoded_jpeg(array) if image_format == "JPEG" else None
    if data is not None:
        write_atomically(path, lambda t: write_bytes(t, data), exclusive=True)
        return
    image = to_image(array, image_format)
    write_atomically(
        path,
        lambda temporary: image.save(
            temporary, format=image_format, **SAVE_OPTIONS.get(image_format, {})
        ),
    )


class Formats:
    """The format each source's outputs are written in, and what writing in
    it changes, a few bytes a source: ``format_codes`` and ``note_codes``
    hold codes into ``format_names`` (Pillow formats) and ``note_texts``
    ("" for nothing)."""

    def __init__(self, format_codes, format_names, note_codes, note_texts):
        self.format_codes, self.format_names = format_codes, format_names
        self.note_codes, self.note_texts = note_codes, note_texts

    def name(self, s):
        """The Pillow format source ``s``'s outputs are written in."""
        return self.format_names[self.format_codes[s]]

    def note(self, s):
        """What writing source ``s`` in that format changes."""
        return self.note_texts[self.note_codes[s]]


def formats_of(sources, image_format):
    """The :class:`Formats` of the readable ``sources`` for the
    ``image_format`` option; refused where a format cannot store a source's
    pixels.

    Decided once per (source format, mode) pair, not once per file.
    """
    checked, keep = sources.checked, sources.keep
    # a code per (format, mode) pair: a few dozen formats and modes (256 at
    # most: 2 bytes a pair), so the pairs found are counted, not sorted;
    # made a part at a time, not from copies of every file's format and mode
    pairs = np.empty(len(keep), dtype=np.uint16)
    for low in range(0, len(keep), 2**16):
        part = keep[low : low + 2**16]
        made = checked.format[part].astype(np.uint16) * len(checked.modes)
        pairs[low : low + len(part)] = made + checked.mode[part]
    unique = np.flatnonzero(count_codes(pairs))
    names, note_texts = [], []
    written_of = np.zeros(unique[-1] + 1 if len(unique) else 0, dtype=np.uint8)
    note_of = np.zeros_like(written_of)
    for pair in unique.tolist():
        source_format = checked.formats[pair // len(checked.modes)]
        mode = checked.modes[pair % len(checked.modes)]
        written = written_format(source_format, image_format)
        if mode in ("I", "F") and written != source_format:
            files = [sources.relative(i) for i in np.flatnonzero(pairs == pair)]
            kept = source_format if image_format == "keep" else None
            refuse_wide_pixels(files, mode, written, kept)
        written_of[pair] = codes([written], names)[0]
        note_of[pair] = codes([conversion_note(mode, written)], note_texts)[0]
    # a few formats and notes: a byte each a source
    return Formats(written_of[pairs], names, note_of[pairs], note_texts)
