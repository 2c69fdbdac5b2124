"""The render engine: planned augmented images made, in jobs, from their sources.

A plan says, for each image to make, its source (a position) and its seed
(:func:`plan_augmentation`). Rendering applies the augmenter with a
Generator of that seed, so the pixels do not depend on how the plan is split
between jobs, threads or processes. :func:`render` is one job's loop (each
source decoded once); :func:`render_augmentation` splits a plan into jobs for
``AugmentingOverSampler``; the folder writer runs :func:`render` in its own
jobs, which also write files. Sources come from an :class:`ArraySource`
(images in memory) or an :class:`ItemSource` (paths, PIL images, arrays).

Light on purpose: numpy and the decoder (joblib when jobs run), no
scikit-learn, so that a worker process starts quickly.
"""

import contextlib
import mmap
import os
import sys
import tempfile

import numpy as np

from .._contract._decoding import load_image
from ..utils._backends import opencv_available
from ..utils._compact import unsigned_type
from ..utils._parallel import n_tasks

__all__ = [
    "ArraySource",
    "ItemSource",
    "SharedOutput",
    "backend_kind",
    "opencv_single_thread",
    "plan_augmentation",
    "render",
    "render_augmentation",
]


def plan_augmentation(y, sampling_strategy, random_state):
    """Decide which image each synthetic sample comes from, and its seed.

    Sources are drawn evenly within each class: a random order of the class
    is used in full before any image is used twice.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels.
    sampling_strategy : dict
        Class -> number of synthetic samples to make (a fitted
        ``sampling_strategy_``).
    random_state : numpy.random.RandomState
        Draws the plan (``sklearn.utils.check_random_state`` of the
        sampler's ``random_state``).

    Returns
    -------
    sources : ndarray of shape (n_synthetic,), unsigned int
        Position in ``y`` of each synthetic sample's source (in the
        smallest unsigned type that holds one), class by class
        in the order of ``sampling_strategy``.
    seeds : ndarray of shape (n_synthetic,), int64
        The seed rendering each synthetic sample.
    """
    adding = [(c, n_new) for c, n_new in sampling_strategy.items() if n_new > 0]
    total = sum(n_new for _, n_new in adding)
    # sources in the smallest type that holds a position of y (a plan of a
    # million images: a few bytes each), filled as drawn: no list of parts
    sources = np.empty(total, dtype=unsigned_type(len(y)))
    seeds, at = [np.empty(0, dtype=np.int64)], 0
    for class_sample, n_new in adding:
        class_indices = np.flatnonzero(y == class_sample)
        rounds = -(-n_new // len(class_indices))
        for r in range(rounds):
            # the draws of permutation(class_indices), as positions in it
            order = random_state.permutation(len(class_indices))
            taken = order[: min(len(order), n_new - r * len(class_indices))]
            sources[at : at + len(taken)] = class_indices[taken]
            at += len(taken)
        seeds.append(
            random_state.randint(0, np.iinfo(np.int64).max, size=n_new, dtype=np.int64)
        )
    return sources, np.concatenate(seeds)


def render(augmenter, get_source, sources, seeds, out=None, rows=None):
    """Render planned samples, given grouped by source.

    Each source is decoded once, when its first sample comes, and dropped
    when the next source starts: memory holds one decoded source at a time.
    With ``out``, sample ``k`` is written to ``out[rows[k]]`` and no images
    are returned; otherwise they are returned in the given order, stacked in
    one array when they share a shape (cheap to send back from a worker
    process), else as a list.
    """
    images, records = [], []
    current, image = None, None
    for k, (source, seed) in enumerate(zip(sources, seeds)):
        if source != current:
            current, image = source, get_source(source)
        augmented, applied = augmenter.augment(image, np.random.default_rng(seed))
        records.append(applied)
        if out is None:
            images.append(augmented)
        else:
            out[rows[k]] = augmented.reshape(out.shape[1:])
    if out is None and images and all(im.shape == images[0].shape for im in images):
        images = np.stack(images)
    return images, records


@contextlib.contextmanager
def opencv_single_thread():
    """OpenCV on one thread inside a parallel job.

    The jobs already fill the cores; OpenCV's own threads would only compete
    with them (as joblib limits BLAS threads in its workers).
    """
    if not opencv_available():
        yield
        return
    import cv2

    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(threads)


def render_job(augmenter, get_source, sources, seeds, rows, out, out_file, in_process):
    """One job: render, then write into ``out`` (this process), into the
    shared file ``out_file`` (worker processes), or return the images.

    ``in_process`` jobs leave OpenCV's threads alone: changing that global
    setting from several threads at once would race.
    """
    limit = contextlib.nullcontext() if in_process else opencv_single_thread()
    with limit:
        if out_file is not None:
            path, offset, shape, dtype = out_file
            out = np.memmap(path, dtype=dtype, mode="r+", offset=offset, shape=shape)
        images, records = render(augmenter, get_source, sources, seeds, out, rows)
        if out_file is not None:
            out.flush()
            del out
    return images, records


class ArraySource:
    """Images of an array, by position."""

    def __init__(self, images):
        self.images = images

    def __call__(self, index):
        return self.images[index]

    def subset(self, indices):
        return ArraySource(self.images[indices])


class ItemSource:
    """Decoded items of a sequence (paths, PIL images, arrays), by position.

    ``positions`` are the items' places in the user's ``X``, for messages.
    """

    def __init__(self, items, positions=None):
        self.items = items
        self.positions = np.arange(len(items)) if positions is None else positions

    def __call__(self, index):
        return load_image(self.items[index], index=int(self.positions[index]))

    def subset(self, indices):
        return ItemSource(self.items[indices], self.positions[indices])


def backend_kind():
    """ "threads", "processes" (on this machine) or "other" (a cluster...).

    Without joblib imported (0.1 s, spared where no pool is needed), no
    ``joblib.parallel_config`` can be in effect: joblib's default, processes.
    """
    if "joblib" not in sys.modules:
        return "processes"
    from joblib.parallel import get_active_backend

    name = type(get_active_backend()[0]).__name__
    if name == "ThreadingBackend":
        return "threads"
    if name in ("LokyBackend", "MultiprocessingBackend"):
        return "processes"
    return "other"


class SharedOutput:
    """An output array in a memory-backed file that worker processes on this
    machine can write into, so results need not travel back through pipes.

    ``array`` stays valid after :meth:`close` (the file is only unlinked).
    Unavailable (``array`` is None) where /dev/shm is missing or too small.
    """

    def __init__(self, shape, dtype, folder="/dev/shm"):
        self.array = self.path = None
        nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
        try:
            stat = os.statvfs(folder)
            if nbytes == 0 or stat.f_bavail * stat.f_frsize < 2 * nbytes:
                return
            fd, path = tempfile.mkstemp(prefix="imgbalance-", dir=folder)
        except (OSError, AttributeError):  # no such folder; no statvfs (Windows)
            return
        try:
            os.ftruncate(fd, nbytes)
            buffer = mmap.mmap(fd, nbytes)
        except OSError:
            os.remove(path)
            return
        finally:
            os.close(fd)
        self.path = path
        self.array = np.frombuffer(buffer, dtype=dtype).reshape(shape)

    def close(self):
        if self.path is not None:
            os.remove(self.path)
            self.path = None


def render_augmentation(
    augmenter,
    get_source,
    sources,
    seeds,
    *,
    n_jobs=None,
    out=None,
    out_file=None,
    while_rendering=None,
):
    """Render planned synthetic samples: the same pixels whatever ``n_jobs``.

    Each sample is rendered by ``augmenter`` with a Generator seeded by its
    own seed, so how the plan is split between jobs does not matter. Each
    job renders the samples of a range of sources: it receives only those
    sources and decodes each once.

    Parameters
    ----------
    augmenter : augmentation
        Applied to each source.
    get_source : ArraySource or ItemSource
        Gives the source image at a position.
    sources, seeds : ndarray of shape (n_synthetic,)
        From :func:`plan_augmentation`.
    n_jobs : int or None, default=None
        Parallel jobs through joblib; ``None`` means 1 unless in a
        ``joblib.parallel_config`` context.
    out : ndarray of shape (n_synthetic, ...) or None, default=None
        Where to write the images (which must all fit its trailing shape).
    out_file : (path, offset, shape, dtype) or None, default=None
        Where ``out`` lives in a shared file, for worker processes.
    while_rendering : callable or None, default=None
        Called once without arguments while the jobs render (first, when
        there is a single job): other work that can overlap with theirs.

    Returns
    -------
    images : ndarray or list of ndarray
        ``out`` when given, else one augmented image per planned sample, in
        plan order.
    records : list of list of dict
        What was applied to each.
    """
    from joblib import Parallel, delayed, effective_n_jobs

    n_jobs = effective_n_jobs(n_jobs)
    serial = n_jobs == 1 or len(sources) < 2
    kind = "serial" if serial else backend_kind()
    in_process = kind in ("serial", "threads")
    order = np.argsort(sources, kind="stable")  # grouped by source
    chunks = np.array_split(order, 1 if serial else n_tasks(len(sources), n_jobs))
    tasks = []
    for rows in chunks:
        if serial:  # no copy of the sources
            job_source, local = get_source, sources[rows]
        else:  # send each job only the sources it needs
            needed, local = np.unique(sources[rows], return_inverse=True)
            job_source = get_source.subset(needed)
        target = {"out": None, "out_file": None}
        if out is not None and in_process:
            target["out"] = out
        elif out is not None and kind == "processes" and out_file is not None:
            target["out_file"] = out_file
        tasks.append(
            delayed(render_job)(
                augmenter,
                job_source,
                local,
                seeds[rows],
                rows,
                in_process=in_process,
                **target,
            )
        )
    if serial:
        if while_rendering is not None:
            while_rendering()
        results = [function(*args, **kwargs) for function, args, kwargs in tasks]
    else:
        results = Parallel(n_jobs=n_jobs, pre_dispatch="all", return_as="generator")(
            tasks
        )
        if while_rendering is not None:
            while_rendering()
    images = out if out is not None else [None] * len(sources)
    records = [None] * len(sources)
    for rows, (chunk, chunk_records) in zip(chunks, results):
        for row, record in zip(rows, chunk_records):
            records[row] = record
        if len(chunk) == 0:  # written in place by the job
            continue
        if out is not None:
            out[rows] = np.asarray(chunk).reshape((len(rows),) + out.shape[1:])
        else:
            for row, image in zip(rows, chunk):
                images[row] = image
    return images, records
