"""LocalContrastFeatures and LocalOutlierFeatures against loops over
scipy's gaussian_filter, numpy's eigenvalues and plain pooling."""

import numpy as np
import pytest
from local_reference import jet_reference, pool_reference
from PIL import Image
from scipy.ndimage import gaussian_filter

from imgbalance.features import LocalContrastFeatures, LocalOutlierFeatures

STATS = ("mean", "std", "sum", "max", "min", "top_k", "percentile")


@pytest.fixture
def images():
    rng = np.random.default_rng(2)
    images = rng.normal(120, 25, (5, 14, 12)).clip(0, 255).astype(np.uint8)
    images[1, 6, 2:10] = 255  # a scratch
    images[3, 4:8, 4:8] = 10  # a dark spot
    return images


@pytest.mark.parametrize("normalize", [True, False])
def test_local_contrast_equals_loop(images, normalize):
    model = LocalContrastFeatures(
        sigmas=(1.0, 2.5),
        ratio=1.6,
        pool=STATS,
        top_k=5,
        percentile=90.0,
        normalize=normalize,
    )
    features = model.fit_transform(images)
    assert features.shape == (5, 2 * (14 + normalize)) and features.dtype == np.float32
    for image, row in zip(images, features):
        gray = image / 255.0
        expected = []
        for sigma in (1.0, 2.5):
            level = gaussian_filter(gray, sigma, mode="reflect")
            dog = level - gaussian_filter(gray, 1.6 * sigma, mode="reflect")
            variance = gaussian_filter(gray**2, sigma, mode="reflect") - level**2
            contrast = np.sqrt(np.maximum(variance, 0))
            if normalize:
                mean_contrast = contrast.mean()
                expected.append(mean_contrast)
                dog = dog / (mean_contrast + 1 / 255)
                contrast = contrast / (mean_contrast + 1 / 255)
            for m in (dog, contrast):
                expected += [pool_reference(m, s, 5, 90.0) for s in STATS]
        np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-7)
    names = model.get_feature_names_out().tolist()
    stem = ["s1_level"] if normalize else []
    assert names[: 2 + normalize] == stem + ["s1_dog_mean", "s1_dog_std"]
    assert names[-1] == "s2.5_contrast_p90"


def outlier_reference(train, test, sigmas, top_k, percentile):
    """LocalOutlierFeatures written out: descriptors image by image, the
    mean and covariance by numpy, scores and the top places pixel by
    pixel."""

    def descriptors(image):
        maps = [jet_reference(image / 255.0, s) for s in sigmas]
        return np.concatenate(maps, axis=-1)

    pixels = np.concatenate(
        [descriptors(i).reshape(-1, 5 * len(sigmas)) for i in train]
    )
    mean = pixels.mean(axis=0)
    scale = pixels.std(axis=0)
    precision = np.linalg.inv(np.cov((pixels - mean) / scale, rowvar=False, bias=True))
    rows, maps = [], []
    for image in test:
        height, width = image.shape
        z = (descriptors(image) - mean) / scale
        scores = {}
        for r in range(height):
            for c in range(width):
                scores[(r, c)] = float(np.sqrt(z[r, c] @ precision @ z[r, c]))
        values = list(scores.values())
        maps.append(np.array(values).reshape(height, width))
        row = [
            pool_reference(values, "mean"),
            pool_reference(values, "std"),
            max(values),
            pool_reference(values, "percentile", percentile=percentile),
        ]
        # the k highest, ties taken in row-major order
        ranked = sorted(scores, key=lambda place: (-scores[place], place))
        described = []
        for k in top_k:
            top = ranked[:k]
            row.append(np.mean([scores[p] for p in top]))
            described += list(np.mean([z[p] for p in top], axis=0))
            spread = np.linalg.eigvalsh(np.cov(np.array(top).T, bias=True))
            described += list(np.sqrt(np.maximum(spread[::-1], 0)))
        rows.append(row + described)
    return np.array(rows), np.array(maps), mean, scale


def test_local_outlier_equals_loop(images):
    model = LocalOutlierFeatures(sigmas=(0.8, 1.5), top_k=(3, 6), percentile=97.0)
    model.fit(images[:3])
    features = model.transform(images)
    expected, maps, mean, scale = outlier_reference(
        images[:3], images, (0.8, 1.5), (3, 6), 97.0
    )
    np.testing.assert_allclose(model.score_maps(images), maps, rtol=1e-6, atol=1e-9)
    assert features.shape == expected.shape == (5, 4 + 2 * 13)
    np.testing.assert_allclose(model.mean_, mean, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.scale_, scale, rtol=1e-9)
    np.testing.assert_allclose(features, expected, rtol=1e-4, atol=1e-5)
    names = model.get_feature_names_out().tolist()
    assert names[:6] == [
        "score_mean",
        "score_std",
        "score_max",
        "score_p97",
        "score_top3",
        "score_top6",
    ]
    assert names[6:11] == [
        "top3_s0.8_dog",
        "top3_s0.8_gradient",
        "top3_s0.8_ridge_max",
        "top3_s0.8_ridge_min",
        "top3_s0.8_contrast",
    ]
    assert names[-2:] == ["top6_spread_major", "top6_spread_minor"]


