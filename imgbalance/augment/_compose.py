"""Compositions of augmentations: Compose, RandomApply, OneOf."""

from collections import defaultdict
from numbers import Real

import numpy as np

from ._base import BaseTransform
from ._params import lazy_constraints

__all__ = ["Compose", "OneOf", "RandomApply"]


def _named(transforms):
    """(name, transform) pairs: lower-cased class names, numbered if repeated."""
    names = [type(t).__name__.lower() for t in transforms]
    counts = defaultdict(int)
    for name in names:
        counts[name] += 1
    seen = defaultdict(int)
    named = []
    for name, transform in zip(names, transforms):
        if counts[name] > 1:
            seen[name] += 1
            name = f"{name}-{seen[name]}"
        named.append((name, transform))
    return named


class _ListOfTransforms(BaseTransform):
    """Exposes the transforms of a list by name to get_params / set_params.

    ``Compose([RandomRotation(), RandomFlip()])`` has the deep parameters
    ``randomrotation__degrees``, ``randomflip__p``...; a repeated class is
    numbered: ``colorjitter-1``, ``colorjitter-2``.
    """

    def _check_transforms(self):
        transforms = self.transforms
        if isinstance(transforms, BaseTransform) or not hasattr(transforms, "__len__"):
            raise TypeError(
                f"{type(self).__name__}: transforms must be a list of "
                f"augmentations; got {transforms!r}."
            )
        if len(transforms) == 0:
            raise ValueError(f"{type(self).__name__}: transforms is empty.")
        for i, transform in enumerate(transforms):
            if not isinstance(transform, BaseTransform):
                raise TypeError(
                    f"{type(self).__name__}: transforms[{i}] is a "
                    f"{type(transform).__name__}, not an imgbalance "
                    "augmentation (see imgbalance.augment)."
                )
        return transforms

    def _validate_tree(self):
        super()._validate_tree()
        for transform in self._check_transforms():
            transform._validate_tree()

    def get_params(self, deep=True):
        params = super().get_params(deep=False)
        if deep and isinstance(self.transforms, (list, tuple)):
            for name, transform in _named(self.transforms):
                params[name] = transform
                if hasattr(transform, "get_params"):
                    for key, value in transform.get_params(deep=True).items():
                        params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params):
        if "transforms" in params:
            self.transforms = params.pop("transforms")
        names = [name for name, _ in _named(self.transforms)]
        replaced = {name: params.pop(name) for name in names if name in params}
        if replaced:
            self.transforms = [
                replaced.get(name, transform)
                for name, transform in zip(names, self.transforms)
            ]
        return super().set_params(**params)


class Compose(_ListOfTransforms):
    """Apply augmentations one after the other.

    Parameters
    ----------
    transforms : list of augmentations
        Applied in order. Their parameters are reachable by name as in a
        scikit-learn pipeline: ``randomrotation__degrees``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import ColorJitter, Compose, RandomFlip
    >>> aug = Compose([RandomFlip(p=1.0), ColorJitter(brightness=0.2)])
    >>> aug.set_params(colorjitter__brightness=0.5).transforms[1]
    ColorJitter(brightness=0.5)
    >>> out, records = aug.augment(np.zeros((4, 4, 3), np.uint8), rng=0)
    >>> [r["transform"] for r in records]
    ['RandomFlip', 'ColorJitter']
    """

    _parameter_constraints = {"transforms": [list, tuple]}

    def __init__(self, transforms):
        self.transforms = transforms

    def _augment(self, image, rng, records):
        for transform in self._check_transforms():
            image = transform._augment(image, rng, records)
        return image


class OneOf(_ListOfTransforms):
    """Apply one augmentation, picked at random.

    Parameters
    ----------
    transforms : list of augmentations
        The candidates, reachable by name as in :class:`Compose`.
    weights : list of float or None, default=None
        Relative probability of each candidate; None picks uniformly.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import OneOf, RandomFlip, RandomRotation
    >>> aug = OneOf([RandomFlip(p=1.0), RandomRotation(10)], weights=[3, 1])
    >>> out, records = aug.augment(np.zeros((8, 8), np.uint8), rng=0)
    >>> records[0]["transform"] in {"RandomFlip", "RandomRotation"}
    True
    """

    _parameter_constraints = {
        "transforms": [list, tuple],
        "weights": ["array-like", None],
    }

    def __init__(self, transforms, weights=None):
        self.transforms = transforms
        self.weights = weights

    def _augment(self, image, rng, records):
        transforms = self._check_transforms()
        if self.weights is None:
            index = int(rng.integers(len(transforms)))
        else:
            weights = np.asarray(self.weights, dtype=np.float64)
            if (
                weights.shape != (len(transforms),)
                or np.any(weights < 0)
                or weights.sum() <= 0
            ):
                raise ValueError(
                    f"OneOf: weights must be {len(transforms)} non-negative "
                    f"numbers, not all zero; got {self.weights!r}."
                )
            index = int(rng.choice(len(transforms), p=weights / weights.sum()))
        return transforms[index]._augment(image, rng, records)


class RandomApply(BaseTransform):
    """Apply an augmentation with probability ``p``, exactly.

    One uniform number ``u`` is drawn per image; the augmentation runs when
    ``u < p``.

    Parameters
    ----------
    transform : augmentation
        Reachable as ``transform__<param>``.
    p : float in [0, 1], default=0.5
        Probability of applying ``transform``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomApply, RandomRotation
    >>> aug = RandomApply(RandomRotation(30), p=0.25)
    >>> rng = np.random.default_rng(0)
    >>> applied = [len(aug.augment(np.zeros((4, 4), np.uint8), rng)[1])
    ...            for _ in range(1000)]
    >>> 200 < sum(applied) < 300
    True
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import HasMethods, Interval

        return {
            "transform": [HasMethods(["augment"])],
            "p": [Interval(Real, 0, 1, closed="both")],
        }

    def __init__(self, transform, p=0.5):
        self.transform = transform
        self.p = p

    def _validate_tree(self):
        super()._validate_tree()
        if not isinstance(self.transform, BaseTransform):
            raise TypeError(
                f"RandomApply: transform is a {type(self.transform).__name__}, "
                "not an imgbalance augmentation (see imgbalance.augment)."
            )
        self.transform._validate_tree()

    def _augment(self, image, rng, records):
        if rng.random() < self.p:
            return self.transform._augment(image, rng, records)
        return image
