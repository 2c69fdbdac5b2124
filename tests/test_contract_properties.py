"""The input contract under random input (Hypothesis): every sampler and
transformer either gives output of the promised form, or raises a ValueError
or TypeError whose message names the argument (X, y, the images, or a
parameter) — never an
IndexError, AttributeError, an OpenCV or numpy error from deep inside."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgbalance.features import (
    ColorHistogram,
    HOGFeatures,
    ImageLoader,
    LBPFeatures,
    PixelFeatures,
)
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import EmbeddingUnderSampler, RandomImageUnderSampler

SAMPLERS = [
    RandomImageOverSampler(random_state=0),
    RandomImageUnderSampler(random_state=0),
    AugmentingOverSampler(random_state=0),
    EmbeddingSMOTE(random_state=0, k_neighbors=1),
    EmbeddingUnderSampler(random_state=0),
]
TRANSFORMERS = [
    PixelFeatures(),
    ImageLoader(),
    HOGFeatures(pixels_per_cell=(2, 2), cells_per_block=(1, 1)),
    LBPFeatures(),
    ColorHistogram(),
]
DTYPES = ["uint8", "uint16", "int64", "float32", "float64", "bool", "complex64"]
# where the random images may put their values
SPECIAL = [0.0, 1.0, 0.5, -1.0, 255.0, np.nan, np.inf]


@st.composite
def images(draw):
    """An image collection: an array of 1 to 5 dimensions, or a list of
    arrays (sizes may differ), holding None sometimes."""
    n = draw(st.sampled_from([0, 1] + [2, 4, 6, 8] * 3))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    container = draw(st.sampled_from(["array"] * 3 + ["list"] * 2 + ["list-with-none"]))

    def one(shape):
        special = draw(st.integers(0, 3)) == 0  # a quarter of the images
        values = draw(st.sampled_from(SPECIAL)) if special else None
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        array = rng.random(shape) * (255 if dtype.kind in "iu" else 1)
        if values is not None and array.size:
            array.flat[0] = values
        with np.errstate(invalid="ignore"):
            return array.astype(dtype) if dtype.kind != "f" else array.astype(dtype)

    side = st.sampled_from([0, 1, 3, 4, 6, 6, 6])
    if container == "array":
        ndim = draw(st.integers(1, 5))
        shape = (n,) + tuple(draw(side) for _ in range(ndim - 1))
        return one(shape)
    items = [one((draw(side), draw(side))) for _ in range(n)]
    if container == "list-with-none" and items:
        items[draw(st.integers(0, len(items) - 1))] = None
    return items


@st.composite
def labels(draw, n):
    """Labels for ``n`` images (or one too many), of one or mixed types."""
    length = n + draw(st.sampled_from([0, 0, 0, 1]))
    kind = draw(st.sampled_from(["int"] * 4 + ["str"] * 2 + ["mixed", "none", "nan"]))
    codes = [i % 2 if i < 4 else draw(st.integers(0, 2)) for i in range(length)]
    if kind == "int":
        return np.array(codes, dtype=np.int64)
    values = [f"c{c}" for c in codes] if kind != "nan" else [float(c) for c in codes]
    if values:
        spot = draw(st.integers(0, len(values) - 1))
        values[spot] = {"mixed": 7, "none": None, "nan": np.nan, "str": "c0"}[kind]
    return values


def _names_an_argument(error, estimator):
    """The message speaks of the input (X, y, the images) or of a parameter."""
    message = str(error)
    return (
        "X" in message
        or "y" in message
        or "image" in message.lower()
        or any(name in message for name in estimator.get_params())
    )


def _call(estimator, X, y):
    with warnings.catch_warnings():  # small classes, k shrinking: warned
        warnings.simplefilter("ignore")
        if hasattr(estimator, "fit_resample"):
            return estimator.fit_resample(X, y)
        return estimator.fit_transform(X, y)


PROFILE = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples in every run: no flaky CI
    database=None,  # nothing written in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(
    "estimator", SAMPLERS + TRANSFORMERS, ids=lambda e: type(e).__name__
)
@PROFILE
@given(data=st.data())
def test_random_input_gives_the_promised_output_or_a_clear_error(estimator, data):
    X = data.draw(images(), label="X")
    y = data.draw(labels(len(X)), label="y")
    try:
        out = _call(estimator, X, y)
    except (ValueError, TypeError) as error:
        assert _names_an_argument(error, estimator), repr(error)
        return
    if hasattr(estimator, "fit_resample"):
        X_res, y_res = out
        assert len(X_res) == len(y_res)
        assert type(X_res) is type(X)
        if isinstance(X, np.ndarray):
            assert X_res.dtype == X.dtype and X_res.shape[1:] == X.shape[1:]
    else:
        assert out.shape[0] == len(X) and out.ndim in (2, 4, 3)
        if out.dtype.kind == "f":
            assert np.isfinite(out).all()
