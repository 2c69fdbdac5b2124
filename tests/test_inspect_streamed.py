"""inspect reads a folder a part at a time: the streamed scan, the checks
in parts, and the report added up from them (no list of the files)."""

import os

import numpy as np
import pytest
from PIL import Image

from imgbalance.datasets._scanning import (
    count_image_folder,
    scan_image_folder,
    stream_image_folder,
)
from imgbalance.folder import _inspect, inspect_folder
from imgbalance.folder._inspect import _spread, examine_folder
from imgbalance.utils._pool import run_tasks


def _save(path, size, mode="RGB", fmt=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new(mode, size, 0 if mode in ("L", "P") else (10, 20, 30)[: len(mode)]).save(
        path, fmt
    )


@pytest.fixture
def messy(tmp_path):
    """Three classes at several depths, sizes, modes and formats, with
    unreadable files, a hidden and an other file, an empty class and a
    class of only unreadable files."""
    root = tmp_path / "data"
    _save(str(root / "cat" / "a.png"), (4, 3))
    _save(str(root / "cat" / "b.jpg"), (6, 3), fmt="JPEG")
    _save(str(root / "cat" / "deep" / "er" / "c.png"), (4, 5), "L")
    _save(str(root / "cat" / "deep" / "d.gif"), (10, 2), "P")
    (root / "cat" / "deep" / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "cat" / ".hidden.png").write_bytes(b"")
    (root / "cat" / "notes.txt").write_text("x")
    _save(str(root / "dog" / "x.png"), (4, 3), "RGBA")
    (root / "dog" / "empty.png").write_bytes(b"")
    (root / "gone").mkdir()
    (root / "gone" / "a.png").write_bytes(b"not an image")
    (root / "none").mkdir()
    return root


def test_the_report_of_a_messy_folder(messy):
    report = inspect_folder(messy)
    assert report["classes"] == [
        {"name": "cat", "images": 4, "unreadable": 1},
        {"name": "dog", "images": 1, "unreadable": 1},
        {"name": "gone", "images": 0, "unreadable": 1},
    ]
    assert report["n_images"] == 5
    assert report["imbalance_ratio"] is None
    assert report["empty_classes"] == ["gone", "none"]
    # widths 4, 6, 4, 10, 4; heights 3, 3, 5, 2, 3
    assert report["sizes"] == {
        "width": {"min": 4, "median": 4.0, "max": 10},
        "height": {"min": 2, "median": 3.0, "max": 5},
        "distinct": 4,
    }
    assert report["modes"] == {"L": 1, "P": 1, "RGB": 2, "RGBA": 1}
    assert report["formats"] == {"GIF": 1, "JPEG": 1, "PNG": 3}
    assert [(u["path"], u["class"]) for u in report["unreadable"]] == [
        (os.path.join("cat", "deep", "cut.png"), "cat"),
        (os.path.join("dog", "empty.png"), "dog"),
        (os.path.join("gone", "a.png"), "gone"),
    ]
    assert report["unreadable"][1]["reason"] == "empty file (0 bytes)"
    assert (report["hidden_entries"], report["other_files"]) == (1, 1)
    assert report["large_images"] == []


def test_parts_of_any_size_and_worker_processes_give_the_same_report(
    messy, monkeypatch
):
    whole = examine_folder(messy)[0]
    assert inspect_folder(messy) == whole
    monkeypatch.setattr(_inspect, "CHECK_PART", 2)  # parts across folders, classes
    assert inspect_folder(messy) == whole
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")  # the parts go to workers
    assert inspect_folder(messy, n_jobs=2) == whole


def test_large_images_listed_in_the_order_of_their_paths(messy, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 11)  # 12 pixels and more
    monkeypatch.setattr(_inspect, "CHECK_PART", 1)
    report = inspect_folder(messy)
    assert report["large_images"] == [
        {"path": os.path.join("cat", "a.png"), "width": 4, "height": 3},
        {"path": os.path.join("cat", "b.jpg"), "width": 6, "height": 3},
        {"path": os.path.join("cat", "deep", "d.gif"), "width": 10, "height": 2},
        {"path": os.path.join("cat", "deep", "er", "c.png"), "width": 4, "height": 5},
        {"path": os.path.join("dog", "x.png"), "width": 4, "height": 3},
    ]


def test_progress_counts_every_file_once(messy):
    calls = []
    inspect_folder(messy, progress=lambda n, total: calls.append((n, total)))
    assert sum(n for n, _ in calls) == 8
    assert {total for _, total in calls} == {8}


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({7: 3}, {"min": 7, "median": 7.0, "max": 7}),
        ({1: 1, 2: 1}, {"min": 1, "median": 1.5, "max": 2}),
        ({3: 1, 5: 2, 10: 1}, {"min": 3, "median": 5.0, "max": 10}),
        ({3: 2, 5: 1, 10: 1}, {"min": 3, "median": 4.0, "max": 10}),
        ({10: 1, 1: 4}, {"min": 1, "median": 1.0, "max": 10}),
        ({}, None),
    ],
)
def test_spread_of_counted_sizes(counts, expected):
    assert _spread(counts) == expected


