"""The ``imgbalance split`` subcommand; its ``HELP`` is what ``--help`` says."""

import argparse

from ..utils._display import shown_name
from ._jobs_option import add_jobs_option
from ._output import fail
from ._report_options import add_report_options
from ._seed_option import add_seed_option
from ._signals import signals_stop
from ._writing_command import (
    RunConsole,
    add_run_options,
    report_problem,
    run_writing_command,
    threshold_bits,
)

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Split a folder-per-class dataset into train and test folders, without leaks.

Writes DST/train/<class>/ and DST/test/<class>/ (and DST/val/ with --val),
each class split by the shares asked for (or --per-class images exactly),
and DST/manifest.csv naming each file's part and group. Near-duplicates
(images whose perceptual hashes are a few bits apart: re-encoded, resized,
slightly shifted copies) and, in a folder written by imgbalance balance,
the images made from one source stay on one side together. Files are
copied byte for byte, or linked. The safety of balance holds: nothing is
written into SRC, everything is checked before the first write, files are
written whole, one run at a time, --resume completes an interrupted split.
Exit status: 0 done, 1 done with unreadable files left out (--on-error
skip), 2 usage error or refusal (nothing written), 3 stopped by an error
while writing, or a worker process killed (--resume finishes), or before
anything is written by a temporary folder (TMPDIR) without room, 4 DST
complete but the --report page could not be written, 128 + the number of a signal that stopped it: 130
Ctrl-C, 143 SIGTERM, 129 a closed terminal (SIGHUP)... (--resume finishes).
"""

PROG = "imgbalance split"


def _share(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"give a fraction of each class, from 0 to below 1; got {text!r}"
        )
    return value


def _counts(text):
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        counts = ()
    if not 1 <= len(counts) <= 2 or min(counts) < 1:
        raise argparse.ArgumentTypeError(
            f"give the test images of each class (1 or more), or TEST,VAL; got {text!r}"
        )
    return counts


def format_parser(parser):
    """Add the arguments of ``imgbalance split`` to ``parser``."""
    parser.add_argument("src", metavar="SRC", help="the dataset: SRC/<class>/<image>")
    parser.add_argument("dst", metavar="DST", help="the folder to write (new or empty)")
    parser.add_argument(
        "--test",
        type=_share,
        default=0.2,
        metavar="F",
        help="the share of each class in DST/test (default: 0.2)",
    )
    parser.add_argument(
        "--val",
        type=_share,
        default=0.0,
        metavar="F",
        help="the share of each class in DST/val (default: 0, no val part)",
    )
    parser.add_argument(
        "--per-class",
        type=_counts,
        metavar="TEST[,VAL]",
        help="instead of shares: exactly this many test (and val) images of each class",
    )
    add_seed_option(parser)
    add_jobs_option(parser, "checking and writing files")
    parser.add_argument(
        "--originals",
        choices=["copy", "hardlink", "reflink"],
        default="copy",
        help="how the files reach DST: copied byte for byte (default), "
        "hard-linked, or reflinked where the file system can",
    )
    parser.add_argument(
        "--threshold",
        type=threshold_bits,
        metavar="BITS",
        help="bits of 64 two near-duplicates' perceptual hashes may differ by "
        "(default: 8)",
    )
    add_run_options(parser)
    add_report_options(
        parser,
        "when done, also write a self-contained HTML page: each class's counts "
        "per part, and the groups kept together with thumbnails; outside SRC "
        "and DST",
        "groups shown with thumbnails in the --report page",
    )


FLAGS = {
    "test": ("--test", str),
    "val": ("--val", str),
    "per_class": (
        "--per-class",
        lambda v: ",".join(map(str, v)) if isinstance(v, (tuple, list)) else str(v),
    ),
    "seed": ("--seed", str),
    "n_jobs": ("--jobs", str),
    "originals": ("--originals", str),
    "on_error": ("--on-error", str),
    "threshold": ("--threshold", str),
    "resume": ("--resume", str),
}


def _plan_text(summary):
    parts = summary["parts"]
    names = [shown_name(c["name"]) for c in summary["classes"]]
    width = max([len("class")] + [len(name) for name in names])
    lines = [f"{'class'.ljust(width)}  " + "  ".join(f"{p:>6}" for p in parts)]
    for name, c in zip(names, summary["classes"]):
        lines.append(f"{name.ljust(width)}  " + "  ".join(f"{c[p]:6d}" for p in parts))
    lines.append(
        f"{summary['n_groups']} group(s) of near-duplicates or derived images "
        "kept on one side"
    )
    return "\n".join(lines)


def _split(args, console):
    from ..folder._refusal import spoken_as

    with signals_stop() as received, spoken_as(FLAGS):
        from ..folder import split_folder  # a Ctrl-C while it loads is a stop

        summary = split_folder(
            args.src,
            args.dst,
            test=args.test,
            val=args.val,
            per_class=args.per_class,
            seed=args.seed,
            n_jobs=args.jobs,
            originals=args.originals,
            on_error=args.on_error,
            threshold=args.threshold,
            dry_run=args.dry_run,
            resume=args.resume,
            on_plan=console.on_plan,
            progress=console.progress,
        )
    return summary, received


def main(args):
    """Run ``imgbalance split``; return the exit code."""
    problem = report_problem(args)
    if problem:
        return fail(PROG, problem, 2, args.json)
    console = RunConsole(args, PROG, f"split: {args.src} -> {args.dst}", _plan_text)

    def write_page(summary, path, thumbnails):
        from ..report import split_report

        split_report(summary, path, thumbnails=thumbnails)

    return run_writing_command(
        args, PROG, console, lambda console: _split(args, console), write_page
    )
