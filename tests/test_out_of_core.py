"""Samplers on images on disk (numpy.memmap) and writing to a .npy file: the
same images as in memory, to the bit, a part at a time."""

import errno
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from imblearn.over_sampling import BorderlineSMOTE, RandomOverSampler
from imblearn.under_sampling import (
    ClusterCentroids,
    EditedNearestNeighbours,
    TomekLinks,
)
from sklearn.base import clone
from sklearn.decomposition import PCA, IncrementalPCA

from imgbalance.augment import Compose, FunctionAugmenter, RandomFlip, RandomRotation
from imgbalance.augment._records import AugmentationRecords
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.over_sampling._smote import _pixels
from imgbalance.under_sampling import (
    DuplicateUnderSampler,
    EmbeddingUnderSampler,
    RandomImageUnderSampler,
)
from imgbalance.utils import config_context, get_config, set_config

LINUX = sys.platform.startswith("linux")


def save(path, array):
    """``array`` saved as a .npy file, opened back read-only on disk."""
    np.save(path, array)
    return np.load(path, mmap_mode="r")


@pytest.fixture
def images(tmp_path):
    """180 RGB images of 12 x 10 pixels, three classes, in memory and on
    disk (the same values)."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (180, 12, 10, 3), dtype=np.uint8)
    X[100] = X[101]  # a duplicate, for DuplicateUnderSampler
    y = np.repeat([0, 1, 2], [120, 40, 20])
    return X, save(tmp_path / "X.npy", X), y


def sampler_cases():
    """Every array sampler, in the settings that take another path."""
    augmenter = Compose([RandomRotation(15), RandomFlip()])
    return {
        "random-over": RandomImageOverSampler(random_state=0),
        "random-under": RandomImageUnderSampler(random_state=0),
        "random-under-replacement": RandomImageUnderSampler(
            random_state=0, replacement=True
        ),
        "augmenting": AugmentingOverSampler(augmenter=augmenter, random_state=0),
        "smote-decode": EmbeddingSMOTE(random_state=0),
        "smote-interpolate": EmbeddingSMOTE(random_state=0, generation="interpolate"),
        "smote-oversampler": EmbeddingSMOTE(
            random_state=0, oversampler=BorderlineSMOTE(random_state=0)
        ),
        "smote-copies": EmbeddingSMOTE(
            random_state=0, oversampler=RandomOverSampler(random_state=0)
        ),
        "smote-cleaner": EmbeddingSMOTE(
            random_state=0, cleaner=TomekLinks(sampling_strategy="all")
        ),
        "smote-incremental-pca": EmbeddingSMOTE(
            random_state=0, embedder=IncrementalPCA(n_components=8, batch_size=16)
        ),
        "embedding-under": EmbeddingUnderSampler(random_state=0),
        "embedding-under-cleaner": EmbeddingUnderSampler(
            EditedNearestNeighbours(), random_state=0
        ),
        "embedding-under-incremental-pca": EmbeddingUnderSampler(
            ClusterCentroids(voting="hard", random_state=0),
            embedder=IncrementalPCA(n_components=8, batch_size=32),
            random_state=0,
        ),
        "duplicates": DuplicateUnderSampler(sampling_strategy="all"),
        "duplicates-embedder": DuplicateUnderSampler(
            sampling_strategy="all",
            embedder=IncrementalPCA(n_components=8, batch_size=32),
            threshold=1e-6,
        ),
    }


CASES = sampler_cases()


def fitted_attributes(sampler):
    return {
        name: getattr(sampler, name)
        for name in (
            "sample_indices_",
            "neighbor_indices_",
            "gaps_",
            "synthetic_",
            "duplicate_groups_",
        )
        if hasattr(sampler, name)
    }


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few rows: the images in 64 KiB parts, SMOTE's pixels made
    in chunks of 8 KiB."""
    monkeypatch.setattr(_pixels, "CHUNK_BYTES", 8 << 10)
    with config_context(working_memory=1 / 16):
        yield


# each sampler, and those with n_jobs in two worker processes too
RUNS = [(name, 1) for name in CASES] + [
    (name, 2) for name, sampler in CASES.items() if "n_jobs" in sampler.get_params()
]


