"""Under-samplers for image collections."""

from ._random import RandomImageUnderSampler

__all__ = ["RandomImageUnderSampler"]
