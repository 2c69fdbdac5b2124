"""A user's own folder, end to end: photo tiles with a hidden file, a
truncated JPEG, a 16-bit grayscale PNG and RGBA PNGs beside ordinary JPEGs
(what ``make_example_folder(messy=True)`` writes, in the counts of a real
imbalanced folder). The library path needs no manual conversion; the three
methods of the command succeed with --on-error skip, and each thing worth
saying is said once."""

import os
import warnings

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from commands import run_here
from imgbalance.datasets import load_image_folder, make_example_folder
from imgbalance.features import ColorHistogram
from imgbalance.over_sampling import AugmentingOverSampler, RandomImageOverSampler
from imgbalance.under_sampling import RandomImageUnderSampler

COUNTS = {"astronaut": 400, "coffee": 40, "chelsea": 8, "rocket": 12}
MADE = {"augment": "variants", "random": "copies", "smote": "blends"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("user") / "ds"
    return make_example_folder(root, counts=COUNTS, messy=True)


def test_the_folder_is_as_messy_as_described(folder):
    from PIL import Image

    assert os.path.isfile(os.path.join(folder, "astronaut", ".DS_Store"))
    with Image.open(os.path.join(folder, "chelsea", "deep.png")) as image:
        assert image.mode.startswith("I")  # 16-bit gray
    modes = []
    for name in sorted(os.listdir(os.path.join(folder, "rocket"))):
        with Image.open(os.path.join(folder, "rocket", name)) as image:
            modes.append(image.mode)
    assert modes.count("RGBA") == 4 and modes.count("RGB") == 8


def test_the_library_path_needs_no_conversion(folder):
    data = load_image_folder(folder, on_error="skip")
    assert data.unreadable == [
        {
            "path": "coffee/broken.jpg",
            "class": "coffee",
            "reason": data.unreadable[0]["reason"],
        }
    ]
    assert data.unreadable[0]["reason"].startswith("cannot be decoded: ")
    assert np.bincount(data.target).tolist() == [400, 9, 40, 12]  # deep.png kept
    pipeline = Pipeline(
        [
            ("sampler", "passthrough"),
            ("features", ColorHistogram(bins=8)),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        {
            "sampler": [
                "passthrough",
                RandomImageOverSampler(random_state=0),
                RandomImageUnderSampler(random_state=0),
                AugmentingOverSampler(random_state=0),
            ]
        },
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        error_score="raise",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(data.paths, data.target)
    # the only warnings: the mode rule's, each counting what it converted
    messages = {str(w.message) for w in caught}
    assert messages and all(
        m.startswith("X holds images of several modes, converted to one (RGB uint8): ")
        for m in messages
    ), messages
    assert search.best_score_ > 0.5


@pytest.mark.parametrize("method", ["augment", "random", "smote"])
def test_the_three_methods_succeed_and_say_each_thing_once(
    folder, tmp_path, capsys, method
):
    dst = tmp_path / method
    code, out, err = run_here(
        capsys, "balance", folder, dst, "--method", method, "--on-error", "skip"
    )
    assert code == 1, err  # done, with a file left out
    lines = err.splitlines()
    assert (
        lines.count(
            "imgbalance balance: left out coffee/broken.jpg: "
            + load_image_folder(folder, on_error="skip").unreadable[0]["reason"]
        )
        == 1
    )
    growth = [line for line in lines if "their size" in line]
    assert growth == [
        "imgbalance balance: note: 2 class(es) grow past 10x their size, in "
        f"{MADE[method]} of few originals: 'chelsea' 9 -> 400 (43 new per source); "
        "'rocket' 12 -> 400 (32 new per source). Consider capping the largest "
        "classes (--max-per-class), or class weights in training, beside or "
        "instead of so much growth."
    ]
    modes = [line for line in lines if "modes (" in line]
    assert len(modes) == (1 if method == "smote" else 0)
    if method == "smote":
        assert modes[0].startswith(
            "imgbalance balance: note: --method smote: the classes to grow hold "
            "images of 3 modes (56 RGB, 1 I;16, 4 RGBA); all were read in one"
        )
    assert out.count("unreadable") == 1
    assert out.endswith(
        f"(1 unreadable file left out, listed above); manifest: {dst}/manifest.csv\n"
    )
    # --quiet: nothing at all
    assert run_here(
        capsys,
        "balance",
        folder,
        tmp_path / "q",
        "--method",
        method,
        "--on-error",
        "skip",
        "--quiet",
    ) == (1, "", "")


def test_lossy_conversions_are_said_once_with_counts(folder, tmp_path, capsys):
    code, _, err = run_here(
        capsys,
        "balance",
        folder,
        tmp_path / "jpeg",
        "--on-error",
        "skip",
        "--format",
        "jpeg",
        "--max-per-class",
        "100",
    )
    assert code == 1
    notes = [line for line in err.splitlines() if "--format jpeg" in line]
    import csv

    with open(tmp_path / "jpeg" / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    alpha = sum("alpha dropped" in row["note"] for row in rows)
    deep = sum("16-bit to 8-bit" in row["note"] for row in rows)
    assert alpha > 4 and deep > 1
    assert sorted(notes) == [
        f"imgbalance balance: note: --format jpeg: 16-bit to 8-bit: JPEG has 8 "
        f"bits ({deep} files)",
        f"imgbalance balance: note: --format jpeg: alpha dropped: JPEG has none "
        f"({alpha} files)",
    ]
    kept = [row for row in rows if row["class"] == "astronaut"]
    assert len(kept) == 100
    assert all(
        row["note"].startswith("kept: 100 of its class's 400, drawn by the seed")
        for row in kept
    )


def test_a_cap_shows_the_class_as_it_was_and_smote_jpeg_counts_its_own(
    folder, tmp_path, capsys
):
    import json

    code, out, err = run_here(
        capsys,
        "balance",
        folder,
        tmp_path / "cap",
        "--on-error",
        "skip",
        "--max-per-class",
        "50",
        "--json",
    )
    summary = json.loads(out)
    astronaut = next(c for c in summary["classes"] if c["name"] == "astronaut")
    assert astronaut == {"name": "astronaut", "before": 400, "kept": 50, "after": 50}
    code, _, err = run_here(
        capsys,
        "balance",
        folder,
        tmp_path / "sj",
        "--on-error",
        "skip",
        "--method",
        "smote",
        "--format",
        "jpeg",
    )
    notes = sorted(line for line in err.splitlines() if "--format jpeg" in line)
    # the originals: 4 RGBA rocket files, 1 16-bit file; the images SMOTE
    # made are 8-bit RGB already
    assert notes == [
        "imgbalance balance: note: --format jpeg: 16-bit to 8-bit: JPEG has 8 "
        "bits (1 file)",
        "imgbalance balance: note: --format jpeg: alpha dropped: JPEG has none "
        "(4 files)",
    ]
