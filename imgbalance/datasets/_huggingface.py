"""The labels of a Hugging Face ``datasets.Dataset``, read from a column.

The samplers give the rows they keep as ``sample_indices_``, which
``Dataset.select`` takes: a dataset is balanced by indices, without
copying its images. Nothing here imports ``datasets``: any object with
``column_names`` and columns by name (a ``Dataset``, a ``DatasetDict``'s
split) is read the same way.
"""

import numpy as np

__all__ = ["dataset_labels", "is_hf_dataset"]

# the columns a label is looked for in, in this order, when none is named
LABEL_COLUMNS = ("label", "labels")


def is_hf_dataset(obj):
    """Whether ``obj`` holds named columns as a Hugging Face ``Dataset``
    does (``column_names`` and ``features``).

    Parameters
    ----------
    obj : object

    Returns
    -------
    answer : bool

    Examples
    --------
    >>> from imgbalance.datasets import is_hf_dataset
    >>> is_hf_dataset([0, 1, 1])
    False
    """
    return hasattr(obj, "column_names") and hasattr(obj, "features")


def dataset_labels(dataset, column=None, *, names=False):
    """The labels of a Hugging Face dataset, from a named column.

    Parameters
    ----------
    dataset : datasets.Dataset
        A dataset with a label column (a ``ClassLabel`` feature, integers
        or strings).
    column : str or None, default=None
        The column; None takes ``"label"``, else ``"labels"``.
    names : bool, default=False
        For a ``ClassLabel`` column: the class names instead of the
        integers stored.

    Returns
    -------
    labels : ndarray of shape (n_rows,)
        Give them to a sampler as ``y``; its ``sample_indices_`` then
        select the rows: ``dataset.select(sampler.sample_indices_)``.

    Raises
    ------
    ValueError
        For a missing column (the message lists the columns there are),
        or a ``ClassLabel`` row of -1 (no label).

    Examples
    --------
    >>> from datasets import ClassLabel, Dataset, Features, Value
    >>> from imgbalance.datasets import dataset_labels
    >>> features = Features({"x": Value("int64"),
    ...                      "label": ClassLabel(names=["cat", "dog"])})
    >>> data = Dataset.from_dict({"x": [5, 6, 7], "label": [0, 1, 1]}, features)
    >>> dataset_labels(data)
    array([0, 1, 1])
    >>> dataset_labels(data, names=True)
    array(['cat', 'dog', 'dog'], dtype=object)
    """
    columns = list(dataset.column_names)
    if column is None:
        found = [name for name in LABEL_COLUMNS if name in columns]
        if not found:
            raise ValueError(
                f"{type(dataset).__name__} has no 'label' or 'labels' column "
                f"(its columns: {columns}); name the label column, e.g. "
                f"dataset_labels(dataset, {columns[-1]!r})."
            )
        column = found[0]
    elif column not in columns:
        raise ValueError(
            f"{type(dataset).__name__} has no column {column!r}; its columns: "
            f"{columns}."
        )
    labels = np.asarray(dataset[column])
    feature = dataset.features.get(column)
    if hasattr(feature, "int2str"):  # a ClassLabel
        missing = np.flatnonzero(labels < 0)
        if len(missing):
            raise ValueError(
                f"Row {missing[0]} of column {column!r} (and {len(missing) - 1} "
                "more) has label -1, ClassLabel's 'no label'; filter those rows "
                "out first (dataset.filter(lambda row: row[column] >= 0))."
            )
        if names:
            return np.asarray(feature.int2str(labels.tolist()), dtype=object)
    if labels.ndim != 1:
        raise ValueError(
            f"Column {column!r} holds values of shape {labels.shape[1:]}; a "
            "label column holds one label per row."
        )
    return labels
