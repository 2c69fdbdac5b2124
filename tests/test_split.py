"""imgbalance split and the leak-free splits of imgbalance.model_selection:
planted near-duplicates (JPEG re-encodes, resizes, one-pixel shifts)
inside and across classes, and a balanced folder's derived images, never
straddle two parts; counts within one image of the exact shares."""

import csv
import os
import random
import signal
import subprocess
import time

import numpy as np
import pytest
from PIL import Image

from commands import COMMAND, run_here
from folders import tree_hashes
from imgbalance.folder import balance_folder, split_folder
from imgbalance.folder._refusal import BalanceRefused
from photos import jpeg_copy, photo_tiles, resized_copy, shifted_copy

COUNTS = {"a": 70, "b": 40, "c": 14}
COPIES = [jpeg_copy, resized_copy, lambda image: shifted_copy(image, 1)]


def planted_folder(root):
    """``root/<class>/<n>.png``: distinct 128-pixel photo tiles, and copies
    of some of them (in the class and, for a few, in another class). Returns
    the root and the pairs (relative paths) that must stay together."""
    tiles = photo_tiles(128)
    order = np.random.default_rng(3).permutation(len(tiles))
    pairs, k = [], 0
    for name, n in COUNTS.items():
        os.makedirs(root / name)
        for i in range(n):
            Image.fromarray(tiles[order[k]]).save(root / name / f"{i:03d}.png")
            k += 1
    for j, (name, i) in enumerate(
        [("a", i) for i in range(0, 30, 2)] + [("b", 1), ("b", 5)]
    ):
        copy = COPIES[j % 3](np.asarray(Image.open(root / name / f"{i:03d}.png")))
        Image.fromarray(copy).save(root / name / f"{i:03d} copy.png")
        pairs.append((f"{name}/{i:03d}.png", f"{name}/{i:03d} copy.png"))
    for j, i in enumerate([40, 41, 42]):  # across classes: a labelling slip
        copy = COPIES[j](np.asarray(Image.open(root / "a" / f"{i:03d}.png")))
        Image.fromarray(copy).save(root / "c" / f"from-a-{i}.png")
        pairs.append((f"a/{i:03d}.png", f"c/from-a-{i}.png"))
    return root, pairs


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return planted_folder(tmp_path_factory.mktemp("planted") / "src")


def parts_of(dst):
    with open(os.path.join(dst, "manifest.csv"), newline="", encoding="utf-8") as f:
        return {row["source"]: row for row in csv.DictReader(f)}


def visible(tree):
    return {k: v for k, v in tree.items() if not os.path.basename(k).startswith(".")}


def test_no_planted_pair_straddles_and_counts_are_the_shares(planted, tmp_path):
    src, pairs = planted
    summary = split_folder(src, tmp_path / "dst", test=0.2, val=0.1, seed=1)
    rows = parts_of(tmp_path / "dst")
    assert len(rows) == sum(COUNTS.values()) + len(pairs)
    for a, b in pairs:
        assert rows[a]["part"] == rows[b]["part"], (a, b)
        assert rows[a]["group"] == rows[b]["group"]
    for c in summary["classes"]:
        n = c["images"]
        for part, share in [("train", 0.7), ("test", 0.2), ("val", 0.1)]:
            assert abs(c[part] - share * n) < 1, (c, part)
    assert summary["n_groups"] == len(pairs)
    # the files are the sources, byte for byte, at part/class/name
    for source, row in rows.items():
        with (
            open(src / source, "rb") as a,
            open(tmp_path / "dst" / row["output"], "rb") as b,
        ):
            assert a.read() == b.read()
        assert row["output"] == f"{row['part']}/{source}"


def test_the_same_seed_gives_the_same_files(planted, tmp_path):
    src, _ = planted
    split_folder(src, tmp_path / "one", seed=4)
    split_folder(src, tmp_path / "two", seed=4)
    split_folder(src, tmp_path / "other", seed=5)
    one, two = (
        visible(tree_hashes(tmp_path / "one")),
        visible(tree_hashes(tmp_path / "two")),
    )
    assert one == two
    assert one != visible(tree_hashes(tmp_path / "other"))


