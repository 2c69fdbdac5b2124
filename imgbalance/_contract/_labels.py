"""The labels of an image collection: values that can be told apart and
sorted, one per image, and enough classes."""

import numpy as np

__all__ = ["check_image_labels", "check_label_values"]


def check_label_values(y, *, input_name="y"):
    """Refuse labels that cannot be told apart or sorted: None, NaN, and a
    mix of text and numbers (numpy would turn ``["a", 1]`` into the strings
    ``"a"`` and ``"1"``, or fail to sort it).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    input_name : str, default="y"

    Raises
    ------
    ValueError
        Naming the first offending position.
    """
    if isinstance(y, (list, tuple)):
        items = y
    else:
        values = np.asarray(y) if hasattr(y, "__array__") else None
        if values is None or values.ndim != 1:
            return  # not labels of one dimension: said by the caller's checks
        if values.dtype.kind == "f":
            bad = np.flatnonzero(np.isnan(values))
            if len(bad):
                raise ValueError(
                    f"{input_name}[{bad[0]}] is NaN; every item needs a label."
                )
            return
        if values.dtype.kind != "O":
            return
        items = values.tolist()
    # the types present first (cheap); the labels one by one only where
    # they may hold None, NaN or a mix
    kinds = set(map(type, items))
    if any(issubclass(k, (list, tuple, np.ndarray)) for k in kinds):
        return  # nested: not labels of one dimension
    text = {k for k in kinds if issubclass(k, (str, bytes))}
    if not (
        type(None) in kinds
        or (text and text != kinds)
        or any(issubclass(k, float) for k in kinds)
    ):
        return
    first_kind = None
    for i, value in enumerate(items):
        if value is None or (isinstance(value, float) and value != value):
            raise ValueError(f"{input_name}[{i}] is {value}; every item needs a label.")
        kind = "text" if isinstance(value, (str, bytes)) else "other"
        if first_kind is None:
            first_kind, first = kind, i
        elif kind != first_kind:
            raise ValueError(
                f"{input_name} mixes text and other labels ({input_name}[{first}] "
                f"is {items[first]!r}, {input_name}[{i}] is {value!r}); give "
                "labels of one type."
            )


def check_image_labels(collection, y, *, input_name="X", min_classes=2):
    """Check that ``y`` gives one label per image and enough classes.

    Parameters
    ----------
    collection : ImageCollection
        The checked images.
    y : ndarray of shape (n_samples,)
        The labels, already a 1-D array.
    input_name : str, default="X"
        The images' argument name, used in error messages.
    min_classes : int, default=2
        The number of distinct classes required.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    n_images, n_labels = len(collection), len(y)
    if n_images != n_labels:
        raise ValueError(
            f"{input_name} has {n_images} images but y has {n_labels} labels; "
            "give exactly one label per image."
        )
    if min_classes > 1:
        classes = np.unique(y)
        if len(classes) < min_classes:
            label = getattr(classes[0], "item", lambda: classes[0])()
            raise ValueError(
                f"y holds one class only ({label!r}); balancing needs at "
                "least two classes. Check that the labels were loaded "
                "correctly."
            )
    return y
