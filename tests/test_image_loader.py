"""ImageLoader: every input form to one uint8 image array."""

import re

import numpy as np
import pytest
from PIL import Image

from imgbalance.features import HOGFeatures, ImageLoader


@pytest.fixture
def mixed_files(tmp_path):
    """PNG files of different sizes and modes."""
    rng = np.random.default_rng(0)
    specs = [
        ((30, 40, 3), "rgb.png"),
        ((20, 20), "gray.png"),
        ((25, 35, 4), "rgba.png"),
    ]
    paths, arrays = [], []
    for shape, name in specs:
        array = rng.integers(0, 256, shape, dtype=np.uint8)
        Image.fromarray(array).save(tmp_path / name)
        paths.append(str(tmp_path / name))
        arrays.append(array)
    return paths, arrays


def test_paths_of_any_size_and_mode(mixed_files):
    paths, arrays = mixed_files
    with pytest.raises(ValueError, match=re.escape("X[1] is 20x20 pixels (h x w) but X[0] is 30x40;")):
        ImageLoader().fit(paths)
    out = ImageLoader(size=(16, 24), mode="RGB").fit_transform(paths)
    assert out.shape == (3, 16, 24, 3) and out.dtype == np.uint8
    expected = np.asarray(
        Image.fromarray(arrays[0]).resize((24, 16), Image.Resampling.BILINEAR)
    )
    np.testing.assert_array_equal(out[0], expected)
    gray = np.asarray(
        Image.fromarray(arrays[1]).resize((24, 16), Image.Resampling.BILINEAR)
    )
    np.testing.assert_array_equal(out[1], np.repeat(gray[..., None], 3, axis=2))
    no_alpha = np.asarray(Image.fromarray(arrays[2]).convert("RGB"))
    expected = np.stack(
        [
            np.asarray(
                Image.fromarray(no_alpha[..., c]).resize(
                    (24, 16), Image.Resampling.BILINEAR
                )
            )
            for c in range(3)
        ],
        axis=-1,
    )
    np.testing.assert_array_equal(out[2], expected)


def test_mode_l_matches_pillow(mixed_files):
    paths, arrays = mixed_files
    out = ImageLoader(size=(20, 20), mode="L").fit_transform(paths)
    assert out.shape == (3, 20, 20)
    np.testing.assert_array_equal(out[1], arrays[1])
    luma = np.asarray(
        Image.fromarray(arrays[0])
        .convert("L")
        .resize((20, 20), Image.Resampling.BILINEAR)
    )
    np.testing.assert_array_equal(out[0], luma)


@pytest.mark.parametrize(
    "values, dtype, expected",
    [
        ([0.0, 0.25, 0.5, 1.0], np.float64, [0, 64, 128, 255]),
        ([0.0, 0.5, 1.0, 0.998], np.float32, [0, 128, 255, 254]),
        ([0, 257, 32896, 65535], np.uint16, [0, 1, 128, 255]),
        ([0, 1, 128, 255], np.int64, [0, 1, 128, 255]),  # np.array's default
        ([0, 1, 128, 255], np.int32, [0, 1, 128, 255]),  # Pillow's mode "I"
        ([0, 1, 100, 127], np.int8, [0, 1, 100, 127]),
        ([0, 7, 200, 255], np.uint64, [0, 7, 200, 255]),
        ([False, True, True, False], np.bool_, [0, 255, 255, 0]),
        ([0, 3, 128, 255], np.uint8, [0, 3, 128, 255]),
    ],
)
def test_each_dtype_is_read_by_the_documented_rule(values, dtype, expected):
    X = np.array([[values]], dtype=dtype)
    out = ImageLoader().fit_transform(X)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out[0, 0], expected)


