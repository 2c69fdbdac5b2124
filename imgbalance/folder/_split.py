"""Split a folder-per-class dataset into train and test (and val) folders
that share no near-duplicate and no image made from one source.

The stages are the balance writer's, handed one frozen object: the options
checked (``_split_options``), SRC and DST (``_destination``), the sources
scanned and checked (``_scan``), their groups (near-duplicates by the
perceptual hash; a balanced folder's source and derived images by its
manifest), each class split by the shares with groups kept whole
(:mod:`imgbalance.model_selection._parts`), then the files written as a
balance run writes its originals (``_writing``: atomic files, a journal,
``resume``, a lock, the manifest).
"""

import os

import numpy as np

from ..model_selection._parts import (
    assign_parts,
    exact_shares,
    fraction_targets,
    union_groups,
)
from ..utils._display import shown_name
from ._destination import check_folders
from ._journal import MANIFEST, MARKER
from ._manifest import read_manifest
from ._refusal import BalanceRefused, option
from ._resume import changed_sources
from ._run import Run
from ._scan import read_sources
from ._split_options import check_split_options
from ._split_plan import SplitPlan
from ._writing import write_outputs

__all__ = ["split_folder"]

# groups listed in the summary (and on the page), at most
GROUPS_LISTED = 500


def split_folder(
    src,
    dst,
    *,
    test=0.2,
    val=0.0,
    per_class=None,
    seed=0,
    n_jobs=None,
    originals="copy",
    on_error="fail",
    threshold=None,
    dry_run=False,
    resume=False,
    on_plan=None,
    progress=None,
):
    """Split a folder-per-class dataset into ``dst/train``, ``dst/test``
    (and ``dst/val``), keeping near-duplicates on one side.

    Each class is split by the shares asked for, each part's count within
    one image of its exact share (or exactly ``per_class`` test images).
    Images whose perceptual hashes are at most ``threshold`` bits apart
    (re-encoded, resized, slightly shifted or brightened copies), and, in
    a folder written by ``imgbalance balance``, every image made from one
    source (its manifest tells), form a group that goes to one part whole.
    Files are copied byte for byte (or linked); ``dst/manifest.csv`` names
    each file's part and group. The safety of
    :func:`~imgbalance.folder.balance_folder` holds: everything is checked
    before the first write, files are written whole or not at all, one
    run holds ``dst`` at a time, and ``resume`` completes an interrupted
    split into the files an uninterrupted one writes.

    Parameters
    ----------
    src, dst : str or os.PathLike
        The dataset (``src/<class>/**/<image>``) and the folder to write.
    test, val : float, default=0.2 and 0.0
        The share of each class in the test and validation parts (the rest
        is for training).
    per_class : int, (int, int) or None, default=None
        Instead of shares: the test images of each class (and its
        validation images). A class too small for them, or whose groups
        cannot make the count exactly, is refused.
    seed : int, default=0
        Seed of the order groups and images are placed in.
    n_jobs : int or None, default=None
        Worker processes checking files, and threads hashing them.
    originals : {"copy", "hardlink", "reflink"}, default="copy"
        How the files reach ``dst``: copied, hard-linked (one file system),
        or reflinked where the file system can (copied where not).
    on_error : {"fail", "skip"}, default="fail"
        Unreadable source files: refuse to start, or leave them out.
    threshold : int or None, default=None
        Bits of 64 two near-duplicates' perceptual hashes may differ by;
        None: 8.
    dry_run : bool, default=False
        Plan and report; write nothing.
    resume : bool, default=False
        Complete an interrupted split in ``dst``.
    on_plan : callable or None, default=None
        Called with the summary once the split is planned.
    progress : callable or None, default=None
        Called with the number of files just written.

    Returns
    -------
    summary : dict
        ``parts``, ``classes`` (``{"name", "images", <part>: count...}``),
        ``groups`` (the groups of two files or more, each ``{"files",
        "part"}``, at most 500, and ``n_groups`` in all), ``planned_files``,
        ``written``, ``already_done``, ``skipped``, ``empty_classes``,
        ``notes``, ``manifest``, ``dry_run``.

    Raises
    ------
    BalanceRefused
        A usage or safety problem, found before anything is written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import split_folder
    >>> src, dst = tempfile.mkdtemp(), os.path.join(tempfile.mkdtemp(), "split")
    >>> rng = np.random.default_rng(0)
    >>> for cls, n in [("cat", 10), ("dog", 5)]:
    ...     os.mkdir(os.path.join(src, cls))
    ...     for i in range(n):
    ...         pixels = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    ...         Image.fromarray(pixels).save(os.path.join(src, cls, f"{i}.png"))
    >>> pixels = np.asarray(Image.open(os.path.join(src, "cat", "0.png")))
    >>> Image.fromarray(pixels).save(os.path.join(src, "cat", "0 copy.jpg"))
    >>> summary = split_folder(src, dst, test=0.2, seed=0)
    >>> [(c["name"], c["train"], c["test"]) for c in summary["classes"]]
    [('cat', 9, 2), ('dog', 4, 1)]
    >>> [(g["files"], g["part"]) for g in summary["groups"]]
    [(['cat/0 copy.jpg', 'cat/0.png'], 'train')]
    >>> sorted(name for name in os.listdir(dst) if not name.startswith("."))
    ['manifest.csv', 'test', 'train']
    """
    options = check_split_options(
        src,
        dst,
        test=test,
        val=val,
        per_class=per_class,
        seed=seed,
        n_jobs=n_jobs,
        originals=originals,
        on_error=on_error,
        threshold=threshold,
        dry_run=dry_run,
        resume=resume,
        on_plan=on_plan,
        progress=progress,
    )
    check_folders(options)
    run = plan_split(options)
    summary = split_summary(run)
    if on_plan is not None:
        on_plan(dict(summary))
    if not dry_run:
        write_outputs(run, summary)
    return summary


