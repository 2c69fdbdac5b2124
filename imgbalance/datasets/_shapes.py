"""A synthetic image-classification dataset: one shape per image, the shape
the class (scikit-image's ``random_shapes``), optionally made imbalanced."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ..utils._constraints import Interval, StrOptions, validate_params
from ._imbalance import make_imbalance

__all__ = ["make_shapes"]

SHAPES = ("circle", "rectangle", "triangle", "ellipse")


@validate_params(
    {
        "n_per_class": [Interval(Integral, 1, None, closed="left")],
        "image_size": [Interval(Integral, 8, None, closed="left")],
        "shapes": [tuple, list],
        "shape_size": [tuple, list],
        "color": ["boolean"],
        "noise": [Interval(Real, 0, None, closed="left")],
        "ratio": [Interval(Real, 1, None, closed="left"), None],
        "kind": [StrOptions({"step", "linear"})],
        "minority_fraction": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_shapes(
    n_per_class=200,
    *,
    image_size=32,
    shapes=SHAPES,
    shape_size=(8, 24),
    color=True,
    noise=0.0,
    ratio=None,
    kind="step",
    minority_fraction=0.5,
    random_state=None,
    return_X_y=False,
):
    """Make images of one shape each, the shape being the class.

    Each image is ``image_size`` pixels square, white, with one shape drawn
    by :func:`skimage.draw.random_shapes`: a random position (the whole
    shape inside the image, clear of the border), a size between
    ``shape_size`` pixels, a random colour (a random grey level when
    ``color`` is False). Gaussian noise of deviation ``noise`` (on 0..255)
    may be added. With ``ratio``, :func:`make_imbalance` then keeps a
    controlled imbalance (``kind``, ``minority_fraction``), so the same call
    gives a reproducible imbalanced benchmark next to the digits.

    Parameters
    ----------
    n_per_class : int, default=200
        Images of each class before any imbalance.
    image_size : int >= 8, default=32
        Height and width of the images.
    shapes : sequence of str, default=("circle", "rectangle", "triangle", \
"ellipse")
        The classes, in label order (label ``i`` is ``shapes[i]``); any of
        these four.
    shape_size : (int, int), default=(8, 24)
        Smallest and largest extent of a shape, in pixels (at most
        ``image_size``).
    color : bool, default=True
        RGB images ``(n, s, s, 3)`` with coloured shapes; False gives gray
        images ``(n, s, s)``.
    noise : float >= 0, default=0.0
        Standard deviation of Gaussian noise added to every pixel (on
        0..255; the result rounded and clipped).
    ratio : float >= 1 or None, default=None
        None keeps ``n_per_class`` images of each class; a number makes the
        dataset imbalanced with this ratio (see :func:`make_imbalance`).
    kind : {"step", "linear"}, default="step"
        The imbalance protocol, with ``ratio``.
    minority_fraction : float in (0, 1), default=0.5
        Share of minority classes for ``kind="step"``.
    random_state : int, RandomState instance or None, default=None
        Seed of the shapes, the noise and the imbalance.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (uint8), ``target`` (int labels), ``target_names`` (the
        shapes) and ``DESCR``.
    (images, target) : tuple
        When ``return_X_y`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.datasets import make_shapes
    >>> images, target = make_shapes(20, ratio=10, random_state=0,
    ...                              return_X_y=True)
    >>> images.shape, images.dtype
    ((44, 32, 32, 3), dtype('uint8'))
    >>> np.bincount(target).tolist()
    [20, 2, 20, 2]
    """
    shapes = list(shapes)
    unknown = [s for s in shapes if s not in SHAPES]
    if len(shapes) < 2 or unknown or len(set(shapes)) != len(shapes):
        raise ValueError(
            f"shapes must be two or more different shapes of {SHAPES}; got "
            f"{tuple(shapes)!r}."
        )
    low, high = _check_shape_size(shape_size, image_size)
    rng = check_random_state(random_state)
    n = n_per_class * len(shapes)
    images = np.empty(
        (n, image_size, image_size) + ((3,) if color else ()), dtype=np.uint8
    )
    target = np.repeat(np.arange(len(shapes)), n_per_class)
    seeds = rng.randint(0, 2**31 - 1, size=n)
    for i in range(n):
        images[i] = _draw(shapes[target[i]], image_size, low, high, color, seeds[i])
    if noise > 0:
        noisy = images + rng.normal(0.0, noise, images.shape)
        images = np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
    if ratio is not None:
        images, target = make_imbalance(
            images,
            target,
            kind=kind,
            ratio=ratio,
            minority_fraction=minority_fraction,
            random_state=rng,
        )
    if return_X_y:
        return images, target
    return Bunch(
        images=images,
        target=target,
        target_names=np.array(shapes),
        DESCR=(
            f"{len(shapes)} classes of {image_size}x{image_size} images, one "
            f"shape each ({', '.join(shapes)}), drawn by "
            "skimage.draw.random_shapes."
        ),
    )


def _check_shape_size(shape_size, image_size):
    try:
        low, high = (int(v) for v in shape_size)
        valid = 2 <= low <= high <= image_size and all(
            isinstance(v, Integral) for v in shape_size
        )
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            "shape_size must be two integers (smallest, largest) with 2 <= "
            f"smallest <= largest <= image_size={image_size}; got {shape_size!r}."
        )
    return low, high


def _draw(shape, image_size, low, high, color, seed):
    """One image with one whole ``shape``: drawn again with the next seed
    when scikit-image finds no place for it or the border cuts it (a shape
    touching the border may be cut, so none does)."""
    from skimage.draw import random_shapes

    for attempt in range(100):
        image, labels = random_shapes(
            (image_size, image_size),
            max_shapes=1,
            min_shapes=1,
            min_size=low,
            max_size=high,
            num_channels=3 if color else 1,
            shape=shape,
            rng=int(seed) + attempt,
        )
        drawn = (image < 255).any(axis=-1)
        on_border = drawn[[0, -1]].any() or drawn[:, [0, -1]].any()
        if labels and not on_border:  # whole, not cut by the border
            return image if color else image[..., 0]
    raise RuntimeError(f"scikit-image placed no whole {shape} in 100 attempts.")
