"""The ``imgbalance demo`` subcommand; its ``HELP`` is what ``--help`` says."""

import argparse

from ._jobs_option import add_jobs_option
from ._seed_option import add_seed_option

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Compare balancing strategies on built-in imbalanced digits.

Makes scikit-learn's digits imbalanced (step protocol, ratio 20, half the
classes minority), splits them stratified into train and test, picks a
strategy with GridSearchCV (stratified 3-fold, balanced accuracy) and prints
each strategy's held-out scores, marking the one cross-validation chose.
"""


def _ratio(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1 <= value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"give a ratio of 1 or more (largest over smallest class); got {text!r}"
        )
    return value


def format_parser(parser):
    """Add the demo's arguments to ``parser``."""
    add_seed_option(parser, "random seed of every draw")
    parser.add_argument(
        "--ratio",
        type=_ratio,
        default=20.0,
        help="imbalance ratio, largest over smallest class (default: 20)",
    )
    add_jobs_option(parser, "for the grid search")


def main(args):
    """Run the demo; return the exit code."""
    from ._demo_run import run  # scikit-learn: only when the demo runs

    return run(args)
