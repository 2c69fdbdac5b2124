"""What an image collection is, how it is checked, and how a selection of it
is returned in the container it came in.

An image collection ``X`` is one of:

- an array of shape ``(n, h, w)`` or ``(n, h, w, c)``, any numeric dtype;
- a 2-D array (or DataFrame, or sparse matrix) of shape ``(n, features)``
  holding flattened images, with ``image_shape=(h, w[, c])`` given where the
  geometry matters;
- a sequence (list, tuple, 1-D numpy array, pandas Series) whose items are
  file paths (``str`` or :class:`os.PathLike`), PIL images or numpy arrays of
  shape ``(h, w)`` or ``(h, w, c)``, possibly of different sizes.
"""

import os
from numbers import Integral

import numpy as np
from PIL import Image
from scipy.sparse import issparse
from sklearn.utils import check_array

from ._files import file_problem

__all__ = [
    "ImageCollection",
    "check_image_collection",
    "check_size",
    "forget_input_features",
]

_CONTRACT = (
    "an array (n, h, w) or (n, h, w, c), a 2-D array (n, features) of "
    "flattened images, or a sequence of file paths, PIL images or arrays"
)
_ITEM_TYPES = (str, bytes, os.PathLike, Image.Image, np.ndarray)


class ImageCollection:
    """A validated image collection in its canonical form.

    Parameters
    ----------
    data : ndarray, sparse matrix or DataFrame
        ``kind == "images"``: the ``(n, h, w[, c])`` array itself (no copy);
        ``kind == "table"``: the 2-D ``(n, features)`` container;
        ``kind == "sequence"``: a 1-D numpy array of items (``object`` dtype,
        or the string dtype it came with).
    kind : {"images", "table", "sequence"}
        Which form of the contract ``data`` follows.
    image_shape : tuple of int or None
        The ``(h, w[, c])`` of each image where it is known without decoding:
        the trailing shape of an ``"images"`` array, or the ``image_shape``
        given for a ``"table"``; None otherwise.
    """

    __slots__ = ("data", "kind", "image_shape")

    def __init__(self, data, kind, image_shape=None):
        self.data = data
        self.kind = kind
        self.image_shape = image_shape

    def __len__(self):
        return self.data.shape[0]

    def take(self, indices):
        """Select items by integer position, keeping the container.

        Arrays give ``X[indices]`` (dtype and trailing shape kept), DataFrames
        their ``iloc`` rows, sparse matrices their rows, sequences a 1-D numpy
        array of the selected items. Nothing is decoded.
        """
        indices = np.asarray(indices, dtype=np.intp)
        if hasattr(self.data, "iloc"):
            return self.data.iloc[indices]
        if self.kind == "images":
            return np.take(self.data, indices, axis=0)
        return self.data[indices]


def _check_image_shape(image_shape, input_name="image_shape"):
    """Validate an ``(h, w)`` or ``(h, w, c)`` tuple of positive integers."""
    if image_shape is None:
        return None
    try:
        shape = tuple(image_shape)
    except TypeError:
        shape = None
    if (
        shape is None
        or len(shape) not in (2, 3)
        or not all(isinstance(s, Integral) and s > 0 for s in shape)
    ):
        raise ValueError(
            f"{input_name} must be a tuple (h, w) or (h, w, c) of positive "
            f"integers; got {image_shape!r}."
        )
    return tuple(int(s) for s in shape)


def check_size(size):
    """A resize target: None, or an ``(h, w)`` pair of positive integers."""
    size = _check_image_shape(size, "size")
    if size is not None and len(size) != 2:
        raise ValueError(f"size must be a tuple (h, w); got {size!r}.")
    return size


def forget_input_features(estimator):
    """Drop ``n_features_in_`` and ``feature_names_in_`` before a refit, so
    none is left from input of another form."""
    for attr in ("n_features_in_", "feature_names_in_"):
        if hasattr(estimator, attr):
            delattr(estimator, attr)


def _is_item(obj):
    return isinstance(obj, _ITEM_TYPES)


def _describe(obj):
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")


