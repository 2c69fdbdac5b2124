"""EmbeddingSMOTE(oversampler=...): every imbalanced-learn over-sampler on
the embedding of every image, checked against imbalanced-learn run on the
same embedding."""

import numpy as np
import pytest
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from imgbalance.datasets import load_digits_images
from imgbalance.over_sampling import EmbeddingSMOTE, RandomImageOverSampler

OVERSAMPLERS = [
    SMOTE(k_neighbors=3),
    BorderlineSMOTE(k_neighbors=3, kind="borderline-1"),
    BorderlineSMOTE(k_neighbors=3, kind="borderline-2"),
    SVMSMOTE(k_neighbors=3),
    ADASYN(n_neighbors=3),
    KMeansSMOTE(k_neighbors=2, cluster_balance_threshold=0.0),
    RandomOverSampler(),
]


def _digits(classes, sizes, seed=0):
    """uint8 8x8 digit images: ``sizes[i]`` of ``classes[i]``."""
    X, y = load_digits_images(return_X_y=True)
    rng = np.random.default_rng(seed)
    keep = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == c), n, replace=False)
            for c, n in zip(classes, sizes)
        ]
    )
    return X[keep], y[keep]


DATA = {
    "binary": _digits([3, 8], [60, 12]),
    # classes 3 and 5 need nothing: only 8 and 9 grow
    "multi-class": _digits([3, 5, 8, 9], [60, 60, 12, 9]),
}


def _decode(sampler, Z):
    """Synthetic embeddings to uint8 pixels, as EmbeddingSMOTE documents it:
    inverse transform, times 255, rounded and clipped."""
    pixels = np.asarray(sampler.embedder_.inverse_transform(Z), dtype=np.float64) * 255
    return np.clip(np.rint(pixels), 0, 255).astype(np.uint8)


def _name(oversampler):
    kind = getattr(oversampler, "kind", "")
    return type(oversampler).__name__ + (f"-{kind}" if kind else "")


@pytest.mark.parametrize("data", DATA, ids=str)
@pytest.mark.parametrize("oversampler", OVERSAMPLERS, ids=_name)
def test_every_oversampler_equals_imblearn_on_the_same_embedding(oversampler, data):
    X, y = DATA[data]
    n = len(y)
    sampler = EmbeddingSMOTE(oversampler=oversampler, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == np.uint8 and X_res.shape[1:] == X.shape[1:]
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(y_res[:n], y)
    assert len(sampler.sample_indices_) == len(y_res)
    np.testing.assert_array_equal(y[sampler.sample_indices_], y_res)
    assert oversampler.get_params() == clone(oversampler).get_params()  # untouched

    # imbalanced-learn's own over-sampler on the same embedding of every image
    embedding = sampler.embedder_.transform(X.reshape(n, -1).astype(np.float32) / 255)
    reference = clone(sampler.oversampler_)
    Z_res, y_ref = reference.fit_resample(embedding, y)
    np.testing.assert_array_equal(y_res, y_ref)
    sizes = dict(zip(*np.unique(y_ref, return_counts=True)))
    grown = {
        label for label, count in zip(*np.unique(y, return_counts=True)) if count < 60
    }
    if isinstance(oversampler, (SMOTE, BorderlineSMOTE, RandomOverSampler)):
        assert set(sizes.values()) == {60}  # balanced, exactly
    for label in set(sizes) - grown:  # classes that need nothing: untouched
        assert sizes[label] == np.count_nonzero(y == label)
    if isinstance(oversampler, RandomOverSampler):  # copies, not decodes
        np.testing.assert_array_equal(X_res[n:], X[sampler.sample_indices_[n:]])
        return
    decoded = _decode(sampler, Z_res[n:]).reshape(X_res[n:].shape)
    # ours runs in float32: a value at x.5 may round the other way
    difference = np.abs(decoded.astype(int) - X_res[n:])
    assert difference.max() <= 1 and np.mean(difference == 0) > 0.99


def test_random_oversampler_gives_the_rows_of_random_image_oversampler():
    X, y = DATA["multi-class"]
    ours = EmbeddingSMOTE(oversampler=RandomOverSampler(random_state=7))
    X_a, y_a = ours.fit_resample(X, y)
    plain = RandomImageOverSampler(random_state=7)
    X_b, y_b = plain.fit_resample(X, y)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)
    np.testing.assert_array_equal(ours.sample_indices_, plain.sample_indices_)


