"""EmbeddingSMOTE with a cleaner: imbalanced-learn's SMOTEENN and SMOTETomek
on the embedding of the images, returning images."""

import numpy as np
import pytest
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import (
    ClusterCentroids,
    EditedNearestNeighbours,
    TomekLinks,
)
from PIL import Image
from sklearn.decomposition import PCA

from imgbalance.over_sampling import EmbeddingSMOTE


def make_images(seed=0):
    """Three overlapping classes of 12x12 gray images (60, 20, 10)."""
    rng = np.random.default_rng(seed)
    patterns = 128 + rng.integers(-12, 13, (3, 12, 12))
    y = np.repeat([0, 1, 2], [60, 20, 10])
    noise = rng.normal(0, 40, (len(y), 12, 12))
    return np.clip(patterns[y] + noise, 0, 255).astype(np.uint8), y


def pca():
    return PCA(n_components=6, svd_solver="full")


def embedding_of(X):
    rows = X.reshape(len(X), -1).astype(np.float32) / np.float32(255)
    return pca().fit_transform(rows)


@pytest.mark.parametrize(
    "combination, cleaner",
    [
        (
            SMOTEENN(
                smote=SMOTE(random_state=0),
                enn=EditedNearestNeighbours(sampling_strategy="all"),
            ),
            EditedNearestNeighbours(sampling_strategy="all"),
        ),
        (
            SMOTETomek(
                smote=SMOTE(random_state=0),
                tomek=TomekLinks(sampling_strategy="all"),
            ),
            TomekLinks(sampling_strategy="all"),
        ),
    ],
    ids=["SMOTEENN", "SMOTETomek"],
)
def test_equals_imblearn_combination_on_the_embedding(combination, cleaner):
    X, y = make_images()
    embedding = embedding_of(X)
    theirs, y_theirs = combination.fit_resample(embedding, y)
    their_cleaner = getattr(combination, "enn_", None) or combination.tomek_

    sampler = EmbeddingSMOTE(embedder=pca(), cleaner=cleaner, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)

    np.testing.assert_array_equal(
        sampler.cleaner_.sample_indices_, their_cleaner.sample_indices_
    )
    np.testing.assert_array_equal(y_res, y_theirs)
    assert len(y_res) < len(y) + 40 + 50  # the cleaner removed images
    synthetic = sampler.synthetic_
    assert synthetic.sum() == len(sampler.gaps_) > 0
    # kept originals: the images themselves, where the combination kept them
    kept = sampler.sample_indices_[~synthetic]
    np.testing.assert_array_equal(X_res[~synthetic], X[kept])
    np.testing.assert_array_equal(theirs[~synthetic], embedding[kept])
    # kept synthetic images: the combination's synthetic rows, decoded
    decoded = sampler.embedder_.inverse_transform(theirs[synthetic]) * 255
    expected = np.clip(np.rint(decoded), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(X_res[synthetic].reshape(len(expected), -1), expected)


def test_interpolated_images_are_kept_blends():
    X, y = make_images()
    sampler = EmbeddingSMOTE(
        embedder=pca(),
        generation="interpolate",
        cleaner=EditedNearestNeighbours(),
        random_state=0,
    )
    X_res, _ = sampler.fit_resample(X, y)
    rows = X.reshape(len(X), -1).astype(np.float32)
    sources = sampler.sample_indices_[sampler.synthetic_]
    gaps = sampler.gaps_.astype(np.float32)[:, None]
    blends = rows[sources] + gaps * (rows[sampler.neighbor_indices_] - rows[sources])
    np.testing.assert_array_equal(
        X_res[sampler.synthetic_].reshape(len(blends), -1),
        np.clip(np.rint(blends), 0, 255).astype(np.uint8),
    )


def test_random_over_sampler_copies_then_cleaning():
    X, y = make_images()
    sampler = EmbeddingSMOTE(
        embedder=pca(),
        oversampler=RandomOverSampler(random_state=0),
        cleaner=TomekLinks(sampling_strategy="all"),
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])
    assert sampler.synthetic_.any()


def test_paths_stay_paths_and_synthetic_images_are_arrays(tmp_path):
    X, y = make_images()
    paths = []
    for i, image in enumerate(X):
        paths.append(str(tmp_path / f"{i:03d}.png"))
        Image.fromarray(image).save(paths[-1])
    cleaner = EditedNearestNeighbours(sampling_strategy="all")
    from_array = EmbeddingSMOTE(embedder=pca(), cleaner=cleaner, random_state=0)
    X_array, _ = from_array.fit_resample(X, y)
    from_paths = EmbeddingSMOTE(embedder=pca(), cleaner=cleaner, random_state=0)
    X_paths, _ = from_paths.fit_resample(paths, y)
    assert isinstance(X_paths, list) and len(X_paths) == len(X_array)
    for item, image, index, made in zip(
        X_paths, X_array, from_paths.sample_indices_, from_paths.synthetic_
    ):
        if made:
            np.testing.assert_array_equal(item, image)
        else:
            assert item == paths[index]


def test_nothing_to_grow_still_cleans():
    X, y = make_images()
    sampler = EmbeddingSMOTE(
        embedder=pca(),
        sampling_strategy={2: 10},  # already 10: nothing to add
        cleaner=EditedNearestNeighbours(sampling_strategy="all"),
    )
    X_res, y_res = sampler.fit_resample(X, y)
    theirs = EditedNearestNeighbours(sampling_strategy="all")
    theirs.fit_resample(embedding_of(X), y)
    np.testing.assert_array_equal(sampler.sample_indices_, theirs.sample_indices_)
    assert not sampler.synthetic_.any() and len(sampler.gaps_) == 0


@pytest.mark.parametrize("cleaner", [ClusterCentroids(), SMOTE()])
def test_cleaners_that_do_not_keep_a_subset_are_refused(cleaner):
    X, y = make_images()
    with pytest.raises(ValueError) as info:
        EmbeddingSMOTE(cleaner=cleaner).fit_resample(X, y)
    assert str(info.value).startswith(
        f"cleaner={type(cleaner).__name__}() does not keep a subset of the images"
    )
