"""Balancing a folder of JPEGs: imgbalance against Augmentor and a Pillow loop.

Generates a folder of 5000 random 64x64 JPEGs in 3 classes at 1:10 (4167,
417 and 416 images), then makes the images that balance it (7501) with:

- ``imgbalance.folder.balance_folder(method="augment", originals="none")``
  (what ``imgbalance balance --method augment --originals none`` runs: its
  default augmentation, affine + brightness/contrast), with 1 and 2 jobs,
  and with 1 job and OpenCV on one thread (one core: by default OpenCV
  spreads an operation over the cores, so one job uses more than one);
- Augmentor 0.2.12 with one pipeline per class (rotate up to 10 degrees,
  random brightness and contrast within 10 %), ``sample(n)`` per class as
  its documentation balances classes, multi-threaded (its default) and not;
- the naive loop people copy: open a random image of the class with
  Pillow, rotate, change brightness, save.

All write JPEG. Prints images/s, the CPU time used (this process and its
workers), the ratios, and the peak resident memory of each (measured in a
fresh process per run, worker processes included). Runs alternate in
rounds; the best is kept. The two worker processes of "2 jobs" are started
before the rounds, and the time that takes is printed on its own: a fresh
``imgbalance balance --jobs 2`` pays it once. So does the whole command,
run last in fresh processes with 1 and 2 jobs (Python start-up, imports,
workers).

Run: ``python benchmarks/bench_folder.py`` (Augmentor from
``benchmarks/requirements.txt``).
"""

import argparse
import contextlib
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageEnhance

from imgbalance.folder import balance_folder

COUNTS = {"common": 4167, "rare_a": 417, "rare_b": 416}


def make_dataset(root, size=64):
    rng = np.random.default_rng(0)
    for name, n in COUNTS.items():
        os.makedirs(os.path.join(root, name))
        for i in range(n):
            # smooth random images (blurred noise) compress like photos
            small = rng.integers(0, 256, (size // 8, size // 8, 3), dtype=np.uint8)
            image = Image.fromarray(small).resize((size, size), Image.BILINEAR)
            image.save(os.path.join(root, name, f"{i:05d}.jpg"), quality=90)


def n_to_make():
    largest = max(COUNTS.values())
    return {name: largest - n for name, n in COUNTS.items() if largest > n}


def run_imgbalance(src, dst, jobs):
    balance_folder(src, dst, method="augment", originals="none", n_jobs=jobs)


def run_imgbalance_one_core(src, dst):
    """One job with OpenCV on one thread too: one core (by default OpenCV
    spreads each operation over the cores, which a single job then uses in
    part)."""
    import cv2

    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        run_imgbalance(src, dst, 1)
    finally:
        cv2.setNumThreads(threads)


def run_augmentor(src, dst, threaded):
    import Augmentor

    for name, n in n_to_make().items():
        pipeline = Augmentor.Pipeline(
            source_directory=os.path.join(src, name),
            output_directory=os.path.join(dst, name),
        )
        pipeline.rotate(probability=1.0, max_left_rotation=10, max_right_rotation=10)
        pipeline.random_brightness(probability=1.0, min_factor=0.9, max_factor=1.1)
        pipeline.random_contrast(probability=1.0, min_factor=0.9, max_factor=1.1)
        pipeline.sample(n, multi_threaded=threaded)


def run_pillow_loop(src, dst):
    rng = random.Random(0)
    for name, n in n_to_make().items():
        files = sorted(os.listdir(os.path.join(src, name)))
        os.makedirs(os.path.join(dst, name))
        for j in range(n):
            path = os.path.join(src, name, rng.choice(files))
            stem, ext = os.path.splitext(os.path.basename(path))
            image = Image.open(path).convert("RGB")
            image = image.rotate(rng.uniform(-10, 10), resample=Image.BILINEAR)
            image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.9, 1.1))
            image.save(os.path.join(dst, name, f"{stem}_{j}{ext}"))


VARIANTS = {
    "imgbalance, 1 job": lambda src, dst: run_imgbalance(src, dst, 1),
    "imgbalance, 2 jobs": lambda src, dst: run_imgbalance(src, dst, 2),
    "imgbalance, 1 job, 1 core": run_imgbalance_one_core,
    "Augmentor 0.2.12, threads": lambda src, dst: run_augmentor(src, dst, True),
    "Augmentor 0.2.12, 1 thread": lambda src, dst: run_augmentor(src, dst, False),
    "Pillow loop": run_pillow_loop,
}


def start_workers(jobs):
    """Start joblib's worker processes (as the first parallel call of a
    fresh process would) with imgbalance imported in each; seconds taken."""
    from joblib import Parallel, delayed

    start = time.perf_counter()
    pids = Parallel(n_jobs=jobs)(delayed(_import_in_worker)() for _ in range(jobs))
    assert len(set(pids)) == jobs, pids
    return time.perf_counter() - start