def test_a_balanced_folders_derived_images_stay_with_their_source(planted, tmp_path):
    src, _ = planted
    balanced = tmp_path / "balanced"
    balance_folder(src, balanced, seed=0)
    summary = split_folder(balanced, tmp_path / "dst", test=0.25, seed=0)
    rows = parts_of(tmp_path / "dst")
    with open(balanced / "manifest.csv", newline="", encoding="utf-8") as f:
        made = [r for r in csv.DictReader(f) if r["method"] == "augment"]
    assert made
    for row in made:
        assert rows[row["output"]]["part"] == rows[row["source"]]["part"]
    # a and b: within one image; c, grown fivefold, is 17 groups of five
    # images, which cannot make 21.25: 20, and a note says so
    counts = {c["name"]: (c["train"], c["test"]) for c in summary["classes"]}
    for name in ("a", "b"):
        assert abs(counts[name][1] - 0.25 * 85) < 1, counts
    assert counts["c"] == (65, 20)
    assert summary["notes"] == [
        "1 class(es) miss their shares by an image or more, as their "
        "near-duplicate groups are large (counts per part, as train/test: 'c' "
        "[65, 20] for [63.75, 21.25])."
    ]


def test_per_class_is_exact_or_refused(planted, tmp_path, capsys):
    src, pairs = planted
    summary = split_folder(src, tmp_path / "dst", per_class=(5, 3), seed=0)
    assert [(c["test"], c["val"]) for c in summary["classes"]] == [(5, 3)] * 3
    rows = parts_of(tmp_path / "dst")
    assert all(rows[a]["part"] == rows[b]["part"] for a, b in pairs)
    code, out, err = run_here(capsys, "split", src, tmp_path / "x", "--per-class", "17")
    assert (code, out) == (2, "")
    assert err == (
        "imgbalance split: --per-class 17: 1 class(es) have 17 images or fewer, "
        "leaving none for training: 'c' (17); ask for fewer per class, or give "
        "shares.\n"
    )
    assert not (tmp_path / "x").exists()


def test_groups_too_large_for_an_exact_count_are_refused(tmp_path):
    src = tmp_path / "src"
    image = np.asarray(Image.fromarray(photo_tiles(128)[0]))
    for name in ("a", "b"):
        os.makedirs(src / name)
    for i in range(4):  # four copies of one image: one group of four
        Image.fromarray(image).save(src / "a" / f"{i}.png")
    for i, tile in enumerate(photo_tiles(128)[1:7]):
        Image.fromarray(tile).save(src / "b" / f"{i}.png")
    with pytest.raises(BalanceRefused) as refused:
        split_folder(src, tmp_path / "dst", per_class=1)
    assert str(refused.value).startswith(
        "per_class: the near-duplicate groups of 1 class(es) are too large to "
        "give exactly the images asked for (counts per part, as train/test: 'a' "
    )


