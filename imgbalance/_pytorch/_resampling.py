"""A sampler whose epochs are an imbalanced-learn sampler's selection."""

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import ClusterCentroids, RandomUnderSampler
from sklearn.base import clone
from sklearn.utils import check_array

from ..over_sampling import RandomImageOverSampler
from ..under_sampling import RandomImageUnderSampler
from ._epochs import Epochs
from ._labels import import_torch, labels_of

__all__ = ["ResamplingSampler"]

# samplers that choose items from their labels alone
_BY_LABEL = (
    RandomOverSampler,
    RandomUnderSampler,
    RandomImageOverSampler,
    RandomImageUnderSampler,
)


def _check_sampler(sampler, features):
    """Refuse a sampler whose output is not a selection of the items, or a
    cleaner without the features it chooses by."""
    name = type(sampler).__name__
    if not hasattr(sampler, "fit_resample") or not hasattr(sampler, "get_params"):
        raise TypeError(
            "ResamplingSampler: sampler must be an imbalanced-learn sampler "
            f"(with fit_resample and get_params); got {name}."
        )
    if isinstance(sampler, _BY_LABEL):
        return
    if getattr(sampler, "_sampling_type", None) == "over-sampling":
        raise ValueError(
            f"ResamplingSampler: {name} makes new items, and a sampler can only "
            "give indices of the dataset's own. Use ClassBalancedSampler or "
            "ResamplingSampler(RandomImageOverSampler()) and augment in the "
            f"dataset's transform, or write the new images once with {name}."
            "fit_resample (or the imgbalance balance command)."
        )
    if isinstance(sampler, ClusterCentroids):
        raise ValueError(
            "ResamplingSampler: ClusterCentroids makes centroids, new items; use "
            "NearMiss, a cleaning under-sampler or RandomUnderSampler."
        )
    if features is None:
        raise ValueError(
            f"ResamplingSampler: {name} chooses items by their features; give "
            "features=, one row per item (for example "
            "HOGFeatures().fit_transform(images) or a network's embeddings), or "
            "use RandomUnderSampler, which needs the labels only."
        )


def _check_features(features, n_items):
    if features is None:
        return None
    if hasattr(features, "detach"):  # a tensor
        features = features.detach().cpu().numpy()
    features = check_array(features, input_name="features")
    if len(features) != n_items:
        raise ValueError(
            f"ResamplingSampler: features has {len(features)} rows but y has "
            f"{n_items} labels; give one row per item."
        )
    return features