def test_borderline_smote_grows_from_its_danger_points():
    """Every synthetic embedding lies on a segment from a minority image in
    danger (half or more, but not all, of its 10 nearest images of another
    class: Han et al. 2005) to another minority image; computed here from
    the embedding, not from imbalanced-learn's internals."""
    X, y = DATA["binary"]
    n = len(y)
    sampler = EmbeddingSMOTE(
        oversampler=BorderlineSMOTE(k_neighbors=3, m_neighbors=10), random_state=0
    )
    sampler.fit_resample(X, y)
    embedding = sampler.embedder_.transform(X.reshape(n, -1).astype(np.float32) / 255)
    Z, _ = clone(sampler.oversampler_).fit_resample(embedding, y)
    minority = np.flatnonzero(y == 8)
    neighbours = NearestNeighbors(n_neighbors=11).fit(embedding)
    found = neighbours.kneighbors(embedding[minority], return_distance=False)[:, 1:]
    n_other = np.count_nonzero(y[found] != 8, axis=1)
    danger = minority[(n_other >= 5) & (n_other < 10)]
    assert 0 < len(danger) < len(minority)  # the test means something here
    for z in Z[n:]:
        on_a_segment = False
        for i in danger:
            for j in minority:
                step = embedding[j] - embedding[i]
                gap = np.dot(z - embedding[i], step) / max(np.dot(step, step), 1e-12)
                if 0 <= gap <= 1 and np.allclose(
                    embedding[i] + gap * step, z, atol=1e-5
                ):
                    on_a_segment = True
                    break
            if on_a_segment:
                break
        assert on_a_segment


@pytest.mark.parametrize(
    "oversampler, message",
    [
        (SMOTEENN(), r"oversampler=SMOTEENN\(\) cleans as it grows, removing images"),
        (SMOTETomek(), r"oversampler=SMOTETomek\(\) cleans as it grows"),
        (SMOTEN(), r"oversampler=SMOTEN\(\) is made for categorical features"),
        (
            SMOTENC(categorical_features=[0]),
            r"oversampler=SMOTENC\(\) is made for categorical features",
        ),
    ],
)
def test_combinations_and_categorical_oversamplers_are_refused(oversampler, message):
    X, y = DATA["binary"]
    with pytest.raises(ValueError, match=message):
        EmbeddingSMOTE(oversampler=oversampler, random_state=0).fit_resample(X, y)


def test_nothing_to_grow_passes_through_with_an_oversampler():
    X, y = _digits([3, 8], [20, 20])
    sampler = EmbeddingSMOTE(oversampler=BorderlineSMOTE(), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert sampler.oversampler_ is None


def test_shrinkage_makes_new_images_not_copies():
    X, y = DATA["binary"]
    n = len(y)
    sampler = EmbeddingSMOTE(
        oversampler=RandomOverSampler(shrinkage=1.0), random_state=0
    )
    X_res, _ = sampler.fit_resample(X, y)
    copies = [
        np.array_equal(image, X[s])
        for image, s in zip(X_res[n:], sampler.sample_indices_[n:])
    ]
    assert not any(copies)


def test_an_oversampler_that_makes_too_few_says_so():
    """BorderlineSMOTE grows only from minority images in danger; well
    separated classes have none."""
    X, y = _digits([0, 6], [60, 12])
    sampler = EmbeddingSMOTE(oversampler=BorderlineSMOTE(k_neighbors=3), random_state=0)
    with pytest.warns(
        UserWarning,
        match=r"oversampler=BorderlineSMOTE\(\) made fewer images than asked "
        r"\(6: 0 of 48\)",
    ):
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_ == {6: 48}
    assert np.bincount(y_res)[[0, 6]].tolist() == [60, 12]


def test_an_oversampler_failure_names_the_class_sizes():
    X, y = _digits([3, 8], [30, 2])
    with pytest.raises(
        ValueError,
        match=r"oversampler=SMOTE\(\) could not grow the classes in the embedding "
        r"\(class sizes \{3: 30, 8: 2\}\): ",
    ):
        EmbeddingSMOTE(oversampler=SMOTE(), random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("dtype", [np.int64, np.int16])
def test_wide_integer_images_stay_in_0_to_255(dtype):
    X, y = DATA["multi-class"]
    X_res, _ = EmbeddingSMOTE(
        oversampler=SVMSMOTE(k_neighbors=3), random_state=0
    ).fit_resample(X.astype(dtype), y)
    assert X_res.dtype == dtype
    assert X_res.min() >= 0 and X_res.max() <= 255
