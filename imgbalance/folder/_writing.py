"""Writing the plan's outputs in jobs: originals copied, linked or
re-encoded, images rendered or made in memory saved, each job's journal
lines returned to the run, which records them as the files exist."""

import contextlib
import os
import shutil

import numpy as np

from .._contract._decoding import load_image
from .._contract._files import large_images_quiet
from ..augment._render import ItemSource, backend_kind, opencv_single_thread, render
from ..utils._compact import positions_of
from ..utils._memory import give_back_freed_memory
from ..utils._parallel import effective_jobs, n_tasks
from ..utils._pool import end_with_parent, run_tasks
from ._destination import busy, check_destination
from ._files import (
    UnsafeDestination,
    copy_file,
    folder_problem,
    make_real_folder,
    open_no_follow,
    remove_temporaries,
    write_atomically,
)
from ._formats import save
from ._journal import JOURNAL, Rows, journal_line, parameters_json, write_manifest
from ._lock import DestinationBusy, exclusive_run
from ._refusal import BalanceRefused
from ._resume import start, write_record
from ._sources import SOURCES
from ._worker_journals import remove_worker_journals

__all__ = ["SourceUnreadable", "write_outputs"]

# what a job holds in memory at a time: outputs, and pixels of their sources
BATCH = 256
BATCH_PIXELS = 2**23


# seconds of writing left from which worker processes take the rest: each
# starts by importing the render engine, Pillow and OpenCV (0.3-0.5 s; no
# scikit-learn), so a second job pays for itself on a second of work or more
WRITES_PAY_AFTER = 1.0


class SourceUnreadable(OSError):
    """A file of SRC could be read when checked, but not when used: it
    changed during the run (the command exits with status 3)."""

    def __init__(self, reason):
        super().__init__(
            f"a file of SRC changed during the run and cannot be read now ({reason})"
        )


def _decode(path, index=None):
    """The pixels of a source file; one that no longer decodes stops the run
    with :class:`SourceUnreadable`."""
    try:
        return load_image(path, index=index, input_name="SRC")
    except ValueError as exc:  # load_image's: the file does not decode
        raise SourceUnreadable(exc) from None


class _Sources(ItemSource):
    """The source files a job renders from, decoded by :func:`_decode`."""

    def __call__(self, index):
        return _decode(self.items[index], int(self.positions[index]))


def _reflink(source, target):
    """``target`` as a reflink of ``source`` (its blocks shared until one is
    written: Btrfs, XFS, APFS...); a copy where the file system cannot."""
    import fcntl

    ficlone = 0x40049409  # Linux's FICLONE
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), ficlone, src.fileno())
        except OSError:
            shutil.copyfileobj(src, dst)


def _write_original(item, dst_path):
    if item.action == "copy":
        write_atomically(dst_path, lambda t: copy_file(item.source, t), exclusive=True)
    elif item.action == "reflink":
        write_atomically(dst_path, lambda t: _reflink(item.source, t))
    elif item.action == "hardlink":
        write_atomically(dst_path, lambda t: os.link(item.source, t), exclusive=True)
    elif item.action == "symlink":
        target = os.path.abspath(item.source)
        write_atomically(dst_path, lambda t: os.symlink(target, t), exclusive=True)
    else:  # encode: decoded (EXIF orientation applied), stored in the new format
        save(_decode(item.source), dst_path, item.format)


def run_job(items, dst, augmenter, arrays, run_pid):
    """Write ``items`` (a job's share of the plan; ``arrays`` holds the
    images of its "array" items by task).

    Returns the journal's lines for them, manifest rows included (made here
    rather than in the parent process, which would make them for every job
    in turn).

    A job in a worker process runs OpenCV on one thread (the jobs already
    fill the cores) and watches its parent. A job in the run's own process
    ``run_pid`` starts no watchdog and leaves OpenCV's threads to
    :func:`write_outputs` (which sets one thread where jobs here run one at
    a time, and changes nothing where they run in threads).
    """
    in_process = os.getpid() == run_pid
    if not in_process:
        end_with_parent()
    limit = contextlib.nullcontext() if in_process else opencv_single_thread()
    with limit, large_images_quiet():  # the plan's notes name them
        return _write_items(dst, items, augmenter, arrays)


