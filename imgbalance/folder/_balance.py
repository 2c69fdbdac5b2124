"""Write a balanced copy of a folder-per-class dataset, safely.

A run is a sequence of stages, each in a module of its own:

1. the options (``_options``), SRC and DST (``_destination``) checked;
2. the source files scanned and decoded once to check them (``_checking``);
3. what each class should grow to (``_strategy``), and the room that needs
   (``_room``);
4. the plan: the format of each output (``_formats``), what the method adds
   (``_generation``: source, seed, parameters) and each output's name
   (``_plan``);
5. the writing, in jobs (``_writing``): every file under a temporary name,
   renamed when complete (``_files``) and recorded with its manifest row in
   a journal, from which the manifest is put together at the end
   (``_journal``). An interrupted run is completed by running again with
   ``resume=True`` (``_resume``): the plan is made again (it depends only on
   the source folder and the options), files already recorded are kept and
   the others written, so the result equals an uninterrupted run's.
"""

import os
import warnings

import numpy as np
from PIL import Image

from .._contract._files import large_image_message
from ..augment import default_augmenter
from ..datasets._scanning import relative_path, scan_image_folder
from ..utils._display import shown_name
from ._checking import check_files
from ._destination import (
    busy,
    check_destination,
    check_locations,
    check_names,
    same_device,
)
from ._formats import formats_of
from ._generation import generate
from ._journal import MANIFEST, MARKER, files_done
from ._lock import DestinationBusy, check_free
from ._options import capped_jobs, check_callbacks, check_options, settings_of
from ._plan import Plan
from ._refusal import BalanceRefused, option
from ._resume import changed_sources
from ._room import check_room
from ._sources import SourceRecord
from ._strategy import check_strategy, parse_strategy, to_add
from ._writing import write_outputs

__all__ = ["BalanceRefused", "balance_folder", "parse_strategy"]


