"""ElasticDeformation, RandomErasing and TrivialAugment: what they draw
and do."""

import math

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter, map_coordinates

from imgbalance.augment import (
    ColorJitter,
    Compose,
    ElasticDeformation,
    GaussianBlur,
    RandomAffine,
    RandomErasing,
    RandomRotation,
    TrivialAugment,
)
from imgbalance.over_sampling import AugmentingOverSampler


def smooth_image(seed=0, shape=(40, 48)):
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (shape[0] // 8, shape[1] // 8))
    return np.kron(small, np.ones((8, 8))).astype(np.uint8)


def test_elastic_default_path_is_the_reference():
    """The reference, written here with SciPy: the fields drawn from the
    same generator (alpha and sigma fixed: nothing else is drawn), blurred,
    scaled, and the image sampled there (mirrored borders), rounded."""
    x = smooth_image()
    out = ElasticDeformation(alpha=12.0, sigma=3.0, backend="default")(x, rng=7)
    rng = np.random.default_rng(7)
    noise = rng.random((2,) + x.shape, dtype=np.float32) * 2 - 1
    fields = [gaussian_filter(f, 3.0, mode="mirror", truncate=4.0) for f in noise]
    rows, cols = np.mgrid[0 : x.shape[0], 0 : x.shape[1]].astype(np.float32)
    sampled = map_coordinates(
        x.astype(np.float32),
        [rows + np.float32(12.0) * fields[0], cols + np.float32(12.0) * fields[1]],
        order=1,
        mode="mirror",
    )
    # the shift in float32 as the sampler computes it: alpha * field + grid
    np.testing.assert_array_equal(out, np.clip(np.rint(sampled), 0, 255))
    assert np.abs(out.astype(int) - x).max() > 20  # it did move pixels


@pytest.mark.parametrize("backend", ["default", "opencv"])
def test_elastic_without_displacement_is_the_identity(backend):
    x = smooth_image(1)
    out = ElasticDeformation(alpha=0.0, sigma=2.0, backend=backend)(x, rng=0)
    np.testing.assert_array_equal(out, x)


def test_elastic_larger_sigma_bends_more_smoothly():
    """With the same alpha, the displacement of neighbouring pixels differs
    less when sigma is larger (the field is smoother)."""
    x = np.tile(np.arange(64, dtype=np.uint8) * 4, (64, 1))  # a ramp left-right
    roughness = []
    for sigma in (1.0, 8.0):
        out = ElasticDeformation(alpha=30.0, sigma=sigma)(x, rng=3).astype(float)
        roughness.append(np.abs(np.diff(out - x, axis=0)).mean())
    assert roughness[0] > 2 * roughness[1]


def test_erasing_draws_areas_and_ratios_in_their_ranges():
    x = np.full((60, 80), 200, dtype=np.uint8)
    aug = RandomErasing(p=1.0, scale=(0.05, 0.2), ratio=(0.5, 2.0), value=0.0)
    rng = np.random.default_rng(0)
    areas, ratios = [], []
    for _ in range(300):
        out, (record,) = aug.augment(x, rng)
        assert record["erased"]
        top, left, h, w = (record[k] for k in ("top", "left", "height", "width"))
        erased = out == 0
        assert erased.sum() == h * w and erased[top : top + h, left : left + w].all()
        areas.append(h * w / x.size)
        ratios.append(h / w)
    # rounding the sides to whole pixels moves the area and the ratio a little
    assert 0.04 <= min(areas) and max(areas) <= 0.22
    assert 0.4 <= min(ratios) and max(ratios) <= 2.5
    assert np.mean(np.log(ratios)) == pytest.approx(0, abs=0.1)  # log-uniform


def test_erasing_probability_and_values():
    x = np.full((20, 20, 3), 0.5, dtype=np.float32)
    rng = np.random.default_rng(1)
    erased = [RandomErasing(p=0.3).augment(x, rng)[1][0]["erased"] for _ in range(2000)]
    assert abs(np.mean(erased) - 0.3) < 4 * math.sqrt(0.3 * 0.7 / 2000)
    white = RandomErasing(p=1.0, value=1.0)(x, rng=0)
    assert set(np.unique(white).tolist()) == {0.5, 1.0}
    noisy = RandomErasing(p=1.0, value="random")(x, rng=0)
    changed = noisy != 0.5
    assert changed.any() and noisy.min() >= 0 and noisy.max() <= 1
    assert len(np.unique(noisy[changed])) > 10  # noise, not one value


def test_erasing_gives_up_when_nothing_fits():
    x = np.zeros((2, 2), np.uint8)
    out, (record,) = RandomErasing(p=1.0, scale=(0.9, 1.0)).augment(x, rng=0)
    assert record == {
        "transform": "RandomErasing",
        "erased": False,
        "top": 0,
        "left": 0,
        "height": 0,
        "width": 0,
    }
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"scale": (0.3, 0.1)}, "scale must be (low, high) with 0 <= low <= high <= 1"),
        ({"scale": (0.1, 1.5)}, "scale must be (low, high) with 0 <= low <= high <= 1"),
        ({"ratio": (0, 2)}, "ratio must be (low, high) with 0 < low <= high"),
        ({"scale": ("a", 1)}, "scale and ratio must be (low, high) pairs of numbers"),
        ({"scale": "big"}, "The 'scale' parameter of RandomErasing must be an insta"),
    ],
)
def test_erasing_bad_ranges_are_named(params, message):
    with pytest.raises(ValueError) as info:
        RandomErasing(p=1.0, **params)(np.zeros((8, 8), np.uint8), rng=0)
    assert str(info.value).startswith(message)


