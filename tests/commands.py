"""The ``imgbalance`` command as the tests run it: the installed command in
a new process, or its entry point in this process (what the installed
command calls; faster)."""

import os
import subprocess
import sys

from imgbalance.cli import main

COMMAND = os.path.join(os.path.dirname(sys.executable), "imgbalance")


def run_command(*args, stdout=subprocess.PIPE, cwd=None, timeout=300):
    """The installed command in a new process: the finished process, its
    output as text (``stdout``: where standard output goes)."""
    return subprocess.run(
        [COMMAND, *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def run_here(capsys, *args):
    """The command's entry point in this process: (code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