def balance_folder(
    src,
    dst,
    *,
    method="augment",
    strategy="auto",
    seed=0,
    n_jobs=None,
    originals="copy",
    image_format="keep",
    on_error="fail",
    dry_run=False,
    resume=False,
    augmenter=None,
    on_plan=None,
    progress=None,
):
    """Write a balanced copy of the folder-per-class dataset ``src`` to ``dst``.

    ``dst/<class>/`` gets the originals (copied, linked or re-encoded) and
    the generated images, named after their source (``<stem>_aug0.png``),
    and ``dst/manifest.csv`` one row per output file: output path, class,
    source path, method, seed, the parameters applied and a note (such as a
    conversion for JPEG). The pixels generated equal what the in-memory
    sampler's ``fit_resample`` returns for the same seed and images (JPEG
    output is lossy: use ``image_format="PNG"`` for exact pixels).

    Safety: nothing is written into ``src``; ``dst`` equal to, inside or
    around ``src`` is refused, and so is a non-empty ``dst`` this function
    did not write, unless ``resume`` completes an earlier run made with the
    same settings. Each file is written under a hidden temporary name and
    renamed when complete. Symbolic links leading out of ``src`` are not
    followed. Memory holds one batch of images per job (at most 256, fewer
    for big images: about 8 million pixels; for ``method="smote"``: the
    images of the classes to grow), the list of
    files, and a few numbers per file: on 100 000 images, peak memory is
    within 1.1x of that on 20 000 (``benchmarks/bench_folder_memory.py``).

    Parameters
    ----------
    src, dst : str or os.PathLike
        The dataset (``src/<class>/**/<image>``) and the folder to write.
    method : {"augment", "random", "smote"}, default="augment"
        :class:`~imgbalance.over_sampling.AugmentingOverSampler` (default
        augmentations), :class:`~imgbalance.over_sampling.RandomImageOverSampler`
        (copies of the source files) or
        :class:`~imgbalance.over_sampling.EmbeddingSMOTE` (images of one size).
    strategy : str, float or dict, default="auto"
        The ``sampling_strategy`` (see :func:`parse_strategy`).
    seed : int, default=0
        The ``random_state``.
    n_jobs : int or None, default=None
        Parallel jobs (joblib) checking and writing files.
    originals : {"copy", "hardlink", "symlink", "none"}, default="copy"
        How the original images reach ``dst``.
    image_format : {"keep", "PNG", "JPEG"}, default="keep"
        Format of the files written; with a format, originals are re-encoded
        too (``originals`` must then be "copy" or "none").
    on_error : {"fail", "skip"}, default="fail"
        Unreadable source files: refuse to start (listing them), or leave
        them out and report them.
    dry_run : bool, default=False
        Plan and report; write nothing.
    resume : bool, default=False
        Complete an interrupted run in ``dst``.
    augmenter : augmentation or None, default=None
        For ``method="augment"``; None uses
        :func:`~imgbalance.augment.default_augmenter`.
    on_plan : callable or None, default=None
        Called with the summary of the plan (``written`` still 0) once it is
        made, before anything is written.
    progress : callable or None, default=None
        Called with the number of files just written, as they are.

    Returns
    -------
    summary : dict
        ``classes`` (``{"name", "before", "after"}``), ``planned_files``,
        ``written`` (this run), ``already_done`` (from an earlier run),
        ``skipped`` (unreadable files left out, with the reason),
        ``empty_classes``, ``links_not_followed``, ``notes`` (such as a
        class too small for SMOTE's neighbours), ``manifest`` and the
        settings.

    Raises
    ------
    BalanceRefused
        A usage or safety problem, found before anything is written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import balance_folder
    >>> src, dst = tempfile.mkdtemp(), os.path.join(tempfile.mkdtemp(), "out")
    >>> rng = np.random.default_rng(0)
    >>> for cls, n in [("cat", 4), ("dog", 1)]:
    ...     os.mkdir(os.path.join(src, cls))
    ...     for i in range(n):
    ...         pixels = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    ...         Image.fromarray(pixels).save(os.path.join(src, cls, f"{i}.png"))
    >>> summary = balance_folder(src, dst, seed=0)
    >>> [(c["name"], c["before"], c["after"]) for c in summary["classes"]]
    [('cat', 4, 4), ('dog', 1, 4)]
    >>> sorted(os.listdir(os.path.join(dst, "dog")))
    ['0.png', '0_aug0.png', '0_aug1.png', '0_aug2.png']
    >>> with open(os.path.join(dst, "manifest.csv")) as manifest:
    ...     print(manifest.readlines()[-1].split(",")[:5])
    ['dog/0_aug2.png', 'dog', 'dog/0.png', 'augment', '...']
    """
    src, dst = os.fspath(src), os.fspath(dst)
    image_format = check_options(
        method, originals, image_format, on_error, n_jobs, seed
    )
    check_callbacks(augmenter, on_plan, progress, dry_run, resume)
    sampling_strategy = check_strategy(strategy)
    settings = settings_of(
        os.path.realpath(src),
        method,
        strategy,
        seed,
        originals,
        image_format,
        on_error,
        augmenter,
    )
    _check_folders(src, dst, resume, originals, settings)
    n_jobs, jobs_note = capped_jobs(n_jobs)
    scan, checked, unreadable = _checked_sources(src, dst, on_error, n_jobs)
    keep = np.flatnonzero(checked.ok)
    sources = SourceRecord(src, scan.paths, checked.ok)  # for a later resume
    if resume and os.path.isfile(os.path.join(dst, MARKER)):
        changed_sources(dst, sources)  # early: before the plan's work
    paths = [scan.paths[i] for i in keep] if len(keep) < len(scan.paths) else scan.paths
    label_codes = scan.target[keep]
    y = np.array(scan.target_names, dtype=object)[label_codes].astype(str)
    sampling_strategy, adding = to_add(
        strategy, sampling_strategy, y, scan.target_names
    )
    sizes = checked.size[keep]  # (width, height) of each kept source
    source_pixels = sizes.prod(axis=1)
    _check_room_for(
        dst, method, y, adding, source_pixels, sources.size[keep], originals, resume
    )

    generated = generate(
        method, src, paths, checked, keep, y, sampling_strategy, adding, seed
    )
    plan = Plan(
        src,
        paths,
        label_codes,
        list(scan.target_names),
        formats_of(src, paths, checked, keep, image_format),
        generated,
        method=method,
        originals=originals,
        image_format=image_format,
    )
    notes = generated.notes + ([jobs_note] if jobs_note else [])
    notes += _large_sources_note(src, paths, sizes)
    summary = _summary(
        src, dst, settings, y, adding, plan, scan, unreadable, notes, dry_run
    )
    if on_plan is not None:
        on_plan(dict(summary))
    if dry_run:
        return summary
    # the size of most sources, for the jobs' memory
    pixels = int(np.percentile(source_pixels, 90))
    del checked, y, sizes, source_pixels  # per-file arrays the plan no longer needs
    write_outputs(
        dst,
        plan,
        settings=settings,
        resume=resume,
        sources=sources,
        arrays=generated.arrays,
        augmenter=default_augmenter() if augmenter is None else augmenter,
        n_jobs=n_jobs,
        pixels=pixels,
        summary=summary,
        progress=progress,
    )
    return summary


