"""Seeded, grid-searchable image augmentations.

Each augmentation is a small estimator-like object: parameters in
``__init__``, ``get_params`` / ``set_params`` / ``clone``, so that
``GridSearchCV`` can tune it inside a sampler. Calling one on an image with a
:class:`numpy.random.Generator` returns an image of the same shape and dtype
(uint8 stays uint8, float stays the same float); :meth:`augment` also
returns the parameters it drew.
"""

from ..utils._lazy import lazy_exports
from ._base import BaseTransform, opencv_available
from ._color import ColorJitter, GaussianBlur, GaussianNoise
from ._compose import Compose, OneOf, RandomApply
from ._geometric import (
    RandomAffine,
    RandomCrop,
    RandomFlip,
    RandomResizedCrop,
    RandomRotation,
)

__all__ = [
    "BaseTransform",
    "ColorJitter",
    "Compose",
    "CutPaste",
    "ElasticDeformation",
    "FunctionAugmenter",
    "GaussianBlur",
    "GaussianNoise",
    "OneOf",
    "RandomAffine",
    "RandomApply",
    "RandomCrop",
    "RandomErasing",
    "RandomFlip",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomSymmetry",
    "TrivialAugment",
    "default_augmenter",
    "opencv_available",
]


# what the default augmenter does not use: imported when first used (the
# folder command's start-up, and each worker it starts, skip them)
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "CutPaste": "._local",
        "ElasticDeformation": "._local",
        "FunctionAugmenter": "._function",
        "RandomErasing": "._local",
        "RandomSymmetry": "._symmetry",
        "TrivialAugment": "._policy",
    },
)


def default_augmenter():
    """The augmenter AugmentingOverSampler uses when given none.

    Mild changes that keep the label of most image classes: a rotation of up
    to 10 degrees, a shift of up to 5 % of the size, a zoom of 0.95 to 1.05
    (borders mirrored), and brightness and contrast within 10 %. No flips:
    they change the meaning of digits, text and lateral anatomy; add
    ``RandomFlip`` where mirror images belong to the same class.

    Returns
    -------
    augmenter : Compose

    Examples
    --------
    >>> from imgbalance.augment import default_augmenter
    >>> [type(t).__name__ for t in default_augmenter().transforms]
    ['RandomAffine', 'ColorJitter']
    """
    augmenter = Compose(
        [
            RandomAffine(degrees=10, translate=(0.05, 0.05), scale=(0.95, 1.05)),
            ColorJitter(brightness=0.1, contrast=0.1),
        ]
    )
    # valid by construction (tests check it): skips the parameter check,
    # whose first use imports scikit-learn, in the folder command's jobs;
    # setting a parameter checks again
    for transform in [augmenter, *augmenter.transforms]:
        transform._params_checked = True
    return augmenter
