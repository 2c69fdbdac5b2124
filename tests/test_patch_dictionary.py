"""PatchDictionaryFeatures against the Coates-Lee-Ng pipeline written out
patch by patch."""

import numpy as np
import pytest
from sklearn.cluster import MiniBatchKMeans

from imgbalance.features import PatchDictionaryFeatures


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (6, 9, 7, 3), dtype=np.uint8)


def normalised_patches(image, patch, stride=1):
    """Every patch of one (h, w, c) uint8 image, normalised as the paper
    does (minus the mean, over sqrt(variance + 10)): rows, cols and the
    (rows * cols, values) patches, in row-major position order."""
    ph, pw = patch
    rows = (image.shape[0] - ph) // stride + 1
    cols = (image.shape[1] - pw) // stride + 1
    out = []
    for r in range(rows):
        for c in range(cols):
            top, left = r * stride, c * stride
            values = image[top : top + ph, left : left + pw].astype(np.float64).ravel()
            values = values - values.mean()
            out.append(values / np.sqrt(values.var() + 10.0))
    return rows, cols, np.array(out)


def encode_loop(model, image, stride=1):
    """The features of one image, one patch and one atom at a time."""
    rows, cols, patches = normalised_patches(image, model.patch_size, stride)
    gr, gc = model.pooling
    k = len(model.dictionary_)
    pooled = np.zeros((gr, gc, k))
    for index, patch in enumerate(patches):
        r, c = divmod(index, cols)
        x = patch - model.patch_mean_
        if model.whitening_ is not None:
            x = x @ model.whitening_
        z = np.array([np.sqrt(np.sum((x - atom) ** 2)) for atom in model.dictionary_])
        pooled[r * gr // rows, c * gc // cols] += np.maximum(z.mean() - z, 0)
    return pooled.ravel()


@pytest.mark.parametrize("whiten", [True, False])
@pytest.mark.parametrize("stride, pooling", [(1, (2, 2)), (2, (3, 1))])
def test_encoding_equals_the_loop(images, whiten, stride, pooling):
    model = PatchDictionaryFeatures(
        n_atoms=5,
        patch_size=(3, 2),
        stride=stride,
        pooling=pooling,
        whiten=whiten,
        random_state=0,
    )
    features = model.fit_transform(images)
    assert features.shape == (6, 5 * pooling[0] * pooling[1])
    assert features.dtype == np.float32
    for image, row in zip(images, features):
        # float32 encoding against the float64 loop
        np.testing.assert_allclose(row, encode_loop(model, image, stride), rtol=2e-4)


def test_learning_is_zca_then_kmeans(images):
    # 6 images x 7 x 6 positions = 252 patches <= n_patches: all are used,
    # in image and position order, so the steps can be redone here.
    model = PatchDictionaryFeatures(n_atoms=4, patch_size=(3, 2), random_state=3)
    model.fit(images)
    patches = np.concatenate([normalised_patches(i, (3, 2))[2] for i in images])
    assert patches.shape == (252, 18)
    np.testing.assert_allclose(model.patch_mean_, patches.mean(axis=0), atol=1e-5)
    centred = patches - patches.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred.T, bias=True))
    zca = vectors @ np.diag(1 / np.sqrt(values + 0.1)) @ vectors.T
    np.testing.assert_allclose(model.whitening_, zca, rtol=1e-3, atol=1e-4)
    kmeans = MiniBatchKMeans(n_clusters=4, random_state=3).fit(centred @ zca)
    np.testing.assert_allclose(model.dictionary_, kmeans.cluster_centers_, atol=1e-3)
    assert model.n_channels_ == 3 and model.n_features_out_ == 16


def test_seeded_and_independent_of_threads(images):
    kwargs = {"n_atoms": 6, "patch_size": (3, 3), "n_patches": 50}
    one = PatchDictionaryFeatures(**kwargs, random_state=1).fit_transform(images)
    two = PatchDictionaryFeatures(**kwargs, random_state=1, n_jobs=2)
    np.testing.assert_array_equal(two.fit_transform(images), one)
    other = PatchDictionaryFeatures(**kwargs, random_state=2).fit_transform(images)
    assert not np.array_equal(other, one)


def test_dtypes_alpha_and_any_size(images):
    model = PatchDictionaryFeatures(n_atoms=3, patch_size=(2, 2), random_state=0)
    reference = model.fit_transform(images)
    # float images on 0..1 are the same pixels; alpha is ignored
    np.testing.assert_allclose(
        model.fit_transform(images / 255.0), reference, rtol=1e-4, atol=1e-4
    )
    rgba = np.concatenate([images, np.full(images.shape[:3] + (1,), 7, np.uint8)], -1)
    np.testing.assert_array_equal(model.fit_transform(rgba), reference)
    model.fit(images)
    sizes = [images[0], images[1][:5, :4]]
    assert model.transform(sizes).shape == (2, 12)
    assert model.get_feature_names_out()[[0, 3, 11]].tolist() == [
        "r0c0_atom0",
        "r0c1_atom0",
        "r1c1_atom2",
    ]


def test_errors_name_the_fix(images):
    small = PatchDictionaryFeatures(patch_size=(10, 2))
    with pytest.raises(ValueError, match=r"X holds images of 9x7 pixels .*patch_size"):
        small.fit(images)
    few = PatchDictionaryFeatures(n_atoms=300, patch_size=(3, 2))
    with pytest.raises(ValueError, match="give 252 patches .* fewer than n_atoms=300"):
        few.fit(images)
    model = PatchDictionaryFeatures(n_atoms=2, patch_size=(2, 2)).fit(images)
    with pytest.raises(
        ValueError, match=r"X\[0\] holds gray images, but .* was fitted on"
    ):
        model.transform([images[1][..., 0]])
    # beside a colour one, a gray image is made colour (the mode rule)
    with pytest.warns(UserWarning, match="several modes, converted to one"):
        assert model.transform([images[0], images[1][..., 0]]).shape[0] == 2
    with pytest.raises(ValueError, match="X\\[1\\] is 1x7 pixels, smaller than"):
        model.transform([images[0], images[1][:1]])
    with pytest.raises(ValueError, match="pooling must be two positive integers"):
        PatchDictionaryFeatures(pooling=(2, 0)).fit(images)