def plan_split(options):
    """The :class:`~imgbalance.folder._run.Run` of a split: every readable
    source given a part, nothing written."""
    sources = read_sources(options)
    if options.resume and os.path.isfile(os.path.join(options.dst, MARKER)):
        changed_sources(options.dst, sources.record)  # early: before the work
    groups = _groups(options, sources)
    names, labels, counts = np.unique(
        sources.y, return_inverse=True, return_counts=True
    )
    targets, exact = _targets(options, names, counts)
    random_state = np.random.RandomState(options.seed)
    parts = assign_parts(labels.ravel(), groups, targets, random_state, exact)
    notes = [options.jobs_note] if options.jobs_note else []
    notes += _missed(options, names, labels.ravel(), parts, exact)
    part_names = options.parts
    plan = SplitPlan(sources, parts, part_names, groups, options.originals)
    classes = [
        {
            "name": str(name),
            "images": int(n),
            **{
                part: int(np.count_nonzero((labels.ravel() == c) & (parts == p)))
                for p, part in enumerate(part_names)
            },
        }
        for c, (name, n) in enumerate(zip(names, counts))
    ]
    return Run(
        options=options,
        plan=plan,
        record=sources.record,
        arrays=None,
        augmenter=None,
        pixels=1,
        classes=classes,
        skipped=sources.unreadable,
        empty_classes=sources.empty_classes,
        links_not_followed=sources.links_not_followed,
        notes=notes,
    )


def _groups(options, sources):
    """Each source's group: near-duplicates by the perceptual hash, and, in
    a balanced folder, what its manifest says came from one source."""
    from ..duplicates._hash_groups import hash_groups
    from ..duplicates._hashing import hash_items

    threads = options.n_jobs if options.n_jobs not in (None, 1) else None
    hashes = hash_items(sources.paths, n_jobs=threads)
    found = hash_groups(hashes, options.threshold)
    derived = _manifest_groups(options.src, sources)
    return found if derived is None else union_groups(found, derived)


