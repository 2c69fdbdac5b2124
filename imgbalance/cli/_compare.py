"""The ``imgbalance compare`` subcommand; its ``HELP`` is what ``--help`` says."""

import argparse
import math
import os
import sys
import time
import warnings

import numpy as np

from ._jobs_option import add_jobs_option
from ._output import fail, print_json, say
from ._progress import Progress
from ._seed_option import add_seed_option
from ._signals import Stopped, signals_stop

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Which remedy for this dataset? Compare balancing strategies by cross-validation.

Reads every image of DIR once (at most 64 pixels a side), fits each
strategy of the standard panel (none, class weights, random over- and
under-sampling, moderate over-sampling with class weights, augmentation,
TrivialAugment, embedding under-sampling, EmbeddingSMOTE, EmbeddingSMOTE +
ENN) on the training folds of a repeated stratified cross-validation and
scores it on the test folds (balanced accuracy, macro F1, G-mean), with
intervals and paired tests against class weights corrected for the overlap
of training sets. Recommends the strategy with the largest expected gain
over class weights, each measured gain weighed against its noise (class
weights when none is expected to gain, or when the folds score no better
than chance, as on random images); says why, and how to apply it. With
--test, every strategy is also fitted on all of DIR and scored on TEST.
Changes nothing. Exit status: 0 done, 2 usage error or a worker process
lost (killed: use fewer --jobs), 128 + the number of a signal that
stopped it: 130 Ctrl-C, 143 SIGTERM, 129 a closed terminal (SIGHUP)...
"""

PROG = "imgbalance compare"


def _seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(
            f"give a number of seconds above 0; got {text!r}"
        )
    return value


def format_parser(parser):
    """Add the arguments of ``imgbalance compare`` to ``parser``."""
    parser.add_argument("src", metavar="DIR", help="the dataset: DIR/<class>/<image>")
    parser.add_argument(
        "--test", metavar="TEST", help="a held-out folder to score each strategy on"
    )
    add_jobs_option(parser, "fitting folds")
    parser.add_argument(
        "--max-time",
        type=_seconds,
        metavar="SECONDS",
        help="start no round of folds after this: end cleanly with the folds done",
    )
    add_seed_option(parser)
    parser.add_argument(
        "--report", metavar="FILE.html", help="also write a self-contained HTML page"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print only the recommendation"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the comparison as JSON on stdout"
    )


def _num(value, spec, width):
    """A number right-aligned in ``width`` ("-" for NaN or None)."""
    if value is None or math.isnan(value):
        return "-".rjust(width)
    return format(value, spec).rjust(width)


def _text(comparison, rows, held_out, applied):
    metric = comparison.metrics[0]
    width = max(len("strategy"), *(len(r["strategy"]) for r in rows))
    head = (
        f"{'strategy'.ljust(width)}  {metric:>17}  95 % interval  vs baseline"
        "     p  expected"
    )
    lines = [head + ("  held-out" if held_out else "")]
    ranked = sorted(
        rows, key=lambda r: -(r[metric] if not math.isnan(r[metric]) else -1)
    )
    for r in ranked:
        low, high = r[f"{metric} low"], r[f"{metric} high"]
        interval = "-" if math.isnan(low) else f"{low:.3f}-{high:.3f}"
        line = (
            f"{r['strategy'].ljust(width)}  {_num(r[metric], '.3f', 17)}  "
            f"{interval:>13}  {_num(r['vs baseline'], '+.3f', 11)}  "
            f"{_num(r['p vs baseline'], '.2f', 4)}  "
            f"{_num(r['expected gain'], '+.3f', 8)}"
        )
        if held_out:
            value = held_out[r["strategy"]].get(metric)
            line += f"  {_num(value, '.3f', 8)}" if value is not None else "    failed"
        if r["failed folds"]:
            line += f"  ({r['failed folds']} fold(s) failed)"
        lines.append(line)
    lines.append(f"recommended: {comparison.recommendation}")
    lines.append(f"why: {comparison.reason}")
    lines += ["to apply it:"] + [f"  {line}" for line in applied]
    return "\n".join(lines)


def main(args):
    """Run ``imgbalance compare``; return the exit code."""
    for what, folder in [("DIR", args.src), ("TEST", args.test)]:
        if folder is not None and not os.path.isdir(folder):
            state = "is a file" if os.path.exists(folder) else "does not exist"
            return fail(
                PROG,
                f"{what} {folder!r} {state}; give a folder-per-class dataset.",
                2,
                args.json,
            )
    if args.report is not None:
        from ..report._page import check_report_path

        folders = {"DIR": args.src, **({"TEST": args.test} if args.test else {})}
        problem = check_report_path(args.report, "--report", folders)
        if problem:
            return fail(PROG, problem, 2, args.json)
    progress = Progress(not (args.quiet or args.json), unit="fit")
    try:
        with signals_stop():
            outcome = _compare(args, progress)
    except Stopped as exc:
        return fail(
            PROG,
            f"interrupted ({exc.name}); nothing was written.",
            128 + exc.signum,
            args.json,
        )
    except (OSError, ValueError) as exc:
        return fail(PROG, exc, 2, args.json)
    finally:
        progress.close()
    comparison, rows, held_out, applied, notes = outcome
    if args.json:
        print_json(
            {
                "recommendation": comparison.recommendation,
                "reason": comparison.reason,
                "apply": applied,
                "complete": comparison.complete,
                "strategies": rows,
                "held_out": held_out,
                "failures": comparison.failures,
                "notes": notes,
                "html_report": args.report,
                "exit_code": 0,
            }
        )
    elif args.quiet:
        say(comparison.recommendation)
    else:
        say(_text(comparison, rows, held_out, applied))
        for note in notes:
            print(f"{PROG}: note: {note}", file=sys.stderr)
        if args.report:
            say(f"report written to {args.report}")
    return 0


def _compare(args, progress):
    from ..model_selection._advice import how_to_apply
    from ..model_selection._compare import TimeBudget, prepare, run_rounds

    started = time.monotonic()  # --max-time counts the whole command
    data = _load(args.src, args.jobs)
    notes = [f"left out {u['path']}: {u['reason']}" for u in data.unreadable]
    y = [data.target_names[t] for t in data.target]
    test = _load(args.test, args.jobs) if args.test else None
    with warnings.catch_warnings(record=True) as caught:  # said as notes
        warnings.simplefilter("always")
        setup = prepare(
            data.paths,
            y,
            strategies="standard",
            features="auto",
            classifier=None,
            cv=None,
            groups=None,
            random_state=args.seed,
        )
    notes += list(dict.fromkeys(str(w.message) for w in caught))
    # the held-out fits: about one round of folds on all of DIR
    train = np.mean([len(part) for part, _ in setup.folds])
    reserve = len(setup.y) / train if test is not None else 0.0
    budget = TimeBudget(args.max_time, started=started, reserve=reserve)
    comparison = run_rounds(setup, args.jobs, budget, progress)
    if not comparison.complete:
        folds = comparison.rows()[0]["folds"] + comparison.rows()[0]["failed folds"]
        notes.append(
            f"--max-time {args.max_time:g}: {folds} of {len(setup.folds)} folds "
            "were run before it (fewer folds: wider intervals)"
        )
    held_out = None
    if test is not None:
        test_y = [test.target_names[t] for t in test.target]
        held_out = comparison.held_out(
            setup.images, setup.y, test.paths, test_y, n_jobs=args.jobs
        )
        unknown = sorted(set(test_y) - set(y))
        if unknown:
            notes.append(
                f"TEST has classes DIR has not ({', '.join(unknown)}): no strategy "
                "can predict them, and their recall is 0"
            )
    applied = how_to_apply(comparison, comparison.recommendation, args.src)
    rows = comparison.rows()
    if args.report:
        from ..report import compare_report

        compare_report(
            comparison,
            args.report,
            title=args.src,
            applied=applied,
            held_out=held_out,
            notes=notes,
        )
    return comparison, rows, held_out, applied, notes


def _load(folder, jobs):
    """The folder's images (those readable) and labels."""
    from ..datasets import load_image_folder

    with warnings.catch_warnings():  # the empty classes are noted below
        warnings.simplefilter("ignore", UserWarning)
        return load_image_folder(folder, on_error="skip", n_jobs=jobs)