class ResamplingSampler:
    """Each epoch's indices from an imbalanced-learn or imgbalance sampler.

    Every epoch a clone of ``sampler`` is fitted under the epoch's seed, on
    the labels (with ``features`` for the samplers that choose by them);
    its ``sample_indices_``, shuffled, are the epoch's indices. So a
    ``DataLoader`` sees a new random over- or under-sampling each epoch,
    without copying the dataset.

    Parameters
    ----------
    sampler : imbalanced-learn sampler
        One whose output is a selection of the items: ``RandomOverSampler``,
        ``RandomUnderSampler``, ``RandomImageOverSampler``,
        ``RandomImageUnderSampler`` (labels only), or, given ``features``,
        a cleaning or selecting under-sampler (``TomekLinks``,
        ``EditedNearestNeighbours``, ``NearMiss``,
        ``InstanceHardnessThreshold``...). Samplers that make new items
        (SMOTE, ``AugmentingOverSampler``, ``ClusterCentroids``...) are
        refused.
    y : array-like, tensor or dataset
        The label of each item of the dataset, or the dataset itself if it
        holds them in ``targets``, ``labels`` or ``y`` (also through
        ``Subset``, as from ``random_split``, and ``ConcatDataset``).
    features : array-like or tensor of shape (n_items, n_features), \
            default=None
        What a cleaning or selecting sampler looks at, one row per item.
    shuffle : bool, default=True
        Shuffle the indices of each epoch (the sampler gives them by class).
    generator : torch.Generator or None, default=None
        Draws the base seed, once; see ``seed``.
    seed : int or None, default=None
        The base seed: epoch ``e`` is drawn from ``(seed, e)``, the same in
        every process. None draws it from ``generator``, or, without one,
        is 0 in a distributed run (as ``DistributedSampler``) and drawn
        from torch's global generator otherwise.
    num_replicas : int or None, default=None
        Processes sharing each epoch (distributed training); None takes
        ``torch.distributed.get_world_size()`` when a process group is
        initialised, else 1.
    rank : int or None, default=None
        This process's place among them; None takes
        ``torch.distributed.get_rank()`` when initialised, else 0.

    Notes
    -----
    Epoch ``e``'s clone of ``sampler`` gets ``random_state =
    numpy.random.SeedSequence([seed, e]).generate_state(1)[0]`` (if it has
    one), so an epoch can be replayed with imbalanced-learn alone.
    ``len()`` is the length of the epoch being drawn, or drawn next: a
    sampler whose selection depends on its seed (``InstanceHardnessThreshold``
    keeps ties) can give epochs of different lengths, and ``len()`` follows.
    In a distributed run each process keeps positions ``rank, rank +
    num_replicas, ...`` of the epoch (padded by repeating its start to a
    multiple of ``num_replicas``): disjoint shares of one length that
    together are the single-process epoch. Without :meth:`set_epoch` each
    pass over the sampler draws the next epoch; with it, the epoch set.

    Examples
    --------
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from imgbalance.torch import ResamplingSampler
    >>> y = [0] * 8 + [1] * 2
    >>> sampler = ResamplingSampler(RandomUnderSampler(), y, seed=0)
    >>> len(sampler), sorted(y[i] for i in sampler)
    (4, [0, 0, 1, 1])
    """

    def __init__(
        self,
        sampler,
        y,
        *,
        features=None,
        shuffle=True,
        generator=None,
        seed=None,
        num_replicas=None,
        rank=None,
    ):
        _check_sampler(sampler, features)
        self.sampler = sampler
        self.y = labels_of(y, "ResamplingSampler(sampler, {})")
        self.features = _check_features(features, len(self.y))
        self.shuffle = shuffle
        self._epochs = Epochs(
            seed=seed,
            generator=generator,
            num_replicas=num_replicas,
            rank=rank,
            owner="ResamplingSampler",
        )
        self._drawn = (None, None)  # (epoch, its indices)
        self._epoch_indices(self._epochs.epoch)  # errors now, not in a loop

    def set_epoch(self, epoch):
        """Draw epoch ``epoch`` from now on (for distributed training).

        Parameters
        ----------
        epoch : int
        """
        self._epochs.set_epoch(epoch, "ResamplingSampler")

    def _select(self, seed):
        fitted = clone(self.sampler)
        if "random_state" in fitted.get_params(deep=False):
            fitted.set_params(random_state=seed)
        if self.features is None:
            X = np.arange(len(self.y)).reshape(-1, 1)  # labels-only samplers
        else:
            X = self.features
        fitted.fit_resample(X, self.y)
        indices = getattr(fitted, "sample_indices_", None)
        if indices is None:
            raise ValueError(
                f"ResamplingSampler: {type(self.sampler).__name__} sets no "
                "sample_indices_, so which items it kept is unknown; use a "
                "sampler that selects items (random over- or under-sampling, "
                "the cleaning under-samplers)."
            )
        return np.asarray(indices)

    def _epoch_indices(self, epoch):
        """The whole epoch ``epoch``, shuffled (every process alike)."""
        if self._drawn[0] != epoch:
            sampler_seed, _ = self._epochs.seeds(epoch)
            indices = self._select(sampler_seed)
            if self.shuffle:
                torch = import_torch()
                order = torch.randperm(
                    len(indices), generator=self._epochs.torch_generator(epoch)
                )
                indices = indices[order.numpy()]
            self._drawn = (epoch, indices)
        return self._drawn[1]

    def __len__(self):
        return self._epochs.share_length(len(self._epoch_indices(self._epochs.epoch)))

    def __iter__(self):
        epochs = self._epochs
        try:
            yield from epochs.share(self._epoch_indices(epochs.epoch)).tolist()
        finally:
            epochs.ended()
