"""The options of a run, checked before anything else is looked at, held in
one frozen object that every later stage reads."""

import numbers
import os
from dataclasses import dataclass

from .. import __version__
from ..augment._render import backend_kind
from ..utils._parallel import effective_jobs
from ._cap import check_cap
from ._refusal import BalanceRefused, option
from ._strategy import check_strategy

__all__ = [
    "Options",
    "capped_jobs",
    "check_flags",
    "check_jobs",
    "check_options",
    "check_seed",
]

METHODS = ("augment", "random", "smote")
ORIGINALS = ("copy", "hardlink", "symlink", "none")
FORMATS = ("keep", "PNG", "JPEG")


@dataclass(frozen=True, eq=False)
class Options:
    """A run's options, checked (see :func:`check_options`).

    ``strategy`` is the option as given (messages and the record say it),
    ``sampling_strategy`` the same read once (:func:`check_strategy`);
    ``image_format`` a Pillow format name or "keep"; ``n_jobs`` at most one
    worker process per core, with ``jobs_note`` saying so where it was cut;
    ``settings`` what the run records in DST and ``resume`` compares.
    """

    src: str
    dst: str
    method: str
    strategy: object
    sampling_strategy: object
    seed: int
    n_jobs: object
    jobs_note: str
    originals: str
    image_format: str
    on_error: str
    max_per_class: object
    dry_run: bool
    resume: bool
    augmenter: object
    on_plan: object
    progress: object
    dask: object = None  # a scheduler's address or a client (``_dask``)
    begun: object = None  # with a client: SRC's checks begun (``_cluster_checks``)

    @property
    def settings(self):
        """What the run records in DST, and ``resume`` compares: the options
        that decide its outputs."""
        strategy, augmenter = self.strategy, self.augmenter
        return {
            "src": os.path.realpath(self.src),
            "method": self.method,
            "strategy": strategy if isinstance(strategy, str) else repr(strategy),
            "seed": self.seed,
            "originals": self.originals,
            "format": self.image_format,
            "on_error": self.on_error,
            "max_per_class": self.max_per_class,
            "augmenter": repr(augmenter) if augmenter is not None else None,
            "imgbalance": __version__,
        }


def check_options(src, dst, **given):
    """The :class:`Options` of a run, or :class:`BalanceRefused` for a value
    that is not among those documented (``given``: the keyword parameters
    of :func:`~imgbalance.folder.balance_folder`, all of them)."""
    image_format = _check_choices(given)
    check_jobs(given["n_jobs"])
    check_seed(given["seed"])
    _check_links(given["originals"], given["image_format"], image_format)
    _check_callbacks(given)
    check_cap(given["max_per_class"])
    sampling_strategy = check_strategy(given["strategy"])
    n_jobs, jobs_note = capped_jobs(given["n_jobs"])
    given = dict(given, image_format=image_format, n_jobs=n_jobs)
    return Options(
        src=os.fspath(src),
        dst=os.fspath(dst),
        sampling_strategy=sampling_strategy,
        jobs_note=jobs_note,
        **given,
    )


def _check_choices(given):
    """Refuse method, originals, format and on_error values that are not
    among those documented; returns ``image_format`` as a Pillow format
    name (or "keep")."""
    method, originals = given["method"], given["originals"]
    if method not in METHODS:
        raise BalanceRefused(
            f"{option('method', method)} is not augment, random or smote."
        )
    if originals not in ORIGINALS:
        raise BalanceRefused(
            f"{option('originals', originals)} is not copy, hardlink, symlink or none."
        )
    asked = given["image_format"]
    image_format = str(asked).upper() if asked != "keep" else "keep"
    if image_format not in FORMATS:
        raise BalanceRefused(
            f"{option('image_format', asked)} is not keep, png or jpeg."
        )
    if given["on_error"] not in ("fail", "skip"):
        raise BalanceRefused(
            f"{option('on_error', given['on_error'])} is not fail or skip."
        )
    return image_format


def check_jobs(n_jobs):
    """Refuse an ``n_jobs`` that is not None, a positive number or -1."""
    if n_jobs is not None and (
        not isinstance(n_jobs, numbers.Integral)
        or isinstance(n_jobs, bool)
        or n_jobs == 0
    ):
        raise BalanceRefused(
            f"{option('n_jobs', n_jobs)}: give a number of jobs (1, 2...), or -1 "
            "for one per core."
        )


def check_seed(seed):
    """Refuse a seed that is not a whole number from 0 to 2**32 - 1."""
    if (
        not isinstance(seed, numbers.Integral)
        or isinstance(seed, bool)
        or not 0 <= seed < 2**32
    ):
        raise BalanceRefused(
            f"{option('seed', seed)}: give a whole number from 0 to 4294967295 "
            "(2**32 - 1)."
        )


def _check_links(originals, asked, image_format):
    if image_format != "keep" and originals in ("hardlink", "symlink"):
        raise BalanceRefused(
            f"{option('originals', originals)} links the source files, which "
            f"{option('image_format', asked)} would re-encode; use "
            f"{option('originals', 'copy')} or {option('originals', 'none')}."
        )


def _check_callbacks(given):
    """Refuse an augmenter without ``augment``, callbacks that cannot be
    called and flags that are not True or False: before anything is
    written, not halfway through."""
    augmenter = given["augmenter"]
    if augmenter is not None and not callable(getattr(augmenter, "augment", None)):
        raise BalanceRefused(
            f"augmenter={augmenter!r} has no augment method; give an "
            "augmentation of imgbalance.augment (or None for the default)."
        )
    check_flags(given)


def check_flags(given):
    """Refuse ``on_plan`` and ``progress`` that cannot be called, and
    ``dry_run`` and ``resume`` that are not True or False."""
    for name in ("on_plan", "progress"):
        if given[name] is not None and not callable(given[name]):
            raise BalanceRefused(
                f"{name}={given[name]!r} is not callable; give a function."
            )
    for name in ("dry_run", "resume"):
        if not isinstance(given[name], bool):
            raise BalanceRefused(f"{name}={given[name]!r}: give True or False.")


def capped_jobs(n_jobs):
    """``n_jobs``, at most one per core for worker processes on this machine
    (more only add start-up and switching: 1000 asked for would start 1000
    processes), and a note when it was cut."""
    if n_jobs in (None, 1) or backend_kind() != "processes":
        return n_jobs, None
    if 1 < effective_jobs(n_jobs) <= _cores_visible():  # joblib not needed
        return n_jobs, None
    from joblib import cpu_count, effective_n_jobs  # 0.06 s: where it counts

    cores = cpu_count()
    if effective_n_jobs(n_jobs) <= cores:
        return n_jobs, None
    return (
        cores,
        f"{option('n_jobs', n_jobs)}: {cores} jobs, one per core of this machine.",
    )


def _cores_visible():
    """The cores this process may run on (a CPU quota of its container may
    allow fewer: joblib's count, read where more jobs are asked for)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
