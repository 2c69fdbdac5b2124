"""What each method makes: for every image to add, its source, its seed and
the parameters it records (for ``method="smote"``, the images themselves,
made in memory by :class:`~imgbalance.over_sampling.EmbeddingSMOTE`)."""

import os
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..augment._render import plan_augmentation
from ._refusal import BalanceRefused, option

__all__ = ["Generated", "generate"]


@dataclass
class Generated:
    """The images a method adds, by position: ``sources`` (positions in the
    run's readable sources), ``seeds`` (one per image, or one for all),
    ``parameters`` (a dict per image, or None), ``arrays`` (the pixels of
    images made in memory, or None) and ``notes`` for the user."""

    sources: np.ndarray
    seeds: object
    parameters: list = None
    arrays: list = None
    notes: list = field(default_factory=list)


def generate(method, src, paths, checked, keep, y, sampling_strategy, to_add, seed):
    """The :class:`Generated` images of ``method``.

    ``paths`` are the readable sources (``keep``: their positions in
    ``checked``, which describes every scanned file), ``y`` their classes;
    ``sampling_strategy`` is the one given (see :func:`to_add`) and
    ``to_add`` the number of images to add to each class.
    """
    if method == "augment":
        sources, seeds = plan_augmentation(y, to_add, np.random.RandomState(seed))
        return Generated(sources, np.asarray(seeds, dtype=np.int64))
    if method == "random":
        # scikit-learn and imbalanced-learn: imported for this method only
        from ..over_sampling import RandomImageOverSampler

        sampler = RandomImageOverSampler(
            sampling_strategy=sampling_strategy, random_state=seed
        )
        sampler.fit_resample(paths, y)
        return Generated(sampler.sample_indices_[len(paths) :], seed)
    return _smote(src, paths, checked, keep, y, to_add, seed)


def _smote(src, paths, checked, keep, y, to_add, seed):
    """EmbeddingSMOTE on the images of the classes to grow (``to_add``:
    class -> number of images to add)."""
    grown = [label for label, n in to_add.items() if n > 0]
    members = np.flatnonzero(np.isin(y, grown))
    if len(members) == 0:  # nothing to make
        return Generated(members, seed, [], [], [])
    shapes = {
        (tuple(checked.size[keep[i]]), checked.modes[checked.mode[keep[i]]])
        for i in members
    }
    if len(shapes) > 1:
        raise BalanceRefused(
            f"{option('method', 'smote')} interpolates between images of one size "
            "and mode; "
            f"the classes to grow hold {len(shapes)} kinds "
            f"({', '.join(f'{w}x{h} {m}' for (w, h), m in sorted(shapes)[:4])}). "
            f"Use {option('method', 'augment')}, or resize them first."
        )
    # only the images of the classes to grow are decoded: SMOTE reads no
    # other (its embedding and neighbours are those classes'), so the images
    # made are those of EmbeddingSMOTE.fit_resample on the whole folder, and
    # one class to grow (any two-class folder) works as well as several
    from .._contract._stacking import stack_images  # scikit-learn: only here
    from ..over_sampling._smote import SmoteSettings, plan_synthesis

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            pixels = stack_images([paths[i] for i in members])
            synthesis = plan_synthesis(
                pixels,
                y[members],
                {label: int(to_add[label]) for label in grown},
                SmoteSettings(random_state=seed),
            )
            images = synthesis.render(pixels)
        except ValueError as exc:  # say, a class of one image
            raise BalanceRefused(f"{option('method', 'smote')}: {exc}") from None
    sources, neighbors = members[synthesis.sources], members[synthesis.neighbors]
    per_sample = [
        {"neighbor": os.path.relpath(paths[b], src).replace(os.sep, "/"), "gap": g}
        for b, g in zip(neighbors, synthesis.gaps.tolist())
    ]
    notes = [str(w.message) for w in caught]
    return Generated(sources, seed, per_sample, list(images), notes)
