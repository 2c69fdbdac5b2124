"""A quick check of plain JPEG files: the answer Pillow's check gives, at
less than half its cost on small images, or no answer.

Checking a file decodes it whole, so that a truncated or corrupt file is
found before anything is written. On small JPEGs most of the cost of
doing that with Pillow is not the decoding but Python: the markers parsed
a few bytes at a time, the decoder set up, the image objects made (about
45 of the 80 us a 64x64 JPEG takes). Here the file is read at once, its
markers parsed from the bytes, and its compressed data decoded at 1/8
scale by OpenCV's libjpeg: about 30 us.

The check answers only for the files on which that answer is Pillow's
(:func:`quick_jpeg_check`): a baseline JPEG of 8-bit grey or colour
pixels, one scan, a JFIF header or none, no Exif (no orientation), and
compressed data holding no marker but restarts up to the end-of-image
marker that ends the file. The last rule is what finds a truncated file
(it does not end with that marker) and a corrupt one that libjpeg reads
with a warning but Pillow refuses (a marker where data should be). On
anything else (another format, a progressive file, Exif, a file OpenCV
cannot decode, a big file) it answers None and the caller asks Pillow,
whose reasons are the ones shown. ``tests/test_jpeg_check.py`` compares
the two on thousands of damaged files.
"""

import os
import re
import struct
import sys

from PIL import Image

from ..utils._pool import one_thread_at_work as _alone

__all__ = ["JPEG_EXTENSIONS", "QUICK_MAX_BYTES", "quick_jpeg_check"]

# files larger than this go to Pillow: its own costs are small beside
# the decoding there, and a file is read whole here
QUICK_MAX_BYTES = 1 << 20

JPEG_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".jfif")

# the markers looked at (of a start of frame: baseline and extended
# sequential, Huffman-coded); before the scan a file may also hold DHT, DRI
# and COM segments, and nothing else
_SOF, _DQT, _APP0, _SOS = (0xC0, 0xC1), 0xDB, 0xE0, 0xDA
_OTHERS_ALLOWED = (0xC4, 0xDD, 0xFE)
# in compressed data: 0xFF is followed by a stuffed 0x00 or a restart
# marker; anything else there is a marker Pillow's libjpeg stops on
_MARKER_IN_DATA = re.compile(rb"\xff(?![\x00\xd0-\xd7])")

_null_fd = None  # os.devnull, opened once per process
_kept_fd = None  # standard error while it is redirected


def quick_jpeg_check(path):
    """``(mode, (width, height))`` of a plain JPEG file that decodes,
    exactly what Pillow's check would say of it, or None where this check
    cannot tell (the file may still be fine: ask Pillow).

    Needs OpenCV already imported (the caller imports it where the number
    of files pays for its import) and the process to have no thread but
    this one (and a worker's watchdog, which only waits): libjpeg's warnings
    on a corrupt file go to the process's standard error, which is pointed
    at the null device while it decodes.
    """
    cv2, path = sys.modules.get("cv2"), os.fspath(path)
    if cv2 is None or not isinstance(path, str):
        return None
    if not path.lower().endswith(JPEG_EXTENSIONS):
        return None
    if not _alone():  # another thread may be writing to standard error
        return None
    try:
        with open(path, "rb", buffering=0) as file:
            if os.fstat(file.fileno()).st_size > QUICK_MAX_BYTES:
                return None
            data = file.read()  # sized by the file: one allocation
    except OSError:
        return None
    header = plain_jpeg_header(data)
    if header is None:
        return None
    mode, size = header
    limit = Image.MAX_IMAGE_PIXELS  # above it Pillow warns or refuses
    if limit is not None and size[0] * size[1] > limit:
        return None
    import numpy as np

    buffer = np.frombuffer(data, dtype=np.uint8)
    try:
        pixels = _decoded_unseen(cv2, buffer)
    except OSError:  # standard error could not be redirected
        return None
    if pixels is None:  # libjpeg stopped on an error: Pillow says which
        return None
    return mode, size


def plain_jpeg_header(data):
    """``(mode, (width, height))`` from the bytes of a JPEG file that has
    the plain form :func:`quick_jpeg_check` answers for, else None. Checks
    the markers as Pillow's parser would (every segment whole, quantization
    tables of the length they say) and the compressed data's markers.

    The files of a dataset made by one encoder often share all their bytes
    up to the compressed data: such a header, once parsed, is known by
    those bytes (the answer depends on nothing else but the data after).
    """
    if not data.endswith(b"\xff\xd9"):
        return None
    scan = data.find(b"\xff\xda", 2)  # where the scan starts, most often
    if 0 < scan < len(data) - 4:
        start = scan + 4 + (data[scan + 2] << 8 | data[scan + 3]) - 2
        known = _HEADERS.get(data[:start])
        if known is not None:
            return _data_plain(data, start, known)
    return _parsed(data)


# headers parsed (the bytes up to the compressed data) -> (mode, size)
_HEADERS = {}
_HEADERS_KEPT = 64