@pytest.mark.parametrize(
    "X, message",
    [
        (
            np.array([[[0.0, 127.5, 255.0]]]),
            r"X\[0\]: float values from 0 to 255, outside the 0\.\.1 that float "
            r"images are read on; they were clipped\. Pass value_range=",
        ),
        (
            np.array([[[0, 1, 2]], [[0, 128000, 255000]]]),
            r"X\[1\]: int64 values from 0 to 255000, outside the 0\.\.255 that "
            "int64 images",
        ),
        (
            np.array([[[-1.0, 0.5]], [[0.5, 2.0]], [[0.0, 1.0]]]),
            r"X\[0\] and 1 other image\(s\): float values from -1 to 2,",
        ),
    ],
)
def test_values_outside_their_dtype_range_are_clipped_with_a_warning(X, message):
    with pytest.warns(UserWarning, match=message):
        out = ImageLoader().fit_transform(X)
    assert out.max() == 255 and out.dtype == np.uint8


def test_value_range_reads_data_on_another_scale():
    floats = np.array([[[0.0, 127.5, 255.0, 300.0]]])
    out = ImageLoader(value_range=(0, 255)).fit_transform(floats)
    np.testing.assert_array_equal(out[0, 0], [0, 128, 255, 255])  # clipped, quiet
    twelve_bit = np.array([[[0, 2048, 4095]]], dtype=np.uint16)
    out = ImageLoader(value_range=[0, 4095]).fit_transform(twelve_bit)
    np.testing.assert_array_equal(out[0, 0], [0, 128, 255])
    wide = np.array([[[0, 128000, 255000]]])
    out = ImageLoader(value_range=(0, 255000)).fit_transform(wide)
    np.testing.assert_array_equal(out[0, 0], [0, 128, 255])


def test_value_range_image_stretches_each_image():
    X = np.array([[[3.0, 4.0, 5.0]], [[-2.0, -2.0, -2.0]], [[0.0, 10.0, 2.5]]])
    out = ImageLoader(value_range="image").fit_transform(X)
    np.testing.assert_array_equal(out[:, 0], [[0, 128, 255], [0, 0, 0], [0, 255, 64]])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinity_is_an_error_naming_the_image(bad):
    X = np.zeros((3, 2, 2))
    X[2, 1, 0] = bad
    with pytest.raises(
        ValueError, match=r"^X\[2\] holds NaN or infinity, which has no uint8 value$"
    ):
        ImageLoader().fit_transform(X)
    with pytest.raises(ValueError, match=r"^X\[2\] holds NaN"):
        ImageLoader(value_range="image").fit_transform(X)


@pytest.mark.parametrize(
    "value_range, message",
    [
        ((3, 1), r"low < high; got \(3, 1\)"),
        ((0, np.inf), "pair of finite numbers"),
        ((1, 2, 3), r"must be None, 'image' or a pair \(low, high\); got \(1, 2, 3\)"),
        (["a", "b"], "must be None, 'image' or a pair"),
    ],
)
def test_bad_value_range_is_refused(value_range, message):
    with pytest.raises(ValueError, match=message):
        ImageLoader(value_range=value_range).fit(np.zeros((1, 2, 2)))


def test_features_read_wide_integers_as_8_bit():
    from imgbalance.features import ColorHistogram, PixelFeatures

    rng = np.random.default_rng(0)
    uint8 = rng.integers(0, 256, (3, 6, 6, 3), dtype=np.uint8)
    for model in (PixelFeatures(), ColorHistogram(bins=8)):
        np.testing.assert_array_equal(
            model.fit_transform(uint8.astype(np.int64)), model.fit_transform(uint8)
        )


def test_undecodable_file_is_named(tmp_path, mixed_files):
    paths, _ = mixed_files
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    with pytest.raises(ValueError, match=r"^X: cannot decode .*broken\.jpg"):
        ImageLoader(size=(8, 8), mode="RGB").fit(paths + [str(broken)])


def test_transform_needs_the_fitted_shape():
    model = ImageLoader().fit(np.zeros((2, 8, 8), np.uint8))
    assert model.image_shape_ == (8, 8)
    with pytest.raises(
        ValueError, match=r"X gives images of shape \(9, 8\), but ImageLoader"
    ):
        model.transform(np.zeros((2, 9, 8), np.uint8))
    with pytest.raises(ValueError, match="Cannot convert an image of 5 channels"):
        ImageLoader(mode="RGB").fit(np.zeros((2, 4, 4, 5), np.uint8))


