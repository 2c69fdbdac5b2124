"""What the commands that write a folder (balance, split) share: their
common options, the console of a run, and the message of a run that did
not finish."""

import argparse
import os
import signal
import sys

from ..utils._display import shown_name
from ..utils._spill import SpillError
from ._output import fail, print_json, say
from ._progress import Progress
from ._signals import Stopped, signals_stop

__all__ = [
    "RunConsole",
    "add_run_options",
    "failure",
    "report_problem",
    "run_writing_command",
    "threshold_bits",
]


def threshold_bits(text):
    """``--threshold``: bits of a 64-bit hash, 0 to 32."""
    try:
        bits = int(text)
    except ValueError:
        bits = -1
    if not 0 <= bits <= 32:
        raise argparse.ArgumentTypeError(f"give 0 to 32 bits of 64; got {text!r}")
    return bits


def add_run_options(parser):
    """Add ``--on-error``, ``--dry-run``, ``--resume``, ``--quiet`` and
    ``--json``."""
    parser.add_argument(
        "--on-error",
        choices=["fail", "skip"],
        default="fail",
        help="unreadable source files: refuse to start (default) or leave them out",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan, write nothing"
    )
    parser.add_argument(
        "--resume", action="store_true", help="complete an interrupted run in DST"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no plan, summary or progress bar"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON on stdout"
    )


class RunConsole:
    """What a writing command shows while it runs: the plan (``plan_text``
    of the summary, under ``first_line``), files left out and notes (on
    standard error, also with --json), a progress bar on a terminal, and
    the last lines."""

    def __init__(self, args, prog, first_line, plan_text):
        self.args, self.prog = args, prog
        self.first_line, self.plan_text = first_line, plan_text
        self.text = not (args.quiet or args.json)
        self.progress = Progress(not (args.quiet or args.dry_run))

    def on_plan(self, plan):
        if self.text:
            say(self.first_line)
            say(self.plan_text(plan))
        if not self.args.quiet:
            for skipped in plan["skipped"]:
                print(
                    f"{self.prog}: left out {shown_name(skipped['path'])}: "
                    f"{skipped['reason']}",
                    file=sys.stderr,
                )
            for note in plan["notes"]:
                print(f"{self.prog}: note: {note}", file=sys.stderr)
        self.progress.start(plan["planned_files"])

    def close(self):
        self.progress.close()

    def done(self, summary):
        """The last lines of a run that ended."""
        if not self.text:
            return
        skipped = len(summary["skipped"])
        left_out = (
            f"{skipped} unreadable file{'s' * (skipped != 1)} left out, listed above"
            if skipped
            else ""
        )
        if summary["dry_run"]:
            said = f" ({left_out})" if left_out else ""
            say(
                f"dry run: {summary['planned_files']} files planned{said}, none written"
            )
        else:
            earlier = summary["already_done"]
            said = [f"{earlier} were there from the earlier run"] * bool(earlier)
            said += [left_out] * bool(left_out)
            say(
                f"wrote {summary['written']} files"
                + (f" ({'; '.join(said)})" if said else "")
                + f"; manifest: {summary['manifest']}"
            )
        if self.args.report:
            say(f"report written to {self.args.report}")


def failure(exc, refused, dst, strategy=True):
    """The one-line message and exit code of a run that did not finish:
    ``exc`` a signal (128 + its number), a refusal (``refused``: 2), or
    running out of memory, a temporary folder without room, or an error of
    the system (3). ``strategy``: the command has ``--strategy`` (to ask
    for fewer images with)."""
    if isinstance(exc, Stopped):
        message = (
            f"interrupted ({exc.name}); the files written so far are complete: "
            "run again with --resume to finish."
            if os.path.isdir(dst)
            else f"interrupted ({exc.name}) before anything was written."
        )
        return message, 128 + exc.signum
    if isinstance(exc, refused):
        return exc, 2
    if isinstance(exc, SpillError):  # made while planning: DST untouched
        return f"stopped before anything was written: {exc}.", 3
    if isinstance(exc, MemoryError):
        fewer = (
            "Ask for fewer images with --strategy or use fewer --jobs"
            if strategy
            else "Use fewer --jobs"
        )
        message = (
            f"stopped: out of memory. {fewer}; the files written so far (if "
            "any) are complete, and --resume finishes."
        )
        return message, 3
    # disk full, permissions, a cluster lost...: stopped midway
    if not os.path.isdir(dst):  # before DST was made: nothing to resume
        return f"stopped before anything was written: {exc}.", 3
    message = (
        f"stopped: {exc}. The files written so far are complete; fix the "
        "cause and run again with --resume to finish."
    )
    return message, 3


def run_writing_command(args, prog, console, run, write_page):
    """The whole of a writing command once its options are parsed:
    ``run(console)`` makes the run and returns ``(summary, signals Python
    ignored)``; ``write_page(summary, path, thumbnails)`` writes ``--report``
    once DST is complete. Returns the exit code, every failure one line."""
    from ..folder._refusal import BalanceRefused

    try:
        summary, received = run(console)
    except (Stopped, BalanceRefused, MemoryError, OSError) as exc:
        message, code = failure(
            exc, BalanceRefused, args.dst, hasattr(args, "strategy")
        )
        return fail(prog, message, code, args.json)
    finally:
        console.close()
    if received:  # a signal Python ignored: the run went on to its end
        name = signal.Signals(received[0]).name
        message = f"interrupted ({name}) as the run ended; DST is complete."
        return fail(prog, message, 128 + received[0], args.json)
    code = 1 if summary["skipped"] else 0
    if args.report:
        try:
            with signals_stop():
                write_page(summary, args.report, thumbnails=args.thumbnails)
        except Stopped as exc:
            message = f"interrupted ({exc.name}) writing --report; DST is complete."
            return fail(prog, message, 128 + exc.signum, args.json)
        except (OSError, ValueError) as exc:
            message = (
                f"DST is complete, but --report {args.report!r} cannot be "
                f"written: {exc}"
            )
            return fail(prog, message, 4, args.json)
    if args.json:
        print_json(dict(summary, html_report=args.report, exit_code=code))
    console.done(summary)
    return code


def report_problem(args):
    """Why ``--report`` cannot be honoured, or None; found before anything
    is read or written."""
    if args.report is None:
        return None
    if args.dry_run:
        return (
            "--report shows the images written, and --dry-run writes none; "
            "drop one of them."
        )
    from ..report._page import check_report_path

    return check_report_path(
        args.report, "--report", {"SRC": args.src, "DST": args.dst}
    )