def test_the_stream_holds_the_scan_files_in_parts(messy):
    with pytest.warns(UserWarning, match="hold no image and are left out: 'none'"):
        scan = scan_image_folder(messy)
    with pytest.warns(UserWarning, match="hold no image and are left out: 'none'"):
        survey = count_image_folder(messy)
    assert survey.counts == [5, 2, 1]
    assert survey.target_names == scan.target_names == ["cat", "dog", "gone"]
    assert survey.empty_classes == ["none"]
    parts = list(stream_image_folder(messy, survey.target_names, size=3))
    assert [len(paths) for _, paths in parts] == [3, 3, 2]
    labels = np.concatenate([labels for labels, _ in parts])
    paths = [path for _, part in parts for path in part]
    found = sorted(zip(paths, labels.tolist()))
    assert found == sorted(zip(scan.paths, scan.target.tolist()))


def test_tasks_beyond_or_short_of_the_sizes_all_run():
    def tasks(n):
        return ((i,) for i in range(n))

    assert list(run_tasks(abs, tasks(5), [1, 1], 2, pays_after=1e9)) == [0, 1, 2, 3, 4]
    assert list(run_tasks(abs, tasks(2), [1] * 5, 2, pays_after=1e9)) == [0, 1]
    assert list(run_tasks(abs, tasks(2), [1] * 5, 2, pays_after=0.0)) == [0, 1]


def _lowest_ranked(root, files, k, seed):
    """The reference draw: the ``k`` paths (relative to ``root``) whose
    blake2b hash, keyed by the seed's, is smallest."""
    import hashlib

    key = hashlib.blake2b(repr(seed).encode(), digest_size=32).digest()

    def rank(relative):
        digest = hashlib.blake2b(os.fsencode(relative), key=key, digest_size=8)
        return digest.digest()

    return sorted(sorted(files, key=rank)[:k])


def test_the_thumbnails_drawn_are_the_lowest_ranked_in_any_reading(
    tmp_path, monkeypatch
):
    from folders import write_pngs

    from imgbalance.folder._inspect import survey_folder

    root = write_pngs(tmp_path / "data", {"a": 20, "b": 2}, side=4)
    files = [os.path.join("a", f"{i}.png") for i in range(20)]
    for seed in (0, 1, 123456789):
        expected = _lowest_ranked(root, files, 3, seed)
        whole = examine_folder(root, thumbnails=3, seed=seed)[3]
        monkeypatch.setattr(_inspect, "CHECK_PART", 2)
        _, streamed = survey_folder(root, thumbnails=3, seed=seed)
        monkeypatch.undo()
        for drawn in (whole, streamed):
            assert [os.path.relpath(f.path, root) for f in drawn.drawn(0)] == expected
            assert [f.path for f in drawn.drawn(1)] == [
                os.path.join(root, "b", "0.png"),
                os.path.join(root, "b", "1.png"),
            ]
            assert {(f.width, f.height, f.mode) for f in drawn.drawn(0)} == {
                (4, 4, "RGB")
            }
    # a file added changes at most one of a class's thumbnails
    before = _lowest_ranked(root, files, 3, 0)
    after = _lowest_ranked(root, files + [os.path.join("a", "new.png")], 3, 0)
    write_pngs(tmp_path / "more", {"a": 1}, side=4)
    os.rename(tmp_path / "more" / "a" / "0.png", root / "a" / "new.png")
    _, samples = survey_folder(root, thumbnails=3, seed=0)
    drawn = [os.path.relpath(f.path, root) for f in samples.drawn(0)]
    assert drawn == after and len(set(drawn) - set(before)) <= 1
