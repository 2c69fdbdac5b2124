"""imgbalance's augmentation chain against albumentations, in one process.

The chain: rotate (uniform +-25 degrees, bilinear, reflected borders) ->
horizontal flip (p = 0.5) -> brightness and contrast (+-20 %), on random
uint8 RGB images at 64x64 and 224x224, one image at a time, single process.
Prints images/s of imgbalance (OpenCV fast path and the default Pillow path)
and of albumentations 2.0.8, and the ratios; runs alternate in rounds so both
see the same machine load.

Then the default augmenter as a user meets it: AugmentingOverSampler
(``n_jobs=1``, its default augmenter: affine rotation +-10 degrees, shift
5 %, scale 0.95-1.05, reflected borders; brightness and contrast +-10 %)
growing a class of 200 images by 4000 at 64x64 and by 1000 at 224x224,
against albumentations doing the same ops (``Affine`` and
``RandomBrightnessContrast``) on the same sources into an output array.
OpenCV runs on one thread in both.

Then the local augmentations, one image at a time on one thread, beside
albumentations doing the same: ElasticDeformation (alpha 34, sigma 4,
uniform noise, reflected borders) and ``ElasticTransform`` with those
parameters; RandomErasing (``p=1``, its default area and ratio ranges, black)
beside ``Erasing`` (the same op) and ``CoarseDropout`` (one hole of 10-20 %
of each side).

Then AugmentingOverSampler making 20 000 variants of 1000 minority images
at 64x64 with n_jobs=1 and n_jobs=2, and the speed-up: beside 1000 majority
images (the rendering dominates), then beside 21 000 (copying the originals
into the output, which no job count speeds up, weighs in).

Needs ``pip install -r benchmarks/requirements.txt``.
Run: ``python benchmarks/bench_augment.py``.
"""

import argparse
import os
import platform
import time

import numpy as np

from imgbalance.augment import (
    ColorJitter,
    Compose,
    ElasticDeformation,
    RandomErasing,
    RandomFlip,
    RandomRotation,
)
from imgbalance.over_sampling import AugmentingOverSampler


def ours(backend):
    return Compose(
        [
            RandomRotation(
                25, interpolation="bilinear", border_mode="reflect", backend=backend
            ),
            RandomFlip(horizontal=True, p=0.5),
            ColorJitter(brightness=0.2, contrast=0.2),
        ]
    )


def albumentations_chain():
    import albumentations as A
    import cv2

    return A.Compose(
        [
            A.Rotate(
                limit=25,
                interpolation=cv2.INTER_LINEAR,
                border_mode=cv2.BORDER_REFLECT_101,
                p=1.0,
            ),
            A.HorizontalFlip(p=0.5),
            A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.2, p=1.0),
        ]
    )


def alternating_seconds(runs, images, rounds):
    """Seconds each of ``runs`` (name -> run(image, generator)) takes on
    every image, the images split into ``rounds`` that alternate the runs
    (so that all see the same machine load)."""
    seconds = dict.fromkeys(runs, 0.0)
    for chunk in np.array_split(np.arange(len(images)), rounds):
        for name, run in runs.items():
            g = np.random.default_rng(1)
            start = time.perf_counter()
            for i in chunk:
                run(images[i], g)
            seconds[name] += time.perf_counter() - start
    return seconds


def bench_chain(size, n_images, rounds):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n_images, size, size, 3), dtype=np.uint8)
    runners = {
        "imgbalance (opencv)": lambda x, g, a=ours("opencv"): a(x, g),
        "imgbalance (default)": lambda x, g, a=ours("default"): a(x, g),
        "albumentations 2.0.8": lambda x, g, a=albumentations_chain(): a(image=x)[
            "image"
        ],
    }
    seconds = alternating_seconds(runners, images, rounds)
    rates = {name: n_images / s for name, s in seconds.items()}
    albu = rates["albumentations 2.0.8"]
    for name, rate in rates.items():
        print(
            f"  {size}x{size}  {name:<22} {rate:9.0f} images/s  "
            f"{rate / albu:5.2f}x albumentations"
        )


def albumentations_default():
    """albumentations doing the ops of imgbalance's default augmenter."""
    import albumentations as A
    import cv2

    return A.Compose(
        [
            A.Affine(
                rotate=(-10, 10),
                translate_percent=(-0.05, 0.05),
                scale=(0.95, 1.05),
                interpolation=cv2.INTER_LINEAR,
                border_mode=cv2.BORDER_REFLECT_101,
                p=1.0,
            ),
            A.RandomBrightnessContrast(brightness_limit=0.1, contrast_limit=0.1, p=1.0),
        ]
    )


