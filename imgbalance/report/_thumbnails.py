"""Small previews of image files, inline in a page: aspect ratio kept;
16-bit, palette, float and transparent images shown as they look."""

import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from .._contract._files import file_problem, open_image, stores_16_bits

__all__ = ["Thumbnail", "make_thumbnail"]

# modes Pillow shows as they are; the others are converted first
_SHOWN = {"L", "RGB", "RGBA", "LA"}
_CONVERT = {"1": "L", "PA": "RGBA", "CMYK": "RGB", "YCbCr": "RGB", "LAB": "RGB"}
_CONVERT.update({"HSV": "RGB", "La": "LA", "RGBa": "RGBA", "RGBX": "RGB"})


@dataclass(frozen=True)
class Thumbnail:
    """A preview: its ``data:`` URI and the size to show it at (the longer
    side ``side`` pixels: small images are enlarged on screen, not in the
    file)."""

    uri: str
    width: int
    height: int


def _eight_bit(image, side, sixteen_bits=False):
    """An image Pillow can save as PNG or JPEG, at most a few times ``side``
    a side: palettes expanded (to RGBA when one colour is transparent),
    16-bit, 32-bit and float images reduced first (box averages: the big
    image never goes through numpy), then scaled to 8 bits by the package's
    intensity rule: 16-bit pixels on 0..65535 (also those Pillow opens in
    mode "I", as a 16-bit PGM: ``sixteen_bits``), floats on 0..1 (NaN shown
    black), other 32-bit integers on 0..255 (clipped)."""
    mode = image.mode
    if mode in _SHOWN:
        return image
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in _CONVERT:
        return image.convert(_CONVERT[mode])
    if mode.startswith("I;16"):
        image = image.convert("I")
    factor = max(1, max(image.size) // (2 * side))
    if factor > 1:
        image = image.reduce(factor)
    values = np.asarray(image, dtype=np.float64)
    if mode == "F":
        full = 1.0
    elif mode.startswith("I;16") or sixteen_bits:
        full = 65535.0
    else:
        full = 255.0
    values = np.nan_to_num(values * (255.0 / full), nan=0.0, posinf=255.0, neginf=0.0)
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))


def _encoded(image):
    """The bytes and type of a preview: PNG for small and transparent
    images (exact, and JPEG has no alpha), JPEG otherwise (a tenth of the
    size on photographs)."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or image.width * image.height <= 48 * 48:
        image.save(buffer, "PNG", optimize=False)
        return buffer.getvalue(), "image/png"
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue(), "image/jpeg"


def make_thumbnail(path, side=96):
    """The preview of the image file ``path``.

    Parameters
    ----------
    path : str
    side : int, default=96
        Longer side of the preview, in pixels.

    Returns
    -------
    thumbnail : Thumbnail

    Raises
    ------
    OSError
        When the file cannot be read or decoded (``str`` says why).
    """
    problem = file_problem(path)  # before opening: a named pipe would block
    if problem is not None:
        raise OSError(problem)
    try:
        with open_image(path) as image:
            sixteen = stores_16_bits(image)
            if image.format == "JPEG":  # decoded at a reduced scale: faster
                image.draft(image.mode, (side, side))
            image.load()
            image = _eight_bit(ImageOps.exif_transpose(image), side, sixteen)
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
    except (MemoryError, Warning):  # not the file's fault
        raise
    except Exception as exc:  # any failure to open or decode the file
        raise OSError(" ".join(str(exc).split()) or type(exc).__name__) from None
    data, kind = _encoded(image)
    scale = side / max(image.size)
    return Thumbnail(
        uri=f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}",
        width=max(1, round(image.width * scale)),
        height=max(1, round(image.height * scale)),
    )
