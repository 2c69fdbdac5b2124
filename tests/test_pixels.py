"""PixelFeatures: flattening, scaling, resizing, every input form."""

import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from imgbalance.features import PixelFeatures


def test_uint8_scaled_to_unit_interval():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (5, 4, 3, 3), dtype=np.uint8)
    Xt = PixelFeatures().fit_transform(X)
    assert Xt.dtype == np.float32 and Xt.shape == (5, 36)
    np.testing.assert_array_equal(
        Xt, X.reshape(5, -1).astype(np.float32) / np.float32(255)
    )


@pytest.mark.parametrize(
    "dtype, top",
    [
        (np.uint16, 65535),
        (np.int16, 255),  # integers but uint16 are read on 0..255
        (np.int64, 255),
        (bool, 1),
        (np.float64, 1),
    ],
)
def test_scale_by_dtype(dtype, top):
    X = np.zeros((2, 3, 3), dtype=dtype)
    X[:, 0, 0] = top
    Xt = PixelFeatures().fit_transform(X)
    assert Xt[0, 0] == 1.0 and Xt.dtype == np.float32


def test_no_scale_keeps_values():
    X = np.full((2, 3, 3), 200, dtype=np.uint8)
    np.testing.assert_array_equal(PixelFeatures(scale=False).fit_transform(X), 200)


def test_resize_constant_image_and_identity():
    X = np.full((3, 10, 8, 3), 128, dtype=np.uint8)
    Xt = PixelFeatures(size=(5, 4)).fit_transform(X)
    assert Xt.shape == (3, 5 * 4 * 3)
    np.testing.assert_allclose(Xt, 128 / 255, rtol=1e-6)
    same = PixelFeatures(size=(10, 8)).fit_transform(X)
    np.testing.assert_array_equal(same, PixelFeatures().fit_transform(X))


def test_resize_keeps_a_linear_ramp_linear():
    ramp = np.tile(np.linspace(0, 1, 16, dtype=np.float32), (16, 1))
    Xt = PixelFeatures(size=(16, 8)).fit_transform(ramp[None]).reshape(16, 8)
    inner = Xt[:, 1:-1]
    np.testing.assert_allclose(
        np.diff(inner, axis=1), np.diff(inner, axis=1)[0, 0], atol=1e-5
    )
    np.testing.assert_allclose(inner[0], inner[-1])


def test_ragged_list_needs_size():
    items = [np.zeros((4, 4), np.uint8), np.zeros((6, 4), np.uint8)]
    msg = "X[1] is 6x4 pixels (h x w) but X[0] is 4x4; all images must have one size"
    with pytest.raises(ValueError, match=re.escape(msg)):
        PixelFeatures().fit(items)
    assert PixelFeatures(size=(3, 3)).fit_transform(items).shape == (2, 9)


def test_paths_and_pil_give_the_array_features(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (4, 5, 6, 3), dtype=np.uint8)
    paths = []
    for i, image in enumerate(X):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(image).save(paths[-1])
    expected = PixelFeatures().fit_transform(X)
    np.testing.assert_array_equal(PixelFeatures().fit_transform(paths), expected)
    pil = [Image.fromarray(image) for image in X]
    np.testing.assert_array_equal(PixelFeatures().fit_transform(pil), expected)


def test_flattened_input_with_image_shape_and_size():
    X = np.full((2, 8 * 8), 255, dtype=np.uint8)
    with pytest.raises(ValueError, match=r"give image_shape=\(h, w\)"):
        PixelFeatures(size=(4, 4)).fit(X)
    Xt = PixelFeatures(size=(4, 4), image_shape=(8, 8)).fit_transform(X)
    np.testing.assert_allclose(Xt, 1.0)
    assert Xt.shape == (2, 16)


def test_transform_checks_the_fitted_shape():
    model = PixelFeatures().fit(np.zeros((2, 4, 4)))
    with pytest.raises(
        ValueError,
        match="X has 25 features per image, but PixelFeatures is expecting 16",
    ):
        model.transform(np.zeros((2, 5, 5)))
    seq_model = PixelFeatures().fit([np.zeros((4, 4))])
    with pytest.raises(
        ValueError, match="X gives 25 features per image, but PixelFeatures was fitted"
    ):
        seq_model.transform([np.zeros((5, 5))])


def test_size_must_be_two_values():
    with pytest.raises(ValueError, match=r"size must be a tuple \(h, w\)"):
        PixelFeatures(size=(2, 2, 3)).fit(np.zeros((2, 4, 4)))


def test_feature_names_and_pandas_output():
    model = PixelFeatures().set_output(transform="pandas")
    Xt = model.fit_transform(np.zeros((3, 2, 2)))
    assert isinstance(Xt, pd.DataFrame)
    assert list(Xt.columns) == [f"pixelfeatures{i}" for i in range(4)]
    assert Xt.dtypes.unique().tolist() == [np.float32]
