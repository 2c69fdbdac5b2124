"""One run at a time in a destination folder.

A run holds an exclusive lock (``flock``) on a file in DST for as long as it
writes; a second run, or a ``--resume`` started meanwhile, is refused
before it writes anything. The kernel releases the lock when the process
ends however it ends (a kill included), so a stale lock file never blocks a
later run. On systems without ``fcntl`` (Windows) runs are not serialised.
"""

import contextlib
import os

from ..utils._stopping import signals_held

try:
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms tested
    fcntl = None

__all__ = ["LOCK", "DestinationBusy", "check_free", "exclusive_run"]

LOCK = ".imgbalance-lock"


class DestinationBusy(Exception):
    """Another process holds the destination; ``args``: (dst, its pid or
    None when it cannot be read)."""


def _holder(path):
    try:
        with open(path, encoding="ascii") as file:
            return int(file.read().strip() or "x")
    except (OSError, ValueError):
        return None


def check_free(dst):
    """Raise :class:`DestinationBusy` if a run holds ``dst`` now; create
    nothing (a look before the long work, the lock itself comes later)."""
    path = os.path.join(dst, LOCK)
    if fcntl is None or not os.path.exists(path):
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # the run just ended
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise DestinationBusy(dst, _holder(path)) from None
    finally:
        os.close(fd)  # releases the lock if this look took it


@contextlib.contextmanager
def exclusive_run(dst):
    """Create ``dst`` if needed and hold its lock while the block runs.

    Raises :class:`DestinationBusy` when another process holds it. A stop
    (a signal) while the lock is being taken is held back until its
    release is set up: a stopped run leaves no lock file behind.
    """
    os.makedirs(dst, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = os.path.join(dst, LOCK)
    with contextlib.ExitStack() as release:
        with signals_held():
            fd = _take(path, dst)
            release.callback(_let_go, path, fd)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield


def _take(path, dst):
    """A descriptor of the lock file ``path``, locked by this process."""
    for _ in range(3):  # the file may be removed under us by a run ending
        # never through a link: the lock file is truncated and written
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DestinationBusy(dst, _holder(path)) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # locked a file a finished run had just removed
    raise DestinationBusy(dst, None)  # pragma: no cover - three runs ending


def _let_go(path, fd):
    """Remove the lock file, then release the lock."""
    with contextlib.suppress(OSError):
        os.remove(path)
    os.close(fd)
