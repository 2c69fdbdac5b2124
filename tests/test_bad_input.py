"""Odd input through the public API: one clear error naming the argument and
the position, never a numpy, OpenCV or IndexError from deep inside."""

import re

import numpy as np
import pytest

from imgbalance.class_weight import class_weights, sample_weights
from imgbalance.features import ColorHistogram, HOGFeatures, LBPFeatures
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import EmbeddingUnderSampler, RandomImageUnderSampler

SAMPLERS = [
    RandomImageOverSampler,
    RandomImageUnderSampler,
    AugmentingOverSampler,
    EmbeddingSMOTE,
    EmbeddingUnderSampler,
]
Y = np.array([0, 0, 0, 0, 1, 1])


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_complex_images(Sampler):
    X = np.zeros((6, 8, 8), dtype=complex)
    message = (
        "Complex data not supported: X has dtype complex128; images need real "
        "pixel values (take .real or numpy.abs first)."
    )
    with pytest.raises(ValueError) as info:
        Sampler(random_state=0).fit_resample(X, Y)
    assert str(info.value) == message  # not the whole array printed


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_none_in_a_list_of_images(Sampler):
    image = np.zeros((8, 8), np.uint8)
    X = [image, image, None, image, image, image]
    with pytest.raises(TypeError) as info:
        Sampler(random_state=0).fit_resample(X, Y)
    assert str(info.value) == (
        "X[2] is None; each item must be a file path, a PIL image or a numpy "
        "array of shape (h, w) or (h, w, c)."
    )


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_empty_images(Sampler):
    with pytest.raises(ValueError) as info:
        Sampler(random_state=0).fit_resample(np.zeros((6, 0, 8), np.uint8), Y)
    assert str(info.value) == (
        "X holds empty images (shape (0, 8), a side of 0 pixels); give images of "
        "at least one pixel."
    )
    X = [np.zeros((8, 8), np.uint8)] * 5 + [np.zeros((8, 0), np.uint8)]
    with pytest.raises(ValueError) as info:
        Sampler(random_state=0).fit_resample(X, Y)
    assert str(info.value) == "X[5] is an empty image (shape (8, 0)); remove it."


BAD_LABELS = [
    ([0, None, 1, 1, 0, 0], "y[1] is None; every item needs a label."),
    ([0.0, 1.0, np.nan, 1.0, 0.0, 0.0], "y[2] is nan; every item needs a label."),
    (
        np.array([0.0, 1.0, 1.0, 1.0, 0.0, np.nan]),
        "y[5] is NaN; every item needs a label.",
    ),
    (
        ["cat", "cat", 1, "dog", "dog", "cat"],
        "y mixes text and other labels (y[0] is 'cat', y[2] is 1); give labels "
        "of one type.",
    ),
    (
        np.array([3, "a", "a", 3, 3, 3], dtype=object),
        "y mixes text and other labels (y[0] is 3, y[1] is 'a'); give labels of "
        "one type.",
    ),
]


@pytest.mark.parametrize("y, message", BAD_LABELS)
def test_labels_that_cannot_be_told_apart(y, message):
    for weights in (class_weights, sample_weights):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            weights(y)
    X = np.zeros((6, 8, 8), np.uint8)
    for Sampler in SAMPLERS:
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            Sampler(random_state=0).fit_resample(X, y)


@pytest.mark.parametrize(
    "extractor",
    [ColorHistogram(), HOGFeatures(pixels_per_cell=(4, 4)), LBPFeatures()],
    ids=["color", "hog", "lbp"],
)
def test_nan_pixels_in_feature_extractors(extractor):
    X = np.random.default_rng(0).random((3, 16, 16, 3))
    X[1, 2, 3, 0] = np.nan
    message = (
        "Input X contains NaN or infinity; features need finite pixel values "
        "(replace them, such as with numpy.nan_to_num, first)."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        extractor.fit_transform(X)
    ragged = [X[0], X[1, :12]]
    with pytest.raises(ValueError, match=re.escape("Input X[1] contains NaN")):
        ColorHistogram().fit_transform(ragged)


_LARGE_IMAGE_SCRIPT = """
import sys, threading, warnings
from PIL import Image
from imgbalance.utils import load_image
Image.MAX_IMAGE_PIXELS = 1000  # the 40x30 image (1200 pixels) is above
if sys.argv[2] == "thread":  # a second thread alive
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    image = load_image(sys.argv[1], index=4)
print(image.shape)
for w in caught:
    print(w.category.__name__, w.message, sep=": ")
"""


@pytest.mark.parametrize("threads", ["one", "thread"])
def test_large_image_warning_is_ours_and_names_the_file(tmp_path, threads):
    """In a process of one thread Pillow's warning becomes ours; with other
    threads alive (where silencing a warning would change what they see)
    Pillow's own passes too, before ours. A fresh process: the test runner's own
    threads would decide otherwise."""
    from PIL import Image

    from processes import run_python

    path = tmp_path / "big.png"
    Image.new("L", (40, 30)).save(path)
    result = run_python(_LARGE_IMAGE_SCRIPT, path, threads)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "(30, 40)"
    if threads == "one":
        assert lines[1:] == [
            f"UserWarning: X: {str(path)!r} is 40x30 = 1,200 pixels, above "
            "Pillow's limit for untrusted files (1,000 pixels, "
            "PIL.Image.MAX_IMAGE_PIXELS); raise that limit to read such files "
            "without this warning."
        ]
    else:
        assert len(lines) == 3 and lines[1].startswith(
            "DecompressionBombWarning: Image size (1200 pixels) exceeds limit"
        )
        assert lines[2].startswith("UserWarning: X: ")


def test_inspect_folder_lists_large_images_without_pillow_warning(
    tmp_path, monkeypatch
):
    from PIL import Image

    from imgbalance.folder import inspect_folder

    for name, size in [
        ("a/0.png", (8, 8)),
        ("a/big.png", (40, 30)),
        ("b/0.png", (8, 8)),
    ]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        Image.new("L", size).save(tmp_path / name)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    report = inspect_folder(tmp_path)  # a warning would be an error here
    assert report["large_images"] == [{"path": "a/big.png", "width": 40, "height": 30}]
    assert report["n_images"] == 3 and report["unreadable"] == []
