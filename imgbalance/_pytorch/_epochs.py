"""Epochs of a sampler: the seed of each, and one process's share of it.

A sampler draws each epoch from a base seed and the epoch's number, so every
process of a distributed run (same seed, same epoch) draws the same epoch
and takes its own share: positions ``rank, rank + num_replicas, ...`` of
the epoch, padded by repeating its start to a multiple of ``num_replicas``
or, with ``drop_last``, cut to one (as ``torch.utils.data.DistributedSampler``
does), so that every share has the same length.
"""

from numbers import Integral

import numpy as np

from ._labels import import_torch

__all__ = ["EpochSampler", "Epochs", "whole_number"]


def whole_number(value, name, owner, low, high=None):
    """``value`` as an int from ``low`` to ``high``; a TypeError or
    ValueError naming ``owner`` and ``name`` otherwise (no bool, no float)."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{owner}: {name} must be a whole number; got {value!r}.")
    if value < low or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ValueError(f"{owner}: {name} must be {span}; got {value}.")
    return int(value)


class Epochs:
    """The epochs of one sampler in one process.

    Parameters
    ----------
    seed : int or None
        The base seed. None: drawn from ``generator``; without one, 0 in a
        distributed run (every process must draw alike, as
        ``DistributedSampler``'s default seed), else from torch's global
        generator.
    generator : torch.Generator or None
    num_replicas, rank : int or None
        None takes them from ``torch.distributed`` when a process group is
        initialised, else 1 and 0.
    drop_last : bool
        Cut each epoch to a multiple of ``num_replicas`` instead of padding.
    owner : str
        The sampler's name, for error messages.
    """

    def __init__(self, *, seed, generator, num_replicas, rank, owner, drop_last=False):
        torch = import_torch()
        distributed = torch.distributed
        group = distributed.is_available() and distributed.is_initialized()
        if num_replicas is None:
            num_replicas = distributed.get_world_size() if group else 1
        if rank is None:
            rank = distributed.get_rank() if group else 0
        self.num_replicas = whole_number(num_replicas, "num_replicas", owner, 1)
        self.rank = whole_number(rank, "rank", owner, 0, self.num_replicas - 1)
        if not isinstance(drop_last, (bool, np.bool_)):
            raise TypeError(
                f"{owner}: drop_last must be True or False; got {drop_last!r}."
            )
        self.drop_last = bool(drop_last)
        if seed is not None and generator is not None:
            raise ValueError(f"{owner}: give seed or generator, not both.")
        if seed is not None:
            self.seed = whole_number(seed, "seed", owner, 0, 2**63 - 1)
        elif generator is not None:
            self.seed = int(torch.randint(0, 2**62, (), generator=generator))
        elif self.num_replicas > 1:
            self.seed = 0
        else:
            self.seed = int(torch.randint(0, 2**62, ()))
        self.epoch = 0  # the epoch being drawn, or drawn next
        self._set_by_hand = False

    def set_epoch(self, epoch, owner):
        """Use ``epoch`` from now on (no longer counted by the sampler)."""
        self.epoch = whole_number(epoch, "epoch", owner, 0)
        self._set_by_hand = True

    def ended(self):
        """An epoch was drawn: without ``set_epoch``, the next one comes."""
        if not self._set_by_hand:
            self.epoch += 1

    def seeds(self, epoch):
        """Seeds of ``epoch``: one for scikit-learn (below 2**32), one for
        a ``torch.Generator`` (below 2**64)."""
        words = np.random.SeedSequence([self.seed, epoch]).generate_state(3)
        return int(words[0]), (int(words[1]) << 32) | int(words[2])

    def torch_generator(self, epoch):
        """A ``torch.Generator`` seeded for ``epoch``."""
        return import_torch().Generator().manual_seed(self.seeds(epoch)[1])

    def share_length(self, n):
        """Length of each process's share of an epoch of ``n`` indices."""
        if self.drop_last:
            return n // self.num_replicas
        return -(-n // self.num_replicas)

    def share(self, indices):
        """This process's share of one epoch's ``indices`` (a 1-D array)."""
        if self.num_replicas == 1:
            return indices
        total = self.share_length(len(indices)) * self.num_replicas
        if total > len(indices):  # pad with the epoch's start, cyclically
            padding = np.resize(indices, total - len(indices))
            indices = np.concatenate([indices, padding])
        return indices[self.rank : total : self.num_replicas]

    def shuffle_generator(self, epoch):
        """The generator ``DistributedSampler`` shuffles epoch ``epoch`` with:
        ``torch.Generator().manual_seed(seed + epoch)``."""
        return import_torch().Generator().manual_seed((self.seed + epoch) % 2**64)


class EpochSampler:
    """Base of the samplers: :class:`Epochs` made from the shared parameters,
    ``set_epoch``, and iteration over this process's share of the current
    epoch (``_share(epoch)``, which a subclass gives)."""

    def __init__(self, *, seed, generator, num_replicas, rank, drop_last=False):
        self._epochs = Epochs(
            seed=seed,
            generator=generator,
            num_replicas=num_replicas,
            rank=rank,
            owner=type(self).__name__,
            drop_last=drop_last,
        )

    def set_epoch(self, epoch):
        """Draw epoch ``epoch`` from now on (for distributed training).

        Parameters
        ----------
        epoch : int
        """
        self._epochs.set_epoch(epoch, type(self).__name__)

    def __iter__(self):
        epochs = self._epochs
        try:
            yield from self._share(epochs.epoch)
        finally:
            epochs.ended()

    def _share(self, epoch):  # pragma: no cover - abstract
        raise NotImplementedError
