"""EmbeddingUnderSampler: imbalanced-learn's under-samplers and cleaners on
an embedding of the images keep what they keep there, as real images."""

import numpy as np
import pytest
from imblearn.combine import SMOTEENN
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import (
    AllKNN,
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    InstanceHardnessThreshold,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from PIL import Image
from sklearn.base import clone
from sklearn.decomposition import PCA

from imgbalance.features import HOGFeatures
from imgbalance.under_sampling import EmbeddingUnderSampler

SAMPLERS = [
    RandomUnderSampler(random_state=0),
    NearMiss(version=1),
    NearMiss(version=2),
    NearMiss(version=3),
    InstanceHardnessThreshold(random_state=0, cv=3),
    TomekLinks(),
    EditedNearestNeighbours(),
    RepeatedEditedNearestNeighbours(),
    AllKNN(),
    CondensedNearestNeighbour(random_state=0),
    OneSidedSelection(random_state=0),
    NeighbourhoodCleaningRule(),
]


def make_images(seed=0):
    """Three classes of 12x12 gray images (60, 25, 15), each a class's
    pattern plus noise strong enough that the classes overlap (every
    cleaner removes images here)."""
    rng = np.random.default_rng(seed)
    patterns = 128 + rng.integers(-12, 13, (3, 12, 12))
    y = np.repeat([0, 1, 2], [60, 25, 15])
    noise = rng.normal(0, 40, (len(y), 12, 12))
    X = np.clip(patterns[y] + noise, 0, 255).astype(np.uint8)
    return X, y


def embedding_of(X):
    """The embedding the sampler works in, computed here: pixels scaled to
    [0, 1] in float32, a deterministic PCA."""
    rows = X.reshape(len(X), -1).astype(np.float32) / np.float32(255)
    return PCA(n_components=6, svd_solver="full").fit_transform(rows)


# NearMiss-3 finds fewer candidates than asked on this data, and says so
NEARMISS_SHORT = "ignore:The number of the samples to be selected:UserWarning"


@pytest.mark.filterwarnings(NEARMISS_SHORT)
@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: repr(s))
def test_keeps_what_imblearn_keeps_on_the_embedding(sampler):
    X, y = make_images()
    theirs = clone(sampler)
    theirs.fit_resample(embedding_of(X), y)
    assert len(theirs.sample_indices_) < len(y)  # it removes images here
    ours = EmbeddingUnderSampler(
        sampler, embedder=PCA(n_components=6, svd_solver="full"), random_state=0
    )
    X_res, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_res, X[theirs.sample_indices_])
    np.testing.assert_array_equal(y_res, y[theirs.sample_indices_])
    assert X_res.dtype == np.uint8 and X_res.shape[1:] == (12, 12)


@pytest.mark.filterwarnings(NEARMISS_SHORT)
@pytest.mark.parametrize("sampler", SAMPLERS[:6], ids=lambda s: repr(s))
def test_a_list_of_paths_stays_paths(sampler, tmp_path):
    """Files are decoded to be embedded; the output is the same path
    strings, and the same images as the array gives."""
    X, y = make_images()
    paths = []
    for i, image in enumerate(X):
        paths.append(str(tmp_path / f"{i:03d}.png"))
        Image.fromarray(image).save(paths[-1])
    embedder = PCA(n_components=6, svd_solver="full")
    from_array = EmbeddingUnderSampler(sampler, embedder=embedder, random_state=0)
    from_array.fit_resample(X, y)
    from_paths = EmbeddingUnderSampler(sampler, embedder=embedder, random_state=0)
    X_res, y_res = from_paths.fit_resample(paths, y)
    assert isinstance(X_res, list)
    assert X_res == [paths[i] for i in from_array.sample_indices_]
    np.testing.assert_array_equal(
        from_paths.sample_indices_, from_array.sample_indices_
    )


def test_cluster_centroids_hard_voting_gives_its_images():
    """With voting="hard", ClusterCentroids picks rows of the embedding
    itself: the output images are those rows' images."""
    X, y = make_images()
    embedding = embedding_of(X)
    chosen, y_chosen = ClusterCentroids(voting="hard", random_state=0).fit_resample(
        embedding, y
    )
    ours = EmbeddingUnderSampler(
        ClusterCentroids(voting="hard", random_state=0),
        embedder=PCA(n_components=6, svd_solver="full"),
    )
    X_res, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(embedding[ours.sample_indices_], chosen)
    np.testing.assert_array_equal(y_res, y_chosen)
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    assert np.bincount(y_res).tolist() == [15, 15, 15]


