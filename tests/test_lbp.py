"""LBPFeatures and lbp_batch against scikit-image's local_binary_pattern."""

import warnings

import numpy as np
import pytest
from PIL import Image
from skimage import data
from skimage.feature import local_binary_pattern

from imgbalance.features import LBPFeatures, lbp_batch

METHODS = ["default", "ror", "uniform", "nri_uniform"]


def reference_codes(image, P, R, method):
    with warnings.catch_warnings():  # skimage warns about float images
        warnings.simplefilter("ignore", UserWarning)
        return local_binary_pattern(image, P, R, method)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "P, R", [(8, 1), (4, 1), (8, 2), (16, 2), (12, 1.5), (24, 3), (6, 0.5)]
)
def test_codes_equal_skimage(P, R, method, feature_backend):
    rng = np.random.default_rng(0)
    batches = [
        rng.integers(0, 256, (3, 20, 23), dtype=np.uint8),
        rng.integers(0, 4, (3, 20, 23), dtype=np.uint8),  # many ties
        rng.random((2, 9, 11)),
    ]
    for images in batches:
        codes = lbp_batch(images, P, R, method, backend=feature_backend)
        for image, ours in zip(images, codes):
            np.testing.assert_array_equal(ours, reference_codes(image, P, R, method))


@pytest.mark.parametrize(
    "image",
    [
        data.camera()[:120, :100],
        data.coins()[:90, :150],
        data.text(),
        data.checkerboard(),
    ],
    ids=["camera", "coins", "text", "checkerboard"],
)
@pytest.mark.parametrize("method", METHODS)
def test_codes_equal_skimage_on_real_images(image, method, feature_backend):
    np.testing.assert_array_equal(
        lbp_batch(image[None], 8, 1, method, backend=feature_backend)[0],
        reference_codes(image, 8, 1, method),
    )


def histogram_reference(image, P, R, method, grid, n_codes):
    codes = reference_codes(image, P, R, method).astype(int)
    rows = np.array_split(np.arange(codes.shape[0]), grid[0])
    cols = np.array_split(np.arange(codes.shape[1]), grid[1])
    out = []
    for r in rows:
        for c in cols:
            cell = codes[np.ix_(r, c)]
            out.append(np.bincount(cell.ravel(), minlength=n_codes) / cell.size)
    return np.concatenate(out)


@pytest.mark.parametrize(
    "method, grid, n_codes",
    [
        ("uniform", (1, 1), 10),
        ("uniform", (3, 2), 10),
        ("nri_uniform", (2, 2), 59),
        ("default", (1, 2), 256),
    ],
)
@pytest.mark.parametrize("size", [16, 33, 64])
def test_histograms_equal_skimage_codes_then_bincount(
    method, grid, n_codes, size, feature_backend
):
    X = np.random.default_rng(1).integers(0, 256, (3, size, size + 5), dtype=np.uint8)
    features = LBPFeatures(
        method=method, grid=grid, backend=feature_backend
    ).fit_transform(X)
    assert features.dtype == np.float32 and features.shape == (
        3,
        grid[0] * grid[1] * n_codes,
    )
    for image, row in zip(X, features):
        np.testing.assert_allclose(
            row, histogram_reference(image, 8, 1, method, grid, n_codes), rtol=1e-6
        )


def test_colour_images_use_pillow_luma(tmp_path):
    rgb = np.random.default_rng(2).integers(0, 256, (2, 24, 24, 3), dtype=np.uint8)
    gray = np.stack([np.asarray(Image.fromarray(image).convert("L")) for image in rgb])
    np.testing.assert_array_equal(
        LBPFeatures().fit_transform(rgb), LBPFeatures().fit_transform(gray)
    )


def test_names_and_errors():
    model = LBPFeatures(grid=(1, 2)).fit(np.zeros((2, 8, 8), np.uint8))
    names = model.get_feature_names_out()
    assert names[0] == "lbp_cell0_code0" and names[-1] == "lbp_cell1_code9"
    with pytest.raises(ValueError, match="grid must be two positive integers"):
        LBPFeatures(grid=(0, 1)).fit(np.zeros((2, 8, 8)))
    with pytest.raises(
        ValueError, match=r"grid=\(9, 1\) has more cells than the images"
    ):
        LBPFeatures(grid=(9, 1)).fit(np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match=r"gives 2\*\*20 codes per cell; use P <= 16"):
        LBPFeatures(P=20, method="ror").fit(np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="'method' parameter of LBPFeatures"):
        LBPFeatures(method="var").fit(np.zeros((2, 8, 8)))
