"""Over-sampling with augmented copies: planned, then rendered."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from joblib import effective_n_jobs
from sklearn.base import clone
from sklearn.utils import check_random_state

from .._contract._out_of_core import chunk_rows, release, row_parts, take_rows_from
from .._contract._output import new_output, out_of_core
from ..augment import default_augmenter
from ..augment._base import check_augmenter
from ..augment._records import AugmentationRecords
from ..augment._render import (
    ArraySource,
    ItemSource,
    SharedOutput,
    backend_kind,
    plan_augmentation,
    render_augmentation,
)
from ..base import PixelSamplerMixin
from ..utils._constraints import HasMethods
from ..utils._docstrings import fill_docs

__all__ = ["AugmentingOverSampler"]


@fill_docs
class AugmentingOverSampler(PixelSamplerMixin, BaseOverSampler):
    """Over-sample minority classes with augmented variants of their images.

    Keeps every original image and appends, for each class to grow,
    augmented variants of its images: sources are drawn evenly (every image
    of the class is used once before any is used twice) and each variant is
    rendered from its own seed. Generation is planned (source, seed) first,
    then rendered, so the same ``random_state`` gives the same pixels with
    any ``n_jobs``.

    Parameters
    ----------
    augmenter : augmentation or None, default=None
        An augmentation from :mod:`imgbalance.augment` (usually a
        :class:`~imgbalance.augment.Compose`). Its parameters can be tuned as
        ``augmenter__<name>__<param>``. None uses
        :func:`~imgbalance.augment.default_augmenter`: rotation up to 10
        degrees, shift up to 5 %, zoom 0.95-1.05, brightness and contrast
        within 10 %, no flips.

    <over_sampling_strategy>

    <random_state>
        It seeds the plan, and so every rendered pixel.

    <sampler_n_jobs>
        They render the variants.

    <image_shape>
        Without it, each row is augmented as an image one pixel high,
        which suits tabular data but not images.

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to grow to the number of variants added.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position of its source in ``X``: first
        ``0 .. n_samples - 1`` (the originals), then each variant's source.

    augmentations_ : sequence of list of dict
        For each synthetic image (in output order), the transforms applied
        and the parameters they drew: a read-only sequence (index it,
        iterate over it, compare it with a list) keeping them in about 100
        bytes an image.

    augmenter_ : augmentation
        The augmentation used (a clone of ``augmenter``, or the default).

    <input_attributes>

    Notes
    -----
    The output container follows the input: an image array gives an array
    of the same dtype and trailing shape, a 2-D array or DataFrame the same.
    A sequence (list, tuple, Series, 1-D array) of paths, PIL images or
    arrays gives the same kind of sequence (a list for a tuple, an object
    array for a 1-D array) holding the original items unchanged, followed by
    the variants as numpy arrays: paths and PIL images of the minority
    classes are decoded (EXIF orientation applied), never written back.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import Compose, RandomFlip, RandomRotation
    >>> from imgbalance.over_sampling import AugmentingOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (6, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = AugmentingOverSampler(
    ...     augmenter=Compose([RandomRotation(20), RandomFlip()]), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res).tolist()
    ((8, 16, 16, 3), dtype('uint8'), [4, 4])
    >>> sampler.sample_indices_[6:].tolist()
    [5, 4]
    >>> [record["transform"] for record in sampler.augmentations_[0]]
    ['RandomRotation', 'RandomFlip']
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "augmenter": [HasMethods(["augment"]), None],
        "n_jobs": [Integral, None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        augmenter=None,
        sampling_strategy="auto",
        random_state=None,
        n_jobs=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.augmenter = augmenter
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.image_shape = image_shape

    def _fit_resample(self, X, y):
        augmenter = self.augmenter
        self.augmenter_ = default_augmenter() if augmenter is None else clone(augmenter)
        check_augmenter(self.augmenter_)
        sources, seeds = plan_augmentation(
            y, self.sampling_strategy_, check_random_state(self.random_state)
        )
        n_samples = len(y)
        self.sample_indices_ = np.concatenate([np.arange(n_samples), sources])

        if X.kind == "sequence":
            synthetic, records = render_augmentation(
                self.augmenter_, ItemSource(X.data), sources, seeds, n_jobs=self.n_jobs
            )
            out = np.empty(n_samples + len(sources), dtype=object)
            out[:n_samples] = X.data
            for i, image in enumerate(synthetic, start=n_samples):
                out[i] = image
            self.augmentations_ = AugmentationRecords(records)
        elif out_of_core(X):
            out = self._render_in_parts(X, sources, seeds)
        else:
            out = self._render_array(X, sources, seeds)
        return out, y[self.sample_indices_]

    def _render_array(self, X, sources, seeds):
        """Originals then variants, in one array of the input's dtype.

        Worker processes on this machine write their variants straight into
        it through a shared file; the originals are copied meanwhile.
        """
        data = X.data
        images = data
        if X.kind == "table":  # rows back to images (one pixel high by default)
            images = data.reshape((len(data),) + (X.image_shape or (1, data.shape[1])))
        n_samples = len(data)
        shape = (n_samples + len(sources),) + data.shape[1:]
        shared = None
        if effective_n_jobs(self.n_jobs) > 1 and backend_kind() == "processes":
            shared = SharedOutput(shape, data.dtype)
        try:
            if shared is not None and shared.array is not None:
                out = shared.array
                offset = n_samples * out[0].nbytes
                out_file = (shared.path, offset, (len(sources),) + shape[1:], out.dtype)
            else:
                out, out_file = np.empty(shape, data.dtype), None

            def copy_originals():
                out[:n_samples] = data

            _, records = render_augmentation(
                self.augmenter_,
                ArraySource(images),
                sources,
                seeds,
                n_jobs=self.n_jobs,
                out=out[n_samples:],
                out_file=out_file,
                while_rendering=copy_originals,
            )
        finally:
            if shared is not None:
                shared.close()
        self.augmentations_ = AugmentationRecords(records)
        return out

    def _render_in_parts(self, X, sources, seeds):
        """:meth:`_render_array`'s images, a part at a time, for an ``X`` on
        disk or an output to a file: the originals copied, then each part
        of the variants rendered from its sources (read into memory) and
        written; the input's pages given back after each part."""
        data = X.data
        n_samples, shape = len(data), data.shape[1:]
        image_shape = shape if X.kind == "images" else X.image_shape or (1,) + shape
        output = new_output(X, n_samples + len(sources))
        # a part, its sources and the copies sent to the jobs are held at once
        rows = chunk_rows(data[0].nbytes, copies=3)
        for start, stop in row_parts(n_samples, rows):
            part = data[start:stop]
            output.write(start, part)
            release(part)
        self.augmentations_ = AugmentationRecords()
        # one buffer each for the sources and the variants of every part
        held = (min(rows, len(sources)),) + shape
        source_buffer, variant_buffer = (
            np.empty(held, data.dtype),
            np.empty(held, data.dtype),
        )
        for start, stop in row_parts(len(sources), rows):
            needed, local = np.unique(sources[start:stop], return_inverse=True)
            images = take_rows_from(data, needed, out=source_buffer[: len(needed)])
            block = variant_buffer[: stop - start]
            _, records = render_augmentation(
                self.augmenter_,
                ArraySource(images.reshape((-1,) + image_shape)),
                local,
                seeds[start:stop],
                n_jobs=self.n_jobs,
                out=block,
            )
            output.write(n_samples + start, block)
            self.augmentations_.extend(records)
        return output.result()
