"""The ``imgbalance leaks`` subcommand; its ``HELP`` is what ``--help`` says."""

import os

from ._jobs_option import add_jobs_option
from ._output import fail, print_json, say
from ._report_options import add_report_options
from ._signals import Stopped, signals_stop
from ._writing_command import threshold_bits

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """List the images of TEST with a near-duplicate in TRAIN: leaks between two folders.

Hashes every image file of both folder-per-class datasets once (the
perceptual hash) and lists each test image whose near-duplicate (a
re-encoded, resized, slightly shifted or brightened copy) is in TRAIN, with
the bits apart and both paths; a score measured on TEST would then measure
memory. Changes nothing in either folder. Exit status: 0 no leak, 1 leaks
found (they are listed), 2 usage error (a folder missing, --report refused),
128 + the number of a signal that stopped it: 130 Ctrl-C, 143 SIGTERM,
129 a closed terminal (SIGHUP)...
"""

PROG = "imgbalance leaks"


def format_parser(parser):
    """Add the arguments of ``imgbalance leaks`` to ``parser``."""
    parser.add_argument("train", metavar="TRAIN", help="the training folder")
    parser.add_argument("test", metavar="TEST", help="the test folder")
    parser.add_argument(
        "--threshold",
        type=threshold_bits,
        metavar="BITS",
        help="bits of 64 two near-duplicates' hashes may differ by (default: 8)",
    )
    add_jobs_option(parser, "hashing (threads)")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but errors; the status tells",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON on stdout"
    )
    add_report_options(
        parser,
        "also write a self-contained HTML page with each leak's two images side "
        "by side; outside both folders",
        "leaks shown with thumbnails in the --report page",
    )


def _text(report):
    lines = [
        f"train: {report['train']} ({report['n_train']} images)",
        f"test: {report['test']} ({report['n_test']} images)",
        f"{report['n_leaks']} test image(s) with a near-duplicate in train (perceptual "
        f"hash, at most {report['threshold']} of 64 bits apart"
        + (
            f"; {report['across_classes']} across classes"
            if report["across_classes"]
            else ""
        )
        + ")"
        + (":" if report["leaks"] else ""),
    ]
    for leak in report["leaks"]:
        nearest = leak["train"][0]
        more = f" and {len(leak['train']) - 1} more" if len(leak["train"]) > 1 else ""
        lines.append(
            f"  {leak['test']} ~ {nearest['path']} ({nearest['distance']} bits{more})"
        )
    for bad in report["unreadable"]:
        lines.append(f"unreadable in {bad['folder']}: {bad['path']}: {bad['reason']}")
    return "\n".join(lines)


def main(args):
    """Run ``imgbalance leaks``; return the exit code."""
    for what, folder in [("TRAIN", args.train), ("TEST", args.test)]:
        if not os.path.isdir(folder):
            state = "is a file" if os.path.exists(folder) else "does not exist"
            message = f"{what} {folder!r} {state}; give a folder-per-class dataset."
            return fail(PROG, message, 2, args.json)
    if args.report is not None:
        from ..report._page import check_report_path

        problem = check_report_path(
            args.report, "--report", {"TRAIN": args.train, "TEST": args.test}
        )
        if problem:
            return fail(PROG, problem, 2, args.json)
    try:
        with signals_stop():
            from ..folder import find_folder_leaks

            report = find_folder_leaks(
                args.train, args.test, threshold=args.threshold, n_jobs=args.jobs
            )
            if args.report:
                from ..report import leaks_report

                leaks_report(report, args.report, thumbnails=args.thumbnails)
    except Stopped as exc:
        message = f"interrupted ({exc.name}); nothing was written."
        return fail(PROG, message, 128 + exc.signum, args.json)
    except (OSError, ValueError) as exc:
        return fail(PROG, exc, 2, args.json)
    code = 1 if report["leaks"] else 0
    if args.json:
        print_json(dict(report, html_report=args.report, exit_code=code))
    elif not args.quiet:
        say(_text(report))
        if args.report:
            say(f"report written to {args.report}")
    return code
