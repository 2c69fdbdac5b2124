"""Scale-out: every parallel loop goes through joblib, so a Dask cluster
(``joblib.parallel_config(backend="dask")``) gives the serial results."""


import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from joblib import parallel_config
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (the test extra has it)"
)

from folders import tree_hashes  # noqa: E402
from imgbalance.features import HOGFeatures, LBPFeatures, PixelFeatures  # noqa: E402
from imgbalance.folder import balance_folder  # noqa: E402
from imgbalance.over_sampling import (  # noqa: E402
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import RandomImageUnderSampler  # noqa: E402


@pytest.fixture(scope="module")
def dask_client():
    """Two worker processes on loopback, torn down after the module."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (60, 24, 24, 3), dtype=np.uint8)
    y = np.array([0] * 40 + [1] * 12 + [2] * 8)
    return X, y


def on_dask(function):
    with parallel_config(backend="dask"):
        return function()


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandomImageOverSampler(random_state=0),
        lambda: RandomImageUnderSampler(random_state=0),
        lambda: AugmentingOverSampler(random_state=0, n_jobs=2),
        lambda: EmbeddingSMOTE(random_state=0, n_jobs=2),
        lambda: EmbeddingSMOTE(generation="interpolate", random_state=0, n_jobs=2),
    ],
    ids=["random-over", "random-under", "augmenting", "smote", "smote-interpolate"],
)
def test_samplers(dask_client, data, make):
    X, y = data
    serial = make()
    if "n_jobs" in serial.get_params():
        serial.set_params(n_jobs=None)
    expected_X, expected_y = serial.fit_resample(X, y)
    X_res, y_res = on_dask(lambda: make().fit_resample(X, y))
    np.testing.assert_array_equal(X_res, expected_X)
    np.testing.assert_array_equal(y_res, expected_y)


def test_augmenting_paths(dask_client, data, tmp_path):
    X, y = data
    paths = []
    for i, image in enumerate(X):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(image).save(paths[-1])
    expected, _ = AugmentingOverSampler(random_state=1).fit_resample(paths, y)
    out, _ = on_dask(
        lambda: AugmentingOverSampler(random_state=1, n_jobs=2).fit_resample(paths, y)
    )
    assert out[: len(paths)] == paths
    np.testing.assert_array_equal(np.stack(out[len(paths) :]), expected[len(paths) :])


@pytest.mark.parametrize(
    "extractor",
    [
        HOGFeatures(pixels_per_cell=(6, 6), backend="default"),
        HOGFeatures(pixels_per_cell=(6, 6), backend="auto"),
        LBPFeatures(grid=(2, 2), backend="default"),
        LBPFeatures(grid=(2, 2), backend="auto"),
    ],
    ids=repr,
)
def test_feature_extractors(dask_client, data, extractor):
    X, _ = data
    expected = extractor.set_params(n_jobs=None).fit_transform(X)
    parallel = extractor.set_params(n_jobs=2)
    np.testing.assert_array_equal(on_dask(lambda: parallel.fit_transform(X)), expected)


def test_grid_search(dask_client, data):
    X, y = data
    pipeline = Pipeline(
        [
            ("sampler", AugmentingOverSampler(random_state=0)),
            ("features", PixelFeatures()),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    grid = {
        "sampler": [
            "passthrough",
            AugmentingOverSampler(random_state=0),
            RandomImageOverSampler(random_state=0),
        ],
        "clf__C": [0.1, 1.0],
    }
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    serial = GridSearchCV(pipeline, grid, cv=cv, scoring="balanced_accuracy")
    serial.fit(X, y)
    parallel = GridSearchCV(
        pipeline, grid, cv=cv, scoring="balanced_accuracy", n_jobs=2
    )
    on_dask(lambda: parallel.fit(X, y))
    np.testing.assert_array_equal(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize("method", ["augment", "random", "smote"])
def test_folder_balancing(dask_client, data, tmp_path, method, monkeypatch):
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")  # this little work: to dask
    X, y = data
    src = tmp_path / "src"
    for i, (image, label) in enumerate(zip(X, y)):
        (src / f"class {label}").mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(src / f"class {label}" / f"{i:03d}.png")
    balance_folder(src, tmp_path / "serial", method=method, seed=2)
    on_dask(
        lambda: balance_folder(src, tmp_path / "dask", method=method, seed=2, n_jobs=2)
    )
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "serial")
