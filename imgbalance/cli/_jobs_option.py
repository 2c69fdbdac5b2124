"""The ``--jobs`` option that inspect and balance share: anything but a
positive number or -1 is a usage error of the parser itself."""

import argparse

__all__ = ["add_jobs_option"]


def _job_count(text):
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1 and count != -1:
        raise argparse.ArgumentTypeError(
            f"give a number of jobs (1, 2...), or -1 for one per core; got {text!r}"
        )
    return count


def add_jobs_option(parser, work):
    """Add ``--jobs N`` (default 1): the parallel jobs doing ``work``."""
    parser.add_argument(
        "--jobs",
        type=_job_count,
        default=1,
        metavar="N",
        help=f"parallel jobs {work} (default: 1; -1: one per core)",
    )
