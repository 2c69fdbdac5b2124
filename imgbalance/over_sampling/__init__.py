"""Over-samplers for image collections."""

from ._augmenting import AugmentingOverSampler
from ._growth import grow_by
from ._random import RandomImageOverSampler
from ._smote import EmbeddingSMOTE

__all__ = [
    "AugmentingOverSampler",
    "EmbeddingSMOTE",
    "RandomImageOverSampler",
    "grow_by",
]
