"""Datasets: folder-per-class scanning, controlled imbalance, built-in images."""

from ._digits import load_digits_images
from ._folder import IMAGE_EXTENSIONS, load_image_folder
from ._imbalance import make_imbalance

__all__ = [
    "IMAGE_EXTENSIONS",
    "load_digits_images",
    "load_image_folder",
    "make_imbalance",
]
