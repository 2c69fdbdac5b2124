"""The journals that the processes of a Dask cluster keep in DST, one each.

A cluster's worker writes its outputs, then appends their journal lines to
a journal of its own (``.imgbalance-journal-<host>-<pid>.tsv``: no two
processes append to one file), and returns the same lines to the run,
which records them in the run's journal (``_journal``) as usual. So a run
whose own process stopped while the workers wrote (killed, or its machine
lost) loses nothing the workers finished: ``--resume`` folds the workers'
journals into the run's before it reads it (:func:`fold_worker_journals`),
and a finished run removes them with its journal.
"""

import contextlib
import os
import re
import socket
import threading

from ._files import open_no_follow
from ._journal import JOURNAL, check_journal

__all__ = [
    "WORKER_JOURNAL",
    "append_to_worker_journal",
    "fold_worker_journals",
    "remove_worker_journals",
    "worker_journals",
]

WORKER_JOURNAL = ".imgbalance-journal-"
_SUFFIX = ".tsv"
# the tasks a worker runs in threads append to its one journal in turn
_APPENDING = threading.Lock()


def _own_name():
    host = re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:64] or "host"
    return f"{WORKER_JOURNAL}{host}-{os.getpid()}{_SUFFIX}"


def append_to_worker_journal(dst, lines):
    """Append ``lines`` (a job's journal lines, files written) to this
    process's journal in ``dst``."""
    with _APPENDING, open_no_follow(os.path.join(dst, _own_name()), "ab") as file:
        file.write(lines)
        file.flush()


def worker_journals(dst):
    """The paths of the workers' journals in ``dst``, in name order."""
    try:
        names = os.listdir(dst)
    except FileNotFoundError:
        return []
    return [
        os.path.join(dst, name)
        for name in sorted(names)
        if name.startswith(WORKER_JOURNAL) and name.endswith(_SUFFIX)
    ]


def fold_worker_journals(dst):
    """Append the whole lines of the workers' journals in ``dst`` to the
    run's journal, then remove them (each checked first: a damaged one is
    refused, as the run's journal is; a line cut short by a kill is
    dropped). A line may then be there twice: the later one counts, and
    both say the same."""
    paths = worker_journals(dst)
    for path in paths:
        check_journal(path)
    if not paths:
        return
    with open_no_follow(os.path.join(dst, JOURNAL), "ab") as journal:
        for path in paths:
            with open(path, "rb") as file:
                for line in file:
                    if line.endswith(b"\n"):
                        journal.write(line)
        journal.flush()
    remove_worker_journals(dst)


def remove_worker_journals(dst):
    """Remove the workers' journals in ``dst`` (the run's journal holds
    their lines)."""
    for path in worker_journals(dst):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
