"""AugmentingOverSampler: plan, render, every input form, determinism."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from PIL import Image
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imgbalance.augment import (
    ColorJitter,
    Compose,
    RandomFlip,
    RandomRotation,
    default_augmenter,
)
from imgbalance.features import PixelFeatures
from imgbalance.over_sampling import AugmentingOverSampler
from imgbalance.augment._render import plan_augmentation
from imgbalance.utils import load_image

AUGMENTER = Compose([RandomRotation(20), RandomFlip(), ColorJitter(brightness=0.2)])


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (40, 12, 10, 3), dtype=np.uint8)
    y = np.array(["a"] * 25 + ["b"] * 10 + ["c"] * 5)
    return X, y


def test_keeps_originals_and_balances(data):
    X, y = data
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == np.uint8 and X_res.shape == (75, 12, 10, 3)
    np.testing.assert_array_equal(X_res[:40], X)
    assert Counter(y_res.tolist()) == {"a": 25, "b": 25, "c": 25}
    np.testing.assert_array_equal(sampler.sample_indices_[:40], np.arange(40))
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])
    assert len(sampler.augmentations_) == 35
    assert not any(np.array_equal(X_res[i], X_res[j]) for i, j in [(40, 41), (60, 61)])


def test_sources_are_drawn_evenly(data):
    X, y = data
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=1)
    sampler.fit_resample(X, y)
    synthetic_sources = sampler.sample_indices_[40:]
    for label, n_images in [("b", 10), ("c", 5)]:
        members = np.flatnonzero(y == label)
        sources = [s for s in synthetic_sources if y[s] == label]
        counts = Counter(sources)
        assert set(counts) == set(members)  # every image is used
        assert max(counts.values()) - min(counts.values()) <= 1
        # every source used once before any is used twice
        first_round = sources[:n_images]
        assert sorted(first_round) == sorted(members)


def test_variants_are_the_augmenter_applied_with_the_planned_seeds(data):
    X, y = data
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=3)
    X_res, _ = sampler.fit_resample(X, y)
    sources, seeds = plan_augmentation(
        y, sampler.sampling_strategy_, np.random.RandomState(3)
    )
    np.testing.assert_array_equal(sources, sampler.sample_indices_[40:])
    for k in [0, 7, 34]:
        expected, records = AUGMENTER.augment(
            X[sources[k]], np.random.default_rng(seeds[k])
        )
        np.testing.assert_array_equal(X_res[40 + k], expected)
        assert sampler.augmentations_[k] == records
    assert [r["transform"] for r in sampler.augmentations_[0]] == [
        "RandomRotation",
        "RandomFlip",
        "ColorJitter",
    ]


def test_same_pixels_whatever_n_jobs(data):
    X, y = data
    runs = []
    for n_jobs in (1, 2, 1):
        sampler = AugmentingOverSampler(
            augmenter=AUGMENTER, random_state=7, n_jobs=n_jobs
        )
        X_res, y_res = sampler.fit_resample(X, y)
        runs.append((X_res, y_res, sampler.augmentations_))
    for X_res, y_res, records in runs[1:]:
        np.testing.assert_array_equal(X_res, runs[0][0])
        np.testing.assert_array_equal(y_res, runs[0][1])
        assert records == runs[0][2]
    other = AugmentingOverSampler(augmenter=AUGMENTER, random_state=8).fit_resample(
        X, y
    )[0]
    assert not np.array_equal(other[40:], runs[0][0][40:])


@pytest.fixture
def png_paths(tmp_path, data):
    """The images of ``data`` saved as PNG files."""
    paths = []
    for i, image in enumerate(data[0]):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(image).save(paths[-1])
    return paths


def test_n_jobs_with_paths_gives_the_same_pixels(png_paths, data):
    paths, y = png_paths, data[1]
    one = AugmentingOverSampler(augmenter=AUGMENTER, random_state=2, n_jobs=1)
    two = AugmentingOverSampler(augmenter=AUGMENTER, random_state=2, n_jobs=2)
    out_one, _ = one.fit_resample(paths, y)
    out_two, _ = two.fit_resample(paths, y)
    assert out_one[:40] == paths and out_two[:40] == paths
    for a, b in zip(out_one[40:], out_two[40:]):
        np.testing.assert_array_equal(a, b)


def test_default_augmenter_is_used_and_recorded(data):
    X, y = data
    sampler = AugmentingOverSampler(random_state=0)
    sampler.fit_resample(X, y)
    assert repr(sampler.augmenter_) == repr(default_augmenter())
    assert sampler.augmenter is None
    assert [r["transform"] for r in sampler.augmentations_[0]] == [
        "RandomAffine",
        "ColorJitter",
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_images_stay_float_in_unit_range(dtype):
    rng = np.random.default_rng(0)
    X = rng.random((12, 8, 8)).astype(dtype)
    y = np.array([0] * 9 + [1] * 3)
    X_res, _ = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0).fit_resample(
        X, y
    )
    assert X_res.dtype == dtype and X_res.shape == (18, 8, 8)
    assert X_res.min() >= 0 and X_res.max() <= 1


def test_flattened_rows_with_image_shape_match_image_arrays(data):
    X, y = data
    images, _ = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0).fit_resample(
        X, y
    )
    rows, _ = AugmentingOverSampler(
        augmenter=AUGMENTER, random_state=0, image_shape=(12, 10, 3)
    ).fit_resample(X.reshape(40, -1), y)
    assert rows.shape == (75, 360)
    np.testing.assert_array_equal(rows, images.reshape(75, -1))
    frame = pd.DataFrame(X.reshape(40, -1)).add_prefix("px")
    out, _ = AugmentingOverSampler(
        augmenter=AUGMENTER, random_state=0, image_shape=(12, 10, 3)
    ).fit_resample(frame, y)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(frame.columns)
    np.testing.assert_array_equal(out.to_numpy(), rows)


def test_path_list_gives_paths_then_arrays(png_paths, data):
    paths, (X, y) = png_paths, data
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0)
    out, labels = sampler.fit_resample(paths, list(y))
    assert isinstance(out, list) and isinstance(labels, list) and len(out) == 75
    assert out[:40] == paths
    reference, _ = AugmentingOverSampler(
        augmenter=AUGMENTER, random_state=0
    ).fit_resample(X, y)
    for k in range(40, 75):
        assert isinstance(out[k], np.ndarray)
        np.testing.assert_array_equal(out[k], reference[k])


def test_pil_images_series_and_ragged_arrays():
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (8 + i, 6 + i, 3), dtype=np.uint8) for i in range(6)]
    y = [0, 0, 0, 0, 1, 1]
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0)
    out, _ = sampler.fit_resample(arrays, y)
    assert all(out[i] is arrays[i] for i in range(6))
    for k, source in enumerate(sampler.sample_indices_[6:], start=6):
        assert out[k].shape == arrays[source].shape  # each variant keeps its size
    pil = [Image.fromarray(a) for a in arrays]
    out_pil, _ = AugmentingOverSampler(
        augmenter=AUGMENTER, random_state=0
    ).fit_resample(pil, y)
    assert all(out_pil[i] is pil[i] for i in range(6))
    for k in range(6, 8):
        np.testing.assert_array_equal(out_pil[k], out[k])
    series = pd.Series(pil, name="image")
    out_series, y_series = AugmentingOverSampler(
        augmenter=AUGMENTER, random_state=0
    ).fit_resample(series, pd.Series(y, name="label"))
    assert isinstance(out_series, pd.Series) and out_series.name == "image"
    assert len(out_series) == 8 and y_series.name == "label"


def test_exif_orientation_is_applied_to_decoded_sources(tmp_path):
    paths = []
    for i in range(4):
        image = Image.fromarray(np.full((6, 10, 3), 40 * i, dtype=np.uint8))
        exif = image.getexif()
        exif[0x0112] = 6  # displayed rotated: 10 high, 6 wide
        paths.append(str(tmp_path / f"{i}.jpg"))
        image.save(paths[-1], exif=exif)
    out, _ = AugmentingOverSampler(augmenter=RandomFlip(), random_state=0).fit_resample(
        paths, [0, 0, 0, 1]
    )
    assert load_image(paths[0]).shape == (10, 6, 3)
    assert out[4].shape == (10, 6, 3) and out[5].shape == (10, 6, 3)


def test_clone_and_grid_search_over_an_augmenter_parameter():
    rng = np.random.default_rng(0)
    y = np.array([0] * 60 + [1] * 20)
    X = rng.integers(0, 100, (80, 8, 8, 3)).astype(np.uint8)
    X[y == 1] += 120
    sampler = AugmentingOverSampler(augmenter=AUGMENTER, random_state=0)
    copy = clone(sampler)
    assert copy.augmenter is not sampler.augmenter
    assert copy.get_params()["augmenter__randomrotation__degrees"] == 20
    pipeline = Pipeline(
        [
            ("sampler", sampler),
            ("features", PixelFeatures()),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        {
            "sampler__augmenter__randomrotation__degrees": [0, 15, 30],
            "sampler__augmenter__colorjitter__brightness": [0.0, 0.2],
        },
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        n_jobs=2,
        error_score="raise",
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    degrees = (
        search.best_estimator_.named_steps["sampler"].augmenter.transforms[0].degrees
    )
    assert degrees == search.best_params_["sampler__augmenter__randomrotation__degrees"]
    assert AUGMENTER.transforms[0].degrees == 20  # the original is untouched


def test_errors():
    X = np.zeros((6, 4, 4))
    y = [0, 0, 0, 0, 1, 1]
    with pytest.raises(
        TypeError, match="needs dense pixel values; got a sparse matrix"
    ):
        AugmentingOverSampler().fit_resample(sparse.csr_matrix(np.ones((6, 16))), y)
    X_nan = X.copy()
    X_nan[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        AugmentingOverSampler().fit_resample(X_nan, y)
    with pytest.raises(
        ValueError, match=r"image_shape=\(3, 3\) holds 9 values per image"
    ):
        AugmentingOverSampler(image_shape=(3, 3)).fit_resample(np.zeros((6, 16)), y)
    with pytest.raises(
        ValueError, match="'augmenter' parameter of AugmentingOverSampler"
    ):
        AugmentingOverSampler(augmenter="flip").fit_resample(X, y)


def test_same_pixels_with_every_way_of_running_jobs(data, monkeypatch):
    """Threads write in place, local processes into a shared file, other
    backends send images back; all give the serial pixels."""
    import glob

    from joblib import parallel_config

    from imgbalance.augment import _render
    from imgbalance.over_sampling import _augmenting

    # other processes of this machine may have files there: ours must go
    shared_before = set(glob.glob("/dev/shm/imgbalance-*"))
    X, y = data
    X = np.repeat(X, 3, axis=0)  # enough samples for several chunks
    y = np.repeat(y, 3)

    def run(n_jobs):
        sampler = AugmentingOverSampler(
            augmenter=AUGMENTER, random_state=5, n_jobs=n_jobs
        )
        X_res, _ = sampler.fit_resample(X, y)
        return X_res, sampler.augmentations_

    expected, expected_records = run(1)
    cv2 = pytest.importorskip("cv2") if _render.opencv_available() else None
    threads = cv2.getNumThreads() if cv2 else None
    results = {"processes": run(2)}
    with parallel_config(backend="threading"):
        results["threads"] = run(2)
    with monkeypatch.context() as patch:
        patch.setattr(_augmenting, "backend_kind", lambda: "other")
        patch.setattr(_render, "backend_kind", lambda: "other")
        results["other"] = run(2)
    with monkeypatch.context() as patch:
        original = _render.SharedOutput.__init__
        patch.setattr(
            _render.SharedOutput,
            "__init__",
            lambda self, shape, dtype: original(
                self, shape, dtype, folder="/no/such/dir"
            ),
        )
        results["no shared memory"] = run(2)
    for name, (X_res, records) in results.items():
        np.testing.assert_array_equal(X_res, expected, err_msg=name)
        assert records == expected_records, name
    assert set(glob.glob("/dev/shm/imgbalance-*")) <= shared_before
    if cv2 is not None:  # the user's OpenCV setting is left as it was
        assert cv2.getNumThreads() == threads
    shared_result = results["processes"][0]
    shared_result[0] = 0  # an ordinary, writable array
    assert shared_result.flags.writeable and shared_result[0].max() == 0


def test_any_object_with_augment_is_an_augmenter():
    """The parameter takes what has an ``augment(image, rng)`` method, not
    only this package's augmentations (it once failed on a missing private
    method of theirs)."""
    from sklearn.base import BaseEstimator

    class UpsideDown(BaseEstimator):
        def augment(self, image, rng=None):
            return image[::-1].copy(), [{"transform": "UpsideDown"}]

    X = np.arange(6 * 4 * 4, dtype=np.uint8).reshape(6, 4, 4)
    y = np.array([0, 0, 0, 0, 1, 1])
    sampler = AugmentingOverSampler(augmenter=UpsideDown(), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape == (8, 4, 4)
    assert y_res.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    sources = sampler.sample_indices_[6:]
    np.testing.assert_array_equal(X_res[6:], X[sources][:, ::-1])
    assert sampler.augmentations_ == [[{"transform": "UpsideDown"}]] * 2
