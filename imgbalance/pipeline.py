"""An imbalanced-learn pipeline whose per-row metadata follows the rows
through its samplers.

imbalanced-learn's :class:`~imblearn.pipeline.Pipeline` routes
``sample_weight`` (and any metadata) to the classifier as the caller gave
it: after a sampler has added or removed rows, the classifier gets weights
of the wrong length (``Found input variables with inconsistent numbers of
samples``), and it takes only ``(X, y)`` back from a sampler, so a sampler
cannot hand resampled weights on. :class:`Pipeline` is that pipeline with
one change, in the fit stage (the step imbalanced-learn's pipeline itself
took to extend scikit-learn's): after each sampler, every per-row value
routed to a later step (an array of one row per row of the data, as
scikit-learn's cross-validation reads metadata) is resampled with the rows
— ``sample_weight`` by the sampler's weight rule (a synthetic row has its
source's weight, SMOTE's the interpolation of its two parents' by the same
gap), any other per-row array by taking its source row's value. Routing,
prediction, caching, ``transform_input`` and everything else are
imbalanced-learn's.

The rows of a sampler step come from its ``resample_sample_weight`` and
``resample_rows`` (every imgbalance sampler), else from its
``sample_indices_`` (imbalanced-learn's random samplers and cleaners); a
sampler with neither (``SMOTE``, ``ClusterCentroids``) refuses per-row
metadata for later steps with a message naming it.
"""

import time

from imblearn import pipeline as imblearn_pipeline
from sklearn.base import clone
from sklearn.utils.validation import check_memory

from .base import check_sample_weight, n_rows, take_rows

__all__ = ["Pipeline", "make_pipeline"]


def _fit_transform_step(transformer, X, y, params):
    """Fit a transformer and transform ``X`` (what a pipeline does for a
    step that is not a sampler)."""
    if hasattr(transformer, "fit_transform"):
        Xt = transformer.fit_transform(X, y, **params.get("fit_transform", {}))
    else:
        fitted = transformer.fit(X, y, **params.get("fit", {}))
        Xt = fitted.transform(X, **params.get("transform", {}))
    return Xt, transformer


def _fit_resample_step(sampler, X, y, params):
    """Fit a sampler; its output rows (a sampler given ``sample_weight``
    also returns them resampled: the pipeline resamples every per-row value
    itself)."""
    resampled = sampler.fit_resample(X, y, **params.get("fit_resample", {}))
    return resampled[0], resampled[1], sampler


def _is_per_row(value, n_samples):
    """Whether a metadata value holds one row per row of the data (the
    rule scikit-learn's cross-validation splits metadata by)."""
    if isinstance(value, (str, bytes)) or not (
        hasattr(value, "__len__") or hasattr(value, "shape")
    ):
        return False
    try:
        return n_rows(value) == n_samples
    except TypeError:
        return False


def _resampled(sampler, name, param, value):
    """``value`` (one row per input row of ``sampler``) for its output rows."""
    if hasattr(sampler, "resample_sample_weight") and hasattr(sampler, "resample_rows"):
        if param == "sample_weight":
            return sampler.resample_sample_weight(value)
        return sampler.resample_rows(value)
    indices = getattr(sampler, "sample_indices_", None)
    if indices is None:
        raise ValueError(
            f"Pipeline step {name!r} ({type(sampler).__name__}) does not tell "
            f"which rows it kept or made (no sample_indices_), so the per-row "
            f"metadata {param!r} cannot follow the rows to the later steps. Use "
            "a sampler that sets sample_indices_ (the imgbalance samplers, "
            "imbalanced-learn's random samplers and cleaners), or put the "
            "weights in the classifier's class_weight instead."
        )
    if param == "sample_weight":
        value = check_sample_weight(value, n_rows(value))
    return take_rows(value, indices)


