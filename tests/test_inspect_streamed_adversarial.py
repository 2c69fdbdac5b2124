"""inspect's streamed read against odd folders: the report equals the
whole scan's on a folder that stays as it is, and a folder changed between
the count and the walk is read without an error and without following a
link out of it."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from imgbalance.folder import _inspect, inspect_folder
from imgbalance.folder._inspect import examine_folder
from imgbalance.utils import _pool


def _save(path, size=(4, 3)):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new("RGB", size).save(path, "PNG")


def _write(path, data=b"not an image"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def _counts(report):
    return [(c["name"], c["images"], c["unreadable"]) for c in report["classes"]]


@pytest.fixture
def odd(tmp_path):
    """Names not UTF-8 and names that sort differently as bytes and as
    text, a tree 200 folders deep, 150 folders of one file, links inside
    and leading out, an empty class, a class of only unreadable files."""
    root = os.fsencode(tmp_path / "data")
    a = os.path.join(root, b"a")
    _save(os.fsdecode(os.path.join(a, b"z.png")))
    _save(os.fsdecode(os.path.join(a, "\u00e9.png".encode())), (5, 3))
    for name in [b"\xff\xfe.png", b"\xc3.png", "a\uffff.png".encode()]:
        _write(os.fsdecode(os.path.join(a, name)))
    _write(os.fsdecode(os.path.join(a, "a\U00010000.png".encode())))
    _save(os.fsdecode(os.path.join(root, b"\xff-class", b"x.png")))
    deep = os.path.join(root, b"deep", *[b"d"] * 200, b"x.png")
    _save(os.fsdecode(deep), (2, 2))
    for i in range(150):
        _save(
            os.fsdecode(os.path.join(root, b"many", b"f%d" % i, b"x.png")),
            (i % 7 + 1, 2),
        )
    os.makedirs(os.path.join(root, b"empty"))
    _write(os.fsdecode(os.path.join(root, b"bad", b"q.png")), b"")
    outside = tmp_path / "outside"
    _save(str(outside / "o.png"))
    os.symlink(outside, os.path.join(root, b"a", b"out"))
    os.symlink(outside / "o.png", os.path.join(root, b"a", b"out.png"))
    os.symlink(os.path.join(a, b"z.png"), os.path.join(root, b"bad", b"in.png"))
    os.symlink(outside, os.path.join(root, b"outcls"))
    return os.fsdecode(root)


def test_odd_names_deep_trees_and_links_read_as_the_whole_scan(odd, monkeypatch):
    whole = examine_folder(odd)[0]
    assert _counts(whole) == [
        ("a", 2, 4),
        ("bad", 1, 1),
        ("deep", 1, 0),
        ("many", 150, 0),
        ("\\xff-class", 1, 0),
    ]
    assert whole["links_not_followed"] == [
        os.path.join("a", "out"),
        os.path.join("a", "out.png"),
        "outcls",
    ]
    assert inspect_folder(odd) == whole
    monkeypatch.setattr(_inspect, "CHECK_PART", 7)  # parts across folders
    assert inspect_folder(odd) == whole


def test_a_few_thousand_files_checked_in_worker_processes(tmp_path, monkeypatch):
    root = tmp_path / "data"
    _save(str(root / "small" / "0.png"), (3, 5))
    os.makedirs(root / "big")
    _save(str(tmp_path / "one.png"), (3, 2))
    data = (tmp_path / "one.png").read_bytes()
    for i in range(2100):  # three parts
        (root / "big" / f"{i:05d}.png").write_bytes(data if i % 97 else b"xx")
    pools = []
    for name in ("in_forks", "_in_pool"):
        real = getattr(_pool, name)
        monkeypatch.setattr(
            _pool, name, lambda *a, real=real, **k: pools.append(1) or real(*a, **k)
        )
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")
    calls = []
    report = inspect_folder(root, n_jobs=2, progress=lambda n, t: calls.append((n, t)))
    assert pools == [1]
    assert sorted(calls) == [(53, 2101), (1024, 2101), (1024, 2101)]
    assert _counts(report) == [("big", 2078, 22), ("small", 1, 0)]
    assert report == examine_folder(root)[0]


@pytest.fixture
def counted_then(monkeypatch):
    """Make the folder's count run ``change(root)`` once it is done: a
    folder changed between the count and the walk."""

    def install(change):
        count = _inspect.count_image_folder

        def counted(root, **kwargs):
            survey = count(root, **kwargs)
            change(root)
            return survey

        monkeypatch.setattr(_inspect, "count_image_folder", counted)

    return install


@pytest.fixture
def two(tmp_path):
    root = tmp_path / "data"
    for path in ["a/1.png", "a/2.png", "b/1.png", "b/s/2.png"]:
        _save(str(root / path))
    _save(str(tmp_path / "outside" / "o.png"))
    return root


def test_a_class_turned_into_a_link_leading_out_is_not_followed(two, counted_then):
    def relink(root):
        shutil.rmtree(os.path.join(root, "b"))
        os.symlink(
            os.path.join(os.path.dirname(root), "outside"), os.path.join(root, "b")
        )

    counted_then(relink)
    report = inspect_folder(two)
    assert _counts(report) == [("a", 2, 0), ("b", 0, 0)]
    assert report["empty_classes"] == ["b"]


@pytest.mark.parametrize(
    "change, counts",
    [
        (
            lambda root: shutil.rmtree(os.path.join(root, "b")),
            [("a", 2, 0), ("b", 0, 0)],
        ),
        (
            lambda root: os.remove(os.path.join(root, "a", "1.png")),
            [("a", 1, 0), ("b", 2, 0)],
        ),
        (
            lambda root: _save(os.path.join(root, "a", "3.png")),
            [("a", 3, 0), ("b", 2, 0)],
        ),
        (
            lambda root: _save(os.path.join(root, "c", "1.png")),
            [("a", 2, 0), ("b", 2, 0)],
        ),
        (lambda root: shutil.rmtree(root), [("a", 0, 0), ("b", 0, 0)]),
    ],
    ids=["class-removed", "file-removed", "file-added", "class-added", "root-removed"],
)
def test_a_folder_changed_after_its_count_reads_what_the_walk_finds(
    two, counted_then, change, counts
):
    counted_then(change)
    calls = []
    report = inspect_folder(two, progress=lambda n, total: calls.append((n, total)))
    assert _counts(report) == counts
    assert sum(n for n, _ in calls) == sum(n + m for _, n, m in counts)
    assert {total for _, total in calls} <= {4}


def test_folders_that_cannot_be_listed_read_as_the_whole_scan(two, monkeypatch):
    locked = {os.path.join(two, "b", "s"), os.path.join(two, "a")}
    scandir = os.scandir

    def refusing(path="."):
        if os.fspath(path) in locked:
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    whole = examine_folder(two)[0]
    assert _counts(whole) == [("b", 1, 0)]
    assert [u["path"] for u in whole["unreadable"]] == ["a/", "b/s/"]
    assert inspect_folder(two) == whole


@pytest.mark.parametrize("json_option", [[], ["--json"]])
def test_names_an_ascii_standard_output_cannot_hold_are_escaped(tmp_path, json_option):
    root = tmp_path / "data"
    _save(str(root / "caf\u00e9" / "\U0001f600.png"))
    _write(str(root / "caf\u00e9" / "\uffff.png"))
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    command = [sys.executable, "-m", "imgbalance", "inspect", str(root)]
    done = subprocess.run(
        command + json_option,
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.isascii()
    if json_option:
        report = json.loads(done.stdout)
        assert report["classes"][0]["name"] == "caf\u00e9"
        assert report["unreadable"][0]["path"] == os.path.join(
            "caf\u00e9", "\uffff.png"
        )
    else:
        assert "caf\\xe9" in done.stdout
        assert os.path.join("caf\\xe9", "\\uffff.png: ") in done.stdout