@pytest.mark.parametrize("name, n_jobs", RUNS)
def test_on_disk_to_a_file_gives_the_images_made_in_memory(
    images, tmp_path, small_parts, name, n_jobs
):
    X, X_disk, y = images
    sampler = clone(CASES[name])
    if n_jobs != 1:
        sampler.set_params(n_jobs=n_jobs)
    weights = np.linspace(0.5, 2.0, len(y))
    expected, y_expected, w_expected = sampler.fit_resample(X, y, sample_weight=weights)
    reference = fitted_attributes(sampler)
    out = tmp_path / "out.npy"
    # the weights on disk too
    X_res, y_res, w_res = sampler.fit_resample(
        X_disk, y, out=out, sample_weight=save(tmp_path / "w.npy", weights)
    )
    assert type(X_res) is np.memmap and X_res.filename == str(out)
    assert X_res.dtype == X.dtype and X_res.shape == expected.shape
    assert np.array_equal(X_res, expected)
    np.testing.assert_array_equal(y_res, y_expected)
    assert type(w_res) is np.ndarray and w_res.dtype == np.float64
    np.testing.assert_array_equal(w_res, w_expected)
    # an image kept, copied or augmented has its source's weight
    made = getattr(sampler, "synthetic_", np.zeros(len(y_res), bool))
    np.testing.assert_array_equal(w_res[~made], weights[sampler.sample_indices_[~made]])
    for attribute, value in reference.items():
        if attribute == "duplicate_groups_":
            assert list(map(list, sampler.duplicate_groups_)) == list(map(list, value))
        else:
            np.testing.assert_array_equal(getattr(sampler, attribute), value)
    # the file is a .npy that numpy reads back; nothing else was left
    assert np.array_equal(np.load(out), expected)
    assert sorted(os.listdir(tmp_path)) == ["X.npy", "out.npy", "w.npy"]
    # on disk to memory, and in memory to a file: the same images
    X_mem, _ = sampler.fit_resample(X_disk, y)
    assert type(X_mem) is np.ndarray and np.array_equal(X_mem, expected)
    del X_res
    X_file, _ = sampler.fit_resample(X, y, out=out)
    assert np.array_equal(X_file, expected)


def test_augmentation_records_and_weights_on_disk(images, tmp_path, small_parts):
    X, X_disk, y = images
    sampler = AugmentingOverSampler(random_state=3)
    weights = np.linspace(1, 2, len(y))
    _, _, w_memory = sampler.fit_resample(X, y, sample_weight=weights)
    records = list(sampler.augmentations_)
    _, _, w_disk = sampler.fit_resample(
        X_disk, y, sample_weight=weights, out=tmp_path / "out.npy"
    )
    assert sampler.augmentations_ == records and len(records) == 180
    np.testing.assert_array_equal(w_disk, w_memory)


def test_flattened_rows_on_disk(images, tmp_path, small_parts):
    X, _, y = images
    table = X.reshape(len(X), -1)
    table_disk = save(tmp_path / "table.npy", table)
    sampler = AugmentingOverSampler(random_state=0, image_shape=(12, 10, 3))
    expected, _ = sampler.fit_resample(table, y)
    X_res, _ = sampler.fit_resample(table_disk, y, out=tmp_path / "out.npy")
    assert X_res.shape == (360, 360) and np.array_equal(X_res, expected)


def test_memmap_folder_gives_every_sampler_a_new_file(images, tmp_path):
    X, X_disk, y = images
    folder = tmp_path / "outputs"
    folder.mkdir()
    expected = RandomImageOverSampler(random_state=0).fit_resample(X, y)[0]
    with config_context(memmap_folder=folder):
        first, _ = RandomImageOverSampler(random_state=0).fit_resample(X_disk, y)
        second, _ = RandomImageOverSampler(random_state=0).fit_resample(X_disk, y)
        # a sequence keeps its container, in memory
        listed, _ = RandomImageOverSampler(random_state=0).fit_resample(list(X), y)
    assert type(listed) is list
    names = sorted(os.listdir(folder))
    assert len(names) == 2 and all(
        name.startswith("RandomImageOverSampler-") and name.endswith(".npy")
        for name in names
    )
    assert {os.path.basename(first.filename), os.path.basename(second.filename)} == (
        set(names)
    )
    assert np.array_equal(first, expected) and np.array_equal(second, expected)
    assert get_config()["memmap_folder"] is None