def _check_items(items, input_name, check_paths):
    """Check every item of a sequence; return it as a 1-D numpy array."""
    isfile = os.path.isfile
    for i, item in enumerate(items):
        kind = type(item)
        if item is None:
            raise TypeError(
                f"{input_name}[{i}] is None; each item must be a file path, a "
                "PIL image or a numpy array of shape (h, w) or (h, w, c)."
            )
        if kind is str or isinstance(item, (str, bytes, os.PathLike)):
            if check_paths and not isfile(item):
                path = os.fsdecode(item)
                where = "" if os.path.isabs(path) else f" (relative to {os.getcwd()})"
                reason = (
                    "is a folder, not an image file"
                    if os.path.isdir(path)
                    else "is " + (file_problem(path) or "not a regular file")
                    if os.path.lexists(path)
                    else "does not exist"
                )
                raise FileNotFoundError(
                    f"{input_name}: the file {path!r}{where} {reason}; "
                    "check the path or remove the item."
                )
        elif isinstance(item, np.ndarray):
            if item.ndim not in (2, 3) or item.dtype.kind not in "biuf":
                raise ValueError(
                    f"{input_name}[{i}] is an array of shape {item.shape} and "
                    f"dtype {item.dtype}; each array item must be one numeric "
                    "image of shape (h, w) or (h, w, c)."
                )
            if 0 in item.shape:
                raise ValueError(
                    f"{input_name}[{i}] is an empty image (shape {item.shape}); "
                    "remove it."
                )
        elif not isinstance(item, Image.Image):
            raise TypeError(
                f"{input_name}[{i}] is a {_describe(item)}; each item must be "
                "a file path (str or os.PathLike), a PIL image or a numpy "
                "array of shape (h, w) or (h, w, c)."
            )
    if isinstance(items, np.ndarray):
        return items
    return np.fromiter(items, dtype=object, count=len(items))


def check_image_collection(
    X, *, image_shape=None, input_name="X", check_paths=True, allow_empty=False
):
    """Check ``X`` against the image input contract.

    Parameters
    ----------
    X : ndarray, DataFrame, sparse matrix, list, tuple or Series
        The image collection: ``(n, h, w)`` or ``(n, h, w, c)`` array of any
        numeric dtype, 2-D ``(n, features)`` array of flattened images, or a
        sequence of file paths, PIL images or ``(h, w[, c])`` arrays.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` each row of a 2-D ``X`` was flattened
        from. Checked against ``X`` when given; only 2-D and image arrays
        accept it.
    input_name : str, default="X"
        The argument's name, used in error messages.
    check_paths : bool, default=True
        Whether to check that every path item names an existing file. Paths
        are never opened.
    allow_empty : bool, default=False
        Whether a collection of no image is accepted (as a ``"sequence"``,
        or ``"images"`` for an array of more than one dimension).

    Returns
    -------
    collection : ImageCollection
        ``X`` in canonical form. Arrays are not copied.

    Raises
    ------
    ValueError
        Empty input, an array of the wrong dimension or dtype, an
        ``image_shape`` that does not match.
    TypeError
        An unsupported container or item type.
    FileNotFoundError
        A path item that does not exist.
    """
    image_shape = _check_image_shape(image_shape)
    X = _as_container(X, input_name, check_paths)
    n_samples = X.shape[0] if hasattr(X, "shape") else len(X)
    if n_samples == 0 and allow_empty:
        kind = "images" if getattr(X, "ndim", 1) > 1 else "sequence"
        return ImageCollection(np.asarray(X, dtype=None), kind)
    if n_samples == 0:
        raise ValueError(
            f"{input_name} is empty: got 0 images. Give at least one image per class."
        )
    if isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype.kind in "OUS":
        if image_shape is not None:
            raise ValueError(
                f"image_shape={image_shape} only applies to 2-D arrays of "
                f"flattened images, but {input_name} is a sequence of images; "
                "leave image_shape=None."
            )
        return ImageCollection(X, "sequence")
    return _check_array_collection(X, image_shape, input_name)


