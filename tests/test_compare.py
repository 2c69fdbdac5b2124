"""compare_strategies: the corrected statistics against reference
computations written here, their coverage, and the comparison itself."""

import math

import numpy as np
import pytest
from scipy import stats

from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler

from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.features import HOGFeatures, PixelFeatures
from imgbalance.model_selection import (
    Strategy,
    StrategyComparison,
    compare_strategies,
)
from imgbalance.model_selection._feature_cache import FeatureCache, per_image_steps
from imgbalance.model_selection._recommendation import PRIOR_SPREAD
from imgbalance.model_selection._stats import corrected_interval, corrected_ttest


def test_the_corrected_ttest_is_nadeau_and_bengios():
    a = np.array([0.81, 0.78, 0.85, 0.80, 0.83, 0.79, 0.84, 0.82])
    b = np.array([0.76, 0.77, 0.80, 0.74, 0.79, 0.78, 0.80, 0.75])
    n_train, n_test = 120.0, 30.0
    # written out: d_j, their mean and sample variance, the corrected t
    d = [x - z for x, z in zip(a, b)]
    J = len(d)
    mean = sum(d) / J
    s2 = sum((v - mean) ** 2 for v in d) / (J - 1)
    t = mean / math.sqrt((1 / J + n_test / n_train) * s2)
    p = 2 * (1 - stats.t.cdf(abs(t), J - 1))
    got = corrected_ttest(a, b, n_train, n_test)
    assert got[0] == pytest.approx(mean, abs=1e-12)
    assert got[1] == pytest.approx(t, rel=1e-10)
    assert got[2] == pytest.approx(p, rel=1e-8)
    # the uncorrected t would be larger: the correction is what makes it honest
    assert abs(t) < abs(mean / math.sqrt(s2 / J))


def test_the_interval_covers_a_known_mean():
    """Fold scores of a known mean, correlated as overlapping training sets
    make them (correlation n_test / n, Nadeau and Bengio's model): the
    corrected 95 % interval covers the mean in >= 90 % of 200 draws."""
    rng = np.random.default_rng(0)
    J, n_train, n_test, mu, sigma = 10, 80, 20, 0.8, 0.05
    rho = n_test / (n_train + n_test)
    covered = 0
    for _ in range(200):
        shared = rng.normal()
        scores = mu + sigma * (
            math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.normal(size=J)
        )
        _, low, high = corrected_interval(scores, n_train, n_test)
        covered += low <= mu <= high
    assert covered / 200 >= 0.9, covered


@pytest.fixture(scope="module")
def digits():
    images, target = load_digits_images(return_X_y=True)
    return make_imbalance(images, target, kind="step", ratio=10, random_state=0)


def test_a_comparison_scores_every_strategy_on_every_fold(digits):
    X, y = digits
    result = compare_strategies(
        X,
        y,
        strategies=["none", "class weights", "random over-sampling"],
        random_state=1,
    )
    assert result.strategies == ["none", "class weights", "random over-sampling"]
    assert result.scores["balanced_accuracy"].shape == (3, 10)
    assert not np.isnan(result.scores["balanced_accuracy"]).any()
    assert result.recall.shape == (3, 10, 10) and result.complete
    frame = result.to_frame()
    assert list(frame.index) == result.strategies
    assert frame.loc["class weights", "vs baseline"] == 0.0
    row = frame.loc["none"]
    assert (
        row["balanced_accuracy low"]
        < row["balanced_accuracy"]
        < row["balanced_accuracy high"]
    )
    assert result.recommendation in result.strategies and result.reason


def test_the_scores_do_not_depend_on_n_jobs(digits):
    """The embeddings (PCA, neighbours) sum in BLAS: its threads would change
    the last bits, the neighbours, the synthetic images and the scores."""
    X, y = digits
    panel = ["EmbeddingSMOTE", "embedding under-sampling", "augmentation"]
    here = compare_strategies(X, y, strategies=panel, cv=3, random_state=1)
    two = compare_strategies(X, y, strategies=panel, cv=3, random_state=1, n_jobs=2)
    for metric in here.metrics:
        np.testing.assert_array_equal(two.scores[metric], here.scores[metric])
    np.testing.assert_array_equal(two.recall, here.recall)


