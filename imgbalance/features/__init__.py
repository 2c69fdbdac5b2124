"""Image feature extractors as scikit-learn transformers."""

from ._hog import HOGFeatures, hog_batch
from ._pixels import PixelFeatures

__all__ = ["HOGFeatures", "PixelFeatures", "hog_batch"]