def test_local_outlier_finds_the_defect():
    """The top place is on the scratch, and describes a bright thin line."""
    rng = np.random.default_rng(0)
    clean = rng.normal(128, 8, (30, 24, 24)).clip(0, 255).astype(np.uint8)
    scratched = clean[:10].copy()
    scratched[:, 11, 4:16] = 200
    model = LocalOutlierFeatures(sigmas=(1.0,), top_k=4).fit(clean)
    features = model.transform(np.concatenate([clean[20:], scratched]))
    names = model.get_feature_names_out().tolist()
    top = names.index("score_top4")
    assert features[10:, top].min() > features[:10, top].max()
    ridge = names.index("top4_s1_ridge_min")  # strongly negative across a bright line
    assert features[10:, ridge].max() < features[:10, ridge].min()
    major, minor = names.index("top4_spread_major"), names.index("top4_spread_minor")
    assert (features[10:, major] > 2 * features[10:, minor]).all()  # along the line
    maps = model.score_maps(scratched)
    assert maps.shape == (10, 24, 24)
    rows, cols = np.unravel_index(maps.reshape(10, -1).argmax(axis=1), (24, 24))
    assert (np.abs(rows - 11) <= 1).all() and ((cols >= 3) & (cols <= 16)).all()
    sizes = [scratched[0], scratched[1][:20, :18]]
    assert [m.shape for m in model.score_maps(sizes)] == [(24, 24), (20, 18)]


@pytest.mark.parametrize("reference_class", [None, 0])
def test_fit_transform_equals_fit_then_transform(images, reference_class):
    """fit_transform reuses the descriptors it learnt from: the same
    features as computed anew, and as with threads (which compute anew)."""
    y = np.array([0, 1, 0, 1, 0])
    model = LocalOutlierFeatures(reference_class=reference_class)
    once = model.fit_transform(images, y)
    assert not hasattr(model, "_descriptor_cache")
    np.testing.assert_array_equal(once, model.transform(images))
    threads = LocalOutlierFeatures(reference_class=reference_class, n_jobs=2)
    np.testing.assert_array_equal(once, threads.fit_transform(images, y))


def test_the_same_features_whatever_n_jobs_and_sizes(images):
    for make in (LocalContrastFeatures, LocalOutlierFeatures):
        one = make().fit(images).transform(images)
        two = make(n_jobs=2).fit(images).transform(images)
        np.testing.assert_array_equal(one, two)
        sequence = [images[0], images[1][:10, :9], images[2]]
        model = make().fit(sequence)
        by_one = [model.transform([image])[0] for image in sequence]
        np.testing.assert_array_equal(model.transform(sequence), np.array(by_one))


def test_colour_images_use_pillow_luma(images):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (3, 16, 16, 3), dtype=np.uint8)
    gray = np.stack([np.asarray(Image.fromarray(i).convert("L")) for i in rgb])
    for make in (LocalContrastFeatures, LocalOutlierFeatures):
        np.testing.assert_array_equal(
            make().fit(rgb).transform(rgb), make().fit(gray).transform(gray)
        )


@pytest.mark.parametrize(
    "model, message",
    [
        (LocalContrastFeatures(sigmas=()), "sigmas must be a non-empty list"),
        (LocalContrastFeatures(sigmas=(1.0, -2)), "sigmas must be a non-empty list"),
        (LocalContrastFeatures(pool="median"), "pool must be one or more"),
        (LocalOutlierFeatures(sigmas=("a",)), "sigmas must be a non-empty list"),
        (LocalOutlierFeatures(top_k=(4, 4)), "top_k must be a positive integer or"),
        (LocalOutlierFeatures(top_k=(4, 0)), "top_k must be a positive integer or"),
    ],
)
def test_errors_name_the_parameter(images, model, message):
    with pytest.raises(ValueError, match=message):
        model.fit(images)


def test_reference_class_learns_from_that_class_only(images):
    y = np.array([0, 1, 0, 1, 0])
    model = LocalOutlierFeatures(sigmas=(1.0,), reference_class=0).fit(images, y)
    alone = LocalOutlierFeatures(sigmas=(1.0,)).fit(images[y == 0])
    np.testing.assert_array_equal(model.mean_, alone.mean_)
    np.testing.assert_array_equal(model.precision_, alone.precision_)
    np.testing.assert_array_equal(model.transform(images), alone.transform(images))
    named = LocalOutlierFeatures(sigmas=(1.0,), reference_class="good")
    labels = np.where(y == 0, "good", "scratch")
    np.testing.assert_array_equal(
        named.fit_transform(list(images), labels), alone.transform(images)
    )
    with pytest.raises(ValueError, match=r"pass their labels, fit\(X, y\)"):
        LocalOutlierFeatures(reference_class=0).fit(images)
    with pytest.raises(ValueError, match=r"reference_class=2 is not among the labels"):
        LocalOutlierFeatures(reference_class=2).fit(images, y)
