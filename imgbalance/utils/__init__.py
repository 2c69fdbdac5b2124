"""Helpers on image collections: decoding and stacking.

They are the parts of the input contract users call directly. The
package's private modules hold the small tools the rest of imgbalance
shares (lazy exports, shared docstrings, joblib helpers, backends).
"""

from ._lazy import lazy_exports

__all__ = ["ImageModeWarning", "load_image", "stack_images"]

# stacking checks with scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "ImageModeWarning": ".._contract._modes",
        "load_image": ".._contract._decoding",
        "stack_images": ".._contract._stacking",
    },
)
