"""The ``imgbalance`` command: one module per subcommand, thin over the library.

Each subcommand module has ``format_parser(parser)``, which adds its
arguments, and ``main(args)``, which runs it and returns the exit code.
Every error ends in one line on standard error (and, with ``--json``, one
JSON object on standard output); a usage error exits with status 2.
"""

import argparse
import sys

from .. import __version__
from . import _balance, _compare, _demo, _inspect, _leaks, _split
from ._output import fail, flush_stdout

__all__ = ["main"]

_SUBCOMMANDS = {
    "inspect": _inspect,
    "split": _split,
    "leaks": _leaks,
    "compare": _compare,
    "balance": _balance,
    "demo": _demo,
}


class _UsageError(Exception):
    """A command line argparse cannot take: ``prog`` and the message."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix (``--help``),
    reported by :func:`main` rather than printed with the whole usage."""

    def error(self, message):
        raise _UsageError(self.prog, f"{message} (see {self.prog} --help)")


def _build_parser():
    parser = _Parser(
        prog="imgbalance",
        description="Balance imbalanced image-classification datasets.",
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"imgbalance {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _SUBCOMMANDS.items():
        summary = module.HELP.strip().splitlines()[0]
        sub = subparsers.add_parser(
            name,
            help=summary,
            description=module.HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.format_parser(sub)
        sub.set_defaults(_run=module.main, _parser=sub)
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
        The exit code: 0 on success; 1 when ``inspect`` found unreadable
        files, or ``balance`` finished but left them out; 2 on a usage
        error or a refusal (nothing written); 3 when ``balance`` stopped
        while writing (``--resume`` finishes).

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.cli import main
    >>> root = tempfile.mkdtemp()
    >>> for name, n in [("cat", 3), ("dog", 1)]:
    ...     os.mkdir(os.path.join(root, name))
    ...     for i in range(n):
    ...         Image.new("RGB", (8, 6)).save(os.path.join(root, name, f"{i}.png"))
    >>> main(["inspect", root])
    dataset: ...
    class  images  unreadable
    cat         3           0
    dog         1           0
    total       4
    imbalance ratio (largest / smallest class): 3.00
    ...
    0
    >>> import shutil; shutil.rmtree(root)
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the subcommand's parser, which knows its options
            getattr(args, "_parser", parser).error(
                f"unrecognized arguments: {' '.join(extra)}"
            )
    except _UsageError as error:
        prog, message = error.args
        return fail(prog, message, 2, as_json="--json" in argv)
    except SystemExit:  # --help, --version: printed
        flush_stdout()
        raise
    if args.command is None:
        commands = ", ".join(_SUBCOMMANDS)
        message = f"give a command: {commands} (see imgbalance --help)"
        return fail("imgbalance", message, 2)
    code = args._run(args)
    flush_stdout()
    return code
