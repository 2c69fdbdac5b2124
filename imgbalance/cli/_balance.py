"""The ``imgbalance balance`` subcommand; its ``HELP`` is what ``--help`` says."""

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
)

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Write a balanced copy of a folder-per-class dataset, safely.

Writes DST/<class>/ with the originals and the generated images, and
DST/manifest.csv with one row per output file (output, class, source,
method, seed, parameters applied, note). Never writes into SRC; refuses a
DST equal to, inside or around SRC, and a non-empty DST it did not write
unless --resume (which completes an interrupted run: the result equals an
uninterrupted one). Every file is written under a temporary name, then
renamed. Exit status: 0 done, 1 done with unreadable files left out
(--on-error skip), 2 usage error or refusal (nothing written; with --dask:
no scheduler, no workers, or workers that do not see SRC and DST), 3
stopped by an error while writing (such as a full disk, a worker process
killed, or the --dask cluster lost; --resume finishes the run) or, before
anything is written, by a temporary folder (TMPDIR) without room or such an
error,
4 DST complete but the --report page could not be written, 128 + the
number of a signal that stopped it: 130 Ctrl-C, 143 SIGTERM, 129 a closed
terminal (SIGHUP)... (--resume finishes).
"""

PROG = "imgbalance balance"


def format_parser(parser):
    """Add the arguments of ``imgbalance balance`` to ``parser``."""
    parser.add_argument("src", metavar="SRC", help="the dataset: SRC/<class>/<image>")
    parser.add_argument("dst", metavar="DST", help="the folder to write (new or empty)")
    parser.add_argument(
        "--method",
        choices=["augment", "random", "smote"],
        default="augment",
        help="augmented variants (default), copies, or EmbeddingSMOTE images",
    )
    parser.add_argument(
        "--strategy",
        default="auto",
        help="auto (default: every class but the largest grown to its size), "
        "minority, not-majority, not-minority, all, a float (two classes: the "
        "smaller class's size over the larger's), or CLASS=N,CLASS=N (the size "
        "each named class should reach)",
    )
    add_seed_option(parser)
    add_jobs_option(parser, "checking and writing files")
    parser.add_argument(
        "--originals",
        choices=["copy", "hardlink", "symlink", "none"],
        default="copy",
        help="how the original images reach DST (default: copy)",
    )
    parser.add_argument(
        "--format",
        choices=["keep", "png", "jpeg"],
        default="keep",
        help="file format written (default: each source's own); png keeps pixels exact",
    )
    parser.add_argument(
        "--max-per-class",
        type=_image_count,
        metavar="N",
        help="the most images a class keeps: a larger class keeps N of its "
        "originals, drawn by the seed, and the others grow towards N (default: "
        "no cap)",
    )
    parser.add_argument(
        "--dask",
        metavar="SCHEDULER_ADDRESS",
        help="write on a Dask distributed cluster (tcp://HOST:8786) whose "
        "workers see SRC and DST at the same paths; checked before anything is "
        "written; files checked and written there (--jobs not used; the first "
        "files checked here while the cluster is reached), the same bytes as "
        "without it (needs imgbalance[dask])",
    )
    add_run_options(parser)
    add_report_options(
        parser,
        "when done, also write a self-contained HTML page: counts before and "
        "after, and generated images beside their sources, captioned with what "
        "was applied; outside SRC and DST",
        "generated images shown per grown class in the --report page",
    )


def _image_count(text):
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"give 1 or more images; got {text!r}")
    return count


def _plan_text(summary):
    names = [shown_name(c["name"]) for c in summary["classes"]]
    width = max([len("class")] + [len(name) for name in names])
    lines = [f"{'class'.ljust(width)}  before ->  after"]
    for name, c in zip(names, summary["classes"]):
        lines.append(f"{name.ljust(width)}  {c['before']:6d} -> {c['after']:6d}")
    if summary["empty_classes"]:
        lines.append(
            "class folders without images, left out: "
            + ", ".join(map(shown_name, summary["empty_classes"]))
        )
    return "\n".join(lines)


def _strategy_text(value):
    """A ``strategy`` value as typed after ``--strategy``."""
    if isinstance(value, dict):
        return ",".join(f"{name}={count}" for name, count in value.items())
    return str(value)


# the library's parameters as this command's flags: its messages say these
FLAGS = {
    "method": ("--method", str),
    "strategy": ("--strategy", _strategy_text),
    "seed": ("--seed", str),
    "n_jobs": ("--jobs", str),
    "originals": ("--originals", str),
    "image_format": ("--format", str.lower),
    "on_error": ("--on-error", str),
    "max_per_class": ("--max-per-class", str),
    "resume": ("--resume", str),
    "dask": ("--dask", str),
}


def _balance(args, console):
    """Run the library's balance_folder with the command's options, inside
    the command's signal handling; returns its summary and the signals
    Python ignored while it ran."""
    from ..folder._refusal import spoken_as

    with signals_stop() as received, spoken_as(FLAGS):
        # imported here: a Ctrl-C while it loads is a stop as well
        from ..folder import balance_folder

        summary = balance_folder(
            args.src,
            args.dst,
            method=args.method,
            strategy=args.strategy,
            seed=args.seed,
            n_jobs=args.jobs,
            originals=args.originals,
            image_format=args.format,
            on_error=args.on_error,
            max_per_class=args.max_per_class,
            resume=args.resume,
            dry_run=args.dry_run,
            on_plan=console.on_plan,
            progress=console.progress,
            dask=args.dask,
        )
    return summary, received


def main(args):
    """Run ``imgbalance balance``; return the exit code."""
    problem = report_problem(args)
    if problem:
        return fail(PROG, problem, 2, args.json)
    console = RunConsole(
        args, PROG, f"{args.method}: {args.src} -> {args.dst}", _plan_text
    )

    def write_page(summary, path, thumbnails):
        from ..report import balance_report

        balance_report(summary, path, thumbnails=thumbnails)

    return run_writing_command(
        args, PROG, console, lambda console: _balance(args, console), write_page
    )
