"""PyTorch, imported when first needed, and the labels of a dataset."""

import numpy as np

from ..datasets import dataset_labels, is_hf_dataset

__all__ = ["import_torch", "labels_of"]


def import_torch():
    try:
        import torch
    except ImportError:
        raise ImportError(
            "imgbalance.torch needs PyTorch: pip install torch (see "
            "https://pytorch.org for the build that suits your machine)."
        ) from None
    return torch


def labels_of(y, call):
    """Labels as a 1-D array, from labels or from a dataset.

    A dataset gives its ``targets``, else ``labels``, else ``y`` attribute; a
    Hugging Face ``Dataset`` its ``label`` (else ``labels``) column; a
    ``Subset`` the labels of its dataset at its indices; a ``ConcatDataset``
    those of its datasets, one after the other. Any other dataset raises a
    ValueError that says to pass the labels as in ``call``, the caller's
    call with ``{}`` for the labels.
    """
    torch = import_torch()
    data = torch.utils.data
    try:
        labels = _find_labels(y, torch)
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
    _check_length(y, labels, call, torch)
    return labels


def _check_length(y, labels, call, torch):
    """A dataset whose ``len`` is not its number of labels would have
    indices drawn that it does not have (or items never drawn)."""
    if not isinstance(y, torch.utils.data.Dataset) or not hasattr(y, "__len__"):
        return
    try:
        n_items = len(y)
    except TypeError:  # a dataset whose len cannot be told
        return
    if n_items != len(labels):
        raise ValueError(
            f"{call.partition('(')[0]}: the {type(y).__name__} has {n_items} "
            f"items (its len) but {len(labels)} labels; give a dataset whose "
            "labels are one per item, or pass the labels themselves."
        )


class _NoLabels(Exception):
    """Raised with a dataset that holds no labels."""


def _find_labels(y, torch):
    # labels themselves (lists, arrays, tensors, pandas...) are not searched
    # for attributes: a Series would answer s.y with its item at index "y"
    if is_hf_dataset(y):  # a column, not an attribute
        return dataset_labels(y)
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
