"""CutPaste: a rectangle of the image copied to another place of it."""

import numpy as np
import pytest

from imgbalance.augment import CutPaste
from imgbalance.over_sampling import AugmentingOverSampler


@pytest.mark.parametrize(
    "image",
    [
        np.random.default_rng(0).integers(0, 256, (24, 30, 3), dtype=np.uint8),
        np.random.default_rng(1).random((24, 30)).astype(np.float32),
    ],
)
def test_the_cut_is_pasted_and_nothing_else_changes(image):
    areas = []
    for seed in range(300):
        out, records = CutPaste().augment(image, rng=seed)
        assert out.shape == image.shape and out.dtype == image.dtype
        r = records[0]
        assert r["transform"] == "CutPaste" and r["pasted"]
        h, w = r["height"], r["width"]
        cut = image[r["top"] : r["top"] + h, r["left"] : r["left"] + w]
        target = (
            slice(r["to_top"], r["to_top"] + h),
            slice(r["to_left"], r["to_left"] + w),
        )
        np.testing.assert_array_equal(out[target], cut)
        outside = np.ones(image.shape[:2], dtype=bool)
        outside[target] = False
        np.testing.assert_array_equal(out[outside], image[outside])
        areas.append(h * w / (24 * 30))
    # the areas drawn in (0.02, 0.15) of the image, up to the rounding of sides
    assert 0.01 < min(areas) and max(areas) < 0.18


def test_probability_and_nothing_that_fits():
    image = np.arange(64, dtype=np.uint8).reshape(8, 8)
    pasted = [
        CutPaste(p=0.3).augment(image, rng=s)[1][0]["pasted"] for s in range(2000)
    ]
    assert 0.25 < np.mean(pasted) < 0.35
    out, records = CutPaste(scale=(0.99, 1.0)).augment(image, rng=0)
    assert not records[0]["pasted"]
    np.testing.assert_array_equal(out, image)


def test_in_a_sampler_the_minority_is_grown_with_it():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (12, 16, 16), dtype=np.uint8)
    y = np.array([0] * 9 + [1] * 3)
    sampler = AugmentingOverSampler(augmenter=CutPaste(), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [9, 9]
    for image, source, record in zip(
        X_res[12:], sampler.sample_indices_[12:], sampler.augmentations_
    ):
        changed = image != X[source]
        r = record[0]
        box = np.zeros_like(changed)
        box[
            r["to_top"] : r["to_top"] + r["height"],
            r["to_left"] : r["to_left"] + r["width"],
        ] = True
        assert not changed[~box].any()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"scale": (0.2, 0.1)}, r"scale must be \(low, high\) with 0 <= low <= high"),
        ({"ratio": (0, 1)}, r"ratio must be \(low, high\) with 0 < low"),
        ({"p": 2.0}, "'p' parameter of CutPaste"),
    ],
)
def test_bad_parameters_are_named(params, message):
    with pytest.raises(ValueError, match=message):
        CutPaste(**params)(np.zeros((8, 8), np.uint8), rng=0)
