"""Images larger than the memory: arrays on disk read a part at a time.

An array is *on disk* when it is, or is a view of, a :class:`numpy.memmap`
(``np.load(path, mmap_mode="r")`` gives one). Reading it maps the file's
pages into the process, where they count in its resident memory until the
system needs them back, so every pass here reads a part of
``working_memory`` MiB (:func:`imgbalance.utils.set_config`), then gives the
part's pages back (:func:`release`). Where outputs go: :mod:`._output`.

The passes give the same values as the whole array at once: they copy,
compare or reduce exactly. Light: scikit-learn is imported only by the
passes that use it.
"""

import contextlib
import mmap
import sys

import numpy as np

from ..utils._config import get_config
from ._intensity import scaled_rows

__all__ = [
    "all_finite",
    "chunk_rows",
    "embed_rows",
    "gather_rows",
    "mapped_file",
    "on_disk",
    "release",
    "row_parts",
    "take_rows_from",
    "value_bounds",
]


def mapped_file(array):
    """The :class:`numpy.memmap` (the one holding the file's mapping) that
    ``array`` is, or is a view of; None for an array in memory."""
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap) and isinstance(array.base, mmap.mmap):
            return array
        array = array.base
    return None


def on_disk(array):
    """Whether ``array`` is, or is a view of, a :class:`numpy.memmap`."""
    return mapped_file(array) is not None


def _byte_span(array):
    """The first and one-past-last addresses of ``array``'s values."""
    start = end = array.__array_interface__["data"][0]
    for size, stride in zip(array.shape, array.strides):
        if stride < 0:
            start += (size - 1) * stride
        else:
            end += (size - 1) * stride
    return start, end + array.itemsize


def release(array):
    """Give back to the system the pages of a file mapping that ``array``
    (a part of an array on disk) spans: they leave the process's resident
    memory and are read again from the file (the system's cache) if used.

    Only on Linux, and only for shared mappings (``mode`` "r", "r+" or
    "w+"), where this never loses a value: a copy-on-write mapping
    (``mode="c"``) may hold changes that exist nowhere else. Elsewhere it
    does nothing.
    """
    root = mapped_file(array)
    if (
        root is None
        or array.size == 0
        or root.mode == "c"
        or not sys.platform.startswith("linux")
        or not hasattr(root.base, "madvise")
    ):
        return
    mapping = root.base
    origin = np.frombuffer(mapping, dtype=np.uint8).__array_interface__["data"][0]
    start, end = _byte_span(array)
    page = mmap.PAGESIZE
    first = (start - origin) // page * page
    length = min(len(mapping), end - origin) - first
    if length > 0:
        with contextlib.suppress(OSError, ValueError):
            mapping.madvise(mmap.MADV_DONTNEED, first, length)