def test_failures_are_reported_not_dropped(digits):
    X, y = digits
    tiny = np.flatnonzero(y == 9)[:3]  # a class of 3, 2 in a training fold
    keep = np.concatenate([np.flatnonzero(y != 9), tiny])
    result = compare_strategies(
        X[keep], y[keep], strategies=["class weights", "EmbeddingSMOTE"], cv=3
    )
    assert result.scores["balanced_accuracy"].shape == (2, 3)
    # SMOTE adapts its neighbours (a class of 2 in a fold): it works
    assert not np.isnan(result.scores["balanced_accuracy"]).any()
    from imgbalance.over_sampling import EmbeddingSMOTE

    broken = Strategy(
        "broken",
        EmbeddingSMOTE(k_neighbors=1, generation="decode", embedder="not an embedder"),
        None,
        9,
    )
    result = compare_strategies(X, y, strategies=["class weights", broken], cv=2)
    assert [f["strategy"] for f in result.failures] == ["broken", "broken"]
    assert "embedder" in result.failures[0]["reason"]
    assert result.to_frame().loc["broken", "failed folds"] == 2
    assert result.recommendation == "class weights"


def test_a_time_budget_ends_in_whole_rounds(digits):
    X, y = digits
    result = compare_strategies(
        X, y, strategies=["class weights", "augmentation"], max_time=0.01
    )
    assert not result.complete
    done = ~np.isnan(result.scores["balanced_accuracy"][0])
    assert done[0] and not done.all()
    np.testing.assert_array_equal(
        done, ~np.isnan(result.scores["balanced_accuracy"][1])
    )


def test_the_plot_draws_scores_and_recall(digits):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    X, y = digits
    result = compare_strategies(X, y, strategies=["none", "class weights"], cv=2)
    figure = result.plot()
    assert len(figure.axes) == 2


class _HOG(HOGFeatures):
    """HOG by another name: not known to compute each image's features
    from it alone, so a comparison computes them in every fit."""


def test_features_computed_once_score_as_features_computed_per_fit(digits):
    """Per-image features are computed once for the comparison and looked
    up by the images' bytes (copies, kept originals) or computed for the
    images a fold makes (augmented, synthetic): the scores are those of
    features computed in every fit, to the bit."""
    X, y = digits
    panel = ["class weights", "random over-sampling", "augmentation", "EmbeddingSMOTE"]

    def features(hog):
        cells = hog(pixels_per_cell=(4, 4), cells_per_block=(1, 1))
        return make_pipeline(make_union(cells, PixelFeatures()), StandardScaler())

    assert per_image_steps(features(HOGFeatures)) == 1
    assert per_image_steps(features(_HOG)) == 0
    once = compare_strategies(
        X[::2], y[::2], strategies=panel, features=features(HOGFeatures), cv=3
    )
    every = compare_strategies(
        X[::2], y[::2], strategies=panel, features=features(_HOG), cv=3
    )
    for metric in once.metrics:
        np.testing.assert_array_equal(once.scores[metric], every.scores[metric])
    np.testing.assert_array_equal(once.recall, every.recall)


@pytest.mark.parametrize(
    "name, per_image",
    [
        ("ColorHistogram", 1),
        ("DaisyFeatures", 1),
        ("GaborFeatures", 1),
        ("HOGFeatures", 1),
        ("LBPFeatures", 1),
        ("LocalContrastFeatures", 1),
        ("PixelFeatures", 1),
        # these learn from the training images: computed in every fit
        ("LocalOutlierFeatures", 0),
        ("PatchDictionaryFeatures", 0),
    ],
)
def test_which_extractors_are_computed_once(name, per_image):
    import imgbalance.features

    extractor = getattr(imgbalance.features, name)()
    assert per_image_steps(extractor) == per_image
    if per_image:  # an image's features do not depend on the others given
        X = np.random.default_rng(0).integers(0, 256, (5, 32, 32, 3), dtype=np.uint8)
        whole = extractor.fit(X).transform(X)
        parts = [extractor.transform(X[:2]), extractor.transform(X[2:])]
        np.testing.assert_array_equal(whole, np.concatenate(parts))


def test_cached_features_are_looked_up_or_computed():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 8, 8), dtype=np.uint8)
    cache = FeatureCache([PixelFeatures()], images)
    new = rng.integers(0, 256, (2, 8, 8), dtype=np.uint8)
    asked = np.concatenate([images[[3, 3, 0]], new])
    expected = PixelFeatures().fit_transform(asked)
    np.testing.assert_array_equal(cache.features(asked), expected)
    # the same bytes read as another dtype are another image
    # (int8 is read on 0..255: its negative values are clipped, with a warning)
    signed = images[:2].view(np.int8)
    with pytest.warns(UserWarning, match="they were clipped"):
        expected = PixelFeatures().fit_transform(signed)
    assert not np.array_equal(expected, cache.rows[:2])
    with pytest.warns(UserWarning, match="they were clipped"):
        np.testing.assert_array_equal(cache.features(signed), expected)


