"""make_shapes: one shape per image, the shape the class."""

import numpy as np
import pytest

from imgbalance.datasets import make_shapes


def fill_of_bounding_box(image):
    """Share of the shape's bounding box the shape covers (the background
    is white)."""
    mask = (image < 255).any(axis=-1) if image.ndim == 3 else image < 255
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    box = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    return box.mean()


def test_each_image_shows_its_class():
    data = make_shapes(30, random_state=0)
    assert data.images.shape == (120, 32, 32, 3) and data.images.dtype == np.uint8
    assert data.target_names.tolist() == ["circle", "rectangle", "triangle", "ellipse"]
    assert np.bincount(data.target).tolist() == [30, 30, 30, 30]
    fills = {name: [] for name in data.target_names}
    for image, label in zip(data.images, data.target):
        fills[data.target_names[label]].append(fill_of_bounding_box(image))
    # a rectangle fills its box; a triangle half of it; a disc about pi / 4
    assert min(fills["rectangle"]) == 1.0
    assert 0.45 < min(fills["triangle"]) <= max(fills["triangle"]) < 0.55
    assert 0.75 < min(fills["circle"]) <= max(fills["circle"]) < 0.95
    assert max(fills["ellipse"]) < 0.95
    # whole shapes: none touches the border
    drawn = (data.images < 255).any(axis=-1)
    assert not drawn[:, [0, -1]].any() and not drawn[:, :, [0, -1]].any()


def test_sizes_gray_noise_and_seed():
    a = make_shapes(5, image_size=20, shape_size=(6, 10), color=False, random_state=1)
    b = make_shapes(5, image_size=20, shape_size=(6, 10), color=False, random_state=1)
    np.testing.assert_array_equal(a.images, b.images)
    assert a.images.shape == (20, 20, 20)
    for image, label in zip(a.images, a.target):
        rows = np.flatnonzero((image < 255).any(1))
        cols = np.flatnonzero((image < 255).any(0))
        if a.target_names[label] == "rectangle":
            assert 6 <= max(len(rows), len(cols)) <= 10
    noisy = make_shapes(
        5, image_size=20, shape_size=(6, 10), color=False, noise=10, random_state=1
    )
    assert noisy.images.dtype == np.uint8
    assert np.abs(noisy.images.astype(int) - a.images).mean() > 2
    other = make_shapes(
        5, image_size=20, shape_size=(6, 10), color=False, random_state=2
    )
    assert not np.array_equal(other.images, a.images)


def test_imbalance_and_return_X_y():
    images, target = make_shapes(
        40,
        shapes=("triangle", "circle", "rectangle"),
        ratio=10,
        minority_fraction=0.34,
        random_state=0,
        return_X_y=True,
    )
    assert sorted(np.bincount(target).tolist()) == [4, 40, 40]
    assert len(images) == 84


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"shapes": ("circle", "star")}, "shapes must be two or more different"),
        ({"shapes": ("circle",)}, "shapes must be two or more different"),
        ({"shape_size": (8, 40)}, "largest <= image_size=32; got (8, 40)"),
        ({"shape_size": (9, 8)}, "smallest <= largest"),
        ({"image_size": 4}, "'image_size' parameter of make_shapes must be"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError) as info:
        make_shapes(2, **kwargs)
    assert message in str(info.value)
