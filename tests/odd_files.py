"""A corpus of odd image files, made on the fly, for the adversarial tests
of the folder commands (``tests/test_adversarial_corpus.py``).

``make_odd_folder(root)`` writes a folder-per-class dataset whose class
``odd`` holds what real folders and careless or hostile users bring: every
mode Pillow writes in each format the scan takes (PNG, TIFF, BMP, GIF,
JPEG, WebP, PPM/PGM), other formats under an image's name (DDS, JPEG 2000,
QOI, ICO, TGA, EPS, PDF...), animated GIF and WebP, EXIF
orientations, a CMYK JPEG, truncated and zero-byte files, decompression
bombs, names that differ only by Unicode normalisation or case, names with
a line end or a leading dash. Every image is 16x16, so that every method of
``balance`` (SMOTE too) has something to do. ``full=True`` writes every
mode in every format and the larger cases (a bomb within twice Pillow's
limit, read in full). To look at it by hand::

    python tests/odd_files.py /tmp/odd [full]
"""

import io
import os
import sys
import unicodedata

import numpy as np
from PIL import Image

MODES = [
    "1",
    "L",
    "LA",
    "La",
    "P",
    "PA",
    "RGB",
    "RGBA",
    "RGBa",
    "RGBX",
    "CMYK",
    "YCbCr",
    "LAB",
    "HSV",
    "I",
    "I;16",
    "I;16B",
    "I;16L",
    "I;16N",
    "F",
]
# the formats of the files the scan takes, by extension
FORMATS = {
    "PNG": ".png",
    "TIFF": ".tif",
    "BMP": ".bmp",
    "GIF": ".gif",
    "JPEG": ".jpg",
    "WEBP": ".webp",
    "PPM": ".ppm",
}
# formats the scan does not take by name: saved under a .png name
OTHERS = [
    "DDS",
    "JPEG2000",
    "QOI",
    "ICO",
    "TGA",
    "PCX",
    "SGI",
    "IM",
    "EPS",
    "PDF",
    "XBM",
    "MSP",
]
SIDE = 16


def _pixels(mode, seed):
    """A 16x16 image of ``mode`` with some structure (a gradient and
    noise), built from an RGB one."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 255, SIDE)[None, :, None]
    rgb = np.clip(ramp + rng.normal(0, 40, (SIDE, SIDE, 3)), 0, 255).astype(np.uint8)
    image = Image.fromarray(rgb, "RGB")
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        deep = rgb[..., 0].astype(np.int32) * 257  # 16-bit values
        return (
            Image.fromarray(deep, "I").convert(mode)
            if mode != "I"
            else (Image.fromarray(deep, "I"))
        )
    if mode == "F":
        return Image.fromarray(rgb[..., 0].astype(np.float32) / 255, "F")
    if mode in ("PA",):
        return image.convert("P").convert("PA")
    if mode in ("La", "RGBa"):
        return image.convert("RGBA").convert(mode)
    return image.convert(mode)


def _encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _saved(folder, name, image, image_format, **options):
    """Write ``image`` as ``image_format`` to ``folder/name``; False when
    Pillow cannot write that mode in that format."""
    try:
        data = _encoded(image, image_format, **options)
    except Exception:  # not writable in this format: not a case
        return False
    with open(os.path.join(folder, name), "wb") as file:
        file.write(data)
    return True


def _animated(folder, image_format, extension):
    frames = [_pixels("RGB", seed) for seed in range(3)]
    data = _encoded(
        frames[0], image_format, save_all=True, append_images=frames[1:], duration=50
    )
    with open(os.path.join(folder, f"animated{extension}"), "wb") as file:
        file.write(data)


def _exif_orientations(folder, which):
    for orientation in which:
        image = _pixels("RGB", 10 + orientation)
        exif = Image.Exif()
        exif[0x0112] = orientation
        path = os.path.join(folder, f"exif-{orientation}.jpg")
        image.save(path, "JPEG", exif=exif.tobytes())


def _bombs(folder, full):
    """1-bit PNGs of many pixels in few bytes: above twice Pillow's limit
    (refused when opened: unreadable), and, with ``full``, within it (read
    in full, with a note)."""
    limit = Image.MAX_IMAGE_PIXELS
    side = int((2.1 * limit) ** 0.5)
    Image.new("1", (side, side)).save(os.path.join(folder, "bomb.png"))
    if full:
        side = int((1.05 * limit) ** 0.5)
        Image.new("1", (side, side)).save(os.path.join(folder, "large.png"))


def _broken(folder):
    whole = _encoded(_pixels("RGB", 3), "PNG")
    jpeg = _encoded(_pixels("RGB", 4), "JPEG")
    for name, data in [
        ("zero-bytes.png", b""),
        ("truncated.png", whole[: len(whole) // 2]),
        ("truncated.jpg", jpeg[: len(jpeg) // 2]),
        ("header-only.png", whole[:33]),
        ("text.png", b"not an image at all\n"),
    ]:
        with open(os.path.join(folder, name), "wb") as file:
            file.write(data)


def _names(folder):
    """Files whose names differ only by Unicode normalisation or case, or
    hold a line end, a tab or a leading dash (distinct files where the
    file system keeps them apart)."""
    word = "caf\u00e9"
    names = [
        unicodedata.normalize("NFC", word) + ".png",
        unicodedata.normalize("NFD", word) + ".png",
        "Case.png",
        "case.png",
        "CASE.PNG",
        "line\nend.png",
        "tab\there.png",
        "-leading-dash.png",
        "--help.png",
        " space first.png",
    ]
    for i, name in enumerate(names):
        try:
            _pixels("RGB", 50 + i).save(os.path.join(folder, name), "PNG")
        except OSError:  # a file system that refuses the name
            pass


def make_odd_folder(root, *, full=False):
    """Write the corpus under ``root`` (``root/common/``: 8 plain PNGs,
    ``root/odd/``: the odd files); returns the number of odd files."""
    common = os.path.join(root, "common")
    odd = os.path.join(root, "odd")
    os.makedirs(common)
    os.makedirs(odd)
    for i in range(8):
        _pixels("RGB", 100 + i).save(os.path.join(common, f"{i}.png"))
    formats = FORMATS if full else {"PNG": ".png", "TIFF": ".tif"}
    for image_format, extension in formats.items():
        for mode in MODES:
            name = f"{image_format.lower()}-{mode.replace(';', '_')}{extension}"
            _saved(odd, name, _pixels(mode, len(name)), image_format)
    if not full:  # one file of each other format the scan takes
        for image_format, extension in FORMATS.items():
            if image_format not in formats:
                _saved(odd, f"one{extension}", _pixels("RGB", 7), image_format)
        with open(os.path.join(odd, "gray16.pgm"), "wb") as file:
            deep = (np.arange(SIDE * SIDE).reshape(SIDE, SIDE) * 250).astype(">u2")
            file.write(f"P5 {SIDE} {SIDE} 65535\n".encode() + deep.tobytes())
    for image_format in OTHERS if full else OTHERS[:4]:
        _saved(
            odd, f"other-{image_format.lower()}.png", _pixels("RGB", 9), image_format
        )
    _animated(odd, "GIF", ".gif")
    _animated(odd, "WEBP", ".webp")
    _exif_orientations(odd, range(1, 9) if full else (3, 6, 8))
    _saved(odd, "cmyk.jpg", _pixels("CMYK", 11), "JPEG")
    _broken(odd)
    _bombs(odd, full)
    _names(odd)
    return len(os.listdir(odd))


if __name__ == "__main__":
    print(make_odd_folder(sys.argv[1], full=sys.argv[2:] == ["full"]), "odd files")
