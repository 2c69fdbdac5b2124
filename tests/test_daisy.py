"""DaisyFeatures against skimage.feature.daisy, image by image."""

import numpy as np
import pytest
from PIL import Image
from skimage.feature import daisy

from imgbalance.features import DaisyFeatures

CASES = [
    ((3, 40, 37), {}),
    (
        (2, 33, 50, 3),
        {
            "step": 3,
            "radius": 7,
            "rings": 2,
            "histograms": 6,
            "orientations": 5,
            "normalization": "daisy",
        },
    ),
    ((3, 30, 30), {"radius": 9, "normalization": "l2"}),
    ((2, 30, 31), {"radius": 9, "step": 5, "normalization": "off"}),
]


@pytest.mark.parametrize("shape, params", CASES)
def test_equals_skimage_daisy(shape, params):
    images = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    model = DaisyFeatures(**params)
    features = model.fit_transform(images)
    for image, row in zip(images, features):
        gray = (
            image
            if image.ndim == 2
            else np.asarray(Image.fromarray(image).convert("L"))
        )
        expected = daisy(gray, **params)
        assert model.grid_shape_ == expected.shape[:2]
        # float32 output of the same float64 computation
        np.testing.assert_allclose(row, expected.ravel(), rtol=1e-6, atol=1e-12)
    assert features.dtype == np.float32
    assert model.n_features_out_ == features.shape[1]


def test_float_images_threads_and_names():
    images = np.random.default_rng(2).integers(0, 256, (4, 26, 26), dtype=np.uint8)
    params = {"radius": 6, "rings": 1, "histograms": 4, "orientations": 4}
    model = DaisyFeatures(**params)
    features = model.fit_transform(images)
    np.testing.assert_allclose(
        model.fit_transform(images / 255.0), features, rtol=1e-6, atol=1e-12
    )
    threaded = DaisyFeatures(**params, n_jobs=2).fit_transform(images)
    np.testing.assert_array_equal(threaded, features)
    names = model.get_feature_names_out()
    assert len(names) == 4 * 4 * 5 * 4  # grid 4x4, (1 * 4 + 1) histograms of 4
    assert names[[0, 4, 19, 20]].tolist() == [
        "y0x0_centre_o0",
        "y0x0_ring0_h0_o0",
        "y0x0_ring0_h3_o3",
        "y0x1_centre_o0",
    ]


def test_small_images_are_refused_with_the_fix():
    with pytest.raises(ValueError) as info:
        DaisyFeatures().fit(np.zeros((2, 30, 40), np.uint8))
    assert str(info.value) == (
        "X holds images of 30x40 pixels (n_features=1200); DaisyFeatures with "
        "radius=15 needs more than 30 pixels each way: lower radius or set "
        "size=(h, w)."
    )


def test_in_a_grid_searched_pipeline():
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (24, 20, 20), dtype=np.uint8)
    images[12:, :, ::3] = 255  # the second class has vertical stripes
    y = np.repeat([0, 1], 12)
    model = DaisyFeatures(radius=4, rings=1, histograms=4)
    assert clone(model).get_params() == model.get_params()
    search = GridSearchCV(
        make_pipeline(model, LogisticRegression()),
        {"daisyfeatures__radius": [3, 4]},
        cv=3,
    ).fit(images, y)
    assert search.best_score_ == 1.0
    assert search.predict(images).tolist() == y.tolist()
