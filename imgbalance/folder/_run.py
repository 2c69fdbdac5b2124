"""A run, planned: the frozen object the summary and the writing stages read.

Planning goes through the stages in turn, each in a module of its own and
each handed what the ones before it made: SRC scanned and every file
checked (``_scan``), what each class grows by (``_strategy``) and whether
DST and memory have room for it (``_room``), what the method makes
(``_generation``) and the format and name of every output (``_formats``,
``_plan``). What only planning needs is let go as soon as it is used up:
the checks of every file before the names are made, the rest once the
:class:`Run` is made.
"""

import os
from dataclasses import dataclass, replace

import numpy as np

from ..augment import default_augmenter
from ..utils._counting import count_codes
from ..utils._display import shown_name
from ..utils._memory import give_back_freed_memory
from ._cap import cap_sources, kept_note
from ._formats import conversion_note, formats_of
from ._generation import generate
from ._journal import MARKER
from ._plan import Plan
from ._refusal import option
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
    give_back_freed_memory()  # what the scan and the checks used for a moment
    if options.resume and os.path.isfile(os.path.join(options.dst, MARKER)):
        changed_sources(options.dst, sources.record)  # early: before the work
    sources, capped = cap_sources(options, sources)
    growth = growth_of(options, sources)
    check_room_for(options, sources, growth)
    generated = generate(options, sources, growth)
    formats = formats_of(sources, options.image_format)
    # what the checks told is used up: let it go before the plan is made
    large_note = large_sources_note(sources)
    # "lower": a value of the data, found without importing numpy.ma (10-20 ms)
    pixels = int(  # on a made array: partitioned in place, not copied
        np.percentile(sources.pixels(), 90, method="lower", overwrite_input=True)
    )
    sources = replace(sources, checked=None)
    give_back_freed_memory()  # and what the stages since used for a moment
    plan = Plan(sources, formats, generated, options, capped)
    classes = _classes(sources.classes(), capped, growth.adding)
    notes = [options.jobs_note] if options.jobs_note else []
    notes += (
        kept_note(capped)
        + list(generated.notes)
        + growth_notes(classes, options.method)
    )
    notes += conversion_notes(plan, options.image_format) + large_note
    augmenter = options.augmenter
    return Run(
        options=options,
        plan=plan,
        record=sources.record,
        arrays=generated.arrays,
        augmenter=default_augmenter() if augmenter is None else augmenter,
        pixels=pixels,
        classes=classes,
        skipped=sources.unreadable,
        empty_classes=sources.empty_classes,
        links_not_followed=sources.links_not_followed,
        notes=notes,
    )


# a class grown past this many times its sources is said to be (its new
# images are variants of few originals: near-copies a model can memorise)
GROWTH_SAID = 10
_MADE = {"augment": "variants", "random": "copies", "smote": "blends"}


def growth_notes(classes, method):
    """The note (in a list) naming the classes grown past ``GROWTH_SAID``
    times their size."""
    grown = [c for c in classes if c["after"] > GROWTH_SAID * c["kept"]]
    if not grown:
        return []
    each = "; ".join(
        f"{shown_name(c['name'])!r} {c['kept']} -> {c['after']} "
        f"({(c['after'] - c['kept']) / c['kept']:.0f} new per source)"
        for c in grown
    )
    return [
        f"{len(grown)} class(es) grow past {GROWTH_SAID}x their size, in "
        f"{_MADE[method]} of few originals: {each}. Consider capping the largest "
        "classes "
        f"({option('max_per_class')}), or class weights in training, beside or "
        "instead of so much growth."
    ]


def conversion_notes(plan, image_format):
    """One note per change the output format makes to the pixels (alpha
    dropped, 16 bits made 8...), with the number of files it makes it in
    (images made in memory counted by their own mode)."""
    if image_format == "keep":
        return []
    counted = {}
    per_source = (  # the files each source makes: its copies, its original
        np.zeros(len(plan.paths), dtype=np.int64)
        if plan.generated_action == "array"
        else count_codes(plan.sources, minlength=len(plan.paths))
    )
    per_source[: plan.n_originals] += 1
    files = np.bincount(
        plan.formats.note_codes,
        weights=per_source,
        minlength=len(plan.formats.note_texts),
    )
    for text, n in zip(plan.formats.note_texts, files):
        if text and n:
            counted[text] = counted.get(text, 0) + int(n)
    if plan.generated_action == "array" and len(plan.sources):
        written = plan.formats.name(int(plan.sources[0]))
        text = conversion_note(plan.array_mode, written)
        if text:
            counted[text] = counted.get(text, 0) + len(plan.sources)
    return [
        f"{option('image_format', image_format)}: {text} ({n} file{'s' * (n != 1)})"
        for text, n in counted.items()
    ]


def _classes(counted, capped, adding):
    """Each class's images before (in SRC, readable), kept (below a cap)
    and after (``counted``: the class names and their numbers of readable
    sources; ``capped``: class -> (before, kept); ``adding``: class ->
    number of images added)."""
    names, sizes = counted
    out = []
    for name, kept in zip(names.tolist(), sizes.tolist()):
        before = capped[name][0] if name in capped else kept
        after = kept + int(adding.get(str(name), 0))
        out.append({"name": str(name), "before": before, "kept": kept, "after": after})
    return out