def _import_in_worker():
    import imgbalance.folder._balance  # noqa: F401  (what a job unpickles)

    time.sleep(0.5)  # so that each worker takes one
    return os.getpid()


def cpu_seconds():
    """User + system CPU time of this process and of its live descendants
    (the joblib workers), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(pid):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            return 0.0

    return sum(used(pid) for pid in [os.getpid()] + descendants(os.getpid()))


def run_command(src, dst, jobs):
    """``imgbalance balance`` in a fresh process; seconds taken."""
    command = [sys.executable, "-m", "imgbalance", "balance", src, dst]
    command += ["--method", "augment", "--originals", "none", "--format", "keep"]
    command += ["--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def count_files(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def descendants(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    out += [int(child)] + descendants(int(child))
        except OSError:
            pass
    return out


def peak_rss_mb():
    """Peak resident memory of this process and its live descendants (the
    joblib workers), in MB, from /proc (Linux)."""

    def hwm(pid):
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    return hwm(os.getpid()) + sum(hwm(pid) for pid in descendants(os.getpid()))


def measure_rss(variant, src, directory):
    """Run ``variant`` in a fresh process; its peak memory in MB."""
    result = subprocess.run(
        [sys.executable, __file__, "--rss-of", variant, "--src", src]
        + (["--dir", directory] if directory else []),
        capture_output=True,
        text=True,
        check=True,
    )
    line = result.stdout.rsplit("\nRSS ", 1)[1]  # after what the peers print
    return json.loads(line)["peak_rss_mb"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--dir",
        default="/dev/shm" if os.path.isdir("/dev/shm") else None,
        help="where to make the folders (default: /dev/shm, a RAM disk, so "
        "the figures compare the programs, not the disk; creating a file "
        "on this machine's disk costs about 0.7 ms)",
    )
    parser.add_argument("--rss-of", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_of:  # the child process of measure_rss
        dst = tempfile.mkdtemp(prefix="bench-folder-rss-", dir=args.dir)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                VARIANTS[args.rss_of](args.src, os.path.join(dst, "out"))
            print("\nRSS " + json.dumps({"peak_rss_mb": peak_rss_mb()}))
        finally:
            shutil.rmtree(dst)
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    work = tempfile.mkdtemp(prefix="bench-folder-", dir=args.dir)
    print(f"folders in {os.path.dirname(work)}")
    try:
        src = os.path.join(work, "src")
        make_dataset(src)
        total = sum(n_to_make().values())
        print(f"SRC: 5000 JPEGs 64x64, classes {COUNTS}; {total} images to make")
        startup = start_workers(2)
        best = {name: float("inf") for name in VARIANTS}
        cpu = {}
        for r in range(args.rounds):
            for name, run in VARIANTS.items():
                dst = os.path.join(work, f"out-{r}-{len(name)}")
                with contextlib.redirect_stderr(io.StringIO()):  # progress bars
                    used = cpu_seconds()
                    start = time.perf_counter()
                    run(src, dst)
                    seconds = time.perf_counter() - start
                    used = cpu_seconds() - used
                made = count_files(dst) - (2 if name.startswith("imgbalance") else 0)
                assert made == total, (name, made)  # imgbalance: + marker, manifest
                if seconds < best[name]:
                    best[name], cpu[name] = seconds, used
                shutil.rmtree(dst)
        rss = {name: measure_rss(name, src, args.dir) for name in VARIANTS}
        command = {}
        for jobs in (1, 2):
            dst = os.path.join(work, f"out-command-{jobs}")
            command[jobs] = run_command(src, dst, jobs)
            assert count_files(dst) - 2 == total
            shutil.rmtree(dst)
        print()  # Augmentor prints without ending its lines
        for name in VARIANTS:
            print(
                f"  {name:<28} {total / best[name]:7.0f} images/s   "
                f"{best[name]:6.2f} s   CPU {cpu[name]:6.2f} s   "
                f"peak RSS {rss[name]:6.0f} MB"
            )
        one, two = best["imgbalance, 1 job"], best["imgbalance, 2 jobs"]
        for ours in ("imgbalance, 1 job", "imgbalance, 2 jobs"):
            for theirs in list(VARIANTS)[3:]:
                print(f"  {ours} vs {theirs}: {best[theirs] / best[ours]:.2f}x")
        print(f"  imgbalance 2 jobs vs 1 job: {one / two:.2f}x")
        core = best["imgbalance, 1 job, 1 core"]
        print(f"  imgbalance 2 jobs vs 1 job on one core: {core / two:.2f}x")
        print(f"  starting 2 worker processes (imports included): {startup:.2f} s")
        print(
            f"  the command in a fresh process: 1 job {command[1]:.2f} s, 2 jobs "
            f"{command[2]:.2f} s: 2 jobs vs 1 job {command[1] / command[2]:.2f}x"
        )
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
