"""What the batched image feature extractors share: input handling, the
compiled backend, parallel batches."""

import functools
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._contract._collection import (
    check_image_collection,
    check_size,
    forget_input_features,
)
from .._contract._intensity import within_scale
from .._contract._modes import luma
from .._contract._stacking import decode_items, stack_collection
from ..utils._backends import resolve_backend
from ..utils._docstrings import fill_docs
from ..utils._parallel import n_tasks

__all__ = ["BaseImageFeatures", "numba_available"]


@functools.cache
def _numba_kernels():
    """The compiled kernels module, or None where numba does not import."""
    try:
        from . import _numba_kernels
    except ImportError:
        return None
    return _numba_kernels


def numba_available():
    """Whether numba (the ``fast`` extra) imports, for ``backend="numba"``.

    :class:`HOGFeatures` and :class:`LBPFeatures` with ``backend="auto"``
    use it when it does.

    Returns
    -------
    available : bool

    Examples
    --------
    >>> from imgbalance.features import numba_available
    >>> isinstance(numba_available(), bool)
    True
    """
    return _numba_kernels() is not None


def _check_pair(value, name):
    """Refuse a parameter that is not two positive integers."""
    if len(value) != 2 or not all(isinstance(v, Integral) and v > 0 for v in value):
        raise ValueError(f"{name} must be two positive integers; got {value!r}.")


def _resolve_backend(backend):
    """ "default" or "numba" for a ``backend`` parameter's value."""
    return resolve_backend(
        backend,
        "numba",
        numba_available,
        ("numba", "pip install 'imgbalance[fast]' (numba)"),
    )


def _to_gray(images):
    """Grayscale (n, h, w): RGB(A) uint8 as Pillow's "L" conversion (ITU-R
    601-2 luma, rounded), other colour images by the same weights."""
    if images.ndim == 3:
        return images
    if images.shape[3] in (1, 2):  # gray, gray + alpha
        return images[..., 0]
    return luma(images[..., :3])


