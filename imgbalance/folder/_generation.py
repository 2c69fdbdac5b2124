"""What each method makes: for every image to add, its source, its seed and
the parameters it records (for ``method="smote"``, the images themselves,
made in memory by :class:`~imgbalance.over_sampling.EmbeddingSMOTE`)."""

import os
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..augment._render import plan_augmentation
from ..utils._display import shown_name
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
    array_mode: str = None  # the Pillow mode of ``arrays`` (all alike)


def generate(options, sources, growth):
    """The :class:`Generated` images of ``options.method`` for the readable
    ``sources``, as many as ``growth`` adds to each class."""
    seed = options.seed
    if options.method == "augment":
        random_state = np.random.RandomState(seed)
        # on the class codes: the same draws as on the names, class by class
        # in the order of ``adding``, without a name per file
        adding = dict(zip(sources.codes(growth.adding), growth.adding.values()))
        planned, seeds = plan_augmentation(sources.label_codes, adding, random_state)
        return Generated(planned, np.asarray(seeds, dtype=np.int64))
    if options.method == "random":
        # scikit-learn and imbalanced-learn: imported for this method only
        from ..over_sampling import RandomImageOverSampler

        sampler = RandomImageOverSampler(
            sampling_strategy=growth.sampling_strategy, random_state=seed
        )
        # which images are copied depends on the classes alone: a byte per
        # image stands in for the paths, so that no list of them is made
        n = len(sources.label_codes)
        sampler.fit_resample(np.zeros((n, 1), dtype=np.uint8), sources.y)
        return Generated(sampler.sample_indices_[n:], seed)
    return _smote(sources, growth.adding, seed)


def _smote(sources, to_add, seed):
    """EmbeddingSMOTE's images for the classes to grow (``to_add``: class
    -> number of images to add)."""
    grown = [label for label, n in to_add.items() if n > 0]
    members = np.flatnonzero(np.isin(sources.label_codes, sources.codes(grown)))
    if len(members) == 0:  # nothing to make
        return Generated(members, seed, [], [], [])
    modes_note = _refuse_mixed_kinds(sources, members)
    # only the images of the classes to grow are decoded: SMOTE reads no
    # other (its embedding and neighbours are those classes'), so the images
    # made are those of EmbeddingSMOTE.fit_resample on the whole folder, and
    # one class to grow (any two-class folder) works as well as several
    from .._contract._stacking import stack_images  # scikit-learn: only here
    from ..over_sampling._smote import SmoteSettings, plan_synthesis

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            pixels = stack_images([sources.paths[i] for i in members])
            synthesis = plan_synthesis(
                pixels,
                sources.labels(members),
                {label: int(to_add[label]) for label in grown},
                SmoteSettings(random_state=seed),
            )
            images = synthesis.render(pixels)
        except ValueError as exc:  # say, a class of one image
            raise BalanceRefused(f"{option('method', 'smote')}: {exc}") from None
    made_from, neighbors = members[synthesis.sources], members[synthesis.neighbors]
    per_sample = [
        {"neighbor": sources.relative(b).replace(os.sep, "/"), "gap": g}
        for b, g in zip(neighbors, synthesis.gaps.tolist())
    ]
    notes = [str(w.message) for w in caught if not _mode_rule_warning(w)]
    if modes_note is not None:
        notes.insert(0, modes_note)
    return Generated(
        made_from, seed, per_sample, list(images), notes, _array_mode(images)
    )


def _array_mode(images):
    """The Pillow mode images of this shape and dtype are stored in."""
    channels = 1 if images.ndim == 3 else images.shape[3]
    if images.dtype == np.uint16:
        return "I;16"
    return {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}.get(channels, "RGB")


def _mode_rule_warning(caught):
    """The image contract's warning about several modes, which the run's
    own note replaces."""
    return "holds images of several modes" in str(caught.message)


def _refuse_mixed_kinds(sources, members):
    """SMOTE interpolates between images of one size: refuse sources (at
    ``members``) of several. Several modes are converted to one (the rule
    of the image contract); returns the note that says so, or None."""
    checked = sources.checked
    where = sources.keep[members]
    sizes = {tuple(size) for size in checked.size[where].tolist()}
    if len(sizes) > 1:
        shown = ", ".join(f"{w}x{h}" for w, h in sorted(sizes)[:4])
        raise BalanceRefused(
            f"{option('method', 'smote')} interpolates between images of one "
            f"size, and the classes to grow hold images of {len(sizes)} sizes "
            f"({shown}{', ...' if len(sizes) > 4 else ''}). Use "
            f"{option('method', 'augment')}, or resize them first."
        )
    modes, counts = np.unique(checked.mode[where], return_counts=True)
    if len(modes) < 2:
        return None
    wide = [checked.modes[m] for m in modes.tolist() if checked.modes[m] in ("I", "F")]
    if wide:
        files = [
            sources.relative(i)
            for i in members
            if checked.modes[checked.mode[sources.keep[i]]] in wide
        ]
        raise BalanceRefused(
            f"{option('method', 'smote')} reads the images of the classes to grow "
            f"in one mode, and 32-bit (mode {' or '.join(wide)}) images beside "
            "others have none a file can store "
            f"({', '.join(shown_name(f) for f in files[:3])}"
            f"{', ...' if len(files) > 3 else ''}); convert them to 8 or 16 bits "
            f"first, or use {option('method', 'augment')}."
        )
    found = ", ".join(
        f"{n} {checked.modes[m]}" for m, n in zip(modes.tolist(), counts.tolist())
    )
    return (
        f"{option('method', 'smote')}: the classes to grow hold images of "
        f"{len(modes)} modes ({found}); all were read in one for the embedding "
        "and the images made (RGB where any is colour, else gray; alpha "
        "dropped; 16 bits made 8 where 8-bit images are among them)."
    )
