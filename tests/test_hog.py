"""HOGFeatures and hog_batch against scikit-image's hog."""

import re

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from PIL import Image
from skimage import data
from skimage.feature import hog
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imgbalance.datasets import load_image_folder
from imgbalance.features import HOGFeatures, hog_batch
from imgbalance.over_sampling import AugmentingOverSampler, RandomImageOverSampler

PARAMETER_SETS = [
    dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2)),
    dict(
        orientations=8, pixels_per_cell=(7, 5), cells_per_block=(3, 2), block_norm="L1"
    ),
    dict(
        orientations=12, pixels_per_cell=(6, 6), cells_per_block=(1, 1), block_norm="L2"
    ),
    dict(
        orientations=7,
        pixels_per_cell=(5, 9),
        cells_per_block=(2, 3),
        block_norm="L1-sqrt",
    ),
    dict(
        orientations=4,
        pixels_per_cell=(4, 4),
        cells_per_block=(3, 3),
        transform_sqrt=True,
    ),
]


# An angle within this many degrees of a bin edge may fall on either side of
# it: numpy's arctan2 and the C library's atan2 (what compiled code calls)
# may differ in the last bit, and an angle exactly on an edge then changes
# bin. 1e-9 degrees is about 35 000 ulp of 180 degrees, and 1e-8 of the
# narrowest bin width tested (5 degrees): a real binning error is far larger.
EDGE_TOLERANCE_DEGREES = 1e-9


def assert_bins_match_the_exact_formula(bins, g_row, g_col, edges):
    """``bins`` are scikit-image's bins of the gradients (``arctan2`` in
    degrees modulo 180 against ``edges``; ``len(edges) - 1`` for an angle
    that rounds to 180, which scikit-image counts nowhere), except that an
    angle within EDGE_TOLERANCE_DEGREES of an edge may take the bin on
    either side of that edge (0 and 180 being one edge)."""
    from imgbalance.features._hog import _bins_of

    n_bins = len(edges) - 1
    exact = np.arctan2(g_row, g_col) * (180 / np.pi) % 180
    expected = _bins_of(exact, edges)
    distance = np.abs(exact[:, None] - edges[None, :])
    nearest = distance.argmin(axis=1)
    on_edge = distance[np.arange(len(exact)), nearest] <= EDGE_TOLERANCE_DEGREES
    # the bins on either side of the nearest edge (the wrap: 0 is 180)
    below = np.where((nearest == 0) | (nearest == n_bins), n_bins - 1, nearest - 1)
    above = np.where(nearest == n_bins, n_bins, nearest)
    wrap = (nearest == 0) | (nearest == n_bins)
    allowed = (
        (bins == expected)
        | (on_edge & ((bins == below) | (bins == above)))
        | (on_edge & wrap & ((bins == 0) | (bins == n_bins)))
    )
    wrong = np.flatnonzero(~allowed)
    assert len(wrong) == 0, (
        f"{len(wrong)} gradients binned wrongly, first at {wrong[0]}: "
        f"({g_row[wrong[0]]!r}, {g_col[wrong[0]]!r}), angle {exact[wrong[0]]!r}, "
        f"bin {bins[wrong[0]]}, expected {expected[wrong[0]]}"
    )


def reference(images, **params):
    channel_axis = -1 if images.ndim == 4 else None
    return np.stack(
        [hog(image, channel_axis=channel_axis, **params) for image in images]
    )


@pytest.mark.parametrize("params", PARAMETER_SETS)
@pytest.mark.parametrize(
    "shape", [(64, 64), (64, 64, 3), (37, 50), (45, 33, 4), (128, 96)]
)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64, np.uint16])
def test_equal_to_skimage_on_random_images(params, shape, dtype, feature_backend):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (3,) + shape).astype(dtype)
    if dtype in (np.float32, np.float64):
        images = (images / 255).astype(dtype)
    np.testing.assert_allclose(
        hog_batch(images, **params, backend=feature_backend),
        reference(images, **params),
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "image",
    [
        data.camera()[:200, :256],
        data.astronaut()[100:260, 50:250],
        data.coins(),
        data.checkerboard(),
        data.text(),
        data.coffee()[:160, :160],
    ],
    ids=["camera", "astronaut", "coins", "checkerboard", "text", "coffee"],
)
@pytest.mark.parametrize("params", PARAMETER_SETS[:3])
def test_equal_to_skimage_on_real_images(image, params, feature_backend):
    images = image[None]
    np.testing.assert_allclose(
        hog_batch(images, **params, backend=feature_backend),
        reference(images, **params),
        atol=1e-5,
    )