def _data_plain(data, start, header):
    """``header``, if the compressed data from ``start`` holds no marker
    but restarts before the end-of-image marker; else None."""
    if _MARKER_IN_DATA.search(data, start, len(data) - 2):
        return None
    return header


def _parsed(data):
    """:func:`plain_jpeg_header` by parsing the markers one by one."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at, end, frame = 2, len(data), None
    try:
        while True:
            if data[at] != 0xFF:
                return None  # junk between markers: Pillow skips it, libjpeg warns
            marker = data[at + 1]
            (length,) = struct.unpack_from(">H", data, at + 2)
            segment = data[at + 4 : at + 2 + length]
            if length < 2 or at + 2 + length > end:
                return None
            if marker == _SOS:
                start = at + 2 + length
                header = _scan_start(segment, frame)
                if header is None:
                    return None
                if len(_HEADERS) >= _HEADERS_KEPT:
                    _HEADERS.clear()
                _HEADERS[data[:start]] = header
                return _data_plain(data, start, header)
            if marker in _SOF:
                if frame is not None:
                    return None
                frame = _frame(segment)
                if frame is None:
                    return None
            elif marker == _DQT:
                if not _tables_whole(segment):
                    return None
            elif marker == _APP0:
                if not _jfif(segment):
                    return None
            elif marker not in _OTHERS_ALLOWED:
                return None
            at += 2 + length
    except (IndexError, struct.error):
        return None


def _frame(segment):
    """``(mode, size, component ids)`` of a start-of-frame segment, or
    None: 8-bit samples, 1 or 3 components, both sides above 0, sampling
    factors Pillow's libjpeg upsamples by."""
    if len(segment) < 6:
        return None
    precision, height, width, n = struct.unpack_from(">BHHB", segment)
    if precision != 8 or n not in (1, 3) or len(segment) != 6 + 3 * n:
        return None
    if width == 0 or height == 0:
        return None
    if not _whole_sampling(segment[7 : 6 + 3 * n : 3]):
        return None
    ids = bytes(segment[6 + 3 * i] for i in range(n))
    return ("L" if n == 1 else "RGB"), (width, height), ids


def _whole_sampling(factors):
    """Whether the sampling factors (a byte each: horizontal, vertical)
    are 1 to 4 and each divides the largest of its direction. Pillow's
    libjpeg upsamples a component by whole factors only (it refuses
    3 against 2); OpenCV's, decoding the luma alone to grey, does not
    upsample the chroma and would read such a file."""
    sides = [divmod(factor, 16) for factor in factors]
    if any(not (1 <= h <= 4 and 1 <= v <= 4) for h, v in sides):
        return False
    most_h, most_v = max(h for h, _ in sides), max(v for _, v in sides)
    return all(most_h % h == 0 and most_v % v == 0 for h, v in sides)


def _tables_whole(segment):
    """Whether a DQT segment is quantization tables of 8 or 16-bit values,
    each of the length it says, and nothing else."""
    at = 0
    while at < len(segment):
        precision, table = divmod(segment[at], 16)
        if precision > 1 or table > 3:
            return False
        at += 1 + 64 * (precision + 1)
    return at == len(segment)


def _jfif(segment):
    """Whether an APP0 segment is a whole JFIF header of version 1.x (no
    other APP0: an extension may hold a thumbnail)."""
    return segment.startswith(b"JFIF\x00") and len(segment) >= 14 and segment[5] == 1


def _scan_start(segment, frame):
    """``(mode, size)`` of the frame whose one scan starts with ``segment``
    (a start-of-scan segment), or None: the scan holds every component of
    the frame."""
    if frame is None or not segment:
        return None
    mode, size, ids = frame
    n = segment[0]
    if n != len(ids) or len(segment) != 4 + 2 * n:
        return None
    if bytes(segment[1 + 2 * i] for i in range(n)) != ids:
        return None
    return mode, size


def _decoded_unseen(cv2, buffer):
    """OpenCV's grey decoding of ``buffer`` at 1/8 scale, standard error
    (the file descriptor) pointed at the null device meanwhile: libjpeg
    prints its warnings there. Raises OSError where it cannot be.

    A signal's handler (a stop, Ctrl-C) may raise after any step: standard
    error is given back first thing in a ``finally``, and is kept meanwhile
    in a descriptor of this module's (no descriptor is made that such an
    exception could leave open).
    """
    global _null_fd, _kept_fd
    if _null_fd is None:  # once per process: two descriptors of its own
        _null_fd = os.open(os.devnull, os.O_WRONLY)
    if _kept_fd is None:
        _kept_fd = os.dup(_null_fd)
    os.dup2(2, _kept_fd, inheritable=False)
    try:
        os.dup2(_null_fd, 2)
        return cv2.imdecode(buffer, cv2.IMREAD_REDUCED_GRAYSCALE_8)
    finally:
        os.dup2(_kept_fd, 2)
        # holds standard error no longer
        os.dup2(_null_fd, _kept_fd, inheritable=False)
