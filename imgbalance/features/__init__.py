"""Image feature extractors as scikit-learn transformers."""

from ._pixels import PixelFeatures

__all__ = ["PixelFeatures"]
