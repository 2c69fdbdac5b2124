"""Near-duplicates: perceptual hashes, the Hamming search, the groups."""


import cv2
import numpy as np
import pytest
import scipy.fftpack
from PIL import Image

from imgbalance.under_sampling import DuplicateUnderSampler
from photos import copies_of, photo_tiles
from imgbalance.duplicates import (
    average_hash,
    difference_hash,
    find_duplicates,
    find_leaks,
    hamming_pairs,
    hash_to_hex,
    perceptual_hash,
)

@pytest.fixture(scope="module")
def near_duplicates():
    tiles = photo_tiles()
    chosen = np.random.default_rng(0).choice(len(tiles), 200, replace=False)
    images = [tiles[k] for k in chosen]
    group = list(range(200))
    for k in range(100):
        images += copies_of(images[k])
        group += [k] * 3
    return images, np.array(group)


def pairs_of(groups):
    return {(a, b) for g in groups for a in g for b in g if a < b}


def test_default_threshold_finds_copies_and_no_distinct_pair(near_duplicates):
    images, group = near_duplicates
    found = pairs_of(find_duplicates(images))
    truth = pairs_of([np.flatnonzero(group == k) for k in range(100)])
    assert len(truth) == 600
    recall = len(found & truth) / len(truth)
    precision = len(found & truth) / len(found)
    assert recall >= 0.95 and precision >= 0.99, (recall, precision)


def test_perceptual_hash_is_the_dct_of_the_shrunk_image():
    """The reference: the image in 8-bit gray (OpenCV's ITU-R 601
    conversion), shrunk to 32x32 (area averaging), scipy's DCT on both
    axes, the 8x8 lowest frequencies above their median, row by row."""
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (5, 100, 90, 3), dtype=np.uint8)
    expected = []
    for image in X:
        gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
        small = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA)
        dct = scipy.fftpack.dct(
            scipy.fftpack.dct(small.astype(np.float64), axis=0), axis=1
        )
        low = dct[:8, :8]
        bits = (low > np.median(low)).ravel()
        expected.append(int("".join("1" if b else "0" for b in bits), 2))
    assert perceptual_hash(X)[:, 0].tolist() == expected


def test_average_and_difference_hashes_of_known_images():
    image = np.zeros((16, 16), np.uint8)
    image[:8] = 200  # top half bright
    assert hash_to_hex(average_hash([image])) == ["ffffffff00000000"]
    ramp = np.tile(np.arange(255, -1, -16, dtype=np.uint8), (16, 1))  # darker right
    assert hash_to_hex(difference_hash(ramp[None])) == ["0000000000000000"]
    big = perceptual_hash(np.zeros((2, 40, 40), np.uint8), hash_size=16)
    assert big.shape == (2, 4) and big.dtype == np.uint64
    assert len(hash_to_hex(big, hash_size=16)[0]) == 64


def test_files_hash_as_their_pixels(tmp_path, near_duplicates):
    """PNG files give the hashes of their arrays within a bit or two (gray
    rounded to 8 bits); JPEG files, decoded at a reduced scale, stay near
    the hash of the decoded pixels."""
    images, _ = near_duplicates
    paths = []
    for k, image in enumerate(images[:20]):
        paths.append(str(tmp_path / f"{k}.png"))
        Image.fromarray(image).save(paths[-1])
    from_files = perceptual_hash(paths)[:, 0]
    from_arrays = perceptual_hash(images[:20])[:, 0]
    assert np.bitwise_count(from_files ^ from_arrays).max() <= 2
    big = np.kron(images[0], np.ones((4, 4, 1), np.uint8))  # 512 px: drafted
    Image.fromarray(big).save(tmp_path / "big.jpg", quality=95)
    drafted = perceptual_hash([str(tmp_path / "big.jpg")])[0, 0]
    assert int(np.bitwise_count(drafted ^ from_arrays[0])) <= 4


@pytest.mark.parametrize(
    "n_words, threshold", [(1, 0), (1, 3), (1, 6), (1, 13), (2, 9)]
)
def test_hamming_pairs_equal_all_pairs(n_words, threshold):
    rng = np.random.default_rng(threshold)
    hashes = rng.integers(0, 2**64, (1500, n_words), dtype=np.uint64, endpoint=False)
    flips = rng.integers(0, 64, (300, n_words, 3)).astype(np.uint64)
    near = hashes[:300].copy()
    for f in range(3):  # up to 3 flipped bits per word
        near ^= np.uint64(1) << flips[:, :, f]
    hashes = np.concatenate([hashes, near])
    distance = np.bitwise_count(hashes[:, None, :] ^ hashes[None, :, :]).sum(axis=2)
    expected = np.nonzero(np.triu(distance <= threshold, k=1))
    for method in ("auto", "index", "all"):
        i, j = hamming_pairs(hashes, threshold, method=method)
        np.testing.assert_array_equal(i, expected[0])
        np.testing.assert_array_equal(j, expected[1])
    other = hashes[::7]
    across = np.nonzero(
        np.bitwise_count(hashes[:, None, :] ^ other[None, :, :]).sum(axis=2)
        <= threshold
    )
    for method in ("index", "all"):
        i, j = hamming_pairs(hashes, threshold, other, method=method)
        np.testing.assert_array_equal(i, across[0])
        np.testing.assert_array_equal(j, across[1])


