"""The ``imgbalance`` command: one module per subcommand, thin over the library.

Each subcommand module has ``format_parser(parser)``, which adds its
arguments, and ``main(args)``, which runs it and returns the exit code.
Every error ends in one line on standard error (and, with ``--json``, one
JSON object on standard output); a usage error exits with status 2.
"""

import argparse
import gc
import importlib
import os
import signal
import sys

from .. import __version__
from ._output import fail, flush_stdout
from ._signals import Stopped, end_while_starting, signals_stop

__all__ = ["main"]

# each subcommand's module, imported when its command runs (after the
# signal handlers are in place: a Ctrl-C while they load is a clean stop)
_SUBCOMMANDS = {
    "inspect": "._inspect",
    "split": "._split",
    "leaks": "._leaks",
    "compare": "._compare",
    "balance": "._balance",
    "demo": "._demo",
}


class _UsageError(Exception):
    """A command line argparse cannot take: ``prog`` and the message."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix (``--help``),
    reported by :func:`main` rather than printed with the whole usage."""

    def error(self, message):
        raise _UsageError(self.prog, f"{message} (see {self.prog} --help)")


def _build_parser(argv):
    """The parser: of every subcommand, or only of the one ``argv`` names
    (its module alone is imported)."""
    parser = _Parser(
        prog="imgbalance",
        description="Balance imbalanced image-classification datasets.",
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"imgbalance {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = argv[0] if argv and argv[0] in _SUBCOMMANDS else None
    for name, module in _SUBCOMMANDS.items():
        if named is not None and name != named:
            continue
        module = importlib.import_module(module, __name__)
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
        while writing (``--resume`` finishes), or before writing for want
        of room in the temporary folder; 128 + the number of a signal
        that stopped the command (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP...),
        said in one line, from its start (the signal handlers are in place
        before anything heavy is imported) to its end.

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
    as_command = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    prog = "imgbalance" + (f" {argv[0]}" if argv and argv[0] in _SUBCOMMANDS else "")
    started = []  # whether the subcommand has begun its work
    if as_command:  # a signal inside an import while starting: end at once
        end_while_starting(lambda signum: _end_now(prog, signum, _json(argv)))
    try:
        # as the command, signals are ignored once it is done: what is left
        # is the interpreter's exit, which a signal would end in a traceback
        # or a silent death (from the work's own status)
        with signals_stop(ignore_after=as_command) as received:
            code = _run(argv, started)
    except Stopped as exc:
        said = "" if started else " while starting; nothing was done"
        message = f"interrupted ({exc.name}){said}."
        return fail(prog, message, 128 + exc.signum, _json(argv))
    if received and code not in [128 + signum for signum in received]:
        # a stop Python could not raise (see signals_stop) went unsaid; the
        # command's own output (its JSON object) is out already
        name = signal.Signals(received[0]).name
        return fail(prog, f"interrupted ({name}) as it ended.", 128 + received[0])
    return code


def console_main():
    """The ``imgbalance`` console script and ``python -m imgbalance``:
    :func:`main`, then the process's objects frozen (:func:`gc.freeze`):
    what is left is the interpreter's exit, whose last collection would walk
    every object the imports made (0.08 s where Dask's client is imported).
    :func:`main` alone leaves a caller's process as it was."""
    try:
        return main()
    finally:
        gc.freeze()


def _json(argv):
    return "--json" in argv


def _end_now(prog, signum, as_json):
    """End the process at once, as a stop while starting is told (nothing
    is done yet, so nothing is left to tidy)."""
    name = signal.Signals(signum).name
    fail(prog, f"interrupted ({name}) while starting; nothing was done.", 0, as_json)
    flush_stdout()
    os._exit(128 + signum)


def _run(argv, started):
    """Parse ``argv`` and run its subcommand (``started`` gets an item
    when it begins); the exit code."""
    parser = _build_parser(argv)
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the subcommand's parser, which knows its options
            getattr(args, "_parser", parser).error(
                f"unrecognized arguments: {' '.join(extra)}"
            )
    except _UsageError as error:
        prog, message = error.args
        return fail(prog, message, 2, as_json=_json(argv))
    except SystemExit:  # --help, --version: printed
        flush_stdout()
        raise
    if args.command is None:
        commands = ", ".join(_SUBCOMMANDS)
        message = f"give a command: {commands} (see imgbalance --help)"
        return fail("imgbalance", message, 2)
    started.append(True)
    end_while_starting(None)
    code = args._run(args)
    flush_stdout()
    return code
