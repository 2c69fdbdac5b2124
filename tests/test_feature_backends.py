"""The backends and n_jobs of HOGFeatures and LBPFeatures."""

import numpy as np
import pytest

from imgbalance.features import HOGFeatures, LBPFeatures, hog_batch, lbp_batch
from imgbalance.features import _base

EXTRACTORS = [
    HOGFeatures(pixels_per_cell=(6, 6)),
    LBPFeatures(P=8, R=1.5, grid=(2, 3)),
    LBPFeatures(method="nri_uniform"),
]


@pytest.mark.parametrize("extractor", EXTRACTORS, ids=lambda e: repr(e))
@pytest.mark.parametrize("shape", [(23, 30, 30), (5, 24, 31, 3)])
def test_n_jobs_gives_the_serial_features(extractor, shape, feature_backend):
    X = np.random.default_rng(3).integers(0, 256, shape, dtype=np.uint8)
    serial = extractor.set_params(backend=feature_backend, n_jobs=None)
    expected = serial.fit_transform(X)
    for n_jobs in (2, -1):
        model = extractor.set_params(backend=feature_backend, n_jobs=n_jobs)
        np.testing.assert_array_equal(model.fit_transform(X), expected)
        np.testing.assert_array_equal(model.transform(X[:3]), expected[:3])


def test_backends_agree():
    if not _base.numba_available():
        pytest.skip("numba is not installed (pip install 'imgbalance[fast]')")
    X = np.random.default_rng(4).integers(0, 256, (6, 40, 36, 3), dtype=np.uint8)
    np.testing.assert_allclose(
        hog_batch(X, backend="numba"), hog_batch(X, backend="default"), atol=1e-6
    )
    gray = X[..., 0]
    np.testing.assert_array_equal(
        lbp_batch(gray, 12, 2, "ror", backend="numba"),
        lbp_batch(gray, 12, 2, "ror", backend="default"),
    )
    assert hog_batch(X[:2], dtype=np.float32).dtype == np.float32


def test_without_numba(monkeypatch):
    """ "auto" falls back to numpy; asking for numba says how to get it."""
    monkeypatch.setattr(_base, "_numba_kernels", lambda: None)
    assert not _base.numba_available()
    X = np.random.default_rng(5).integers(0, 256, (3, 32, 32), dtype=np.uint8)
    message = (
        r"backend='numba' needs numba: pip install 'imgbalance\[fast\]' \(numba\), "
        r"or use backend='default'\."
    )
    for model in (HOGFeatures(backend="numba"), LBPFeatures(backend="numba")):
        with pytest.raises(ImportError, match=message):
            model.fit(X)
    np.testing.assert_array_equal(
        HOGFeatures().fit_transform(X), HOGFeatures(backend="default").fit_transform(X)
    )
    np.testing.assert_array_equal(
        LBPFeatures().fit_transform(X), LBPFeatures(backend="default").fit_transform(X)
    )
