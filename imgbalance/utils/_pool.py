"""Work spread over worker processes only when it pays for starting them.

A worker process that joblib starts (loky) imports what its tasks need
before it does anything: about 0.2 s for checking files, 0.3-0.5 s for
writing (the render engine, Pillow, OpenCV). On a small folder that costs
more than a second job saves. So the tasks run in this process first,
and the remaining ones go to a pool only once the time taken so far says
they would take longer than ``pays_after`` seconds here. Where the
process can fork (Linux) and runs a single thread, and joblib's backend is
its default one (processes on this machine), the workers are forked from
this process instead (:mod:`._forks`): they start in milliseconds with
everything imported, and the pool pays from ``FORK_PAYS_AFTER`` seconds of
work; where a lower bound of the work's time already says that much, they
take all of it, none run here first. Results do not depend on where a task
ran. The environment variable ``IMGBALANCE_POOL_AFTER`` (seconds) sets
that threshold for every stage; ``0`` sends all the tasks to the pool but
the first, which measures them (all, where a lower bound is given).
"""

import contextlib
import importlib
import itertools
import os
import threading
import time
import warnings

from ._forks import can_fork, in_forks
from ._parallel import effective_jobs

__all__ = [
    "WorkerLost",
    "end_with_parent",
    "one_thread_at_work",
    "run_tasks",
    "workers_lost_said",
]


class WorkerLost(OSError):
    """A worker process ended before its task did: killed (by the system
    when memory ran out, or by hand)."""

    def __init__(self):
        super().__init__(
            "a worker process ended before its work did (killed, perhaps by the "
            "system for want of memory); run again, with fewer jobs (--jobs) if "
            "memory is short"
        )


@contextlib.contextmanager
def workers_lost_said():
    """A pool of worker processes that lost one (concurrent.futures' or
    joblib's ``BrokenProcessPool``) raises :class:`WorkerLost` instead."""
    try:
        yield
    except RuntimeError as exc:
        # imported here, not at start-up (80 ms): the pools have imported it
        from concurrent.futures.process import BrokenProcessPool

        if isinstance(exc, BrokenProcessPool):  # joblib's subclasses it
            raise WorkerLost() from None
        raise


# seconds of work left from which forked workers (a few milliseconds to
# start) take the rest
FORK_PAYS_AFTER = 0.1


def run_tasks(
    function,
    tasks,
    sizes,
    n_jobs,
    *,
    pays_after,
    ordered=True,
    preload=(),
    least_per_unit=0.0,
):
    """Yield ``function(*task)`` for each task of ``tasks``.

    Parameters
    ----------
    function : callable
        Picklable (a module-level function).
    tasks : iterable of tuple
        The arguments of each call, made as they are needed (a generator
        keeps only the tasks in flight in memory).
    sizes : sequence of float
        The amount of work of each task, for the estimate (tasks beyond
        them run in this process).
    n_jobs : int or None
        joblib's ``n_jobs``.
    pays_after : float
        Seconds of work left, estimated from the calls made so far in this
        process, from which a pool of ``n_jobs`` takes the rest.
    ordered : bool, default=True
        Results in the order of ``tasks``; else as they come.
    preload : tuple of str, default=()
        Modules a worker imports in its first task, before joblib (loky)
        measures its memory: loky restarts a worker grown 300 MB past that
        measure, and such a restart with tasks queued can hang (joblib
        issue 869), so what the tasks import must not count as growth.
    least_per_unit : float, default=0.0
        Seconds a unit of ``sizes`` takes at the least. Where forked
        workers can run the tasks and that bound alone says the whole work
        pays for them, they take all of it, none run here first to
        measure (the other cores would wait meanwhile).
    """
    tasks = iter(tasks)
    if effective_jobs(n_jobs) == 1:
        for task in tasks:
            yield function(*task)
        return
    forks = can_fork()
    if forks:
        pays_after = min(pays_after, FORK_PAYS_AFTER)
    pays_after = float(os.environ.get("IMGBALANCE_POOL_AFTER", pays_after))
    total, done, start = sum(sizes), 0, time.perf_counter()
    if forks and least_per_unit * total > pays_after:
        yield from _pooled(function, tasks, n_jobs, ordered, preload)
        return
    for size, task in zip(sizes, tasks):
        if done:
            per_unit = (time.perf_counter() - start) / done
            if per_unit * (total - done) > pays_after:
                tasks = itertools.chain([task], tasks)
                yield from _pooled(function, tasks, n_jobs, ordered, preload)
                return
        yield function(*task)
        done += size
    for task in tasks:  # more tasks than sizes (a folder grown since counted)
        yield function(*task)


def _pooled(function, tasks, n_jobs, ordered, preload):
    """:func:`run_tasks`' tasks on worker processes: forked ones where the
    process can fork, else joblib's."""
    with workers_lost_said():
        if can_fork():  # still one thread
            yield from in_forks(function, tasks, effective_jobs(n_jobs), ordered)
        else:
            yield from _in_pool(function, tasks, n_jobs, ordered, preload)


class _Started:
    """What a worker's first task returns (pickled back: compared by type)."""


def _start_worker(run_pid, preload):
    """A worker's first task: watch the parent from now on (a worker that
    has run nothing else would outlive a killed command), import
    ``preload`` (see :func:`run_tasks`; modules missing are left to the
    tasks), then pause so that the other workers take the others."""
    if os.getpid() != run_pid:
        end_with_parent()
    for module in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    time.sleep(0.05)
    return _Started()


def _in_pool(function, tasks, n_jobs, ordered, preload):
    from joblib import Parallel, delayed

    starts = [
        delayed(_start_worker)(os.getpid(), preload)
        for _ in range(effective_jobs(n_jobs))
    ]
    # the tasks are made as the workers take them (pre_dispatch: a few
    # ahead), not all at once
    results = Parallel(
        n_jobs=n_jobs, return_as="generator" if ordered else "generator_unordered"
    )(itertools.chain(starts, (delayed(function)(*task) for task in tasks)))
    try:
        for result in results:
            if not isinstance(result, _Started):
                yield result
    finally:  # stopped early (an error, a signal): cancel what is queued
        with warnings.catch_warnings():  # joblib's "N tasks ... cancelled":
            warnings.filterwarnings(  # cancelling them is the point here
                "ignore", category=UserWarning, module=r"joblib\.parallel"
            )
            results.close()


_WATCHED_PARENT = None  # in a worker process: the pid its watchdog watches


def end_with_parent():
    """In a worker process, once: a daemon thread that ends the process when
    its parent is gone (a killed ``imgbalance balance`` would otherwise leave
    its workers waiting for work that never comes). A write cut short leaves
    only a temporary file, which ``--resume`` removes."""
    global _WATCHED_PARENT
    parent = os.getppid()
    if _WATCHED_PARENT == parent:
        return
    _WATCHED_PARENT = parent

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    global _WATCHDOG
    _WATCHDOG = threading.Thread(target=watch, name="imgbalance-watchdog", daemon=True)
    _WATCHDOG.start()


_WATCHDOG = None  # the thread of end_with_parent, in a worker process


def one_thread_at_work():
    """Whether this thread is the process's only one but, in a worker
    process, the watchdog of :func:`end_with_parent` (which only waits):
    nothing else can be using the process's global state meanwhile (its
    standard error, its warning filters)."""
    if threading.active_count() == 1:
        return True
    this = threading.current_thread()
    return all(t is this or t is _WATCHDOG for t in threading.enumerate())
