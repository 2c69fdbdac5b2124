"""EmbeddingSMOTE: SMOTE's pairs in an embedding, images out."""

import re

import numpy as np
import pytest
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from imblearn.pipeline import make_pipeline
from PIL import Image
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.features import HOGFeatures, PixelFeatures
from imgbalance.over_sampling import EmbeddingSMOTE


def make_data(dtype=np.float64, shape=(6, 7, 3), seed=0):
    rng = np.random.default_rng(seed)
    y = np.array([0] * 40 + [1] * 12 + [2] * 8)
    X = rng.random((len(y),) + shape)
    if dtype == np.uint8:
        X = (X * 255).round().astype(np.uint8)
    return X.astype(dtype), y


def k_nearest_in_class(rows, y, i, k):
    """Positions of the k nearest rows of i's class (i itself excluded)."""
    members = np.flatnonzero(y == y[i])
    distances = np.linalg.norm(rows[members] - rows[i], axis=1)
    order = members[np.argsort(distances, kind="stable")]
    return set(order[order != i][:k].tolist())


@pytest.mark.parametrize(
    "sampling_strategy", ["auto", "minority", {1: 30, 2: 25}, "not majority"]
)
@pytest.mark.parametrize("k_neighbors", [1, 3, 5])
def test_decode_with_all_components_is_smote_on_pixels(sampling_strategy, k_neighbors):
    X, y = make_data()
    sampler = EmbeddingSMOTE(
        embedder=PCA(),
        k_neighbors=k_neighbors,
        sampling_strategy=sampling_strategy,
        random_state=7,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    smote = SMOTE(
        k_neighbors=k_neighbors, sampling_strategy=sampling_strategy, random_state=7
    )
    X_smote, y_smote = smote.fit_resample(X.reshape(len(X), -1), y)
    assert X_res.shape == (len(X_smote),) + X.shape[1:] and X_res.dtype == X.dtype
    np.testing.assert_array_equal(y_res, y_smote)
    np.testing.assert_allclose(
        X_res.reshape(len(X_res), -1), X_smote, rtol=0, atol=1e-6
    )
    # the pairs are SMOTE's: each neighbour among the source's k nearest pixels
    rows = X.reshape(len(X), -1)
    sources = sampler.sample_indices_[len(X) :]
    for source, neighbor in zip(sources, sampler.neighbor_indices_):
        assert neighbor in k_nearest_in_class(rows, y, source, k_neighbors)
    assert ((sampler.gaps_ >= 0) & (sampler.gaps_ < 1)).all()


def test_decode_uint8_rounds_smote_pixels():
    """uint8 images give SMOTE's pixels (SMOTE run on float pixels: on uint8
    rows its differences wrap round), rounded."""
    X, y = make_data(np.uint8, shape=(8, 8))
    X_res, _ = EmbeddingSMOTE(embedder=PCA(), random_state=1).fit_resample(X, y)
    rows = X.reshape(len(X), -1)
    X_smote, _ = SMOTE(random_state=1).fit_resample(rows.astype(np.float64), y)
    expected = np.clip(np.rint(X_smote), 0, 255)
    difference = np.abs(X_res.reshape(len(X_res), -1).astype(float) - expected)
    assert X_res.dtype == np.uint8
    assert difference.max() <= 1 and difference.mean() < 1e-3  # .5 ties only
    wrapped, _ = SMOTE(random_state=1).fit_resample(rows, y)
    assert np.abs(wrapped - X_smote).max() > 100  # what SMOTE does on uint8


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_interpolate_lies_on_the_segment(dtype):
    X, y = make_data(dtype)
    sampler = EmbeddingSMOTE(generation="interpolate", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == dtype and X_res.shape[1:] == X.shape[1:]
    np.testing.assert_array_equal(X_res[: len(X)], X)
    sources = sampler.sample_indices_[len(X) :]
    neighbors, gaps = sampler.neighbor_indices_, sampler.gaps_
    np.testing.assert_array_equal(y_res[len(X) :], y[sources])
    np.testing.assert_array_equal(y[neighbors], y[sources])
    a, b = X[sources].astype(np.float64), X[neighbors].astype(np.float64)
    expected = a + gaps[:, None, None, None] * (b - a)
    if dtype == np.uint8:
        expected = np.rint(expected)
    tolerance = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(X_res[len(X) :], expected, rtol=0, atol=tolerance)
    # on the segment: between the two ends, pixel by pixel
    low, high = np.minimum(a, b), np.maximum(a, b)
    synthetic = X_res[len(X) :].astype(np.float64)
    assert ((synthetic >= low - tolerance) & (synthetic <= high + tolerance)).all()


def test_interpolate_with_hog_embedding_pairs_hog_neighbours():
    X, y = make_data(np.uint8, shape=(32, 32))
    sampler = EmbeddingSMOTE(
        embedder=HOGFeatures(), generation="interpolate", k_neighbors=2, random_state=0
    )
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.embedder_.image_shape == (32, 32)  # given the images' shape
    features = HOGFeatures().fit_transform(X)
    sources = sampler.sample_indices_[len(X) :]
    for source, neighbor in zip(sources, sampler.neighbor_indices_):
        assert neighbor in k_nearest_in_class(features, y, source, 2)
    assert X_res.shape == (120, 32, 32)


def test_default_embedder_and_components():
    X, y = make_data(np.uint8, shape=(16, 16))
    sampler = EmbeddingSMOTE(random_state=0).fit_resample(X, y) and None
    sampler = EmbeddingSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.embedder_, PCA)
    # fitted on the 20 images of the classes to grow: min(50, 20, 256)
    assert sampler.embedder_.n_components_ == 20
    X_big, y_big = make_data(np.uint8, shape=(16, 16), seed=1)
    X_big = np.concatenate([X_big] * 4)
    y_big = np.concatenate([y_big] * 4)
    sampler.fit_resample(X_big, y_big)
    assert sampler.embedder_.n_components_ == 50


def test_same_random_state_same_images_for_any_n_jobs():
    X, y = make_data(np.uint8)
    first, _ = EmbeddingSMOTE(random_state=4).fit_resample(X, y)
    again, _ = EmbeddingSMOTE(random_state=4, n_jobs=2).fit_resample(X, y)
    other, _ = EmbeddingSMOTE(random_state=5).fit_resample(X, y)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_decoded_pixels_are_clipped():
    """A lossy embedding overshoots: integers are clipped to their dtype's
    range (not wrapped), floats to the input's range."""
    X, y = make_data(np.float32, shape=(10, 10))
    X = (X > 0.5).astype(np.float32)  # black and white: blurred decodes overshoot
    for data, scale in ((X, 1.0), ((X * 255).round().astype(np.uint8), 255.0)):
        sampler = EmbeddingSMOTE(embedder=PCA(n_components=2), random_state=0)
        X_res, _ = sampler.fit_resample(data, y)
        rows = data.reshape(len(data), -1)
        z = sampler.embedder_.transform(rows[y > 0].astype(np.float32) / scale)
        position = np.cumsum(y > 0) - 1  # row of each grown image in z
        sources = position[sampler.sample_indices_[len(X) :]]
        neighbors = position[sampler.neighbor_indices_]
        gaps = sampler.gaps_[:, None]
        z_new = z[sources] + gaps * (z[neighbors] - z[sources])
        decoded = sampler.embedder_.inverse_transform(z_new) * scale
        assert decoded.min() < rows.min() and decoded.max() > rows.max()
        if data.dtype == np.uint8:
            expected = np.clip(np.rint(decoded), 0, 255)
        else:
            expected = np.clip(decoded, rows.min(), rows.max())
        np.testing.assert_allclose(
            X_res[len(X) :].reshape(len(decoded), -1), expected, atol=1e-5
        )


def test_flattened_rows_with_image_shape_and_sequences(tmp_path):
    X, y = make_data(np.uint8, shape=(8, 8, 3))
    expected, y_expected = EmbeddingSMOTE(random_state=0).fit_resample(X, y)
    flat, y_flat = EmbeddingSMOTE(random_state=0, image_shape=(8, 8, 3)).fit_resample(
        X.reshape(len(X), -1), y
    )
    np.testing.assert_array_equal(flat, expected.reshape(len(expected), -1))
    np.testing.assert_array_equal(y_flat, y_expected)
    paths = []
    for i, image in enumerate(X):
        path = tmp_path / f"{i}.png"
        Image.fromarray(image).save(path)
        paths.append(str(path))
    out, y_out = EmbeddingSMOTE(random_state=0).fit_resample(paths, y)
    assert isinstance(out, list) and out[: len(paths)] == paths
    np.testing.assert_array_equal(np.stack(out[len(paths) :]), expected[len(X) :])
    np.testing.assert_array_equal(y_out, y_expected)


def test_oversampler_makes_the_embeddings():
    X, y = make_data(np.uint8, shape=(8, 8))
    for oversampler in (BorderlineSMOTE(k_neighbors=3), ADASYN(n_neighbors=3)):
        sampler = EmbeddingSMOTE(oversampler=oversampler, random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
        n_new = len(X_res) - len(X)
        assert n_new > 0 and X_res.dtype == np.uint8
        counts = np.bincount(y)
        assert sampler.oversampler_.sampling_strategy == {
            label: counts[label] + n for label, n in sampler.sampling_strategy_.items()
        }
        assert sampler.oversampler_.random_state is not None
        assert oversampler.random_state is None  # the given one is untouched
        sources = sampler.sample_indices_[len(X) :]
        np.testing.assert_array_equal(y[sources], y_res[len(X) :])
        assert (sampler.neighbor_indices_ == -1).all()
        assert np.isnan(sampler.gaps_).all() and len(sampler.gaps_) == n_new
    again, _ = EmbeddingSMOTE(
        oversampler=ADASYN(n_neighbors=3), random_state=0
    ).fit_resample(X, y)
    np.testing.assert_array_equal(again, X_res)


def test_small_class_shrinks_k_with_a_warning():
    X, y = make_data(np.uint8, shape=(8, 8))
    y = y.copy()
    y[-5:] = 3  # class 3: 5 images, class 2: 3 images
    with pytest.warns(
        UserWarning,
        match=re.escape(
            "Class 2 has 3 samples, too few for k_neighbors=4; using 2 neighbours"
        ),
    ):
        sampler = EmbeddingSMOTE(k_neighbors=4, random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 40, 40, 40]
    sources = sampler.sample_indices_[len(X) :]
    assert (y[sampler.neighbor_indices_] == y[sources]).all()
    assert sampler.k_neighbors_ == {1: 4, 2: 2, 3: 4}


def test_grid_search_over_small_folds_goes_on():
    """Folds that leave a class with fewer images than k_neighbors + 1 use
    fewer neighbours there, instead of failing the search."""
    import warnings

    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    X, y = make_data(np.uint8, shape=(8, 8))
    keep = np.r_[0:40, 40:52, 52:56]  # class 2: 4 images, 3 in a training fold
    X, y = X[keep], y[keep]
    pipeline = make_pipeline(
        EmbeddingSMOTE(random_state=0),
        PixelFeatures(),
        LogisticRegression(max_iter=500),
    )
    search = GridSearchCV(
        pipeline,
        {"embeddingsmote__k_neighbors": [1, 5, 10]},
        cv=StratifiedKFold(4),
        error_score="raise",
        scoring="balanced_accuracy",
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Class .* too few for k_neighbors")
        warnings.filterwarnings("ignore", "The least populated class")
        search.fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    fitted = search.best_estimator_.named_steps["embeddingsmote"]
    k = search.best_params_["embeddingsmote__k_neighbors"]
    assert fitted.k_neighbors_ == {1: min(k, 11), 2: min(k, 3)}


def test_errors():
    X, y = make_data(np.uint8, shape=(8, 8))
    single = y.copy()
    single[-8:-1] = 1
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Class 2 has 1 sample; SMOTE needs at least 2 images of a class to "
            "interpolate between. Grow it with AugmentingOverSampler or "
            "RandomImageOverSampler, or leave it out of sampling_strategy."
        ),
    ):
        EmbeddingSMOTE().fit_resample(X, single)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "generation='decode' maps synthetic embeddings back to pixels with the "
            "embedder's inverse_transform, which HOGFeatures does not have; use "
            "generation='interpolate'"
        ),
    ):
        EmbeddingSMOTE(embedder=HOGFeatures(pixels_per_cell=(4, 4))).fit_resample(X, y)
    with pytest.raises(
        ValueError, match="generation='interpolate' blends the pixels of neighbour"
    ):
        EmbeddingSMOTE(
            generation="interpolate", oversampler=BorderlineSMOTE()
        ).fit_resample(X, y)
    with pytest.raises(ValueError, match="'generation' parameter"):
        EmbeddingSMOTE(generation="mix").fit_resample(X, y)
    with pytest.raises(ValueError, match="'k_neighbors' parameter"):
        EmbeddingSMOTE(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="'embedder' parameter"):
        EmbeddingSMOTE(embedder="pca").fit_resample(X, y)
    with pytest.raises(ValueError, match="X\\[1\\] is 4x8 pixels"):
        EmbeddingSMOTE().fit_resample([X[0], X[1, :4]] + list(X[2:]), y)


def test_nothing_to_grow_returns_the_input():
    X, y = make_data(np.uint8, shape=(8, 8))
    X, y = X[:24], np.repeat([0, 1, 2], 8)
    sampler = EmbeddingSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert sampler.gaps_.shape == (0,) and sampler.sample_indices_.tolist() == list(
        range(24)
    )


def test_in_a_pipeline_on_digits():
    images, target = load_digits_images(return_X_y=True)
    X, y = make_imbalance(images, target, ratio=10, random_state=0)
    pipeline = make_pipeline(
        EmbeddingSMOTE(random_state=0),
        HOGFeatures(pixels_per_cell=(4, 4), cells_per_block=(1, 1)),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )
    pipeline.fit(X, y)
    sampler = pipeline[0]
    assert sum(sampler.sampling_strategy_.values()) == len(sampler.gaps_) > 0
    assert set(pipeline.predict(X)) == set(range(10))
    assert pipeline.score(X, y) > 0.8
