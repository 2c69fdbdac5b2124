"""The symmetries of the square as a ready policy: quarter turns and mirror
images, drawn uniformly, every pixel kept."""

import numpy as np

from ._base import BaseTransform
from ._params import lazy_constraints

__all__ = ["RandomSymmetry"]

# group -> its elements as (quarter turns, mirrored first)
GROUPS = {
    "dihedral": [(k, f) for f in (False, True) for k in range(4)],
    "rotations": [(k, False) for k in range(4)],
    "flips": [(0, False), (0, True), (2, True), (2, False)],
}
# the elements that keep a non-square image's shape (no quarter turn)
_SHAPE_KEEPING = {
    "dihedral": GROUPS["flips"],
    "rotations": [(0, False), (2, False)],
    "flips": GROUPS["flips"],
}


class RandomSymmetry(BaseTransform):
    """Turn by a multiple of 90 degrees and mirror, one symmetry drawn
    uniformly: the augmentation policy of surfaces and textures.

    A surface, a tissue section or a micrograph has no up, down, left or
    right: its eight symmetries (the dihedral group of the square: four
    quarter turns, each mirrored or not) are as likely as the original. They
    move pixels without interpolating, blurring or cutting any of them, so
    a defect one pixel wide (a scratch, a crack) stays exactly as sharp and
    as contrasted, wherever it ends up. One element of ``group`` is drawn
    with equal odds per image.

    Parameters
    ----------
    group : {"dihedral", "rotations", "flips"}, default="dihedral"
        ``"dihedral"``: the 8 symmetries; ``"rotations"``: the 4 quarter
        turns (no mirror image, for chiral content); ``"flips"``: the
        identity, the left-right and top-bottom mirror images and the half
        turn (both). On an image that is not square a quarter turn would
        change its shape: only the elements without one are drawn there
        (``"rotations"`` then turns by 0 or 180 degrees).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomSymmetry
    >>> x = np.arange(4, dtype=np.uint8).reshape(2, 2)
    >>> out, records = RandomSymmetry().augment(x, rng=4)
    >>> records[0]
    {'transform': 'RandomSymmetry', 'turns': 1, 'mirrored': True}
    >>> np.array_equal(out, np.rot90(x[:, ::-1], 1))
    True
    >>> sorted(out.ravel().tolist()) == sorted(x.ravel().tolist())
    True
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import StrOptions

        return {"group": [StrOptions(set(GROUPS))]}

    def __init__(self, *, group="dihedral"):
        self.group = group

    def _augment(self, image, rng, records):
        square = image.shape[0] == image.shape[1]
        elements = (GROUPS if square else _SHAPE_KEEPING)[self.group]
        turns, mirrored = elements[int(rng.integers(len(elements)))]
        self._record(records, turns=turns, mirrored=mirrored)
        if mirrored:
            image = image[:, ::-1]
        return np.rot90(image, turns) if turns else image
