"""The writer's jobs as tasks of a Dask distributed cluster (``dask=``).

The run itself (scanning, planning, the lock on DST, the journal and the
manifest) stays in its own process; the checks of SRC's files (see
``_cluster_checks``) and the jobs of the plan, the same jobs as with
``n_jobs``, go to the cluster's workers, which must see SRC and DST at the
same paths (shared storage). Before anything is written, the
scheduler is reached, and every worker is asked for its imgbalance version
and what it sees at SRC and at DST (or its nearest existing folder): the
same names as this process sees, and DST writable. A worker writes a job's
files, appends their journal lines to a journal of its own in DST
(``_worker_journals``) and returns them; the run records them as they come.
Each output's pixels depend only on the plan, so the files are the same
bytes whichever worker wrote them. A worker lost mid-job: the scheduler
runs the job again on another (the files it had written are written again,
the same); what it left under temporary names is removed once the jobs
are done. A run stopped (its process killed): ``resume`` finishes it, with
or without the cluster, keeping what any worker journaled.
"""

import contextlib
import dataclasses
import itertools
import logging
import os

from .. import __version__
from .._contract._files import large_images_quiet
from ..augment._render import opencv_single_thread
from ._cluster_checks import begun_checks
from ._cluster_tasks import ClusterStopped, cluster_threads, task_result
from ._files import UnsafeDestination, remove_temporaries
from ._journal import MARKER
from ._plan import Output
from ._refusal import BalanceRefused, option
from ._worker_journals import append_to_worker_journal

__all__ = [
    "CLUSTER_BATCH",
    "ClusterStopped",
    "as_columns",
    "check_dask",
    "cluster_threads",
    "dask_cluster",
    "dask_results",
    "from_columns",
    "write_on_worker",
]

# the longest wait for the scheduler to answer (Dask's own setting,
# distributed.comm.timeouts.connect, where shorter)
CONNECT_SECONDS = 10
# jobs queued on the cluster per thread of its workers: enough to keep them
# busy, few enough that the plan's records are made as jobs are taken
QUEUED_PER_THREAD = 2
# outputs per job at the most on a cluster (``_writing.BATCH`` in worker
# processes): a task costs about 8 ms of CPU (the scheduler's, its worker's
# event loop, this process), a job of 256 small outputs about 60 ms; 1024
# make that cost a few percent (the jobs are still at least four per
# thread, and hold at most ``_writing.BATCH_PIXELS`` of sources)
CLUSTER_BATCH = 1024


def check_dask(dask):
    """Refuse a ``dask`` that is not None, a scheduler's address or a
    ``distributed.Client``."""
    if dask is None or (isinstance(dask, str) and dask.strip()):
        return
    if callable(getattr(dask, "submit", None)) and callable(getattr(dask, "run", None)):
        return
    raise BalanceRefused(
        f"{option('dask', dask)}: give the address of a Dask scheduler "
        "(tcp://HOST:8786) or a distributed.Client."
    )


@contextlib.contextmanager
def dask_cluster(options):
    """``options``, with ``dask`` a connected and checked
    ``distributed.Client`` when one was asked for (a client made from an
    address is closed after the block), and ``begun`` SRC's scan and the
    checks of its files begun here meanwhile (``_cluster_checks``). Dask's
    own log lines are quieted meanwhile: the run reports what matters in
    its own words."""
    check_dask(options.dask)
    if options.dask is None:
        yield options
        return
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with (
            begun_checks(options.src, options.dst) as begun,
            _client(options.dask) as client,
        ):
            _check_workers(client, options)
            yield dataclasses.replace(options, dask=client, begun=begun)
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _client(address):
    if not isinstance(address, str):  # a client of the caller's
        yield address
        return
    try:
        import dask.config
        from dask.utils import parse_timedelta
        from distributed import Client
    except ImportError:
        raise BalanceRefused(
            f"{option('dask', address)} needs Dask's distributed scheduler: "
            "pip install 'imgbalance[dask]'."
        ) from None
    configured = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    seconds = min(CONNECT_SECONDS, configured)
    try:
        client = Client(address, timeout=seconds, set_as_default=False)
    except Exception as exc:  # refused, timed out, not an address...
        raise BalanceRefused(
            f"{option('dask', address)}: no Dask scheduler answered there within "
            f"{seconds:g} s ({type(exc).__name__}: {exc}); start one (dask "
            "scheduler, and workers that see SRC and DST) or give its address "
            "(tcp://HOST:8786)."
        ) from None
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()


def _nearest_folder(path):
    path = os.path.abspath(path)
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def look(src, dst):
    """What a process sees at ``src`` and ``dst`` (run on each worker, and
    here, to compare): the imgbalance version, SRC's names, DST's nearest
    existing folder, its names and whether it can be written."""
    try:
        src_names = sorted(os.listdir(src))
    except OSError as exc:
        src_names = f"cannot be read ({type(exc).__name__})"
    folder = _nearest_folder(dst)
    try:
        dst_names = sorted(os.listdir(folder))
    except OSError as exc:
        dst_names = f"cannot be read ({type(exc).__name__})"
    return {
        "imgbalance": __version__,
        "src": src_names,
        "dst": (folder, dst_names, os.access(folder, os.W_OK | os.X_OK)),
    }


