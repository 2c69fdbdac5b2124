"""An augmentation policy without parameters to tune: one operation per
image, drawn uniformly, at a strength drawn uniformly (TrivialAugment,
Müller & Hutter, ICCV 2021), over this package's operations."""

from ..utils._docstrings import fill_docs
from ._base import BaseTransform
from ._color import ColorJitter, GaussianBlur, GaussianNoise
from ._params import lazy_constraints
from ._warp import affine_inverse, warp

__all__ = ["TrivialAugment"]


def _signed(rng, value):
    """``value`` or ``-value``, with even odds."""
    return value if rng.random() < 0.5 else -value


def _affine(image, backend, angle=0.0, translate=(0.0, 0.0), shear=0.0):
    height, width = image.shape[:2]
    matrix = affine_inverse(height, width, angle, translate, 1.0, shear)
    return warp(
        image,
        matrix,
        interpolation="bilinear",
        border_mode="reflect",
        fill=0.0,
        backend=backend,
    )


def _rotate(image, rng, m, backend):
    angle = _signed(rng, 30.0 * m)
    return _affine(image, backend, angle=angle), {"angle": angle}


def _shear(image, rng, m, backend):
    shear = _signed(rng, 30.0 * m)
    return _affine(image, backend, shear=shear), {"shear": shear}


def _translate_x(image, rng, m, backend):
    shift = _signed(rng, 0.3 * m * image.shape[1])
    return _affine(image, backend, translate=(shift, 0.0)), {"translate": shift}


def _translate_y(image, rng, m, backend):
    shift = _signed(rng, 0.3 * m * image.shape[0])
    return _affine(image, backend, translate=(0.0, shift)), {"translate": shift}


def _jitter(name):
    def op(image, rng, m, backend):
        factor = 1.0 + _signed(rng, 0.9 * m)
        records = []
        out = ColorJitter(**{name: (factor, factor)})._augment(image, rng, records)
        return out, {"factor": factor}

    return op


def _blur(image, rng, m, backend):
    sigma = 0.1 + 1.9 * m
    out = GaussianBlur(sigma=sigma, backend=backend)._augment(image, rng, [])
    return out, {"sigma": sigma}


def _noise(image, rng, m, backend):
    std = 0.1 * m
    return GaussianNoise(std=std)._augment(image, rng, []), {"std": std}


# name -> (what a magnitude m in [0, 1] does, the operation)
OPERATIONS = {
    "identity": ("nothing", lambda image, rng, m, backend: (image, {})),
    "rotate": ("rotate by 30 m degrees, either way", _rotate),
    "shear": ("shear horizontally by 30 m degrees, either way", _shear),
    "translate_x": ("shift by 0.3 m of the width, either way", _translate_x),
    "translate_y": ("shift by 0.3 m of the height, either way", _translate_y),
    "brightness": ("multiply brightness by 1 +- 0.9 m", _jitter("brightness")),
    "contrast": ("blend with the mean grey by 1 +- 0.9 m", _jitter("contrast")),
    "saturation": ("blend with the grey image by 1 +- 0.9 m", _jitter("saturation")),
    "blur": ("Gaussian blur of sigma 0.1 + 1.9 m pixels", _blur),
    "noise": ("Gaussian noise of std 0.1 m of full intensity", _noise),
}


@fill_docs(
    operations="".join(
        f"    - ``{name}``: {what}\n" for name, (what, _) in OPERATIONS.items()
    )
)
class TrivialAugment(BaseTransform):
    """One operation per image, drawn uniformly, at a strength drawn
    uniformly (TrivialAugment, Müller & Hutter, ICCV 2021).

    A policy with nothing to tune that competes with searched ones: for
    each image, an operation is drawn from ``operations`` with equal odds,
    and a magnitude ``m`` uniformly from [0, 1]; the operation applies at
    that strength (geometric ones with reflected borders, bilinear).

    Parameters
    ----------
    operations : list of str or None, default=None
        The operations to draw from; None: all of them. What ``m`` does:

    <operations>

    backend : {"auto", "default", "opencv"}, default="auto"
        The warps' and the blur's backend (see :class:`RandomAffine`).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import TrivialAugment
    >>> x = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    >>> out, records = TrivialAugment().augment(x, rng=1)
    >>> out.shape, records[0]["transform"], records[0]["operation"] in (
    ...     TrivialAugment.OPERATIONS)
    ((32, 32, 3), 'TrivialAugment', True)
    """

    OPERATIONS = tuple(OPERATIONS)

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import StrOptions

        return {
            "operations": [list, tuple, None],
            "backend": [StrOptions({"auto", "default", "opencv"})],
        }

    def __init__(self, operations=None, *, backend="auto"):
        self.operations = operations
        self.backend = backend

    def _operations(self):
        if self.operations is None:
            return list(OPERATIONS)
        names = list(self.operations)
        unknown = [name for name in names if name not in OPERATIONS]
        if unknown or not names:
            raise ValueError(
                f"operations must be a non-empty list of {', '.join(OPERATIONS)}; "
                f"got {self.operations!r}."
            )
        return names

    def _augment(self, image, rng, records):
        names = self._operations()
        name = names[int(rng.integers(len(names)))]
        magnitude = float(rng.random())
        out, drawn = OPERATIONS[name][1](image, rng, magnitude, self.backend)
        self._record(records, operation=name, magnitude=magnitude, **drawn)
        return out
