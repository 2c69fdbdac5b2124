"""load_image_folder, make_imbalance and load_digits_images."""

import os
import re
from collections import Counter

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from imgbalance.datasets import load_digits_images, load_image_folder, make_imbalance


def _touch_image(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (3, 3)).save(path)


def test_load_image_folder_layout(tmp_path):
    for rel in [
        "dog/b.PNG",
        "dog/a.jpg",
        "dog/nested/c.jpeg",
        "cat/x.png",
        "cat/.hidden.png",
        ".git/y.png",
        "bird/.cache/z.png",
        "café au lait/é.png",
        "root_file.png",
    ]:
        _touch_image(tmp_path / rel)
    (tmp_path / "empty").mkdir()
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    with pytest.warns(
        UserWarning,
        match=r"2 class folder\(s\) of .* hold no readable image and are "
        r"left out: 'bird', 'empty'\.",
    ):
        data = load_image_folder(tmp_path)
    assert data.target_names == ["café au lait", "cat", "dog"]
    rel = [os.path.relpath(p, tmp_path).replace(os.sep, "/") for p in data.paths]
    assert rel == [
        "café au lait/é.png",
        "cat/x.png",
        "dog/a.jpg",
        "dog/b.PNG",
        "dog/nested/c.jpeg",
    ]
    assert data.target.tolist() == [0, 1, 2, 2, 2]
    assert data.empty_classes == ["bird", "empty"]


def test_load_image_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_image_folder(tmp_path / "missing")
    (tmp_path / "file.png").touch()
    with pytest.raises(NotADirectoryError, match="is a file"):
        load_image_folder(tmp_path / "file.png")
    # tmp_path holds file.png directly, and no class folder yet
    message = (
        f"root: {str(tmp_path)!r} has 1 image file(s) directly in it and no "
        "class folder holding an image; expected root/<class>/<image>, one "
        "sub-folder per class."
    )
    with pytest.raises(ValueError) as info:
        load_image_folder(tmp_path)
    assert str(info.value) == message
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "notes.txt").touch()
    with pytest.raises(ValueError) as info:
        load_image_folder(tmp_path)
    assert str(info.value) == message  # images directly in root: said first
    (tmp_path / "file.png").unlink()
    with pytest.raises(ValueError) as info:
        load_image_folder(tmp_path)
    assert str(info.value) == (
        f"root: {str(tmp_path)!r} has 1 class folder(s), none holding an image "
        "(.bmp, .gif, .jpeg, .jpg, .pgm, .png, .ppm, .tif, .tiff, .webp); "
        "expected root/<class>/<image>, one sub-folder per class."
    )
    (tmp_path / "a" / "notes.txt").unlink()
    (tmp_path / "a").rmdir()
    with pytest.raises(ValueError) as info:
        load_image_folder(tmp_path)
    assert str(info.value) == (
        f"root: {str(tmp_path)!r} has no class folder; expected "
        "root/<class>/<image>, one sub-folder per class."
    )


def test_load_digits_images_matches_scikit_learn():
    data = load_digits_images()
    digits = load_digits()
    assert data.images.shape == (1797, 8, 8) and data.images.dtype == np.uint8
    np.testing.assert_array_equal(np.rint(data.images * (16 / 255)), digits.images)
    np.testing.assert_array_equal(data.target, digits.target)
    assert data.images.max() == 255


@pytest.fixture
def balanced():
    y = np.repeat(np.arange(10), 50)
    X = np.arange(500 * 4, dtype=np.int32).reshape(500, 2, 2)
    return X, y


def test_step_imbalance_counts(balanced):
    X, y = balanced
    X_imb, y_imb = make_imbalance(
        X, y, kind="step", ratio=10, minority_fraction=0.3, random_state=0
    )
    counts = sorted(Counter(y_imb.tolist()).values())
    assert counts == [5] * 3 + [50] * 7
    assert X_imb.shape == (len(y_imb), 2, 2)


def test_linear_imbalance_counts(balanced):
    X, y = balanced
    _, y_imb = make_imbalance(X, y, kind="linear", ratio=10, random_state=0)
    counts = sorted(Counter(y_imb.tolist()).values())
    assert counts == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]


def test_exponential_imbalance_is_the_long_tail(balanced):
    """50 * 10 ** (-i / 9) for i = 0..9, rounded: CIFAR-10-LT's profile."""
    X, y = balanced
    X_imb, y_imb = make_imbalance(X, y, kind="exponential", ratio=10, random_state=0)
    counts = Counter(y_imb.tolist())
    assert sorted(counts.values()) == [5, 6, 8, 11, 14, 18, 23, 30, 39, 50]
    assert X_imb.shape == (len(y_imb), 2, 2)
    # which class is the head is drawn: another seed, another order
    _, other = make_imbalance(X, y, kind="exponential", ratio=10, random_state=1)
    assert Counter(other.tolist()) != counts
    assert sorted(Counter(other.tolist()).values()) == sorted(counts.values())