def test_samplers_run_inside_a_sampler_work_in_memory(images, tmp_path):
    """The embedding an inner sampler resamples is not written to the
    folder: only the outer sampler's images are."""
    X, X_disk, y = images
    inner = RandomImageUnderSampler(random_state=0)
    sampler = EmbeddingUnderSampler(inner, random_state=0)
    expected, _ = sampler.fit_resample(X, y)
    with config_context(memmap_folder=tmp_path):
        X_res, _ = sampler.fit_resample(X_disk, y)
    assert np.array_equal(X_res, expected)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["X.npy", os.path.basename(X_res.filename)]
    )


def test_copy_on_write_memmaps_are_read_as_changed(tmp_path):
    """A memmap opened with mode="c" may hold changes that are in no file:
    they are read, never dropped."""
    X = np.zeros((40, 8, 8), dtype=np.uint8)
    np.save(tmp_path / "X.npy", X)
    X_cow = np.load(tmp_path / "X.npy", mmap_mode="c")
    X_cow[:] = 7  # only in this process's memory
    y = np.repeat([0, 1], [30, 10])
    with config_context(working_memory=1 / 1024):
        X_res, _ = RandomImageOverSampler(random_state=0).fit_resample(X_cow, y)
    assert X_res.shape == (60, 8, 8) and (X_res == 7).all()


def test_nan_refused_in_every_part(tmp_path):
    X = np.zeros((50, 4, 4), dtype=np.float32)
    X[-1, 3, 3] = np.nan
    X_disk = save(tmp_path / "X.npy", X)
    y = np.repeat([0, 1], [40, 10])
    with config_context(working_memory=1 / 1024):  # a part of 16 images
        with pytest.raises(ValueError, match="Input X contains NaN."):
            AugmentingOverSampler(random_state=0).fit_resample(X_disk, y)
        X[-1, 3, 3] = np.inf
        with pytest.raises(ValueError, match="Input X contains infinity"):
            EmbeddingSMOTE(random_state=0).fit_resample(save(tmp_path / "i.npy", X), y)


