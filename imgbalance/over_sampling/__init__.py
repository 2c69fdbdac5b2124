"""Over-samplers for image collections."""

from ._augmenting import AugmentingOverSampler
from ._embedding_smote import EmbeddingSMOTE
from ._growth import grow_by
from ._random import RandomImageOverSampler

__all__ = [
    "AugmentingOverSampler",
    "EmbeddingSMOTE",
    "RandomImageOverSampler",
    "grow_by",
]