def test_an_exponential_tail_keeps_one_image_at_least():
    y = np.repeat(np.arange(3), 4)
    _, y_imb = make_imbalance(np.zeros((12, 2, 2)), y, kind="exponential", ratio=100)
    assert sorted(Counter(y_imb.tolist()).values()) == [1, 1, 4]


def test_imbalance_takes_largest_size_from_smallest_class():
    y = np.array([0] * 30 + [1] * 20 + [2] * 40)
    X = np.zeros((90, 3, 3))
    _, y_imb = make_imbalance(X, y, ratio=4, minority_fraction=0.34, random_state=0)
    assert sorted(Counter(y_imb.tolist()).values()) == [5, 20, 20]


def test_imbalance_keeps_rows_of_each_class(balanced):
    X, y = balanced
    X_imb, y_imb = make_imbalance(X, y, ratio=5, random_state=1)
    rows = {x.tobytes(): label for x, label in zip(X, y)}
    assert all(rows[x.tobytes()] == label for x, label in zip(X_imb, y_imb))
    assert len({x.tobytes() for x in X_imb}) == len(X_imb)


def test_imbalance_is_seeded(balanced):
    X, y = balanced
    a = make_imbalance(X, y, ratio=5, random_state=3)
    b = make_imbalance(X, y, ratio=5, random_state=3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_imbalance_on_a_path_list(empty_files):
    paths = empty_files(40)
    y = [i % 2 for i in range(40)]
    X_imb, y_imb = make_imbalance(paths, y, ratio=4, random_state=0)
    assert isinstance(X_imb, list) and isinstance(y_imb, list)
    assert sorted(Counter(y_imb).values()) == [5, 20]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"kind": "zigzag"}, ValueError, "'kind' parameter of make_imbalance"),
        ({"ratio": 0.5}, ValueError, "'ratio' parameter of make_imbalance"),
        ({"minority_fraction": 1.0}, ValueError, "'minority_fraction' parameter"),
        (
            {"minority_fraction": 0.01},
            ValueError,
            "minority_fraction=0.01 gives 0 minority classes out of 10",
        ),
    ],
)
def test_imbalance_errors(balanced, kwargs, error, message):
    X, y = balanced
    with pytest.raises(error, match=re.escape(message)):
        make_imbalance(X, y, **kwargs)


def test_imbalance_needs_two_classes():
    with pytest.raises(ValueError, match="y has 1 class; make_imbalance needs"):
        make_imbalance(np.zeros((5, 2, 2)), [0] * 5)


def _messy(root):
    """Two classes: a readable image and a cut one in ``a``; only an empty
    file in ``b``; three readable images in ``c``."""
    for name, n in [("a", 1), ("c", 3)]:
        for i in range(n):
            _touch_image(root / name / f"{i}.png")
    (root / "a" / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "b").mkdir()
    (root / "b" / "empty.jpg").write_bytes(b"")


def test_load_image_folder_finds_unreadable_files_as_inspect_does(tmp_path):
    from imgbalance.folder import inspect_folder

    _messy(tmp_path)
    with pytest.raises(ValueError) as raised:
        load_image_folder(tmp_path)
    assert str(raised.value) == (
        f"2 file(s) of {str(tmp_path)!r} cannot be read (the first: a/cut.png: "
        f"{inspect_folder(tmp_path)['unreadable'][0]['reason']}); leave them out "
        "with on_error='skip' (they are then listed in unreadable), or remove or "
        "replace them."
    )
    with pytest.warns(UserWarning) as caught:
        data = load_image_folder(tmp_path, on_error="skip", n_jobs=2)
    assert [str(w.message) for w in caught] == [
        f"1 class folder(s) of {str(tmp_path)!r} hold no readable image and are "
        "left out: 'b'."
    ]
    assert data.target_names == ["a", "c"]
    assert data.target.tolist() == [0, 1, 1, 1]
    assert [os.path.basename(p) for p in data.paths] == [
        "0.png",
        "0.png",
        "1.png",
        "2.png",
    ]
    assert data.empty_classes == ["b"]
    reasons = {u["path"]: u["reason"] for u in inspect_folder(tmp_path)["unreadable"]}
    assert data.unreadable == [
        {
            "path": "a/cut.png",
            "class": "a",
            "reason": reasons[os.path.join("a", "cut.png")],
        },
        {"path": "b/empty.jpg", "class": "b", "reason": "empty file (0 bytes)"},
    ]


def test_load_image_folder_ignore_decodes_nothing(tmp_path):
    _messy(tmp_path)
    data = load_image_folder(tmp_path, on_error="ignore")
    assert data.target_names == ["a", "b", "c"]
    assert len(data.paths) == 6 and data.unreadable == []
    with pytest.raises(
        ValueError, match=r"^on_error='keep' is not 'raise', 'skip' or 'ignore'\.$"
    ):
        load_image_folder(tmp_path, on_error="keep")
