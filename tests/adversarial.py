"""What the adversarial tests share: how large a run they make (the
environment variable ``IMGBALANCE_ADVERSARIAL=full`` asks for the larger
one, which CI runs), the command in a new process, the signal handlers of a
process as Linux shows them, and a folder's files without opening any but
regular files."""

import hashlib
import os
import signal
import stat
import subprocess
import time

from commands import COMMAND

FULL = os.environ.get("IMGBALANCE_ADVERSARIAL", "").lower() == "full"


def scaled(normal, full):
    """``full`` in the larger run, ``normal`` otherwise."""
    return full if FULL else normal


def start(*args, cwd=None):
    """The installed command in a new process (its own session, so that
    no signal of the test's terminal reaches it)."""
    return subprocess.Popen(
        [COMMAND, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    )


def caught_signals(pid):
    """The signals process ``pid`` has handlers for (Linux's SigCgt), or
    None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    mask = int(line.split()[1], 16)
                    return {s for s in signal.Signals if mask & (1 << (s - 1))}
    except OSError:
        return None
    return set()


def wait_for_handlers(process, signum=signal.SIGTERM, timeout=60):
    """Wait until ``process`` handles ``signum`` (the command's own
    handlers are in place; Python's own handle only SIGINT); False if it
    ended first."""
    deadline = time.monotonic() + timeout
    while True:
        caught = caught_signals(process.pid)
        if caught is None or process.poll() is not None:
            return False
        if signum in caught:
            return True
        assert time.monotonic() < deadline, f"no handler after {timeout} s"
        time.sleep(0.0005)


def maps_of(pid):
    """The files mapped into process ``pid`` (its loaded libraries)."""
    with open(f"/proc/{pid}/maps") as maps:
        return maps.read()


def file_hashes(folder):
    """Relative path -> sha256 of every regular file under ``folder``
    (a symbolic link: ``-> target``; other kinds: their kind), without
    recursion and without opening anything but regular files."""
    out = {}
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        with os.scandir(current) as listing:
            entries = list(listing)
        for entry in entries:
            relative = os.path.relpath(entry.path, folder)
            if entry.is_symlink():
                out[relative] = "-> " + os.readlink(entry.path)
            elif entry.is_dir():
                pending.append(entry.path)
            elif stat.S_ISREG(entry.stat().st_mode):
                with open(entry.path, "rb") as file:
                    out[relative] = hashlib.sha256(file.read()).hexdigest()
            else:
                out[relative] = "special"
    return out
