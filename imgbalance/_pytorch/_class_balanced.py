"""A sampler that draws each class in proportion to its weight."""

import numpy as np

from ..class_weight import class_weights
from ..utils._docstrings import fill_docs
from ._epochs import EpochSampler, whole_number
from ._labels import import_torch, labels_of

__all__ = ["ClassBalancedSampler"]


@fill_docs
class ClassBalancedSampler(EpochSampler):
    """Indices drawn with replacement, each class in proportion to its weight.

    Each draw picks a class with probability proportional to ``n_c * w_c``
    (the summed weights of its items; with ``method="balanced"`` every class
    is equally likely), then one of its items uniformly. Nothing is kept per
    item beyond the positions of each class, so any number of items works.

    Parameters
    ----------
    <torch_labels>
    num_samples : int or None, default=None
        Indices per epoch; None gives the number of items.
    method : {"balanced", "effective_number", "inverse_sqrt", "none"}, \
            default="balanced"
        The class weights (see :func:`imgbalance.class_weight.class_weights`).
    beta : float in [0, 1), default=0.999
        For ``"effective_number"``.
    <epoch_parameters>

    Attributes
    ----------
    classes_ : ndarray
        The classes, sorted.
    class_probabilities_ : ndarray of shape (n_classes,)
        The probability of drawing each class.

    Notes
    -----
    Each process draws the whole epoch of ``num_samples`` indices. There
    is no ``shuffle``: every index is a random draw already, in the order
    drawn.
    <epoch_notes>

    Examples
    --------
    >>> import torch
    >>> from imgbalance.torch import ClassBalancedSampler
    >>> y = [0] * 95 + [1] * 5
    >>> sampler = ClassBalancedSampler(y, generator=torch.Generator().manual_seed(0))
    >>> indices = list(sampler)
    >>> len(indices), sum(y[i] for i in indices) / len(indices) > 0.3
    (100, True)
    """

    def __init__(
        self,
        y,
        num_samples=None,
        *,
        method="balanced",
        beta=0.999,
        generator=None,
        seed=None,
        num_replicas=None,
        rank=None,
        drop_last=False,
    ):
        torch = import_torch()
        y = labels_of(y, "ClassBalancedSampler({})")
        weights = class_weights(y, method=method, beta=beta)
        self.classes_, counts = np.unique(y, return_counts=True)
        mass = counts * np.array([weights[c] for c in self.classes_.tolist()])
        self.class_probabilities_ = mass / mass.sum()
        if y.dtype.kind in "iub":  # items by class: sorted labels, radix sort
            order = np.argsort(y, kind="stable")
        else:
            inverse = np.searchsorted(self.classes_, y)
            order = np.argsort(inverse, kind="stable")
        index_type = torch.int32 if len(y) < 2**31 else torch.int64
        self._items = torch.from_numpy(order).to(index_type)
        self._starts = torch.from_numpy(np.concatenate([[0], np.cumsum(counts)[:-1]]))
        self._counts = torch.from_numpy(counts)
        self.num_samples = (
            len(y)
            if num_samples is None
            else whole_number(num_samples, "num_samples", "ClassBalancedSampler", 1)
        )
        super().__init__(
            seed=seed,
            generator=generator,
            num_replicas=num_replicas,
            rank=rank,
            drop_last=drop_last,
        )

    def __len__(self):
        return self._epochs.share_length(self.num_samples)

    def _share(self, epoch):
        """This process's share of epoch ``epoch``, drawn a part at a time."""
        torch = import_torch()
        generator = self._epochs.torch_generator(epoch)
        probabilities = torch.from_numpy(self.class_probabilities_)
        n_total, replicas = self.num_samples, self._epochs.num_replicas
        rank, start_draws = self._epochs.rank, None
        total = self._epochs.share_length(n_total) * replicas  # padded or cut
        for start in range(0, n_total, 65536):  # bounded memory
            n = min(65536, n_total - start)
            chosen = torch.multinomial(probabilities, n, True, generator=generator)
            within = (
                torch.rand(n, generator=generator, dtype=torch.float64)
                * self._counts[chosen]
            ).long()
            within = torch.minimum(within, self._counts[chosen] - 1)
            items = self._items[self._starts[chosen] + within]
            if start_draws is None:
                start_draws = items[:replicas].clone()
            stop = min(n, total - start)  # positions past a cut epoch dropped
            if stop > 0:
                yield from items[(rank - start) % replicas : stop : replicas].tolist()
        for position in range(n_total, total):  # the epoch's start again
            if position % replicas == rank:
                yield int(start_draws[position % n_total])
