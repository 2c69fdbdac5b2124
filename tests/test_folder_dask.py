"""The folder writer on a Dask distributed cluster (``dask=``, ``--dask``):
two worker processes on loopback write the same bytes as one job here,
a worker killed mid-job changes nothing, a run stopped is finished by
``resume`` from the workers' own journals, and a cluster that cannot do
the work is refused before anything is written."""

import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (the dask extra has it)"
)

from commands import run_command  # noqa: E402
from folders import tree_hashes, write_pngs  # noqa: E402
from imgbalance.folder import BalanceRefused, balance_folder  # noqa: E402

COUNTS = {"common": 40, "rare": 6, "scarce": 3}


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread on loopback (a killed one is
    started again by its nanny)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield cluster, client


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    return write_pngs(tmp_path_factory.mktemp("dask") / "src", COUNTS, side=16)


@pytest.fixture(scope="module")
def serial(src, tmp_path_factory):
    """The outputs of one job in this process, by method."""
    out = {}
    for method in ("augment", "random", "smote"):
        dst = tmp_path_factory.mktemp("serial") / method
        balance_folder(src, dst, method=method, seed=3, n_jobs=1)
        out[method] = tree_hashes(dst)
    return out


@pytest.mark.parametrize("method", ["augment", "random", "smote"])
def test_same_bytes_as_one_job(cluster, src, serial, tmp_path, method):
    _, client = cluster
    summary = balance_folder(src, tmp_path / "dst", method=method, seed=3, dask=client)
    assert summary["written"] == sum(COUNTS.values()) + 2 * 40 - 6 - 3
    # every file, the hidden ones included: no worker's journal is left
    assert tree_hashes(tmp_path / "dst") == serial[method]


def test_files_checked_on_the_workers(cluster, tmp_path):
    # the checks run on the cluster too: an unreadable file is told as here
    src = write_pngs(tmp_path / "src", {"a": 30, "b": 4}, side=12)
    (src / "b" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not a PNG")
    (src / "a" / "x.jpg").write_bytes((src / "a" / "3.png").read_bytes()[:60])
    one = balance_folder(src, tmp_path / "one", on_error="skip", n_jobs=1)
    on_dask = balance_folder(src, tmp_path / "dask", on_error="skip", dask=cluster[1])
    assert [s["path"] for s in on_dask["skipped"]] == ["a/x.jpg", "b/broken.png"]
    assert on_dask["skipped"] == one["skipped"]
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "one")


def _damaged_jpegs(folder, n, seed):
    """``n`` JPEG files of 24x16 pixels, some with bytes changed in their
    compressed data (Pillow reads them), some cut short (it does not)."""
    import io

    from PIL import Image

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        small = rng.integers(0, 256, (2, 3, 3)).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(small).resize((24, 16)).save(buffer, "JPEG", quality=90)
        data = bytearray(buffer.getvalue())
        if i % 3 == 0:
            start = data.index(b"\xff\xda") + 14
            data[int(rng.integers(start, len(data) - 2))] = int(rng.integers(0, 255))
        if i % 7 == 1:  # cut short: unreadable
            data = data[: len(data) // 2]
        (folder / f"{i}.jpg").write_bytes(bytes(data))


def test_damaged_jpegs_checked_on_the_workers_as_here(cluster, tmp_path):
    # JPEG files damaged in their data, some read by Pillow and some not,
    # checked on the workers (this process has threads: all of them there)
    _damaged_jpegs(tmp_path / "src" / "a", 60, seed=1)
    _damaged_jpegs(tmp_path / "src" / "b", 9, seed=2)
    one = balance_folder(tmp_path / "src", tmp_path / "one", on_error="skip", n_jobs=1)
    on_dask = balance_folder(
        tmp_path / "src", tmp_path / "dask", on_error="skip", dask=cluster[1]
    )
    here = {"dst": on_dask["dst"], "manifest": on_dask["manifest"]}
    assert on_dask == {**one, **here}
    assert 0 < len(one["skipped"]) < 20  # most damaged files read, as by Pillow
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "one")


LOCAL_THEN_CLUSTER = """
from imgbalance.folder import _cluster_checks, balance_folder

_cluster_checks.LOCAL_PER_WORKER = 5  # a few files here, the others there
seen, real = {{}}, _cluster_checks._submit_parts


def spy(client, paths, start):
    futures = real(client, paths, start)
    seen.update(start=start, on_cluster=len(futures))
    return futures


_cluster_checks._submit_parts = spy
summary = balance_folder({src!r}, {dst!r}, on_error="skip", dask={address!r})
print(seen["start"], seen["on_cluster"], [s["path"] for s in summary["skipped"]])
"""


