"""RandomImageOverSampler and RandomImageUnderSampler on every input form."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

import imgbalance
from imgbalance.features import PixelFeatures
from imgbalance.over_sampling import RandomImageOverSampler
from imgbalance.under_sampling import RandomImageUnderSampler

SAMPLER_PAIRS = [
    (RandomImageOverSampler, RandomOverSampler),
    (RandomImageUnderSampler, RandomUnderSampler),
]


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (60, 6, 5, 3), dtype=np.uint8)
    y = np.repeat(["a", "b", "c"], [30, 20, 10])
    return X, y


def test_reexported_from_package():
    assert imgbalance.RandomImageOverSampler is RandomImageOverSampler
    assert imgbalance.RandomImageUnderSampler is RandomImageUnderSampler


STRATEGIES_MULTICLASS = [
    "auto",
    "all",
    "not majority",
    "not minority",
    {"a": 40, "b": 30, "c": 30},
    lambda y: {"c": 25},
]
STRATEGIES_UNDER = [
    "auto",
    "all",
    "majority",
    "not minority",
    "not majority",
    {"a": 10, "b": 15},
    lambda y: {"a": 12},
]


@pytest.mark.parametrize(
    "ours, theirs, strategy",
    [(RandomImageOverSampler, RandomOverSampler, s) for s in STRATEGIES_MULTICLASS]
    + [(RandomImageOverSampler, RandomOverSampler, "minority")]
    + [(RandomImageUnderSampler, RandomUnderSampler, s) for s in STRATEGIES_UNDER],
)
def test_same_draws_as_imblearn_on_flattened_images(images, ours, theirs, strategy):
    X, y = images
    sampler = ours(sampling_strategy=strategy, random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    reference = theirs(sampling_strategy=strategy, random_state=3)
    X_ref, y_ref = reference.fit_resample(X.reshape(len(X), -1), y)

    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)
    assert sampler.sampling_strategy_ == reference.sampling_strategy_
    np.testing.assert_array_equal(X_res.reshape(len(X_res), -1), X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert X_res.dtype == np.uint8 and X_res.shape[1:] == X.shape[1:]


@pytest.mark.parametrize("ratio", [0.8, 1.0])
@pytest.mark.parametrize("ours, theirs", SAMPLER_PAIRS)
def test_float_strategy_binary(images, ours, theirs, ratio):
    X, y = images
    keep = y != "c"
    X, y = X[keep], y[keep]
    sampler = ours(sampling_strategy=ratio, random_state=1)
    _, y_res = sampler.fit_resample(X, y)
    reference = theirs(sampling_strategy=ratio, random_state=1)
    reference.fit_resample(X.reshape(len(X), -1), y)
    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)
    counts = Counter(y_res)
    assert min(counts.values()) / max(counts.values()) == pytest.approx(ratio, abs=0.05)


def test_over_sampler_balances_and_keeps_originals_first(images):
    X, y = images
    sampler = RandomImageOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {"a": 30, "b": 30, "c": 30}
    np.testing.assert_array_equal(X_res[:60], X)
    np.testing.assert_array_equal(sampler.sample_indices_[:60], np.arange(60))
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    assert sampler.sampling_strategy_ == {"b": 10, "c": 20}


def test_under_sampler_keeps_a_subset_of_each_class(images):
    X, y = images
    sampler = RandomImageUnderSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {"a": 10, "b": 10, "c": 10}
    assert len(set(sampler.sample_indices_)) == 30
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])


def test_under_sampler_with_replacement(images):
    X, y = images
    sampler = RandomImageUnderSampler(replacement=True, random_state=0)
    sampler.fit_resample(X, y)
    reference = RandomUnderSampler(replacement=True, random_state=0)
    reference.fit_resample(X.reshape(60, -1), y)
    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)


@pytest.mark.parametrize("Sampler", [RandomImageOverSampler, RandomImageUnderSampler])
@pytest.mark.parametrize(
    "shape, dtype",
    [
        ((60, 6, 5), np.uint8),
        ((60, 6, 5, 1), np.uint8),
        ((60, 6, 5, 4), np.uint16),
        ((60, 6, 5, 3), np.float32),
        ((60, 6, 5), np.float64),
        ((60, 6, 5), bool),
        ((60, 30), np.uint8),
    ],
)
def test_arrays_keep_dtype_and_trailing_shape(Sampler, shape, dtype):
    rng = np.random.default_rng(1)
    X = (rng.random(shape) * 200).astype(dtype)
    y = np.repeat([0, 1], [45, 15])
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, np.ndarray)
    assert X_res.dtype == dtype and X_res.shape[1:] == shape[1:]
    assert X_res.shape[0] == len(y_res) == len(sampler.sample_indices_)
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    assert sampler.n_features_in_ == int(np.prod(shape[1:]))


def test_non_contiguous_images(images):
    X, y = images
    X_view = X[:, ::2, :, ::-1]
    X_res, _ = RandomImageOverSampler(random_state=0).fit_resample(X_view, y)
    np.testing.assert_array_equal(X_res[:60], X_view)


@pytest.fixture
def path_list(empty_files):
    return empty_files(12), [0] * 9 + [1] * 3


@pytest.mark.parametrize("Sampler", [RandomImageOverSampler, RandomImageUnderSampler])
def test_path_list_in_list_out_never_decoded(path_list, Sampler):
    paths, y = path_list
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(paths, y)
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res == [paths[i] for i in sampler.sample_indices_]
    assert all(type(p) is str for p in X_res)
    assert y_res == [y[i] for i in sampler.sample_indices_]
    assert not hasattr(sampler, "n_features_in_")


def test_tuple_in_list_out(path_list):
    paths, y = path_list
    X_res, _ = RandomImageOverSampler(random_state=0).fit_resample(tuple(paths), y)
    assert isinstance(X_res, list) and len(X_res) == 18


def test_series_in_series_out(path_list):
    paths, y = path_list
    X = pd.Series(paths, name="path", index=range(100, 112))
    y = pd.Series(y, name="label")
    sampler = RandomImageOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, pd.Series) and X_res.name == "path"
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    assert X_res.tolist() == [paths[i] for i in sampler.sample_indices_]
    assert list(X_res.index) == list(range(18))


def test_string_array_in_string_array_out(path_list):
    paths, y = path_list
    X = np.array(paths)
    X_res, _ = RandomImageOverSampler(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, np.ndarray) and X_res.dtype == X.dtype


def test_object_array_of_ragged_arrays():
    rng = np.random.default_rng(0)
    items = np.empty(6, dtype=object)
    for i in range(6):
        items[i] = rng.integers(0, 255, (4 + i, 5, 3), dtype=np.uint8)
    sampler = RandomImageOverSampler(random_state=0)
    X_res, _ = sampler.fit_resample(items, [0, 0, 0, 0, 1, 1])
    assert isinstance(X_res, np.ndarray) and X_res.dtype == object and X_res.ndim == 1
    assert all(X_res[k] is items[i] for k, i in enumerate(sampler.sample_indices_))


def test_pil_list_in_list_out():
    pil = [Image.new("RGB", (4 + i, 4)) for i in range(5)]
    sampler = RandomImageOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(pil, ["x", "x", "x", "y", "y"])
    assert all(a is pil[i] for a, i in zip(X_res, sampler.sample_indices_))
    assert Counter(y_res) == {"x": 3, "y": 3}


def test_hundred_thousand_paths(empty_files):
    paths = empty_files(100) * 1000
    y = np.zeros(len(paths), dtype=int)
    y[:10_000] = 1
    X_res, y_res = RandomImageOverSampler(random_state=0).fit_resample(paths, y)
    assert isinstance(X_res, list) and len(X_res) == 180_000
    assert Counter(y_res.tolist()) == {0: 90_000, 1: 90_000}


@pytest.mark.parametrize("Sampler", [RandomImageOverSampler, RandomImageUnderSampler])
def test_same_seed_same_output(images, Sampler):
    X, y = images
    a = Sampler(random_state=7).fit_resample(X, y)[0]
    b = Sampler(random_state=7).fit_resample(X, y)[0]
    c = Sampler(random_state=8).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def _two_class_images(n=90, seed=0):
    """Bright or dark squares, imbalanced 2:1."""
    rng = np.random.default_rng(seed)
    y = np.array([0] * (2 * n // 3) + [1] * (n // 3))
    X = rng.integers(0, 100, (n, 8, 8, 3)).astype(np.uint8)
    X[y == 1] += 120
    return X, y


def _grid_search(X, y, size=None):
    pipeline = Pipeline(
        [
            ("sampler", RandomImageOverSampler(random_state=0)),
            ("features", PixelFeatures(size=size)),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    grid = [
        {"sampler": ["passthrough"], "clf__class_weight": [None, "balanced"]},
        {
            "sampler": [
                RandomImageOverSampler(random_state=0),
                RandomImageUnderSampler(random_state=0),
            ],
            "sampler__sampling_strategy": ["auto", "all"],
        },
    ]
    search = GridSearchCV(
        pipeline,
        grid,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        n_jobs=2,
        error_score="raise",
    )
    return search.fit(X, y)


def test_pipeline_grid_search_on_image_arrays():
    X, y = _two_class_images()
    search = _grid_search(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ == 1.0
    np.testing.assert_array_equal(search.predict(X), y)


def test_pipeline_grid_search_on_path_lists(tmp_path):
    X, y = _two_class_images()
    paths = []
    for i, image in enumerate(X):
        path = tmp_path / f"{y[i]}_{i:03d}.png"
        Image.fromarray(image).save(path)
        paths.append(str(path))
    search = _grid_search(paths, y, size=(4, 4))
    assert len(search.cv_results_["params"]) == 6
    assert search.best_score_ == 1.0
    np.testing.assert_array_equal(search.predict(paths), y)
