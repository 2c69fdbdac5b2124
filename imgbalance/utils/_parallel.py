"""How work is split for parallel jobs: the one rule every stage follows."""

from joblib import effective_n_jobs

__all__ = ["n_tasks"]

# tasks per job: jobs that run at different speeds (a busy core, larger
# images) still finish at about the same time
TASKS_PER_JOB = 4


def n_tasks(n_items, n_jobs):
    """Into how many tasks ``n_items`` are split for ``n_jobs`` (joblib's
    ``n_jobs``): ``TASKS_PER_JOB`` per job, at most one per item, at least
    one."""
    return max(1, min(n_items, TASKS_PER_JOB * effective_n_jobs(n_jobs)))