def test_the_same_variants_for_any_number_of_jobs():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (30, 24, 24, 3), dtype=np.uint8)
    y = np.array([0] * 24 + [1] * 6)
    augmenter = Compose(
        [ElasticDeformation(alpha=(4, 8), sigma=(2, 4)), RandomErasing(p=0.5)]
    )
    outputs = []
    for n_jobs in (1, 2):
        sampler = AugmentingOverSampler(
            augmenter=augmenter, random_state=0, n_jobs=n_jobs
        )
        outputs.append(sampler.fit_resample(X, y)[0])
    np.testing.assert_array_equal(outputs[0], outputs[1])
    assert len(outputs[0]) == 48


def test_trivial_augment_draws_one_operation_uniformly():
    x = smooth_image(2, shape=(24, 24))
    x = np.stack([x, x[::-1], x[:, ::-1]], axis=-1)
    aug = TrivialAugment()
    rng = np.random.default_rng(0)
    names, magnitudes = [], []
    for _ in range(2000):
        _, (record,) = aug.augment(x, rng)
        assert record["transform"] == "TrivialAugment"
        names.append(record["operation"])
        magnitudes.append(record["magnitude"])
    counts = np.array([names.count(name) for name in TrivialAugment.OPERATIONS])
    expected = 2000 / len(counts)
    assert np.all(np.abs(counts - expected) < 4 * np.sqrt(expected))
    assert 0 <= min(magnitudes) and max(magnitudes) < 1
    assert np.mean(magnitudes) == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize(
    "operation, same_as",
    [
        ("rotate", lambda r: RandomRotation((r["angle"],) * 2)),
        ("shear", lambda r: RandomAffine(0, shear=(r["shear"],) * 2)),
        ("brightness", lambda r: ColorJitter(brightness=(r["factor"],) * 2)),
        ("contrast", lambda r: ColorJitter(contrast=(r["factor"],) * 2)),
        ("blur", lambda r: GaussianBlur(sigma=r["sigma"])),
    ],
)
def test_trivial_augment_operations_are_the_transforms(operation, same_as):
    """Each operation at its drawn strength gives what the transform of
    that strength gives."""
    x = np.stack([smooth_image(3)] * 3, axis=-1)
    for seed in range(5):
        out, (record,) = TrivialAugment([operation]).augment(x, rng=seed)
        assert record["magnitude"] >= 0
        np.testing.assert_array_equal(out, same_as(record)(x, rng=0))


def test_trivial_augment_identity_and_bad_names():
    x = smooth_image(4)
    out = TrivialAugment(["identity"])(x, rng=0)
    np.testing.assert_array_equal(out, x)
    with pytest.raises(ValueError) as info:
        TrivialAugment(["rotate", "solarize"])(x, rng=0)
    assert str(info.value).startswith("operations must be a non-empty list of identity")
