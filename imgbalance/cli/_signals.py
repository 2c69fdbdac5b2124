"""SIGINT and SIGTERM as an exception while a command works, so that it
ends with its documented exit status and one line, not a traceback."""

import contextlib
import signal
import threading

__all__ = ["Stopped", "signals_stop"]


class Stopped(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM arrived: ``signum`` and ``name``."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def signals_stop():
    """Turn SIGINT and SIGTERM into :class:`Stopped` while the block runs
    (each file is written under a temporary name, removed when a write is
    cut short, so what is left is complete), then restore the handlers.

    Yields the list of the signals received: Python ignores an exception
    raised while it runs some of its own callbacks, so a signal can arrive
    without stopping the block; the caller checks the list after it.
    """
    received = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # handlers can only be set from the main thread
        return

    def stop(signum, frame):
        received.append(signum)
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
