"""A sampler whose epochs are an imbalanced-learn sampler's selection."""

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import ClusterCentroids, RandomUnderSampler
from sklearn.base import clone
from sklearn.utils import check_array

from ..over_sampling import RandomImageOverSampler
from ..under_sampling import RandomImageUnderSampler
from ..utils._docstrings import fill_docs
from ._epochs import EpochSampler
from ._labels import import_torch, labels_of

__all__ = ["ResamplingSampler"]

# samplers that choose items from their labels alone
_BY_LABEL = (
    RandomOverSampler,
    RandomUnderSampler,
    RandomImageOverSampler,
    RandomImageUnderSampler,
)


def _check_order(y, sampler):
    """The labels come first, as in the other samplers: a sampler given
    first (the order of imgbalance 0.1) is refused with the call to make."""
    if hasattr(y, "fit_resample") and not hasattr(sampler, "fit_resample"):
        raise TypeError(
            "ResamplingSampler takes the labels (or the dataset) first and the "
            "sampler second, as ClassBalancedSampler does: "
            f"ResamplingSampler(y, {type(y).__name__}(...)); the sampler came "
            "first."
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
            "ResamplingSampler(y, RandomImageOverSampler()) and augment in the "
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


@fill_docs
class ResamplingSampler(EpochSampler):
    """Each epoch's indices from an imbalanced-learn or imgbalance sampler.

    Every epoch a clone of ``sampler`` is fitted under the epoch's seed, on
    the labels (with ``features`` for the samplers that choose by them);
    its ``sample_indices_``, shuffled, are the epoch's indices. So a
    ``DataLoader`` sees a new random over- or under-sampling each epoch,
    without copying the dataset.

    Parameters
    ----------
    <torch_labels>
    sampler : imbalanced-learn sampler
        One whose output is a selection of the items: ``RandomOverSampler``,
        ``RandomUnderSampler``, ``RandomImageOverSampler``,
        ``RandomImageUnderSampler`` (labels only), or, given ``features``,
        a cleaning or selecting under-sampler (``TomekLinks``,
        ``EditedNearestNeighbours``, ``NearMiss``,
        ``InstanceHardnessThreshold``...). Samplers that make new items
        (SMOTE, ``AugmentingOverSampler``, ``ClusterCentroids``...) are
        refused.
    features : array-like or tensor of shape (n_items, n_features), \
            default=None
        What a cleaning or selecting sampler looks at, one row per item.
    shuffle : bool, default=True
        Shuffle the indices of each epoch (the sampler gives them by class)
        as ``DistributedSampler`` shuffles: ``torch.randperm`` from a
        generator seeded with ``seed + epoch``. Where the sampler keeps
        every item in order (``RandomOverSampler`` on balanced labels),
        the indices are ``DistributedSampler``'s, ``drop_last`` included.
    <epoch_parameters>

    Notes
    -----
    Epoch ``e``'s clone of ``sampler`` gets ``random_state =
    numpy.random.SeedSequence([seed, e]).generate_state(1)[0]`` (if it has
    one), so an epoch can be replayed with imbalanced-learn alone.
    ``len()`` is the length of the epoch being drawn, or drawn next: a
    sampler whose selection depends on its seed (``InstanceHardnessThreshold``
    keeps ties) can give epochs of different lengths, and ``len()`` follows.
    <epoch_notes>

    Examples
    --------
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from imgbalance.torch import ResamplingSampler
    >>> y = [0] * 8 + [1] * 2
    >>> sampler = ResamplingSampler(y, RandomUnderSampler(), seed=0)
    >>> len(sampler), sorted(y[i] for i in sampler)
    (4, [0, 0, 1, 1])
    """

    def __init__(
        self,
        y,
        sampler,
        *,
        features=None,
        shuffle=True,
        generator=None,
        seed=None,
        num_replicas=None,
        rank=None,
        drop_last=False,
    ):
        _check_order(y, sampler)
        _check_sampler(sampler, features)
        self.sampler = sampler
        self.y = labels_of(y, "ResamplingSampler({}, sampler)")
        self.features = _check_features(features, len(self.y))
        self.shuffle = shuffle
        super().__init__(
            seed=seed,
            generator=generator,
            num_replicas=num_replicas,
            rank=rank,
            drop_last=drop_last,
        )
        self._drawn = (None, None)  # (epoch, its indices)
        self._epoch_indices(self._epochs.epoch)  # errors now, not in a loop

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
                    len(indices), generator=self._epochs.shuffle_generator(epoch)
                )
                indices = indices[order.numpy()]
            self._drawn = (epoch, indices)
        return self._drawn[1]

    def __len__(self):
        return self._epochs.share_length(len(self._epoch_indices(self._epochs.epoch)))

    def _share(self, epoch):
        return self._epochs.share(self._epoch_indices(epoch)).tolist()