def test_first_files_checked_here_while_connecting(cluster, tmp_path):
    # a process of one thread (the command's) checks the first files in
    # processes of its own while it reaches the cluster; the cluster checks
    # the others: what is told and written is what one job here does
    src = write_pngs(tmp_path / "src", {"a": 30, "b": 6}, side=12)
    (src / "a" / "00broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not a PNG")
    (src / "b" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n cut")
    one = balance_folder(src, tmp_path / "one", on_error="skip", n_jobs=1)
    script = LOCAL_THEN_CLUSTER.format(
        src=str(src), dst=str(tmp_path / "dask"), address=cluster[0].scheduler_address
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    start, on_cluster, skipped = done.stdout.split(" ", 2)
    # 5 a core here, but for the core that imports Dask's client meanwhile
    assert int(start) == 5 * max(1, len(os.sched_getaffinity(0)) - 1)
    assert int(on_cluster) > 0
    assert skipped.strip() == "['a/00broken.png', 'b/broken.png']"
    assert [s["path"] for s in one["skipped"]] == ["a/00broken.png", "b/broken.png"]
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "one")


NO_FORK = """
import errno
from imgbalance.folder import _cluster_checks, balance_folder


def in_forks(*args):  # as where the system has no process to give
    raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
    yield


_cluster_checks.in_forks = in_forks
summary = balance_folder({src!r}, {dst!r}, seed=3, dask={address!r})
print(summary["written"], [s["path"] for s in summary["skipped"]])
"""


def test_no_process_to_fork_leaves_the_checks_to_the_cluster(
    cluster, src, serial, tmp_path
):
    # the checks begun here are a speed-up: where no process can be forked
    # (a limit on processes), the cluster checks every file
    script = NO_FORK.format(
        src=str(src), dst=str(tmp_path / "dst"), address=cluster[0].scheduler_address
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout == f"{sum(COUNTS.values()) + 2 * 40 - 6 - 3} []\n"
    assert tree_hashes(tmp_path / "dst") == serial["augment"]


def test_this_process_leaves_opencv_alone(cluster, src, serial, tmp_path, monkeypatch):
    # the workers write; this process only records: it sets no OpenCV
    # threads (importing OpenCV here would only cost time)
    from imgbalance.folder import _writing

    def refuse():
        raise AssertionError("OpenCV's threads set in the run's own process")

    monkeypatch.setattr(_writing, "opencv_single_thread", refuse)
    balance_folder(src, tmp_path / "dst", seed=3, dask=cluster[1])
    assert tree_hashes(tmp_path / "dst") == serial["augment"]


def test_a_jobs_records_cross_the_cluster_as_columns():
    from imgbalance.folder._dask import as_columns, from_columns
    from imgbalance.folder._plan import Output

    items = [
        Output(0, "a/0.png", "a", "/src/a/0.png", "a/0.png", "original", "copy"),
        Output(
            7,
            "b/1_aug02.png",
            "b",
            "/src/b/1.png",
            "b/1.png",
            "augment",
            "render",
            "PNG",
            seed=12345,
            parameters={"angle": 3.5},
            note="kept",
            task=4,
        ),
    ]
    columns = as_columns(items)
    assert columns[0] == [0, 7] and columns[1] == ["a/0.png", "b/1_aug02.png"]
    assert len(columns) == 12 and all(len(c) == 2 for c in columns)
    assert from_columns(columns) == items
    assert from_columns(as_columns([])) == []


def test_jobs_on_a_cluster_hold_more_outputs(cluster):
    from types import SimpleNamespace

    from imgbalance.folder._dask import CLUSTER_BATCH
    from imgbalance.folder._writing import BATCH, _jobs, batch_size

    assert _jobs(SimpleNamespace(dask=None, n_jobs=3)) == (3, BATCH)
    assert _jobs(SimpleNamespace(dask=cluster[1], n_jobs=None)) == (2, CLUSTER_BATCH)
    # 64x64 sources: at most 1024 outputs a job on a cluster, 256 here
    assert batch_size(64 * 64, 100_000, 2, CLUSTER_BATCH) == 1024
    assert batch_size(64 * 64, 100_000, 2) == 256
    # still four jobs a thread, and bounded by the sources' pixels
    assert batch_size(64 * 64, 4000, 2, CLUSTER_BATCH) == 500
    assert batch_size(2048 * 2048, 100_000, 2, CLUSTER_BATCH) == 2


def test_command(cluster, src, serial, tmp_path):
    scheduler = cluster[0].scheduler_address
    done = run_command(
        "balance", src, tmp_path / "dst", "--seed", "3", "--dask", scheduler, "--quiet"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert tree_hashes(tmp_path / "dst") == serial["augment"]


def _kill_in_third_save():
    """Installed on one worker: its third image saved leaves a partial
    temporary file, then the process ends at once (as a kill -9 would)."""
    import os

    from imgbalance.folder import _writing

    original, calls = _writing.save, []

    def save(image, path, image_format):
        calls.append(path)
        if len(calls) == 3:
            folder, name = os.path.split(path)
            with open(os.path.join(folder, f".imgbalance-tmp-0-{name}"), "wb") as f:
                f.write(b"partial")
            os._exit(1)
        return original(image, path, image_format)

    _writing.save = save


def test_worker_killed_mid_job(cluster, src, serial, tmp_path):
    _, client = cluster
    pids = client.run(os.getpid)
    doomed = min(pids)
    client.run(_kill_in_third_save, workers=[doomed])
    # no originals: every job saves images, so the doomed worker's first
    # job is cut short
    balance_folder(src, tmp_path / "dst", seed=3, originals="none", dask=client)
    client.wait_for_workers(2, timeout=60)
    assert pids[doomed] not in client.run(os.getpid).values()  # it was lost
    balance_folder(src, tmp_path / "one", seed=3, originals="none", n_jobs=1)
    assert tree_hashes(tmp_path / "dst") == tree_hashes(tmp_path / "one")


def _idle(client):
    """Wait until no worker runs a task (cancelled ones run to their end)."""
    for _ in range(200):
        busy = client.run(lambda dask_worker: dask_worker.state.executing_count)
        if not any(busy.values()):
            return
        time.sleep(0.05)
    raise AssertionError("the workers are still busy")


def test_resume_keeps_what_the_workers_journaled(cluster, src, serial, tmp_path):
    _, client = cluster
    dst = tmp_path / "dst"

    def stop(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        balance_folder(src, dst, seed=3, dask=client, progress=stop)
    _idle(client)
    journals = [n for n in os.listdir(dst) if n.startswith(".imgbalance-journal-")]
    journaled = set()
    for name in journals:
        with open(dst / name, "rb") as file:
            journaled |= {line.split(b"\t")[0] for line in file}
    assert journaled
    # as if the run's own process had been killed before recording any
    (dst / ".imgbalance-journal.tsv").write_bytes(b"")
    summary = balance_folder(src, dst, seed=3, resume=True, n_jobs=1)
    assert summary["already_done"] == len(journaled)
    assert tree_hashes(dst) == serial["augment"]


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_scheduler_refused_before_writing(src, tmp_path, monkeypatch):
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "1s")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    done = run_command("balance", src, tmp_path / "dst", "--dask", address)
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"imgbalance balance: --dask {address}: no Dask scheduler answered there "
        "within 1 s ("
    )
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "dst").exists()


def test_workers_that_do_not_see_src_refused(cluster, src, tmp_path, monkeypatch):
    # the workers started in another folder: a relative SRC is not theirs
    monkeypatch.chdir(src.parent)
    with pytest.raises(BalanceRefused, match="does not see SRC 'src' as this"):
        balance_folder("src", tmp_path / "dst", dask=cluster[1])
    assert not (tmp_path / "dst").exists()


def test_scheduler_without_workers_refused(src, tmp_path):
    with (
        distributed.LocalCluster(
            n_workers=0, processes=False, dashboard_address=":0"
        ) as empty,
        pytest.raises(BalanceRefused, match=r"^dask: the Dask scheduler at .* has no"),
    ):
        balance_folder(src, tmp_path / "dst", dask=empty.scheduler_address)
    assert not (tmp_path / "dst").exists()


def test_worker_seeing_another_dst_writes_nothing(tmp_path):
    # a job refuses a DST without the run's marker: the worker sees another
    # folder at that path than the run's own process
    from imgbalance.folder._dask import write_on_worker

    (tmp_path / "dst").mkdir()
    with pytest.raises(OSError, match="does not see the run's record in DST"):
        write_on_worker([], str(tmp_path / "dst"), None, {})
    assert list((tmp_path / "dst").iterdir()) == []


def test_not_an_address_refused(src, tmp_path):
    with pytest.raises(BalanceRefused, match=r"^dask=3: give the address of a Dask"):
        balance_folder(src, tmp_path / "dst", dask=3)
