"""make_defects: the defect is where and as large as the generator says, on
the crop it says, seeded, with make_imbalance's counts."""

import numpy as np
import pytest
import skimage.data
from PIL import Image

from imgbalance.datasets import make_defects

SURFACES = ("brick", "grass", "gravel", "moon", "coffee", "chelsea")


def surface(name):
    """The surface as the docstring says: colour photographs as Pillow's L."""
    image = Image.fromarray(getattr(skimage.data, name)())
    return np.asarray(image.convert("L") if image.mode != "L" else image)


def clean_crop(data, i):
    top, left, side = data.origin[i]
    crop = surface(data.surface[i])[top : top + side, left : left + side]
    size = data.images.shape[1]
    return np.asarray(
        Image.fromarray(crop).resize((size, size), Image.Resampling.BILINEAR)
    )


@pytest.fixture(scope="module")
def data():
    return make_defects(
        12,
        image_size=40,
        surfaces=SURFACES,
        scale=(0.3, 1.0),
        defect_size=(3, 14),
        contrast=(0.5, 3.0),
        random_state=0,
    )


def test_shapes_labels_and_counts(data):
    assert data.images.shape == (60, 40, 40) and data.images.dtype == np.uint8
    assert data.target.tolist() == [c for c in range(5) for _ in range(12)]
    assert data.target_names.tolist() == ["good", "scratch", "spot", "crack", "missing"]
    assert data.masks.shape == (60, 40, 40) and data.masks.dtype == bool
    assert data.boxes.shape == (60, 4) and data.origin.shape == (60, 3)
    assert set(data.surface) <= set(SURFACES)


def test_pixels_outside_the_mask_are_the_clean_crop(data):
    for i in range(len(data.images)):
        clean = clean_crop(data, i)
        mask = data.masks[i]
        np.testing.assert_array_equal(data.images[i][~mask], clean[~mask])
        if data.target[i] == 0:
            assert not mask.any() and data.contrast[i] == 0
            assert data.boxes[i].tolist() == [0, 0, 0, 0]


def test_the_box_is_the_mask_and_its_size_is_in_range(data):
    for i in np.flatnonzero(data.target > 0):
        top, left, height, width = data.boxes[i]
        rows, cols = np.nonzero(data.masks[i])
        assert (rows.min(), cols.min()) == (top, left)
        assert (rows.max() + 1 - top, cols.max() + 1 - left) == (height, width)
        assert 3 <= max(height, width) <= 14
        # at least two pixels from every border
        assert top >= 2 and left >= 2
        assert top + height <= 38 and left + width <= 38
        assert 0.5 <= data.contrast[i] <= 3.0


def amplitude(data, i):
    """The change the docstring promises: contrast * max(std, 16)."""
    return data.contrast[i] * max(clean_crop(data, i).std(), 16.0)


def box_of(data, i, image):
    top, left, height, width = data.boxes[i]
    return image[top : top + height, left : left + width]


@pytest.mark.parametrize("kind, sign", [("scratch", 1), ("crack", -1)])
def test_lines_are_one_pixel_per_step_brighter_or_darker(data, kind, sign):
    label = data.target_names.tolist().index(kind)
    for i in np.flatnonzero(data.target == label):
        mask = box_of(data, i, data.masks[i])
        extent = max(mask.shape)
        along = mask if mask.shape[0] == extent else mask.T
        # one pixel in every step along the main direction: extent pixels
        assert (along.sum(axis=1) == 1).all() and mask.sum() == extent
        clean = clean_crop(data, i).astype(float)
        expected = np.clip(np.rint(clean + sign * amplitude(data, i)), 0, 255)
        on = data.masks[i]
        np.testing.assert_array_equal(data.images[i][on], expected[on])
        if kind == "scratch":  # straight: within half a pixel of one line
            steps = np.arange(1, extent)
            offsets = np.argmax(along, axis=1)[1:] - np.argmax(along[0])
            slopes_low, slopes_high = (offsets - 0.5) / steps, (offsets + 0.5) / steps
            assert slopes_low.max() <= slopes_high.min() + 1e-9


def test_spots_are_discs_moved_one_way(data):
    for i in np.flatnonzero(data.target == 2):
        mask = box_of(data, i, data.masks[i])
        assert mask.shape[0] == mask.shape[1]
        # the pixels whose centres are within extent / 2 of the box's centre
        extent = mask.shape[0]
        offsets = np.arange(extent) - (extent - 1) / 2
        inside = offsets[:, None] ** 2 + offsets[None, :] ** 2 <= (extent / 2) ** 2
        np.testing.assert_array_equal(mask, inside)
        clean = clean_crop(data, i).astype(float)
        on = data.masks[i]
        up = np.clip(np.rint(clean + amplitude(data, i)), 0, 255)
        down = np.clip(np.rint(clean - amplitude(data, i)), 0, 255)
        image = data.images[i]
        assert (image[on] == up[on]).all() or (image[on] == down[on]).all()


def test_missing_patches_are_flat_rectangles(data):
    for i in np.flatnonzero(data.target == 4):
        mask = box_of(data, i, data.masks[i])
        assert mask.all() and min(mask.shape) >= max(mask.shape) / 2
        patch = box_of(data, i, data.images[i])
        clean = box_of(data, i, clean_crop(data, i)).astype(float)
        assert (patch == patch.flat[0]).all()
        a = amplitude(data, i)
        levels = [np.clip(np.rint(clean.mean() + s * a), 0, 255) for s in (-1, 1)]
        assert patch.flat[0] in levels


def test_seeded_and_ratio():
    a = make_defects(100, ratio=30, random_state=4)
    b = make_defects(100, ratio=30, random_state=4)
    c = make_defects(100, ratio=30, random_state=5)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.masks, b.masks)
    assert not np.array_equal(a.images, c.images)
    # the clean class keeps n_per_class, each defect class round(100 / 30)
    assert np.bincount(a.target).tolist() == [100, 3, 3, 3, 3]
    X, y = make_defects(
        50, defects=("spot", "crack"), ratio=50, random_state=0, return_X_y=True
    )
    assert X.shape == (52, 32, 32) and np.bincount(y).tolist() == [50, 1, 1]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"surfaces": ("brick", "wood")}, "surfaces must be different names among"),
        ({"surfaces": ()}, "surfaces must be different names among"),
        ({"defects": ("spot", "spot")}, "defects must be different names among"),
        ({"defect_size": (4, 29)}, r"defect_size must be \(low, high\) with 1 <="),
        ({"defect_size": (5, 4)}, r"defect_size must be \(low, high\)"),
        ({"contrast": (-1.0, 2.0)}, r"contrast must be \(low, high\) with 0 <="),
        ({"scale": (0.0, 0.5)}, r"scale must be \(low, high\) with 0 < low"),
        ({"scale": (0.5, 2.0)}, r"scale must be \(low, high\) with 0 <= low"),
        (
            {"surfaces": ("coins",), "image_size": 320},
            "image_size=320 is larger than the surface 'coins'",
        ),
    ],
)
def test_errors_name_the_parameter(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_defects(5, **kwargs)
