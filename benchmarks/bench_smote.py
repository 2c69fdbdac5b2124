"""EmbeddingSMOTE against imbalanced-learn's SMOTE on flattened pixels.

(5000, 64, 64, 3) uint8 random images, two classes at 1:20 (4762 and 238),
grown to balance with k_neighbors=5: EmbeddingSMOTE with its default
embedding (PCA, 50 components) in both generations, and SMOTE on the images
reshaped to (n, 12288): as uint8 (what a reshape gives; SMOTE's differences
then wrap round, so its images are wrong), as float32 in [0, 1], and as
float64 in [0, 1] (what ``X / 255`` gives). Best of a few alternating rounds;
prints seconds and ratios. Then, each in a fresh process, the peak memory
EmbeddingSMOTE (decode) takes beyond its input, on the uint8 images and on
the same images as float32 in [0, 1], against the size of its output.

Run: ``python benchmarks/bench_smote.py``.
"""

import argparse
import os
import platform
import subprocess
import sys
import time

import numpy as np
from imblearn.over_sampling import SMOTE

from imgbalance.over_sampling import EmbeddingSMOTE


def seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def make_data(n_images, size):
    rng = np.random.default_rng(0)
    n_minority = round(n_images / 21)
    y = np.array([0] * (n_images - n_minority) + [1] * n_minority)
    X = rng.integers(0, 256, (n_images, size, size, 3), dtype=np.uint8)
    return X, y


def status_mib(field):
    """VmRSS (now) or VmHWM (peak) of this process, in MiB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024


def reset_peak():
    """Start VmHWM afresh from the current RSS (Linux 4.0 and later)."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def memory_child(n_images, size, dtype):
    """In this (fresh) process: EmbeddingSMOTE's peak memory beyond what
    the process held before it ran (its input, the libraries)."""
    X, y = make_data(n_images, size)
    if dtype == "float32":
        X_float = np.empty(X.shape, np.float32)
        np.divide(X, np.float32(255), out=X_float)
        del X
        X = X_float
    warm = np.r_[0:40, len(y) - 20 : len(y)]  # imports and first calls done
    EmbeddingSMOTE(random_state=0).fit_resample(X[warm], y[warm])
    before = status_mib("VmRSS")
    reset_peak()
    out, _ = EmbeddingSMOTE(random_state=0).fit_resample(X, y)
    beyond = status_mib("VmHWM") - before
    size = out.nbytes / 2**20
    print(
        f"  EmbeddingSMOTE decode (PCA 50), {dtype} images: peak {beyond:.0f} MiB "
        f"beyond the input, output {size:.0f} MiB: {beyond / size:.2f}x the output"
    )


def memory(n_images, size):
    for dtype in ("uint8", "float32"):
        child = [sys.executable, __file__, "--images", str(n_images)]
        child += ["--size", str(size), "--memory-child", dtype]
        subprocess.run(child, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.images, args.size, args.memory_child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    X, y = make_data(args.images, args.size)
    rows = X.reshape(len(X), -1)
    rows_float = rows.astype(np.float32) / 255
    rows_double = rows / 255
    print(f"X {X.shape} uint8, classes {np.bincount(y).tolist()}, k_neighbors=5")

    runs = {
        "EmbeddingSMOTE decode (PCA 50)": lambda: EmbeddingSMOTE(
            random_state=0
        ).fit_resample(X, y),
        "EmbeddingSMOTE interpolate (PCA 50)": lambda: EmbeddingSMOTE(
            generation="interpolate", random_state=0
        ).fit_resample(X, y),
        "imblearn SMOTE, uint8 rows": lambda: SMOTE(random_state=0).fit_resample(
            rows, y
        ),
        "imblearn SMOTE, float32 rows": lambda: SMOTE(random_state=0).fit_resample(
            rows_float, y
        ),
        "imblearn SMOTE, float64 rows": lambda: SMOTE(random_state=0).fit_resample(
            rows_double, y
        ),
    }
    best = {name: float("inf") for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            best[name] = min(best[name], seconds(run))
    for name, value in best.items():
        print(f"  {name:<38} {value:7.3f} s")
    for ours in list(runs)[:2]:
        for theirs in list(runs)[2:]:
            print(f"  {ours} vs {theirs}: {best[theirs] / best[ours]:.2f}x faster")
    memory(args.images, args.size)


if __name__ == "__main__":
    main()
