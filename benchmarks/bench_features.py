"""imgbalance's batched feature extractors against loops over scikit-image.

Prints images/s of HOGFeatures (default parameters: 9 orientations, 8x8
cells, 2x2 blocks, L2-Hys) and of a loop over ``skimage.feature.hog`` with
the same parameters, on random uint8 images at 32, 64 and 128 px, grayscale
and RGB; then of LBPFeatures (P=8, R=1, uniform, one cell) and of a loop over
``skimage.feature.local_binary_pattern`` followed by the same histogram, on
grayscale images; and the ratios. Runs alternate in rounds, best kept.

Run: ``python benchmarks/bench_features.py``.
"""

import argparse
import os
import platform
import time

import numpy as np
import warnings

from skimage.feature import hog, local_binary_pattern

from imgbalance.features import HOGFeatures, LBPFeatures


def best_rate(function, n_images, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return n_images / best


def bench_hog(size, channels, n_images, rounds):
    rng = np.random.default_rng(0)
    shape = (n_images, size, size) + ((channels,) if channels > 1 else ())
    X = rng.integers(0, 256, shape, dtype=np.uint8)
    channel_axis = -1 if channels > 1 else None
    model = HOGFeatures()
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            hog(image, cells_per_block=(2, 2), channel_axis=channel_axis)

    ours, theirs = 0.0, 0.0
    for _ in range(rounds):  # alternate so both see the same machine load
        ours = max(ours, best_rate(lambda: model.fit_transform(X), n_images, 1))
        theirs = max(theirs, best_rate(loop, n_loop, 1))
    kind = "gray" if channels == 1 else "RGB "
    print(
        f"  HOG {size:>3}x{size:<3} {kind}  HOGFeatures {ours:8.0f} images/s   "
        f"skimage loop {theirs:6.0f} images/s   ratio {ours / theirs:5.1f}x"
    )


def bench_lbp(size, n_images, rounds):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    model = LBPFeatures(P=8, R=1, method="uniform")
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            codes = local_binary_pattern(image, 8, 1, "uniform").astype(np.intp)
            np.bincount(codes.ravel(), minlength=10) / codes.size

    ours, theirs = 0.0, 0.0
    for _ in range(rounds):
        ours = max(ours, best_rate(lambda: model.fit_transform(X), n_images, 1))
        theirs = max(theirs, best_rate(loop, n_loop, 1))
    print(
        f"  LBP {size:>3}x{size:<3} gray  LBPFeatures {ours:8.0f} images/s   "
        f"skimage loop {theirs:6.0f} images/s   ratio {ours / theirs:5.1f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    for size in (32, 64, 128):
        for channels in (1, 3):
            bench_hog(size, channels, args.images, args.rounds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for size in (32, 64, 128):
            bench_lbp(size, args.images, args.rounds)


if __name__ == "__main__":
    main()
