"""FunctionAugmenter: augmentations of other libraries, and functions of
one's own, seeded per variant like ours."""

import random

import albumentations as A
import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from imgbalance.augment import FunctionAugmenter
from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.over_sampling import AugmentingOverSampler
from processes import run_python


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits_images(return_X_y=True)
    return make_imbalance(X, y, ratio=10, random_state=0)


def _albumentations():
    return A.Compose(
        [A.Rotate(limit=15, p=1.0), A.GaussNoise(std_range=(0.02, 0.05), p=0.5)]
    )


def test_an_albumentations_pipeline_gives_the_same_pixels_for_any_n_jobs(digits):
    X, y = digits
    augmenter = FunctionAugmenter(_albumentations())
    outputs = []
    for n_jobs, backend in [(1, "loky"), (2, "loky"), (2, "threading")]:
        with joblib.parallel_backend(backend):
            sampler = AugmentingOverSampler(
                augmenter=augmenter, random_state=0, n_jobs=n_jobs
            )
            X_res, y_res = sampler.fit_resample(X, y)
        outputs.append(X_res)
    n = len(X)
    assert X_res.shape == (1740, 8, 8) and X_res.dtype == np.uint8
    assert np.array_equal(outputs[0], outputs[1])
    assert np.array_equal(outputs[0], outputs[2])
    new = outputs[0][n:]
    assert len({image.tobytes() for image in new}) == len(new)  # all different
    assert not any(
        np.array_equal(image, X[s])
        for image, s in zip(new, sampler.sample_indices_[n:])
    )
    seeds = [records[0]["seed"] for records in sampler.augmentations_]
    assert len(set(seeds)) == len(seeds)
    assert sampler.augmentations_[0][0]["transform"] == "Compose"


def test_the_same_seed_gives_the_same_variant_of_rgb_and_gray():
    rng = np.random.default_rng(0)
    for image in (
        rng.integers(0, 256, (12, 10, 3), dtype=np.uint8),
        rng.integers(0, 256, (12, 10), dtype=np.uint8),
        rng.random((12, 10, 3), dtype=np.float32),
    ):
        augmenter = FunctionAugmenter(_albumentations())
        first, records = augmenter.augment(image, 5)
        again, _ = augmenter.augment(image, 5)
        other, _ = augmenter.augment(image, 6)
        assert first.shape == image.shape and first.dtype == image.dtype
        assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_a_function_of_ones_own_gets_a_generator():
    def shift(image, rng):
        return np.roll(image, int(rng.integers(1, 4)), axis=1)

    image = np.arange(20, dtype=np.uint8).reshape(4, 5)
    augmenter = FunctionAugmenter(shift, name="shift right")
    out, records = augmenter.augment(image, 0)
    assert records == [{"transform": "shift right", "seed": records[0]["seed"]}]
    expected = np.random.default_rng(records[0]["seed"]).integers(1, 4)
    np.testing.assert_array_equal(out, np.roll(image, expected, axis=1))


def test_global_generators_are_seeded_per_variant_and_put_back():
    def noisy(image):  # Python's random and NumPy's global generator
        return (image + random.randint(0, 9) + np.random.randint(0, 9)).astype(
            image.dtype
        )

    image = np.zeros((3, 3), dtype=np.uint8)
    augmenter = FunctionAugmenter(noisy)
    random.seed(1)
    np.random.seed(1)
    expected_python, expected_numpy = random.random(), np.random.random()
    random.seed(1)
    np.random.seed(1)
    first = [augmenter.augment(image, seed)[0] for seed in range(10)]
    again = [augmenter.augment(image, seed)[0] for seed in range(10)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert len({int(a[0, 0]) for a in first}) > 1
    assert (random.random(), np.random.random()) == (expected_python, expected_numpy)


class _TensorTransform:
    """Takes and gives (c, h, w) tensors, as torchvision's v2 transforms."""

    __module__ = "torchvision.transforms.v2"

    def __call__(self, tensor):
        assert tensor.ndim == 3 and tensor.shape[0] in (1, 3), tensor.shape
        return tensor.flip(-1)


def test_a_torchvision_transform_gets_channels_first_tensors():
    pytest.importorskip("torch")
    augmenter = FunctionAugmenter(_TensorTransform())
    for shape in ((4, 5, 3), (4, 5)):
        image = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape)
        out, _ = augmenter.augment(image, 0)
        np.testing.assert_array_equal(out, image[:, ::-1])


