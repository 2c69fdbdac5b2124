"""A synthetic defect-detection dataset: crops of surfaces (scikit-image's
bundled textures and photographs), most of them clean, some with one small
defect whose kind is the class."""

import functools
from numbers import Integral, Real

import numpy as np
from PIL import Image
from sklearn.utils import Bunch, check_random_state

from .._contract._modes import luma
from ..utils._constraints import Interval, validate_params

__all__ = ["make_defects"]

TEXTURES = ("brick", "grass", "gravel")
PHOTOGRAPHS = ("moon", "camera", "coins", "coffee", "chelsea", "astronaut", "rocket")
SURFACES = TEXTURES + PHOTOGRAPHS
DEFECTS = ("scratch", "spot", "crack", "missing")
# gray levels: the smallest deviation a contrast is measured against
_MIN_DEVIATION = 16.0
# pixels between a defect and the image border, at least
MARGIN = 2


@functools.cache
def _surface(name):
    """One surface as a read-only (h, w) uint8 array (colour photographs
    made gray as Pillow's "L" mode)."""
    import skimage.data

    image = np.asarray(getattr(skimage.data, name)())
    if image.ndim == 3:
        image = luma(image[..., :3])
    image = np.ascontiguousarray(image, dtype=np.uint8)
    image.flags.writeable = False
    return image


def _disk(extent):
    """A filled disc of diameter ``extent``: (extent, extent) bool."""
    centre = (extent - 1) / 2
    rows, cols = np.mgrid[:extent, :extent]
    return (rows - centre) ** 2 + (cols - centre) ** 2 <= (extent / 2) ** 2


def _path(minor, extent, rng):
    """A one-pixel path one pixel per step along the major axis: (extent,
    extent) bool, its major axis the rows; ``minor`` holds its column at
    each row before being shifted into the box."""
    minor = minor - minor.min()
    mask = np.zeros((extent, extent), dtype=bool)
    mask[np.arange(extent), minor] = True
    if rng.random() < 0.5:  # the major axis along the columns instead
        mask = mask.T
    return mask


def _scratch(extent, rng):
    """A straight line, at an angle within 45 degrees of its major axis."""
    slope = np.tan(rng.uniform(-np.pi / 4, np.pi / 4))
    minor = np.rint(np.arange(extent) * slope).astype(int)
    return _path(minor, extent, rng)


def _crack(extent, rng):
    """A jagged path: each step turns by one pixel sideways, or back, with
    odds 0.4, so that it wanders and kinks."""
    velocity, position, minor = int(rng.integers(-1, 2)), 0, []
    for _ in range(extent):
        minor.append(position)
        if rng.random() < 0.4:
            velocity = int(np.clip(velocity + rng.choice((-1, 1)), -1, 1))
        position += velocity
    return _path(np.array(minor), extent, rng)


