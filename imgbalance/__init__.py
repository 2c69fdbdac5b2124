"""imgbalance: balance imbalanced image-classification datasets.

Image-aware resamplers with imbalanced-learn's ``fit_resample`` API, image
feature extractors as scikit-learn transformers, and the ``imgbalance``
command.

Every sampler and transformer accepts an *image collection* ``X`` with labels
``y``:

- an array ``(n, h, w)`` or ``(n, h, w, c)`` of any numeric dtype;
- a 2-D array ``(n, features)`` of flattened images, with
  ``image_shape=(h, w[, c])`` where the geometry matters;
- a sequence (list, tuple, 1-D array, pandas Series) of file paths, PIL
  images or arrays, possibly of different sizes.

Output follows input: arrays in, arrays out with the same dtype and trailing
shape; a list in, a list out.

What the top level exports: every sampler (the estimators of
``imgbalance.over_sampling`` and ``imgbalance.under_sampling``), the names a
pipeline starts from. Everything else is imported from its sub-package
(``imgbalance.features``, ``imgbalance.augment``, ``imgbalance.folder``...).
"""

__version__ = "0.1.0.dev0"

from .utils._lazy import lazy_exports

# imported when first used: ``import imgbalance`` (and the command's --help)
# does not import scikit-learn
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "AugmentingOverSampler": ".over_sampling",
        "EmbeddingSMOTE": ".over_sampling",
        "RandomImageOverSampler": ".over_sampling",
        "DuplicateUnderSampler": ".under_sampling",
        "EmbeddingUnderSampler": ".under_sampling",
        "RandomImageUnderSampler": ".under_sampling",
    },
)

__all__ = [
    "AugmentingOverSampler",
    "DuplicateUnderSampler",
    "EmbeddingSMOTE",
    "EmbeddingUnderSampler",
    "RandomImageOverSampler",
    "RandomImageUnderSampler",
    "__version__",
]
