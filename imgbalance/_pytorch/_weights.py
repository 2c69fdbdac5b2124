"""Class weights as a tensor for a PyTorch loss."""

from ..class_weight import class_weights
from ._labels import import_torch, labels_of

__all__ = ["class_weight_tensor"]


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
    torch = import_torch()
    y = labels_of(y, "class_weight_tensor({})")
    weights = class_weights(y, method=method, beta=beta, classes=classes)
    return torch.tensor(list(weights.values()), dtype=torch.float32, device=device)
