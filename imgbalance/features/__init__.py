"""Image feature extractors as scikit-learn transformers."""

from ._base import numba_available
from ._color import ColorHistogram
from ._daisy import DaisyFeatures
from ._gabor import GaborFeatures
from ._hog import HOGFeatures, hog_batch
from ._lbp import LBPFeatures, lbp_batch
from ._loader import ImageLoader
from ._local_contrast import LocalContrastFeatures
from ._local_outlier import LocalOutlierFeatures
from ._patch_dictionary import PatchDictionaryFeatures
from ._pixels import PixelFeatures
from ._torch import TorchFeatures, torchvision_model

__all__ = [
    "ColorHistogram",
    "DaisyFeatures",
    "GaborFeatures",
    "HOGFeatures",
    "ImageLoader",
    "LBPFeatures",
    "LocalContrastFeatures",
    "LocalOutlierFeatures",
    "PatchDictionaryFeatures",
    "PixelFeatures",
    "TorchFeatures",
    "hog_batch",
    "lbp_batch",
    "numba_available",
    "torchvision_model",
]
