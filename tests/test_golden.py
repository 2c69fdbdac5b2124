"""Outputs byte for byte, as recorded before a refactor that must change
none: the folder command's files (recorded before the folder engine was
split into stages) and the array samplers' images, labels and indices for
fixed seeds (recorded before the modules moved into sub-packages and SMOTE's
synthesis became one shared function).

The digests hold for the packages of requirements/lock.txt (an encoder or
resampler of another version may write other bytes); with other versions
installed the test is skipped. To record again after a deliberate change:
run this file's ``_digest`` for each case and replace ``RECORDED``.
"""

import hashlib
import os
import pathlib
from importlib import metadata

import numpy as np
import pytest
from imblearn.under_sampling import EditedNearestNeighbours
from sklearn.decomposition import PCA

from folders import write_pngs
from imgbalance.augment import TrivialAugment
from imgbalance.folder import balance_folder
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import (
    DuplicateUnderSampler,
    EmbeddingUnderSampler,
    RandomImageUnderSampler,
)

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


SAMPLERS = {
    "random-over": lambda: RandomImageOverSampler(random_state=3),
    "random-under": lambda: RandomImageUnderSampler(random_state=3),
    "augment": lambda: AugmentingOverSampler(random_state=3),
    "augment-trivial": lambda: AugmentingOverSampler(
        augmenter=TrivialAugment(), random_state=3
    ),
    "smote-decode": lambda: EmbeddingSMOTE(
        embedder=PCA(n_components=3, random_state=0), random_state=3
    ),
    "smote-interpolate": lambda: EmbeddingSMOTE(
        generation="interpolate", random_state=3
    ),
    "smote-enn": lambda: EmbeddingSMOTE(
        cleaner=EditedNearestNeighbours(sampling_strategy="all"), random_state=3
    ),
    "embedding-under": lambda: EmbeddingUnderSampler(random_state=3),
    "duplicates": lambda: DuplicateUnderSampler(),
}
RECORDED_ARRAYS = {
    "random-over": "f2ebc0b4b02e21d3ea0b6fb54ebf3b5f517b4190865f1afba00d09493b11c561",
    "random-under": "598fb2240d2794711e221321f8bbb3911107c996ffc227b57786b06ca6ba3654",
    "augment": "36d7ec2e7ae23ac99c9088dc0c498175caa5ae670aef096c05fd4851b0e1087e",
    "augment-trivial": (
        "40bcc6b21e71119d0785349d7585ea4bca9b6c548b81a4bff93f978679bfdd5b"
    ),
    "smote-decode": "00cede98568308b98dd938d6f18778e10271039862c3f13486af3e5ccba2a045",
    "smote-interpolate": (
        "f28ad055b961a4476b936aa9e42f904beab8f184b98600c453042520efb1fc0d"
    ),
    "smote-enn": "dfc0110e35612860326df29e1da161415884b36bc5d160452795f14f075a0c84",
    "embedding-under": (
        "e6e7b1a7eeb6ffacc2ffece2991d9a217e67236bdb5fac06ca5b6f6517bf43bb"
    ),
    "duplicates": "10c887663fb733dde0cbeff3f0882079083420bcba321ec78c044476eab9169e",
}


@pytest.fixture(scope="module")
def locked():
    pins = _locked_versions()
    differ = [
        f"{name} {metadata.version(name)} (locked {pins.get(name)})"
        for name in DECIDING
        if metadata.version(name) != pins.get(name)
    ]
    if differ:
        pytest.skip("digests recorded with the locked versions; " + ", ".join(differ))


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.filterwarnings("ignore:Class 2 has 4 samples, too few:UserWarning")
def test_the_array_samplers_give_the_recorded_output(locked, name):
    rng = np.random.default_rng(5)
    X = rng.integers(0, 256, (30, 12, 12, 3), dtype=np.uint8)
    X[25:] = X[:5]  # near-duplicates, for DuplicateUnderSampler
    y = np.array([0] * 18 + [1] * 8 + [2] * 4)
    sampler = SAMPLERS[name]()
    X_res, y_res = sampler.fit_resample(X, y)
    digest = hashlib.sha256(
        np.ascontiguousarray(X_res).tobytes()
        + np.asarray(y_res).tobytes()
        + np.asarray(sampler.sample_indices_, np.int64).tobytes()
    ).hexdigest()
    assert digest == RECORDED_ARRAYS[name]


@pytest.fixture(scope="module")
def src(locked, tmp_path_factory):
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
    from imgbalance._contract import _checking
    from imgbalance.folder import _writing

    monkeypatch.setattr(_writing, "WRITES_PAY_AFTER", 0.0)
    monkeypatch.setattr(_checking, "_CHECKS_PAY_AFTER", 0.0)
    dst = tmp_path / "dst"
    balance_folder(src, dst, method=method, seed=3, n_jobs=2)
    assert _digest(dst) == RECORDED[method, "keep"]
