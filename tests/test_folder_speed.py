"""The folder writer's fast paths, each tested equal to the plain one: JPEG
encoded by OpenCV, originals copied by ``copy_file_range``, worker processes
forked from the run's own process, and joblib left unimported where no pool
runs."""

import errno
import io
import os
import threading

import numpy as np
import pytest
from folders import tree_hashes, write_pngs
from PIL import Image
from processes import run_python

from imgbalance.folder import _files, _formats, balance_folder
from imgbalance.utils import _forks, _pool


def pillow_jpeg(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def decoded(data):
    return np.asarray(Image.open(io.BytesIO(data)))


@pytest.mark.parametrize(
    "shape", [(1, 1), (7, 13), (64, 64), (9, 5, 3), (64, 64, 3), (33, 17, 1)]
)
def test_opencv_jpeg_decodes_to_the_pixels_of_pillows(shape):
    pytest.importorskip("cv2")
    rng = np.random.default_rng(sum(shape))
    array = rng.integers(0, 256, shape, dtype=np.uint8)
    ours = bytes(_formats.encoded_jpeg(array))
    theirs = pillow_jpeg(array[..., 0] if shape[-1:] == (1,) else array)
    assert ours[:2] == b"\xff\xd8"
    np.testing.assert_array_equal(decoded(ours), decoded(theirs))


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((4, 4, 4), dtype=np.uint8),  # RGBA: Pillow drops alpha
        np.zeros((4, 4, 2), dtype=np.uint8),
        np.zeros((4, 4), dtype=np.uint16),
        np.zeros((4, 4, 3), dtype=np.float32),
    ],
)
def test_other_arrays_are_left_to_pillow(array):
    assert _formats.encoded_jpeg(array) is None


def test_without_opencv_pillow_writes_the_same_pixels(tmp_path, monkeypatch):
    src = write_pngs(tmp_path / "src", {"a": 6, "b": 2}, side=12)
    balance_folder(src, tmp_path / "cv", image_format="JPEG")
    monkeypatch.setattr(_formats, "opencv_available", lambda: False)
    balance_folder(src, tmp_path / "pil", image_format="JPEG")
    names = sorted(tree_hashes(tmp_path / "cv"))
    assert names == sorted(tree_hashes(tmp_path / "pil"))
    images = [n for n in names if n.endswith(".jpg")]
    assert len(images) == 12
    for name in images:
        np.testing.assert_array_equal(
            np.asarray(Image.open(tmp_path / "cv" / name)),
            np.asarray(Image.open(tmp_path / "pil" / name)),
        )


