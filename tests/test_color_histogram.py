"""ColorHistogram against numpy's histogram."""

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from skimage.color import rgb2hsv

from imgbalance.features import ColorHistogram


def reference(images, bins, value_range):
    """np.histogram of each channel, divided by the number of pixels."""
    images = images if images.ndim == 4 else images[..., None]
    rows = []
    for image in images:
        pixels = image.shape[0] * image.shape[1]
        rows.append(
            np.concatenate(
                [
                    np.histogram(
                        np.clip(image[..., c], *value_range), bins, range=value_range
                    )[0]
                    / pixels
                    for c in range(image.shape[-1])
                ]
            )
        )
    return np.array(rows)


@pytest.mark.parametrize("bins", [1, 2, 7, 16, 256])
@pytest.mark.parametrize("shape", [(20, 30), (20, 30, 3)])
def test_uint8_equals_numpy_histogram(bins, shape):
    X = np.random.default_rng(0).integers(0, 256, (4,) + shape, dtype=np.uint8)
    features = ColorHistogram(bins=bins).fit_transform(X)
    assert features.dtype == np.float32
    np.testing.assert_allclose(features, reference(X, bins, (0, 256)), rtol=1e-6)
    np.testing.assert_allclose(features.reshape(4, -1, bins).sum(axis=2), 1, rtol=1e-6)


@pytest.mark.parametrize("bins", [3, 10, 16])
def test_float_equals_numpy_histogram_with_clipping(bins):
    rng = np.random.default_rng(1)
    X = rng.uniform(-0.2, 1.2, (3, 16, 16, 3))
    X[0, :4, :4] = np.linspace(0, 1, bins + 1)[:, None, None][:4]  # exact edges
    with pytest.warns(UserWarning, match=r"X\[0\] and 2 other image\(s\): float"):
        features = ColorHistogram(bins=bins).fit_transform(X)  # clipped, said
    np.testing.assert_allclose(features, reference(X, bins, (0.0, 1.0)), rtol=1e-6)


def test_alpha_is_left_out_and_names_follow_channels():
    X = np.zeros((2, 5, 5, 4), dtype=np.uint8)
    X[..., 3] = 255
    model = ColorHistogram(bins=4)
    features = model.fit_transform(X)
    assert features.shape == (2, 12)
    assert model.get_feature_names_out()[[0, 4, 8]].tolist() == ["r0", "g0", "b0"]
    gray = ColorHistogram(bins=2).fit(np.zeros((2, 5, 5)))
    assert gray.get_feature_names_out().tolist() == ["gray0", "gray1"]


def test_hsv_equals_skimage_conversion_then_histogram():
    X = np.random.default_rng(2).integers(0, 256, (3, 12, 12, 3), dtype=np.uint8)
    model = ColorHistogram(bins=8, color_space="hsv")
    features = model.fit_transform(X)
    expected = reference(rgb2hsv(X / 255.0), 8, (0.0, 1.0))
    np.testing.assert_allclose(features, expected, rtol=1e-6)
    assert model.get_feature_names_out()[[0, 8, 16]].tolist() == ["h0", "s0", "v0"]
    with pytest.raises(ValueError, match="color_space='hsv' needs RGB images"):
        model.fit(np.zeros((2, 5, 5)))


def test_images_of_different_sizes_and_paths(tmp_path):
    rng = np.random.default_rng(3)
    items = [
        rng.integers(0, 256, (10 + i, 8 + 2 * i, 3), dtype=np.uint8) for i in range(3)
    ]
    ragged = ColorHistogram().fit_transform(items)
    for i, image in enumerate(items):
        np.testing.assert_array_equal(
            ragged[i], ColorHistogram().fit_transform(image[None])[0]
        )
    mixed = items[:1] + [items[1][..., 0]]  # RGB and grayscale: made all RGB
    with pytest.warns(UserWarning) as caught:
        features = ColorHistogram().fit_transform(mixed)
    assert [str(w.message) for w in caught] == [
        "X holds images of several modes, converted to one (RGB uint8): L to "
        "RGB. Put ImageLoader(mode='RGB') or ImageLoader(mode='L') first to "
        "choose the mode yourself."
    ]
    gray_as_rgb = np.repeat(items[1][..., :1], 3, axis=-1)
    np.testing.assert_array_equal(features[0], ragged[0])
    np.testing.assert_array_equal(
        features[1], ColorHistogram().fit_transform(gray_as_rgb[None])[0]
    )
    resized = ColorHistogram(size=(9, 9)).fit_transform(items)
    assert resized.shape == (3, 48)
    paths = []
    for i, image in enumerate(items[:1] * 2):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(image).save(paths[-1])
    np.testing.assert_array_equal(
        ColorHistogram().fit_transform(paths)[0],
        ColorHistogram().fit_transform(items[:1])[0],
    )


def test_pandas_output():
    X = np.zeros((3, 4, 4, 3), dtype=np.uint8)
    frame = ColorHistogram(bins=2).set_output(transform="pandas").fit_transform(X)
    assert isinstance(frame, pd.DataFrame) and list(frame.columns)[:2] == ["r0", "r1"]
