"""What was applied to each augmented image, kept in little memory."""

import pickle
from collections.abc import Sequence

__all__ = ["AugmentationRecords"]

# images whose records are pickled together
_BLOCK = 1024


class AugmentationRecords(Sequence):
    """For each augmented image, in order, the list of what was applied to
    it (a dict per transform): ``AugmentingOverSampler.augmentations_``.

    A read-only sequence: index it, slice it, iterate over it, compare it
    with a list. The records are kept pickled a block of images at a time,
    about 100 bytes an image where Python's dicts take about 1.4 KB, so
    that augmenting a set larger than the memory does not fill it with
    records; a block is unpickled when one of its items is read.
    """

    def __init__(self, records=()):
        self._blocks = []  # pickled blocks of _BLOCK records (or lists)
        self._tail = []
        self._cache = (None, None)
        self.extend(records)

    def extend(self, records):
        """Append the records of more images."""
        for record in records:
            self._tail.append(record)
            if len(self._tail) == _BLOCK:
                self._blocks.append(_packed(self._tail))
                self._tail = []

    def __len__(self):
        return len(self._blocks) * _BLOCK + len(self._tail)

    def _block(self, b):
        if b == len(self._blocks):
            return self._tail
        block = self._blocks[b]
        if isinstance(block, list):
            return block
        if self._cache[0] != b:
            self._cache = (b, pickle.loads(block))
        return self._cache[1]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if not -n <= index < n:
            raise IndexError("AugmentationRecords index out of range")
        index %= n
        return self._block(index // _BLOCK)[index % _BLOCK]

    def __iter__(self):
        for b in range(len(self._blocks) + 1):
            yield from self._block(b)

    def __eq__(self, other):
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None

    def __repr__(self):
        return f"<AugmentationRecords of {len(self)} images>"

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = (None, None)
        return state


def _packed(records):
    """A block of records pickled, or as it is where a record cannot be."""
    try:
        return pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a user's transform recorded something unpicklable
        return list(records)