def _comparison(fold_scores, n_train=80, n_test=20, n_classes=2):
    """A StrategyComparison of given fold scores (strategy -> list) of
    balanced accuracy, the metric the rule reads."""
    names = list(fold_scores)
    panel = [Strategy(n, "passthrough", None, i) for i, n in enumerate(names)]
    first = np.array([fold_scores[n] for n in names], dtype=float)
    n_folds = first.shape[1]
    folds = [(np.arange(n_train), np.arange(n_test))] * n_folds
    scorer = type("S", (), {"classes": np.arange(n_classes)})()
    return StrategyComparison(
        panel,
        {"balanced_accuracy": first},
        np.full((len(names), n_folds, n_classes), 0.5),
        np.ones((len(names), n_folds)),
        scorer=scorer,
        folds=folds,
    )


def test_the_rule_weighs_each_gain_against_its_noise():
    base = [0.80, 0.84, 0.78, 0.82, 0.80, 0.81, 0.79, 0.83]
    steady = [b + 0.04 for b in base]  # +0.04 on every fold
    noisy = [b + d for b, d in zip(base, [0.3, -0.2, 0.25, -0.1, 0.2, -0.15, 0.2, 0])]
    result = _comparison({"class weights": base, "noisy": noisy, "steady": steady})
    # written out: the corrected variance of the mean difference, the
    # prior's spread, the gain shrunk by them
    for name, scores in [("steady", steady), ("noisy", noisy)]:
        d = np.subtract(scores, base)
        variance = (1 / len(d) + 20 / 80) * d.var(ddof=1)
        expected = d.mean() * PRIOR_SPREAD**2 / (PRIOR_SPREAD**2 + variance)
        row = result.to_frame().loc[name]
        assert row["expected gain"] == pytest.approx(expected, abs=1e-12)
    # noisy measured more (+0.0375 on average, steady +0.04 with no noise:
    # kept whole) but is expected to gain little
    assert result.to_frame().loc["noisy", "expected gain"] < 0.01
    assert result.to_frame().loc["steady", "expected gain"] == pytest.approx(0.04)
    assert result.recommendation == "steady"
    assert result.reason.startswith("steady: the largest expected gain over class")


def test_the_baseline_stays_when_no_gain_is_expected():
    base = [0.80, 0.84, 0.78, 0.82]
    worse = [b - 0.05 for b in base]
    result = _comparison({"class weights": base, "worse": worse})
    assert result.recommendation == "class weights"
    assert "no strategy is expected to do better" in result.reason
    # a strategy that failed on a fold is not recommended, however good
    better = [0.95, np.nan, 0.95, 0.95]
    result = _comparison({"class weights": base, "better": better})
    result.failures.append({"strategy": "better", "fold": 1, "reason": "too few"})
    assert result.recommendation == "class weights"


# eight folds of three classes: a steady gain of +0.02 for "TrivialAugment"
# (measured +0.020 ± 0.005), a smaller one for "none"
_BASE = [0.30, 0.36, 0.31, 0.35, 0.33, 0.29, 0.34, 0.32]
_TRIVIAL = [
    b + d for b, d in zip(_BASE, [0.03, 0.01, 0.02, 0.02, 0.03, 0.01, 0.02, 0.02])
]
_WEIGHED = (
    "TrivialAugment: measured +0.020 ± 0.005 on balanced_accuracy over 8 folds, "
    "expected +0.019 once weighed against that noise"
)


def _three(shift):
    return _comparison(
        {
            "none": [1 / 3 + shift] * 8,
            "class weights": [b + shift for b in _BASE],
            "TrivialAugment": [t + shift for t in _TRIVIAL],
        },
        n_classes=3,
    )


