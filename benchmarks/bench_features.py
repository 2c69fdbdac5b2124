"""imgbalance's batched feature extractors against loops over scikit-image.

Prints images/s of HOGFeatures (default parameters: 9 orientations, 8x8
cells, 2x2 blocks, L2-Hys) and of a loop over ``skimage.feature.hog`` with
the same parameters, on random uint8 images at 32, 64 and 128 px, grayscale
and RGB; then of LBPFeatures (P=8, R=1, uniform, one cell) and of a loop over
``skimage.feature.local_binary_pattern`` followed by the same histogram, on
grayscale images; and the ratios. Each extractor runs with the numpy backend
("default") and, where numba is installed (the ``fast`` extra), the compiled
one, serial and with n_jobs=2. Runs alternate in rounds, best kept.

Then GaborFeatures, DaisyFeatures and PatchDictionaryFeatures beside loops
over scikit-image's ``gabor`` and ``daisy`` and over scikit-learn's
``extract_patches_2d`` with the same encoding.

Then the features that keep small, local evidence beside GaborFeatures (its
defaults) on the same images: LocalContrastFeatures and
LocalOutlierFeatures (their defaults; fit_transform, the texture model
learnt from the same images), and Gabor, LBP (8x8 cells) and the patch
dictionary pooled by mean, max and top-k mean (and the same dictionary
summed, its default: what the pooling itself costs); their time as a
multiple of Gabor's.

Then HOG and LBP as a script meets them: in a fresh process, the first
call on 1000 images (numba's compilation, or the loading of its cached
kernels, included; imports not), against the scikit-image loop's first
1000 images in a fresh process of its own.

Run: ``python benchmarks/bench_features.py``.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings

import numpy as np
from skimage.feature import hog, local_binary_pattern

from imgbalance.features import HOGFeatures, LBPFeatures
from imgbalance.features._base import numba_available


def rate(function, n_images):
    start = time.perf_counter()
    function()
    return n_images / (time.perf_counter() - start)


def variants(make):
    """(label, extractor) for each backend and job count to time."""
    out = [("default", make(backend="default"))]
    if numba_available():
        out.append(("numba", make(backend="numba")))
        out.append(("numba, n_jobs=2", make(backend="numba", n_jobs=2)))
    else:
        out.append(("default, n_jobs=2", make(backend="default", n_jobs=2)))
    return out


def compare(title, X, make, loop, n_loop, rounds):
    models = variants(make)
    for _, model in models:  # compile, warm caches
        model.fit_transform(X[:4])
    best = {label: 0.0 for label, _ in models}
    theirs = 0.0
    for _ in range(rounds):  # alternate so all see the same machine load
        for label, model in models:
            best[label] = max(best[label], rate(lambda: model.fit_transform(X), len(X)))
        theirs = max(theirs, rate(loop, n_loop))
    print(f"  {title}  skimage loop {theirs:7.0f} images/s")
    for label, ours in best.items():
        print(f"      {label:<17} {ours:8.0f} images/s   ratio {ours / theirs:5.1f}x")


def bench_hog(size, channels, n_images, rounds):
    rng = np.random.default_rng(0)
    shape = (n_images, size, size) + ((channels,) if channels > 1 else ())
    X = rng.integers(0, 256, shape, dtype=np.uint8)
    channel_axis = -1 if channels > 1 else None
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            hog(image, cells_per_block=(2, 2), channel_axis=channel_axis)

    kind = "gray" if channels == 1 else "RGB "
    compare(f"HOG {size:>3}x{size:<3} {kind}", X, HOGFeatures, loop, n_loop, rounds)


def bench_lbp(size, n_images, rounds):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            codes = local_binary_pattern(image, 8, 1, "uniform").astype(np.intp)
            np.bincount(codes.ravel(), minlength=10) / codes.size

    def make(**kwargs):
        return LBPFeatures(P=8, R=1, method="uniform", **kwargs)

    compare(f"LBP {size:>3}x{size:<3} gray", X, make, loop, n_loop, rounds)


def fresh_child(kind, size, channels, backend, n_images):
    """In this fresh process: seconds of the first call on ``n_images``."""
    rng = np.random.default_rng(0)
    shape = (n_images, size, size) + ((channels,) if channels > 1 else ())
    X = rng.integers(0, 256, shape, dtype=np.uint8)
    if backend == "skimage":
        axis = -1 if channels > 1 else None
        start = time.perf_counter()
        for image in X:
            if kind == "HOG":
                hog(image, cells_per_block=(2, 2), channel_axis=axis)
            else:
                codes = local_binary_pattern(image, 8, 1, "uniform").astype(np.intp)
                np.bincount(codes.ravel(), minlength=10) / codes.size
    else:
        if kind == "HOG":
            model = HOGFeatures(backend=backend)
        else:
            model = LBPFeatures(P=8, R=1, method="uniform", backend=backend)
        start = time.perf_counter()
        model.fit_transform(X)
    print(time.perf_counter() - start)


def fresh(n_images):
    backends = ["default"] + (["numba"] if numba_available() else [])
    cases = [("HOG", s, c) for s in (32, 64, 128) for c in (1, 3)]
    cases += [("LBP", s, 1) for s in (32, 64, 128)]
    print(f"first call on {n_images} images, each in a fresh process:")
    for kind, size, channels in cases:
        seconds = {}
        for backend in ["skimage"] + backends:
            child = [sys.executable, __file__, "--images", str(n_images)]
            child += ["--fresh-child", kind, str(size), str(channels), backend]
            done = subprocess.run(child, check=True, capture_output=True, text=True)
            seconds[backend] = float(done.stdout.split()[-1])
        colour = "gray" if channels == 1 else "RGB "
        ratios = "   ".join(
            f"{backend} {seconds['skimage'] / seconds[backend]:5.1f}x"
            for backend in backends
        )
        print(
            f"  {kind} {size:>3}x{size:<3} {colour}  skimage loop "
            f"{seconds['skimage']:6.3f} s   {ratios} the skimage loop (fresh)"
        )


def bench_gabor(size, n_images, rounds):
    """GaborFeatures (its defaults: 4 frequencies, 4 orientations) against a loop over
    skimage.filters.gabor computing the same means and deviations."""
    from skimage.filters import gabor

    from imgbalance.features import GaborFeatures

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    frequencies = (0.1, 0.2, 0.3, 0.4)  # the default
    n_loop = max(10, n_images // 10)

    def loop():
        for image in X[:n_loop]:
            gray = image / 255.0
            for f in frequencies:
                for k in range(4):
                    real, imag = gabor(gray, f, theta=k * np.pi / 4, mode="reflect")
                    magnitude = np.hypot(real, imag)
                    magnitude.mean(), magnitude.std()

    best = {"opencv": 0.0, "default": 0.0}
    theirs = 0.0
    models = {b: GaborFeatures(frequencies=frequencies, backend=b) for b in best}
    for _ in range(rounds):
        for backend, model in models.items():
            best[backend] = max(
                best[backend], rate(lambda: model.fit_transform(X), len(X))
            )
        theirs = max(theirs, rate(loop, n_loop))
    print(f"  Gabor {size:>3}x{size:<3} gray  skimage loop {theirs:7.0f} images/s")
    for backend, ours in best.items():
        print(f"      {backend:<17} {ours:8.0f} images/s   ratio {ours / theirs:5.1f}x")


def bench_daisy(size, n_images, rounds):
    """DaisyFeatures against a loop over skimage.feature.daisy with the same
    parameters (radius 8 on 32 px, scikit-image's defaults on 64 px)."""
    from skimage.feature import daisy

    from imgbalance.features import DaisyFeatures

    params = {"radius": 8} if size < 40 else {}
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    n_loop = max(10, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            daisy(image, **params).ravel()

    models = {
        "default": DaisyFeatures(**params),
        "default, n_jobs=2": DaisyFeatures(**params, n_jobs=2),
    }
    best = dict.fromkeys(models, 0.0)
    theirs = 0.0
    for _ in range(rounds):
        for label, model in models.items():
            best[label] = max(best[label], rate(lambda: model.fit_transform(X), len(X)))
        theirs = max(theirs, rate(loop, n_loop))
    print(f"  DAISY {size:>3}x{size:<3} gray  skimage loop {theirs:7.0f} images/s")
    for label, ours in best.items():
        print(f"      {label:<17} {ours:8.0f} images/s   ratio {ours / theirs:5.1f}x")


def _encode_one(image, model):
    """One image's patch features as a script would compute them: the
    patches by scikit-learn's extract_patches_2d, then the same
    normalisation, whitening, triangle encoding and quadrant sums."""
    from sklearn.feature_extraction.image import extract_patches_2d

    ph, pw = model.patch_size
    patches = extract_patches_2d(image.astype(np.float32), (ph, pw))
    patches = patches.reshape(len(patches), -1)
    patches -= patches.mean(axis=1, keepdims=True)
    patches /= np.sqrt(patches.var(axis=1, keepdims=True) + 10)
    z = (patches - model.patch_mean_) @ model.whitening_
    distances = np.sqrt(
        np.maximum(
            (z**2).sum(1)[:, None]
            - 2 * z @ model.dictionary_.T
            + (model.dictionary_**2).sum(1),
            0,
        )
    )
    responses = np.maximum(distances.mean(1, keepdims=True) - distances, 0)
    rows, cols = image.shape[0] - ph + 1, image.shape[1] - pw + 1
    grid = responses.reshape(rows, cols, -1)
    half_r, half_c = (rows + 1) // 2, (cols + 1) // 2
    return np.concatenate(
        [
            grid[:half_r, :half_c].sum((0, 1)),
            grid[:half_r, half_c:].sum((0, 1)),
            grid[half_r:, :half_c].sum((0, 1)),
            grid[half_r:, half_c:].sum((0, 1)),
        ]
    )


def bench_patches(size, n_images, rounds):
    """PatchDictionaryFeatures.transform (6x6 patches, 256 atoms, quadrants,
    fitted once on the same images) against a loop over the images with
    scikit-learn's extract_patches_2d and the same encoding in numpy."""
    from imgbalance.features import PatchDictionaryFeatures

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size, 3), dtype=np.uint8)
    model = PatchDictionaryFeatures(random_state=0).fit(X[:200])
    n_loop = max(10, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            _encode_one(image, model)

    best, theirs = 0.0, 0.0
    for _ in range(rounds):
        best = max(best, rate(lambda: model.transform(X), len(X)))
        theirs = max(theirs, rate(loop, n_loop))
    print(
        f"  patch dictionary {size}x{size} RGB  extract_patches_2d loop "
        f"{theirs:7.0f} images/s\n      imgbalance        {best:8.0f} images/s"
        f"   ratio {best / theirs:5.1f}x"
    )


def bench_local(size, n_images, rounds):
    """The local-evidence features' images/s and time over GaborFeatures'
    (its defaults, the fastest backend) on the same gray images."""
    from imgbalance.features import (
        GaborFeatures,
        LBPFeatures,
        LocalContrastFeatures,
        LocalOutlierFeatures,
        PatchDictionaryFeatures,
    )

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    peaks = ("mean", "max", "top_k")
    models = {
        "Gabor (defaults)": GaborFeatures(),
        "LocalContrastFeatures": LocalContrastFeatures(),
        "LocalOutlierFeatures": LocalOutlierFeatures(),
        "Gabor, pooled": GaborFeatures(pool=peaks),
        "LBP 8x8, pooled": LBPFeatures(grid=(8, 8), pool=peaks),
        "patches, pooled": PatchDictionaryFeatures(
            n_atoms=64, patch_size=(5, 5), pooling=(1, 1), pool=peaks, random_state=0
        ),
        # the same dictionary summed (the default): what pooling itself costs
        "patches, summed": PatchDictionaryFeatures(
            n_atoms=64, patch_size=(5, 5), pooling=(1, 1), random_state=0
        ),
    }
    for model in models.values():  # warm caches
        model.fit_transform(X[:8])
    best = dict.fromkeys(models, 0.0)
    for _ in range(rounds):  # alternate so all see the same machine load
        for label, model in models.items():
            best[label] = max(best[label], rate(lambda: model.fit_transform(X), len(X)))
    gabor = best["Gabor (defaults)"]
    print(f"  local evidence {size:>3}x{size:<3} gray, fit_transform")
    for label, ours in best.items():
        print(
            f"      {label:<22} {ours:8.0f} images/s   "
            f"{gabor / ours:5.2f}x Gabor's time"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh-child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--local-only",
        action="store_true",
        help="only the local-evidence features beside Gabor",
    )
    args = parser.parse_args()
    if args.fresh_child:
        kind, size, channels, backend = args.fresh_child
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            fresh_child(kind, int(size), int(channels), backend, args.images)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {'installed' if numba_available() else 'not installed'}"
    )
    if args.local_only:
        for size in (32, 64):
            bench_local(size, args.images // 4, args.rounds)
        return
    for size in (32, 64, 128):
        for channels in (1, 3):
            bench_hog(size, channels, args.images, args.rounds)
    with warnings.catch_warnings():  # skimage warns on float images for LBP
        warnings.simplefilter("ignore", UserWarning)
        for size in (32, 64, 128):
            bench_lbp(size, args.images, args.rounds)
    for size in (32, 64):
        bench_gabor(size, args.images // 4, args.rounds)
    for size in (32, 64):
        bench_daisy(size, args.images // 4, args.rounds)
    bench_patches(32, args.images // 2, args.rounds)
    for size in (32, 64):
        bench_local(size, args.images // 4, args.rounds)
    fresh(args.images)


if __name__ == "__main__":
    main()
