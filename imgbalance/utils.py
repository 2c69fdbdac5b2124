"""Helpers on image collections: decoding and stacking.

The checks themselves live in one private module; these are the parts users
call directly.
"""

from ._validation import load_image, stack_images

__all__ = ["load_image", "stack_images"]