@pytest.mark.parametrize(
    "func, message",
    [
        (
            lambda image: image[:2],
            r"FunctionAugmenter: <lambda> returned an image of shape \(2, 6\) for "
            r"one of shape \(6, 6\); an augmentation must keep the shape",
        ),
        (
            lambda image: image.astype(np.float64),
            r"<lambda> returned float64 pixels for uint8 ones",
        ),
    ],
)
def test_a_changed_shape_or_dtype_is_refused(func, message):
    with pytest.raises(ValueError, match=message):
        FunctionAugmenter(func).augment(np.zeros((6, 6), np.uint8), 0)


def test_not_a_callable_is_refused():
    with pytest.raises(ValueError, match="'func' parameter of FunctionAugmenter"):
        FunctionAugmenter(3).augment(np.zeros((6, 6), np.uint8), 0)


def test_cloned_and_tuned_by_grid_search(digits):
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression

    from imgbalance.features import PixelFeatures

    X, y = digits
    augmenter = FunctionAugmenter(_albumentations())
    copy = clone(augmenter)
    assert copy.func is not augmenter.func and isinstance(copy.func, A.Compose)
    model = make_pipeline(
        AugmentingOverSampler(augmenter=augmenter, random_state=0),
        PixelFeatures(),
        LogisticRegression(max_iter=200),
    )
    search = GridSearchCV(
        model,
        {
            "augmentingoversampler__augmenter__func": [
                _albumentations(),
                A.Compose([A.HorizontalFlip(p=0.5)]),
            ]
        },
        cv=2,
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def test_a_single_albumentations_transform_is_cloned(digits):
    X, y = digits
    augmenter = FunctionAugmenter(A.HorizontalFlip(p=1.0))
    copy = clone(augmenter)
    assert isinstance(copy.func, A.HorizontalFlip) and copy.func is not augmenter.func
    sampler = AugmentingOverSampler(augmenter=augmenter, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    n = len(X)
    sources = X[sampler.sample_indices_[n:]]
    np.testing.assert_array_equal(X_res[n:], sources[:, :, ::-1])  # mirrored


def test_a_function_calling_another_function_augmenter():
    inner = FunctionAugmenter(lambda image: np.roll(image, random.randint(-1, 1), 0))
    outer = FunctionAugmenter(lambda image, rng: inner(image, rng))
    image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    first, _ = outer.augment(image, 0)
    assert np.array_equal(first, outer.augment(image, 0)[0])


def test_a_function_that_imports_torch_itself_is_seeded_from_the_first_call():
    """Run in a fresh process, where torch is not imported yet."""
    pytest.importorskip("torch")
    script = (
        "import numpy as np\n"
        "from imgbalance.augment import FunctionAugmenter\n"
        "def noisy(image):\n"
        "    import torch\n"
        "    return (image + int(torch.randint(0, 100, ()))).astype(image.dtype)\n"
        "image = np.zeros((2, 2), np.uint8)\n"
        "first = FunctionAugmenter(noisy).augment(image, 3)[0]\n"
        "again = FunctionAugmenter(noisy).augment(image, 3)[0]\n"
        "print(int(first[0, 0]), int(again[0, 0]))\n"
    )
    out = run_python(script)
    assert out.returncode == 0, out.stderr
    first, again = out.stdout.split()
    assert first == again