def _check_workers(client, options):
    """Refuse a cluster without workers, or with a worker that runs another
    imgbalance or does not see SRC and DST as this process does."""
    address = getattr(client, "scheduler", None)
    address = getattr(address, "address", None) or "the cluster"
    if cluster_threads(client) == 0:
        raise BalanceRefused(
            f"{option('dask')}: the Dask scheduler at {address} has no workers; "
            "start some (dask worker ADDRESS) that see SRC and DST."
        )
    try:
        seen = client.run(look, options.src, options.dst)
    except Exception as exc:
        raise BalanceRefused(
            f"{option('dask')}: the workers of {address} could not be asked what "
            f"they see ({type(exc).__name__}: {exc}); is imgbalance installed "
            "on them?"
        ) from None
    here = look(options.src, options.dst)
    for worker, theirs in sorted(seen.items()):
        problem = _difference(here, theirs, options)
        if problem:
            raise BalanceRefused(
                f"{option('dask')}: worker {worker} {problem}; the workers must "
                "run this imgbalance and see SRC and DST at the same paths "
                "(shared storage; absolute paths)."
            )


def _difference(here, theirs, options):
    if theirs["imgbalance"] != here["imgbalance"]:
        return (
            f"runs imgbalance {theirs['imgbalance']}, this process {here['imgbalance']}"
        )
    if theirs["src"] != here["src"]:
        return f"does not see SRC {options.src!r} as this process does"
    folder, names, writable = theirs["dst"]
    if (folder, names) != here["dst"][:2]:
        return f"does not see DST {options.dst!r} as this process does"
    if not writable:
        return f"cannot write into {folder!r}"
    return None


# an output record's fields, in order
_FIELDS = tuple(field.name for field in dataclasses.fields(Output))


def as_columns(items):
    """Output records (:class:`~imgbalance.folder._plan.Output`) as a list
    per field: what a job sends to the cluster, which pickles 9 times and
    unpickles 5 times faster than the records (the scheduler does both)."""
    return tuple([getattr(item, name) for item in items] for name in _FIELDS)


def from_columns(columns):
    """The output records :func:`as_columns` gave ``columns`` of."""
    return [Output(*fields) for fields in zip(*columns)]


def write_on_worker(columns, dst, augmenter, arrays, _run_pid=None):
    """A job on a worker of the cluster: the arguments of
    :func:`~imgbalance.folder._writing.run_job`, its items as columns
    (:func:`as_columns`). Writes the files, then appends their journal
    lines to this worker's journal in ``dst``, and returns them; refuses a
    ``dst`` without the run's marker (the worker sees another folder at
    that path). OpenCV runs on one thread in a worker of one thread (the
    jobs fill the cluster's cores); a worker of several threads keeps its
    own setting (changed from several threads at once, it would race)."""
    from ._writing import _write_items  # the writer's own, late: no cycle

    if not os.path.isfile(os.path.join(dst, MARKER)):  # written before any job
        raise UnsafeDestination(
            f"a worker of the Dask cluster does not see the run's record in DST "
            f"{dst!r}: it sees another folder at that path; give a DST that every "
            "worker sees (shared storage)"
        )
    alone = contextlib.nullcontext()
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        if get_worker().state.nthreads == 1:
            alone = opencv_single_thread()
    with alone, large_images_quiet():
        lines = _write_items(dst, from_columns(columns), augmenter, arrays)
    append_to_worker_journal(dst, lines)
    return lines


def dask_results(client, tasks, dst):
    """Yield the journal lines of ``tasks`` (the arguments of
    :func:`write_on_worker`, made as the cluster takes them) as the jobs
    end on ``client``'s cluster; once all have ended, remove the temporary
    files that workers lost mid-job left in ``dst``."""
    from distributed import as_completed

    tasks = iter(tasks)
    queued = as_completed(loop=client.loop)
    in_flight = set()

    def submit(n):
        for items, *arguments in itertools.islice(tasks, n):
            future = client.submit(
                write_on_worker, as_columns(items), *arguments, pure=False
            )
            in_flight.add(future)
            queued.add(future)

    submit(QUEUED_PER_THREAD * max(1, cluster_threads(client)))
    try:
        for future in queued:
            lines = task_result(future)
            in_flight.discard(future)
            future.release()
            submit(1)
            yield lines
        remove_temporaries(dst)
    finally:  # stopped early (an error, a signal): cancel what is queued
        if in_flight:
            with contextlib.suppress(Exception):
                client.cancel(list(in_flight))
