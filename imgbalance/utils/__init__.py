"""Helpers on image collections: decoding and stacking; imgbalance's
settings (where samplers write their images, how much memory a part of
them takes: :func:`config_context`).

The helpers are the parts of the input contract users call directly. The
package's private modules hold the small tools the rest of imgbalance
shares (lazy exports, shared docstrings, joblib helpers, backends).
"""

from ._config import config_context, get_config, set_config
from ._lazy import lazy_exports

__all__ = [
    "ImageModeWarning",
    "config_context",
    "get_config",
    "load_image",
    "set_config",
    "stack_images",
]

# stacking checks with scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "ImageModeWarning": ".._contract._modes",
        "load_image": ".._contract._decoding",
        "stack_images": ".._contract._stacking",
    },
)
