"""Encoded file names one after another, and their sort, without a Python
object per name held for a whole class.

A class's names are sorted in memory up to ``_RUN`` of them at a time. A
class of more is sorted in runs: each run sorted and written to an unnamed
temporary file (a :class:`~imgbalance.utils._spill.Spill`), then the runs
merged as they are read back, so that a class of a million names holds an
offset per name and a few runs' worth of names, not the million.
"""

import heapq
import itertools
import os
from dataclasses import dataclass

import numpy as np

from ..utils._spill import Spill

__all__ = ["Names", "Stored", "joined", "sorted_names", "spill_sorted"]

# names made Python objects at a time, where a whole class's would be many
_PART = 4096
# names sorted in memory at a time: a class of more is sorted in runs
_RUN = 2**16
# names of each run read back at a time while the runs are merged
_READ = 1024


@dataclass(frozen=True)
class Names:
    """Encoded names one after the other in ``blob``, each ending at its
    place in ``ends`` (int64); ``len`` is their number."""

    blob: bytes
    ends: np.ndarray

    def __len__(self):
        return len(self.ends)


@dataclass(frozen=True)
class Stored:
    """Names written to a :class:`~imgbalance.utils._spill.Spill`, each
    ending at its place there in ``ends`` (uint32 where all fit, else
    int64)."""

    ends: np.ndarray

    def __len__(self):
        return len(self.ends)


def joined(names):
    """The :class:`Names` of a list of encoded names."""
    ends = np.cumsum([len(name) for name in names], dtype=np.int64)
    return Names(b"".join(names), ends)


def sorted_names(parts):
    """The :class:`Names` of encoded names (``parts``: lists of them), in
    the order of the names as text (:func:`os.fsdecode`), as a list of the
    paths would sort them.

    UTF-8 names sort as text where their bytes sort, so they are sorted as
    bytes: in one array of fixed-width strings where that is small (names
    of like lengths: at most twice the names and their offsets), so that a
    run of names does not make an object each. A name that is not UTF-8
    (its bytes decoded to surrogates) sorts otherwise as text: with one, or
    names of very unlike lengths, they are sorted as Python objects. Past
    ``_RUN`` names, runs sorted so are merged (see the module's text).
    """
    return _concatenated(list(_sorted_parts(parts)))


def spill_sorted(spill, parts):
    """Write the encoded names of ``parts`` (lists of them) to ``spill``
    in :func:`sorted_names`'s order, a part at a time; their
    :class:`Stored` place there."""
    ends = [
        _narrowed(part.ends + spill.append(part.blob)) for part in _sorted_parts(parts)
    ]
    return Stored(np.concatenate(ends) if ends else np.empty(0, dtype=np.uint32))


def _narrowed(ends):
    """``ends`` (int64) as uint32 where they fit: 4 bytes a name."""
    return ends.astype(np.uint32) if ends[-1] < 2**32 else ends


def _sorted_parts(parts):
    """:func:`sorted_names`, as :class:`Names` of at most ``_PART`` names
    each, in order."""
    runs, pending, count, spill = [], [], 0, None
    for names in parts:
        if not names:
            continue
        pending.append(names)
        count += len(names)
        if count >= _RUN:  # a run: sorted, written, let go
            if spill is None:
                spill = Spill()
            runs.append(_write_run(spill, pending))
            pending, count = [], 0
    if not runs:  # one run: sorted in memory
        yield from _sorted_run(pending)[0]
        return
    if pending:
        runs.append(_write_run(spill, pending))
    text = any(run_text for _, _, run_text in runs)
    merged = heapq.merge(
        *(_read_run(spill, start, ends) for start, ends, _ in runs),
        key=os.fsdecode if text else None,
    )
    while True:
        part = list(itertools.islice(merged, _PART))
        if not part:
            return
        yield joined(part)


def _write_run(spill, chunks):
    """Sort ``chunks`` (lists of encoded names) and append them to
    ``spill``: ``(start, ends, text)``, where the run starts there, where
    each name ends from that start (uint32: a run is far below 4 GiB), and
    whether it was sorted as text (a name not UTF-8)."""
    sorted_run, text = _sorted_run(chunks)
    start, ends = spill.size, []
    for part in sorted_run:
        ends.append(part.ends + (spill.append(part.blob) - start))
    return start, np.concatenate(ends).astype(np.uint32), text


def _read_run(spill, start, ends):
    """The names of a run written by :func:`_write_run`, in order, read
    ``_READ`` at a time."""
    for low in range(0, len(ends), _READ):
        stops = ends[low : low + _READ].tolist()
        first = int(ends[low - 1]) if low else 0
        data = spill.read(start + first, start + stops[-1])
        yield from (
            data[a - first : b - first] for a, b in zip([first] + stops[:-1], stops)
        )


def _sorted_run(chunks):
    """``(parts, text)``: the names of ``chunks`` (lists of them) sorted in
    memory, as an iterator of :class:`Names` of at most ``_PART`` names,
    and whether they were sorted as text (a name not UTF-8)."""
    arrays, total, count, width, text = [], 0, 0, 0, False
    for names in chunks:
        array = np.array(names, dtype=bytes)
        arrays.append(array)
        count += len(array)
        total += sum(len(name) for name in names)
        width = max(width, array.dtype.itemsize)
        text = text or not _utf8(names)
    del chunks[:]  # the caller's lists, let go: the arrays hold the names
    if count == 0:
        return iter(()), False
    if text or count * width > 2 * (total + 8 * count):
        names = sorted(
            (name for array in arrays for name in array.tolist()),
            key=os.fsdecode if text else None,
        )
        del arrays
        parts = (joined(names[at : at + _PART]) for at in range(0, count, _PART))
        return parts, text
    table, at = np.empty(count, dtype=f"S{width}"), 0
    arrays.reverse()
    while arrays:  # each array let go once copied: not two copies of all
        array = arrays.pop()
        table[at : at + len(array)] = array
        at += len(array)
    table.sort()
    # trailing NULs dropped: names hold none
    parts = (joined(table[at : at + _PART].tolist()) for at in range(0, count, _PART))
    return parts, text


def _utf8(names):
    """Whether every name of ``names`` (encoded) is UTF-8 (ASCII names,
    the most, found so without decoding)."""
    joined_names = b"".join(names)
    if joined_names.isascii():
        return True
    try:
        for name in names:
            name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _concatenated(parts):
    """The :class:`Names` of ``parts`` (:class:`Names`), one after the
    other."""
    blobs, ends, at = [], [], 0
    for part in parts:
        blobs.append(part.blob)
        ends.append(part.ends + at)
        at += len(part.blob)
    ends = np.concatenate(ends) if ends else np.empty(0, dtype=np.int64)
    return Names(b"".join(blobs), ends)
