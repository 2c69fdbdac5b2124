"""Large classes capped (``max_per_class``): the originals a class keeps
drawn by the seed, so that a run can shrink the largest classes as well as
grow the small ones."""

import numbers
from dataclasses import replace

import numpy as np

from ._refusal import BalanceRefused, option

__all__ = ["cap_sources", "check_cap", "kept_note"]


def cap_sources(options, sources):
    """``sources`` with every class above ``options.max_per_class`` cut to
    that many images: for each such class, in name order, a permutation of
    its images drawn by ``numpy.random.RandomState(seed)``, whose first
    ``max_per_class`` are kept (in scan order). Returns ``sources`` and
    ``{class: (before, kept)}`` of the classes cut (empty without a cap)."""
    cap = options.max_per_class
    if cap is None:
        return sources, {}
    names, sizes = sources.classes()
    over = [(str(name), int(n)) for name, n in zip(names, sizes) if n > cap]
    if not over:
        return sources, {}
    random_state = np.random.RandomState(options.seed)
    keep = np.ones(len(sources.label_codes), dtype=bool)
    for (name, _), code in zip(over, sources.codes(name for name, _ in over)):
        members = np.flatnonzero(sources.label_codes == code)
        dropped = random_state.permutation(members)[cap:]
        keep[dropped] = False
    kept = np.flatnonzero(keep)
    cut = replace(
        sources,
        paths=sources.paths.take(kept),
        keep=sources.keep[kept],
        label_codes=sources.label_codes[kept],
    )
    return cut, {name: (n, cap) for name, n in over}


def check_cap(cap):
    """Refuse a ``max_per_class`` that is not None or a whole number of 1 or
    more."""
    if cap is not None and (
        not isinstance(cap, numbers.Integral) or isinstance(cap, bool) or cap < 1
    ):
        raise BalanceRefused(
            f"{option('max_per_class', cap)}: give the most images a class keeps "
            "(1 or more), or None for no cap."
        )


def kept_note(capped):
    """The note (in a list) naming the classes cut and how."""
    if not capped:
        return []
    cut = ", ".join(
        f"{name!r} {before} -> {kept}" for name, (before, kept) in capped.items()
    )
    return [
        f"{option('max_per_class', next(iter(capped.values()))[1])}: originals "
        f"kept, drawn by the seed: {cut} (the manifest's note says it of each)."
    ]