def chunk_rows(row_nbytes, copies=1):
    """How many rows of ``row_nbytes`` bytes a part holds, each held
    ``copies`` times at once, within ``working_memory`` (at least one)."""
    budget = get_config()["working_memory"] * 2**20
    return max(1, int(budget // max(1, row_nbytes * copies)))


def row_parts(n, rows):
    """``(start, stop)`` of each part of ``rows`` rows among ``n``."""
    for start in range(0, n, rows):
        yield start, min(n, start + rows)


def all_finite(data, input_name="X"):
    """Refuse NaN and infinity in a float array, a part at a time
    (scikit-learn's message); other dtypes pass."""
    if data.dtype.kind != "f" or data.size == 0:
        return
    from sklearn.utils.validation import assert_all_finite

    rows = chunk_rows(data[0].nbytes)
    for start, stop in row_parts(len(data), rows):
        part = data[start:stop]
        assert_all_finite(part, input_name=input_name)
        release(part)


def value_bounds(data):
    """The smallest and the largest value of ``data``, a part at a time."""
    low = high = None
    for start, stop in row_parts(len(data), chunk_rows(data[0].nbytes)):
        part = data[start:stop]
        part_low, part_high = part.min(), part.max()
        low = part_low if low is None else min(low, part_low)
        high = part_high if high is None else max(high, part_high)
        release(part)
    return low, high


# bytes of an array on disk mapped at a time by a gather (at most half the
# working memory): reading a row maps the pages around it too, the
# system's fault-around (64 KiB) or the whole large folio of the file's
# cache that holds it (up to 2 MiB, a huge page), so scattered rows are read
# in small groups, the pages given back after each
_GATHER_BYTES = 8 << 20
_MAPPED_AROUND = 2 << 20


def _consecutive(indices):
    """Whether ``indices`` are consecutive increasing positions."""
    return len(indices) > 0 and (
        indices[-1] - indices[0] == len(indices) - 1 and (np.diff(indices) == 1).all()
    )


def take_rows_from(data, indices, out=None):
    """``data[indices]`` (into ``out`` if given); for ``data`` on disk,
    read a small group of rows at a time, the pages given back after each."""
    if out is None:
        out = np.empty((len(indices),) + data.shape[1:], data.dtype)
    # mode="clip": into out directly ("raise" copies through a buffer); the
    # indices are the sampler's own, all in range
    if not on_disk(data):
        np.take(data, indices, axis=0, out=out, mode="clip")
        return out
    mapped = min(_GATHER_BYTES, get_config()["working_memory"] * 2**19)
    row_nbytes = data[0].nbytes
    if _consecutive(indices):  # a run of rows: read as slices
        first = int(indices[0])
        for start, stop in row_parts(len(indices), max(1, int(mapped // row_nbytes))):
            part = data[first + start : first + stop]
            out[start:stop] = part
            release(part)
        return out
    group = max(1, int(mapped // (row_nbytes + _MAPPED_AROUND)))
    for start, stop in row_parts(len(indices), group):
        np.take(data, indices[start:stop], axis=0, out=out[start:stop], mode="clip")
        release(data)
    return out


def gather_rows(data, indices, write):
    """``write(start, rows)`` for each part of ``data[indices]``, in order,
    holding one part at a time."""
    rows = chunk_rows(data[0].nbytes)
    buffer = np.empty((min(rows, len(indices)),) + data.shape[1:], data.dtype)
    for start, stop in row_parts(len(indices), rows):
        part = buffer[: stop - start]
        write(start, take_rows_from(data, indices[start:stop], out=part))


def _batches(embedder, n_rows, n_features):
    """The batches an embedder is fitted and applied in, or None (all rows
    at once): IncrementalPCA's own, those of its ``fit``."""
    from sklearn.decomposition import IncrementalPCA
    from sklearn.utils import gen_batches

    if not isinstance(embedder, IncrementalPCA):
        return None
    size = embedder.batch_size or 5 * n_features  # IncrementalPCA's rule
    return list(gen_batches(n_rows, size, min_batch_size=embedder.n_components or 0))


def embed_rows(embedder, rows, members=None):
    """Fit ``embedder`` on the rows at ``members`` (all by default), scaled
    by the intensity rule, and return their embedding.

    An :class:`~sklearn.decomposition.IncrementalPCA` is fitted a batch
    (its ``batch_size``) at a time, as its ``fit`` does (the same
    components), and applied a batch at a time: only one batch of images
    is read and scaled at once, in memory as on disk. Any other embedder is
    fitted on all the rows at once.
    """
    if members is None:
        members = np.arange(len(rows))
    batches = _batches(embedder, len(members), rows.shape[1])
    if batches is None:
        if on_disk(rows):
            return np.asarray(
                embedder.fit_transform(scaled_rows(take_rows_from(rows, members)))
            )
        return np.asarray(embedder.fit_transform(scaled_rows(rows, members)))
    for batch in batches:
        embedder.partial_fit(scaled_rows(take_rows_from(rows, members[batch])))
    embedder.batch_size_ = embedder.batch_size or 5 * rows.shape[1]
    return np.concatenate(
        [
            np.asarray(
                embedder.transform(scaled_rows(take_rows_from(rows, members[batch])))
            )
            for batch in batches
        ]
    )