def _write_items(dst, items, augmenter, arrays):
    # checked again as the job starts: a folder turned into a link since
    # the run began would lead its writes out of DST
    for folder in sorted({os.path.dirname(item.output) for item in items}):
        problem = folder_problem(dst, folder)
        if problem is not None:
            raise UnsafeDestination(f"{problem} (it changed during the run)")
    applied = {}
    renders = [item for item in items if item.action == "render"]
    for item in items:
        path = os.path.join(dst, item.output)
        if item.action == "array":
            save(arrays[item.task], path, item.format)
        elif item.action != "render":
            _write_original(item, path)
    if renders:  # grouped by source: each decoded once
        unique, sources = np.unique(
            np.array([item.source for item in renders], dtype=object),
            return_inverse=True,
        )
        images, records = render(
            augmenter,
            _Sources(unique),
            sources,
            np.array([item.seed for item in renders], dtype=np.int64),
        )
        for item, image, record in zip(renders, images, records):
            save(image, os.path.join(dst, item.output), item.format)
            applied[item.k] = parameters_json(record)
    rows = Rows()
    return b"".join(
        journal_line(
            item.k,
            item.output,
            os.lstat(os.path.join(dst, item.output)).st_size,
            rows.line(item.manifest_row(applied.get(item.k))),
        )
        for item in items
    )


