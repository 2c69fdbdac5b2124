"""The folder command's output, byte for byte, as recorded before the folder
engine was split into stages (issue 17): a refactor must change no file.

The digests hold for the packages of requirements/lock.txt (an encoder or
resampler of another version may write other bytes); with other versions
installed the test is skipped. To record again after a deliberate change:
run this file's ``_digest`` for each case and replace ``RECORDED``.
"""

import hashlib
import os
import pathlib
from importlib import metadata

import pytest

from folders import write_pngs
from imgbalance.folder import balance_folder

LOCK = pathlib.Path(__file__).parents[1] / "requirements" / "lock.txt"
# the packages whose versions decide the bytes written
DECIDING = (
    "numpy",
    "pillow",
    "opencv-python-headless",
    "scikit-learn",
    "imbalanced-learn",
    "scipy",
)
RECORDED = {
    (
        "augment",
        "keep",
    ): "6eac13efde0f72faa218dcaf68291f3b8c577b01e5f3b753e7392d59d91e4ed0",
    (
        "augment",
        "jpeg",
    ): "4dff87948f678b87e5707938bc546b5264a01b20f61e4b2e19b5528e3928f56b",
    (
        "random",
        "keep",
    ): "b56ce1c8e0a16f44c3add167c07683379ae63d85ac6f07ff33204a5937a16219",
    (
        "random",
        "jpeg",
    ): "bcdb5d2316a7420061b122cc3409e326ff91777969d7ac8e81a1cfe43c61b580",
    (
        "smote",
        "keep",
    ): "1d7f4776b2a0c57c4314984ccc39de6b65e129191bdf78229dcf383cd6aafd3f",
    (
        "smote",
        "jpeg",
    ): "3e6cd6722158f3f68592140f5a90fe5b3ffe60c7f5201c3fe162ec373fa3952a",
}


def _locked_versions():
    pins = {}
    for line in LOCK.read_text().splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.startswith(" "):
            pins[name.strip().lower()] = version.strip()
    return pins


def _digest(dst):
    """sha256 over the relative path and bytes of every file a user sees
    (the manifest and the images; not the hidden run records)."""
    digest = hashlib.sha256()
    for parent, folders, files in sorted(os.walk(dst)):
        folders.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(parent, name)
            digest.update(os.path.relpath(path, dst).encode() + b"\0")
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    pins = _locked_versions()
    differ = [
        f"{name} {metadata.version(name)} (locked {pins.get(name)})"
        for name in DECIDING
        if metadata.version(name) != pins.get(name)
    ]
    if differ:
        pytest.skip("digests recorded with the locked versions; " + ", ".join(differ))
    root = tmp_path_factory.mktemp("golden")
    return write_pngs(root / "src", {"cat": 12, "dog": 4, "owl": 3}, side=16, seed=5)


@pytest.mark.parametrize("method, image_format", sorted(RECORDED))
def test_the_files_written_are_the_recorded_ones(src, tmp_path, method, image_format):
    dst = tmp_path / "dst"
    balance_folder(src, dst, method=method, seed=3, image_format=image_format, n_jobs=1)
    assert _digest(dst) == RECORDED[method, image_format]


@pytest.mark.parametrize("method", ["augment", "smote"])
def test_worker_processes_write_the_same_files(src, tmp_path, monkeypatch, method):
    """Checking and writing forced into worker processes (this little work
    would stay in this process)."""
    from imgbalance.folder import _checking, _writing

    monkeypatch.setattr(_writing, "WRITES_PAY_AFTER", 0.0)
    monkeypatch.setattr(_checking, "_CHECKS_PAY_AFTER", 0.0)
    dst = tmp_path / "dst"
    balance_folder(src, dst, method=method, seed=3, n_jobs=2)
    assert _digest(dst) == RECORDED[method, "keep"]