class BaseImageFeatures(TransformerMixin, BaseEstimator):
    """Base class of feature extractors computed on a batch of images.

    ``X`` may be any image collection (see :mod:`imgbalance`). Images are
    stacked into one ``(n, h, w[, c])`` array (decoded, and resized when the
    subclass has a ``size``), then ``_compute(images)`` turns the batch into
    a 2-D float32 array. A 2-D ``X`` is read as images of ``image_shape``;
    without it each row is an image one pixel high, which suits tabular data
    but not images.

    Pixel values are read by the package's intensity rule (uint8 on 0..255,
    uint16 on 0..65535, floats on 0..1, other integers on 0..255): values
    outside their dtype's range are clipped, with one warning, as
    :class:`ImageLoader` clips them (floats on 0..255 say so rather than
    giving features 255 times too large).

    Subclasses define ``_compute`` and ``_feature_names(n_features)``. One
    whose features do not depend on the image size sets ``_any_size = True``:
    a sequence of images of different sizes is then computed image by image
    instead of being refused. ``_check_images(images, reset)`` may refuse
    images before anything is computed; one that learns from the images
    defines ``_learn(images)``, called by ``fit`` with the checked images
    (the batch, or the list of images of any size) before their features
    are computed.
    """

    _any_size = False
    # a subclass that reads gray images (its _compute calls _to_gray): colour
    # and gray images of one collection are all made gray, without a warning
    _reads_gray = False

    @fill_docs
    def fit(self, X, y=None):
        """Check the images and record the number of output features.

        Parameters
        ----------
        <fit_images>

        <y_ignored>

        Returns
        -------
        self : object
        """
        self.fit_transform(X)
        return self

    @fill_docs
    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its features (decodes paths once).

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.

        <y_ignored>

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`), float32
        """
        self._validate_params()
        return self._transform(X, reset=True)

    def transform(self, X):
        """Return the features of every image.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`; images must give the fitted number of features.

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`), float32
        """
        check_is_fitted(self, "n_features_out_")
        return self._transform(X, reset=False)

    def _images(self, X, reset):
        """``X`` as one ``(n, h, w[, c])`` array (or a list of images of
        any size), values outside their dtype's range clipped with a
        warning where the extractor reads intensities
        (:meth:`_reads_intensity`)."""
        images = self._stacked(X, reset)
        return within_scale(images) if self._reads_intensity() else images

    def _reads_intensity(self):
        """Whether the features read pixel values on their dtype's scale
        (floats on 0..1...: the package's intensity rule)."""
        return True

    def _stacked(self, X, reset):
        """``X`` as one ``(n, h, w[, c])`` array."""
        collection = check_image_collection(X, image_shape=self.image_shape)
        if reset:
            forget_input_features(self)
        size = check_size(getattr(self, "size", None))
        if collection.kind == "table":
            if size is not None and collection.image_shape is None:
                raise ValueError(
                    "X is a 2-D array of flattened images; give "
                    "image_shape=(h, w) or (h, w, c) so they can be resized."
                )
            data = validate_data(self, collection.data, reset=reset, dtype="numeric")
            images = data.reshape((len(data),) + (collection.image_shape or (1, -1)))
            if size is None:
                return images
            return np.stack([_resize(self._prepare(image), size) for image in images])
        if collection.kind == "images":
            n_values = int(np.prod(collection.image_shape))
            if reset:
                self.n_features_in_ = n_values
            elif hasattr(self, "n_features_in_") and n_values != self.n_features_in_:
                raise ValueError(
                    f"X has {n_values} features per image, but "
                    f"{type(self).__name__} is expecting {self.n_features_in_} "
                    "features as input (images of the shape seen in fit)."
                )
        gray = self._reads_gray
        if size is not None:
            return stack_collection(
                collection,
                item_transform=lambda image, _: _resize(self._prepare(image), size),
                gray=gray,
            )
        if self._any_size and collection.kind == "sequence":
            return decode_items(collection, gray=gray)
        return stack_collection(collection, gray=gray)

    def _check_images(self, images, reset):
        """Refuse images the features cannot be computed on (nothing here);
        ``reset`` in ``fit``."""

    def _learn(self, images):
        """Learn from the checked images in ``fit`` (nothing here)."""

    def _prepare(self, image):
        """Applied to each image before it is resized (identity here)."""
        return image

    def _transform(self, X, reset):
        images = self._images(X, reset)
        for i, image in enumerate(images if isinstance(images, list) else [images]):
            if image.dtype.kind == "f" and not np.isfinite(image).all():
                where = f"X[{i}]" if isinstance(images, list) else "X"
                raise ValueError(
                    f"Input {where} contains NaN or infinity; features need "
                    "finite pixel values (replace them, such as with "
                    "numpy.nan_to_num, first)."
                )
        self._check_images(images, reset)
        if reset:
            self._learn(images)
        if isinstance(images, list):  # images of any size, one at a time
            rows = [self._compute(image[None]) for image in images]
            for i, row in enumerate(rows):
                if row.shape[1] != rows[0].shape[1]:
                    raise ValueError(
                        f"X[{i}] gives {row.shape[1]} features but X[0] gives "
                        f"{rows[0].shape[1]}: X[{i}] has shape {images[i].shape}"
                        f" and X[0] {images[0].shape}. Convert the images to "
                        "one mode (all grayscale or all RGB) first."
                    )
            features = np.concatenate(rows)
        else:
            features = self._compute_in_parallel(images)
        n_out = features.shape[1]
        if reset:
            self.n_features_out_ = n_out
        elif n_out != self.n_features_out_:
            raise ValueError(
                f"X gives {n_out} features per image, but {type(self).__name__} "
                f"was fitted on images giving {self.n_features_out_}; pass "
                "images of the fitted size, or set size=(h, w)."
            )
        return features.astype(np.float32, copy=False)

    def _compute_in_parallel(self, images):
        """``_compute`` over the batch, in slices spread over ``n_jobs``
        threads where the subclass has ``n_jobs`` (the compiled kernels and
        most numpy loops release the GIL). Each image's features depend on
        that image only, so the result does not depend on ``n_jobs``."""
        n_jobs = effective_n_jobs(getattr(self, "n_jobs", None))
        if n_jobs == 1 or len(images) < 2:
            return self._compute(images)
        n_slices = n_tasks(len(images), n_jobs)
        bounds = np.linspace(0, len(images), n_slices + 1).astype(int)
        parts = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(self._compute)(images[start:stop])
            for start, stop in zip(bounds[:-1], bounds[1:])
        )
        return np.concatenate(parts)

    def get_feature_names_out(self, input_features=None):
        """Names of the output features.

        Parameters
        ----------
        input_features : None
            Ignored: the names describe the features, not the pixels.

        Returns
        -------
        names : ndarray of str objects
        """
        check_is_fitted(self, "n_features_out_")
        return np.asarray(self._feature_names(self.n_features_out_), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def _resize_float(image, size):
    """Resize a float32 (h, w[, c]) image to ``size`` = (h, w): bilinear,
    antialiased when shrinking (Pillow, one float plane per channel)."""
    if image.shape[:2] == tuple(size):
        return image
    height, width = size
    if image.ndim == 2:
        resized = Image.fromarray(image).resize(
            (width, height), Image.Resampling.BILINEAR
        )
        return np.asarray(resized, dtype=np.float32)
    return np.stack(
        [_resize_float(image[..., c], size) for c in range(image.shape[2])], axis=-1
    )


def _resize(image, size):
    """Resize one image to ``size`` = (h, w) as :func:`_resize_float` does;
    the dtype is kept (integers rounded)."""
    out = _resize_float(image.astype(np.float32, copy=False), size)
    if image.dtype.kind in "iub":
        info = np.iinfo(image.dtype) if image.dtype.kind != "b" else None
        low, high = (0, 1) if info is None else (info.min, info.max)
        return np.clip(np.rint(out), low, high).astype(image.dtype)
    return out.astype(image.dtype, copy=False)