def _check_folders(src, dst, resume, originals, settings):
    """Refuse SRC and DST that cannot be used (see :mod:`._destination`);
    a DST with an earlier run must have been written with ``settings``."""
    check_locations(src, dst)
    if originals == "hardlink" and not same_device(src, dst):
        raise BalanceRefused(
            f"{option('originals', 'hardlink')} needs SRC and DST on one file "
            f"system; use {option('originals', 'copy')} or "
            f"{option('originals', 'symlink')}."
        )
    try:
        check_free(dst)
    except DestinationBusy as held:
        raise busy(held) from None
    check_destination(dst, settings, resume)  # early: before the plan's work


def _checked_sources(src, dst, on_error, n_jobs):
    """The scan of SRC, what decoding each file told (:class:`Checked`) and
    the unreadable files (refused with ``on_error="fail"``)."""
    with warnings.catch_warnings():  # empty classes: reported in the summary
        warnings.simplefilter("ignore", UserWarning)
        try:
            scan = scan_image_folder(src, what="SRC")
        except (OSError, ValueError) as exc:
            raise BalanceRefused(str(exc)) from None
    taken = [n for n in scan.target_names if n.lower() == MANIFEST.lower()]
    if taken:
        raise BalanceRefused(
            f"SRC has a class folder named {taken[0]!r}, the name of the "
            "manifest written in DST; rename that folder."
        )
    check_names(src, scan.paths, dst)
    checked = check_files(scan.paths, n_jobs)
    unreadable = [
        {
            "path": os.path.relpath(scan.paths[i], src),
            "class": scan.target_names[scan.target[i]],
            "reason": reason,
        }
        for i, reason in sorted(checked.reasons.items())
    ]
    if unreadable and (on_error == "fail" or not checked.ok.any()):
        first = unreadable[0]
        if on_error == "fail":
            raise BalanceRefused(
                f"{len(unreadable)} file(s) of SRC cannot be read (the first: "
                f"{shown_name(first['path'])}: {first['reason']}); `imgbalance "
                "inspect SRC` lists them all. Remove or replace them, or use "
                f"{option('on_error', 'skip')} to leave them out."
            )
        raise BalanceRefused(
            f"none of the {len(scan.paths)} image files of SRC can be read (the "
            f"first: {first['path']}: {first['reason']}); nothing to balance."
        )
    return scan, checked, unreadable


def _check_room_for(dst, method, y, adding, pixels, file_sizes, originals, resume):
    """Refuse a run DST's disk or the memory cannot hold (see
    :func:`check_room`; ``pixels`` and ``file_sizes``: of each kept
    source)."""
    n_new = sum(int(n) for n in adding.values())
    # SMOTE holds its new images and the grown classes' in memory, decoded
    # (up to 4 bytes a pixel: RGBA, or 16-bit gray with alpha)
    held = 0
    if method == "smote":
        grown = np.isin(y, [str(label) for label, n in adding.items() if n])
        held = 4 * (n_new * float(np.median(pixels)) + float(pixels[grown].sum()))
    check_room(
        dst,
        n_new,
        originals,
        file_sizes,
        held_bytes=held,
        n_done=files_done(dst) if resume else 0,
    )


def _summary(src, dst, settings, y, adding, plan, scan, unreadable, notes, dry_run):
    """What :func:`balance_folder` returns, before anything is written."""
    names, sizes = np.unique(y, return_counts=True)
    counts = dict(zip(names.tolist(), sizes.tolist()))
    after = dict(counts)
    for label, n_new in adding.items():
        after[str(label)] += int(n_new)
    return {
        "src": src,
        "dst": dst,
        "method": settings["method"],
        "strategy": settings["strategy"],
        "seed": settings["seed"],
        "classes": [
            {"name": str(name), "before": counts[name], "after": after[name]}
            for name in counts
        ],
        "planned_files": len(plan),
        "written": 0,
        "already_done": 0,
        "skipped": unreadable,
        "empty_classes": list(scan.empty_classes),
        "links_not_followed": [
            os.path.relpath(p, src) for p in scan.links_not_followed
        ],
        "manifest": os.path.join(dst, MANIFEST),
        "dry_run": dry_run,
        "notes": notes,
    }


def _large_sources_note(src, paths, sizes):
    """A note (in a list, or an empty list) naming the sources above
    Pillow's decompression-bomb limit: they are read in full all the same."""
    large = [i for i, size in enumerate(sizes) if large_image_message(size)]
    if not large:
        return []
    width, height = sizes[large[0]]
    return [
        f"{len(large)} source(s) above Pillow's decompression-bomb limit of "
        f"{Image.MAX_IMAGE_PIXELS} pixels, read in full (the first: "
        f"{shown_name(relative_path(paths[large[0]], src))}, {width}x{height})."
    ]
