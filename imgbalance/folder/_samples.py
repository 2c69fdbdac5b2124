"""A seeded sample of each class's readable files, drawn as the files stream
by: the ones whose path, hashed with a key made of the seed, ranks lowest.

The same files are drawn whatever order the folder is read in, and a
class's sample changes only where a file added ranks among them: a page
made again after a few files were added shows mostly the same thumbnails.
"""

import hashlib
import heapq
import os
from typing import NamedTuple

import numpy as np

__all__ = ["ClassSamples", "Sampled"]


class Sampled(NamedTuple):
    """A file drawn: its path, size and Pillow mode (as checked)."""

    path: str
    width: int
    height: int
    mode: str


class ClassSamples:
    """At most ``k`` files of each of ``n_classes`` classes, drawn by
    ``seed``; ``root`` is the folder the paths are in (the rank is that of
    the path relative to it)."""

    def __init__(self, root, n_classes, k, seed):
        self.prefix = os.path.join(os.fspath(root), "")
        self.k = k
        self.key = hashlib.blake2b(repr(seed).encode(), digest_size=32).digest()
        self.heaps = [[] for _ in range(n_classes)]  # (-rank, path, facts...)

    def add(self, labels, paths, checked):
        """Draw from the readable files of ``paths`` (classes ``labels``,
        one a file; ``checked``: a ``Checked`` of them)."""
        if self.k == 0:
            return
        start = len(self.prefix)
        for i in np.flatnonzero(checked.ok).tolist():
            relative = paths[i][start:]
            digest = hashlib.blake2b(
                os.fsencode(relative), key=self.key, digest_size=8
            ).digest()
            entry = (-int.from_bytes(digest, "big"), paths[i])
            heap = self.heaps[labels[i]]
            if len(heap) < self.k:
                heapq.heappush(heap, entry + self._facts(checked, i))
            elif entry > heap[0][:2]:  # ranks below the highest kept
                heapq.heapreplace(heap, entry + self._facts(checked, i))

    @staticmethod
    def _facts(checked, i):
        width, height = checked.size[i].tolist()
        return width, height, checked.modes[checked.mode[i]]

    def drawn(self, c):
        """The files drawn of class ``c``, in the order of their paths."""
        return sorted(Sampled(*entry[1:]) for entry in self.heaps[c])
