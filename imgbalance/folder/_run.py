"""A run, planned: the frozen object the summary and the writing stages read.

Planning goes through the stages in turn, each in a module of its own and
each handed what the ones before it made: SRC scanned and every file
checked (``_scan``), what each class grows by (``_strategy``) and whether
DST and memory have room for it (``_room``), what the method makes
(``_generation``) and the format and name of every output (``_formats``,
``_plan``). What only planning needs (the checks of every file, their
classes as text) is dropped once the :class:`Run` is made.
"""

import os
from dataclasses import dataclass

import numpy as np

from ..augment import default_augmenter
from ._formats import formats_of
from ._generation import generate
from ._journal import MARKER
from ._plan import Plan
from ._resume import changed_sources
from ._room import check_room_for
from ._scan import large_sources_note, read_sources
from ._strategy import growth_of

__all__ = ["Run", "plan_run"]


@dataclass(frozen=True, eq=False)
class Run:
    """What a run writes, and what it says of it.

    ``options`` (:class:`~imgbalance.folder._options.Options`); ``plan``
    (every output); ``record`` (SRC as it was read, for a later resume);
    ``arrays`` (images made in memory, by task, or None); ``augmenter`` (the
    one to render with); ``pixels`` (the size of most sources, for the
    jobs' memory); ``classes`` (``{"name", "before", "after"}``),
    ``skipped``, ``empty_classes``, ``links_not_followed`` and ``notes``
    for the summary.
    """

    options: object
    plan: Plan
    record: object
    arrays: list
    augmenter: object
    pixels: int
    classes: list
    skipped: list
    empty_classes: list
    links_not_followed: list
    notes: list


def plan_run(options):
    """The :class:`Run` of ``options``, checked and planned, nothing written."""
    sources = read_sources(options)
    if options.resume and os.path.isfile(os.path.join(options.dst, MARKER)):
        changed_sources(options.dst, sources.record)  # early: before the work
    growth = growth_of(options, sources)
    check_room_for(options, sources, growth)
    generated = generate(options, sources, growth)
    plan = Plan(sources, formats_of(sources, options.image_format), generated, options)
    notes = list(generated.notes) + ([options.jobs_note] if options.jobs_note else [])
    augmenter = options.augmenter
    return Run(
        options=options,
        plan=plan,
        record=sources.record,
        arrays=generated.arrays,
        augmenter=default_augmenter() if augmenter is None else augmenter,
        pixels=int(np.percentile(sources.sizes.prod(axis=1), 90)),
        classes=_classes(sources.y, growth.adding),
        skipped=sources.unreadable,
        empty_classes=sources.empty_classes,
        links_not_followed=sources.links_not_followed,
        notes=notes + large_sources_note(sources),
    )


def _classes(y, adding):
    """Each class's images before and after (``adding``: class -> number
    of images added)."""
    names, sizes = np.unique(y, return_counts=True)
    before = dict(zip(names.tolist(), sizes.tolist()))
    return [
        {
            "name": str(name),
            "before": before[name],
            "after": before[name] + int(adding.get(str(name), 0)),
        }
        for name in before
    ]
