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
    with pytest.raises(ValueError, match=re.escape("X[1] has shape (20, 20) but X[0]")):
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


def test_dtypes_become_uint8():
    floats = np.array([[[0.0, 0.5, 1.0, 1.2]]])
    np.testing.assert_array_equal(
        ImageLoader().fit_transform(floats)[0, 0], [0, 128, 255, 255]
    )
    sixteen = np.array([[[0, 257, 65535]]], dtype=np.uint16)
    np.testing.assert_array_equal(
        ImageLoader().fit_transform(sixteen)[0, 0], [0, 1, 255]
    )
    uint8 = np.random.default_rng(0).integers(0, 256, (2, 5, 5, 3), dtype=np.uint8)
    np.testing.assert_array_equal(ImageLoader().fit_transform(uint8), uint8)


def test_undecodable_file_is_named(tmp_path, mixed_files):
    paths, _ = mixed_files
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    with pytest.raises(ValueError, match=r"X\[3\]: cannot decode .*broken\.jpg"):
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
