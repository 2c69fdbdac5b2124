"""The pixels of SMOTE's synthetic images: the decoding that writes into
the output gives the embedder's own inverse_transform, bit for bit."""

import numpy as np
import pytest
from sklearn.decomposition import PCA, TruncatedSVD

from imgbalance.over_sampling._smote._pixels import CHUNK_BYTES, make_pixels


def _fitted(embedder, rows):
    return embedder.fit(rows[:30].astype(np.float64) / 255)


@pytest.mark.parametrize("work", [np.float32, np.float64])
@pytest.mark.parametrize("out_dtype", ["work", np.uint8])
@pytest.mark.parametrize(
    "embedder",
    [PCA(n_components=5), PCA(n_components=5, whiten=True), TruncatedSVD(5)],
    ids=["pca", "pca-whiten", "svd"],
)
def test_decoding_equals_inverse_transform(work, out_dtype, embedder):
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 256, (40, 48), dtype=np.uint8)
    embedder = _fitted(embedder, rows.astype(work))
    embedder.set_output(transform="default")
    if hasattr(embedder, "components_"):  # fitted in the working type
        embedder.components_ = embedder.components_.astype(work)
        if hasattr(embedder, "mean_"):
            embedder.mean_ = embedder.mean_.astype(work)
    z_new = rng.normal(size=(25, 5)).astype(work)
    scale = 255
    if out_dtype == "work":  # float images, on [0, 1]: decoded as they are
        rows, out_dtype, scale = rows.astype(work) / work(255), work, 1
    out = np.full((25, 48), 7, dtype=out_dtype)
    pairs = (np.arange(25), np.arange(25), np.zeros(25))
    make_pixels(embedder, "decode", rows, pairs, z_new, work, out)

    decoded = np.asarray(embedder.inverse_transform(z_new), dtype=work)
    if scale != 1:
        decoded *= work(scale)
    if out.dtype == np.uint8:
        expected = np.rint(np.clip(decoded, 0, 255)).astype(np.uint8)
    else:
        expected = np.clip(decoded, rows.min(), rows.max())
    np.testing.assert_array_equal(out, expected)


def test_interpolation_in_chunks_blends_each_pair():
    """Images larger than a chunk's bytes, several chunks: each output is
    source + gap * (neighbour - source), rounded."""
    n_features = CHUNK_BYTES // 4 // 3 + 1  # three float32 rows per chunk
    rows = np.zeros((4, n_features), dtype=np.uint8)
    rows[1], rows[2], rows[3] = 100, 200, 50
    sources, neighbors = np.array([0, 1, 2, 3, 0]), np.array([1, 2, 3, 0, 2])
    gaps = np.array([0.5, 0.25, 1.0, 0.0, 0.1])
    out = np.empty((5, n_features), dtype=np.uint8)
    make_pixels(
        None, "interpolate", rows, (sources, neighbors, gaps), None, np.float32, out
    )
    assert out[:, 0].tolist() == [50, 125, 50, 50, 20]
    assert (out == out[:, :1]).all()
