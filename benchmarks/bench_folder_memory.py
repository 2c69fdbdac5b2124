"""Peak memory and time per file of ``inspect`` and ``balance`` as the
number of files grows (default: 100 000 and 300 000 images).

Generates folders of tiny PNGs (4x4 grey: 256 different images written in
turn, so that making a million files takes minutes, not an hour; two
classes at 4:1) and runs, each in a fresh process, the library's
``inspect_folder`` and ``balance_folder`` (``method="augment"``,
originals copied, one job), reading the peak resident memory from /proc.
``inspect`` reads the folder a part at a time: its memory should not
grow with the number of files. ``balance`` keeps the files' paths in a
temporary file and holds an offset each (for scale, the memory a list of
them would take is printed), a few numbers per file and per output, and a
batch of images. Prints, per size and command, the peak RSS, the time and the time
per file, then the ratios of the largest size to the smallest: peak RSS,
and time per file.

A million files take about 10 GB (a 4 KB block for each of the million
sources and 1.6 million outputs) and 2.6 million inodes: the folders are
made in ``--dir``, on disk by default (check ``df -h`` and ``df -i``
first; ``--dir /dev/shm`` keeps the disk and its cache out of the
figures, where memory allows), and removed after. The ``balance`` of a
million files takes about 5 minutes on one core in memory, half an hour
on a disk whose cache cannot hold them.

Run: ``python benchmarks/bench_folder_memory.py [--sizes 100000 300000]
[--commands inspect balance]``.
"""

import argparse
import io
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

COMMANDS = ("inspect", "balance")


def make_dataset(root, n, side=4):
    """``root/common`` and ``root/rare`` (4:1) of ``n`` tiny PNGs."""
    rng = np.random.default_rng(0)
    blobs = []
    for _ in range(256):
        buffer = io.BytesIO()
        pixels = rng.integers(0, 256, (side, side), dtype=np.uint8)
        Image.fromarray(pixels).save(buffer, "PNG")
        blobs.append(buffer.getvalue())
    n_rare, k = n // 5, 0
    for name, count in (("common", n - n_rare), ("rare", n_rare)):
        os.makedirs(os.path.join(root, name))
        for i in range(count):
            with open(os.path.join(root, name, f"{i:07d}.png"), "wb") as file:
                file.write(blobs[k % len(blobs)])
            k += 1


def vm_hwm_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(command, src, dst):
    """Run in a fresh process: one command, report the peak and the
    baseline."""
    import imgbalance.folder  # noqa: F401  (the imports: the baseline)

    baseline = vm_hwm_mb()
    from imgbalance.folder import balance_folder, inspect_folder

    start = time.perf_counter()
    if command == "balance":
        files = balance_folder(src, dst, method="augment", seed=0, n_jobs=1)[
            "planned_files"
        ]
    else:
        files = inspect_folder(src)["n_images"]
    print(
        "RESULT "
        + json.dumps(
            {
                "peak_mb": vm_hwm_mb(),
                "baseline_mb": baseline,
                "files": files,
                "seconds": time.perf_counter() - start,
            }
        )
    )


def path_list_mb(src):
    """The memory a list of SRC's files as full paths would take (for
    scale: the commands hold none)."""
    paths = [os.path.join(d, f) for d, _, files in os.walk(src) for f in files]
    return (sys.getsizeof(paths) + sum(map(sys.getsizeof, paths))) / 2**20


def measure(command, src, dst):
    out = subprocess.run(
        [sys.executable, __file__, "--child", command, src, dst],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if os.path.exists(dst):
        shutil.rmtree(dst)
    return json.loads(out.rsplit("RESULT ", 1)[1])


def report(command, n, r):
    files = f"{r['files']:>7} files" if command == "balance" else "decoded"
    print(
        f"  {command:<7} {n:>7} images ({files}) in {r['seconds']:7.1f} s "
        f"({1e6 * r['seconds'] / n:5.0f} us/image): peak RSS "
        f"{r['peak_mb']:6.1f} MB (after imports {r['baseline_mb']:.1f} MB; a "
        f"list of the paths would take {r['path_list_mb']:.1f} MB)"
    )


def ratios(command, results):
    (small, a), (large, b) = sorted(results.items())[0], sorted(results.items())[-1]
    per_file = (b["peak_mb"] - a["peak_mb"]) * 2**20 / (large - small)
    per_image = (b["seconds"] / large) / (a["seconds"] / small)
    print(
        f"  {command} peak RSS {large} vs {small} images: "
        f"{b['peak_mb'] / a['peak_mb']:.2f}x (per extra image: {per_file:.0f} "
        f"bytes); time per image: {per_image:.2f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 300000])
    parser.add_argument("--commands", nargs="+", choices=COMMANDS, default=COMMANDS)
    parser.add_argument("--dir", default=None, help="where the folders are made")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    results = {command: {} for command in args.commands}
    for n in args.sizes:
        work = tempfile.mkdtemp(prefix="bench-memory-", dir=args.dir)
        try:
            start = time.perf_counter()
            make_dataset(os.path.join(work, "src"), n)
            print(f"  {n} tiny PNGs made in {time.perf_counter() - start:.0f} s")
            for command in args.commands:
                src, dst = os.path.join(work, "src"), os.path.join(work, "dst")
                results[command][n] = measure(command, src, dst)
                results[command][n]["path_list_mb"] = path_list_mb(src)
                report(command, n, results[command][n])
        finally:
            shutil.rmtree(work)
    for command in args.commands:
        if len(results[command]) >= 2:
            ratios(command, results[command])


if __name__ == "__main__":
    main()
