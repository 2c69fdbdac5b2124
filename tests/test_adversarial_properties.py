"""The input contract under random input (Hypothesis), beyond
``test_contract_properties.py``: pandas containers with odd indexes,
classes of one image, the scale rule of the extractors (values outside a
dtype's range clipped, with one warning, as ImageLoader does), NaN and
infinity, the hashes, and collections of the odd files of
``tests/odd_files.py`` (every mode Pillow writes, broken files, bombs).
Every estimator either returns output of the promised form or raises a
ValueError, TypeError or FileNotFoundError that names the input.

``IMGBALANCE_ADVERSARIAL=full`` draws more examples."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adversarial import scaled
from imgbalance.duplicates import find_duplicates, perceptual_hash
from imgbalance.features import (
    ColorHistogram,
    GaborFeatures,
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
from imgbalance.under_sampling import RandomImageUnderSampler
from odd_files import make_odd_folder

PROFILE = settings(
    max_examples=scaled(25, 250),
    deadline=None,
    derandomize=True,  # the same examples in every run
    database=None,  # nothing written in the working tree
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
ERRORS = (ValueError, TypeError, FileNotFoundError)


def _quiet(call, *args):
    """``call(*args)`` with the warnings it gives (a list of messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call(*args)
    return out, [str(w.message) for w in caught]


def _names_the_input(error):
    message = str(error)
    return any(word in message for word in ("X", "y", "image", "file"))


@st.composite
def odd_index(draw, n):
    """An index of ``n`` entries a user's frame may carry: shuffled,
    repeated, strings, dates, a range not from 0."""
    kind = draw(st.sampled_from(["shuffled", "repeated", "strings", "dates", "from"]))
    if kind == "shuffled":
        return pd.Index(draw(st.permutations(range(n))))
    if kind == "repeated":
        return pd.Index([draw(st.integers(0, 2)) for _ in range(n)])
    if kind == "strings":
        return pd.Index([f"img{i}" for i in range(n)][::-1])
    if kind == "dates":
        return pd.date_range("2024-01-01", periods=n)
    return pd.RangeIndex(1000, 1000 + n)


@st.composite
def labelled(draw):
    """Images (an array or a pandas container with an odd index) and labels
    (codes, names or categories, one of them without an image) with a class
    of one image now and then."""
    n = draw(st.integers(2, 9))
    codes = [i % 2 for i in range(n)]
    codes[-1] = draw(st.sampled_from([0, 1, 2]))  # 2: a class of one image
    seed = draw(st.integers(0, 2**16))
    pixels = np.random.default_rng(seed).integers(0, 256, (n, 5, 5), dtype=np.uint8)
    container = draw(st.sampled_from(["array", "series", "frame", "list"]))
    index = draw(odd_index(n))
    y = pd.Series(codes, index=draw(odd_index(n)))  # y's index: another
    kind = draw(st.sampled_from(["codes", "names", "categories"]))
    if kind == "names":
        y = y.map({0: "cat", 1: "dog", 2: "owl"})
    elif kind == "categories":  # with a class that has no image
        names = pd.Categorical.from_codes(codes, ["cat", "dog", "owl", "emu"])
        y = pd.Series(names, index=y.index)
    if container == "series":
        X = pd.Series(list(pixels), index=index)
    elif container == "frame":
        X = pd.DataFrame(pixels.reshape(n, -1), index=index)
    elif container == "list":
        X = list(pixels)
    else:
        X = pixels
    return X, y


SAMPLERS = [
    RandomImageOverSampler(random_state=0),
    RandomImageUnderSampler(random_state=0),
    AugmentingOverSampler(random_state=0),
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
@PROFILE
@given(data=labelled())
def test_pandas_containers_with_odd_indexes_come_back_as_they_came(sampler, data):
    X, y = data
    try:
        (X_res, y_res), _ = _quiet(sampler.fit_resample, X, y)
    except ERRORS as error:
        assert _names_the_input(error), repr(error)
        return
    assert type(X_res) is type(X) and type(y_res) is type(y)
    assert len(X_res) == len(y_res)
    # every output is an input's image (a variant, for augmentation) with the
    # input's label; a DataFrame's index is imbalanced-learn's (a new one)
    positions = sampler.sample_indices_
    np.testing.assert_array_equal(np.asarray(y_res), np.asarray(y)[positions])
    rows = np.stack([np.asarray(x).ravel() for x in np.asarray(X_res, dtype=object)])
    source = np.stack([np.asarray(x).ravel() for x in np.asarray(X, dtype=object)])
    if isinstance(sampler, AugmentingOverSampler):
        positions = positions[: len(X)]  # the originals, first
    np.testing.assert_array_equal(rows[: len(positions)], source[positions])


@st.composite
def scaled_images(draw):
    """A batch of 8x8 images of a dtype and a range of values, inside or
    outside what the dtype is read on."""
    dtype = draw(st.sampled_from(["float32", "float64", "int64", "int16", "uint16"]))
    low, high = draw(
        st.sampled_from([(0, 1), (0, 255), (-1, 1), (-300, 300), (0, 65535)])
    )
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).uniform(low, high, (3, 8, 8))
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is not None:
        values = np.clip(np.rint(values), info.min, info.max)
    return values.astype(dtype)


EXTRACTORS = [
    PixelFeatures(),
    ColorHistogram(bins=4),
    GaborFeatures(frequencies=(0.25,), n_orientations=2),
    HOGFeatures(pixels_per_cell=(4, 4), cells_per_block=(1, 1)),
    LBPFeatures(),
]
FULL_SCALE = {"uint16": 65535, "float32": 1, "float64": 1, "int64": 255, "int16": 255}


@pytest.mark.parametrize("extractor", EXTRACTORS, ids=lambda e: type(e).__name__)
@PROFILE
@given(X=scaled_images())
def test_the_scale_rule_clips_what_lies_outside_and_says_so(extractor, X):
    top = FULL_SCALE[X.dtype.name]
    outside = X.min() < 0 or X.max() > top
    features, said = _quiet(extractor.fit_transform, X)
    assert features.dtype == np.float32 and np.isfinite(features).all()
    if outside:
        assert len(said) == 1 and "they were clipped" in said[0], said
        clipped, _ = _quiet(extractor.fit_transform, np.clip(X, 0, top).astype(X.dtype))
        # (float32 sums may differ in the last bit with the arrays' alignment)
        np.testing.assert_allclose(features, clipped, rtol=1e-5, atol=1e-7)
    else:
        assert said == []
    if isinstance(extractor, PixelFeatures):
        assert 0 <= features.min() and features.max() <= 1


@st.composite
def with_non_finite(draw):
    n = draw(st.integers(1, 6))
    X = np.random.default_rng(draw(st.integers(0, 99))).random((n, 8, 8))
    at = draw(st.integers(0, n - 1))
    X[at, draw(st.integers(0, 7)), draw(st.integers(0, 7))] = draw(
        st.sampled_from([np.nan, np.inf, -np.inf])
    )
    return X if draw(st.booleans()) else list(X)


@PROFILE
@given(X=with_non_finite())
def test_nan_and_infinity_are_refused_by_hashes_and_random_samplers(X):
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        perceptual_hash(X)
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        find_duplicates(X)
    y = [i % 2 for i in range(len(X))]
    if len(set(y)) > 1:
        for Sampler in (RandomImageOverSampler, RandomImageUnderSampler):
            with pytest.raises(ValueError, match=r"NaN|infinity"):
                Sampler(random_state=0).fit_resample(X, y)


# -- collections of odd files ---------------------------------------------------


@pytest.fixture(scope="module")
def odd_paths(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd-properties")
    make_odd_folder(root / "src")
    odd = root / "src" / "odd"
    return sorted(str(odd / name) for name in os.listdir(odd) if name != "bomb.png")


FILE_ESTIMATORS = [
    RandomImageOverSampler(random_state=0),
    AugmentingOverSampler(random_state=0),
    EmbeddingSMOTE(random_state=0, k_neighbors=1),
    ImageLoader(size=(8, 8)),
    PixelFeatures(size=(8, 8)),
    ColorHistogram(bins=4),
]


@pytest.mark.parametrize("estimator", FILE_ESTIMATORS, ids=lambda e: type(e).__name__)
@PROFILE
@given(data=st.data())
def test_odd_files_give_output_or_an_error_naming_the_file(estimator, odd_paths, data):
    paths = data.draw(
        st.lists(st.sampled_from(odd_paths), min_size=4, max_size=8), label="paths"
    )
    y = [i % 2 for i in range(len(paths))]
    call = getattr(estimator, "fit_resample", None) or estimator.fit_transform
    try:
        out, _ = _quiet(call, paths, y)
    except ERRORS as error:
        message = str(error)
        named = [p for p in paths if repr(p) in message or p in message]
        assert named or "X[" in message or "images of" in message, message
        return
    if hasattr(estimator, "fit_resample"):
        X_res, y_res = out
        assert len(X_res) == len(y_res) >= len(paths)
        assert X_res[: len(paths)] == paths  # the originals, as they were
    else:
        assert len(out) == len(paths) and np.isfinite(out).all()
