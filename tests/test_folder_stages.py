"""The folder writer's stages on their own: the strategy's counts against
imbalanced-learn's, and the library's refusals in its own words."""

import numpy as np
import pytest
from imblearn.utils import check_sampling_strategy
from PIL import Image

from folders import write_pngs
from imgbalance.folder import BalanceRefused, balance_folder
from imgbalance.folder._refusal import option, spoken_as
from imgbalance.folder._strategy import amounts_to_add

WORDS = ["auto", "minority", "not majority", "not minority", "all"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize(
    "counts",
    [
        {"a": 5, "b": 2},
        {"b": 7, "a": 7, "c": 1},  # a tie for the largest
        {"x": 3, "y": 9, "z": 3},  # a tie for the smallest
        {"cat": 1, "dog": 1},  # balanced already
    ],
)
def test_amounts_to_add_are_imbalanced_learns(word, counts):
    y = np.repeat(list(counts), list(counts.values())).astype(str)
    names, sizes = np.unique(y, return_counts=True)
    expected = check_sampling_strategy(word, y, "over-sampling")
    got = amounts_to_add(word, names, sizes)
    assert list(got.items()) == [(str(k), int(v)) for k, v in expected.items()]


def test_amounts_to_add_for_class_sizes_are_imbalanced_learns():
    y = np.array(["b"] * 6 + ["a"] * 2 + ["c"] * 4)
    names, sizes = np.unique(y, return_counts=True)
    targets = {"c": 10, "a": 6}
    expected = check_sampling_strategy(targets, y, "over-sampling")
    assert amounts_to_add(targets, names, sizes) == {"a": 4, "c": 6}
    assert list(expected.items()) == [("a", 4), ("c", 6)]


@pytest.fixture
def src(tmp_path):
    return write_pngs(tmp_path / "src", {"cat": 3, "dog": 1})


@pytest.mark.parametrize(
    "options, message",
    [
        ({"method": "mirror"}, "method='mirror' is not augment, random or smote."),
        ({"n_jobs": 0}, "n_jobs=0: give a number of jobs (1, 2...), or -1 for"),
        ({"image_format": "gif"}, "image_format='gif' is not keep, png or jpeg."),
        (
            {"image_format": "png", "originals": "symlink"},
            "originals='symlink' links the source files, which "
            "image_format='png' would re-encode; use originals='copy' or "
            "originals='none'.",
        ),
        ({"strategy": "cat=1,cat=2"}, "strategy names 'cat' twice"),
        ({"strategy": 1.5}, "strategy=1.5 is not one of 'auto', 'minority',"),
        ({"strategy": float("nan")}, "strategy=nan is not one of"),
        ({"strategy": 2}, "strategy=2 is not one of"),
        ({"strategy": [1, 2]}, "strategy=[1, 2] is not one of"),
        ({"strategy": {"dog": -1}}, "strategy={'dog': -1} is not one of"),
        ({"strategy": "owl=5"}, "not classes of SRC (they are 'cat', 'dog')"),
        ({"seed": True}, "seed=True: give a whole number from 0 to 4294967295"),
        ({"augmenter": 5}, "augmenter=5 has no augment method"),
        ({"progress": 5}, "progress=5 is not callable; give a function."),
        ({"on_plan": 5}, "on_plan=5 is not callable; give a function."),
        ({"dry_run": "no"}, "dry_run='no': give True or False."),
        ({"resume": "yes"}, "resume='yes': give True or False."),
        (
            {"strategy": {"cat": 2}},
            "strategy={'cat': 2}: 'cat' has 3 images already",
        ),
    ],
)
def test_the_library_names_its_parameters(src, tmp_path, options, message):
    with pytest.raises(BalanceRefused) as refusal:
        balance_folder(src, tmp_path / "dst", **options)
    assert message in str(refusal.value)
    assert "--" not in str(refusal.value)
    assert not (tmp_path / "dst").exists()


def test_spoken_as_gives_the_commands_words_inside_its_block_only():
    words = {"n_jobs": ("--jobs", str), "resume": ("--resume", str)}
    with spoken_as(words):
        assert option("n_jobs", 5) == "--jobs 5"
        assert option("resume", True) == "--resume"
        assert option("n_jobs") == "--jobs"
    assert option("n_jobs", 5) == "n_jobs=5"
    assert option("resume", True) == "resume=True"


def test_one_readable_class_is_refused(tmp_path):
    """Two class folders, one of them all unreadable, left out: nothing to
    balance against, said before anything is written."""
    for name in ["cat", "dog"]:
        (tmp_path / "src" / name).mkdir(parents=True)
    for i in range(3):
        Image.new("RGB", (4, 4)).save(tmp_path / "src" / "cat" / f"{i}.png")
    (tmp_path / "src" / "dog" / "0.png").write_bytes(b"not a png")
    with pytest.raises(BalanceRefused) as refusal:
        balance_folder(tmp_path / "src", tmp_path / "dst", on_error="skip")
    assert str(refusal.value) == (
        "SRC has one class that can be read ('cat'); balancing needs two or more."
    )
    assert not (tmp_path / "dst").exists()


@pytest.mark.parametrize("action", ["render", "copy"])
def test_jobs_of_a_range_are_the_jobs_of_its_positions(action):
    # a first run writes every output: its jobs are made from a range, not
    # from a position each; they must be the jobs of those positions
    from types import SimpleNamespace

    from imgbalance.folder._writing import batches

    plan = SimpleNamespace(
        generated_action=action,
        n_originals=10,
        sources=np.array([3, 1, 3, 0, 1, 3, 2], dtype=np.uint8),
    )
    ranged = batches(plan, range(17), 4)
    listed = batches(plan, np.arange(17, dtype=np.int32), 4)
    assert [list(job) for job in ranged] == [job.tolist() for job in listed]
    if action == "render":  # renders by source, in order; then the originals
        assert [list(job) for job in ranged] == [
            [13, 11, 14, 16],
            [10, 12, 15],
            [0, 1, 2, 3],
            [4, 5, 6, 7],
            [8, 9],
        ]
        assert all(isinstance(job, range) for job in ranged[2:])
    else:
        assert all(isinstance(job, range) for job in ranged)
    # resuming: the positions not done, renders still grouped by source
    todo = np.array([1, 4, 11, 12, 16], dtype=np.int32)
    assert [job.tolist() for job in batches(plan, todo, 4)] == (
        [[11, 16, 12], [1, 4]] if action == "render" else [[1, 4, 11, 12], [16]]
    )
