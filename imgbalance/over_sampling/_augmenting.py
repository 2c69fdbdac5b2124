"""Over-sampling with augmented copies: planned, then rendered."""

import contextlib
import mmap
import os
import tempfile
from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods

from .._validation import load_image
from ..augment import default_augmenter, opencv_available
from ..base import PixelSamplerMixin

__all__ = ["AugmentingOverSampler", "plan_augmentation", "render_augmentation"]


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
    random_state : int, RandomState instance or None
        Seed of the plan.

    Returns
    -------
    sources : ndarray of shape (n_synthetic,), int
        Position in ``y`` of each synthetic sample's source, class by class
        in the order of ``sampling_strategy``.
    seeds : ndarray of shape (n_synthetic,), int64
        The seed rendering each synthetic sample.
    """
    random_state = check_random_state(random_state)
    sources, seeds = [np.empty(0, dtype=np.intp)], [np.empty(0, dtype=np.int64)]
    for class_sample, n_new in sampling_strategy.items():
        if n_new <= 0:
            continue
        class_indices = np.flatnonzero(y == class_sample)
        rounds = -(-n_new // len(class_indices))
        order = [random_state.permutation(class_indices) for _ in range(rounds)]
        sources.append(np.concatenate(order)[:n_new])
        seeds.append(
            random_state.randint(0, np.iinfo(np.int64).max, size=n_new, dtype=np.int64)
        )
    return np.concatenate(sources), np.concatenate(seeds)


def _render(augmenter, get_source, sources, seeds, out=None, rows=None):
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
def _opencv_single_thread():
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


def _render_job(augmenter, get_source, sources, seeds, rows, out, out_file, in_process):
    """One job: render, then write into ``out`` (this process), into the
    shared file ``out_file`` (worker processes), or return the images.

    ``in_process`` jobs leave OpenCV's threads alone: changing that global
    setting from several threads at once would race.
    """
    limit = contextlib.nullcontext() if in_process else _opencv_single_thread()
    with limit:
        if out_file is not None:
            path, offset, shape, dtype = out_file
            out = np.memmap(path, dtype=dtype, mode="r+", offset=offset, shape=shape)
        images, records = _render(augmenter, get_source, sources, seeds, out, rows)
        if out_file is not None:
            out.flush()
            del out
    return images, records


class _ArraySource:
    """Images of an array, by position."""

    def __init__(self, images):
        self.images = images

    def __call__(self, index):
        return self.images[index]

    def subset(self, indices):
        return _ArraySource(self.images[indices])


class _ItemSource:
    """Decoded items of a sequence (paths, PIL images, arrays), by position.

    ``positions`` are the items' places in the user's ``X``, for messages.
    """

    def __init__(self, items, positions=None):
        self.items = items
        self.positions = np.arange(len(items)) if positions is None else positions

    def __call__(self, index):
        return load_image(self.items[index], index=int(self.positions[index]))

    def subset(self, indices):
        return _ItemSource(self.items[indices], self.positions[indices])


def _backend_kind():
    """ "threads", "processes" (on this machine) or "other" (a cluster...)."""
    from joblib.parallel import get_active_backend

    name = type(get_active_backend()[0]).__name__
    if name == "ThreadingBackend":
        return "threads"
    if name in ("LokyBackend", "MultiprocessingBackend"):
        return "processes"
    return "other"


class _SharedOutput:
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
    get_source : _ArraySource or _ItemSource
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
    n_jobs = effective_n_jobs(n_jobs)
    serial = n_jobs == 1 or len(sources) < 2
    kind = "serial" if serial else _backend_kind()
    in_process = kind in ("serial", "threads")
    order = np.argsort(sources, kind="stable")  # grouped by source
    chunks = np.array_split(order, 1 if serial else min(len(sources), 4 * n_jobs))
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
            delayed(_render_job)(
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


class AugmentingOverSampler(PixelSamplerMixin, BaseOverSampler):
    """Over-sample minority classes with augmented variants of their images.

    Keeps every original image and appends, for each class to grow,
    augmented variants of its images: sources are drawn evenly (every image
    of the class is used once before any is used twice) and each variant is
    rendered from its own seed. Generation is planned (source, seed) first,
    then rendered, so the same ``random_state`` gives the same pixels with
    any ``n_jobs``.

    Parameters
    ----------
    augmenter : augmentation or None, default=None
        An augmentation from :mod:`imgbalance.augment` (usually a
        :class:`~imgbalance.augment.Compose`). Its parameters can be tuned as
        ``augmenter__<name>__<param>``. None uses
        :func:`~imgbalance.augment.default_augmenter`: rotation up to 10
        degrees, shift up to 5 %, zoom 0.95-1.05, brightness and contrast
        within 10 %, no flips.

    sampling_strategy : float, str, dict or callable, default='auto'
        How many images each class should have after resampling, as in
        imbalanced-learn (see
        :class:`~imgbalance.over_sampling.RandomImageOverSampler`).

    random_state : int, RandomState instance or None, default=None
        Seed of the plan, and so of every rendered pixel.

    n_jobs : int or None, default=None
        Parallel jobs rendering the variants, through joblib. ``None``
        means 1 unless in a ``joblib.parallel_config`` context.

    image_shape : tuple (h, w) or (h, w, c), default=None
        For a 2-D ``X`` of flattened images: the shape each row was
        flattened from. Without it, each row is augmented as an image one
        pixel high, which suits tabular data but not images.

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to grow to the number of variants added.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position of its source in ``X``: first
        ``0 .. n_samples - 1`` (the originals), then each variant's source.

    augmentations_ : list of list of dict
        For each synthetic image (in output order), the transforms applied
        and the parameters they drew.

    augmenter_ : augmentation
        The augmentation used (a clone of ``augmenter``, or the default).

    n_features_in_ : int
        Values per image; set for array input only.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, set when ``X`` is a DataFrame with string column names.

    Notes
    -----
    The output container follows the input: an image array gives an array
    of the same dtype and trailing shape, a 2-D array or DataFrame the same.
    A sequence (list, tuple, Series, 1-D array) of paths, PIL images or
    arrays gives the same kind of sequence (a list for a tuple, an object
    array for a 1-D array) holding the original items unchanged, followed by
    the variants as numpy arrays: paths and PIL images of the minority
    classes are decoded (EXIF orientation applied), never written back.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import Compose, RandomFlip, RandomRotation
    >>> from imgbalance.over_sampling import AugmentingOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (6, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = AugmentingOverSampler(
    ...     augmenter=Compose([RandomRotation(20), RandomFlip()]), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res).tolist()
    ((8, 16, 16, 3), dtype('uint8'), [4, 4])
    >>> sampler.sample_indices_[6:].tolist()
    [5, 4]
    >>> [record["transform"] for record in sampler.augmentations_[0]]
    ['RandomRotation', 'RandomFlip']
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "augmenter": [HasMethods(["augment"]), None],
        "n_jobs": [Integral, None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        augmenter=None,
        sampling_strategy="auto",
        random_state=None,
        n_jobs=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.augmenter = augmenter
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.image_shape = image_shape

    def _fit_resample(self, X, y):
        augmenter = self.augmenter
        self.augmenter_ = default_augmenter() if augmenter is None else clone(augmenter)
        self.augmenter_._validate_tree()
        sources, seeds = plan_augmentation(
            y, self.sampling_strategy_, self.random_state
        )
        n_samples = len(y)
        self.sample_indices_ = np.concatenate([np.arange(n_samples), sources])

        if X.kind == "sequence":
            synthetic, self.augmentations_ = render_augmentation(
                self.augmenter_, _ItemSource(X.data), sources, seeds, n_jobs=self.n_jobs
            )
            out = np.empty(n_samples + len(sources), dtype=object)
            out[:n_samples] = X.data
            for i, image in enumerate(synthetic, start=n_samples):
                out[i] = image
        else:
            out = self._render_array(X, sources, seeds)
        return out, y[self.sample_indices_]

    def _render_array(self, X, sources, seeds):
        """Originals then variants, in one array of the input's dtype.

        Worker processes on this machine write their variants straight into
        it through a shared file; the originals are copied meanwhile.
        """
        data = X.data
        images = data
        if X.kind == "table":  # rows back to images (one pixel high by default)
            images = data.reshape((len(data),) + (X.image_shape or (1, data.shape[1])))
        n_samples = len(data)
        shape = (n_samples + len(sources),) + data.shape[1:]
        shared = None
        if effective_n_jobs(self.n_jobs) > 1 and _backend_kind() == "processes":
            shared = _SharedOutput(shape, data.dtype)
        try:
            if shared is not None and shared.array is not None:
                out = shared.array
                offset = n_samples * out[0].nbytes
                out_file = (shared.path, offset, (len(sources),) + shape[1:], out.dtype)
            else:
                out, out_file = np.empty(shape, data.dtype), None

            def copy_originals():
                out[:n_samples] = data

            _, self.augmentations_ = render_augmentation(
                self.augmenter_,
                _ArraySource(images),
                sources,
                seeds,
                n_jobs=self.n_jobs,
                out=out[n_samples:],
                out_file=out_file,
                while_rendering=copy_originals,
            )
        finally:
            if shared is not None:
                shared.close()
        return out
