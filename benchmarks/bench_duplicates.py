"""Near-duplicate search: imgbalance's hashes and search against imagehash
and an all-pairs search.

Hashing: the perceptual (DCT), difference and average hashes at hash sizes
8 and 16 of (a) 600 RGB photo tiles of 128x128 held in memory (imagehash
given them as PIL images made beforehand, imgbalance as one array) and (b)
200 JPEG files of 512x512 (each side opening the files itself; imgbalance
also with 2 threads, ``n_jobs=2``: decoding is most of the time), best of a
few alternating rounds; images/s and the ratio.

Search: 100 000 random 64-bit hashes with 1000 planted near-duplicate pairs
(1 to 6 bits flipped), the pairs at most 6 bits apart: imgbalance's
``hamming_pairs`` (multi-index hashing) against a vectorised all-pairs
search (numpy, in blocks, each pair compared once), checked to find the
same pairs; seconds and the ratio.

Needs ``pip install -r benchmarks/requirements.txt`` (imagehash 4.3).
Run: ``python benchmarks/bench_duplicates.py``.
"""

import argparse
import os
import platform
import shutil
import tempfile
import time

import imagehash
import numpy as np
import skimage.data
from PIL import Image

from imgbalance.duplicates import (
    average_hash,
    difference_hash,
    hamming_pairs,
    perceptual_hash,
)

PHOTOS = ["astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "retina"]
HASHES = [
    ("perceptual", perceptual_hash, imagehash.phash),
    ("difference", difference_hash, imagehash.dhash),
    ("average", average_hash, imagehash.average_hash),
]


def photos():
    out = []
    for name in PHOTOS:
        image = getattr(skimage.data, name)()
        out.append(image[..., :3] if image.ndim == 3 else np.stack([image] * 3, -1))
    return out


def tiles(n, size=128):
    found = []
    for image in photos():
        for r in range(0, image.shape[0] - size + 1, size // 2):
            for c in range(0, image.shape[1] - size + 1, size // 2):
                found.append(image[r : r + size, c : c + size])
    return np.stack([found[i % len(found)] for i in range(n)])


def jpeg_files(folder, n, size=512):
    paths = []
    sources = photos()
    for i in range(n):
        image = sources[i % len(sources)]
        r = (37 * i) % (image.shape[0] - size + 1)
        c = (53 * i) % (image.shape[1] - size + 1)
        paths.append(os.path.join(folder, f"{i:04d}.jpg"))
        Image.fromarray(image[r : r + size, c : c + size]).save(paths[-1], quality=90)
    return paths


def best_of(rounds, runs):
    best = dict.fromkeys(runs, np.inf)
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def bench_hashing(rounds, n_tiles, n_files):
    arrays = tiles(n_tiles)
    pil_images = [Image.fromarray(a) for a in arrays]
    folder = tempfile.mkdtemp(prefix="bench-duplicates-")
    try:
        paths = jpeg_files(folder, n_files)
        for size in (8, 16):
            for name, ours, theirs in HASHES:
                for what, mine, their_input, n in (
                    ("128x128 arrays", arrays, pil_images, len(arrays)),
                    ("512x512 JPEG files", paths, paths, len(paths)),
                ):
                    if what.endswith("files"):

                        def their_run(f=theirs):
                            for p in their_input:
                                with Image.open(p) as image:
                                    f(image, hash_size=size)

                    else:

                        def their_run(f=theirs):
                            for image in their_input:
                                f(image, hash_size=size)

                    runs = {
                        "": lambda: ours(mine, hash_size=size),
                        "imagehash": their_run,
                    }
                    if what.endswith("files"):  # decoding: threads help
                        runs[", 2 threads"] = lambda: ours(
                            mine, hash_size=size, n_jobs=2
                        )
                    best = best_of(rounds, runs)
                    theirs_s = best.pop("imagehash")
                    for label, seconds in best.items():
                        print(
                            f"  {name:<10} hash_size={size:<2} {what:<19} "
                            f"imgbalance{label:<11} {n / seconds:7.0f} images/s, "
                            f"imagehash {n / theirs_s:6.0f} images/s: "
                            f"{theirs_s / seconds:5.1f}x imagehash"
                        )
    finally:
        shutil.rmtree(folder)


def all_pairs(hashes, threshold, block=1000):
    """Every pair compared once, vectorised in blocks of rows."""
    words = hashes[:, 0]
    left, right = [], []
    for start in range(0, len(words), block):
        rows = words[start : start + block]
        rest = words[start + 1 :]
        near = np.bitwise_count(rows[:, None] ^ rest[None, :]) <= threshold
        i, j = np.nonzero(near)
        j = j + start + 1
        keep = j > i + start
        left.append(i[keep] + start)
        right.append(j[keep])
    return np.concatenate(left), np.concatenate(right)


def bench_search(n_hashes, threshold):
    rng = np.random.default_rng(0)
    hashes = rng.integers(0, 2**64, (n_hashes, 1), dtype=np.uint64, endpoint=False)
    n_planted = min(1000, n_hashes // 2)
    planted = rng.choice(n_hashes, 2 * n_planted, replace=False)
    for a, b in zip(planted[:n_planted], planted[n_planted:]):
        bits = rng.choice(64, rng.integers(1, threshold + 1), replace=False)
        hashes[b, 0] = hashes[a, 0] ^ np.uint64(sum(1 << int(x) for x in bits))
    start = time.perf_counter()
    ours = hamming_pairs(hashes, threshold)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    i, j = all_pairs(hashes, threshold)
    theirs_s = time.perf_counter() - start
    order = np.lexsort((j, i))
    same = np.array_equal(ours[0], i[order]) and np.array_equal(ours[1], j[order])
    print(
        f"  {n_hashes} hashes, pairs within {threshold} bits: {len(ours[0])} found, "
        f"the same as all pairs: {same}; hamming_pairs {ours_s:.2f} s, all pairs "
        f"{theirs_s:.2f} s: {theirs_s / ours_s:.1f}x the all-pairs search"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tiles", type=int, default=600)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--hashes", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, imagehash "
        f"{imagehash.__version__}"
    )
    print("hashing:")
    bench_hashing(args.rounds, args.tiles, args.files)
    print("search:")
    bench_search(args.hashes, 6)


if __name__ == "__main__":
    main()
