"""Near-duplicates in an embedding: find_duplicates, find_leaks and
DuplicateUnderSampler with an ``embedder``, the cosine radius search."""

import numpy as np
import pytest
from photos import photo_tiles
from sklearn.preprocessing import FunctionTransformer

from imgbalance.duplicates import find_duplicates, find_leaks
from imgbalance.duplicates._embedded import cosine_pairs
from imgbalance.features import ColorHistogram, PixelFeatures
from imgbalance.under_sampling import DuplicateUnderSampler


@pytest.fixture(scope="module")
def tiles_and_flips():
    """40 distinct photo tiles, then tiles 3 and 17 flipped left to right."""
    tiles = np.stack(photo_tiles()[:40])
    return np.concatenate([tiles, tiles[[3, 17]][:, :, ::-1]])


def test_an_embedding_finds_the_flipped_copies_a_hash_misses(tiles_and_flips):
    X = tiles_and_flips
    assert find_duplicates(X) == []
    # a flip leaves the colour histogram as it was: distance 0; the
    # closest two distinct tiles are 0.0059 apart
    groups = find_duplicates(X, embedder=ColorHistogram(), threshold=0.001)
    assert [g.tolist() for g in groups] == [[3, 40], [17, 41]]


def test_leaks_in_an_embedding(tiles_and_flips):
    train, test = tiles_and_flips[:40], tiles_and_flips[40:]
    leaks = find_leaks(train, test, embedder=ColorHistogram(), threshold=0.001)
    assert {k: v.tolist() for k, v in leaks.items()} == {0: [3], 1: [17]}
    assert find_leaks(train, test) == {}


def test_a_network_embedding_as_the_embedder():
    torch = pytest.importorskip("torch")
    from imgbalance.features import TorchFeatures

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (5, 16, 16, 3), dtype=np.uint8)
    X[4] = np.clip(X[1].astype(int) + 3, 0, 255)  # a little brighter
    embedder = TorchFeatures(torch.nn.Flatten(), batch_size=2, device="cpu")
    groups = find_duplicates(X, embedder=embedder, threshold=0.01)
    assert [g.tolist() for g in groups] == [[1, 4]]


def test_cosine_pairs_keep_the_pair_at_the_threshold():
    # rows at 0, 60 and 90 degrees: cosine distances 0.5 (0-1), 1 (0-2)
    # and 1 - cos(30 degrees) = 0.134 (1-2)
    rows = np.array([[2.0, 0.0], [0.5, np.sqrt(3) / 2], [0.0, 3.0]])
    assert [p.tolist() for p in cosine_pairs(rows, 0.5)] == [[0, 1], [1, 2]]
    assert [p.tolist() for p in cosine_pairs(rows, 0.49)] == [[1], [2]]
    assert [p.tolist() for p in cosine_pairs(rows, 1.0)] == [[0, 0, 1], [1, 2, 2]]
    other = np.array([[0.0, 1.0]])
    assert [p.tolist() for p in cosine_pairs(rows, 0.2, other)] == [[1, 2], [0, 0]]
    empty = cosine_pairs(np.empty((0, 2)), 0.5)
    assert [p.dtype for p in empty] == [np.intp, np.intp] and len(empty[0]) == 0


def test_the_sampler_drops_copies_found_in_the_embedding(tiles_and_flips):
    X = tiles_and_flips
    y = np.array([0] * 20 + [1] * 20 + [0, 1])
    sampler = DuplicateUnderSampler(
        sampling_strategy="all", embedder=ColorHistogram(), threshold=0.001
    )
    X_res, y_res = sampler.fit_resample(X, y)
    # 3 and its flip (40) are both of class 0; 17 is of class 0 and its
    # flip (41) of class 1: a labelling question, left alone
    assert [g.tolist() for g in sampler.duplicate_groups_] == [[3, 40]]
    assert sampler.sample_indices_.tolist() == list(range(40)) + [41]
    assert X_res.shape == (41, 128, 128, 3)
    assert y_res.tolist() == [0] * 20 + [1] * 21
    assert isinstance(sampler.embedder_, ColorHistogram)
    hashing = DuplicateUnderSampler(sampling_strategy="all")
    hashing.fit_resample(X, y)
    assert hashing.embedder_ is None and hashing.duplicate_groups_ == []


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda X: find_duplicates(X, embedder=PixelFeatures()),
            "with embedder=PixelFeatures(...), give threshold=, the largest cosine "
            "distance (0 to 2) of two near-duplicates in its embedding: there is "
            "no default, as it depends on the embedding. Measure it on a few "
            "copies you know (scikit-learn's sklearn.metrics.pairwise."
            "cosine_distances of their embeddings).",
        ),
        (
            lambda X: find_duplicates(X, embedder=PixelFeatures(), threshold=3),
            "threshold must be a cosine distance between 0 and 2 with an "
            "embedder; got 3.",
        ),
        (
            lambda X: find_duplicates(
                X, embedder=FunctionTransformer(lambda X: np.full((len(X), 2), np.nan))
            ),
            None,
        ),
        (
            lambda X: find_duplicates(
                X,
                embedder=FunctionTransformer(lambda X: np.full((len(X), 2), np.nan)),
                threshold=0.1,
            ),
            "embedder=FunctionTransformer(...) gave NaN or infinity for images of "
            "X; near-duplicates cannot be measured there.",
        ),
        (
            lambda X: find_duplicates(
                X, embedder=FunctionTransformer(lambda X: np.ones(3)), threshold=0.1
            ),
            "embedder=FunctionTransformer(...) must give one row per image of X "
            "(4); it gave an array of shape (3,).",
        ),
        (
            lambda X: DuplicateUnderSampler(threshold=0.5).fit_resample(
                X, [0, 0, 1, 1]
            ),
            "threshold=0.5 must be a whole number of bits for a hash; a cosine "
            "distance is for an embedder.",
        ),
        (
            lambda X: DuplicateUnderSampler(
                embedder=FunctionTransformer(lambda X: np.full((len(X), 2), np.inf)),
                threshold=0.1,
                sampling_strategy="all",
            ).fit_resample(X, [0, 0, 1, 1]),
            "embedder=FunctionTransformer(...) gave NaN or infinity for images of "
            "X; near-duplicates cannot be measured there.",
        ),
        (
            lambda X: DuplicateUnderSampler(
                embedder=PixelFeatures(), sampling_strategy="all"
            ).fit_resample(X, [0, 0, 1, 1]),
            "with embedder=PixelFeatures(...), give threshold=",
        ),
    ],
)
def test_bad_arguments_are_named(call, message):
    X = np.random.default_rng(0).integers(0, 256, (4, 8, 8), dtype=np.uint8)
    if message is None:  # no threshold: refused before the embedder runs
        message = "with embedder=FunctionTransformer(...), give threshold="
    with pytest.raises(ValueError) as error:
        call(X)
    assert str(error.value).startswith(message)