def test_cluster_centroids_soft_voting_gives_nearest_real_images():
    """Soft voting makes averages; the sampler gives, for each centroid, the
    image of its class nearest to it, never a blurred average."""
    X, y = make_images()
    embedding = embedding_of(X)
    centroids, y_centroids = ClusterCentroids(
        voting="soft", random_state=0
    ).fit_resample(embedding, y)
    ours = EmbeddingUnderSampler(
        ClusterCentroids(voting="soft", random_state=0),
        embedder=PCA(n_components=6, svd_solver="full"),
    )
    X_res, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_centroids)
    for centroid, label, index in zip(centroids, y_centroids, ours.sample_indices_):
        members = np.flatnonzero(y == label)
        # in float64: in float32, two images at close range can swap
        gaps = embedding[members].astype(np.float64) - centroid.astype(np.float64)
        distances = np.linalg.norm(gaps, axis=1)
        assert index == members[np.argmin(distances)]
    assert all((X == image).all(axis=(1, 2)).any() for image in X_res)


def test_default_is_cluster_centroids_on_pca_and_seeded():
    X, y = make_images()
    first = EmbeddingUnderSampler(random_state=3)
    X_res, y_res = first.fit_resample(X, y)
    assert type(first.sampler_).__name__ == "ClusterCentroids"
    assert first.sampler_.voting == "hard"
    assert type(first.embedder_).__name__ == "PCA"
    assert first.embedder_.n_components_ == 50
    assert np.bincount(y_res).tolist() == [15, 15, 15]
    again = EmbeddingUnderSampler(random_state=3).fit(X, y)
    again.fit_resample(X, y)
    np.testing.assert_array_equal(first.sample_indices_, again.sample_indices_)


def test_sampling_strategy_reaches_the_sampler():
    X, y = make_images()
    sampler = EmbeddingUnderSampler(
        NearMiss(), sampling_strategy={0: 20, 1: 18}, random_state=0
    )
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [20, 18, 15]
    cleaner = EmbeddingUnderSampler(
        EditedNearestNeighbours(n_neighbors=9), sampling_strategy=[1]
    )
    _, y_res = cleaner.fit_resample(X, y)
    counts = np.bincount(y_res).tolist()
    assert counts[0] == 60 and counts[2] == 15 and counts[1] < 25
    assert cleaner.sampler_.sampling_strategy == [1]


def test_an_image_embedder_is_given_the_shape():
    """An embedder with an image_shape parameter gets the images' shape:
    the arrays' own, or image_shape for flattened images."""
    X, y = make_images()
    hog = HOGFeatures(pixels_per_cell=(4, 4))
    sampler = EmbeddingUnderSampler(TomekLinks(), embedder=hog)
    sampler.fit_resample(X, y)
    assert sampler.embedder_.image_shape == (12, 12)
    flat = EmbeddingUnderSampler(TomekLinks(), embedder=hog, image_shape=(12, 12))
    flat.fit_resample(X.reshape(len(X), -1), y)
    np.testing.assert_array_equal(flat.sample_indices_, sampler.sample_indices_)
    unknown = EmbeddingUnderSampler(TomekLinks(), embedder=hog)
    with pytest.raises(ValueError, match=r"The images \(1x144 px\) are too small"):
        unknown.fit_resample(X.reshape(len(X), -1), y)


@pytest.mark.parametrize(
    "sampler, name",
    [(SMOTE(), "SMOTE"), (SMOTEENN(), "SMOTEENN"), (PCA(), "PCA")],
)
def test_samplers_that_add_images_are_refused(sampler, name):
    X, y = make_images()
    with pytest.raises((ValueError, TypeError)) as info:
        EmbeddingUnderSampler(sampler).fit_resample(X, y)
    if name != "PCA":
        assert str(info.value).startswith(
            f"sampler={name}() is not an under-sampler or a cleaner"
        )
