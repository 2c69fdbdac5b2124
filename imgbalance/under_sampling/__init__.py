"""Under-samplers for image collections."""

from ._embedding import EmbeddingUnderSampler
from ._random import RandomImageUnderSampler

__all__ = ["EmbeddingUnderSampler", "RandomImageUnderSampler"]
