"""Photo tiles of scikit-image's bundled photographs, and near-duplicates of
them, for the tests of duplicates and of leak-free splits."""

import io

import numpy as np
import skimage.data
from PIL import Image

PHOTOS = [
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "camera",
    "moon",
    "brick",
    "grass",
    "gravel",
    "coins",
    "cell",
]


def photo_tiles(size=128, min_std=20):
    """Non-overlapping tiles of scikit-image's photos, leaving out the
    nearly flat ones (sky, background), which are alike by nature."""
    tiles = []
    for name in PHOTOS:
        image = getattr(skimage.data, name)()
        if image.ndim == 2:
            image = np.stack([image] * 3, axis=-1)
        image = image[..., :3].astype(np.uint8)
        for r in range(0, image.shape[0] - size + 1, size):
            for c in range(0, image.shape[1] - size + 1, size):
                tile = image[r : r + size, c : c + size]
                if tile.std() >= min_std:
                    tiles.append(tile)
    return tiles


def jpeg_copy(image, quality=70):
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=quality)
    return np.asarray(Image.open(buffer).convert("RGB"))


def resized_copy(image):
    """Half the size and back."""
    size = image.shape[0]
    half = Image.fromarray(image).resize((size // 2, size // 2), Image.BILINEAR)
    return np.asarray(half.resize((size, size), Image.BILINEAR))


def shifted_copy(image, by=2):
    """Moved ``by`` pixels right and down, the edge repeated."""
    padded = np.pad(image, ((by, 0), (by, 0), (0, 0)), mode="edge")
    return np.ascontiguousarray(padded[: image.shape[0], : image.shape[1]])


def copies_of(image):
    """Re-encoded (JPEG quality 70), resized (half size and back) and
    brightened (+5 %) copies."""
    brighter = np.clip(np.rint(image * 1.05), 0, 255).astype(np.uint8)
    return [jpeg_copy(image), resized_copy(image), brighter]