def test_the_command_prints_the_plan_and_the_json(planted, tmp_path, capsys):
    import json

    src, pairs = planted
    code, out, err = run_here(capsys, "split", src, tmp_path / "dry", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[1:5] == [
        "class   train    test",
        "a          68      17",
        "b          34       8",
        "c          14       3",
    ]
    assert f"{len(pairs)} group(s) of near-duplicates or derived images" in out
    assert not (tmp_path / "dry").exists()
    code, out, _ = run_here(
        capsys, "split", src, tmp_path / "j", "--json", "--seed", "2"
    )
    summary = json.loads(out)
    assert (
        code == 0
        and summary["exit_code"] == 0
        and summary["parts"] == ["train", "test"]
    )
    assert summary["written"] == sum(COUNTS.values()) + len(pairs)


def test_kills_then_resume_give_the_uninterrupted_files(planted, tmp_path):
    """kill -9 at random moments, then --resume, over and over: the files of
    an uninterrupted split."""
    src, _ = planted
    whole = tmp_path / "whole"
    split_folder(src, whole, seed=7)
    cut = tmp_path / "cut"
    rng = random.Random(0)
    for attempt in range(6):
        args = [COMMAND, "split", str(src), str(cut), "--seed", "7", "--quiet"]
        if attempt:
            args.append("--resume")
        process = subprocess.Popen(args, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        if (cut / "manifest.csv").exists() and not any(
            p.name.startswith(".imgbalance-journal") for p in cut.iterdir()
        ):
            break
    resume = [] if not (cut / ".imgbalance-run.json").exists() else ["--resume"]
    done = subprocess.run(
        [COMMAND, "split", str(src), str(cut), "--seed", "7", "--quiet", *resume],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert tree_hashes(cut) == tree_hashes(whole)


def test_library_splits_keep_near_duplicates_apart(planted):
    from sklearn.model_selection import GridSearchCV
    from sklearn.linear_model import LogisticRegression
    from imblearn.pipeline import Pipeline

    from imgbalance.datasets import load_image_folder
    from imgbalance.features import ColorHistogram
    from imgbalance.model_selection import (
        NearDuplicateSplit,
        near_duplicate_groups,
        train_test_split,
    )

    src, pairs = planted
    data = load_image_folder(src)
    relative = [os.path.relpath(p, src).replace(os.sep, "/") for p in data.paths]
    at = {name: i for i, name in enumerate(relative)}
    groups = near_duplicate_groups(data.paths, threshold=8)
    assert all(groups[at[a]] == groups[at[b]] for a, b in pairs)
    X_train, X_test, y_train, y_test = train_test_split(
        data.paths, data.target, test_size=0.2, random_state=0, threshold=8
    )
    assert isinstance(X_train, list) and len(X_train) + len(X_test) == len(relative)
    train = {os.path.relpath(p, src).replace(os.sep, "/") for p in X_train}
    for a, b in pairs:
        assert (a in train) == (b in train)
    for c, n in enumerate(np.bincount(data.target)):
        assert abs(np.count_nonzero(y_test == c) - 0.2 * n) < 1
    cv = NearDuplicateSplit(threshold=8)
    for train_idx, test_idx in cv.split(data.paths, data.target):
        assert not set(groups[train_idx]) & set(groups[test_idx])
    search = GridSearchCV(
        Pipeline([("features", ColorHistogram(bins=4)), ("clf", LogisticRegression())]),
        {"clf__C": [1.0]},
        cv=NearDuplicateSplit(threshold=8),
    )
    search.fit(data.paths, data.target)
    assert search.n_splits_ == 5


@pytest.mark.parametrize("originals", ["hardlink", "reflink"])
def test_links_or_reflinks_give_the_same_bytes(planted, tmp_path, originals):
    src, _ = planted
    split_folder(src, tmp_path / "dst", originals=originals, seed=0)
    rows = parts_of(tmp_path / "dst")
    for source, row in list(rows.items())[:20]:
        a, b = src / source, tmp_path / "dst" / row["output"]
        assert a.read_bytes() == b.read_bytes()
        if originals == "hardlink":
            assert os.path.samefile(a, b)
        else:  # a reflink, or a copy where the file system has none
            assert not os.path.samefile(a, b)


def test_the_page_has_the_counts_per_part_and_the_groups(planted, tmp_path, capsys):
    src, pairs = planted
    page = tmp_path / "split.html"
    code, _, err = run_here(
        capsys, "split", src, tmp_path / "dst", "--report", page, "--thumbnails", "5"
    )
    assert (code, err) == (0, "")
    text = page.read_text(encoding="utf-8")
    for name, n in COUNTS.items():
        assert f'data-class="{name}"' in text
    assert text.count('<div class="group"><p>group ') == 5
    assert f"Groups kept on one side ({len(pairs)})" in text
