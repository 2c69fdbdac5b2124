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


__all__ = ["SOURCES", "SourceRecord"]

SOURCES = ".imgbalance-sources.tsv"


class SourceRecord:
    """Sizes, times and readability of the files of a scan.

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
        self.size = np.empty(len(paths), dtype=np.int64)
        self.mtime = np.empty(len(paths), dtype=np.int64)
        for i, path in enumerate(paths):
            try:
                info = os.stat(path)
            except FileNotFoundError:
                if self.ok[i]:  # read a moment ago: it went away
                    raise
                info = os.lstat(path)  # a link to nothing: the link itself
            self.size[i], self.mtime[i] = info.st_size, info.st_mtime_ns

    def write(self, file):
        """Write the record to the binary ``file``."""
        for i, relative in enumerate(self.paths.relatives()):
            name = json.dumps(relative, ensure_ascii=False)
            line = f"{name}\t{self.size[i]}\t{self.mtime[i]}\t{int(self.ok[i])}\n"
            file.write(line.encode("utf-8"))

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
        for i, name in enumerate(self.paths.relatives()):
            then = recorded.pop(name, None)
            if then is None:
                added.append(name)
            elif then[2] != self.ok[i]:
                flipped.append(name)
            elif self.ok[i] and then[:2] != (self.size[i], self.mtime[i]):
                changed.append(name)
        return added, sorted(recorded), flipped, changed
