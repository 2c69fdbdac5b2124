"""Sample weights (and other per-row arrays) resampled with the rows: by
every sampler's fit_resample, and through imgbalance.pipeline.Pipeline to
the classifier, with metadata routing and without, inside GridSearchCV."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from imblearn.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline as imblearn_make_pipeline
from imblearn.under_sampling import (
    ClusterCentroids,
    EditedNearestNeighbours,
    RandomUnderSampler,
    TomekLinks,
)
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imgbalance.augment import FunctionAugmenter, RandomRotation
from imgbalance.features import PixelFeatures
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.pipeline import Pipeline, make_pipeline
from imgbalance.under_sampling import (
    DuplicateUnderSampler,
    EmbeddingUnderSampler,
    RandomImageUnderSampler,
)

RNG = np.random.default_rng(0)
# distinct random images: an output row is told by its pixels
IMAGES = RNG.integers(0, 256, (40, 6, 6), dtype=np.uint8)
LABELS = np.array([0] * 28 + [1] * 12)
# the weight of row i is i + 1: a resampled weight names its source row
WEIGHTS = np.arange(1.0, 41.0)


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _source_rows(X_res, X):
    """The row of X each output image equals (-1 for none)."""
    flat = X.reshape(len(X), -1)
    rows = []
    for image in X_res.reshape(len(X_res), -1):
        found = np.flatnonzero((flat == image).all(axis=1))
        rows.append(found[0] if len(found) else -1)
    return np.array(rows)


# samplers whose every output image is an input image (kept or copied)
REAL_IMAGES = [
    RandomImageOverSampler(random_state=0),
    RandomImageUnderSampler(random_state=0),
    RandomImageUnderSampler(random_state=0, replacement=True),
    AugmentingOverSampler(augmenter=FunctionAugmenter(np.copy), random_state=0),
    EmbeddingSMOTE(oversampler=RandomOverSampler(), random_state=0),
    EmbeddingUnderSampler(random_state=0),
    EmbeddingUnderSampler(ClusterCentroids(random_state=0), random_state=0),
    EmbeddingUnderSampler(TomekLinks(), random_state=0),
    EmbeddingUnderSampler(EditedNearestNeighbours(), random_state=0),
]


@pytest.mark.parametrize("sampler", REAL_IMAGES, ids=lambda s: repr(s)[:60])
def test_a_kept_or_copied_image_keeps_its_weight(sampler):
    X_res, y_res, w_res = sampler.fit_resample(IMAGES, LABELS, sample_weight=WEIGHTS)
    rows = _source_rows(X_res, IMAGES)
    assert (rows >= 0).all()
    assert w_res.dtype == np.float64 and w_res.shape == (len(X_res),)
    # the weight is the one of the row whose pixels the image has
    np.testing.assert_array_equal(w_res, rows + 1.0)
    # the images and labels are those given without weights
    X_plain, y_plain = sampler.fit_resample(IMAGES, LABELS)
    np.testing.assert_array_equal(X_res, X_plain)
    np.testing.assert_array_equal(y_res, y_plain)


def test_duplicates_dropped_keep_the_first_weight():
    X = IMAGES.copy()
    X[5] = X[2]  # a copy in class 0: the second is dropped
    X_res, _, w_res = DuplicateUnderSampler().fit_resample(
        X, LABELS, sample_weight=WEIGHTS
    )
    assert len(X_res) == 39 and 6.0 not in w_res and 3.0 in w_res
    np.testing.assert_array_equal(X_res, X[(w_res - 1).astype(int)])


def test_an_augmented_variant_has_its_source_weight():
    sampler = AugmentingOverSampler(augmenter=RandomRotation(30), random_state=0)
    X_res, _, w_res = sampler.fit_resample(IMAGES, LABELS, sample_weight=WEIGHTS)
    assert len(X_res) == 56
    np.testing.assert_array_equal(w_res[:40], WEIGHTS)
    sources = sampler.sample_indices_[40:]
    assert (LABELS[sources] == 1).all()
    np.testing.assert_array_equal(w_res[40:], sources + 1.0)


# constant float images of value v_i, weight v_i: SMOTE's interpolated image
# has the value its weight must have
LEVELS = np.linspace(0.1, 0.9, 40)[RNG.permutation(40)]
FLAT = np.broadcast_to(LEVELS[:, None, None], (40, 6, 6)).copy()


@pytest.mark.parametrize("cleaner", [None, EditedNearestNeighbours()])
def test_smote_interpolates_the_weights_by_the_pixels_gap(cleaner):
    sampler = EmbeddingSMOTE(
        generation="interpolate", cleaner=cleaner, k_neighbors=3, random_state=0
    )
    X_res, _, w_res = sampler.fit_resample(FLAT, LABELS, sample_weight=LEVELS)
    assert sampler.synthetic_.sum() > 5
    # every output image is constant: its value is its weight
    values = X_res.reshape(len(X_res), -1)
    np.testing.assert_allclose(values.min(axis=1), values.max(axis=1))
    np.testing.assert_allclose(w_res, values[:, 0], rtol=1e-12)
    # the synthetic weights are not their sources' (interpolated)
    synthetic = sampler.synthetic_
    moved = w_res[synthetic] != LEVELS[sampler.sample_indices_[synthetic]]
    assert moved.sum() >= synthetic.sum() - 1


def test_smote_decoded_uses_the_same_pairs_and_gaps():
    sampler = EmbeddingSMOTE(k_neighbors=3, random_state=0)
    _, _, w_res = sampler.fit_resample(IMAGES, LABELS, sample_weight=WEIGHTS)
    s, t = sampler.sample_indices_[40:], sampler.neighbor_indices_
    g = sampler.gaps_
    # w = i + 1 for row i: the weight is one plus the interpolated position
    np.testing.assert_allclose(w_res[40:], 1.0 + s + g * (t - s), rtol=1e-12)
    np.testing.assert_array_equal(w_res[:40], WEIGHTS)


def test_an_oversampler_that_tells_no_pairs_gives_the_source_weight():
    sampler = EmbeddingSMOTE(
        oversampler=BorderlineSMOTE(k_neighbors=3, m_neighbors=5), random_state=0
    )
    _, _, w_res = sampler.fit_resample(IMAGES, LABELS, sample_weight=WEIGHTS)
    assert (sampler.neighbor_indices_ == -1).all()
    np.testing.assert_array_equal(w_res, sampler.sample_indices_ + 1.0)


def test_lists_and_series_of_paths_give_weights_too(tmp_path):
    paths = []
    for i in range(6):
        path = tmp_path / f"{i}.png"
        path.write_bytes(b"")  # never decoded by the random samplers
        paths.append(str(path))
    y = [0, 0, 0, 0, 1, 1]
    sampler = RandomImageOverSampler(random_state=0)
    out, _, w_res = sampler.fit_resample(paths, y, sample_weight=[1, 2, 3, 4, 5, 6])
    assert isinstance(out, list) and len(w_res) == 8
    assert [paths.index(p) + 1.0 for p in out] == w_res.tolist()
    series = pd.Series(paths)
    out, _, w_res = sampler.fit_resample(series, y, sample_weight=2.5)
    assert isinstance(out, pd.Series) and w_res.tolist() == [2.5] * 8


@pytest.mark.parametrize(
    "weights, error, message",
    [
        (np.ones(39), ValueError, "sample_weight has 39 values but X has 40 rows"),
        (np.ones((40, 1)), ValueError, r"sample_weight must be 1-D.*shape \(40, 1\)"),
        (np.r_[np.ones(39), np.nan], ValueError, "Input sample_weight contains NaN"),
        (["a"] * 40, TypeError, "sample_weight must hold numbers"),
    ],
)
def test_bad_weights_are_refused_before_resampling(weights, error, message):
    sampler = RandomImageOverSampler(random_state=0)
    with pytest.raises(error, match=message):
        sampler.fit_resample(IMAGES, LABELS, sample_weight=weights)
    assert not hasattr(sampler, "sample_indices_")


def test_resample_rows_takes_any_per_row_values():
    sampler = EmbeddingSMOTE(generation="interpolate", random_state=0)
    sampler.fit_resample(IMAGES, LABELS)
    names = [f"img{i}" for i in range(40)]
    out = sampler.resample_rows(names)
    assert isinstance(out, list) and len(out) == 56
    assert out == [names[i] for i in sampler.sample_indices_]
    frame = pd.DataFrame({"group": np.arange(40) // 4})
    assert (
        sampler.resample_rows(frame)["group"].tolist()
        == (sampler.sample_indices_ // 4).tolist()
    )
    with pytest.raises(ValueError, match="values has 3 rows but the images given"):
        sampler.resample_rows([1, 2, 3])


# -- the pipeline --------------------------------------------------------


class Recorder(ClassifierMixin, BaseEstimator):
    """A classifier recording what its fit was given (a per-row ``tags``
    beside ``sample_weight``)."""

    def fit(self, X, y, sample_weight=None, tags=None):
        self.X_, self.y_ = np.asarray(X), np.asarray(y)
        self.sample_weight_, self.tags_ = sample_weight, tags
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _by_hand(sampler, X, y, w):
    X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
    features = PixelFeatures().fit_transform(X_res)
    return LogisticRegression(max_iter=500).fit(features, y_res, sample_weight=w_res)


@pytest.mark.parametrize(
    "sampler",
    [
        RandomImageOverSampler(random_state=0),
        RandomImageUnderSampler(random_state=0),
        EmbeddingSMOTE(generation="interpolate", random_state=0),
        EmbeddingUnderSampler(random_state=0),
    ],
    ids=lambda s: type(s).__name__,
)
def test_the_classifier_is_fitted_on_the_resampled_weights(routing, sampler):
    clf = LogisticRegression(max_iter=500).set_fit_request(sample_weight=True)
    pipeline = make_pipeline(sampler, PixelFeatures(), clf)
    pipeline.fit(IMAGES, LABELS, sample_weight=WEIGHTS)
    expected = _by_hand(sampler, IMAGES, LABELS, WEIGHTS)
    np.testing.assert_array_equal(pipeline[-1].coef_, expected.coef_)


def test_imblearns_pipeline_gives_the_classifier_the_original_weights(routing):
    """Why imgbalance has its own: imbalanced-learn's routes the weights as
    given, past the sampler."""
    clf = LogisticRegression().set_fit_request(sample_weight=True)
    pipeline = imblearn_make_pipeline(
        RandomImageOverSampler(random_state=0), PixelFeatures(), clf
    )
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(40,\), expected"):
        pipeline.fit(IMAGES, LABELS, sample_weight=WEIGHTS)


def test_without_routing_step_parameters_are_carried():
    sampler = RandomImageOverSampler(random_state=0)
    pipeline = make_pipeline(sampler, PixelFeatures(), LogisticRegression(max_iter=500))
    pipeline.fit(IMAGES, LABELS, logisticregression__sample_weight=WEIGHTS)
    expected = _by_hand(sampler, IMAGES, LABELS, WEIGHTS)
    np.testing.assert_array_equal(pipeline[-1].coef_, expected.coef_)


def test_other_per_row_metadata_follows_its_source_row(routing):
    clf = Recorder().set_fit_request(sample_weight=True, tags=True)
    sampler = EmbeddingSMOTE(generation="interpolate", random_state=0)
    tags = [f"row{i}" for i in range(40)]
    pipeline = Pipeline([("smote", sampler), ("clf", clf)])
    pipeline.fit(IMAGES, LABELS, sample_weight=FLAT[:, 0, 0], tags=tags)
    fitted, smote = pipeline.named_steps["clf"], pipeline.named_steps["smote"]
    assert fitted.tags_ == [tags[i] for i in smote.sample_indices_]
    np.testing.assert_array_equal(
        fitted.sample_weight_, smote.resample_sample_weight(FLAT[:, 0, 0])
    )
    assert len(fitted.X_) == len(fitted.sample_weight_) == 56


def test_two_samplers_in_a_row(routing):
    clf = Recorder().set_fit_request(sample_weight=True)
    pipeline = make_pipeline(
        DuplicateUnderSampler(),
        RandomImageOverSampler(random_state=0),
        clf,
    )
    X = IMAGES.copy()
    X[5] = X[2]
    pipeline.fit(X, LABELS, sample_weight=WEIGHTS)
    fitted = pipeline[-1]
    flat = fitted.X_.reshape(len(fitted.X_), -1)
    # each row's weight still names the input row its pixels come from
    np.testing.assert_array_equal(
        flat, X[(fitted.sample_weight_ - 1).astype(int)].reshape(len(flat), -1)
    )
    assert 6.0 not in fitted.sample_weight_


def test_imblearns_samplers_with_sample_indices_are_carried_too(routing):
    clf = Recorder().set_fit_request(sample_weight=True)
    pipeline = make_pipeline(
        PixelFeatures(), RandomUnderSampler(random_state=0), SMOTE(), clf
    )
    with pytest.raises(ValueError, match=r"step 'smote' \(SMOTE\) does not tell"):
        pipeline.fit(IMAGES, LABELS, sample_weight=WEIGHTS)
    pipeline = make_pipeline(PixelFeatures(), RandomUnderSampler(random_state=0), clf)
    pipeline.fit(IMAGES, LABELS, sample_weight=WEIGHTS)
    kept = pipeline[1].sample_indices_
    np.testing.assert_array_equal(pipeline[-1].sample_weight_, WEIGHTS[kept])


def test_a_sampler_may_request_the_weights(routing, tmp_path):
    sampler = RandomImageOverSampler(random_state=0).set_fit_resample_request(
        sample_weight=True
    )
    clf = Recorder().set_fit_request(sample_weight=True)
    pipeline = make_pipeline(sampler, clf, memory=str(tmp_path))
    pipeline.fit(IMAGES, LABELS, sample_weight=WEIGHTS)
    assert len(pipeline[-1].sample_weight_) == 56
    # a pipeline ending in the sampler returns the weights, as it does
    X_res, _, w_res = make_pipeline(PixelFeatures(), sampler).fit_resample(
        IMAGES, LABELS, sample_weight=WEIGHTS
    )
    assert X_res.shape == (56, 36) and w_res.shape == (56,)


def test_grid_search_with_set_fit_request_scores_what_a_loop_scores(routing):
    clf = LogisticRegression(max_iter=500).set_fit_request(sample_weight=True)
    pipeline = make_pipeline(
        EmbeddingSMOTE(generation="interpolate", random_state=0), PixelFeatures(), clf
    )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    # the weights fit the model; the score weighs every test image alike
    scoring = make_scorer(balanced_accuracy_score).set_score_request(
        sample_weight=False
    )
    search = GridSearchCV(
        pipeline, {"logisticregression__C": [0.01, 1.0]}, cv=folds, scoring=scoring
    ).fit(IMAGES, LABELS, sample_weight=WEIGHTS)
    for i, C in enumerate([0.01, 1.0]):
        scores = []
        for train, test in folds.split(IMAGES, LABELS):
            sampler = EmbeddingSMOTE(generation="interpolate", random_state=0)
            X_res, y_res, w_res = sampler.fit_resample(
                IMAGES[train], LABELS[train], sample_weight=WEIGHTS[train]
            )
            model = LogisticRegression(max_iter=500, C=C).fit(
                PixelFeatures().fit_transform(X_res), y_res, sample_weight=w_res
            )
            predicted = model.predict(PixelFeatures().fit_transform(IMAGES[test]))
            scores.append(balanced_accuracy_score(LABELS[test], predicted))
        assert search.cv_results_["mean_test_score"][i] == pytest.approx(
            np.mean(scores), abs=1e-12
        )
