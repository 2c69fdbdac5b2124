"""The record of SRC a run keeps for ``--resume``: each file's size and time,
stated a part at a time and kept in a temporary file, not in memory."""

import io
import os

import numpy as np
import pytest

from imgbalance.datasets._scanning import scan_image_table
from imgbalance.folder import _sources
from imgbalance.folder._sources import SourceRecord


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "src"
    for i, name in enumerate(["a/1.png", "a/2.png", "a/é 3.png", "b/4.png", "b/5.png"]):
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * (10 * i + 1))
        os.utime(path, ns=(0, 1_000_000_000 * (i + 1)))
    return src


@pytest.mark.parametrize("part", [2, 4096])
def test_the_record_is_each_files_size_time_and_readability(tree, monkeypatch, part):
    monkeypatch.setattr(_sources, "_PART", part)  # several parts, or one
    paths = scan_image_table(tree).paths
    record = SourceRecord(str(tree), paths, [True, True, False, True, True])
    assert record.sizes([0, 2, 4]).tolist() == [1, 21, 41]
    assert record.sizes([]).tolist() == []
    out = io.BytesIO()
    record.write(out)
    assert out.getvalue().decode("utf-8").splitlines() == [
        '"a/1.png"\t1\t1000000000\t1',
        '"a/2.png"\t11\t2000000000\t1',
        '"a/é 3.png"\t21\t3000000000\t0',
        '"b/4.png"\t31\t4000000000\t1',
        '"b/5.png"\t41\t5000000000\t1',
    ]
    # compared with itself: nothing changed; then a file's time, an added
    # and a removed file, a readability turned
    (tree.parent / "record").write_bytes(out.getvalue())
    assert record.compare(tree.parent / "record") == ([], [], [], [])
    os.utime(tree / "b/5.png", ns=(0, 7))
    os.remove(tree / "a/1.png")
    (tree / "b/6.png").write_bytes(b"y")
    now = SourceRecord(str(tree), scan_image_table(tree).paths, [True] * 5)
    assert now.compare(tree.parent / "record") == (
        ["b/6.png"],
        ["a/1.png"],
        ["a/é 3.png"],  # unreadable then, readable now
        ["b/5.png"],
    )


def test_the_record_holds_no_array_per_file(tree):
    paths = scan_image_table(tree).paths
    record = SourceRecord(str(tree), paths, np.ones(5, dtype=bool))
    held = [v for v in vars(record).values() if isinstance(v, np.ndarray)]
    assert [a.nbytes for a in held] == [5]  # readability: a byte a file


def test_sizes_past_4_gib_are_kept_whole(tmp_path):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a" / "1.png").write_bytes(b"x")
    with open(src / "a" / "2.png", "wb") as big:  # sparse: no room taken
        big.truncate(5 * 2**30)
    record = SourceRecord(str(src), scan_image_table(src).paths, [True, True])
    sizes = record.sizes([0, 1])
    assert sizes.dtype == np.int64 and sizes.tolist() == [1, 5 * 2**30]
    assert record.sizes([0]).dtype == np.uint32  # 4 bytes a file
