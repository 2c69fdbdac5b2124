"""Batches of P classes times K images (metric learning, contrastive
training), for a DataLoader's ``batch_sampler``."""

import numpy as np

from ..utils._docstrings import fill_docs
from ._epochs import EpochSampler, whole_number
from ._labels import labels_of

__all__ = ["BalancedBatchSampler"]


@fill_docs
class BalancedBatchSampler(EpochSampler):
    """Batches of ``classes_per_batch`` classes with ``images_per_class``
    images each (P x K batches), for a ``DataLoader``'s ``batch_sampler``.

    Each batch draws P distinct classes, uniformly, then K distinct images
    of each of them, uniformly (a class of fewer than K images gives all
    of its images, in a random order, repeated until there are K). Every
    batch holds P x K indices, the K of one class together. Metric
    learning and contrastive losses (triplet, supervised contrastive)
    need several images of a class in a batch, and a rare class reaches
    as many batches as a common one.

    Parameters
    ----------
    <torch_labels>
    classes_per_batch : int
        P: the classes in a batch (at most the number of classes).
    images_per_class : int
        K: the images of each class in a batch.
    num_batches : int or None, default=None
        Batches per epoch; None gives ``n_items // (P * K)`` (at least 1),
        about as many images as the dataset.
    <epoch_parameters>

    Attributes
    ----------
    classes_ : ndarray
        The classes, sorted.

    Notes
    -----
    The epoch's batches are drawn from ``numpy.random.default_rng``
    seeded from ``(seed, epoch)``; each process of a distributed run
    draws them all and keeps its share of the batches: batches ``rank,
    rank + num_replicas, ...``, padded by repeating the epoch's first
    batches to a multiple of ``num_replicas`` (or cut to one, with
    ``drop_last``), as ``DistributedSampler`` shares a dataset's indices.
    ``len()`` is the number of batches of this process. Without
    :meth:`set_epoch` each pass draws the next epoch.

    Examples
    --------
    >>> import torch
    >>> from imgbalance.torch import BalancedBatchSampler
    >>> labels = [0] * 90 + [1] * 6 + [2] * 4
    >>> sampler = BalancedBatchSampler(labels, 2, 3, seed=0)
    >>> len(sampler)  # 100 images, batches of 6
    16
    >>> batch = next(iter(sampler))
    >>> len(batch), len({labels[i] for i in batch})  # 2 classes x 3 images
    (6, 2)
    >>> dataset = torch.utils.data.TensorDataset(torch.arange(100))
    >>> loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler)
    >>> [len(items) for (items,) in loader][:3]
    [6, 6, 6]
    """

    def __init__(
        self,
        y,
        classes_per_batch,
        images_per_class,
        *,
        num_batches=None,
        generator=None,
        seed=None,
        num_replicas=None,
        rank=None,
        drop_last=False,
    ):
        owner = "BalancedBatchSampler"
        y = labels_of(y, owner + "({}, classes_per_batch, images_per_class)")
        self.classes_, inverse = np.unique(y, return_inverse=True)
        self.classes_per_batch = whole_number(
            classes_per_batch, "classes_per_batch", owner, 1
        )
        if self.classes_per_batch > len(self.classes_):
            raise ValueError(
                f"{owner}: classes_per_batch={classes_per_batch} but the labels "
                f"hold {len(self.classes_)} classes; choose at most "
                f"{len(self.classes_)}."
            )
        self.images_per_class = whole_number(
            images_per_class, "images_per_class", owner, 1
        )
        size = self.classes_per_batch * self.images_per_class
        self.num_batches = (
            max(1, len(y) // size)
            if num_batches is None
            else whole_number(num_batches, "num_batches", owner, 1)
        )
        order = np.argsort(inverse, kind="stable")
        counts = np.bincount(inverse)
        self._members = np.split(order, np.cumsum(counts)[:-1])
        super().__init__(
            seed=seed,
            generator=generator,
            num_replicas=num_replicas,
            rank=rank,
            drop_last=drop_last,
        )

    @property
    def batch_size(self):
        """Indices per batch: ``classes_per_batch * images_per_class``."""
        return self.classes_per_batch * self.images_per_class

    def __len__(self):
        return self._epochs.share_length(self.num_batches)

    def epoch_batches(self, epoch):
        """Every batch of epoch ``epoch`` (all processes' together).

        Parameters
        ----------
        epoch : int

        Returns
        -------
        batches : ndarray of shape (num_batches, P * K)
            Positions in the dataset, the K images of a class together.
        """
        rng = np.random.default_rng(self._epochs.seeds(epoch)[1])
        n_classes, k = len(self.classes_), self.images_per_class
        keys = rng.random((self.num_batches, n_classes))
        chosen = np.argsort(keys, axis=1)[:, : self.classes_per_batch]
        batches = np.empty((self.num_batches, self.batch_size), dtype=np.int64)
        for b, row in enumerate(chosen):
            for p, label in enumerate(row):
                members = self._members[label]
                if len(members) >= k:
                    picked = rng.choice(members, k, replace=False)
                else:  # all of them, repeated to k
                    picked = np.resize(rng.permutation(members), k)
                batches[b, p * k : (p + 1) * k] = picked
        return batches

    def _share(self, epoch):
        batches = self.epoch_batches(epoch)
        for b in self._epochs.share(np.arange(len(batches))):
            yield batches[b].tolist()
