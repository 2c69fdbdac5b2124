"""Over-samplers for image collections."""

from ._random import RandomImageOverSampler

__all__ = ["RandomImageOverSampler"]
