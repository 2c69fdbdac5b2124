"""``imgbalance balance --dask`` against ``--jobs 1``, the whole command.

Makes the 5000-JPEG folder of ``bench_folder.py`` (64x64, 4167 / 417 / 416
images: 7917 images to make), starts a Dask ``LocalCluster`` of two worker
processes of one thread each on loopback (a standing cluster, as users
have one: its start is not timed), then times, in alternating rounds,
each command in a fresh process: ``--jobs 1``, ``--jobs 2`` and
``--dask ADDRESS`` (the files checked and written on the workers). Prints
each median wall time, its ratio to ``--jobs 1``, the CPU time of the
command's process (with the processes it forks: ``--jobs 2``'s workers,
and those that check SRC's first files while ``--dask`` connects) and of
each worker (an idle worker's heartbeats included: a few tenths of a
second), and checks that every run wrote the same bytes.

Also timed in each round: ``--jobs 1`` and ``--dask`` on the 10-JPEG
folder. The difference is what ``--dask`` pays whatever the work
(importing Dask's client, connecting, the tasks' round trips).

Run: ``python benchmarks/bench_folder_dask.py`` (needs ``imgbalance[dask]``;
folders in /dev/shm where it exists).
"""

import argparse
import hashlib
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_folder import FOLDERS, make_folder


def tree_digest(folder):
    digest = hashlib.sha256()
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            digest.update(os.path.relpath(path, folder).encode())
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()


def cpu_seconds():
    """User + system CPU seconds of this process (run on each worker too)."""
    times = os.times()
    return times.user + times.system


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, dst, client):
    """Wall seconds, CPU seconds of the command and of the cluster's workers
    (each), and the digest of what it wrote."""
    workers = client.run(cpu_seconds)
    before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{done.stderr}")
    cpu = children_cpu() - before
    after = client.run(cpu_seconds)
    on_workers = sorted(after[w] - workers.get(w, 0.0) for w in after)
    digest = tree_digest(dst)
    shutil.rmtree(dst)
    return wall, cpu, on_workers, digest


SMALL_ONE, SMALL_DASK = "10 JPEGs, --jobs 1", "10 JPEGs, --dask"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", default="5000 JPEGs", choices=list(FOLDERS))
    parser.add_argument(
        "--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    work = tempfile.mkdtemp(prefix="bench-folder-dask-", dir=args.dir)
    try:
        src, dst = os.path.join(work, "src"), os.path.join(work, "dst")
        make_folder(src, FOLDERS[args.folder])
        small = os.path.join(work, "small")
        make_folder(small, FOLDERS["10 JPEGs"])
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as client,
        ):
            balance = [sys.executable, "-m", "imgbalance", "balance", src, dst]
            balance += ["--quiet"]
            dask = ["--dask", cluster.scheduler_address]
            runs = {
                "--jobs 1": balance + ["--jobs", "1"],
                "--jobs 2": balance + ["--jobs", "2"],
                "--dask (2 workers)": balance + dask,
            }
            on_small = [sys.executable, "-m", "imgbalance", "balance", small, dst]
            runs[SMALL_ONE] = on_small + ["--quiet", "--jobs", "1"]
            runs[SMALL_DASK] = on_small + ["--quiet"] + dask
            walls = {label: [] for label in runs}
            cpus = {label: [] for label in runs}
            digests = set()
            for _ in range(args.rounds):
                for label, command in runs.items():
                    wall, cpu, on_workers, digest = timed(command, dst, client)
                    walls[label].append(wall)
                    cpus[label].append((cpu, *on_workers))
                    if label not in (SMALL_ONE, SMALL_DASK):
                        digests.add(digest)
    finally:
        shutil.rmtree(work)
    print(f"{args.folder}, median wall time of {args.rounds} rounds:")
    one = statistics.median(walls["--jobs 1"])
    # what --dask pays whatever the work, each round's pair taken together
    small_one, small_dask = walls.pop(SMALL_ONE), walls.pop(SMALL_DASK)
    fixed = statistics.median(d - o for d, o in zip(small_dask, small_one))
    del cpus[SMALL_ONE], cpus[SMALL_DASK]
    for label, times in walls.items():
        wall = statistics.median(times)
        print(
            f"  {label:<30} {wall:6.2f} s  ({one / wall:.2f}x faster than "
            f"--jobs 1; {wall / one:.2f} of its time)  runs: "
            + " ".join(f"{t:.2f}" for t in times)
        )
    print("  CPU seconds (median): the command's process; each worker's")
    for label, runs in cpus.items():
        columns = [statistics.median(c) for c in zip(*runs)]
        print(
            f"  {label:<30} command {columns[0]:5.2f}   workers "
            + " ".join(f"{c:5.2f}" for c in columns[1:])
        )
    print(
        f"  --dask's fixed cost (10 JPEGs, --dask less --jobs 1): {fixed:.2f} s"
        "  runs: " + " ".join(f"{d:.2f}-{o:.2f}" for d, o in zip(small_dask, small_one))
    )
    print(f"  the same bytes in every run: {len(digests) == 1}")


if __name__ == "__main__":
    main()
