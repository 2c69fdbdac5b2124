"""A worker process killed mid-run (by the system for want of memory, or by
hand) ends the command with one line and a documented exit code, never a
traceback."""

import os
import signal

import joblib
import numpy as np
import pytest
from folders import write_pngs
from processes import run_python

from imgbalance._contract import _checking
from imgbalance.cli import main
from imgbalance.utils._pool import WorkerLost, run_tasks

CHECK_MANY = _checking.check_many


def _killed_in_a_worker(value, run_pid):
    """A task that kills the worker process running it."""
    if os.getpid() != run_pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def _check_then_die(paths, run_pid, quick):
    """The checks of a part of the files, in a worker that is killed."""
    _killed_in_a_worker(None, run_pid)
    return CHECK_MANY(paths, run_pid, quick)


_FORKS_LOST = """
import os, signal
from imgbalance.utils._forks import can_fork
from imgbalance.utils._pool import WorkerLost, run_tasks

def killed_in_a_worker(value, run_pid):
    if os.getpid() != run_pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return value

assert can_fork()
tasks = [(i, os.getpid()) for i in range(6)]
try:
    list(run_tasks(killed_in_a_worker, tasks, [1] * 6, 2, pays_after=0.0))
except WorkerLost as exc:
    print(exc)
"""


def test_a_killed_forked_worker_is_worker_lost():
    """In a fresh process (one thread: the workers are forked)."""
    done = run_python(_FORKS_LOST)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("a worker process ended before its work did")


def test_a_killed_joblib_worker_is_worker_lost(monkeypatch):
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")
    tasks = [(i, os.getpid()) for i in range(6)]
    with pytest.raises(WorkerLost, match="a worker process ended before its work"):
        with joblib.parallel_config(backend="loky"):  # a backend the user set
            list(run_tasks(_killed_in_a_worker, tasks, [1] * 6, 2, pays_after=0.0))


@pytest.mark.parametrize("command", ["inspect", "balance"])
def test_a_command_whose_worker_is_killed_says_it_in_one_line(
    command, tmp_path, monkeypatch, capsys
):
    src = write_pngs(tmp_path / "src", {"a": 30, "b": 10}, side=4)
    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")
    monkeypatch.setattr(_checking, "CHECK_PART", 4)  # parts to share out
    monkeypatch.setattr("imgbalance.folder._inspect.CHECK_PART", 4)
    monkeypatch.setattr(_checking, "check_many", _check_then_die)
    args = [command, str(src), "--jobs", "2"]
    if command == "balance":
        args.insert(2, str(tmp_path / "dst"))
    code = main(args)
    out, err = capsys.readouterr()
    assert code == {"inspect": 2, "balance": 3}[command]
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "a worker process ended before its work did" in err
    assert sorted(os.listdir(src)) == ["a", "b"]  # SRC untouched


def _score_then_die(self, *args):
    """A comparison's scoring, in a worker that is killed."""
    if str(os.getpid()) != os.environ["IMGBALANCE_TEST_PARENT"]:
        os.kill(os.getpid(), signal.SIGKILL)
    return _SCORE(self, *args)


def test_a_comparison_whose_worker_is_killed_raises_worker_lost(monkeypatch):
    from sklearn.datasets import load_digits

    from imgbalance.model_selection import _fitting, compare_strategies

    global _SCORE
    _SCORE = _fitting.Scorer.score
    monkeypatch.setenv("IMGBALANCE_TEST_PARENT", str(os.getpid()))
    monkeypatch.setattr(_fitting.Scorer, "score", _score_then_die)
    X, y = load_digits(return_X_y=True)
    X = (X.reshape(-1, 8, 8)[:120] * 15).astype(np.uint8)
    with pytest.raises(WorkerLost, match="a worker process ended before its work"):
        compare_strategies(
            X, y[:120], strategies=["class weights", "none"], cv=2, n_jobs=2
        )


_FIRST_TASK = """
import os, sys
from imgbalance.utils._forks import can_fork
from imgbalance.utils._pool import run_tasks

def pid_of(_):
    return os.getpid()

assert can_fork()
tasks = [(i,) for i in range(4)]
least = float(sys.argv[1])
pids = run_tasks(pid_of, tasks, [1000] * 4, 2, pays_after=0.1, least_per_unit=least)
print([pid == os.getpid() for pid in pids])
"""


@pytest.mark.parametrize(
    "least, here",
    [
        (1e-3, [False] * 4),  # 4 s at the least: forked workers take it all
        (1e-5, [True] * 4),  # 0.04 s: the first measures them, they stay here
    ],
)
def test_work_known_to_pay_goes_to_forked_workers_from_the_first_task(least, here):
    """In a fresh process (one thread: the workers are forked). The tasks
    take no time: after the first, the rest would not pay."""
    done = run_python(_FIRST_TASK, least)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{here}\n"
