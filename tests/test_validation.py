"""The image input contract: accepted forms and every error message."""

import os
import re

import numpy as np
import pytest
from PIL import Image

from imgbalance.over_sampling import RandomImageOverSampler
from imgbalance.utils import load_image, stack_images


def _save(path, array):
    Image.fromarray(array).save(path)
    return str(path)


@pytest.fixture
def png_paths(tmp_path):
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (6, 5, 3), dtype=np.uint8) for _ in range(4)]
    paths = [_save(tmp_path / f"im{i}.png", im) for i, im in enumerate(images)]
    return paths, images


def fit_resample(X, y=(0, 0, 1)):
    return RandomImageOverSampler(random_state=0).fit_resample(X, list(y))


def test_length_mismatch_names_both_lengths():
    msg = "X has 4 images but y has 3 labels; give exactly one label per image."
    with pytest.raises(ValueError, match=re.escape(msg)):
        fit_resample(np.zeros((4, 3, 3)))


@pytest.mark.parametrize("X", [[], np.zeros((0, 4, 4)), np.zeros((0, 5))])
def test_empty_input(X):
    with pytest.raises(ValueError, match="X is empty: got 0 images"):
        RandomImageOverSampler().fit_resample(X, [])


def test_single_class_names_the_class():
    with pytest.raises(ValueError, match=r"y holds one class only \('cat'\)"):
        RandomImageOverSampler().fit_resample(np.zeros((3, 4, 4)), ["cat"] * 3)


def test_missing_path_names_index_and_file(png_paths, tmp_path):
    paths, _ = png_paths
    missing = str(tmp_path / "nope.png")
    with pytest.raises(FileNotFoundError) as info:
        fit_resample([paths[0], missing, paths[1]])
    assert str(info.value) == (
        f"X: the file {missing!r} does not exist; check the path or remove the item."
    )


def test_relative_missing_path_says_relative_to_what():
    with pytest.raises(FileNotFoundError, match=r"relative to .*does not exist"):
        fit_resample(["no/such/file.png", "b.png", "c.png"])


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^X: the file .* is a folder, not an image"):
        fit_resample([str(tmp_path), str(tmp_path), str(tmp_path)])


def test_unsupported_item_type_names_index_and_type(png_paths):
    paths, _ = png_paths
    with pytest.raises(TypeError) as info:
        fit_resample([paths[0], paths[1], {"a": 1}])
    assert str(info.value).startswith("X[2] is a dict; each item must be a file path")


def test_array_item_of_wrong_dimension():
    items = [np.zeros((4, 4)), np.zeros((4,)), np.zeros((4, 4))]
    with pytest.raises(ValueError, match=r"X\[1\] is an array of shape \(4,\)"):
        fit_resample(items)


def test_single_path_is_not_a_collection(png_paths):
    with pytest.raises(TypeError, match="X is a single str; expected a collection"):
        RandomImageOverSampler().fit_resample(png_paths[0][0], [0])


def test_unsupported_container():
    with pytest.raises(TypeError, match="X is a dict; expected an array"):
        RandomImageOverSampler().fit_resample({"a": 1}, [0])


def test_one_d_numeric_array_says_how_to_reshape():
    with pytest.raises(ValueError, match=r"Reshape your data: X.reshape\(1, -1\)"):
        fit_resample(np.zeros(3))


def test_five_dimensional_array():
    with pytest.raises(
        ValueError, match=r"X has 5 dimensions \(shape \(3, 2, 2, 2, 2\)\)"
    ):
        fit_resample(np.zeros((3, 2, 2, 2, 2)))


def test_non_numeric_image_array():
    with pytest.raises(ValueError, match="image arrays must be numeric"):
        fit_resample(np.full((3, 2, 2), "a", dtype=object))


def test_ragged_sequence_names_index_and_shapes():
    items = [np.zeros((4, 4)), np.zeros((4, 4)), np.zeros((5, 4))]
    msg = (
        "X[2] is 5x4 pixels (h x w) but X[0] is 4x4; all images must have one "
        "size here."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        stack_images(items)


def test_ragged_sequence_is_fine_where_no_shape_is_needed():
    items = [np.zeros((4, 4)), np.zeros((4, 4)), np.zeros((5, 4), np.uint8)]
    X_res, y_res = fit_resample(items)
    assert isinstance(X_res, list) and len(X_res) == 4
    assert X_res[3] is items[2] and y_res == [0, 0, 1, 1]


def test_image_shape_must_match_features():
    msg = "image_shape=(3, 3) holds 9 values per image but X has 8 features per row"
    with pytest.raises(ValueError, match=re.escape(msg)):
        stack_images(np.zeros((2, 8)), image_shape=(3, 3))


def test_image_shape_must_be_a_shape():
    with pytest.raises(ValueError, match="image_shape must be a tuple"):
        stack_images(np.zeros((2, 8)), image_shape=(2, -4))


def test_flattened_images_need_image_shape():
    with pytest.raises(ValueError, match=r"give image_shape=\(h, w\)"):
        stack_images(np.zeros((2, 8)))


def test_stack_images_restores_flattened_images():
    X = np.arange(2 * 12).reshape(2, 12)
    out = stack_images(X, image_shape=(2, 2, 3))
    np.testing.assert_array_equal(out, X.reshape(2, 2, 2, 3))


def test_stack_images_decodes_paths_and_pil(png_paths):
    paths, images = png_paths
    pil = [Image.fromarray(im) for im in images]
    expected = np.stack(images)
    np.testing.assert_array_equal(stack_images(paths), expected)
    np.testing.assert_array_equal(stack_images(pil), expected)
    assert stack_images(paths).dtype == np.uint8


def test_undecodable_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match=r"^X: cannot decode .*broken.png"):
        stack_images([str(bad)])


def test_load_image_applies_exif_orientation(tmp_path):
    array = np.zeros((2, 3), dtype=np.uint8)
    array[0, 0] = 255
    image = Image.fromarray(array)
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif, quality=100)
    loaded = load_image(str(path))
    assert loaded.shape == (3, 2)
    assert loaded[0, 1] > 200 and loaded[2, 0] < 50


@pytest.mark.parametrize(
    "mode, shape, dtype",
    [
        ("1", (4, 4), np.uint8),
        ("L", (4, 4), np.uint8),
        ("P", (4, 4, 3), np.uint8),
        ("RGBA", (4, 4, 4), np.uint8),
        ("I;16", (4, 4), np.uint16),
        ("CMYK", (4, 4, 3), np.uint8),
    ],
)
def test_load_image_modes(mode, shape, dtype):
    image = Image.new(mode, (4, 4))
    out = load_image(image)
    assert out.shape == shape and out.dtype == dtype


def test_pathlike_and_bytes_items(png_paths):
    from pathlib import Path

    paths, _ = png_paths
    items = [Path(paths[0]), os.fsencode(paths[1]), paths[2]]
    X_res, _ = fit_resample(items)
    assert X_res[:3] == items
