"""Test configuration shared by the whole suite."""

import os

import pytest

# scikit-learn's common checks run their array-API check (with NumPy inputs)
# only when SciPy was imported with this set; set it before anything imports
# SciPy so that check is executed rather than skipped.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


@pytest.fixture
def empty_files(tmp_path):
    """Factory: ``empty_files(n)`` creates n empty ``.png`` files, returns paths.

    Decoding an empty file fails, so a test that passes on them proves that
    nothing was decoded.
    """

    def make(n):
        paths = []
        for i in range(n):
            path = tmp_path / f"img{i:06d}.png"
            path.touch()
            paths.append(str(path))
        return paths

    return make
