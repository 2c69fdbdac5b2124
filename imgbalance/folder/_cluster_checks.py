"""The checks of SRC's files for a run on a Dask cluster (``dask=``).

Importing Dask's client and reaching the scheduler take a fresh process
about a quarter of a second, in which the cluster can do nothing for the
run. So SRC is scanned first, and its first files' checks begin here, in
processes forked from this one (one per core of this machine but the one
the client's import runs on; Linux, and a process of one thread, as the
command's is before the client starts its own); they check up to
``LOCAL_PER_WORKER`` files each, about what a core checks in that time.
Once the cluster is reached, the other files are checked by tasks on its
workers, in parts. Put together in order, the result is the same
:class:`~imgbalance._contract._checking.Checked` as
:func:`~imgbalance._contract._checking.check_files`'. A process of other
threads (a library caller's, with a client of its own), or one that cannot
fork a process or start a thread for them (a limit on processes), checks
on the cluster only.
"""

import contextlib
import os

from .._contract._checking import CHECK_PART, QUICK_PAYS_FROM, Checked, check_many
from ..utils._forks import can_fork, in_forks
from ..utils._pool import workers_lost_said
from ._cluster_tasks import cluster_threads, task_result
from ._scan import scan_sources

__all__ = ["BegunChecks", "LOCAL_PER_WORKER", "begun_checks", "check_on_worker"]

# files a process forked here checks while the cluster is reached (a
# 64x64 JPEG: 30-40 us; Dask's client: about 0.25-0.3 s to import and
# connect)
LOCAL_PER_WORKER = 8192
# the files of the first part checked here: taking its result is what
# forks the processes, and the client's import waits for it
_FIRST_PART = 32
# a task of checking holds CHECK_PART files (fewer where that leaves threads
# idle; at least ``_CHECK_LEAST``: a task costs the cluster a few
# milliseconds)
_CHECK_LEAST = 64


def _local_workers():
    """The processes this one can fork for the checks: one per core it may
    run on but one (which imports Dask's client meanwhile), at least one;
    none where forking is not safe (see ``can_fork``)."""
    if not can_fork():
        return 0
    return max(1, len(os.sched_getaffinity(0)) - 1)


class BegunChecks:
    """SRC scanned (:attr:`scan`), and the checks of its first files begun
    in processes forked from this one; :meth:`finish` checks the others on
    a cluster and puts all together."""

    def __init__(self, src, dst):
        self.scan = scan_sources(src, dst)
        paths, workers = self.scan.paths, _local_workers()
        self.n_local = min(len(paths), LOCAL_PER_WORKER * workers)
        self._local, self._first = None, None
        if self.n_local:
            try:
                self._begin(paths, workers)
            except (OSError, RuntimeError):  # no process or thread to be had:
                self.close()  # the cluster checks them all (a speed-up lost)
                self.n_local, self._local = 0, None

    def _begin(self, paths, workers):
        # a small first part, then parts of CHECK_PART files
        starts = range(min(_FIRST_PART, self.n_local), self.n_local, CHECK_PART)
        bounds = [0, *starts, self.n_local]
        # the quick check of JPEG files as check_files decides it: by the
        # run's files
        pid, quick = os.getpid(), len(paths) >= QUICK_PAYS_FROM
        tasks = [(paths[a:b], pid, quick) for a, b in zip(bounds, bounds[1:])]
        self._local = in_forks(check_many, iter(tasks), workers, True, len(tasks))
        self._first = next(self._local)  # the processes forked: now

    def finish(self, client):
        """The :class:`Checked` of every file: those checked here, then the
        others, checked on ``client``'s cluster."""
        paths = self.scan.paths
        checked, start = Checked(len(paths)), 0
        futures = _submit_parts(client, paths, self.n_local)
        try:
            if self._local is not None:
                with workers_lost_said():
                    start = checked.add(start, self._first)
                    for part in self._local:
                        start = checked.add(start, part)
            for future in futures:
                start = checked.add(start, task_result(future))
                future.release()
        finally:
            with contextlib.suppress(Exception):
                client.cancel(futures)
        return checked

    def close(self):
        """Stop the checks begun here (their processes gone), if not done."""
        if self._local is not None:
            self._local.close()


@contextlib.contextmanager
def begun_checks(src, dst):
    """A :class:`BegunChecks` of ``src``, its processes stopped after the
    block (an error, a signal) if they have not ended."""
    begun = BegunChecks(src, dst)
    try:
        yield begun
    finally:
        begun.close()


def _submit_parts(client, paths, start):
    """The futures of the checks of ``paths[start:]`` on ``client``'s
    cluster, in parts: at most ``CHECK_PART`` files, four parts a thread or
    more, at least ``_CHECK_LEAST`` files."""
    n = len(paths) - start
    if n <= 0:
        return []
    threads = max(1, cluster_threads(client))
    n_parts = max(-(-n // CHECK_PART), 4 * threads)
    n_parts = max(1, min(n_parts, n // _CHECK_LEAST))
    bounds = [start + n * i // n_parts for i in range(n_parts + 1)]
    return [
        client.submit(check_on_worker, paths[a:b], pure=False)
        for a, b in zip(bounds[:-1], bounds[1:])
    ]


def check_on_worker(paths):
    """A task of checking on a worker of the cluster: the part of
    :func:`~imgbalance._contract._checking.check_many` for ``paths``, made
    in the worker's own thread. The quick check of JPEG files stays off
    there: it points standard error elsewhere while libjpeg warns, which a
    process of other threads (the worker's own) cannot do."""
    return check_many(paths, os.getpid())
