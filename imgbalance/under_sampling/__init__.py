"""Under-samplers for image collections."""

from ._duplicates import DuplicateUnderSampler
from ._embedding import EmbeddingUnderSampler
from ._random import RandomImageUnderSampler

__all__ = [
    "DuplicateUnderSampler",
    "EmbeddingUnderSampler",
    "RandomImageUnderSampler",
]
