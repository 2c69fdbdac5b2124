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
- :class:`ResamplingSampler`: each epoch's indices from an imbalanced-learn
  or imgbalance sampler that selects items: random over- and
  under-sampling on the labels alone, the cleaning under-samplers on
  features you give.

- :class:`BalancedBatchSampler`: batches of P classes times K images each,
  for a ``DataLoader``'s ``batch_sampler`` (metric learning, contrastive
  losses).

The samplers work in distributed training: ``num_replicas`` and ``rank``
(from ``torch.distributed`` when it is initialised), ``set_epoch`` and
``drop_last`` give each process a disjoint, equal share of one balanced
epoch, the same in every process for a given seed and epoch, as
``DistributedSampler`` shares a dataset.

All take ``y`` as the labels (a list, array or tensor) or as a dataset that
holds them in a ``targets``, ``labels`` or ``y`` attribute (torchvision's
``ImageFolder``, ``MNIST``...), also through a ``Subset`` (what
``random_split`` returns) or a ``ConcatDataset``. Other datasets, such as a
``TensorDataset``, raise a ``ValueError``: pass their labels instead
(``dataset.tensors[1]``).
"""

from ._pytorch._batches import BalancedBatchSampler
from ._pytorch._class_balanced import ClassBalancedSampler
from ._pytorch._resampling import ResamplingSampler
from ._pytorch._weights import class_weight_tensor

__all__ = [
    "BalancedBatchSampler",
    "ClassBalancedSampler",
    "ResamplingSampler",
    "class_weight_tensor",
]