def _as_container(X, input_name, check_paths):
    """``X`` as one of the containers the contract accepts: a checked object
    array of items, a numpy array, a DataFrame or a sparse matrix."""
    if isinstance(X, (str, bytes, os.PathLike, Image.Image)):
        raise TypeError(
            f"{input_name} is a single {_describe(X)}; expected a collection: "
            f"{_CONTRACT}. Wrap a single image in a list."
        )
    if hasattr(X, "iloc") and getattr(X, "ndim", None) == 1:  # pandas Series
        X = X.to_numpy(dtype=object)
    if getattr(X, "dtype", None) is not None and np.dtype(X.dtype).kind == "c":
        raise ValueError(
            f"Complex data not supported: {input_name} has dtype {X.dtype}; images "
            "need real pixel values (take .real or numpy.abs first)."
        )
    if (
        isinstance(X, (list, tuple))
        and len(X) > 0
        and (_is_item(X[0]) or any(x is None or _is_item(x) for x in X))
    ):
        return _check_items(X, input_name, check_paths)
    if isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype.kind in "OUS":
        return _check_items(X, input_name, check_paths) if len(X) > 0 else X
    if hasattr(X, "__array__") or isinstance(X, (list, tuple)):
        if not (hasattr(X, "iloc") or issparse(X)):  # DataFrames stay frames
            X = np.asarray(X)
        if getattr(X, "ndim", None) == 0:
            raise ValueError(
                f"{input_name} is a single value ({X.item()!r}, an array of 0 "
                f"dimensions); expected {_CONTRACT}."
            )
        return X
    if not issparse(X):
        raise TypeError(
            f"{input_name} is a {_describe(X)}; expected {_CONTRACT}. "
            "Convert it to a list or a numpy array first."
        )
    return X


def _check_array_collection(X, image_shape, input_name):
    """The :class:`ImageCollection` of an array, DataFrame or sparse ``X``:
    a table of flattened images (2-D) or an array of images (3-D, 4-D)."""
    if hasattr(X, "iloc"):  # DataFrame: validate a view, keep the frame
        check_array(
            X,
            dtype=None,
            accept_sparse=["csr", "csc"],
            ensure_all_finite=False,
            input_name=input_name,
        )
        data = X
        ndim = 2
    else:
        data = check_array(
            X,
            dtype=None,
            accept_sparse=["csr", "csc"],
            ensure_all_finite=False,
            ensure_2d=False,
            allow_nd=True,
            input_name=input_name,
        )
        ndim = data.ndim
    if ndim == 1:
        raise ValueError(
            f"{input_name} is a 1-D array of {data.dtype} values; expected "
            f"{_CONTRACT}. Reshape your data: {input_name}.reshape(1, -1) if it "
            f"holds one flattened image, {input_name}.reshape(-1, 1) if it "
            "holds one feature per image."
        )
    if ndim > 4:
        raise ValueError(
            f"{input_name} has {ndim} dimensions (shape {data.shape}); expected "
            f"{_CONTRACT}. Stack volumes or videos into one of these forms first."
        )
    if ndim == 2:
        if image_shape is not None and int(np.prod(image_shape)) != data.shape[1]:
            raise ValueError(
                f"image_shape={image_shape} holds {int(np.prod(image_shape))} "
                f"values per image but {input_name} has {data.shape[1]} "
                "features per row; give the (h, w[, c]) each row was flattened "
                "from."
            )
        return ImageCollection(data, "table", image_shape)
    if data.dtype.kind not in "biuf":
        raise ValueError(
            f"{input_name} is an image array of dtype {data.dtype}; image "
            "arrays must be numeric (uint8, or float in [0, 1], are common)."
        )
    if 0 in data.shape[1:]:
        raise ValueError(
            f"{input_name} holds empty images (shape {data.shape[1:]}, a side of "
            "0 pixels); give images of at least one pixel."
        )
    if image_shape is not None and image_shape != data.shape[1:]:
        raise ValueError(
            f"image_shape={image_shape} does not match the images of "
            f"{input_name}, which have shape {data.shape[1:]}; leave "
            "image_shape=None for image arrays."
        )
    return ImageCollection(data, "images", data.shape[1:])
