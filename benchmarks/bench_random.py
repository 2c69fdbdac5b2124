"""Random image resamplers against their peers, side by side in one process.

Prints, for a (20000, 64, 64, 3) uint8 collection at 1:10:

- RandomImageOverSampler.fit_resample time / a plain numpy gather of the same
  output rows (``X[sampler.sample_indices_]``); target <= 1.3;
- RandomImageOverSampler.fit_resample time / imbalanced-learn's
  RandomOverSampler on the same data reshaped to 2-D; target <= 1.0;
- the same two ratios for RandomImageUnderSampler;
- the time to over-sample a list of 100 000 path strings.

Each timing is the best of ``--repeat`` runs, taken in turn, so that both
sides see the same machine load. Run: ``python benchmarks/bench_random.py``.
"""

import argparse
import os
import platform
import tempfile
import time

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler

from imgbalance import RandomImageOverSampler, RandomImageUnderSampler


def best_time(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(funcs, repeat):
    """Best time of each function, runs interleaved."""
    times = {name: [] for name in funcs}
    for _ in range(repeat):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def bench_arrays(n, size, repeat):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n, size, size, 3), dtype=np.uint8)
    n_minority = n // 11
    y = np.zeros(n, dtype=np.int64)
    y[rng.choice(n, n_minority, replace=False)] = 1
    X_2d = X.reshape(n, -1)
    print(
        f"data: {X.shape} {X.dtype} ({X.nbytes / 2**20:.0f} MiB), "
        f"{n - n_minority}:{n_minority} (1:{(n - n_minority) / n_minority:.0f})"
    )
    rows = []
    for ours, theirs in [
        (RandomImageOverSampler, RandomOverSampler),
        (RandomImageUnderSampler, RandomUnderSampler),
    ]:
        sampler = ours(random_state=0)
        sampler.fit_resample(X, y)
        indices = sampler.sample_indices_
        times = interleaved(
            {
                "ours": lambda: ours(random_state=0).fit_resample(X, y),
                "gather": lambda: X[indices],
                "imblearn": lambda: theirs(random_state=0).fit_resample(X_2d, y),
            },
            repeat,
        )
        rows.append((ours.__name__, len(indices), times))
    print(
        f"{'sampler':<25} {'rows out':>9} {'ours s':>8} {'gather s':>9} "
        f"{'imblearn s':>11} {'ours/gather':>12} {'ours/imblearn':>14}"
    )
    for name, n_out, t in rows:
        print(
            f"{name:<25} {n_out:>9} {t['ours']:>8.3f} {t['gather']:>9.3f} "
            f"{t['imblearn']:>11.3f} {t['ours'] / t['gather']:>12.2f} "
            f"{t['ours'] / t['imblearn']:>14.2f}"
        )


def bench_paths(n_paths, repeat):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(n_paths):
            path = os.path.join(folder, f"img{i:06d}.png")
            open(path, "wb").close()
            paths.append(path)
        y = np.zeros(n_paths, dtype=np.int64)
        y[: n_paths // 11] = 1
        sampler = RandomImageOverSampler(random_state=0)
        seconds = best_time(lambda: sampler.fit_resample(paths, y), repeat)
        X_res, _ = sampler.fit_resample(paths, y)
        print(
            f"list of {n_paths} path strings -> list of {len(X_res)} "
            f"({type(X_res).__name__}): {seconds:.3f} s"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--paths", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    bench_arrays(args.n, args.size, args.repeat)
    bench_paths(args.paths, args.repeat)


if __name__ == "__main__":
    main()
