"""GaborFeatures against scikit-image's gabor filter, image by image."""

import numpy as np
import pytest
from PIL import Image
from skimage.filters import gabor

from imgbalance.features import GaborFeatures

FREQUENCIES = (0.1, 0.3)


def reference(gray01, frequencies=FREQUENCIES, n_orientations=3):
    """The features written with skimage.filters.gabor directly."""
    row = []
    for frequency in frequencies:
        for k in range(n_orientations):
            real, imag = gabor(
                gray01, frequency, theta=k * np.pi / n_orientations, mode="reflect"
            )
            magnitude = np.hypot(real, imag)
            row += [magnitude.mean(), magnitude.std()]
    return row


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    small = rng.integers(0, 256, (3, 6, 5, 3))
    return np.kron(small, np.ones((1, 6, 6, 1))).astype(np.uint8)  # (3, 36, 30, 3)


def test_default_backend_equals_skimage(images):
    model = GaborFeatures(frequencies=FREQUENCIES, n_orientations=3, backend="default")
    features = model.fit_transform(images)
    assert features.shape == (3, 12) and features.dtype == np.float32
    for image, row in zip(images, features):
        gray = np.asarray(Image.fromarray(image).convert("L"), dtype=np.float64) / 255
        np.testing.assert_allclose(row, reference(gray), rtol=1e-6)  # float32 out


def test_opencv_backend_is_close(images):
    kwargs = {"frequencies": FREQUENCIES, "n_orientations": 3}
    fast = GaborFeatures(**kwargs, backend="opencv").fit_transform(images)
    default = GaborFeatures(**kwargs, backend="default").fit_transform(images)
    # float32 filtering against float64: relative differences of 1e-5
    np.testing.assert_allclose(fast, default, rtol=1e-4, atol=1e-6)


def test_any_size_threads_and_names(images):
    sequence = [images[0], images[1][:20, :25], images[2][:, :, 0]]
    model = GaborFeatures(frequencies=(0.2,), n_orientations=2)
    features = model.fit_transform(sequence)
    assert features.shape == (3, 4)
    assert model.get_feature_names_out().tolist() == [
        "f0.2_a0_mean",
        "f0.2_a0_std",
        "f0.2_a90_mean",
        "f0.2_a90_std",
    ]
    threaded = GaborFeatures(frequencies=(0.2,), n_orientations=2, n_jobs=2)
    np.testing.assert_array_equal(
        threaded.fit_transform(images), model.fit_transform(images)
    )


@pytest.mark.parametrize("frequencies", [(), (0.0,), (0.1, 0.7), ("a",)])
def test_bad_frequencies_are_named(frequencies):
    with pytest.raises(ValueError) as info:
        GaborFeatures(frequencies=frequencies).fit_transform(np.zeros((2, 8, 8)))
    assert str(info.value).startswith(
        "frequencies must be a non-empty list of frequencies in (0, 0.5]"
    )


def test_the_same_images_give_the_same_features_every_time():
    """OpenCV's magnitude rounds by where its buffers happen to lie in
    memory: the last bit of the features changed from call to call, and a
    classifier's decision at a boundary with it (seen in
    compare_strategies). Every call gives the same bits now."""
    from imgbalance.datasets import make_shapes

    images, _ = make_shapes(60, random_state=0, return_X_y=True)
    model = GaborFeatures(backend="opencv")
    first = model.fit_transform(images)
    for _ in range(6):
        np.testing.assert_array_equal(model.transform(images), first)
