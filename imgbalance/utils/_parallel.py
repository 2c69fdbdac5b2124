"""How work is split for parallel jobs: the one rule every stage follows."""

import sys

__all__ = ["effective_jobs", "n_tasks"]

# tasks per job: jobs that run at different speeds (a busy core, larger
# images) still finish at about the same time
TASKS_PER_JOB = 4


def effective_jobs(n_jobs):
    """joblib's ``effective_n_jobs(n_jobs)``, without importing joblib (about
    0.3 s) where it cannot matter: ``n_jobs=1``, or None while joblib is not
    imported (no ``joblib.parallel_config`` can then be in effect)."""
    if n_jobs == 1 or (n_jobs is None and "joblib" not in sys.modules):
        return 1
    from joblib import effective_n_jobs

    return effective_n_jobs(n_jobs)


def n_tasks(n_items, n_jobs):
    """Into how many tasks ``n_items`` are split for ``n_jobs`` (joblib's
    ``n_jobs``): ``TASKS_PER_JOB`` per job, at most one per item, at least
    one."""
    return max(1, min(n_items, TASKS_PER_JOB * effective_jobs(n_jobs)))