def _manifest_groups(src, sources):
    """The groups a manifest of ``imgbalance balance`` in SRC gives (a
    source with everything made from it, a SMOTE image with its neighbour),
    by position in ``sources``; None without a manifest."""
    if not os.path.isfile(os.path.join(src, MANIFEST)):
        return None
    from ._groups import manifest_groups

    try:
        read_manifest(src)  # refused where unfinished or not ours
        paths, _, groups = manifest_groups(src)
    except (OSError, ValueError) as exc:
        raise BalanceRefused(
            f"SRC holds a {MANIFEST} that cannot be read ({exc}); finish or "
            "remove it, so that the images made from one source are known."
        ) from None
    of_path = {
        os.path.relpath(path, src): int(g) for path, g in zip(paths, groups.tolist())
    }
    start = len(of_path) + 1  # files the manifest does not name: alone
    return np.array(
        [
            of_path.get(sources.relative(i), start + i)
            for i in range(len(sources.paths))
        ],
        dtype=np.int64,
    )


def _targets(options, names, counts):
    """Images of each class wanted in each part, as whole numbers and as
    the exact shares."""
    if options.per_class is None:
        shares = [1 - options.test - options.val, options.test]
        if options.val:
            shares.append(options.val)
        return fraction_targets(counts, shares), exact_shares(counts, shares)
    held = options.per_class
    small = [(str(n), int(c)) for n, c in zip(names, counts) if c <= sum(held)]
    if small:
        shown = ", ".join(f"{shown_name(n)!r} ({c})" for n, c in small[:4])
        raise BalanceRefused(
            f"{option('per_class', held if len(held) > 1 else held[0])}: "
            f"{len(small)} class(es) have {sum(held)} images or fewer, leaving "
            f"none for training: {shown}{', ...' if len(small) > 4 else ''}; "
            "ask for fewer per class, or give shares."
        )
    targets = np.array([[c - sum(held), *held] for c in counts], dtype=np.int64)
    return targets, targets.astype(np.float64)


def _missed(options, names, labels, parts, targets):
    """Refuse a ``per_class`` count the groups kept from being exact; a note
    naming the classes whose parts miss their shares by a whole image."""
    got = np.zeros(targets.shape, dtype=np.int64)
    np.add.at(got, (labels, parts), 1)
    off = np.flatnonzero(np.abs(got - targets).max(axis=1) >= 1)
    if len(off) == 0:
        return []
    shown = "; ".join(
        f"{shown_name(str(names[c]))!r} {got[c].tolist()} for "
        f"{np.round(targets[c], 2).tolist()}"
        for c in off[:4]
    )
    if options.per_class is not None:
        raise BalanceRefused(
            f"{option('per_class')}: the near-duplicate groups of {len(off)} "
            f"class(es) are too large to give exactly the images asked for "
            f"(counts per part, as {'/'.join(options.parts)}: {shown}); ask "
            f"for other counts, or give shares."
        )
    return [
        f"{len(off)} class(es) miss their shares by an image or more, as their "
        f"near-duplicate groups are large (counts per part, as "
        f"{'/'.join(options.parts)}: {shown})."
    ]


def split_summary(run):
    """What :func:`split_folder` returns, before anything is written."""
    options, plan = run.options, run.plan
    listed, n_groups = _listed_groups(plan)
    return {
        "src": options.src,
        "dst": options.dst,
        "parts": list(options.parts),
        "seed": options.seed,
        "threshold": options.threshold,
        "classes": run.classes,
        "groups": listed,
        "n_groups": n_groups,
        "planned_files": len(plan),
        "written": 0,
        "already_done": 0,
        "skipped": run.skipped,
        "empty_classes": run.empty_classes,
        "links_not_followed": run.links_not_followed,
        "manifest": os.path.join(options.dst, MANIFEST),
        "dry_run": options.dry_run,
        "notes": run.notes,
    }


def _listed_groups(plan):
    """The groups of two files or more, kept together (the first
    ``GROUPS_LISTED``, by first file), and how many there are."""
    _, first, sizes = np.unique(plan.groups, return_index=True, return_counts=True)
    shared = np.unique(plan.groups)[sizes > 1]
    order = np.argsort(first[sizes > 1])
    listed = []
    for g in shared[order][:GROUPS_LISTED]:
        members = np.flatnonzero(plan.groups == g)
        listed.append(
            {
                "files": sorted(
                    plan.relative(int(i)).replace(os.sep, "/") for i in members
                ),
                "part": plan.part_names[plan.parts[members[0]]],
            }
        )
    return listed, len(shared)
