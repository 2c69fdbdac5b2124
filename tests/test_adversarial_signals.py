"""Signals at random moments, start-up included, for every command: the
documented status (128 + the signal's number, or the status of a command
that had finished), one line saying so, never a traceback or a silent
death; SRC unchanged; and ``--resume`` after a stopped ``balance`` or
``split`` gives, byte for byte, the folder of an uninterrupted run.

``IMGBALANCE_ADVERSARIAL=full`` runs more moments per command."""

import os
import random
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from adversarial import file_hashes, maps_of, scaled, start, wait_for_handlers
from folders import write_pngs
from imgbalance.cli import main

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc"
)

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1]
TRIALS = scaled(3, 12)  # moments per command


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """SRC (a second or so of work for each writing command) and the folders
    an uninterrupted run of each writing command writes."""
    root = tmp_path_factory.mktemp("signals")
    src = write_pngs(root / "src", {"many": 90, "few": 12}, side=32, seed=5)
    whole = {}
    for name, args in WRITING.items():
        dst = root / f"whole-{name}"
        assert main([args[0], str(src), str(dst), *args[1:], "--quiet"]) in (0,)
        whole[name] = file_hashes(dst)
    return root, src, whole


# the writing commands, by the name of the test case: command and options
WRITING = {
    "balance-augment": ("balance", "--method", "augment"),
    "balance-random": ("balance", "--method", "random", "--jobs", "2"),
    "balance-smote": ("balance", "--method", "smote"),
    "split": ("split", "--test", "0.25"),
}
# the others: arguments after the command (SRC as "SRC") and the statuses
# a run that was not stopped ends with; the latest moment tried (seconds)
READING = {
    "inspect": (("SRC", "--quiet", "--duplicates"), {0}, 1.5),
    "leaks": (("SRC", "SRC", "--quiet"), {1}, 1.5),
    "compare": (("SRC", "--quiet", "--max-time", "2"), {0}, 3.0),
    "demo": (("--ratio", "5"), {0}, 3.0),
}


def _moment(rng, latest):
    """When to send the signal, in seconds after the command's handlers are
    in place: a third of the moments in its start-up (the imports)."""
    return rng.uniform(0, 0.15) if rng.random() < 1 / 3 else rng.uniform(0, latest)


def _stopped(args, signum, delay):
    """Run the command, send ``signum`` ``delay`` seconds after its handlers
    are in place: (status, standard error)."""
    import time

    process = start(*args)
    if wait_for_handlers(process):
        time.sleep(delay)
        process.send_signal(signum)
    out, err = process.communicate(timeout=600)
    return process.returncode, err.decode("utf-8")


def _check(command, code, err, signum, finished):
    """The status and the words of a run sent ``signum``."""
    name = signal.Signals(signum).name
    where = f"{command} {name}: status {code}, stderr {err!r}"
    assert "Traceback" not in err, where
    if code == 128 + signum:
        assert len(err.splitlines()) == 1, where
        assert err.startswith(f"imgbalance {command}: interrupted ({name})"), where
    else:  # the signal came as the work had ended: its own status, quietly
        assert code in finished and err == "", where


def _trials(src, root):
    """Every command's moments: (case, arguments, signal, delay), drawn by
    a seed of their own."""
    trials = []
    for case, (args, _, latest) in READING.items():
        rng = random.Random(f"{case}-{TRIALS}")
        argv = [case, *(str(src) if a == "SRC" else a for a in args)]
        for _ in range(TRIALS):
            trials.append((case, argv, rng.choice(SIGNALS), _moment(rng, latest)))
    for case, (command, *options) in WRITING.items():
        rng = random.Random(f"{case}-{TRIALS}")
        for k in range(TRIALS):
            argv = [command, str(src), str(root / f"{case}-{k}"), *options, "--quiet"]
            trials.append((case, argv, rng.choice(SIGNALS), _moment(rng, 1.5)))
    return trials


@pytest.fixture(scope="module")
def stopped(data):
    """Every moment of every command, run four at a time (most of a run is
    waiting for its moment): case -> [(arguments, signal, status, stderr)]."""
    root, src, _ = data
    before = file_hashes(src)
    trials = _trials(src, root)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda t: _stopped(t[1], t[2], t[3]), trials))
    assert file_hashes(src) == before  # SRC byte-identical
    out = {}
    for (case, argv, signum, _), (code, err) in zip(trials, outcomes):
        out.setdefault(case, []).append((argv, signum, code, err))
    return out


@pytest.mark.parametrize("case", list(READING), ids=list(READING))
def test_a_signal_at_a_random_moment_of_a_reading_command(case, stopped):
    for argv, signum, code, err in stopped[case]:
        _check(case, code, err, signum, READING[case][1])


@pytest.mark.parametrize("case", list(WRITING), ids=list(WRITING))
def test_a_signal_at_a_random_moment_then_resume_gives_the_whole_run(
    case, data, stopped
):
    _, src, whole = data
    for argv, signum, code, err in stopped[case]:
        command, dst = argv[0], argv[2]
        _check(command, code, err, signum, {0})
        if not os.path.exists(dst):  # stopped before DST was made: no more to do
            continue
        left = file_hashes(dst)
        assert not [p for p in left if ".imgbalance-tmp-" in p], (dst, left)
        assert ".imgbalance-lock" not in left
        resumed = main([*argv, "--resume"])
        assert resumed == 0, (dst, signum, code)
        assert file_hashes(dst) == whole[case], (dst, signum, code)


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_the_handlers_are_in_place_before_the_heavy_imports(data, signum):
    """The moment the command handles SIGTERM, numpy is not loaded yet: a
    signal then (Ctrl-C in the first tenths of a second) ends it with its
    status and one line, not a traceback (SIGINT) or a silent death
    (SIGTERM, SIGHUP: 143, 129 with nothing said). A signal during an
    import is raised once that import is done (importing code may turn an
    error into an ImportError of its own), so the line is the start-up's
    or inspect's own."""
    _, src, _ = data
    process = start("inspect", src)
    assert wait_for_handlers(process)
    loaded = maps_of(process.pid)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert "numpy" not in loaded and "_imaging" not in loaded
    name = signal.Signals(signum).name
    assert (process.returncode, out) == (128 + signum, b"")
    assert err.decode() in (
        f"imgbalance inspect: interrupted ({name}) while starting; nothing was done.\n",
        f"imgbalance inspect: interrupted ({name}); nothing was written.\n",
    )


def test_a_signal_ignored_by_the_caller_stays_ignored(data):
    """nohup (SIGHUP ignored) keeps the command going: it ends its work."""
    import subprocess

    _, src, _ = data
    process = subprocess.Popen(
        [sys.executable, "-c", _IGNORING_HUP, str(src)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert wait_for_handlers(process, signal.SIGTERM)
    os.kill(process.pid, signal.SIGHUP)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, b"")
    assert out.startswith(b"dataset: ")


# the command run as nohup runs it: SIGHUP set to be ignored before it starts
_IGNORING_HUP = """
import signal, sys
signal.signal(signal.SIGHUP, signal.SIG_IGN)
from imgbalance.cli import main
sys.argv = ["imgbalance", "inspect", sys.argv[1]]
sys.exit(main())
"""
