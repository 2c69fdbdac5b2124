"""EmbeddingSMOTE against imbalanced-learn's SMOTE on flattened pixels.

(5000, 64, 64, 3) uint8 random images, two classes at 1:20 (4762 and 238),
grown to balance with k_neighbors=5: EmbeddingSMOTE with its default
embedding (PCA, 50 components) in both generations, and SMOTE on the images
reshaped to (n, 12288): as uint8 (what a reshape gives; SMOTE's differences
then wrap round, so its images are wrong), as float32 in [0, 1], and as
float64 in [0, 1] (what ``X / 255`` gives). Best of a few alternating rounds;
prints seconds and ratios.

Run: ``python benchmarks/bench_smote.py``.
"""

import argparse
import os
import platform
import time

import numpy as np
from imblearn.over_sampling import SMOTE

from imgbalance.over_sampling import EmbeddingSMOTE


def seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    rng = np.random.default_rng(0)
    n_minority = round(args.images / 21)
    y = np.array([0] * (args.images - n_minority) + [1] * n_minority)
    X = rng.integers(0, 256, (args.images, args.size, args.size, 3), dtype=np.uint8)
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


if __name__ == "__main__":
    main()
