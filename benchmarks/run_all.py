"""Run every benchmark and gather their ratios into one markdown table.

Runs each ``bench_*.py`` script of this folder (and ``quality.py``, whose
own table goes to ``docs/quality.md``) in turn, in this Python, and keeps
every line of their output that states a ratio (``1.23x``) or a peak
memory: one row per line, with the machine it ran on. ``make bench`` runs
this in its own environment, with the peers of ``requirements.txt``.

Run: ``python benchmarks/run_all.py --output docs/bench_table.md``.
"""

import argparse
import datetime
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
SCRIPTS = [
    "bench_random.py",
    "bench_augment.py",
    "bench_features.py",
    "bench_smote.py",
    "bench_duplicates.py",
    "bench_leaks.py",
    "bench_folder.py",
    "bench_folder_dask.py",
    "bench_folder_memory.py",
    "bench_memory.py",
    "bench_torch_features.py",
]
# the lines that state results: ratios ("1.23x"), rates, memory, start-up
# times, and the table of bench_random.py ("ours/gather" header, one row per
# sampler)
RESULT = re.compile(
    r"\d+\.\d+x|peak RSS|images/s|ours/|^Random\w+Sampler |path strings"
    r"|worker processes|ms/image"
)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if "model name" in line
            ]
            cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def run(script):
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(HERE / script)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    lines = [
        line.strip()
        for line in process.stdout.replace("\r", "\n").splitlines()
        if RESULT.search(line)
    ]
    if process.returncode != 0:
        lines.append(f"FAILED (exit {process.returncode}): " + process.stderr[-300:])
    return lines, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="write the markdown table here too")
    parser.add_argument(
        "--quality", action="store_true", help="also run quality.py (docs/quality.md)"
    )
    args = parser.parse_args()
    rows = []
    for script in SCRIPTS:
        print(f"running {script} ...", flush=True)
        lines, seconds = run(script)
        rows += [(script, line) for line in lines]
        print(f"  {len(lines)} result lines in {seconds:.0f} s", flush=True)
    if args.quality:
        subprocess.run(
            [
                sys.executable,
                str(HERE / "quality.py"),
                "--output",
                str(HERE.parent / "docs" / "quality.md"),
            ],
            check=True,
        )
    today = datetime.date.today().isoformat()
    text = (
        "\n".join(
            [
                f"Benchmarks run on {today}: {machine()}.",
                "",
                "| benchmark | result |",
                "|---|---|",
            ]
            + [f"| {script} | {line.replace('|', '/')} |" for script, line in rows]
        )
        + "\n"
    )
    print(text)
    if args.output:
        pathlib.Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