def test_find_leaks_lists_test_images_with_a_copy_in_training(near_duplicates):
    images, _ = near_duplicates
    train = images[:150]
    test = [images[200], images[170], images[203], images[180]]  # copies of 0, 1
    leaks = find_leaks(train, test)
    assert sorted(leaks) == [0, 2]
    assert leaks[0].tolist() == [0] and leaks[2].tolist() == [1]


def test_groups_are_sorted_and_linked():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (6, 64, 64), dtype=np.uint8)
    X[4] = X[0]
    X[5] = np.clip(X[2] * 1.04, 0, 255)
    X[3] = X[4]
    groups = find_duplicates(X)
    assert [g.tolist() for g in groups] == [[0, 3, 4], [2, 5]]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda X: find_duplicates(X, hash="md5"), "hash must be one of 'average'"),
        (lambda X: perceptual_hash(X, hash_size=1), "hash_size must be an integer"),
        (lambda X: find_duplicates(X, threshold=-1), "threshold must be a non-negat"),
        (
            lambda X: perceptual_hash(X.reshape(3, -1)),
            "X is a 2-D array (rows of flattened images?); give the images as",
        ),
        (lambda X: perceptual_hash(X, n_jobs=0), "n_jobs must be a number of thre"),
        (
            lambda X: hamming_pairs(np.zeros(3, np.int64), 2),
            "hashes must be hashes as an (n, n_words) uint64 array",
        ),
    ],
)
def test_bad_arguments_are_named(call, message):
    X = np.zeros((3, 16, 16), np.uint8)
    with pytest.raises(ValueError) as info:
        call(X)
    assert str(info.value).startswith(message)


def test_duplicate_under_sampler_keeps_the_first_of_each_group(near_duplicates):
    """Class 0: 60 distinct tiles and 3 copies each of 20 of them; class 1
    (the minority): 10 distinct tiles, a copy of one (images[380] is a copy
    of images[60]), and a class 0 tile (a labelling problem: left alone)."""
    images, _ = near_duplicates
    # images[200 + 3k : 203 + 3k] are the copies of images[k]
    X = images[:60] + images[200:260] + images[60:70] + [images[380], images[0]]
    y = np.array([0] * 120 + [1] * 12)
    sampler = DuplicateUnderSampler()
    X_res, y_res = sampler.fit_resample(X, y)
    expected = list(range(60)) + list(range(120, 132))
    assert sampler.sample_indices_.tolist() == expected
    assert [g.tolist() for g in sampler.duplicate_groups_] == [
        [k, 60 + 3 * k, 61 + 3 * k, 62 + 3 * k] for k in range(20)
    ]
    assert isinstance(X_res, list) and len(X_res) == 72
    assert np.bincount(y_res).tolist() == [60, 12]
    every = DuplicateUnderSampler(sampling_strategy="all").fit(X, y)
    every.fit_resample(X, y)
    assert 130 not in every.sample_indices_  # the copy within class 1
    assert 131 in every.sample_indices_  # a copy of a class 0 image


def test_duplicate_under_sampler_on_paths(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 48, 48, 3), dtype=np.uint8)
    paths = []
    for k, image in enumerate(list(images) + [images[1]]):
        paths.append(str(tmp_path / f"{k}.png"))
        Image.fromarray(image).save(paths[-1])
    y = [0, 0, 0, 0, 1, 0]
    X_res, y_res = DuplicateUnderSampler().fit_resample(paths, y)
    assert X_res == paths[:4] + [paths[4]]
    assert list(y_res) == [0, 0, 0, 0, 1]


def test_a_file_that_does_not_decode_is_named(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(np.zeros((16, 16), np.uint8)).save(good)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError) as info:
        find_duplicates([str(good), str(bad)])
    assert str(info.value).startswith("X[1] cannot be decoded: cannot identify")
    assert "bad.png" in str(info.value)


def test_duplicate_under_sampler_names_the_file_by_its_place_in_x(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for k in range(4):
        paths.append(str(tmp_path / f"{k}.png"))
        Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(paths[-1])
    (tmp_path / "3.png").write_bytes(b"broken")
    y = [1, 0, 0, 0]  # class 1 (the minority) is not cleaned: not decoded
    with pytest.raises(ValueError) as info:
        DuplicateUnderSampler().fit_resample(paths, y)
    assert str(info.value).startswith("X[3] cannot be decoded")
