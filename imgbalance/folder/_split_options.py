"""The options of a split, checked before anything else is looked at, in
one frozen object the stages read (as a balance run's ``Options``)."""

import numbers
import os
from dataclasses import dataclass

from .. import __version__
from ..duplicates._finding import SPLIT_THRESHOLD
from ._options import capped_jobs, check_flags, check_jobs, check_seed
from ._refusal import BalanceRefused, option

__all__ = ["SplitOptions", "check_split_options"]

ORIGINALS = ("copy", "hardlink", "reflink")


@dataclass(frozen=True, eq=False)
class SplitOptions:
    """A split's options, checked (see :func:`check_split_options`):
    ``shares`` the fraction of each class in train, test (and val), or
    ``per_class`` the test (and val) images of each class."""

    src: str
    dst: str
    test: float
    val: float
    per_class: tuple
    seed: int
    n_jobs: object
    jobs_note: str
    originals: str
    on_error: str
    threshold: int
    dry_run: bool
    resume: bool
    on_plan: object
    progress: object

    @property
    def parts(self):
        """The parts written, in order."""
        return (
            ("train", "test", "val")
            if self.val or self._val_count
            else (
                "train",
                "test",
            )
        )

    @property
    def _val_count(self):
        return self.per_class is not None and len(self.per_class) > 1

    @property
    def settings(self):
        """What the split records in DST, and ``resume`` compares."""
        return {
            "src": os.path.realpath(self.src),
            "command": "split",
            "test": self.test,
            "val": self.val,
            "per_class": list(self.per_class) if self.per_class else None,
            "seed": self.seed,
            "originals": self.originals,
            "on_error": self.on_error,
            "threshold": self.threshold,
            "imgbalance": __version__,
        }


def _fraction(name, value, low_open=True):
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not (0 < value < 1 if low_open else 0 <= value < 1)
    ):
        bounds = "(0, 1)" if low_open else "[0, 1)"
        raise BalanceRefused(
            f"{option(name, value)}: give a fraction of each class in {bounds}."
        )
    return float(value)


def _per_class(per_class):
    if per_class is None:
        return None
    counts = (per_class,) if isinstance(per_class, numbers.Integral) else per_class
    try:
        counts = tuple(counts)
    except TypeError:
        counts = ()
    if not 1 <= len(counts) <= 2 or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1
        for n in counts
    ):
        raise BalanceRefused(
            f"{option('per_class', per_class)}: give the test images of each "
            "class (1 or more), or (test, val)."
        )
    return tuple(int(n) for n in counts)


def check_split_options(src, dst, **given):
    """The :class:`SplitOptions` of a split, or :class:`BalanceRefused` for
    a value that is not among those documented (``given``: the keyword
    parameters of :func:`~imgbalance.folder.split_folder`)."""
    per_class = _per_class(given["per_class"])
    if per_class is None:
        test = _fraction("test", given["test"])
        val = _fraction("val", given["val"], low_open=False)
        if test + val >= 1:
            raise BalanceRefused(
                f"{option('test', test)} and {option('val', val)} leave nothing "
                "for training; give shares that sum to less than 1."
            )
    else:
        test, val = 0.0, 0.0
    if given["originals"] not in ORIGINALS:
        raise BalanceRefused(
            f"{option('originals', given['originals'])} is not copy, hardlink or "
            "reflink."
        )
    if given["on_error"] not in ("fail", "skip"):
        raise BalanceRefused(
            f"{option('on_error', given['on_error'])} is not fail or skip."
        )
    threshold = given["threshold"]
    if threshold is None:
        threshold = SPLIT_THRESHOLD
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, numbers.Integral)
        or not (0 <= threshold <= 32)
    ):
        raise BalanceRefused(
            f"{option('threshold', threshold)}: give the bits (0 to 32 of 64) two "
            "near-duplicates' hashes may differ by."
        )
    check_jobs(given["n_jobs"])
    check_seed(given["seed"])
    check_flags(given)
    n_jobs, jobs_note = capped_jobs(given["n_jobs"])
    return SplitOptions(
        src=os.fspath(src),
        dst=os.fspath(dst),
        test=test,
        val=val,
        per_class=per_class,
        seed=given["seed"],
        n_jobs=n_jobs,
        jobs_note=jobs_note,
        originals=given["originals"],
        on_error=given["on_error"],
        threshold=int(threshold),
        dry_run=given["dry_run"],
        resume=given["resume"],
        on_plan=given["on_plan"],
        progress=given["progress"],
    )