def test_float_pixels_clipped_to_the_range_of_every_part(tmp_path, small_parts):
    """SMOTE clips float pixels to the input's range, found a part at a
    time: the same as in memory."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 6, 6)).astype(np.float32)
    X[-1, 0, 0] = 9.0  # the maximum, in the last part
    y = np.repeat([0, 1], [70, 20])
    sampler = EmbeddingSMOTE(random_state=0, embedder=PCA(n_components=3))
    expected, _ = sampler.fit_resample(X, y)
    X_res, _ = sampler.fit_resample(
        save(tmp_path / "X.npy", X), y, out=tmp_path / "out.npy"
    )
    assert np.array_equal(X_res, expected)


def test_out_refused_where_it_cannot_be_written(images, tmp_path, empty_files):
    X, X_disk, y = images
    sampler = RandomImageOverSampler(random_state=0)
    with pytest.raises(ValueError, match="out .* is the file X is read from"):
        sampler.fit_resample(X_disk, y, out=tmp_path / "X.npy")
    with pytest.raises(IsADirectoryError, match="is a folder; name the .npy file"):
        sampler.fit_resample(X, y, out=tmp_path)
    with pytest.raises(FileNotFoundError, match="the folder .*missing.* does not"):
        sampler.fit_resample(X, y, out=tmp_path / "missing" / "out.npy")
    with pytest.raises(TypeError, match="out must be the path"):
        sampler.fit_resample(X, y, out=3)
    paths = empty_files(4)
    with pytest.raises(ValueError, match="X is a sequence of images, whose output"):
        sampler.fit_resample(paths, [0, 0, 0, 1], out=tmp_path / "out.npy")
    with config_context(memmap_folder=tmp_path / "missing"):
        with pytest.raises(FileNotFoundError, match="memmap_folder .* is not a"):
            sampler.fit_resample(X, y)
    assert sorted(os.listdir(tmp_path)) == ["X.npy"] + sorted(
        os.path.basename(p) for p in paths
    )


def test_out_refused_in_a_folder_that_cannot_be_written(images, tmp_path, monkeypatch):
    X, _, y = images
    access = os.access
    locked = str(tmp_path / "locked")
    os.mkdir(locked)
    # as the system answers for a folder without write permission (root
    # writes anywhere, so the answer is given here)
    monkeypatch.setattr(
        os, "access", lambda path, mode: path != locked and access(path, mode)
    )
    sampler = RandomImageOverSampler(random_state=0)
    with pytest.raises(PermissionError) as error:
        sampler.fit_resample(X, y, out=os.path.join(locked, "out.npy"))
    assert str(error.value) == (
        f"[Errno 13] out {os.path.join(locked, 'out.npy')!r}: no file can be made "
        f"in the folder {locked!r} (no write permission, or a read-only file "
        "system); name a file in a folder you can write to."
    )
    with config_context(memmap_folder=locked):
        with pytest.raises(PermissionError, match="memmap_folder .*; set another"):
            sampler.fit_resample(X, y)
    assert os.listdir(locked) == []


def test_a_failed_fit_leaves_no_file(images, tmp_path):
    X, X_disk, y = images
    calls = []

    def fails_late(image, rng):
        calls.append(1)
        if len(calls) > 100:
            raise RuntimeError("this augmentation failed")
        return image

    sampler = AugmentingOverSampler(
        augmenter=FunctionAugmenter(fails_late), random_state=0
    )
    (tmp_path / "out.npy").write_bytes(b"kept")
    with config_context(working_memory=1 / 64):
        with pytest.raises(RuntimeError, match="this augmentation failed"):
            sampler.fit_resample(X_disk, y, out=tmp_path / "out.npy")
        calls.clear()
        with config_context(memmap_folder=tmp_path):
            with pytest.raises(RuntimeError, match="this augmentation failed"):
                sampler.fit_resample(X_disk, y)

    # stopped by Ctrl-C while writing: the same
    def interrupted(image, rng):
        raise KeyboardInterrupt

    with config_context(working_memory=1 / 64), pytest.raises(KeyboardInterrupt):
        AugmentingOverSampler(
            augmenter=FunctionAugmenter(interrupted), random_state=0
        ).fit_resample(X_disk, y, out=tmp_path / "out.npy")
    assert sorted(os.listdir(tmp_path)) == ["X.npy", "out.npy"]
    assert (tmp_path / "out.npy").read_bytes() == b"kept"


def test_a_full_disk_is_refused_before_writing(images, tmp_path, monkeypatch):
    X, X_disk, y = images
    (tmp_path / "out.npy").write_bytes(b"kept")
    usage = shutil.disk_usage(tmp_path)._replace(free=10_000)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage)
    sampler = RandomImageOverSampler(random_state=0)
    # 360 images of 12 x 10 x 3 bytes: 129 600 bytes
    with pytest.raises(
        OSError, match="out .*out.npy': the output takes 0.1 MB and its"
    ) as error:
        sampler.fit_resample(X_disk, y, out=tmp_path / "out.npy")
    assert error.value.errno == errno.ENOSPC
    assert "free some space, or name a file on another disk with out" in str(
        error.value
    )
    with config_context(memmap_folder=tmp_path):
        with pytest.raises(OSError, match="set memmap_folder to a folder on another"):
            sampler.fit_resample(X, y)
    assert sorted(os.listdir(tmp_path)) == ["X.npy", "out.npy"]
    assert (tmp_path / "out.npy").read_bytes() == b"kept"


def test_a_disk_filling_up_while_writing(images, tmp_path, monkeypatch):
    """The disk fills after the first part: the error says so with the
    fix, and the partial file is removed."""
    X, X_disk, y = images
    pwrite = os.pwrite
    parts = []

    def fills_up(fd, data, offset):
        parts.append(len(data))
        if len(parts) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", fills_up)
    sampler = AugmentingOverSampler(random_state=0)
    with config_context(working_memory=1 / 64):  # parts of 45 images
        with pytest.raises(OSError, match="the disk is full") as error:
            sampler.fit_resample(X_disk, y, out=tmp_path / "out.npy")
    assert error.value.errno == errno.ENOSPC
    assert str(error.value).endswith(
        f"out {str(tmp_path / 'out.npy')!r}: the disk is full (No space left on "
        "device) after 0.0 MB of the output's 0.1 MB; free some space, or name "
        "a file on another disk with out. Nothing was left."
    )
    assert sorted(os.listdir(tmp_path)) == ["X.npy"]


@pytest.mark.parametrize("name", ["augmenting", "smote-decode", "smote-interpolate"])
def test_the_file_is_the_same_whatever_n_jobs(images, tmp_path, name):
    _, X_disk, y = images
    digests = set()
    for n_jobs in (1, 2):
        sampler = clone(CASES[name]).set_params(n_jobs=n_jobs)
        out = tmp_path / f"out-{n_jobs}.npy"
        with config_context(working_memory=1 / 16):
            X_res, _ = sampler.fit_resample(X_disk, y, out=out)
        del X_res
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_config():
    assert get_config() == {"memmap_folder": None, "working_memory": 64}
    with config_context(working_memory=8, memmap_folder="somewhere"):
        assert get_config() == {"memmap_folder": "somewhere", "working_memory": 8}
        with config_context(memmap_folder=""):
            assert get_config() == {"memmap_folder": None, "working_memory": 8}
        seen = []
        thread = threading.Thread(target=lambda: seen.append(get_config()))
        thread.start()
        thread.join()
        assert seen == [{"memmap_folder": None, "working_memory": 64}]
    assert get_config() == {"memmap_folder": None, "working_memory": 64}
    with pytest.raises(ValueError, match="working_memory must be a positive"):
        set_config(working_memory=0)
    with pytest.raises(TypeError, match="memmap_folder must be None or the path"):
        set_config(memmap_folder=3)
    set_config(working_memory=2)
    try:
        assert get_config()["working_memory"] == 2
    finally:
        set_config(working_memory=64)


def test_augmentation_records():
    records = [[{"transform": "T", "k": k, "pair": (k, -k)}] for k in range(2500)]
    kept = AugmentationRecords(records[:1000])
    kept.extend(records[1000:])
    assert len(kept) == 2500 and kept == records and kept != records[:-1]
    assert kept[0] == records[0] and kept[-1] == records[-1]
    assert kept[1500] == records[1500] and kept[2100:2103] == records[2100:2103]
    assert list(kept) == records and kept.index(records[1030]) == 1030
    with pytest.raises(IndexError):
        kept[2500]
    assert pickle.loads(pickle.dumps(kept)) == records
    assert repr(kept) == "<AugmentationRecords of 2500 images>"
    # a record that cannot be pickled is kept as it is
    unpicklable = [[{"transform": "F", "function": lambda: 1}]] * 1100
    assert AugmentationRecords(unpicklable)[1050] is unpicklable[1050]


def rss_script(body):
    """Run ``body`` in a fresh Python; it prints a number, returned."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(body)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr
    return float(done.stdout.split()[-1])


