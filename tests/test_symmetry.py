"""RandomSymmetry: the symmetries of the square, drawn uniformly, exact."""

import numpy as np
import pytest
from sklearn.base import clone

from imgbalance.augment import Compose, RandomSymmetry
from imgbalance.over_sampling import AugmentingOverSampler


def symmetries(image):
    """The eight images of the dihedral group, written out."""
    mirrored = image[:, ::-1]
    return {
        (k, m): np.rot90(mirrored if m else image, k)
        for k in range(4)
        for m in (False, True)
    }


@pytest.mark.parametrize(
    "group, elements",
    [
        ("dihedral", {(k, m) for k in range(4) for m in (False, True)}),
        ("rotations", {(k, False) for k in range(4)}),
        ("flips", {(0, False), (0, True), (2, False), (2, True)}),
    ],
)
def test_each_element_uniformly_and_exactly(group, elements):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (5, 5, 3), dtype=np.uint8)
    expected = symmetries(image)
    counts = dict.fromkeys(elements, 0)
    transform = RandomSymmetry(group=group)
    for seed in range(4000):
        out, records = transform.augment(image, rng=seed)
        key = (records[0]["turns"], records[0]["mirrored"])
        np.testing.assert_array_equal(out, expected[key])
        assert out.dtype == np.uint8 and out.flags.c_contiguous
        counts[key] += 1
    share = 4000 / len(elements)
    assert set(counts) == elements
    assert all(abs(c - share) < 5 * np.sqrt(share) for c in counts.values())


def test_flips_group_is_the_mirror_images_and_half_turn():
    image = np.arange(6.0).reshape(2, 3)
    seen = {RandomSymmetry(group="flips")(image, rng=s).tobytes() for s in range(200)}
    assert seen == {
        image.tobytes(),
        image[:, ::-1].tobytes(),
        image[::-1].tobytes(),
        image[::-1, ::-1].tobytes(),
    }


@pytest.mark.parametrize("group", ["dihedral", "rotations"])
def test_non_square_images_keep_their_shape(group):
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    for seed in range(100):
        out, records = RandomSymmetry(group=group).augment(image, rng=seed)
        assert out.shape == (3, 4) and records[0]["turns"] in (0, 2)
        if group == "rotations":
            assert not records[0]["mirrored"]


def test_in_a_sampler_the_pixels_are_a_source_moved():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (10, 8, 8), dtype=np.uint8)
    y = np.array([0] * 8 + [1] * 2)
    sampler = AugmentingOverSampler(augmenter=RandomSymmetry(), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [8, 8]
    for image, source in zip(X_res[10:], sampler.sample_indices_[10:]):
        assert any(np.array_equal(image, s) for s in symmetries(X[source]).values())
    grid = clone(Compose([RandomSymmetry(group="flips")]))
    assert grid.get_params()["randomsymmetry__group"] == "flips"


def test_bad_group_is_named():
    with pytest.raises(ValueError, match="'group' parameter of RandomSymmetry"):
        RandomSymmetry(group="turns")(np.zeros((4, 4)), rng=0)
