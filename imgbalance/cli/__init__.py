"""The ``imgbalance`` command: one module per subcommand, thin over the library.

Each subcommand module has ``format_parser(parser)``, which adds its
arguments, and ``main(args)``, which runs it and returns the exit code.
"""

import argparse
import sys

from .. import __version__
from . import _balance, _demo, _inspect

__all__ = ["main"]

_SUBCOMMANDS = {
    "inspect": _inspect,
    "balance": _balance,
    "demo": _demo,
}


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="imgbalance",
        description="Balance imbalanced image-classification datasets.",
    )
    parser.add_argument(
        "--version", action="version", version=f"imgbalance {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _SUBCOMMANDS.items():
        summary = module.__doc__.strip().splitlines()[0]
        sub = subparsers.add_parser(name, help=summary, description=module.__doc__)
        module.format_parser(sub)
        sub.set_defaults(_run=module.main)
    return parser


def main(argv=None):
    """Run the ``imgbalance`` command.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    code : int
        The exit code: 0 on success, 1 when the command finished but left
        files out, 2 on a usage error or a refusal.
    """
    parser = _build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return args._run(args)