@pytest.mark.parametrize("orientations", [4, 8, 12])
def test_gradients_exactly_on_bin_edges(orientations, feature_backend):
    yy, xx = np.mgrid[0:48, 0:48]
    stripes = (
        np.stack(
            [((xx + yy) % 8 < 4), ((xx - yy) % 6 < 3), (xx % 5 < 2), (yy % 4 < 2)]
        ).astype(np.uint8)
        * 200
    )
    params = dict(
        orientations=orientations, pixels_per_cell=(8, 8), cells_per_block=(2, 2)
    )
    np.testing.assert_allclose(
        hog_batch(stripes, **params, backend=feature_backend),
        reference(stripes, **params),
        atol=1e-5,
    )


def test_transformer_output_and_names():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (6, 32, 40, 3), dtype=np.uint8)
    model = HOGFeatures(pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    features = model.fit_transform(X)
    assert features.dtype == np.float32 and features.shape == (6, 3 * 4 * 2 * 2 * 9)
    np.testing.assert_allclose(
        features, reference(X, cells_per_block=(2, 2)), atol=1e-5
    )
    assert model.n_features_out_ == features.shape[1]
    names = model.get_feature_names_out()
    assert names[0] == "hog0" and len(names) == features.shape[1]
    frame = model.set_output(transform="pandas").transform(X)
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(names)


def test_paths_pil_and_flattened_input_give_the_array_features(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (4, 24, 24), dtype=np.uint8)
    expected = HOGFeatures().fit_transform(X)
    paths = []
    for i, image in enumerate(X):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(image).save(paths[-1])
    np.testing.assert_array_equal(HOGFeatures().fit_transform(paths), expected)
    pil = [Image.fromarray(image) for image in X]
    np.testing.assert_array_equal(HOGFeatures().fit_transform(pil), expected)
    flat = HOGFeatures(image_shape=(24, 24)).fit_transform(X.reshape(4, -1))
    np.testing.assert_array_equal(flat, expected)


def test_size_resizes_ragged_images():
    rng = np.random.default_rng(2)
    items = [
        rng.integers(0, 256, (30 + 3 * i, 28, 3), dtype=np.uint8) for i in range(3)
    ]
    with pytest.raises(
        ValueError, match=re.escape("X[1] is 33x28 pixels (h x w) but X[0] is 30x28;")
    ):
        HOGFeatures().fit(items)
    features = HOGFeatures(size=(32, 32)).fit_transform(items)
    assert features.shape == (3, 3 * 3 * 2 * 2 * 9)


def test_errors():
    with pytest.raises(ValueError, match=r"too small for pixels_per_cell=\(8, 8\)"):
        HOGFeatures().fit(np.zeros((2, 12, 40)))
    with pytest.raises(
        ValueError, match="pixels_per_cell must be two positive integers"
    ):
        HOGFeatures(pixels_per_cell=(8, 0)).fit(np.zeros((2, 32, 32)))
    with pytest.raises(ValueError, match="'block_norm' parameter of HOGFeatures"):
        HOGFeatures(block_norm="L3").fit(np.zeros((2, 32, 32)))
    # negative floats are outside the 0..1 floats are read on: clipped, said
    with pytest.warns(UserWarning, match=r"float values from -1 to -1, outside"):
        negative = HOGFeatures(transform_sqrt=True).fit_transform(
            np.full((2, 32, 32), -1.0)
        )
    zeros = HOGFeatures(transform_sqrt=True).fit_transform(np.zeros((2, 32, 32)))
    np.testing.assert_array_equal(negative, zeros)
    model = HOGFeatures().fit(np.zeros((2, 32, 32)))
    with pytest.raises(
        ValueError, match="X has 1600 features per image, but HOGFeatures"
    ):
        model.transform(np.zeros((2, 40, 40)))


@pytest.mark.parametrize("Sampler", [RandomImageOverSampler, AugmentingOverSampler])
def test_grid_search_pipeline_on_png_folder(tmp_path, Sampler):
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:32, 0:32]
    for label, count in [("horizontal", 24), ("vertical", 8)]:
        (tmp_path / label).mkdir()
        for i in range(count):
            stripes = ((yy if label == "horizontal" else xx) // 4 % 2) * 180
            noise = rng.integers(0, 60, (32, 32))
            image = np.clip(stripes + noise, 0, 255).astype(np.uint8)
            Image.fromarray(image).save(tmp_path / label / f"{i:02d}.png")
    dataset = load_image_folder(tmp_path)
    pipeline = Pipeline(
        [
            ("sampler", Sampler(random_state=0)),
            ("features", HOGFeatures()),
            ("clf", LogisticRegression(class_weight="balanced", max_iter=1000)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        {"features__orientations": [4, 9], "clf__C": [0.1, 1.0]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        n_jobs=2,
        error_score="raise",
    )
    search.fit(dataset.paths, dataset.target)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_score_ == 1.0
    np.testing.assert_array_equal(search.predict(dataset.paths), dataset.target)


def test_angle_rounding_to_180_counts_in_no_bin(feature_backend):
    """arctan2 of a tiny negative row gradient is 180 after `% 180`:
    scikit-image counts that pixel in no bin, and so must we."""
    from imgbalance.features._hog import _orientation_bins

    bins = _orientation_bins(
        np.array([-1e-17, 1e-17, 0.0]), np.array([0.2, 0.2, 0.2]), 9
    )
    assert bins.tolist() == [9, 0, 0]
    image = np.zeros((16, 16))
    image[:, 8] = 0.5
    image[4, 7] = 1e-17  # row gradients +1e-17 at (3, 7), -1e-17 at (5, 7)
    params = dict(
        orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2), block_norm="L1"
    )
    without_tiny = image.copy()
    without_tiny[4, 7] = 0
    # the dropped pixel changes scikit-image's features, so this checks the drop
    assert not np.allclose(
        reference(image[None], **params), reference(without_tiny[None], **params)
    )
    np.testing.assert_allclose(
        hog_batch(image[None], **params, backend=feature_backend),
        reference(image[None], **params),
        atol=1e-7,
    )


@pytest.mark.parametrize("block_norm", ["L1", "L1-sqrt", "L2", "L2-Hys"])
def test_weak_gradients_where_eps_matters(block_norm, feature_backend):
    """Cell histograms are averages over the cell, as in scikit-image: with
    faint images the normalisation's eps makes the difference visible."""
    images = np.random.default_rng(5).random((3, 32, 32)) * 1e-4
    params = dict(pixels_per_cell=(8, 8), cells_per_block=(2, 2), block_norm=block_norm)
    np.testing.assert_allclose(
        hog_batch(images, **params, backend=feature_backend),
        reference(images, **params),
        atol=1e-6,
    )


@pytest.mark.parametrize("orientations", [1, 2, 3, 4, 7, 8, 9, 12, 18, 36])
def test_orientation_bins_equal_the_exact_formula(orientations):
    """The cheap estimate plus the exact fallback near edges bins every
    gradient as scikit-image's arctan2 formula does."""
    from imgbalance.features._hog import _bin_edges, _orientation_bins

    rng = np.random.default_rng(orientations)
    integers = rng.integers(-255, 256, (2, 200_000)).astype(np.float64)
    floats = rng.standard_normal((2, 200_000)) * rng.choice(
        [1e-12, 1e-3, 1.0, 1e6], 200_000
    )
    angles = np.deg2rad(_bin_edges(orientations))  # gradients right on the edges
    on_edges = np.stack([np.sin(angles), np.cos(angles)]) * 3.0
    for g_row, g_col in (integers, floats, on_edges, -on_edges):
        assert_bins_match_the_exact_formula(
            _orientation_bins(g_row, g_col, orientations),
            g_row,
            g_col,
            _bin_edges(orientations),
        )


@pytest.mark.parametrize("orientations", [1, 2, 3, 4, 7, 8, 9, 12, 18, 36])
def test_compiled_orientation_bins_equal_the_exact_formula(orientations):
    """The numba backend's row binning (estimate, exact fallback near edges,
    no bin for 180) bins as scikit-image's arctan2 formula does, and its
    magnitudes are the gradients' lengths."""
    from imgbalance.features._base import numba_available

    if not numba_available():
        pytest.skip("numba is not installed (pip install 'imgbalance[fast]')")
    from imgbalance.features._hog import _bin_edges
    from imgbalance.features._numba_kernels import _row_bins

    rng = np.random.default_rng(orientations)
    integers = rng.integers(-255, 256, (2, 200_000)).astype(np.float64)
    floats = rng.standard_normal((2, 200_000)) * rng.choice(
        [1e-12, 1e-3, 1.0, 1e6], 200_000
    )
    edges = _bin_edges(orientations)
    angles = np.deg2rad(edges)
    on_edges = np.stack([np.sin(angles), np.cos(angles)]) * 3.0
    tiny = np.array([[-1e-17, 1e-17, 0.0, 0.0], [0.2, 0.2, 0.2, -0.2]])
    for g_row, g_col in (integers, floats, on_edges, -on_edges, tiny):
        n = len(g_row)
        position, magnitude = np.empty(n), np.empty(n)
        bins = np.empty(n, dtype=np.intp)
        _row_bins(g_row, g_col, edges, position, bins, magnitude)
        assert_bins_match_the_exact_formula(bins, g_row, g_col, edges)
        np.testing.assert_allclose(magnitude, np.hypot(g_row, g_col), rtol=1e-15)
