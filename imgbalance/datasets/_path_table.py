"""The image files of a scan held a few bytes each: their paths relative to
the folder scanned, encoded, one after another in a temporary file.

A list of a million paths is about 110 MB of Python strings; the same
paths in a :class:`PathTable` are their bytes in an unnamed temporary file
(a :class:`~imgbalance.utils._spill.Spill`: the disk of ``TMPDIR`` and the
system's page cache) and an offset each in memory (4 MB). The table reads
as the list it replaces: ``table[i]`` is the path the scanner found (the
folder joined with the relative path), a slice is a list of them.
"""

import operator
import os
from collections.abc import Sequence

import numpy as np

from ..utils._spill import Spill
from ._names import joined

__all__ = ["PathTable"]

# names made Python objects at a time, where a whole class's would be many
_PART = 4096


class PathTable(Sequence):
    """Paths under ``root``, in order, from their relative paths.

    Parameters
    ----------
    root : str
        The folder scanned.
    blob : bytes or Spill
        The relative paths, each encoded by :func:`os.fsencode`, one after
        the other: in memory, or in a
        :class:`~imgbalance.utils._spill.Spill` (a temporary file).
    ends : ndarray of int
        Where each one ends in ``blob`` (kept as uint32 where ``blob`` is
        under 4 GiB).
    """

    def __init__(self, root, blob, ends):
        self.root = root
        self._prefix = root if root.endswith(os.sep) else root + os.sep
        self._blob = blob
        size = len(blob) if isinstance(blob, bytes) else blob.size
        # an offset of 4 bytes where the names take less than 4 GiB
        narrow = size < 2**32
        self._ends = np.asarray(ends, dtype=np.uint32 if narrow else np.int64)

    @classmethod
    def of_parts(cls, root, parts):
        """The table of ``parts`` (:class:`~._names.Names` of relative paths), one
        after the other, their bytes kept in a temporary file (each part
        let go once written there, where ``parts`` is an iterator)."""
        spill, ends = Spill(), []
        for part in parts:
            start = spill.append(part.blob)
            ends.append(part.ends + start)
        ends = np.concatenate(ends) if ends else np.empty(0, dtype=np.int64)
        return cls(root, spill, ends)

    def __len__(self):
        return len(self._ends)

    def __reduce__(self):  # to another process: the names themselves
        return PathTable, (self.root, self._read(0, self._size()), self._ends)

    def _size(self):
        return int(self._ends[-1]) if len(self._ends) else 0

    def _read(self, start, stop):
        blob = self._blob
        return blob[start:stop] if isinstance(blob, bytes) else blob.read(start, stop)

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
        return os.fsdecode(self._read(*self._span(self._index(i))))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._prefix + name for name in self._names(range(len(self))[i])]
        return self.path_of(self.relative(i))

    def path_of(self, relative):
        """The path of ``relative`` (a path :meth:`relative` gave) under
        :attr:`root`, as ``table[i]`` gives it: without reading it again."""
        return self._prefix + relative

    def _encoded(self, positions):
        """The encoded relative paths at ``positions`` (a range or
        integers), a part at a time: one read for a part's names where they
        lie near one another, as names in order do."""
        ends = self._ends
        for start in range(0, len(positions), _PART):
            part = np.asarray(positions[start : start + _PART], dtype=np.int64)
            if len(part) == 0:
                continue
            stops = ends[part].astype(np.int64)
            starts = np.where(part > 0, ends[np.maximum(part - 1, 0)], 0)
            low, high = int(starts.min()), int(stops.max())
            if high - low <= 2 * int((stops - starts).sum()) + 65536:
                chunk = self._read(low, high)
                yield [
                    chunk[a:b]
                    for a, b in zip((starts - low).tolist(), (stops - low).tolist())
                ]
            else:  # names far apart: each read alone
                yield [
                    self._read(a, b) for a, b in zip(starts.tolist(), stops.tolist())
                ]

    def _names(self, positions):
        """The relative paths at ``positions`` (a range or integers)."""
        for names in self._encoded(positions):
            yield from map(os.fsdecode, names)

    def __iter__(self):
        return (self._prefix + name for name in self._names(range(len(self))))

    def relatives(self, positions=None):
        """The relative paths (at ``positions``: integers; None: all), in
        order, one at a time."""
        return self._names(range(len(self)) if positions is None else positions)

    def take(self, indices):
        """The table of the paths at ``indices``, in that order."""
        indices = np.asarray(indices)  # int32 kept so: no int64 copy
        if len(indices) == len(self) and _in_order(indices):
            return self
        return PathTable.of_parts(self.root, map(joined, self._encoded(indices)))

    @property
    def nbytes(self):
        """The memory the table holds, in bytes (its names' bytes where
        they are not in a temporary file, and their offsets)."""
        held = len(self._blob) if isinstance(self._blob, bytes) else 0
        return held + self._ends.nbytes


def _in_order(indices):
    """Whether ``indices`` are 0, 1, 2... (compared a part at a time)."""
    return all(
        np.array_equal(
            indices[low : low + 2**16],
            np.arange(low, low + 2**16)[: len(indices) - low],
        )
        for low in range(0, len(indices), 2**16)
    )
