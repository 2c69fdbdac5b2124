"""What SRC held when a run began, so that ``--resume`` can tell what changed.

A run keeps, in DST, a line per file of SRC: its path relative to SRC, its
size and modification time (nanoseconds), and whether it could be read. On
``--resume`` the folder is scanned again and compared: files added or
removed, or turned readable or unreadable, change the plan itself (the
caller refuses); files of the same name whose size or time differ are
"changed", and the outputs made from them are made again.
"""

import json
import os

import numpy as np

from ..utils._spill import Spill

__all__ = ["SOURCES", "SourceRecord"]

SOURCES = ".imgbalance-sources.tsv"

# files stated, and their record read back, this many at a time
_PART = 4096


class SourceRecord:
    """Sizes, times and readability of the files of a scan: the files
    stated a part at a time, their sizes and times kept in an unnamed
    temporary file (16 bytes a file), read back a part at a time.

    Parameters
    ----------
    src : str
        The folder scanned.
    paths : PathTable
        Its files (:class:`~imgbalance.datasets._path_table.PathTable`), in
        scan order.
    ok : ndarray of bool
        Whether each could be read.
    """

    def __init__(self, src, paths, ok):
        self.src = src
        self.paths = paths
        self.ok = np.asarray(ok, dtype=bool)
        # each file's size and time (two int64), kept in a temporary file
        self._stats = Spill()
        for start in range(0, len(paths), _PART):
            part = paths[start : start + _PART]
            stats = np.empty((len(part), 2), dtype=np.int64)
            for j, path in enumerate(part):
                try:
                    info = os.stat(path)
                except FileNotFoundError:
                    if self.ok[start + j]:  # read a moment ago: it went away
                        raise
                    info = os.lstat(path)  # a link to nothing: the link itself
                stats[j] = info.st_size, info.st_mtime_ns
            self._stats.append(stats)

    def _parts(self):
        """``(start, stats)``: the sizes and times of the files from
        ``start`` on, a part at a time (an array of rows of two)."""
        for start in range(0, len(self.paths), _PART):
            stop = min(start + _PART, len(self.paths))
            data = self._stats.read(16 * start, 16 * stop)
            yield start, np.frombuffer(data, dtype=np.int64).reshape(-1, 2)

    def sizes(self, positions):
        """The sizes in bytes of the files at ``positions`` (increasing
        integers): uint32 where all are below 4 GiB (4 bytes a file), else
        int64."""
        positions = np.asarray(positions)  # int32 kept so: no int64 copy
        if positions.dtype.kind not in "iu":  # [] is float
            positions = positions.astype(np.int64)
        out = np.empty(len(positions), dtype=np.uint32)
        for start, stats in self._parts():
            low, high = np.searchsorted(positions, [start, start + len(stats)])
            part = stats[positions[low:high] - start, 0]
            if part.size and part.max() >= 2**32:
                out = out.astype(np.int64)
            out[low:high] = part
        return out

    def _rows(self):
        """``(name, size, time, ok)`` of every file, in scan order."""
        for start, stats in self._parts():
            part = range(start, start + len(stats))
            names = self.paths.relatives(part)
            yield from zip(names, *stats.T.tolist(), self.ok[part.start : part.stop])

    def write(self, file):
        """Write the record to the binary ``file``."""
        for relative, size, mtime, ok in self._rows():
            name = json.dumps(relative, ensure_ascii=False)
            file.write(f"{name}\t{size}\t{mtime}\t{int(ok)}\n".encode("utf-8"))

    def compare(self, path):
        """Compare with the record at ``path``.

        Returns
        -------
        added, removed, flipped, changed : list of str
            Relative paths: files not in the record, files of the record no
            longer there, files whose readability changed, and files whose
            size or time changed (readable then and now).

        Raises
        ------
        ValueError
            The record is damaged (the message says where).
        """
        recorded = {}
        with open(path, "rb") as file:
            for number, line in enumerate(file, start=1):
                try:
                    name, size, mtime, ok = line.rstrip(b"\n").split(b"\t")
                    recorded[json.loads(name)] = (int(size), int(mtime), ok == b"1")
                except ValueError as exc:
                    raise ValueError(f"line {number}: {exc}") from None
        added, flipped, changed = [], [], []
        for name, size, mtime, ok in self._rows():
            then = recorded.pop(name, None)
            if then is None:
                added.append(name)
            elif then[2] != ok:
                flipped.append(name)
            elif ok and then[:2] != (size, mtime):
                changed.append(name)
        return added, sorted(recorded), flipped, changed
