"""The image files of a scan held a few bytes each: their paths relative to
the folder scanned, encoded, one after another in one buffer.

A list of a million paths is about 110 MB of Python strings; the same
paths in a :class:`PathTable` are their bytes and one offset each (about
22 MB for names such as ``common/0000001.png``). The table reads as the
list it replaces: ``table[i]`` is the path the scanner found (the folder
joined with the relative path), a slice is a list of them.
"""

import operator
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Names", "PathTable", "sorted_names"]

# names made Python objects at a time, where a whole class's would be many
_PART = 4096


@dataclass(frozen=True)
class Names:
    """Encoded names one after the other in ``blob``, each ending at its
    place in ``ends`` (int64); ``len`` is their number."""

    blob: bytes
    ends: np.ndarray

    def __len__(self):
        return len(self.ends)


class PathTable(Sequence):
    """Paths under ``root``, in order, from their relative paths.

    Parameters
    ----------
    root : str
        The folder scanned.
    blob : bytes
        The relative paths, each encoded by :func:`os.fsencode`, one after
        the other.
    ends : ndarray of int
        Where each one ends in ``blob`` (kept as uint32 where ``blob`` is
        under 4 GiB).
    """

    def __init__(self, root, blob, ends):
        self.root = root
        self._prefix = root if root.endswith(os.sep) else root + os.sep
        self._blob = blob
        # an offset of 4 bytes where the names take less than 4 GiB
        narrow = len(blob) < 2**32
        self._ends = np.asarray(ends, dtype=np.uint32 if narrow else np.int64)

    @classmethod
    def of_parts(cls, root, parts):
        """The table of ``parts`` (:class:`Names` of relative paths), one
        after the other."""
        whole = _concatenated(parts)
        return cls(root, whole.blob, whole.ends)

    def __len__(self):
        return len(self._ends)

    def _span(self, i):
        end = int(self._ends[i])
        return (int(self._ends[i - 1]) if i else 0), end

    def _index(self, i):
        i = operator.index(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("PathTable index out of range")
        return i

    def relative(self, i):
        """Path ``i`` relative to :attr:`root`."""
        start, end = self._span(self._index(i))
        return os.fsdecode(self._blob[start:end])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._prefix + name for name in self._names(range(len(self))[i])]
        return self._prefix + self.relative(i)

    def _names(self, positions):
        """The relative paths at ``positions`` (a range or integers)."""
        blob, ends = self._blob, self._ends
        for start in range(0, len(positions), _PART):
            part = np.asarray(positions[start : start + _PART], dtype=np.int64)
            if len(part) == 0:
                continue
            stops = ends[part].tolist()
            starts = np.where(part > 0, ends[np.maximum(part - 1, 0)], 0).tolist()
            yield from (os.fsdecode(blob[a:b]) for a, b in zip(starts, stops))

    def __iter__(self):
        return (self._prefix + name for name in self._names(range(len(self))))

    def relatives(self, positions=None):
        """The relative paths (at ``positions``: integers; None: all), in
        order, one at a time."""
        return self._names(range(len(self)) if positions is None else positions)

    def take(self, indices):
        """The table of the paths at ``indices``, in that order."""
        indices = np.asarray(indices, dtype=np.int64)
        if len(indices) == len(self) and np.array_equal(indices, np.arange(len(self))):
            return self
        parts = []
        for start in range(0, len(indices), _PART):
            names = [
                os.fsencode(name)
                for name in self._names(indices[start : start + _PART])
            ]
            parts.append(_joined(names))
        return PathTable.of_parts(self.root, parts)

    @property
    def nbytes(self):
        """The memory the table holds, in bytes."""
        return len(self._blob) + self._ends.nbytes


def _joined(names):
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
    class of a million names does not hold a million objects. A name that
    is not UTF-8 (its bytes decoded to surrogates) sorts otherwise as text:
    with one, or names of very unlike lengths, they are sorted as Python
    objects.
    """
    chunks, total, count, width, text = [], 0, 0, 0, False
    for names in parts:
        if not names:
            continue
        chunk = np.array(names, dtype=bytes)
        chunks.append(chunk)
        count += len(chunk)
        total += sum(len(name) for name in names)
        width = max(width, chunk.dtype.itemsize)
        text = text or not _utf8(names)
    if count == 0:
        return Names(b"", np.empty(0, dtype=np.int64))
    if text or count * width > 2 * (total + 8 * count):
        names = sorted(
            (name for chunk in chunks for name in chunk.tolist()),
            key=os.fsdecode if text else None,
        )
        return _joined(names)
    table, at = np.empty(count, dtype=f"S{width}"), 0
    chunks.reverse()
    while chunks:  # each chunk let go once copied: not two copies of all
        chunk = chunks.pop()
        table[at : at + len(chunk)] = chunk
        at += len(chunk)
    table.sort()
    parts = [  # trailing NULs dropped: names hold none
        _joined(table[start : start + _PART].tolist())
        for start in range(0, count, _PART)
    ]
    del table
    return _concatenated(parts)


def _utf8(names):
    """Whether every name of ``names`` (encoded) is UTF-8 (ASCII names,
    the most, found so without decoding)."""
    joined = b"".join(names)
    if joined.isascii():
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
