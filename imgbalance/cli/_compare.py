"""The ``imgbalance compare`` subcommand; its ``HELP`` is what ``--help`` says."""

import argparse
import math
import os
import sys
import warnings

import numpy as np

from ._jobs_option import add_jobs_option
from ._output import fail, print_json, say
from ._progress import Progress
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
of training sets. Recommends the baseline unless a strategy beats it
clearly, then the simplest one within a standard error of the best; says
why, and how to apply it. With --test, every strategy is also fitted on
all of DIR and scored on TEST. Changes nothing. Exit status: 0 done, 2
usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
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
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--report", metavar="FILE.html", help="also write a self-contained HTML page"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print only the recommendation"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the comparison as JSON on stdout"
    )


def _text(comparison, rows, held_out, applied):
    metric = comparison.metrics[0]
    width = max(len("strategy"), *(len(r["strategy"]) for r in rows))
    head = f"{'strategy'.ljust(width)}  {metric:>17}  95 % interval  vs baseline     p"
    lines = [head + ("  held-out" if held_out else "")]
    ranked = sorted(
        rows, key=lambda r: -(r[metric] if not math.isnan(r[metric]) else -1)
    )
    for r in ranked:
        line = (
            f"{r['strategy'].ljust(width)}  {r[metric]:17.3f}  "
            f"{r[f'{metric} low']:.3f}-{r[f'{metric} high']:.3f}  "
            f"{r['vs baseline']:+11.3f}  {r['p vs baseline']:4.2f}"
        ).replace("nan", " - ")
        if held_out:
            value = held_out.get(r["strategy"])
            line += f"  {value:8.3f}" if value is not None else "         -"
        if r["failed folds"]:
            line += f"  ({r['failed folds']} fold(s) failed)"
        lines.append(line)
    lines.append(f"recommended: {comparison.recommendation}")
    lines.append(f"why: {comparison.reason}")
    lines += ["to apply it:"] + [f"  {line}" for line in applied]
    return "\n".join(lines)


def _held_out(comparison, images, y, test):
    """Each strategy fitted on all of DIR, scored on TEST (balanced
    accuracy): strategy -> score (None where it failed)."""
    from sklearn.metrics import balanced_accuracy_score

    from ..model_selection._compare import _images, _panel, _pipeline

    panel = {s.name: s for s in _panel("standard", comparison.seed)}
    test_images = _images(test.paths)
    test_labels = [test.target_names[t] for t in test.target]
    out = {}
    for name in comparison.strategies:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = _pipeline(
                    panel[name], comparison.features, comparison.classifier
                )
                model.fit(images, y)
                predicted = model.predict(test_images)
            out[name] = float(balanced_accuracy_score(test_labels, predicted))
        except Exception:  # said as a missing score
            out[name] = None
    return out


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
    from ..datasets import load_image_folder
    from ..model_selection import compare_strategies
    from ..model_selection._advice import how_to_apply
    from ..model_selection._compare import _images

    with warnings.catch_warnings():  # the empty classes are noted below
        warnings.simplefilter("ignore", UserWarning)
        data = load_image_folder(args.src, on_error="skip", n_jobs=args.jobs)
    notes = [f"left out {u['path']}: {u['reason']}" for u in data.unreadable]
    y = [data.target_names[t] for t in data.target]
    images = _images(data.paths)  # read once, for the folds and --test
    comparison = compare_strategies(
        images,
        y,
        n_jobs=args.jobs,
        random_state=args.seed,
        max_time=args.max_time,
        progress=progress,
    )
    comparison.seed = args.seed
    if not comparison.complete:
        folds = int((~np.isnan(comparison.scores[comparison.metrics[0]][0])).sum())
        notes.append(
            f"--max-time {args.max_time:g}: {folds} fold(s) were run before it"
        )
    held_out = None
    if args.test:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            test = load_image_folder(args.test, on_error="skip", n_jobs=args.jobs)
        held_out = _held_out(comparison, images, y, test)
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