def test_first_step_of_a_feature_pipeline(mixed_files):
    from sklearn.pipeline import make_pipeline

    paths, _ = mixed_files
    features = make_pipeline(
        ImageLoader(size=(32, 32), mode="L"), HOGFeatures()
    ).fit_transform(paths)
    assert features.shape == (3, 324) and features.dtype == np.float32


def test_refit_on_images_forgets_dataframe_column_names():
    import pandas as pd

    model = ImageLoader().fit(pd.DataFrame(np.zeros((2, 4)), columns=list("abcd")))
    assert list(model.feature_names_in_) == list("abcd")
    model.fit(np.zeros((2, 3, 3), np.uint8))
    assert not hasattr(model, "feature_names_in_")
    assert not hasattr(model, "n_features_in_")


def test_a_pipeline_with_it_accepts_set_output():
    import pandas as pd
    from sklearn.pipeline import make_pipeline

    from imgbalance.features import PixelFeatures

    X = np.random.default_rng(0).integers(0, 256, (3, 2, 2), dtype=np.uint8)
    pipeline = make_pipeline(ImageLoader(), PixelFeatures()).set_output(
        transform="pandas"
    )
    out = pipeline.fit_transform(X)
    assert isinstance(out, pd.DataFrame) and out.shape == (3, 4)
    assert list(out.columns) == list(pipeline[-1].get_feature_names_out())
    np.testing.assert_array_equal(out.to_numpy(), X.reshape(3, 4) / np.float32(255))
    images = ImageLoader().set_output(transform="pandas").fit_transform(X)
    assert isinstance(images, np.ndarray) and images.shape == (3, 2, 2)
    with pytest.raises(ValueError, match="transform must be 'default', 'pandas'"):
        ImageLoader().set_output(transform="xarray")


def test_big_endian_16_bit_is_16_bit():
    from imgbalance.features import ColorHistogram, PixelFeatures

    little = np.array([[[0, 32896, 65535]]], dtype="<u2")
    big = little.astype(">u2")
    np.testing.assert_array_equal(ImageLoader().fit_transform(big)[0, 0], [0, 128, 255])
    np.testing.assert_array_equal(
        PixelFeatures().fit_transform(big), PixelFeatures().fit_transform(little)
    )
    np.testing.assert_array_equal(
        ColorHistogram(bins=2).fit_transform(big),
        ColorHistogram(bins=2).fit_transform(little),
    )


def test_a_list_of_dtypes_on_different_scales_is_read_on_one():
    from imgbalance.features import PixelFeatures

    white = [
        np.full((1, 1), 255, np.uint8),
        np.full((1, 1), 65535, np.uint16),
        np.full((1, 1), 1.0, np.float32),
        np.full((1, 1), 255, np.int16),
    ]
    np.testing.assert_array_equal(PixelFeatures().fit_transform(white).ravel(), 1.0)


@pytest.mark.parametrize(
    "X, value_range, expected",
    [
        (np.array([[[0.0, 1e308, -1e308]]]), (-1e308, 1e308), [128, 255, 0]),
        (np.array([[[0.0, 1e308, -1e308]]]), "image", [128, 255, 0]),
        (np.array([[[0.0, 5e-324]]]), "image", [0, 0]),  # too flat to spread
    ],
)
def test_extreme_ranges_give_images_without_numpy_warnings(X, value_range, expected):
    out = ImageLoader(value_range=value_range).fit_transform(X)  # warnings: errors
    np.testing.assert_array_equal(out[0, 0], expected)


@pytest.mark.parametrize("high", [1e-320, 5e-324])
def test_a_range_too_narrow_to_spread_is_refused(high):
    with pytest.raises(ValueError, match=r"value_range \(0, .*\) is too narrow"):
        ImageLoader(value_range=(0, high)).fit(np.zeros((1, 2, 2)))


def test_the_warning_points_at_the_users_line():
    import warnings

    from sklearn.pipeline import make_pipeline

    from imgbalance.features import PixelFeatures

    X = np.array([[[0, 300]]])
    for model in (ImageLoader(), make_pipeline(ImageLoader(), PixelFeatures())):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit_transform(X)
        assert [w.filename for w in caught] == [__file__]