def _shape(kind, extent, rng):
    """The defect's mask within its bounding box (its longer side
    ``extent``)."""
    if kind == "spot":
        return _disk(extent)
    if kind == "missing":
        short = int(rng.integers(-(-extent // 2), extent + 1))
        shape = (extent, short) if rng.random() < 0.5 else (short, extent)
        return np.ones(shape, dtype=bool)
    mask = _scratch(extent, rng) if kind == "scratch" else _crack(extent, rng)
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    return mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _apply(crop, kind, box, shape, amplitude, rng):
    """The crop with the defect drawn: scratches brighter by
    ``amplitude``, cracks darker, spots either way, missing patches flat at
    their mean either way."""
    top, left = box
    height, width = shape.shape
    out = crop.astype(np.float64)
    region = out[top : top + height, left : left + width]
    sign = {"scratch": 1.0, "crack": -1.0}.get(kind) or rng.choice((-1.0, 1.0))
    if kind == "missing":
        region[...] = region.mean() + sign * amplitude
    else:
        region[shape] += sign * amplitude
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _check_range(value, name, kind, low, high):
    """``value`` as a checked (low, high) pair of ``kind`` numbers."""
    try:
        lo, hi = value
        valid = isinstance(lo, kind) and isinstance(hi, kind) and low <= lo <= hi
        valid = valid and (high is None or hi <= high)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        bound = f" <= {high}" if high is not None else ""
        raise ValueError(
            f"{name} must be (low, high) with {low} <= low <= high{bound}; "
            f"got {value!r}."
        )
    return lo, hi


def _check_names(values, known, name):
    values = list(values)
    unknown = [v for v in values if v not in known]
    if not values or unknown or len(set(values)) != len(values):
        raise ValueError(
            f"{name} must be different names among {known}; got {tuple(values)!r}."
        )
    return values


def _crop(spec, rng):
    """A random crop of a random surface, shrunk by a random factor: (crop,
    surface name, (top, left, side) of the crop in the surface)."""
    surfaces, image_size, scales = spec[:3]
    name = surfaces[int(rng.integers(len(surfaces)))]
    surface = _surface(name)
    side = min(round(image_size / rng.uniform(*scales)), *surface.shape)
    top = int(rng.integers(surface.shape[0] - side + 1))
    left = int(rng.integers(surface.shape[1] - side + 1))
    crop = surface[top : top + side, left : left + side]
    if side != image_size:
        resized = Image.fromarray(crop).resize(
            (image_size, image_size), Image.Resampling.BILINEAR
        )
        crop = np.asarray(resized)
    return np.array(crop), name, (top, left, side)


def _one_image(spec, kind, rng):
    """(image, mask, box, surface, origin, contrast) of one image of
    ``kind`` (None: clean)."""
    image_size, sizes, contrasts = spec[1], spec[3], spec[4]
    crop, name, origin = _crop(spec, rng)
    mask = np.zeros((image_size, image_size), dtype=bool)
    if kind is None:
        return crop, mask, (0, 0, 0, 0), name, origin, 0.0
    extent = int(rng.integers(sizes[0], sizes[1] + 1))
    contrast = float(rng.uniform(*contrasts))
    shape = _shape(kind, extent, rng)
    row = int(rng.integers(MARGIN, image_size - MARGIN - shape.shape[0] + 1))
    col = int(rng.integers(MARGIN, image_size - MARGIN - shape.shape[1] + 1))
    amplitude = contrast * max(float(crop.std()), _MIN_DEVIATION)
    image = _apply(crop, kind, (row, col), shape, amplitude, rng)
    mask[row : row + shape.shape[0], col : col + shape.shape[1]] = shape
    return image, mask, (row, col) + shape.shape, name, origin, contrast


@validate_params(
    {
        "n_per_class": [Interval(Integral, 1, None, closed="left")],
        "image_size": [Interval(Integral, 8, None, closed="left")],
        "surfaces": [tuple, list],
        "defects": [tuple, list],
        "scale": [tuple, list],
        "defect_size": [tuple, list],
        "contrast": [tuple, list],
        "ratio": [Interval(Real, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_defects(
    n_per_class=200,
    *,
    image_size=32,
    surfaces=TEXTURES + ("moon",),
    defects=DEFECTS,
    scale=(0.25, 0.5),
    defect_size=(6, 12),
    contrast=(2.0, 4.0),
    ratio=None,
    random_state=None,
    return_X_y=False,
):
    """Make images of surfaces, clean or with one small defect, the defect's
    kind the class.

    Each image is a crop of a random surface among ``surfaces``:
    scikit-image's bundled textures (``"brick"``, ``"grass"``,
    ``"gravel"``) and photographs (``"moon"``, ``"camera"``, ``"coins"``,
    ``"coffee"``, ``"chelsea"``, ``"astronaut"``, ``"rocket"``; colour ones
    made gray as Pillow's ``"L"`` mode). A factor ``f`` is drawn from
    ``scale``; a square of side ``round(image_size / f)`` (at most the
    surface's) is cut at a random place and resized to ``image_size`` by
    Pillow (bilinear), so the surface's grain varies. Class 0 (``"good"``)
    is the clean crop; each of the other classes draws one defect of its
    kind on it, at a random place at least 2 pixels from the border:

    - ``"scratch"``: a straight line one pixel wide, brighter;
    - ``"spot"``: a disc (the pixels whose centres are within half the
      extent of the box's centre), brighter or darker (even odds);
    - ``"crack"``: a jagged path one pixel wide (one pixel per step along
      its main direction, turning sideways at random), darker;
    - ``"missing"``: a rectangle whose texture is gone, flat at its mean
      made brighter or darker (even odds).

    The defect's extent, the longer side of its bounding box (a line's
    length along its main direction, a disc's diameter), is drawn from
    ``defect_size``; its contrast from ``contrast``, in units of the clean
    crop's standard deviation ``std`` (16 gray levels at least, so that a
    defect on a smooth surface is not fainter than its grain): the
    defect's pixels change by ``contrast * max(std, 16)`` (a missing
    patch: its mean changes by that much), then are rounded and clipped to
    0..255. ``masks`` and ``boxes`` say exactly where each defect is: the
    pixels outside its mask are those of the clean crop.

    Parameters
    ----------
    n_per_class : int, default=200
        Clean images; each defect class has as many unless ``ratio`` is
        given.
    image_size : int >= 8, default=32
        Height and width of the images.
    surfaces : sequence of str, default=("brick", "grass", "gravel", "moon")
        The surfaces the crops are drawn from, with even odds.
    defects : sequence of str, default=("scratch", "spot", "crack", \
"missing")
        The defect classes, in label order (label ``i + 1`` is
        ``defects[i]``).
    scale : (float, float), default=(0.25, 0.5)
        Range of the factor the surfaces are shrunk by (0 < low <= high <=
        1; 1 keeps their pixels).
    defect_size : (int, int), default=(6, 12)
        Smallest and largest extent of a defect, in pixels (at least 1, at
        most ``image_size - 4``).
    contrast : (float, float), default=(2.0, 4.0)
        Range of the defects' contrast, in standard deviations of the crop.
    ratio : float >= 1 or None, default=None
        None: ``n_per_class`` images of each class. A number: the clean
        class keeps ``n_per_class`` images and each defect class has
        ``max(1, round(n_per_class / ratio))``, the sizes
        :func:`make_imbalance` gives its minority classes.
    random_state : int, RandomState instance or None, default=None
        Seed of the crops and the defects.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (n, image_size, image_size) uint8 and ``target`` (int
        labels, grouped by class in label order); ``target_names``
        (``"good"`` then ``defects``); ``masks`` (n, image_size,
        image_size) bool, the defect's pixels (none for clean images);
        ``boxes`` (n, 4) int, each defect's bounding box as (top, left,
        height, width) (zeros for clean images); ``surface`` (the surface
        of each crop), ``origin`` (n, 3) int (the cut square's top row,
        left column and side in that surface), ``contrast`` (n,) float (0
        for clean images) and ``DESCR``.
    (images, target) : tuple
        When ``return_X_y`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.datasets import make_defects
    >>> data = make_defects(50, ratio=10, random_state=0)
    >>> data.images.shape, data.images.dtype, np.bincount(data.target).tolist()
    ((70, 32, 32), dtype('uint8'), [50, 5, 5, 5, 5])
    >>> data.target_names.tolist()
    ['good', 'scratch', 'spot', 'crack', 'missing']
    >>> top, left, height, width = data.boxes[60]
    >>> int(data.masks[60].sum()) == int(
    ...     data.masks[60, top : top + height, left : left + width].sum())
    True
    """
    surfaces = _check_names(surfaces, SURFACES, "surfaces")
    defects = _check_names(defects, DEFECTS, "defects")
    sizes = _check_range(
        defect_size, "defect_size", Integral, 1, image_size - 2 * MARGIN
    )
    contrasts = _check_range(contrast, "contrast", Real, 0, None)
    for name in surfaces:
        if min(_surface(name).shape) < image_size:
            raise ValueError(
                f"image_size={image_size} is larger than the surface {name!r} "
                f"({'x'.join(map(str, _surface(name).shape))} px); use a smaller "
                "image_size or other surfaces."
            )
    rng = check_random_state(random_state)
    n_defective = n_per_class if ratio is None else max(1, round(n_per_class / ratio))
    kinds = [None] * n_per_class + [k for k in defects for _ in range(n_defective)]
    scales = _check_range(scale, "scale", Real, 0, 1)
    if scales[0] <= 0:
        raise ValueError(f"scale must be (low, high) with 0 < low; got {scale!r}.")
    spec = (surfaces, image_size, scales, sizes, contrasts)
    seeds = rng.randint(0, 2**31 - 1, size=len(kinds))
    drawn = [
        _one_image(spec, kind, np.random.default_rng(seed))
        for kind, seed in zip(kinds, seeds)
    ]
    images, masks, boxes, names, origins, drawn_contrasts = zip(*drawn)
    target = np.repeat(
        np.arange(len(defects) + 1), [n_per_class] + [n_defective] * len(defects)
    )
    if return_X_y:
        return np.stack(images), target
    return Bunch(
        images=np.stack(images),
        target=target,
        target_names=np.array(["good", *defects]),
        masks=np.stack(masks),
        boxes=np.array(boxes, dtype=np.intp),
        surface=np.array(names, dtype=object),
        origin=np.array(origins, dtype=np.intp),
        contrast=np.array(drawn_contrasts, dtype=np.float64),
        DESCR=(
            f"{image_size}x{image_size} crops of {', '.join(surfaces)}: clean "
            f"(good) or with one defect ({', '.join(defects)}) of extent "
            f"{sizes[0]}..{sizes[1]} px and contrast {contrasts[0]:g}.."
            f"{contrasts[1]:g} standard deviations."
        ),
    )