def test_copy_file_copies_the_bytes(tmp_path):
    source = tmp_path / "source"
    source.write_bytes(os.urandom(70_000))
    _files.copy_file(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()


@pytest.mark.parametrize("code", [errno.EXDEV, errno.ENOSYS, errno.EINVAL])
def test_copy_file_reads_where_the_kernel_cannot_copy(tmp_path, monkeypatch, code):
    def refuse(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    source = tmp_path / "source"
    source.write_bytes(os.urandom(70_000))
    _files.copy_file(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()


def test_copy_file_never_writes_through_a_link(tmp_path):
    source, elsewhere = tmp_path / "source", tmp_path / "elsewhere"
    source.write_bytes(b"new")
    elsewhere.write_bytes(b"kept")
    os.symlink(elsewhere, tmp_path / "copy")
    with pytest.raises(FileExistsError):
        _files.copy_file(source, tmp_path / "copy")
    assert elsewhere.read_bytes() == b"kept"


def test_an_exclusive_write_replaces_a_link_left_at_its_temporary_name(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"kept")
    path = tmp_path / "out.bin"
    os.symlink(elsewhere, tmp_path / f"{_files.TEMPORARY}{os.getpid()}-out.bin")
    _files.write_atomically(
        str(path), lambda t: _files.write_bytes(t, b"data"), exclusive=True
    )
    assert path.read_bytes() == b"data"
    assert elsewhere.read_bytes() == b"kept"
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "out.bin"]


def _in_a_fresh_process(code):
    """Run ``code`` in a new interpreter, where no thread of an earlier test
    (a Dask cluster's, for one) keeps the workers from being forked; its
    standard output."""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_forked_workers_give_every_result_in_order():
    out = _in_a_fresh_process(
        """
import os
from imgbalance.utils import _forks

def square_and_pid(x):
    return x * x, os.getpid()

assert _forks.can_fork()
tasks = iter([(i,) for i in range(20)])
results = list(_forks.in_forks(square_and_pid, tasks, 2, ordered=True))
print([r[0] for r in results], os.getpid() in {r[1] for r in results})
"""
    )
    assert out == f"{[i * i for i in range(20)]} False\n"


def test_a_task_failing_in_a_fork_stops_the_pool():
    out = _in_a_fresh_process(
        """
import multiprocessing
from imgbalance.utils import _forks

def fail_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x

assert _forks.can_fork()
before = set(multiprocessing.active_children())
try:
    list(_forks.in_forks(fail_on_three, iter([(i,) for i in range(50)]), 2, True))
except ValueError as error:
    print("raised", error)
print("workers left:", len(set(multiprocessing.active_children()) - before))
"""
    )
    assert out == "raised three\nworkers left: 0\n"


_STOPPED_EARLY = """
import multiprocessing, os, sys, time
from imgbalance.utils import _forks

def slow(x, folder, seconds):
    if x:
        time.sleep(seconds)
    with open(os.path.join(folder, str(x)), "w"):
        pass
    return b"x" * 1_000_000  # sent back in several writes

folder, seconds = sys.argv[1], float(sys.argv[2])
_forks.STOP_GRACE = float(sys.argv[3])
assert _forks.can_fork()
before = set(multiprocessing.active_children())
results = _forks.in_forks(slow, iter([(i, folder, seconds) for i in range(20)]), 2, True)
next(results)
start = time.monotonic()
results.close()
took = time.monotonic() - start
done = sorted(int(name) for name in os.listdir(folder))
left = len(set(multiprocessing.active_children()) - before)
print(done[:3] == [0, 1, 2], max(done) < 6, took < 4, left)
"""


def test_a_run_stopped_early_lets_its_running_tasks_end(tmp_path):
    """The tasks running end and send their results (1 MB each) before the
    pool is shut; those not begun are cancelled; no worker is left."""
    done = run_python(_STOPPED_EARLY, tmp_path, 0.3, 3.0)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "True True True 0\n"


def test_a_task_running_past_the_grace_has_its_worker_killed(tmp_path):
    done = run_python(_STOPPED_EARLY, tmp_path, 60, 0.5)
    assert done.returncode == 0, done.stderr
    # only the first task ended; the others were killed after 0.5 s
    assert done.stdout == "False True True 0\n"


def test_no_fork_beside_another_thread():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not _forks.can_fork()
    finally:
        stop.set()
        thread.join()


def test_runs_with_forked_and_with_joblibs_workers_are_equal(tmp_path, monkeypatch):
    src = write_pngs(tmp_path / "src", {"a": 130, "b": 10})  # checked in 2 parts
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")
    out = _in_a_fresh_process(
        f"""
from imgbalance.folder import balance_folder
from imgbalance.utils import _pool

used, real = [], _pool.in_forks

def spy(*args):
    used.append(args[2])
    return real(*args)

_pool.in_forks = spy
balance_folder({str(src)!r}, {str(tmp_path / "forks")!r}, n_jobs=2)
print(used)
"""
    )
    assert out == "[2, 2]\n"  # forked workers for the checks, then the writing
    balance_folder(src, tmp_path / "one", n_jobs=1)
    monkeypatch.setattr(_pool, "can_fork", lambda: False)
    balance_folder(src, tmp_path / "joblib", n_jobs=2)
    assert tree_hashes(tmp_path / "forks") == tree_hashes(tmp_path / "one")
    assert tree_hashes(tmp_path / "joblib") == tree_hashes(tmp_path / "one")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_few_files_import_neither_joblib_nor_numpy_ma(tmp_path, jobs):
    """joblib (0.06-0.1 s of start-up) is imported only where its pool
    runs (``--jobs 2`` on a few files runs them in this process; forked
    workers need no joblib either), and numpy.ma (10-20 ms) not at all."""
    if jobs == "2" and len(os.sched_getaffinity(0)) < 2:
        pytest.skip("two jobs are cut to this machine's one core, by joblib")
    src = write_pngs(tmp_path / "src", {"a": 5, "b": 2})
    script = (
        "import sys\n"
        "from imgbalance.cli import main\n"
        f"code = main(['balance', {str(src)!r}, {str(tmp_path / 'out')!r},"
        f" '--quiet', '--jobs', '{jobs}'])\n"
        "print(code, 'joblib' in sys.modules, 'numpy.ma' in sys.modules)\n"
    )
    done = run_python(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 False False", done.stderr


EFFECTIVE_JOBS = """
import multiprocessing, sys, warnings
from imgbalance.utils._parallel import effective_jobs

def in_daemon(queue):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joblib's: one job in a daemon
        queue.put((effective_jobs(2), "joblib" in sys.modules))

context = multiprocessing.get_context("fork")
queue = context.Queue()
daemon = context.Process(target=in_daemon, args=(queue,), daemon=True)
daemon.start()
print(*queue.get(timeout=60), end=" ")
daemon.join()
asked = (None, 1, 2, 3, 64)
ours = [effective_jobs(n) for n in asked]
imported = "joblib" in sys.modules
from joblib import effective_n_jobs
print(ours == [effective_n_jobs(n) for n in asked], imported, end=" ")
print(effective_jobs(-1) == effective_n_jobs(-1))
"""


def test_the_jobs_are_joblibs_without_importing_it_where_it_cannot_matter():
    """``effective_jobs``: joblib's answer for None and positive numbers,
    without importing joblib while no ``parallel_config`` can be in effect;
    joblib's for -1, and in a daemon process (where joblib says one)."""
    done = run_python(EFFECTIVE_JOBS)
    assert (done.returncode, done.stdout) == (0, "1 True True False True\n"), done.stderr
