"""The ``imgbalance demo`` subcommand; its ``HELP`` is what ``--help`` says."""

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Compare balancing strategies on built-in imbalanced digits.

Makes scikit-learn's digits imbalanced (step protocol, ratio 20, half the
classes minority), splits them stratified into train and test, picks a
strategy with GridSearchCV (stratified 3-fold, balanced accuracy) and prints
each strategy's held-out scores, marking the one cross-validation chose.
"""


def format_parser(parser):
    """Add the demo's arguments to ``parser``."""
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of every draw (default: 0)"
    )
    parser.add_argument(
        "--ratio",
        type=float,
        default=20.0,
        help="imbalance ratio, largest over smallest class (default: 20)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="parallel jobs for the grid search (default: 1)",
    )


def main(args):
    """Run the demo; return the exit code."""
    from ._demo_run import run  # scikit-learn: only when the demo runs

    return run(args)
