"""The ``--seed`` option of the commands that draw: anything but a whole
number from 0 to 2**32 - 1 (what numpy's seeds take) is a usage error of
the parser itself."""

import argparse

__all__ = ["add_seed_option"]

_LARGEST = 2**32 - 1


def _seed(text):
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed <= _LARGEST:
        raise argparse.ArgumentTypeError(
            f"give a whole number from 0 to {_LARGEST}; got {text!r}"
        )
    return seed


def add_seed_option(parser, what="random seed"):
    """Add ``--seed N`` (default 0)."""
    parser.add_argument(
        "--seed", type=_seed, default=0, metavar="N", help=f"{what} (default: 0)"
    )