class Pipeline(imblearn_pipeline.Pipeline):
    """imbalanced-learn's Pipeline, with per-row metadata resampled with the
    rows by every sampler step.

    ``pipeline.fit(X, y, sample_weight=w)`` (with metadata routing on and
    ``set_fit_request(sample_weight=True)`` on the classifier), or
    ``pipeline.fit(X, y, clf__sample_weight=w)`` without routing: the
    classifier is fitted with the weights of the rows it is given — those
    the samplers kept, copied and made. See :mod:`imgbalance.pipeline` for
    the rule and for which samplers tell their rows.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Transformers and samplers, then the final estimator, as in
        :class:`imblearn.pipeline.Pipeline`.

    transform_input : list of str, default=None
        As in :class:`imblearn.pipeline.Pipeline`.

    memory : str, joblib.Memory or None, default=None
        As in :class:`imblearn.pipeline.Pipeline`.

    verbose : bool, default=False
        Print the time each step took to fit.

    Attributes
    ----------
    named_steps : :class:`~sklearn.utils.Bunch`
        The steps by name.

    classes_ : ndarray of shape (n_classes,)
        The final estimator's classes.

    See Also
    --------
    make_pipeline : The pipeline with step names made from the classes.

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imgbalance.features import PixelFeatures
    >>> from imgbalance.over_sampling import RandomImageOverSampler
    >>> from imgbalance.pipeline import Pipeline
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (12, 4, 4), dtype=np.uint8)
    >>> y = np.array([0] * 9 + [1] * 3)
    >>> weights = np.linspace(0.5, 2.0, 12)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     pipeline = Pipeline([
    ...         ("sampler", RandomImageOverSampler(random_state=0)),
    ...         ("features", PixelFeatures()),
    ...         ("clf", LogisticRegression().set_fit_request(sample_weight=True)),
    ...     ]).fit(X, y, sample_weight=weights)
    >>> pipeline.named_steps["sampler"].sample_indices_.shape  # 18 rows fitted
    (18,)
    """

    def _fit(self, X, y=None, routed_params=None, raw_params=None):
        # imbalanced-learn's fit stage, the steps walked one by one; after a
        # sampler, the per-row values routed to later steps are resampled
        # in routed_params itself, which the final step's caller reads
        self.steps = list(self.steps)
        self._validate_steps()
        memory = check_memory(self.memory)
        fit_transform_step = memory.cache(_fit_transform_step)
        fit_resample_step = memory.cache(_fit_resample_step)
        for step_idx, (name, step) in enumerate(self.steps[:-1]):
            if step is None or (isinstance(step, str) and step == "passthrough"):
                continue
            start = time.perf_counter()
            # the caching of imbalanced-learn: clone only when it caches
            step = step if getattr(memory, "location", None) is None else clone(step)
            if hasattr(step, "transform") or hasattr(step, "fit_transform"):
                step_params = routed_params[name]
                if self.transform_input is not None:
                    step_params = self._get_metadata_for_step(
                        step_idx=step_idx,
                        step_params=step_params,
                        all_params=raw_params,
                    )
                X, fitted = fit_transform_step(step, X, y, step_params)
            else:
                n_samples = n_rows(X)
                X, y, fitted = fit_resample_step(step, X, y, routed_params[name])
                self._carry_rows(fitted, name, routed_params, step_idx, n_samples)
            self.steps[step_idx] = (name, fitted)
            if self.verbose:
                print(
                    f"[Pipeline] (step {step_idx + 1} of {len(self.steps)}) "
                    f"Processing {name}, total={time.perf_counter() - start:5.1f}s"
                )
        return X, y

    def _carry_rows(self, sampler, name, routed_params, step_idx, n_samples):
        """Resample the per-row values routed to the steps after
        ``step_idx`` (the rows of the sampler ``name``)."""
        done = {}  # a value routed to several steps is resampled once
        for later, _ in self.steps[step_idx + 1 :]:
            if later not in routed_params:
                continue
            for method_params in routed_params[later].values():
                for param, value in list(method_params.items()):
                    if not _is_per_row(value, n_samples):
                        continue
                    key = (param, id(value))
                    if key not in done:
                        done[key] = (value, _resampled(sampler, name, param, value))
                    method_params[param] = done[key][1]


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """A :class:`Pipeline` with step names made from the classes' names.

    Parameters
    ----------
    *steps : list of estimators
        Transformers and samplers, then the final estimator.

    memory : str, joblib.Memory or None, default=None
        As in :func:`imblearn.pipeline.make_pipeline`.

    transform_input : list of str, default=None
        As in :func:`imblearn.pipeline.make_pipeline`.

    verbose : bool, default=False
        Print the time each step took to fit.

    Returns
    -------
    pipeline : Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imgbalance.features import PixelFeatures
    >>> from imgbalance.over_sampling import RandomImageOverSampler
    >>> from imgbalance.pipeline import make_pipeline
    >>> make_pipeline(RandomImageOverSampler(), PixelFeatures(),
    ...               LogisticRegression()).steps[0][0]
    'randomimageoversampler'
    """
    made = imblearn_pipeline.make_pipeline(
        *steps, memory=memory, transform_input=transform_input, verbose=verbose
    )
    return Pipeline(
        made.steps, memory=memory, transform_input=transform_input, verbose=verbose
    )
