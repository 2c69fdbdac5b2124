"""The PyTorch bridge: class weights for the loss, balanced samplers.

Needs PyTorch (``pip install torch``; not a dependency of imgbalance). It is
imported when one of these is first used, with a clear message if missing.

- :func:`class_weight_tensor`: the weights of :mod:`imgbalance.class_weight`
  as a tensor ordered for ``torch.nn.CrossEntropyLoss(weight=...)``.
- :class:`ClassBalancedSampler`: draws indices with replacement so that each
  class comes up in proportion to its weight (equally, by default). It draws
  a class, then an item of the class: no weight per item, so it works for
  datasets of any size (``WeightedRandomSampler`` relies on
  ``torch.multinomial``, limited to 2**24 categories).
- :class:`ResamplingSampler`: each epoch's indices from any imbalanced-learn
  or imgbalance sampler that sets ``sample_indices_`` (random over- and
  under-sampling...), fitted on the labels alone.

All take ``y`` as the labels (a list, array or tensor) or as a dataset that
holds them in a ``targets``, ``labels`` or ``y`` attribute (torchvision's
``ImageFolder``, ``MNIST``...), also through a ``Subset`` (what
``random_split`` returns) or a ``ConcatDataset``. Other datasets, such as a
``TensorDataset``, raise a ``ValueError``: pass their labels instead
(``dataset.tensors[1]``).
"""

import numpy as np
from sklearn.base import clone

from .class_weight import class_weights

__all__ = ["ClassBalancedSampler", "ResamplingSampler", "class_weight_tensor"]


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError(
            "imgbalance.torch needs PyTorch: pip install torch (see "
            "https://pytorch.org for the build that suits your machine)."
        ) from None
    return torch


def _labels(y, call):
    """Labels as a 1-D array, from labels or from a dataset.

    A dataset gives its ``targets``, else ``labels``, else ``y`` attribute; a
    ``Subset`` the labels of its dataset at its indices; a ``ConcatDataset``
    those of its datasets, one after the other. Any other dataset raises a
    ValueError that says to pass the labels as in ``call``, the caller's
    call with ``{}`` for the labels.
    """
    torch = _torch()
    data = torch.utils.data
    try:
        return _find_labels(y, torch)
    except _NoLabels as error:
        dataset = error.args[0]
        tensors = isinstance(dataset, data.TensorDataset)
        if tensors and dataset is y:
            advice = ", e.g. " + call.format("dataset.tensors[1]")
        elif tensors and isinstance(y, data.Subset) and dataset is y.dataset:
            labels = "subset.dataset.tensors[1][subset.indices]"
            advice = ", e.g. " + call.format(labels)
        else:
            advice = ": a list, array or tensor with one label per item of the dataset"
        raise ValueError(
            f"{call.partition('(')[0]}: no labels in {type(dataset).__name__} "
            f"(it has no targets, labels or y attribute). Pass the labels "
            f"themselves{advice}."
        ) from None


class _NoLabels(Exception):
    """Raised with a dataset that holds no labels."""


def _find_labels(y, torch):
    # labels themselves (lists, arrays, tensors, pandas...) are not searched
    # for attributes: a Series would answer s.y with its item at index "y"
    if not isinstance(y, (list, tuple)) and not hasattr(y, "__array__"):
        for name in ("targets", "labels", "y"):
            values = getattr(y, name, None)
            if values is not None:
                return _one_d(values, torch)
        data = torch.utils.data
        if isinstance(y, data.Subset):
            labels = _find_labels(y.dataset, torch)
            return labels[np.asarray(y.indices, dtype=np.intp)]
        if isinstance(y, data.ConcatDataset):
            return np.concatenate([_find_labels(d, torch) for d in y.datasets])
        if isinstance(y, data.Dataset):
            raise _NoLabels(y)
    return _one_d(y, torch)


def _one_d(values, torch):
    if isinstance(values, torch.Tensor):
        values = values.cpu().numpy()
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(
            f"y must be 1-D, one label per item; got shape {values.shape}."
        )
    return values


def class_weight_tensor(y, method="balanced", *, classes=None, beta=0.999, device=None):
    """Class weights as a tensor for ``CrossEntropyLoss(weight=...)``.

    Parameters
    ----------
    y : array-like, tensor or dataset
        The training labels, or a dataset that holds them in ``targets``,
        ``labels`` or ``y`` (also through ``Subset``, as from
        ``random_split``, and ``ConcatDataset``).
    method : {"balanced", "effective_number", "inverse_sqrt", "none"}, \
            default="balanced"
        See :func:`imgbalance.class_weight.class_weights`.
    classes : array-like or None, default=None
        The classes in the order of the model's outputs; None takes the
        sorted labels (``0 .. k-1`` for integer labels).
    beta : float in [0, 1), default=0.999
        For ``"effective_number"``.
    device : torch.device, str or None, default=None

    Returns
    -------
    weight : torch.Tensor of shape (n_classes,), float32
        ``weight[i]`` is the weight of ``classes[i]``.

    Examples
    --------
    >>> import torch
    >>> from imgbalance.torch import class_weight_tensor
    >>> weight = class_weight_tensor([0, 0, 0, 1])
    >>> weight
    tensor([0.6667, 2.0000])
    >>> loss = torch.nn.CrossEntropyLoss(weight=weight)
    """
    torch = _torch()
    y = _labels(y, "class_weight_tensor({})")
    weights = class_weights(y, method=method, beta=beta, classes=classes)
    return torch.tensor(list(weights.values()), dtype=torch.float32, device=device)


