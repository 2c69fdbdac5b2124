"""Peak memory of the array samplers on images on disk, writing to a file.

For (20 000, 64, 64, 3) and (100 000, 64, 64, 3) uint8 images (two classes
at 4:1, random pixels) saved as .npy files in a temporary folder,
RandomImageOverSampler and AugmentingOverSampler (one job) each run in a
fresh process on ``np.load(path, mmap_mode="r")`` with
``fit_resample(X, y, out=path)``, and, beside it, in another fresh process
on the same images loaded into memory, as the floor and peer: the peak
resident memory of each (VmHWM, from /proc), its baseline after the
imports, the time, and a SHA-256 of the output images and labels, which
must be equal. The figure to hold: the peak on disk for 100 000 images at
most 1.2x that for 20 000.

Run: ``python benchmarks/bench_memory.py`` (about 4 GB of disk in the
system's temporary folder, or --dir; 4 GB of memory for the in-memory runs
of 100 000 images, skipped with --no-memory; a few minutes).
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

SHAPE = (64, 64, 3)
SAMPLERS = ["RandomImageOverSampler", "AugmentingOverSampler"]


def labels(n):
    return np.repeat([0, 1], [n - n // 5, n // 5])


def make_images(path, n):
    """n random images written in parts to a .npy file (never all in
    memory), and their labels beside."""
    rng = np.random.default_rng(0)
    images = np.lib.format.open_memmap(
        path, mode="w+", dtype=np.uint8, shape=(n, *SHAPE)
    )
    for start in range(0, n, 5000):
        stop = min(n, start + 5000)
        images[start:stop] = rng.integers(0, 256, (stop - start, *SHAPE), np.uint8)
        images.flush()
    del images
    np.save(path.replace(".npy", "-y.npy"), labels(n))


def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def digest(images, y):
    """SHA-256 of the images' bytes (read a part at a time) and the labels."""
    sha = hashlib.sha256()
    for start in range(0, len(images), 2000):
        sha.update(np.ascontiguousarray(images[start : start + 2000]).data)
    sha.update(np.ascontiguousarray(y, dtype=np.int64).data)
    return sha.hexdigest()


def file_digest(path, y):
    """:func:`digest` of a .npy file's images, read with plain file reads
    (no page of it mapped in the process)."""
    offset = np.load(path, mmap_mode="r").offset  # where its images start
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        file.seek(offset)
        while block := file.read(2000 * int(np.prod(SHAPE))):
            sha.update(block)
    sha.update(np.ascontiguousarray(y, dtype=np.int64).data)
    return sha.hexdigest()


def child(sampler_name, where, images_path, out_path):
    """In a fresh process: resample, then report the peak, the baseline and
    the output's digest."""
    import imgbalance.over_sampling

    y = np.load(images_path.replace(".npy", "-y.npy"))
    sampler = getattr(imgbalance.over_sampling, sampler_name)(random_state=0)
    if where == "disk":
        X = np.load(images_path, mmap_mode="r")
        baseline = status_mb("VmHWM")
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y, out=out_path)
        seconds = time.perf_counter() - start
        peak = status_mb("VmHWM")
        del X_res  # read back with file reads, after the peak was taken
        sha = file_digest(out_path, y_res)
    else:
        baseline = status_mb("VmHWM")
        start = time.perf_counter()
        X = np.load(images_path)
        X_res, y_res = sampler.fit_resample(X, y)
        seconds = time.perf_counter() - start
        peak = status_mb("VmHWM")
        sha = digest(X_res, y_res)
    result = {
        "peak_mb": peak,
        "baseline_mb": baseline,
        "seconds": seconds,
        "rows": len(y_res),
        "sha": sha,
    }
    print("RESULT " + json.dumps(result))


def run_child(*args):
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{args}: failed\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.rsplit("RESULT ", 1)[1])


def check_room(folder, sizes, in_memory):
    """Refuse to start without the disk (and memory) the runs need."""
    row = int(np.prod(SHAPE))
    largest = max(sizes)
    disk = largest * row + int(1.6 * largest) * row  # the images, one output
    free = shutil.disk_usage(folder).free
    if free < 1.2 * disk:
        raise SystemExit(
            f"{folder}: {free / 2**30:.1f} GB free, {disk / 2**30:.1f} GB needed; "
            "give another folder with --dir, or smaller --sizes."
        )
    if in_memory:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        need = 1.3 * (largest * row + int(1.6 * largest) * row)
        if available < need:
            raise SystemExit(
                f"{available / 2**30:.1f} GB of memory available, the in-memory "
                f"run of {largest} images needs about {need / 2**30:.1f} GB; "
                "pass --no-memory to run only on disk."
            )


def report(name, n, disk, memory):
    line = (
        f"  {name:<23} {n:>7} images -> {disk['rows']:>7}: on disk to a file: "
        f"peak RSS {disk['peak_mb']:7.1f} MB (after imports "
        f"{disk['baseline_mb']:.1f} MB) in {disk['seconds']:5.1f} s"
    )
    if memory is not None:
        same = "yes" if memory["sha"] == disk["sha"] else "NO"
        line += (
            f"; in memory: peak RSS {memory['peak_mb']:7.1f} MB in "
            f"{memory['seconds']:5.1f} s; same output: {same}"
        )
    line += f" (SHA-256 {disk['sha'][:16]}...)"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[20000, 100000])
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the in-memory runs"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    check_room(args.dir, args.sizes, not args.no_memory)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load}"
    )
    results = {}
    work = tempfile.mkdtemp(prefix="bench-memory-", dir=args.dir)
    try:
        for n in sorted(args.sizes):
            images = os.path.join(work, f"images-{n}.npy")
            make_images(images, n)
            out = os.path.join(work, "resampled.npy")
            for name in SAMPLERS:
                disk = run_child(name, "disk", images, out)
                os.remove(out)
                memory = None
                if not args.no_memory:
                    memory = run_child(name, "memory", images, out)
                results[name, n] = disk, memory
                report(name, n, disk, memory)
            os.remove(images)
            os.remove(images.replace(".npy", "-y.npy"))
    finally:
        shutil.rmtree(work)
    small, large = sorted(args.sizes)
    met = True
    for name in SAMPLERS:
        (a, a_memory), (b, b_memory) = results[name, small], results[name, large]
        ratio = b["peak_mb"] / a["peak_mb"]
        beyond = (b["peak_mb"] - b["baseline_mb"]) / (a["peak_mb"] - a["baseline_mb"])
        line = (
            f"  {name}: peak RSS {large} vs {small} images on disk: {ratio:.2f}x "
            f"(beyond the imports {beyond:.2f}x)"
        )
        if a_memory is not None:
            line += (
                f"; in memory: {b_memory['peak_mb'] / a_memory['peak_mb']:.2f}x; "
                f"on disk / in memory at {large}: "
                f"{b['peak_mb'] / b_memory['peak_mb']:.2f}x"
            )
            met &= a["sha"] == a_memory["sha"] and b["sha"] == b_memory["sha"]
        print(line)
        met &= ratio <= 1.2
    print(
        f"  acceptance (<= 1.2x, the in-memory output): {'met' if met else 'NOT met'}"
    )
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
