"""The path table: a scan's files held a few bytes each, reading as the list
of paths it replaces."""

import os
import pickle
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from imgbalance.datasets import _names
from imgbalance.datasets._names import sorted_names
from imgbalance.datasets._path_table import PathTable
from imgbalance.datasets._scanning import scan_image_folder, scan_image_table
from imgbalance.utils._spill import Spill, SpillError

# names whose order as text is not the order of their lengths or cases
NAMES = [
    "b.png",
    "a.png",
    "é.png",
    "Z.png",
    "a b.png",
    "a_1.png",
    "a.PNG",
    "10.png",
    "9.png",
    "日本.png",
    "ü/x.png",
    "ü/sub/y.jpg",
    "a/b/c/d.png",
    ".hidden.png",
    "notes.txt",
]


def _tree(root, names, classes=("cat", "dog", "ämsel")):
    for cls in classes:
        for name in names:
            path = os.path.join(root, cls, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as file:
                file.write(b"x")


@pytest.fixture(params=["in memory", "in runs"])
def runs(request, monkeypatch):
    """Names sorted in memory, or in runs of 2 names merged from a
    temporary file (read back 1 at a time): a class past ``_RUN``."""
    if request.param == "in runs":
        monkeypatch.setattr(_names, "_RUN", 2)
        monkeypatch.setattr(_names, "_READ", 1)
    return request.param


def _make(root, names):
    for name in names:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").close()


@pytest.mark.parametrize("long_name", [False, True])
def test_the_table_scan_equals_the_list_scan(tmp_path, long_name, runs):
    # a 200-byte name among short ones sorts the names as Python objects;
    # without it, as one array of fixed-width strings
    _tree(tmp_path, NAMES + (["a" * 200 + ".png"] if long_name else []))
    listed = scan_image_folder(tmp_path)
    table = scan_image_table(tmp_path)
    assert list(table.paths) == listed.paths
    assert len(table.paths) == len(listed.paths) == 3 * (13 + long_name)
    assert table.target.tolist() == listed.target.tolist()
    assert table.target_names == listed.target_names == ["cat", "dog", "ämsel"]
    assert (
        (table.n_hidden, table.n_other) == (listed.n_hidden, listed.n_other) == (3, 3)
    )
    assert [table.paths.relative(i) for i in range(len(table.paths))] == [
        os.path.relpath(p, tmp_path) for p in listed.paths
    ]


def test_the_order_is_that_of_the_names_as_text(tmp_path):
    _tree(tmp_path, NAMES, classes=("cat",))
    relative = list(scan_image_table(tmp_path).paths.relatives())
    assert relative == [
        "cat/10.png",
        "cat/9.png",
        "cat/Z.png",
        "cat/a b.png",
        "cat/a.PNG",
        "cat/a.png",
        "cat/a/b/c/d.png",
        "cat/a_1.png",
        "cat/b.png",
        "cat/é.png",
        "cat/ü/sub/y.jpg",
        "cat/ü/x.png",
        "cat/日本.png",
    ]


@pytest.mark.parametrize("utf8", [True, False])
@pytest.mark.parametrize("long_name", [False, True])
def test_sorted_names_sorts_as_python_sorts_the_names_as_text(long_name, utf8, runs):
    # UTF-8 names of one to four bytes a character (sorted as bytes, in one
    # array where no name is much longer than the others), or any bytes
    # (not UTF-8: sorted as the text they decode to)
    rng = np.random.default_rng(0)
    if utf8:
        points = [0x61, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FD, 0xE000, 0xFFFF, 0x10000]
        names = [
            "".join(
                chr(rng.choice(points) + int(rng.integers(0, 3)))
                for _ in range(rng.integers(1, 6))
            ).encode()
            for _ in range(3000)
        ]
    else:
        names = [
            bytes(rng.integers(1, 256, rng.integers(1, 12)).tolist())
            for _ in range(3000)
        ]
    names += [b"same"] * 3 + [b"a" * 300] * long_name
    parts = [names[i : i + 1000] for i in range(0, len(names), 1000)]
    found = sorted_names(parts)
    expected = sorted(names, key=os.fsdecode)
    assert utf8 == (expected == sorted(names))  # the bytes' order differs
    assert len(found) == len(expected)
    assert found.blob == b"".join(expected)
    assert found.ends.tolist() == np.cumsum([len(n) for n in expected]).tolist()
    assert found.ends.dtype == np.int64  # PathTable narrows it


def test_sorted_names_of_nothing():
    found = sorted_names([[], []])
    assert (found.blob, found.ends.tolist(), len(found)) == (b"", [], 0)


def _table(root, names):
    encoded = [os.fsencode(n) for n in names]
    return PathTable(
        root, b"".join(encoded), np.cumsum([len(n) for n in encoded], dtype=np.int64)
    )


def test_a_table_reads_as_a_list_of_paths():
    names = ["cat/a.png", "cat/é.png", "dog/x/y.jpg", "dog/z.png"]
    table = _table("/data/src", names)
    paths = [os.path.join("/data/src", n) for n in names]
    assert len(table) == 4
    assert [table[i] for i in range(4)] == paths
    assert table[-1] == paths[-1] and table[-4] == paths[0]
    assert table[1:3] == paths[1:3] and table[::-2] == paths[::-2] and table[:] == paths
    assert list(table) == paths
    assert table.relative(2) == "dog/x/y.jpg"
    assert table.path_of(table.relative(2)) == paths[2]
    assert list(table.relatives([3, 0, 3])) == ["dog/z.png", "cat/a.png", "dog/z.png"]
    assert "/data/src/dog/z.png" in table and table.index("/data/src/cat/é.png") == 1
    for wrong in (4, -5):
        with pytest.raises(IndexError, match="PathTable index out of range"):
            table[wrong]
    with pytest.raises(TypeError):
        table[1.0]
    # a root ending with a separator is not doubled
    assert _table("/data/src/", names)[0] == "/data/src/cat/a.png"


def test_take_makes_a_table_of_those_paths():
    names = [f"c/{i:03d}.png" for i in range(300)]
    table = _table("/r", names)
    taken = table.take([299, 0, 5, 5])
    assert isinstance(taken, PathTable)
    assert list(taken) == ["/r/c/299.png", "/r/c/000.png", "/r/c/005.png"] + [
        "/r/c/005.png"
    ]
    assert table.take(np.arange(300)) is table  # all, in order: itself
    assert len(table.take(np.empty(0, dtype=int))) == 0
    # the bytes of the names and an offset each: no object per file
    assert table.nbytes == sum(len(n) for n in names) + 4 * 300  # uint32 offsets


def test_a_name_that_is_not_utf8_comes_back_as_it_was(tmp_path):
    if os.name == "nt":
        pytest.skip("file names are text on Windows")
    name = os.fsdecode(b"caf\xe9.png")  # Latin-1, not UTF-8
    os.makedirs(tmp_path / "cat")
    with open(os.path.join(os.fsencode(tmp_path), b"cat", b"caf\xe9.png"), "wb"):
        pass
    table = scan_image_table(tmp_path).paths
    assert table[0] == os.path.join(str(tmp_path), "cat", name)
    assert os.path.exists(table[0])


def test_sizes_held_as_int32_are_multiplied_as_int64():
    # 50 000 x 50 000 pixels: 2.5e9, past int32; the check holds sizes as
    # int32 (a few bytes a file), so the products must not wrap round
    from types import SimpleNamespace

    from imgbalance._contract._checking import Checked
    from imgbalance.folder._inspect import _above_limit
    from imgbalance.folder._scan import large_sources_note, pixel_counts

    checked = Checked(3)
    checked.add(
        0,
        (
            [None] * 3,
            ["PNG"] * 3,
            ["L"] * 3,
            np.array([[50_000, 50_000], [8, 8], [40_000, 60_000]]),
        ),
    )
    assert checked.size.dtype == np.int32
    assert (checked.format.itemsize, checked.mode.itemsize) == (1, 1)
    assert _above_limit(checked.size).tolist() == [0, 2]
    sources = SimpleNamespace(
        sizes=checked.size,
        pixels=lambda: pixel_counts(checked.size),
        relative=lambda i: f"c/{i}.png",
    )
    (note,) = large_sources_note(sources)
    assert note.startswith("2 source(s) above Pillow's decompression-bomb limit")
    assert note.endswith("(the first: c/0.png, 50000x50000).")


def test_names_that_are_not_utf8_sort_as_the_list_sorts_them(tmp_path, runs):
    # their bytes decode to surrogates (U+DC80-U+DCFF), which sort before
    # U+E000 and above as text, while the bytes 0x80-0xFF sort after those
    # characters' UTF-8 bytes
    if os.name == "nt":
        pytest.skip("file names are text on Windows")
    names = [
        b"a\xff.png",
        "a\ue000".encode() + b"\xff.png",
        "a\uffff".encode() + b"\xff.png",
        "a\U0001f600".encode() + b"\xff.png",
        "a\U0001f600.png".encode(),
        b"b.png",
    ]
    for cls in (b"x", b"y"):
        os.makedirs(os.path.join(os.fsencode(tmp_path), cls))
        for name in names:
            with open(os.path.join(os.fsencode(tmp_path), cls, name), "wb"):
                pass
    listed = scan_image_folder(tmp_path).paths
    table = scan_image_table(tmp_path).paths
    assert list(table) == listed
    assert [os.path.basename(os.fsencode(p)) for p in listed[:6]] == [
        b"a\xff.png",
        "a\ue000".encode() + b"\xff.png",
        "a\uffff".encode() + b"\xff.png",
        "a\U0001f600.png".encode(),
        "a\U0001f600".encode() + b"\xff.png",
        b"b.png",
    ]


@pytest.mark.parametrize("at_offsets", [True, False])
def test_a_spill_gives_back_what_was_appended(at_offsets):
    spill = Spill()
    if not at_offsets:  # a system without os.pread (Windows): seek and read
        spill._lock = threading.Lock()
    assert spill.append(b"abc") == 0
    assert spill.append(np.arange(3, dtype=np.int64)) == 3  # any buffer
    assert spill.append(b"") == 27 and spill.size == 27
    assert spill.read(0, 3) == b"abc" and spill.read(2, 2) == b""
    assert np.frombuffer(spill.read(3, 27), dtype=np.int64).tolist() == [0, 1, 2]
    with pytest.raises(OSError, match="ended at byte 27 of 30: it was cut"):
        spill.read(20, 30)
    spill.close()


def test_a_scanned_table_holds_its_offsets_only(tmp_path):
    names = [f"c{i % 3}/{i:05d}{'x' * (i % 7)}.png" for i in range(5000)]
    _make(tmp_path, names)
    table = scan_image_table(tmp_path).paths
    expected = scan_image_folder(tmp_path).paths
    assert list(table) == expected and len(table) == 5000
    assert table.nbytes == 4 * 5000  # the names are in the temporary file
    taken = table.take(np.arange(4999, -1, -2))
    assert list(taken) == expected[::-2] and taken.nbytes == 4 * 2500
    # to another process (a spawned worker): the names themselves
    copy = pickle.loads(pickle.dumps(table))
    assert list(copy) == expected and copy.nbytes > 4 * 5000


def test_names_far_apart_are_read_one_by_one_and_equal():
    names = [f"c/{i:06d}.png" for i in range(12000)]  # 144 000 bytes
    table = PathTable.of_parts("/r", [sorted_names([[os.fsencode(n) for n in names]])])
    far = [11999, 0, 6000, 11999]  # a span past the one-read bound
    assert list(table.relatives(far)) == [names[i] for i in far]
    assert [table[i] for i in far] == ["/r/" + names[i] for i in far]


def test_threads_and_forked_processes_read_one_table(tmp_path):
    names = [f"c/{i:05d}.png" for i in range(3000)]
    _make(tmp_path, names)
    table = scan_image_table(tmp_path).paths
    expected = [str(tmp_path / n) for n in names]
    with ThreadPoolExecutor(4) as pool:  # reads at offsets: no shared position
        found = list(pool.map(lambda i: table[i], range(3000)))
    assert found == expected
    if not hasattr(os, "fork"):
        return
    read, write = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+: fork in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child reads the file its parent made
        os.write(write, "\n".join(table[i] for i in range(0, 3000, 7)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        got = pipe.read().decode().split("\n")
    os.waitpid(pid, 0)
    assert got == expected[::7] and list(table) == expected


def test_a_temporary_folder_that_cannot_hold_the_names_is_named(tmp_path, monkeypatch):
    _make(tmp_path / "src", ["a/1.png"])
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    with pytest.raises(SpillError) as caught:
        scan_image_table(tmp_path / "src")
    assert str(caught.value) == (
        f"the temporary folder {not_a_folder} cannot hold the run's list of "
        "files (Not a directory); free some room there, or set TMPDIR to a "
        "folder with room"
    )


def test_pixel_counts_are_exact_past_32_bits():
    from imgbalance.folder._scan import pixel_counts

    sizes = np.array([[50_000, 50_000], [8, 8], [65_536, 65_535]], dtype=np.int32)
    counts = pixel_counts(sizes)
    assert counts.dtype == np.uint32  # 4 bytes a file where all fit
    assert counts.tolist() == [2_500_000_000, 64, 4_294_901_760]
    sizes[2] = 70_000, 70_000  # 4.9 gigapixels: past uint32
    counts = pixel_counts(np.concatenate([np.ones((70_000, 2), np.int32), sizes]))
    assert counts.dtype == np.int64 and counts[-3:].tolist() == [
        2_500_000_000,
        64,
        4_900_000_000,
    ]


def test_no_writable_temporary_folder_at_all_is_said(monkeypatch):
    def none_usable(*args, **kwargs):
        raise FileNotFoundError(2, "No usable temporary directory found in [...]")

    monkeypatch.setattr(tempfile, "TemporaryFile", none_usable)
    monkeypatch.setattr(tempfile, "gettempdir", none_usable)
    with pytest.raises(SpillError) as caught:
        Spill()
    assert str(caught.value) == (
        "no folder for temporary files can be written (TMPDIR, /tmp, /var/tmp, "
        "/usr/tmp and the current folder were tried); set TMPDIR to a writable "
        "folder with room"
    )
