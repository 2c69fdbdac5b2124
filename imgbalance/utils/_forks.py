"""Worker processes forked from this one, for :func:`._pool.run_tasks`.

A worker forked from the process that runs a command has everything that
process imported (numpy, Pillow, OpenCV, the render engine): it starts in
a few milliseconds, where one that joblib starts (loky, a fresh Python)
takes 0.3-1 s to import them. Forking is safe only in a process that runs
a single thread (a lock another thread holds would stay held in the
child), on Linux (macOS's system libraries do not support it), and it is
used only where joblib's backend in effect is its default one (worker
processes on this machine): a backend the user chose (threads, a Dask
cluster) is kept.

The workers ignore Ctrl-C (the whole terminal's process group gets it: the
run's own process stops them, then tidies) and end at any other signal;
a worker lost stops the run (``BrokenProcessPool``). They end with the
run: stopped by it when it stops early, and by the watchdog its tasks start
(:func:`._pool.end_with_parent`) when it is killed. A run that stops early
lets the tasks running end (for ``STOP_GRACE`` seconds at most) before it
kills a worker: a worker killed while it sends its result back leaves a
message cut short in the pool's pipe, on which the pool's own thread then
waits forever (a stopped run that never ended).
"""

import collections
import signal
import sys
import threading

__all__ = ["STOP_GRACE", "can_fork", "in_forks"]

# seconds the tasks running when a run stops early have to end before
# their workers are killed (a task is a part of the work: a fraction of a
# second, a few seconds on large images)
STOP_GRACE = 3.0


def can_fork():
    """Whether :func:`in_forks` may run the pool: Linux, this process's
    only thread, and joblib's default backend (or joblib not imported: no
    other can be set)."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    if "joblib" not in sys.modules:
        return True
    from joblib.parallel import get_active_backend

    backend = get_active_backend()[0]
    local = type(backend).__name__ in ("LokyBackend", "MultiprocessingBackend")
    return local and getattr(backend, "nesting_level", 0) == 0


def _worker_signals():
    """In a forked worker: Ctrl-C ignored, the other signals back to their
    defaults (the command's own handlers, inherited, would raise inside a
    task)."""
    for name in ("SIGHUP", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def in_forks(function, tasks, n_workers, ordered, ahead=None):
    """Yield ``function(*task)`` for each of ``tasks`` (an iterator, taken
    ``ahead`` tasks ahead of the results taken: two per worker where None),
    computed by ``n_workers`` forked processes, all forked as the first
    result is asked for; in the order of ``tasks`` if ``ordered``, else as
    they end. Stopped
    early (an error, a signal, the generator closed), the tasks not begun
    are cancelled, those running end (``STOP_GRACE`` seconds at most, then
    their workers are killed), and the workers are gone before this
    returns."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_worker_signals
    )
    pending, workers, finished = collections.deque(), set(), False

    def submit():
        for task in tasks:
            pending.append(executor.submit(function, *task))
            return

    try:
        for _ in range(2 * n_workers if ahead is None else max(1, ahead)):
            submit()
        # forked all at once, at the first task
        workers = set(multiprocessing.active_children()) - before
        while pending:
            if ordered:
                future = pending.popleft()
            else:
                done = wait(pending, return_when=FIRST_COMPLETED).done
                future = next(f for f in pending if f in done)
                pending.remove(future)
            result = future.result()
            submit()
            yield result
        finished = True
    finally:
        if not finished:
            for future in pending:
                future.cancel()
            if wait(pending, timeout=STOP_GRACE).not_done:  # still at work
                for worker in workers:
                    worker.kill()
                for worker in workers:
                    worker.join()
        executor.shutdown(wait=True, cancel_futures=True)
