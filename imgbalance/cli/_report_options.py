"""The ``--report`` and ``--thumbnails`` options that inspect and balance
share: a count below 0 is a usage error of the parser itself."""

import argparse

__all__ = ["add_report_options"]


def _image_count(text):
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(
            f"give 0 or more images per class; got {text!r}"
        )
    return count


def add_report_options(parser, report_help, thumbnails_help):
    """Add ``--report FILE.html`` and ``--thumbnails N`` (default 12)."""
    parser.add_argument("--report", metavar="FILE.html", help=report_help)
    parser.add_argument(
        "--thumbnails",
        type=_image_count,
        default=12,
        metavar="N",
        help=thumbnails_help + " (default: 12)",
    )
