"""Bytes a run holds per file, kept in an unnamed temporary file instead of
memory: written once, in parts, and read back by offset.

A folder of a million files is a million paths and a million sizes; held in
memory they grow the run with the folder. In a :class:`Spill` they take
the temporary folder's disk (``TMPDIR``) and the system's page cache, which
it can drop, and a few bytes of this process's memory.
"""

import os
import tempfile
import threading
import weakref

__all__ = ["Spill", "SpillError"]


class SpillError(OSError):
    """The temporary folder cannot hold what a run keeps out of memory.

    Its message is one sentence naming the folder and the fix.
    """


class Spill:
    """An unnamed temporary file of bytes, appended to and read by offset.

    Reads may come from several threads and from forked processes (which
    share the file): they do not move a shared position where the system
    reads at an offset (``os.pread``), and are taken in turn where it does
    not. ``size`` is the number of bytes written; ``close()`` lets the
    file go (done by itself when the spill is let go, or at exit).
    """

    def __init__(self):
        try:
            self._file = tempfile.TemporaryFile(prefix="imgbalance-")
        except OSError as exc:
            raise _error(exc) from None
        self._fd = self._file.fileno()
        # closed when the spill is let go (or at exit), without a warning
        self.close = weakref.finalize(self, self._file.close)
        self._lock = None if hasattr(os, "pread") else threading.Lock()
        self.size = 0

    def append(self, data):
        """Write ``data`` (bytes-like) at the end; returns where it starts."""
        start, view = self.size, memoryview(data).cast("B")
        try:
            while view:
                if self._lock is None:
                    done = os.pwrite(self._fd, view, self.size)
                else:
                    with self._lock:
                        os.lseek(self._fd, self.size, os.SEEK_SET)
                        done = os.write(self._fd, view)
                self.size += done
                view = view[done:]
        except OSError as exc:
            raise _error(exc) from None
        return start

    def read(self, start, stop):
        """The bytes from ``start`` to ``stop``."""
        parts, at = [], start
        while at < stop:
            if self._lock is None:
                part = os.pread(self._fd, stop - at, at)
            else:
                with self._lock:
                    os.lseek(self._fd, at, os.SEEK_SET)
                    part = os.read(self._fd, stop - at)
            if not part:
                raise OSError(
                    f"the temporary file of the run ended at byte {at} of "
                    f"{stop}: it was cut while the run used it"
                )
            parts.append(part)
            at += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)  # b"": none


def _error(exc):
    try:
        folder = tempfile.gettempdir()
    except OSError:  # none of the folders tried can be written
        return SpillError(
            "no folder for temporary files can be written (TMPDIR, /tmp, "
            "/var/tmp, /usr/tmp and the current folder were tried); set TMPDIR "
            "to a writable folder with room"
        )
    return SpillError(
        f"the temporary folder {folder} cannot hold the run's list of files "
        f"({exc.strerror or exc}); free some room there, or set TMPDIR to a "
        "folder with room"
    )
