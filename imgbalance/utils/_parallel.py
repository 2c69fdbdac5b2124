"""How work is split for parallel jobs: the one rule every stage follows."""

import numbers
import sys

__all__ = ["effective_jobs", "n_tasks"]

# tasks per job: jobs that run at different speeds (a busy core, larger
# images) still finish at about the same time
TASKS_PER_JOB = 4


def effective_jobs(n_jobs):
    """joblib's ``effective_n_jobs(n_jobs)``, without importing joblib (about
    0.06-0.3 s) where it cannot matter: ``n_jobs=1``; while joblib is not
    imported (no ``joblib.parallel_config`` can then be in effect), None
    (1) and a number of jobs above 1 (that number, as joblib's default
    backend says outside a daemon process)."""
    if n_jobs == 1:
        return 1
    if "joblib" not in sys.modules and not _in_daemon():
        if n_jobs is None:
            return 1
        if isinstance(n_jobs, numbers.Integral) and n_jobs > 1:
            return int(n_jobs)
    from joblib import effective_n_jobs

    return effective_n_jobs(n_jobs)


def n_tasks(n_items, n_jobs):
    """Into how many tasks ``n_items`` are split for ``n_jobs`` (joblib's
    ``n_jobs``): ``TASKS_PER_JOB`` per job, at most one per item, at least
    one."""
    return max(1, min(n_items, TASKS_PER_JOB * effective_jobs(n_jobs)))


def _in_daemon():
    """Whether this is a daemon process of ``multiprocessing`` (which joblib
    runs on one job): one can only be started with it imported."""
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is not None and multiprocessing.current_process().daemon
