"""Datasets: folder-per-class scanning, controlled imbalance, built-in images,
an example folder on disk, the labels of a Hugging Face dataset."""

from ..utils._lazy import lazy_exports
from ._folder import load_image_folder
from ._huggingface import dataset_labels, is_hf_dataset
from ._scanning import IMAGE_EXTENSIONS

__all__ = [
    "IMAGE_EXTENSIONS",
    "dataset_labels",
    "is_hf_dataset",
    "load_digits_images",
    "load_image_folder",
    "make_defects",
    "make_example_folder",
    "make_imbalance",
    "make_shapes",
]

# they import scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "load_digits_images": "._digits",
        "make_defects": "._defects",
        "make_example_folder": "._example_folder",
        "make_imbalance": "._imbalance",
        "make_shapes": "._shapes",
    },
)
