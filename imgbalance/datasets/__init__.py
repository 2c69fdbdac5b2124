"""Datasets: folder-per-class scanning, controlled imbalance, built-in images."""

from .._lazy import lazy_exports
from ._folder import IMAGE_EXTENSIONS, load_image_folder

__all__ = [
    "IMAGE_EXTENSIONS",
    "load_digits_images",
    "load_image_folder",
    "make_imbalance",
    "make_shapes",
]

# they import scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "load_digits_images": "._digits",
        "make_imbalance": "._imbalance",
        "make_shapes": "._shapes",
    },
)
