"""imgbalance leaks / folder.find_folder_leaks: planted leaks between two
folders found at the default threshold (recall and precision >= 0.99)."""

import json
import os

import numpy as np
import pytest
from PIL import Image

from commands import run_here
from imgbalance.folder import find_folder_leaks
from photos import jpeg_copy, photo_tiles, resized_copy, shifted_copy

COPIES = {
    "jpeg": jpeg_copy,
    "resized": resized_copy,
    "shifted": lambda i: shifted_copy(i, 1),
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """TRAIN: 180 distinct 128-pixel tiles in three classes; TEST: the
    other tiles, and a JPEG, resized or one-pixel-shifted copy of each
    training tile (a few in another class). Returns the folders and the
    planted (test, train) pairs."""
    root = tmp_path_factory.mktemp("leaks")
    tiles = photo_tiles(128)
    order = np.random.default_rng(1).permutation(len(tiles))
    train, test, planted = root / "train", root / "test", set()
    classes = ["a", "b", "c"]
    for k, t in enumerate(order[:180]):
        name = f"{classes[k % 3]}/{k:03d}.png"
        os.makedirs(train / classes[k % 3], exist_ok=True)
        Image.fromarray(tiles[t]).save(train / name)
        kind = list(COPIES)[k % 3]
        where = classes[(k + (k % 20 == 0)) % 3]  # every 20th in another class
        copy = f"{where}/{kind}-{k:03d}.png"
        os.makedirs(test / where, exist_ok=True)
        Image.fromarray(COPIES[kind](tiles[t])).save(test / copy)
        planted.add((copy, name))
    for k, t in enumerate(order[180:]):
        Image.fromarray(tiles[t]).save(test / classes[k % 3] / f"new-{k:03d}.png")
    return train, test, planted


def test_planted_leaks_are_found(folders):
    train, test, planted = folders
    report = find_folder_leaks(train, test)
    found = {
        (leak["test"], m["path"]) for leak in report["leaks"] for m in leak["train"]
    }
    recall = len(found & planted) / len(planted)
    flagged = {leak["test"] for leak in report["leaks"]}
    precision = len({t for t, _ in planted} & flagged) / len(flagged)
    assert recall >= 0.99 and precision >= 0.99, (recall, precision)
    assert (
        report["n_train"] == 180
        and report["n_test"] == 180 + len(photo_tiles(128)) - 180
    )
    assert report["across_classes"] >= 9


def test_the_command_lists_them_and_exits_1(folders, capsys, tmp_path):
    train, test, planted = folders
    code, out, err = run_here(capsys, "leaks", train, test, "--json")
    report = json.loads(out)
    assert (code, err, report["exit_code"]) == (1, "", 1)
    assert report["n_leaks"] == len(report["leaks"]) >= 0.99 * len(planted)
    code, out, _ = run_here(capsys, "leaks", train, test)
    assert code == 1
    assert out.splitlines()[2].startswith(f"{report['n_leaks']} test image(s) with a")
    code, out, _ = run_here(capsys, "leaks", train, train, "--quiet")
    assert (code, out) == (1, "")  # a folder against itself: every image
    code, out, err = run_here(capsys, "leaks", train, tmp_path / "none")
    assert (code, out) == (2, "")
    assert err == (
        f"imgbalance leaks: TEST {str(tmp_path / 'none')!r} does not exist; give a "
        "folder-per-class dataset.\n"
    )


def test_the_page_shows_each_leak_beside_its_source(folders, tmp_path, capsys):
    train, test, _ = folders
    page = tmp_path / "leaks.html"
    code, _, _ = run_here(
        capsys, "leaks", train, test, "--report", page, "--thumbnails", "3"
    )
    text = page.read_text(encoding="utf-8")
    assert code == 1 and text.count('<div class="pair">') == 3
    assert text.count('<figure class="image">') == 6
