"""The augmentations: geometry on constructed images, dtypes, seeds, params."""

import numpy as np
import pytest
from PIL import Image
from sklearn.base import clone
from imgbalance.utils._constraints import InvalidParameterError

from imgbalance.augment import (
    ColorJitter,
    Compose,
    ElasticDeformation,
    GaussianBlur,
    GaussianNoise,
    OneOf,
    RandomAffine,
    RandomApply,
    RandomCrop,
    RandomErasing,
    RandomFlip,
    RandomResizedCrop,
    RandomRotation,
    TrivialAugment,
    default_augmenter,
)
from imgbalance.augment import _base
from processes import run_python

BACKENDS = ["default", "opencv"]

ALL_TRANSFORMS = [
    RandomFlip(horizontal=True, vertical=True),
    RandomRotation(30),
    RandomAffine(20, translate=(0.1, 0.2), scale=(0.8, 1.2), shear=10),
    RandomAffine(20, border_mode="constant", fill=0.5),
    RandomAffine(20, border_mode="edge", interpolation="nearest"),
    RandomCrop(padding=3, border_mode="reflect"),
    RandomCrop(padding=0.2),
    RandomResizedCrop(scale=(0.3, 1.0)),
    ColorJitter(brightness=0.3, contrast=0.3, saturation=0.5, hue=0.2),
    GaussianNoise(std=0.05),
    GaussianNoise(std=(0.01, 0.1), per_channel=False),
    GaussianBlur(sigma=(0.5, 1.5)),
    ElasticDeformation(alpha=8, sigma=3),
    ElasticDeformation(
        alpha=(4, 8),
        sigma=(2, 4),
        border_mode="constant",
        fill=0.5,
        interpolation="nearest",
    ),
    RandomErasing(p=1.0),
    RandomErasing(p=1.0, value="random"),
    TrivialAugment(),
    Compose([RandomRotation(10), RandomFlip()]),
    RandomApply(RandomRotation(10), p=0.5),
    OneOf([RandomFlip(), GaussianBlur()], weights=[1, 2]),
    default_augmenter(),
]


