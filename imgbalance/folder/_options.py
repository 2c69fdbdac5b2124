"""The options of a run, checked before anything else is looked at."""

import numbers

from joblib import cpu_count, effective_n_jobs

from .. import __version__
from ..augment._render import backend_kind
from ._refusal import BalanceRefused, option

__all__ = ["capped_jobs", "check_callbacks", "check_options", "settings_of"]

METHODS = ("augment", "random", "smote")
ORIGINALS = ("copy", "hardlink", "symlink", "none")
FORMATS = ("keep", "PNG", "JPEG")


def check_options(method, originals, image_format, on_error, n_jobs, seed):
    """Refuse option values that are not among those documented; returns
    ``image_format`` as a Pillow format name (or "keep")."""
    if method not in METHODS:
        raise BalanceRefused(
            f"{option('method', method)} is not augment, random or smote."
        )
    if originals not in ORIGINALS:
        raise BalanceRefused(
            f"{option('originals', originals)} is not copy, hardlink, symlink or "
            "none."
        )
    given = image_format
    image_format = str(image_format).upper() if image_format != "keep" else "keep"
    if image_format not in FORMATS:
        raise BalanceRefused(
            f"{option('image_format', given)} is not keep, png or jpeg."
        )
    if on_error not in ("fail", "skip"):
        raise BalanceRefused(f"{option('on_error', on_error)} is not fail or skip.")
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral) or n_jobs == 0):
        raise BalanceRefused(
            f"{option('n_jobs', n_jobs)}: give a number of jobs (1, 2...), or -1 "
            "for one per core."
        )
    if (
        not isinstance(seed, numbers.Integral)
        or isinstance(seed, bool)
        or not 0 <= seed < 2**32
    ):
        raise BalanceRefused(
            f"{option('seed', seed)}: give a whole number from 0 to 4294967295 "
            "(2**32 - 1)."
        )
    if image_format != "keep" and originals in ("hardlink", "symlink"):
        raise BalanceRefused(
            f"{option('originals', originals)} links the source files, which "
            f"{option('image_format', given)} would re-encode; use "
            f"{option('originals', 'copy')} or {option('originals', 'none')}."
        )
    return image_format


def check_callbacks(augmenter, on_plan, progress, dry_run, resume):
    """Refuse an augmenter without ``augment``, callbacks that cannot be
    called and flags that are not True or False: before anything is
    written, not halfway through."""
    if augmenter is not None and not callable(getattr(augmenter, "augment", None)):
        raise BalanceRefused(
            f"augmenter={augmenter!r} has no augment method; give an "
            "augmentation of imgbalance.augment (or None for the default)."
        )
    for name, value in [("on_plan", on_plan), ("progress", progress)]:
        if value is not None and not callable(value):
            raise BalanceRefused(f"{name}={value!r} is not callable; give a function.")
    for name, value in [("dry_run", dry_run), ("resume", resume)]:
        if not isinstance(value, bool):
            raise BalanceRefused(f"{name}={value!r}: give True or False.")


def settings_of(
    src, method, strategy, seed, originals, image_format, on_error, augmenter
):
    """What a run records in DST, and ``resume`` compares: the options that
    decide its outputs."""
    return {
        "src": src,
        "method": method,
        "strategy": strategy if isinstance(strategy, str) else repr(strategy),
        "seed": seed,
        "originals": originals,
        "format": image_format,
        "on_error": on_error,
        "augmenter": repr(augmenter) if augmenter is not None else None,
        "imgbalance": __version__,
    }


def capped_jobs(n_jobs):
    """``n_jobs``, at most one per core for worker processes on this machine
    (more only add start-up and switching: 1000 asked for would start 1000
    processes), and a note when it was cut."""
    if n_jobs is None or backend_kind() != "processes":
        return n_jobs, None
    cores = cpu_count()
    if effective_n_jobs(n_jobs) <= cores:
        return n_jobs, None
    return (
        cores,
        f"{option('n_jobs', n_jobs)}: {cores} jobs, one per core of this machine.",
    )
