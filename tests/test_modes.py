"""One mode for a collection of several: the rule of imgbalance._contract._modes,
wherever images are stacked or meet a feature extractor."""

import warnings

import numpy as np
import pytest
from PIL import Image

from imgbalance.features import ColorHistogram, GaborFeatures, PixelFeatures
from imgbalance.utils import stack_images

rng = np.random.default_rng(4)
GRAY = rng.integers(0, 256, (5, 6), dtype=np.uint8)
RGB = rng.integers(0, 256, (5, 6, 3), dtype=np.uint8)
RGBA = rng.integers(0, 256, (5, 6, 4), dtype=np.uint8)
DEEP = rng.integers(0, 65536, (5, 6), dtype=np.uint16)


def stacked(items):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = stack_images(items)
    return out, [str(w.message) for w in caught]


def test_colour_wins_alpha_is_dropped_and_16_bits_become_8():
    out, messages = stacked([GRAY, RGB, RGBA, DEEP])
    assert out.shape == (4, 5, 6, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[0], np.repeat(GRAY[..., None], 3, axis=2))
    np.testing.assert_array_equal(out[1], RGB)
    np.testing.assert_array_equal(out[2], RGBA[..., :3])
    eight = np.clip(np.rint(DEEP / 65535 * 255), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(out[3], np.repeat(eight[..., None], 3, axis=2))
    assert messages == [
        "X holds images of several modes, converted to one (RGB uint8): L to RGB, "
        "RGBA to RGB, alpha dropped, 16 bits made 8. Put ImageLoader(mode='RGB') or "
        "ImageLoader(mode='L') first to choose the mode yourself."
    ]


def test_one_mode_is_kept_as_it_is_without_a_word():
    for items in ([GRAY, GRAY], [RGBA, RGBA], [DEEP, DEEP]):
        out, messages = stacked(items)
        assert messages == [] and out.dtype == items[0].dtype
        np.testing.assert_array_equal(out[0], items[0])


def test_gray_and_16_bit_gray_stay_gray():
    out, messages = stacked([DEEP, GRAY])
    assert out.shape == (2, 5, 6) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[1], GRAY)
    assert messages[0].startswith(
        "X holds images of several modes, converted to one (L uint8): 16 bits made 8."
    )


def test_integers_beside_floats_read_on_0_to_1():
    floats = rng.random((5, 6)).astype(np.float32)
    out, messages = stacked([GRAY, floats])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[0], GRAY / np.float32(255), rtol=1e-6)
    np.testing.assert_array_equal(out[1], floats)
    assert messages == []  # one layout, the scale rule of old: no conversion said


def test_files_of_several_modes_meet_the_extractors(tmp_path):
    paths = []
    for name, image in [
        ("g.png", GRAY),
        ("c.png", RGB),
        ("a.png", RGBA),
        ("d.png", DEEP),
    ]:
        Image.fromarray(image).save(tmp_path / name)
        paths.append(str(tmp_path / name))
    with pytest.warns(UserWarning, match="several modes") as caught:
        features = PixelFeatures().fit_transform(paths)
    assert len(caught) == 1 and features.shape == (4, 5 * 6 * 3)
    with pytest.warns(UserWarning, match="several modes") as caught:
        histograms = ColorHistogram().fit_transform(paths)
    assert len(caught) == 1 and histograms.shape == (4, 48)
    # an extractor that reads gray takes every image to gray without a word;
    # the 16-bit file made 8-bit is said
    with pytest.warns(UserWarning) as caught:
        gabor = GaborFeatures(frequencies=(0.25,), n_orientations=2).fit_transform(
            paths
        )
    assert [str(w.message) for w in caught] == [
        "X holds images of several modes, converted to one (L uint8): 16 bits made "
        "8. Put ImageLoader(mode='RGB') or ImageLoader(mode='L') first to choose "
        "the mode yourself."
    ]
    gray_alone = GaborFeatures(frequencies=(0.25,), n_orientations=2).fit_transform(
        [paths[0]]
    )
    np.testing.assert_allclose(gabor[0], gray_alone[0], rtol=1e-5)


def test_the_warning_is_shown_once_per_process():
    """A search converts the same images fold after fold (and scikit-learn
    resets Python's warning registry as it goes): said once by default."""
    from processes import run_python

    done = run_python(
        "import warnings\n"
        "import numpy as np\n"
        "from imgbalance.utils import stack_images\n"
        "items = [np.zeros((2, 2), np.uint8), np.zeros((2, 2, 3), np.uint8)]\n"
        "for _ in range(5):\n"
        "    with warnings.catch_warnings():\n"
        "        stack_images(items)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("ImageModeWarning: X holds images of several modes") == 1
