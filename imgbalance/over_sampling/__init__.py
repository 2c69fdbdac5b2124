"""Over-samplers for image collections."""

from ._augmenting import AugmentingOverSampler
from ._random import RandomImageOverSampler

__all__ = ["AugmentingOverSampler", "RandomImageOverSampler"]