def batch_size(pixels, n_outputs, n_jobs, most=BATCH):
    """Outputs per job: at most ``most``, about ``BATCH_PIXELS`` pixels of
    sources of ``pixels`` pixels, and few enough that each of the ``n_jobs``
    gets four jobs or more (so that they finish together)."""
    by_memory = BATCH_PIXELS // max(pixels, 1)
    by_balance = -(-n_outputs // n_tasks(n_outputs, n_jobs))
    return max(1, min(most, by_memory, by_balance))


def batches(plan, ks, size):
    """Outputs ``ks`` (increasing: a range, or an array) in jobs of at most
    ``size``; renders grouped by source, so that a job decodes each source
    once. A range's jobs are ranges: no position held per output."""
    if plan.generated_action == "render":
        if isinstance(ks, range):
            split = min(max(plan.n_originals - ks.start, 0), len(ks))
            originals = ks[:split]
            renders = np.arange(ks.start + split, ks.stop, dtype=np.int64)
            if len(ks) < 2**31:
                renders = renders.astype(np.int32)
        else:
            split = int(np.searchsorted(ks, plan.n_originals))
            originals, renders = ks[:split], ks[split:]
        # by source, then position (ks increase: a stable sort keeps them so)
        renders = renders[
            np.argsort(plan.sources[renders - plan.n_originals], kind="stable")
        ]
        groups = (renders, originals)  # the cheap copies last: an even end
    else:
        groups = (ks,)
    return [group[i : i + size] for group in groups for i in range(0, len(group), size)]


def _jobs_to_do(run, done):
    """The jobs (positions in the plan) writing the outputs not ``done``,
    their folders made."""
    if not done.any():  # all of them: a range, not a position each
        todo = range(len(done))
    else:  # 4 bytes a position, not 8
        todo = positions_of(~done)
    for folder in run.plan.folders(todo):
        make_real_folder(run.options.dst, folder)
    size = batch_size(run.pixels, len(todo), *_jobs(run.options))
    return batches(run.plan, todo, size)


def _cluster(options):
    """The Dask client a run writes with (``_dask``), or None (``split``'s
    options have none)."""
    return getattr(options, "dask", None)


def _jobs(options):
    """The jobs writing at once and the most outputs a job holds: ``n_jobs``
    and ``BATCH``, or a Dask cluster's threads and its larger jobs."""
    if _cluster(options) is None:
        return options.n_jobs, BATCH
    from ._dask import CLUSTER_BATCH, cluster_threads

    return max(1, cluster_threads(options.dask)), CLUSTER_BATCH


def _refuse_unsafe_folders(dst, folders):
    """Refuse, before anything changes, a plan whose folders in DST are
    not DST's own (a symbolic link, or a file, where one should be)."""
    for folder in folders:
        problem = folder_problem(dst, folder)
        if problem is not None:
            raise BalanceRefused(
                f"{problem}: remove it and run again, or give a new folder."
            )


def write_outputs(run, summary):
    """Write what ``run``'s plan still needs into its DST, which no other
    run may write meanwhile: each job journaled, then the manifest.
    ``summary`` gets the counts (``already_done``, ``written``)."""
    options, plan = run.options, run.plan
    dst = options.dst
    try:
        with exclusive_run(dst):
            # again, now that no other run can write: one may have ended
            resuming = check_destination(dst, options.settings, options.resume)
            _refuse_unsafe_folders(dst, plan.folders())
            done = start(run, resuming)
            summary["already_done"] = int(done.sum())
            jobs = _jobs_to_do(run, done)
            del done
            # what planning and making the jobs used for a moment, given
            # back before the long part (``_memory``); then the jobs' own
            give_back_freed_memory()
            _journal_jobs(run, jobs, summary)
            del jobs
            give_back_freed_memory()
            write_manifest(dst, plan)
            if resuming:  # what DST now matches (after the outputs of changed files)
                write_atomically(
                    os.path.join(dst, SOURCES), lambda t: write_record(t, run.record)
                )
            remove_worker_journals(dst)  # a Dask cluster's: their lines are in it
            os.remove(os.path.join(dst, JOURNAL))
    except DestinationBusy as held:
        raise busy(held) from None


# the work of writing an output, relative to copying a file (64x64 JPEGs:
# 0.11 ms a copy, about 0.45 ms to decode, render or encode and save), so
# that the time the first jobs took tells the time the others will take
# whichever kind of output they hold
_WORK = {
    "copy": 1,
    "hardlink": 1,
    "reflink": 1,
    "symlink": 1,
    "encode": 4,
    "render": 4,
    "array": 4,
}


# seconds a unit of ``_WORK`` takes at the least (a copy of a small file,
# its journal line and manifest row)
_WORK_LEAST = 3e-5


def _work(plan, ks):
    """The work of writing outputs ``ks`` (see ``_WORK``)."""
    originals = int(np.count_nonzero(np.asarray(ks) < plan.n_originals))
    work = (len(ks) - originals) * _WORK[plan.generated_action]
    if originals:
        kind = plan.originals if plan.image_format == "keep" else "encode"
        work += originals * _WORK[kind]
    return work


def _tasks(run, jobs):
    """The arguments of :func:`run_job` for each job (``jobs``: positions in
    the plan), made one at a time: the records of a job's outputs exist
    while it is queued or running, not those of the whole plan."""
    for ks in jobs:
        items = list(run.plan.items(ks))
        in_memory = {i.task: run.arrays[i.task] for i in items if i.action == "array"}
        yield items, run.options.dst, run.augmenter, in_memory, os.getpid()


def _journal_jobs(run, jobs, summary):
    """Run the jobs (positions in the plan) and append their lines to the
    journal as they end."""
    dst, n_jobs, progress = run.options.dst, run.options.n_jobs, run.options.progress
    on_cluster = _cluster(run.options) is not None
    if on_cluster:  # on a Dask cluster (``_dask``)
        from ._dask import dask_results

        results = dask_results(run.options.dask, _tasks(run, jobs), dst)
    else:
        results = run_tasks(
            run_job,
            _tasks(run, jobs),
            [_work(run.plan, ks) for ks in jobs],
            n_jobs,
            pays_after=WRITES_PAY_AFTER,
            least_per_unit=_WORK_LEAST,
            ordered=False,
            preload=("imgbalance.folder._writing", "imgbalance.augment", "cv2"),
        )
    # the jobs this process runs run one at a time unless the backend runs
    # them in threads: then OpenCV too runs on one thread (on small images
    # its threads cost more time than they save); with a cluster, this
    # process only records what the workers wrote (OpenCV not imported)
    alone = not on_cluster and (
        effective_jobs(n_jobs) == 1 or backend_kind() == "processes"
    )
    try:
        with (
            opencv_single_thread() if alone else contextlib.nullcontext(),
            open_no_follow(os.path.join(dst, JOURNAL), "ab") as journal,
        ):
            for lines in results:  # recorded once the files exist
                journal.write(lines)
                journal.flush()
                n_lines = lines.count(b"\n")  # each ends with one, none inside
                summary["written"] += n_lines
                if progress is not None:
                    progress(n_lines)
    except BaseException:  # an error, or a signal: stop the jobs, then tidy
        results.close()
        remove_temporaries(dst)
        raise