def _generator(generator):
    """``generator``, or a new one seeded from torch's global generator."""
    torch = _torch()
    if generator is None:
        generator = torch.Generator()
        generator.manual_seed(int(torch.randint(0, 2**62, ()).item()))
    return generator


class ClassBalancedSampler:
    """Indices drawn with replacement, each class in proportion to its weight.

    Each draw picks a class with probability proportional to ``n_c * w_c``
    (the summed weights of its items; with ``method="balanced"`` every class
    is equally likely), then one of its items uniformly. Nothing is kept per
    item beyond the positions of each class, so any number of items works.

    Parameters
    ----------
    y : array-like, tensor or dataset
        The label of each item of the dataset, or the dataset itself if it
        holds them in ``targets``, ``labels`` or ``y`` (also through
        ``Subset``, as from ``random_split``, and ``ConcatDataset``).
    num_samples : int or None, default=None
        Indices per epoch; None gives the number of items.
    method : {"balanced", "effective_number", "inverse_sqrt", "none"}, \
            default="balanced"
        The class weights (see :func:`imgbalance.class_weight.class_weights`).
    beta : float in [0, 1), default=0.999
        For ``"effective_number"``.
    generator : torch.Generator or None, default=None
        Source of randomness; None seeds one from torch's global generator.

    Attributes
    ----------
    classes_ : ndarray
        The classes, sorted.
    class_probabilities_ : ndarray of shape (n_classes,)
        The probability of drawing each class.

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
        self, y, num_samples=None, *, method="balanced", beta=0.999, generator=None
    ):
        torch = _torch()
        y = _labels(y, "ClassBalancedSampler({})")
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
        self.num_samples = len(y) if num_samples is None else int(num_samples)
        if self.num_samples <= 0:
            raise ValueError(f"num_samples must be positive; got {num_samples!r}.")
        self.generator = generator

    def __len__(self):
        return self.num_samples

    def __iter__(self):
        torch = _torch()
        generator = _generator(self.generator)
        probabilities = torch.from_numpy(self.class_probabilities_)
        for start in range(0, self.num_samples, 65536):  # bounded memory
            n = min(65536, self.num_samples - start)
            chosen = torch.multinomial(probabilities, n, True, generator=generator)
            within = (
                torch.rand(n, generator=generator, dtype=torch.float64)
                * self._counts[chosen]
            ).long()
            within = torch.minimum(within, self._counts[chosen] - 1)
            positions = self._starts[chosen] + within
            yield from self._items[positions].tolist()


class ResamplingSampler:
    """Each epoch's indices from an imbalanced-learn or imgbalance sampler.

    At every epoch a clone of ``sampler`` is fitted on the labels (with the
    item positions as its ``X``) under a fresh ``random_state`` drawn from
    ``generator``; its ``sample_indices_`` (shuffled) are the epoch's
    indices. So a ``DataLoader`` sees a new random over- or under-sampling
    each epoch, without copying the dataset.

    Parameters
    ----------
    sampler : imbalanced-learn sampler
        One that sets ``sample_indices_`` and makes no synthetic items:
        ``RandomOverSampler``, ``RandomUnderSampler``,
        ``RandomImageOverSampler``, ``RandomImageUnderSampler``, the
        cleaning under-samplers...
    y : array-like, tensor or dataset
        The label of each item of the dataset, or the dataset itself if it
        holds them in ``targets``, ``labels`` or ``y`` (also through
        ``Subset``, as from ``random_split``, and ``ConcatDataset``).
    shuffle : bool, default=True
        Shuffle the indices of each epoch (the sampler gives them by class).
    generator : torch.Generator or None, default=None
        Source of randomness; None seeds one from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from imgbalance.torch import ResamplingSampler
    >>> y = [0] * 8 + [1] * 2
    >>> sampler = ResamplingSampler(RandomUnderSampler(), y,
    ...                             generator=torch.Generator().manual_seed(0))
    >>> len(sampler), sorted(y[i] for i in sampler)
    (4, [0, 0, 1, 1])
    """

    def __init__(self, sampler, y, *, shuffle=True, generator=None):
        if "random_state" not in sampler.get_params():
            raise ValueError(
                f"{type(sampler).__name__} has no random_state; ResamplingSampler "
                "draws a new one each epoch."
            )
        self.sampler = sampler
        self.y = _labels(y, "ResamplingSampler(sampler, {})")
        self.shuffle = shuffle
        self.generator = generator
        self._length = len(self._indices(0))

    def _indices(self, seed):
        fitted = clone(self.sampler).set_params(random_state=seed)
        positions = np.arange(len(self.y)).reshape(-1, 1)
        fitted.fit_resample(positions, self.y)
        indices = getattr(fitted, "sample_indices_", None)
        if indices is None:
            raise ValueError(
                f"{type(self.sampler).__name__} sets no sample_indices_; "
                "ResamplingSampler needs a sampler that picks existing items "
                "(random over- or under-sampling), not one that makes new ones."
            )
        return np.asarray(indices)

    def __len__(self):
        return self._length

    def __iter__(self):
        torch = _torch()
        generator = _generator(self.generator)
        seed = int(torch.randint(0, 2**31 - 1, (), generator=generator).item())
        indices = torch.from_numpy(self._indices(seed))
        if self.shuffle:
            indices = indices[torch.randperm(len(indices), generator=generator)]
        yield from indices.tolist()
