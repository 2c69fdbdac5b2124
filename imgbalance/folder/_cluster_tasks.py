"""What a run asks of a Dask cluster's tasks, whatever they do (``dask=``):
the threads that run them, and a task's result."""

from ._refusal import BalanceRefused

__all__ = ["ClusterStopped", "cluster_threads", "task_result"]


class ClusterStopped(OSError):
    """The cluster could not run a job (its workers lost once too often,
    the scheduler gone): the run stops (status 3), and ``resume`` finishes
    it."""


def cluster_threads(client):
    """The threads of the cluster's workers (0 without workers, or without
    a scheduler to say: its jobs then stop the run)."""
    workers = client.scheduler_info(n_workers=-1).get("workers", {})
    return sum(int(w.get("nthreads", 1)) for w in workers.values())


def task_result(future):
    """The future's result; the task's own errors as they are (a full disk,
    a source changed...), the cluster's as :class:`ClusterStopped`."""
    try:
        return future.result()
    except (OSError, MemoryError, BalanceRefused):
        raise
    except Exception as exc:
        raise ClusterStopped(
            f"the Dask cluster could not run a job ({type(exc).__name__}: {exc})"
        ) from None
