"""The leak check between two folders against the work it cannot avoid:
hashing both folders.

Two folders of N 64x64 JPEGs each (N = 20 000 by default; random crops of
scikit-image's photos, flipped and brightened at random, in ten classes),
the test folder holding 1 % re-encoded copies of training images. Timed,
each a fresh process, median of a few alternating rounds:

- ``imgbalance leaks TRAIN TEST --json`` (the whole command: imports,
  scans, hashes, search, output);
- the floor: a script hashing every file of both folders with the
  library's hashing of files (the same decoding, no checks) and nothing
  else;
- for scale, ``find_leaks`` on the same images held in memory as arrays.

Run: ``python benchmarks/bench_leaks.py [--images N]``.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import skimage.data
from PIL import Image

PHOTOS = ["astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "retina"]
COMMAND = os.path.join(os.path.dirname(sys.executable), "imgbalance")
# the unavoidable work: every file decoded and hashed once, no checks, no
# search, nothing written (the library's own decoding: JPEGs at 1/8 scale)
HASH_BOTH = """
import glob, sys
from imgbalance.duplicates._hashing import hash_items
for root in sys.argv[1:]:
    hash_items(sorted(glob.glob(root + "/*/*.jpg")))
"""


def write_folders(root, n, rng):
    photos = [getattr(skimage.data, name)()[..., :3] for name in PHOTOS]
    arrays = {}
    for part in ("train", "test"):
        images = []
        for k in range(n):
            photo = photos[rng.integers(len(photos))]
            top = rng.integers(0, photo.shape[0] - 64)
            left = rng.integers(0, photo.shape[1] - 64)
            tile = photo[top : top + 64, left : left + 64]
            if rng.random() < 0.5:
                tile = tile[:, ::-1]
            tile = np.clip(tile * rng.uniform(0.8, 1.2), 0, 255).astype(np.uint8)
            if part == "test" and k % 100 == 0:  # a leak: a training image again
                tile = arrays["train"][k]
            images.append(tile)
            folder = os.path.join(root, part, f"c{k % 10}")
            os.makedirs(folder, exist_ok=True)
            Image.fromarray(tile).save(os.path.join(folder, f"{k:06d}.jpg"), quality=90)
        arrays[part] = np.stack(images)
    return arrays


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="bench-leaks-")
    try:
        arrays = write_folders(root, args.images, np.random.default_rng(0))
        train, test = os.path.join(root, "train"), os.path.join(root, "test")
        command = [COMMAND, "leaks", train, test, "--json"]
        floor = [sys.executable, "-c", HASH_BOTH, train, test]
        timed(command)  # warm the page cache
        ours, hashing = [], []
        for _ in range(args.rounds):
            ours.append(timed(command))
            hashing.append(timed(floor))
        ours, hashing = statistics.median(ours), statistics.median(hashing)
        from imgbalance.duplicates import find_leaks

        start = time.perf_counter()
        found = find_leaks(arrays["train"], arrays["test"], threshold=8)
        in_memory = time.perf_counter() - start
        print(f"{args.images} x {args.images} JPEGs of 64x64, {len(found)} leaks in memory")
        print(f"imgbalance leaks (whole command): {ours:.2f} s")
        print(f"hashing both folders (the floor): {hashing:.2f} s")
        print(f"find_leaks on the arrays in memory: {in_memory:.2f} s")
        print(f"leaks / hashing both folders: {ours / hashing:.2f}x")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