def test_the_baseline_stays_when_the_folds_score_chance():
    """Scores at chance (1/3 for three classes): however steady a gain, it
    is one of noise. Written out: the panel's fold means, their mean
    0.334444, corrected variance (1/8 + 20/80) * s^2, t 0.1125; the
    one-sided 0.05 test with 7 degrees of freedom needs 1.8946."""
    result = _three(0.0)
    assert result.recommendation == "class weights"
    assert result.reason == (
        "class weights: no strategy's gain stands out from the noise of the "
        "folds: they score 0.334 balanced accuracy on average over 8 folds, not "
        "above chance (0.333) by a one-sided test at 0.05 (t 0.11, 1.89 needed), "
        f"so their differences are noise (the best, {_WEIGHED})."
    )
    # the expected gain is the shrinkage's, floor or not
    assert result.to_frame().loc["TrivialAugment", "expected gain"] == pytest.approx(
        0.019337, abs=1e-6
    )


def test_the_same_gain_above_chance_is_recommended():
    """The same fold differences, every score 0.5 higher (t 50.72)."""
    result = _three(0.5)
    assert result.recommendation == "TrivialAugment"
    assert result.reason == (
        f"TrivialAugment: the largest expected gain over class weights ({_WEIGHED[16:]})."
    )


@pytest.mark.parametrize(
    ("level", "recommended", "t"),
    [(0.392, "better", "2.40"), (0.390, "class weights", "2.31")],
)
def test_the_floor_is_the_one_sided_test(level, recommended, t):
    """Four folds: the panel's fold means are level ± 0.03, corrected
    standard error 0.03 * sqrt(2/3) = 0.024495; a one-sided 0.05 test with
    3 degrees of freedom needs t > 2.3534, a mean above 0.390979. The gain
    (+0.04 on every fold) is the same on both sides of the floor."""
    panel = [level + e for e in (0.03, -0.03, 0.03, -0.03)]
    result = _comparison(
        {
            "class weights": [p - 0.02 for p in panel],
            "better": [p + 0.02 for p in panel],
        },
        n_classes=3,
    )
    assert result.recommendation == recommended
    assert result.to_frame().loc["better", "expected gain"] == pytest.approx(0.04)
    if recommended == "class weights":
        assert f"(t {t}, 2.35 needed)" in result.reason


def test_noise_falls_back_to_the_baseline():
    """Ten strategies scoring pure noise around chance (1/3), correlated
    over the folds as overlapping training sets make them (Nadeau and
    Bengio's model, as in the coverage test), in 200 seeded draws. The
    gains alone name a strategy whenever one of the nine measures above
    class weights (9 draws in 10: class weights is the best of ten as
    often as any). The floor is a test at 0.05: a strategy gets through
    in at most 10 draws of 200 on average, and more than 20 of a
    Binomial(200, 0.05) has a probability of 0.0012, so class weights is
    recommended in at least 180 draws unless the floor's level is off."""
    rng = np.random.default_rng(0)
    J, n_train, n_test, sigma = 10, 80, 20, 0.05
    rho = n_test / (n_train + n_test)
    names = ["class weights"] + [f"remedy {i}" for i in range(9)]
    baseline = ahead = 0
    for _ in range(200):
        shared = rng.normal(size=(10, 1))
        scores = 1 / 3 + sigma * (
            math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.normal(size=(10, J))
        )
        ahead += bool((scores[1:].mean(axis=1) > scores[0].mean()).any())
        result = _comparison(dict(zip(names, scores.tolist())), n_classes=3)
        baseline += result.recommendation == "class weights"
    assert ahead >= 150, ahead
    assert baseline >= 180, baseline


def test_the_floor_reads_balanced_accuracy_from_the_recall():
    """A comparison scored on another metric: the balanced accuracy is the
    mean recall of the classes (here 1/3 on every fold: chance)."""
    names = ["class weights", "TrivialAugment"]
    panel = [Strategy(n, "passthrough", None, i) for i, n in enumerate(names)]
    f1 = np.array([_BASE, _TRIVIAL])
    recall = np.zeros((2, 8, 3))
    recall[:, :, 0] = 1.0  # every image called the first class
    result = StrategyComparison(
        panel,
        {"f1_macro": f1},
        recall,
        np.ones((2, 8)),
        scorer=type("S", (), {"classes": np.arange(3)})(),
        folds=[(np.arange(80), np.arange(20))] * 8,
    )
    assert result.recommendation == "class weights"
    assert result.reason.startswith(
        "class weights: no strategy's gain stands out from the noise of the "
        "folds: they score 0.333 balanced accuracy on average over 8 folds, not "
        "above chance (0.333) by a one-sided test at 0.05 (t 0.00, 1.89 needed)"
    )
