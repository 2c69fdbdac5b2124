"""Test configuration shared by the whole suite."""

import os

import pytest

# scikit-learn's common checks run their array-API check (with NumPy inputs)
# only when SciPy was imported with this set; set it before anything imports
# SciPy so that check is executed rather than skipped.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
# albumentations asks the package index for a newer version when imported
# (and warns when it cannot reach it); the tests never go to the network.
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")


@pytest.fixture(scope="module", autouse=True)
def fresh_workers():
    """New joblib worker processes for each test module. loky measures a
    worker's memory after its first task and restarts it once it has grown
    300 MB past that; workers reused by module after module grow so, and
    that restart, with tasks queued, can hang (the worker waiting on loky's
    worker_exit_lock, the parent on its results): it hung the suite in
    test_function_augmenter (importing albumentations) and test_folder."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True, kill_workers=True)
    yield


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


@pytest.fixture(params=["default", "numba"])
def feature_backend(request):
    """Each backend of the HOG and LBP extractors; numba's where it imports
    (the ``test`` extra installs it, so CI runs both)."""
    from imgbalance.features._base import numba_available

    if request.param == "numba" and not numba_available():
        pytest.skip("numba is not installed (pip install 'imgbalance[fast]')")
    return request.param