@pytest.mark.skipif(not LINUX, reason="pages are given back on Linux only")
@pytest.mark.parametrize("sampler", ["RandomImageOverSampler", "AugmentingOverSampler"])
def test_memory_held_is_a_part_not_the_images(tmp_path, sampler):
    """96 MB of images on disk, over-sampled into a file in parts of 4 MiB:
    the process's peak resident memory grows by tens of MB, not by the 96 MB
    it reads nor the 144 MB it writes."""
    rng = np.random.default_rng(0)
    X = np.lib.format.open_memmap(
        tmp_path / "X.npy", mode="w+", dtype=np.uint8, shape=(8000, 64, 64, 3)
    )
    for start in range(0, 8000, 1000):
        X[start : start + 1000] = rng.integers(0, 256, (1000, 64, 64, 3), np.uint8)
    X.flush()
    del X
    np.save(tmp_path / "y.npy", np.repeat([0, 1], [6000, 2000]))
    grown = rss_script(
        f"""
        import numpy as np
        from imgbalance.over_sampling import {sampler}
        from imgbalance.utils import config_context

        def status(field):
            text = open("/proc/self/status").read().split(field + ":")[1]
            return int(text.split()[0]) / 1024

        X = np.load({str(tmp_path / "X.npy")!r}, mmap_mode="r")
        y = np.load({str(tmp_path / "y.npy")!r})
        with config_context(working_memory=4):
            # once to load what it uses (code pages of the libraries), then
            # measured
            {sampler}(random_state=0).fit_resample(
                X, y, out={str(tmp_path / "out.npy")!r}
            )
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # the peak (VmHWM) from now on
            before = status("VmRSS")
            {sampler}(random_state=0).fit_resample(
                X, y, out={str(tmp_path / "out.npy")!r}
            )
        print(status("VmHWM") - before)
        """
    )
    assert grown < 24
    assert np.load(tmp_path / "out.npy", mmap_mode="r").shape == (12000, 64, 64, 3)
