"""Balancing a folder of JPEGs, the whole command as a user runs it.

Makes folders of 64x64 JPEGs (smooth random images, which compress like
photos) and balances each, every run a fresh process (Python start-up,
imports and worker processes included), in rounds that alternate:

- ``imgbalance balance SRC DST --jobs 1`` and ``--jobs 2`` (the defaults:
  ``--method augment``, originals copied, its checks, journal and manifest);
- the Pillow script people write instead (``folder_peers/pillow_balance.py``:
  copy the originals, save rotated copies of random minority images until
  balanced; it checks nothing and keeps no record: less work);
- the command's image work alone (``folder_peers/imgbalance_loop.py``:
  the same copies, the default augmenter and JPEG saving in a plain loop,
  without checks, plan, journal or manifest): the floor of the command,
  and the share of its time its own work takes;
- Augmentor 0.2.12 (``folder_peers/augmentor_balance.py``: copy the
  originals, one pipeline per smaller class, ``sample(n)``, its threads).

Prints, per folder, each command's median wall time and CPU time (user +
system of the process and the children it waited for), CPU milliseconds per
image made, and the ratios of the medians and of the fastest rounds (on a
busy machine the fastest round is the one least disturbed). The folder of
10 JPEGs measures the start-up: imports, checks and bookkeeping, with
almost no images to make. Every program runs from compiled bytecode, as an
installed package does (pip compiles it; the caches live in the work
folder, so an environment that turns them off does not charge the
package's many modules against a one-file script). The folders live in
``--dir`` (default: a RAM disk where there is one, so that the figures
compare the programs, not the disk).

Run: ``python benchmarks/bench_folder.py`` (Augmentor from
``benchmarks/requirements.txt``).
"""

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDERS = {  # name -> images per class
    "5000 JPEGs": {"common": 4167, "rare_a": 417, "rare_b": 416},
    "3600 JPEGs": {"common": 3000, "rare_a": 300, "rare_b": 300},
    "250 JPEGs": {"common": 208, "rare_a": 21, "rare_b": 21},
    "10 JPEGs": {"common": 6, "rare": 4},
}


def make_folder(root, counts, size=64):
    rng = np.random.default_rng(0)
    for name, n in counts.items():
        os.makedirs(os.path.join(root, name))
        for i in range(n):
            small = rng.integers(0, 256, (size // 8, size // 8, 3), dtype=np.uint8)
            image = Image.fromarray(small).resize((size, size), Image.BILINEAR)
            image.save(os.path.join(root, name, f"{i:05d}.jpg"), quality=90)


def commands(src, dst):
    python = sys.executable
    balance = [python, "-m", "imgbalance", "balance", src, dst, "--quiet"]
    out = {
        "imgbalance --jobs 1": balance + ["--jobs", "1"],
        "imgbalance --jobs 2": balance + ["--jobs", "2"],
        "Pillow script": [
            python,
            os.path.join(HERE, "folder_peers", "pillow_balance.py"),
            src,
            dst,
        ],
        "imgbalance image loop": [
            python,
            os.path.join(HERE, "folder_peers", "imgbalance_loop.py"),
            src,
            dst,
        ],
    }
    try:
        import Augmentor  # noqa: F401
    except ImportError:
        print("  (Augmentor is not installed: pip install Augmentor==0.2.12)")
    else:
        script = os.path.join(HERE, "folder_peers", "augmentor_balance.py")
        out["Augmentor 0.2.12"] = [python, script, src, dst]
    return out


def bytecode_env(work):
    """The environment the programs run in: bytecode cached in ``work``
    (written by :func:`compile_all`), whatever the caller's environment
    says of caches."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(work, "pycache")
    return env


def compile_all(env):
    """Compile imgbalance and the peers' scripts into ``env``'s caches."""
    import imgbalance

    folders = [os.path.dirname(imgbalance.__file__), HERE]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *folders], env=env, check=True
    )


def run(command, dst, env=None):
    """Wall and CPU seconds of ``command`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(dst)
    return wall, cpu


def bench_folder(work, name, counts, rounds):
    src = os.path.join(work, "src")
    make_folder(src, counts)
    made = sum(max(counts.values()) - n for n in counts.values())
    dst = os.path.join(work, "dst")
    runs = commands(src, dst)
    env = bytecode_env(work)
    compile_all(env)
    walls = {label: [] for label in runs}
    cpus = {label: [] for label in runs}
    for _ in range(rounds):
        for label, command in runs.items():
            wall, cpu = run(command, dst, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
    shutil.rmtree(src)
    wall = {label: statistics.median(times) for label, times in walls.items()}
    cpu = {label: statistics.median(times) for label, times in cpus.items()}
    fastest = {label: min(times) for label, times in walls.items()}
    print(f"{name} ({counts}; {made} images to make), median of {rounds}:")
    for label in runs:
        print(
            f"  {label:<22} wall {wall[label]:6.2f} s   CPU {cpu[label]:6.2f} s   "
            f"CPU {1000 * cpu[label] / made:5.2f} ms/image made"
        )
    one, two = wall["imgbalance --jobs 1"], wall["imgbalance --jobs 2"]
    pillow = wall["Pillow script"]
    print(f"  {name}: imgbalance --jobs 1 / Pillow script wall: {one / pillow:.2f}x")
    print(f"  {name}: imgbalance --jobs 2 / Pillow script wall: {two / pillow:.2f}x")
    for label in ("imgbalance --jobs 1", "imgbalance --jobs 2"):
        ratio = fastest[label] / fastest["Pillow script"]
        print(
            f"  {name}: {label} / Pillow script wall, fastest rounds "
            f"({fastest[label]:.2f} s, {fastest['Pillow script']:.2f} s): "
            f"{ratio:.2f}x"
        )
    print(f"  {name}: imgbalance --jobs 2 speed-up over --jobs 1: {one / two:.2f}x")
    loop = wall["imgbalance image loop"]
    print(f"  {name}: imgbalance image loop / Pillow script wall: {loop / pillow:.2f}x")
    print(f"  {name}: imgbalance --jobs 1 / its image loop wall: {one / loop:.2f}x")
    per_image = cpu["imgbalance --jobs 2"] / cpu["imgbalance --jobs 1"]
    print(f"  {name}: CPU per image, --jobs 2 / --jobs 1: {per_image:.2f}x")
    if "Augmentor 0.2.12" in wall:
        theirs = wall["Augmentor 0.2.12"]
        for label, ours in [("--jobs 1", one), ("--jobs 2", two)]:
            print(
                f"  {name}: imgbalance {label} speed-up over Augmentor: "
                f"{theirs / ours:.2f}x (fastest rounds: "
                f"{fastest['Augmentor 0.2.12'] / fastest['imgbalance ' + label]:.2f}x)"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
    parser.add_argument("--folders", nargs="*", default=list(FOLDERS))
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    for name in args.folders:
        work = tempfile.mkdtemp(prefix="bench-folder-", dir=args.dir)
        try:
            bench_folder(work, name, FOLDERS[name], args.rounds)
        finally:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