def smooth_image(height, width, channels, dtype, seed=0):
    """A smooth test image: gradients and low-frequency waves."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for _ in range(max(channels, 1)):
        fy, fx, phase = rng.uniform(0.5, 2.0, 3)
        wave = 0.5 + 0.25 * np.sin(2 * np.pi * fx * xx / width + phase) * np.cos(
            2 * np.pi * fy * yy / height
        )
        planes.append(0.25 * xx / width + 0.75 * wave)
    image = np.clip(np.stack(planes, axis=-1), 0, 1)
    if channels == 0:
        image = image[..., 0]
    if dtype == np.uint8:
        return np.rint(image * 255).astype(np.uint8)
    return image.astype(dtype)


def random_image(height, width, channels, dtype, seed=0):
    rng = np.random.default_rng(seed)
    shape = (height, width) if channels == 0 else (height, width, channels)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape).astype(dtype)


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "opencv" and not _base.opencv_available():
        pytest.skip("OpenCV is not installed")
    return request.param


# --- geometry --------------------------------------------------------------


@pytest.mark.parametrize("channels", [0, 1, 3, 4])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_horizontal_and_vertical_flips(channels, dtype):
    x = random_image(5, 7, channels, dtype)
    np.testing.assert_array_equal(RandomFlip(p=1.0)(x), x[:, ::-1])
    np.testing.assert_array_equal(
        RandomFlip(horizontal=False, vertical=True, p=1.0)(x), x[::-1]
    )
    both = RandomFlip(horizontal=True, vertical=True, p=1.0)(x)
    np.testing.assert_array_equal(both, x[::-1, ::-1])
    np.testing.assert_array_equal(RandomFlip(p=0.0)(x), x)


@pytest.mark.parametrize("channels", [0, 1, 3, 4])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("angle", [90, 180, 270, -90])
def test_right_angle_rotation_equals_rot90(
    backend, channels, dtype, interpolation, angle
):
    x = random_image(9, 9, channels, dtype)
    out = RandomRotation((angle, angle), interpolation=interpolation, backend=backend)(
        x
    )
    expected = np.rot90(x, k=angle // 90)
    if dtype == np.uint8:
        np.testing.assert_array_equal(out, expected)
    else:
        np.testing.assert_allclose(out, expected, atol=1e-6)


def _blob_centre(image):
    ys, xs = np.nonzero(image > image.max() / 2)
    return xs.mean(), ys.mean()


@pytest.mark.parametrize("seed", range(5))
def test_affine_moves_a_blob_where_its_parameters_say(backend, seed):
    height, width = 64, 80
    x = np.zeros((height, width), dtype=np.float32)
    px, py = 30, 25
    x[py - 2 : py + 3, px - 2 : px + 3] = 1.0
    aug = RandomAffine(
        25,
        translate=(0.1, 0.1),
        scale=(0.8, 1.2),
        shear=10,
        border_mode="constant",
        backend=backend,
    )
    out, records = aug.augment(x, rng=seed)
    params = records[0]
    theta = np.radians(params["angle"])
    tan = np.tan(np.radians(params["shear"]))
    cos, sin = np.cos(theta), np.sin(theta)
    linear = params["scale"] * np.array(
        [[cos, cos * tan + sin], [-sin, -sin * tan + cos]]
    )
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    expected = linear @ (np.array([px, py]) - centre) + centre + params["translate"]
    np.testing.assert_allclose(_blob_centre(out), expected, atol=0.75)


def test_rotation_is_counter_clockwise():
    x = np.zeros((21, 21), dtype=np.uint8)
    x[10, 18] = 255  # right of the centre
    out = RandomRotation((90, 90), interpolation="nearest")(x)
    assert out[2, 10] == 255  # now above the centre


@pytest.mark.parametrize("border_mode", ["constant", "reflect", "edge"])
def test_random_crop_shifts_by_the_recorded_offset(border_mode):
    x = random_image(12, 10, 3, np.uint8)
    for seed in range(10):
        out, records = RandomCrop(padding=3, border_mode=border_mode, fill=1.0).augment(
            x, rng=seed
        )
        dy, dx = records[0]["top"], records[0]["left"]
        assert -3 <= dy <= 3 and -3 <= dx <= 3
        src = x[max(0, -dy) : 12 - max(0, dy), max(0, -dx) : 10 - max(0, dx)]
        dst = out[max(0, dy) : 12 - max(0, -dy), max(0, dx) : 10 - max(0, -dx)]
        np.testing.assert_array_equal(dst, src)
        if border_mode == "constant" and dy > 0:
            assert (out[:dy] == 255).all()


def test_random_crop_reflects_like_numpy_pad():
    x = random_image(6, 5, 0, np.uint8)
    out, records = RandomCrop(padding=2, border_mode="reflect").augment(x, rng=3)
    dy, dx = records[0]["top"], records[0]["left"]
    padded = np.pad(x, 2, mode="reflect")
    np.testing.assert_array_equal(out, padded[2 - dy : 8 - dy, 2 - dx : 7 - dx])


def test_random_resized_crop_matches_skimage_resize(backend):
    from skimage.transform import resize

    x = smooth_image(40, 50, 3, np.float32)
    for seed in range(5):
        out, records = RandomResizedCrop(scale=(0.2, 0.9), backend=backend).augment(
            x, rng=seed
        )
        r = records[0]
        crop = x[r["top"] : r["top"] + r["height"], r["left"] : r["left"] + r["width"]]
        assert 0.2 * 2000 * 0.9 <= r["height"] * r["width"] <= 0.9 * 2000 * 1.1
        expected = resize(crop, (40, 50), order=1, mode="edge", anti_aliasing=False)
        # the outermost output pixels blend in the image's pixels just outside
        # the crop, where resizing the crop alone repeats its edge
        tolerance = 1e-5 if backend == "default" else 2e-3
        np.testing.assert_allclose(
            out[1:-1, 1:-1], expected[1:-1, 1:-1], atol=tolerance
        )


@pytest.mark.parametrize("border_mode", ["reflect", "edge", "constant"])
def test_default_warp_matches_skimage_warp(border_mode):
    from skimage.transform import AffineTransform, warp

    from imgbalance.augment._warp import affine_inverse as _affine_inverse

    x = smooth_image(30, 40, 3, np.float64)
    aug = RandomAffine(
        30,
        translate=(0.2, 0.2),
        scale=(0.6, 1.3),
        shear=15,
        border_mode=border_mode,
        fill=0.4,
        backend="default",
    )
    for seed in range(5):
        out, records = aug.augment(x, rng=seed)
        r = records[0]
        a, b, c, d, e, f = _affine_inverse(
            30, 40, r["angle"], r["translate"], r["scale"], r["shear"]
        )
        inverse = AffineTransform(matrix=np.array([[a, b, c], [d, e, f], [0, 0, 1]]))
        expected = warp(x, inverse, order=1, mode=border_mode, cval=0.4)
        np.testing.assert_allclose(out, expected, atol=1e-5)


# --- photometric -------------------------------------------------------------


@pytest.mark.parametrize("factor", [0.5, 0.8, 1.0, 1.2, 1.9])
@pytest.mark.parametrize("channels", [0, 3, 4])
def test_brightness_scales_mid_grey_by_factor(factor, channels):
    x = np.full((4, 4, channels) if channels else (4, 4), 128, dtype=np.uint8)
    out = ColorJitter(brightness=(factor, factor))(x)
    colour = out[..., :3] if channels == 4 else out
    assert np.abs(colour.astype(float) - 128 * factor).max() <= 1
    if channels == 4:
        np.testing.assert_array_equal(out[..., 3], 128)
    xf = x.astype(np.float32) / 255
    outf = ColorJitter(brightness=(factor, factor))(xf)
    expected = min(1.0, 128 / 255 * factor)
    np.testing.assert_allclose(
        outf[..., :3] if channels == 4 else outf, expected, rtol=1e-6
    )


def test_contrast_scales_distance_to_the_mean():
    x = np.zeros((4, 4), dtype=np.uint8)
    x[:, :2], x[:, 2:] = 100, 160  # mean 130
    out = ColorJitter(contrast=(0.5, 0.5))(x)
    np.testing.assert_array_equal(np.unique(out), [115, 145])
    outf = ColorJitter(contrast=(2.0, 2.0))(x.astype(np.float64) / 255)
    np.testing.assert_allclose(np.unique(outf), [70 / 255, 190 / 255])


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_zero_saturation_gives_grey(dtype):
    x = random_image(6, 6, 3, dtype)
    out = ColorJitter(saturation=(0.0, 0.0))(x)
    np.testing.assert_allclose(out[..., 0], out[..., 1], atol=1)
    np.testing.assert_allclose(out[..., 1], out[..., 2], atol=1)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_half_turn_of_hue_turns_red_into_cyan(dtype):
    red = np.zeros((2, 2, 3), dtype=dtype)
    red[..., 0] = 255 if dtype == np.uint8 else 1.0
    out = ColorJitter(hue=(0.5, 0.5))(red).astype(float)
    top = 255 if dtype == np.uint8 else 1.0
    assert (out[..., 0] <= 0.02 * top).all()
    assert (out[..., 1:] >= 0.98 * top).all()


def test_colour_changes_leave_grey_images_grey():
    x = random_image(5, 5, 0, np.uint8)
    out = ColorJitter(saturation=0.9, hue=0.4)(x, rng=0)
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_gaussian_noise_has_the_drawn_std(dtype):
    x = np.full((200, 200), 0.5, dtype=np.float32)
    if dtype == np.uint8:
        x = np.full((200, 200), 128, dtype=np.uint8)
    out, records = GaussianNoise(std=(0.02, 0.04)).augment(x, rng=1)
    std = records[0]["std"]
    assert 0.02 <= std <= 0.04
    scale = 255 if dtype == np.uint8 else 1
    measured = (out.astype(float) - x.astype(float)).std() / scale
    assert abs(measured - std) < 0.05 * std + 0.5 / 255


def test_gaussian_noise_shared_across_channels():
    x = np.full((20, 20, 3), 128, dtype=np.uint8)
    out = GaussianNoise(std=0.05, per_channel=False)(x, rng=0)
    np.testing.assert_array_equal(out[..., 0], out[..., 1])
    assert out.std() > 0


def test_gaussian_blur_keeps_mass_and_matches_across_backends(backend):
    x = np.zeros((31, 31), dtype=np.float32)
    x[15, 15] = 1.0
    out = GaussianBlur(sigma=2.0, backend=backend)(x)
    assert abs(out.sum() - 1.0) < 1e-3
    np.testing.assert_allclose(out, out[::-1, ::-1], atol=1e-6)
    reference = GaussianBlur(sigma=2.0, backend="default")(x)
    np.testing.assert_allclose(out, reference, atol=1e-3)


# --- the OpenCV fast path against the default path ---------------------------


@pytest.mark.parametrize(
    "transform",
    [
        RandomRotation(25),
        RandomAffine(20, translate=(0.1, 0.1), scale=(0.8, 1.2), shear=10),
        RandomAffine(30, border_mode="constant", fill=0.25),
        RandomAffine(30, border_mode="edge"),
        RandomResizedCrop(scale=(0.2, 1.0)),
        GaussianBlur(sigma=(0.5, 2.0)),
        ElasticDeformation(alpha=(5, 15), sigma=(3, 5)),
        ElasticDeformation(alpha=10, sigma=4, border_mode="constant", fill=0.25),
    ],
)
@pytest.mark.parametrize(
    "channels, dtype", [(0, np.uint8), (3, np.uint8), (4, np.uint8), (3, np.float32)]
)
def test_opencv_fast_path_is_close_to_default(transform, channels, dtype):
    if not _base.opencv_available():
        pytest.skip("OpenCV is not installed")
    x = smooth_image(64, 72, channels, dtype)
    for seed in range(3):
        fast = clone(transform).set_params(backend="opencv")(x, rng=seed)
        default = clone(transform).set_params(backend="default")(x, rng=seed)
        diff = np.abs(fast.astype(np.float64) - default.astype(np.float64))
        level = 1 if dtype == np.uint8 else 1 / 255
        assert diff.mean() < 0.1 * level
        assert diff.max() <= 2 * level


def test_lookup_flip_and_mean_fallbacks_equal_opencv(monkeypatch):
    if not _base.opencv_available():
        pytest.skip("OpenCV is not installed")
    aug = Compose(
        [RandomFlip(horizontal=True, vertical=True, p=0.7), ColorJitter(0.4, 0.4, 0.4)]
    )
    images = [random_image(30, 40, c, np.uint8, seed=c) for c in (0, 3, 4)]
    with_cv2 = [aug(x, rng=5) for x in images]
    monkeypatch.setattr(_base, "opencv_available", lambda: False)
    for x, expected in zip(images, with_cv2):
        np.testing.assert_array_equal(aug(x, rng=5), expected)


def test_opencv_backend_missing_says_how_to_install(monkeypatch):
    monkeypatch.setattr(_base, "opencv_available", lambda: False)
    with pytest.raises(ImportError, match=r"pip install opencv-python-headless, or"):
        RandomRotation(10, backend="opencv")(np.zeros((4, 4), np.uint8))
    out = RandomRotation(10, backend="auto")(np.zeros((4, 4), np.uint8))
    assert out.shape == (4, 4)


# --- dtype, shape, seeds, records ----------------------------------------------


@pytest.mark.parametrize("transform", ALL_TRANSFORMS, ids=lambda t: type(t).__name__)
@pytest.mark.parametrize(
    "shape",
    [(17, 23), (17, 23, 1), (17, 23, 3), (17, 23, 4)],
    ids=["L", "L1", "RGB", "RGBA"],
)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64, np.uint16])
def test_dtype_and_shape_are_kept(transform, shape, dtype):
    x = random_image(shape[0], shape[1], shape[2] if len(shape) == 3 else 0, np.float64)
    x = (
        (x * np.iinfo(dtype).max).astype(dtype)
        if dtype in (np.uint8, np.uint16)
        else x.astype(dtype)
    )
    out, records = transform.augment(x, rng=0)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert out.flags.c_contiguous and not np.shares_memory(out, x)
    if dtype in (np.float32, np.float64):
        assert out.min() >= 0 and out.max() <= 1
    assert all(isinstance(r, dict) and "transform" in r for r in records)


def test_pil_image_input():
    image = Image.new("RGB", (10, 8), (10, 20, 30))
    out = RandomRotation(10)(image, rng=0)
    assert out.shape == (8, 10, 3) and out.dtype == np.uint8


@pytest.mark.parametrize("transform", ALL_TRANSFORMS, ids=lambda t: type(t).__name__)
def test_same_seed_same_output(transform):
    x = random_image(16, 16, 3, np.uint8)
    a, rec_a = transform.augment(x, rng=42)
    b, rec_b = transform.augment(x, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)
    assert rec_a == rec_b


def test_records_report_what_was_drawn():
    aug = Compose(
        [RandomRotation((5, 5)), RandomFlip(p=1.0), ColorJitter(brightness=(2, 2))]
    )
    _, records = aug.augment(np.zeros((4, 4), np.uint8), rng=0)
    assert records == [
        {"transform": "RandomRotation", "angle": 5.0},
        {"transform": "RandomFlip", "horizontal": True, "vertical": False},
        {"transform": "ColorJitter", "brightness": 2.0},
    ]


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_random_apply_probability_is_exact(p):
    aug = RandomApply(RandomFlip(p=1.0), p=p)
    rng = np.random.default_rng(123)
    x = np.zeros((2, 2), np.uint8)
    n = 2000
    applied = sum(len(aug.augment(x, rng)[1]) for _ in range(n))
    tolerance = 4 * np.sqrt(n * p * (1 - p))
    assert abs(applied - n * p) <= tolerance


def test_one_of_picks_by_weight():
    aug = OneOf([RandomFlip(p=1.0), RandomRotation(5)], weights=[3, 1])
    rng = np.random.default_rng(0)
    x = np.zeros((4, 4), np.uint8)
    n = 2000
    flips = sum(
        aug.augment(x, rng)[1][0]["transform"] == "RandomFlip" for _ in range(n)
    )
    assert abs(flips - 0.75 * n) <= 4 * np.sqrt(n * 0.75 * 0.25)


def test_uint16_round_trip_keeps_precision():
    x = (np.arange(64, dtype=np.uint16) * 1000).reshape(8, 8)
    out = RandomRotation((90, 90))(x)
    np.testing.assert_array_equal(out, np.rot90(x))


# --- parameters --------------------------------------------------------------


def test_compose_exposes_nested_parameters_by_name():
    aug = Compose([RandomRotation(10), ColorJitter(), ColorJitter()])
    params = aug.get_params()
    assert params["randomrotation__degrees"] == 10
    assert "colorjitter-1__brightness" in params and "colorjitter-2__hue" in params
    aug.set_params(randomrotation__degrees=30, **{"colorjitter-2__hue": 0.1})
    assert aug.transforms[0].degrees == 30 and aug.transforms[2].hue == 0.1
    aug.set_params(randomrotation=RandomFlip())
    assert isinstance(aug.transforms[0], RandomFlip)


def test_clone_gives_equal_independent_copies():
    aug = Compose(
        [RandomApply(RandomRotation(10), p=0.3), OneOf([RandomFlip(), GaussianBlur()])]
    )
    copy = clone(aug)
    assert copy.get_params(deep=False)["transforms"][0] is not aug.transforms[0]
    x = random_image(12, 12, 3, np.uint8)
    np.testing.assert_array_equal(copy(x, rng=1), aug(x, rng=1))
    assert repr(copy) == repr(aug)


def test_parameters_follow_scikit_learns_protocol():
    """get_params, set_params and repr as scikit-learn's BaseEstimator gives
    them (written without it, so that rendering does not import it)."""
    from sklearn.base import BaseEstimator

    aug = RandomAffine(10, scale=(0.9, 1.1), border_mode="reflect")
    assert not isinstance(aug, BaseEstimator)
    assert repr(aug) == "RandomAffine(degrees=10, scale=(0.9, 1.1))"
    assert repr(RandomFlip(p=0.5)) == "RandomFlip()"
    assert repr(RandomFlip(p=0.50001)) == "RandomFlip(p=0.50001)"
    assert list(aug.get_params(deep=False)) == [
        "backend",
        "border_mode",
        "degrees",
        "fill",
        "interpolation",
        "scale",
        "shear",
        "translate",
    ]
    nested = RandomApply(RandomRotation(5), p=0.2)
    assert nested.get_params()["transform__degrees"] == 5
    assert nested.set_params(transform__degrees=7, p=0.4) is nested
    assert (nested.transform.degrees, nested.p) == (7, 0.4)
    with pytest.raises(ValueError, match="Invalid parameter 'q' for estimator"):
        nested.set_params(q=1)


def test_the_default_augmenters_parameters_are_valid():
    """default_augmenter() skips the parameter check (it would import
    scikit-learn in the folder command): the check passes."""
    aug = default_augmenter()
    for transform in [aug, *aug.transforms]:
        transform._validate_params()
    aug.set_params(colorjitter__brightness=-1)  # a change is checked again
    with pytest.raises(InvalidParameterError, match="'brightness' parameter"):
        aug(np.zeros((4, 4), np.uint8))


def test_augmenting_imports_no_scikit_learn():
    script = (
        "import sys\n"
        "import numpy as np\n"
        "from imgbalance.augment import default_augmenter\n"
        "default_augmenter()(np.zeros((8, 8, 3), np.uint8), rng=0)\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    result = run_python(script)
    assert result.stdout == "[]\n", result.stderr


def test_changed_parameters_are_checked_again():
    aug = RandomRotation(10)
    aug(np.zeros((4, 4), np.uint8))
    aug.set_params(degrees=-5)
    with pytest.raises(
        InvalidParameterError, match="'degrees' parameter of RandomRotation"
    ):
        aug(np.zeros((4, 4), np.uint8))


@pytest.mark.parametrize(
    "transform, message",
    [
        (RandomFlip(p=2.0), "'p' parameter of RandomFlip"),
        (RandomAffine(border_mode="wrap"), "'border_mode' parameter of RandomAffine"),
        (RandomAffine(scale=(1.2, 0.8)), "scale: low must not exceed high"),
        (ColorJitter(hue=0.7), "'hue' parameter of ColorJitter"),
        (ColorJitter(hue=(-0.6, 0.2)), r"hue must lie in \[-0.5, 0.5\]"),
        (RandomCrop(padding=-1), "'padding' parameter of RandomCrop"),
        (Compose([]), "Compose: transforms is empty"),
        (Compose([RandomFlip(), "flip"]), r"Compose: transforms\[1\] is a str"),
        (
            OneOf([RandomFlip()], weights=[1, 2]),
            "OneOf: weights must be 1 non-negative",
        ),
        (RandomApply("flip"), "'transform' parameter of RandomApply"),
    ],
)
def test_parameter_errors(transform, message):
    with pytest.raises((ValueError, TypeError), match=message):
        transform(np.zeros((4, 4), np.uint8))


def test_image_errors():
    with pytest.raises(
        ValueError, match=r"image must be a numeric array of shape \(h, w\)"
    ):
        RandomFlip()(np.zeros((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="dtype <U1"):
        RandomFlip()(np.full((2, 2), "a"))


@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.uint32])
def test_wide_integer_images_are_augmented_on_0_to_255(dtype):
    """They are read as 8-bit values (imgbalance's rule), as uint8 is."""
    from imgbalance.augment import default_augmenter

    rng = np.random.default_rng(0)
    uint8 = rng.integers(0, 256, (16, 16), dtype=np.uint8)
    ours, _ = default_augmenter().augment(uint8.astype(dtype), 3)
    reference, _ = default_augmenter().augment(uint8.astype(np.float32) / 255, 3)
    assert ours.dtype == dtype and ours.min() >= 0 and ours.max() <= 255
    np.testing.assert_array_equal(
        ours, np.clip(np.rint(reference * np.float32(255)), 0, 255).astype(dtype)
    )
