"""Write a balanced copy of a folder-per-class dataset, safely.

A run is a sequence of stages, each in a module of its own, handed one
frozen object from stage to stage:

1. the options checked (``_options``: an ``Options``), then SRC and DST
   (``_destination``);
2. the plan (``_run``: a ``Run``): the source files scanned and decoded once
   to check them (``_scan``, ``_checking``), what each class should grow
   to (``_strategy``) and the room that needs (``_room``), what the method
   adds (``_generation``: source, seed, parameters), the format of each
   output (``_formats``) and its name (``_plan``);
3. the writing, in jobs (``_writing``): every file under a temporary name,
   renamed when complete (``_files``) and recorded with its manifest row in
   a journal, from which the manifest is put together at the end
   (``_journal``). An interrupted run is completed by running again with
   ``resume=True`` (``_resume``): the plan is made again (it depends only on
   the source folder and the options), files already recorded are kept and
   the others written, so the result equals an uninterrupted run's.
"""

import os

from ._dask import dask_cluster
from ._destination import check_folders
from ._journal import MANIFEST
from ._options import check_options
from ._refusal import BalanceRefused
from ._run import plan_run
from ._strategy import parse_strategy
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
    max_per_class=None,
    dry_run=False,
    resume=False,
    augmenter=None,
    on_plan=None,
    progress=None,
    dask=None,
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
    images of the classes to grow), an offset and a few numbers per file,
    and the plan: 77 MB at the peak on 100 000 tiny images, 92 MB on a
    million, 17 bytes per extra image
    (``benchmarks/bench_folder_memory.py``). The
    files' paths, sizes and times are kept in unnamed temporary files in
    the temporary folder (``TMPDIR``): their bytes and 16 bytes a file.

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
        Parallel jobs (joblib) checking and writing files (not used with
        ``dask``).
    originals : {"copy", "hardlink", "symlink", "none"}, default="copy"
        How the original images reach ``dst``.
    image_format : {"keep", "PNG", "JPEG"}, default="keep"
        Format of the files written; with a format, originals are re-encoded
        too (``originals`` must then be "copy" or "none").
    on_error : {"fail", "skip"}, default="fail"
        Unreadable source files: refuse to start (listing them), or leave
        them out and report them.
    max_per_class : int or None, default=None
        The most images a class keeps: a larger class keeps that many of
        its originals, drawn by ``seed`` (``numpy.random.RandomState(seed)``:
        for each such class, in name order, a permutation of its images,
        the first ``max_per_class`` kept), and the others grow towards the
        new largest size by ``strategy``. The manifest's note says it of
        each original kept.
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
    dask : str, ``distributed.Client`` or None, default=None
        Write on a Dask distributed cluster: the address of its scheduler
        (``"tcp://HOST:8786"``) or a client of it. Its workers must see
        ``src`` and ``dst`` at the same paths and run this imgbalance
        (checked before anything is written); they write the jobs of the
        plan, each keeping a journal in ``dst``, and the files are the same
        bytes as without a cluster. A worker lost mid-run: its jobs run
        again on another; the run stopped: ``resume`` finishes it. The
        files are checked on the workers too (``n_jobs`` is not used), but
        for the first ones, checked in processes forked here while the
        cluster is reached (on Linux, where this process runs no other
        thread).

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
    options = check_options(
        src,
        dst,
        method=method,
        strategy=strategy,
        seed=seed,
        n_jobs=n_jobs,
        originals=originals,
        image_format=image_format,
        on_error=on_error,
        max_per_class=max_per_class,
        dry_run=dry_run,
        resume=resume,
        augmenter=augmenter,
        on_plan=on_plan,
        progress=progress,
        dask=dask,
    )
    check_folders(options)
    with dask_cluster(options) as options:
        run = plan_run(options)
        summary = summary_of(run)
        if on_plan is not None:
            on_plan(dict(summary))
        if not dry_run:
            write_outputs(run, summary)
    return summary


def summary_of(run):
    """What :func:`balance_folder` returns, before anything is written."""
    options = run.options
    return {
        "src": options.src,
        "dst": options.dst,
        "method": options.settings["method"],
        "strategy": options.settings["strategy"],
        "seed": options.seed,
        "classes": run.classes,
        "planned_files": len(run.plan),
        "written": 0,
        "already_done": 0,
        "skipped": run.skipped,
        "empty_classes": run.empty_classes,
        "links_not_followed": run.links_not_followed,
        "manifest": os.path.join(options.dst, MANIFEST),
        "dry_run": options.dry_run,
        "notes": run.notes,
    }
