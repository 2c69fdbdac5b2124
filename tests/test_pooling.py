"""The pooling option of GaborFeatures, LBPFeatures and
PatchDictionaryFeatures against loops over scikit-image and plain pooling."""

import numpy as np
import pytest
from local_reference import pool_reference
from PIL import Image
from skimage.feature import local_binary_pattern
from skimage.filters import gabor

from imgbalance.features import (
    GaborFeatures,
    LBPFeatures,
    PatchDictionaryFeatures,
)
from test_patch_dictionary import normalised_patches

ALL = ("mean", "std", "sum", "max", "min", "top_k", "percentile")


@pytest.fixture
def images():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (4, 20, 18), dtype=np.uint8)
    images[1, 5:7, 3:15] = 255  # a scratch
    images[2] = 128  # flat: ties everywhere
    return images


def test_gabor_pooled_equals_skimage_loop(images):
    model = GaborFeatures(
        frequencies=(0.25, 0.4),
        n_orientations=2,
        pool=ALL,
        top_k=7,
        percentile=95.0,
        backend="default",
    )
    features = model.fit_transform(images)
    assert features.shape == (4, 2 * 2 * 7) and features.dtype == np.float32
    for image, row in zip(images, features):
        expected = []
        for frequency in (0.25, 0.4):
            for k in range(2):
                real, imag = gabor(
                    image / 255, frequency, theta=k * np.pi / 2, mode="reflect"
                )
                magnitude = np.hypot(real, imag)
                expected += [pool_reference(magnitude, s, 7, 95.0) for s in ALL]
        np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-6)
    names = model.get_feature_names_out().tolist()
    assert names[:7] == [
        f"f0.25_a0_{s}" for s in ("mean", "std", "sum", "max", "min", "top7", "p95")
    ]


def test_gabor_default_pool_is_mean_and_std(images):
    default = GaborFeatures(frequencies=(0.3,), n_orientations=2).fit_transform(images)
    explicit = GaborFeatures(
        frequencies=(0.3,), n_orientations=2, pool=("mean", "std")
    ).fit_transform(images)
    np.testing.assert_array_equal(default, explicit)
    one = GaborFeatures(frequencies=(0.3,), n_orientations=2, pool="max")
    assert one.fit(images).get_feature_names_out().tolist() == [
        "f0.3_a0_max",
        "f0.3_a90_max",
    ]


@pytest.mark.parametrize("grid", [(4, 3), (1, 1)])
def test_lbp_pooled_equals_cell_loop(images, grid):
    model = LBPFeatures(grid=grid, pool=ALL, top_k=3, percentile=80.0)
    features = model.fit_transform(images)
    n_codes = 10
    assert features.shape == (4, 7 * n_codes)
    for image, row in zip(images, features):
        codes = local_binary_pattern(image, 8, 1, "uniform")
        cells = [
            [block for block in np.array_split(band, grid[1], axis=1)]
            for band in np.array_split(codes, grid[0], axis=0)
        ]
        shares = [
            [np.count_nonzero(cell == code) / cell.size for cell in sum(cells, [])]
            for code in range(n_codes)
        ]
        expected = [
            pool_reference(shares[code], s, 3, 80.0) for s in ALL for code in range(10)
        ]
        np.testing.assert_allclose(row, expected, rtol=1e-6, atol=1e-7)
    names = model.get_feature_names_out()
    assert names[0] == "lbp_mean_code0" and names[-1] == "lbp_p80_code9"


def test_lbp_without_pool_is_unchanged(images):
    model = LBPFeatures(grid=(2, 2))
    assert model.fit_transform(images).shape == (4, 40)
    assert model.get_feature_names_out()[0] == "lbp_cell0_code0"


@pytest.mark.parametrize("pooling", [(2, 2), (1, 1)])
def test_patch_dictionary_pooled_equals_patch_loop(pooling):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 9, 8, 3), dtype=np.uint8)
    stats = ("mean", "max", "top_k", "percentile", "sum")
    model = PatchDictionaryFeatures(
        n_atoms=4,
        patch_size=(3, 3),
        pooling=pooling,
        pool=stats,
        top_k=3,
        percentile=90.0,
        random_state=0,
    )
    features = model.fit_transform(images)
    gr, gc = pooling
    assert features.shape == (5, gr * gc * len(stats) * 4)
    for image, row in zip(images, features):
        rows, cols, patches = normalised_patches(image, (3, 3))
        regions = {}
        for index, patch in enumerate(patches):
            r, c = divmod(index, cols)
            x = (patch - model.patch_mean_) @ model.whitening_
            z = np.sqrt(((x - model.dictionary_) ** 2).sum(axis=1))
            key = (r * gr // rows, c * gc // cols)
            regions.setdefault(key, []).append(np.maximum(z.mean() - z, 0))
        expected = [
            pool_reference(np.array(regions[(r, c)])[:, atom], s, 3, 90.0)
            for r in range(gr)
            for c in range(gc)
            for s in stats
            for atom in range(4)
        ]
        # float32 encoding against the float64 loop
        np.testing.assert_allclose(row, expected, rtol=2e-4, atol=1e-4)
    assert model.get_feature_names_out()[[0, 4]].tolist() == [
        "r0c0_mean_atom0",
        "r0c0_max_atom0",
    ]


def test_patch_dictionary_sum_pool_keeps_its_names(images):
    rgb = np.stack([images] * 3, axis=-1)
    default = PatchDictionaryFeatures(n_atoms=3, patch_size=(4, 4), random_state=0)
    summed = PatchDictionaryFeatures(
        n_atoms=3, patch_size=(4, 4), pool=("sum",), random_state=0
    )
    np.testing.assert_array_equal(default.fit_transform(rgb), summed.fit_transform(rgb))
    assert summed.get_feature_names_out()[0] == "r0c0_atom0"


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: GaborFeatures(frequencies=(0.3,), **kw),
        lambda **kw: LBPFeatures(grid=(2, 2), **kw),
        lambda **kw: PatchDictionaryFeatures(n_atoms=2, patch_size=(3, 3), **kw),
    ],
)
def test_bad_pools_are_named(images, make):
    for pool, message in [
        ("median", "pool must be one or more different statistics among mean, std"),
        (("max", "max"), "pool must be one or more different statistics"),
        ((), "pool must be one or more different statistics"),
    ]:
        with pytest.raises(ValueError, match=message):
            make(pool=pool).fit_transform(np.stack([images] * 3, axis=-1))


def test_colour_images_pool_their_luma(tmp_path):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (2, 16, 16, 3), dtype=np.uint8)
    gray = np.stack([np.asarray(Image.fromarray(i).convert("L")) for i in rgb])
    model = GaborFeatures(frequencies=(0.3,), pool=("max", "top_k"), top_k=4)
    np.testing.assert_array_equal(model.fit_transform(rgb), model.fit_transform(gray))
