"""Peak memory of ``imgbalance balance`` on 20 000 and on 100 000 images.

Generates folders of small PNGs (16x16 grey, two classes at 4:1) and
balances each with ``--method augment`` (originals copied) in a fresh
process, one job, reading the peak resident memory from /proc. Memory is
meant to be bounded by a batch of images, not by the dataset: what grows
with the number of files is the list of their paths (printed separately)
and a few numbers per file.

Run: ``python benchmarks/bench_folder_memory.py`` (folders in /dev/shm
where it exists; about two minutes).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image


def make_dataset(root, n):
    rng = np.random.default_rng(0)
    n_rare = n // 5
    for name, count in (("common", n - n_rare), ("rare", n_rare)):
        os.makedirs(os.path.join(root, name))
        for i in range(count):
            pixels = rng.integers(0, 256, (16, 16), dtype=np.uint8)
            Image.fromarray(pixels).save(os.path.join(root, name, f"{i:06d}.png"))


def vm_hwm_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(src, dst):
    """Run in a fresh process: balance, report the peak and the baseline."""
    import imgbalance.folder  # noqa: F401  (the imports: the baseline)

    baseline = vm_hwm_mb()
    from imgbalance.datasets import load_image_folder
    from imgbalance.folder import balance_folder

    paths = load_image_folder(src).paths
    path_list_mb = (sys.getsizeof(paths) + sum(map(sys.getsizeof, paths))) / 2**20
    del paths
    start = time.perf_counter()
    summary = balance_folder(src, dst, method="augment", seed=0, n_jobs=1)
    print(
        "RESULT "
        + json.dumps(
            {
                "peak_mb": vm_hwm_mb(),
                "baseline_mb": baseline,
                "path_list_mb": path_list_mb,
                "files": summary["planned_files"],
                "seconds": time.perf_counter() - start,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument(
        "--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    results = {}
    for n in args.sizes:
        work = tempfile.mkdtemp(prefix="bench-memory-", dir=args.dir)
        try:
            make_dataset(os.path.join(work, "src"), n)
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    os.path.join(work, "src"),
                    os.path.join(work, "dst"),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[n] = json.loads(out.rsplit("RESULT ", 1)[1])
        finally:
            shutil.rmtree(work)
        r = results[n]
        print(
            f"  {n:>7} images -> {r['files']:>7} files in {r['seconds']:6.1f} s: "
            f"peak RSS {r['peak_mb']:6.1f} MB (after imports {r['baseline_mb']:.1f} "
            f"MB; the path list alone {r['path_list_mb']:.1f} MB)"
        )
    if len(results) == 2:
        (small, a), (large, b) = sorted(results.items())
        beyond = [r["peak_mb"] - r["path_list_mb"] for r in (a, b)]
        per_file = (b["peak_mb"] - a["peak_mb"]) * 2**20 / (b["files"] - a["files"])
        print(
            f"  peak RSS {large} vs {small} images: "
            f"{b['peak_mb'] / a['peak_mb']:.2f}x; beyond the path list: "
            f"{beyond[1] / beyond[0]:.2f}x (per extra file: {per_file:.0f} bytes)"
        )


if __name__ == "__main__":
    main()