def bench_default(size, n_new, rounds):
    """AugmentingOverSampler's default augmenter against albumentations."""
    import cv2

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (400, size, size, 3), dtype=np.uint8)
    y = np.array([0] * 200 + [1] * 200)
    sampler = AugmentingOverSampler(
        sampling_strategy={1: 200 + n_new}, random_state=0, n_jobs=1
    )
    albu = albumentations_default()
    sources = rng.integers(200, 400, n_new)

    def theirs():
        out = np.empty((400 + n_new,) + X.shape[1:], np.uint8)
        out[:400] = X
        for i, source in enumerate(sources):
            out[400 + i] = albu(image=X[source])["image"]

    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        best = {"AugmentingOverSampler": np.inf, "albumentations": np.inf}
        for _ in range(rounds):
            for name, run in (
                ("AugmentingOverSampler", lambda: sampler.fit_resample(X, y)),
                ("albumentations", theirs),
            ):
                start = time.perf_counter()
                run()
                best[name] = min(best[name], time.perf_counter() - start)
    finally:
        cv2.setNumThreads(threads)
    ours_rate = n_new / best["AugmentingOverSampler"]
    their_rate = n_new / best["albumentations"]
    print(
        f"  {size}x{size}  AugmentingOverSampler, default augmenter "
        f"{ours_rate:7.0f} images/s, albumentations {their_rate:7.0f} images/s: "
        f"{ours_rate / their_rate:.2f}x albumentations"
    )


def bench_local(size, n_images, rounds):
    """ElasticDeformation and RandomErasing beside albumentations' ops."""
    import albumentations as A
    import cv2

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n_images, size, size, 3), dtype=np.uint8)
    elastic = ElasticDeformation(alpha=34, sigma=4)
    erasing = RandomErasing(p=1.0)
    pairs = {
        "ElasticDeformation": (
            lambda x, g: elastic(x, g),
            {
                "ElasticTransform": A.ElasticTransform(
                    alpha=34,
                    sigma=4,
                    noise_distribution="uniform",
                    border_mode=cv2.BORDER_REFLECT_101,
                    p=1.0,
                )
            },
        ),
        "RandomErasing": (
            lambda x, g: erasing(x, g),
            {
                "Erasing": A.Erasing(p=1.0),
                "CoarseDropout": A.CoarseDropout(
                    num_holes_range=(1, 1),
                    hole_height_range=(0.1, 0.2),
                    hole_width_range=(0.1, 0.2),
                    p=1.0,
                ),
            },
        ),
    }
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        for name, (ours_run, theirs) in pairs.items():
            runs = {name: ours_run}
            for label, transform in theirs.items():
                runs[label] = lambda x, g, t=transform: t(image=x)["image"]
            seconds = alternating_seconds(runs, images, rounds)
            ours = n_images / seconds[name]
            for label in theirs:
                print(
                    f"  {size}x{size}  {name} {ours:7.0f} images/s, albumentations "
                    f"{label} {n_images / seconds[label]:7.0f} images/s: "
                    f"{seconds[label] / seconds[name]:.2f}x albumentations"
                )
    finally:
        cv2.setNumThreads(threads)


def bench_jobs(n_new, size, n_majority, repeat):
    """fit_resample making ``n_new`` variants of 1000 minority images."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_majority + 1000, size, size, 3), dtype=np.uint8)
    y = np.array([0] * n_majority + [1] * 1000)
    strategy = {1: 1000 + n_new}

    def sampler(n_jobs):
        return AugmentingOverSampler(
            augmenter=ours("auto"),
            sampling_strategy=strategy,
            random_state=0,
            n_jobs=n_jobs,
        )

    # start the worker processes once (imports), as any long-lived session
    sampler(2).fit_resample(X[-3000:], y[-3000:])
    times = {1: [], 2: []}
    for _ in range(repeat):
        for n_jobs in (1, 2):
            start = time.perf_counter()
            sampler(n_jobs).fit_resample(X, y)
            times[n_jobs].append(time.perf_counter() - start)
    best = {n_jobs: min(t) for n_jobs, t in times.items()}
    print(
        f"  {n_new} variants of 1000 minority images, {n_majority} majority "
        f"images ({size}x{size} RGB uint8):"
    )
    for n_jobs, seconds in best.items():
        print(
            f"    n_jobs={n_jobs}: {seconds:.2f} s ({n_new / seconds:.0f} "
            f"variants/s; best of {repeat}, all: "
            f"{', '.join(f'{t:.2f}' for t in times[n_jobs])})"
        )
    print(f"    speed-up n_jobs=2 / n_jobs=1: {best[1] / best[2]:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--jobs-images", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import albumentations
    import cv2

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, OpenCV "
        f"{cv2.__version__} ({cv2.getNumThreads()} threads), albumentations "
        f"{albumentations.__version__}"
    )
    print("chain rotate -> flip -> brightness/contrast, one image at a time:")
    for size in (64, 224):
        bench_chain(size, args.images, args.rounds)
    print("the default augmenter through AugmentingOverSampler, one job:")
    for size, n_new in ((64, 4000), (224, 1000)):
        bench_default(size, n_new, args.rounds)
    print("local augmentations, one image at a time, one thread:")
    for size in (64, 224):
        bench_local(size, args.images, args.rounds)
    print("parallel rendering:")
    for n_majority in (1000, args.jobs_images + 1000):
        bench_jobs(args.jobs_images, 64, n_majority, args.repeat)


if __name__ == "__main__":
    main()
