"""Signals that end a process (SIGINT, SIGTERM, SIGHUP...) as an exception
while a command works, so that it ends with its documented exit status
(128 + the signal's number) and one line, not a traceback or a silent
death.

Light on purpose (the standard library only): the command installs these
handlers before it imports anything heavy, so a Ctrl-C while it starts is
a stop like any other.
"""

import contextlib
import signal
import sys
import threading

from ..utils._stopping import STOPPING, Stopped, held_back

__all__ = ["STOPPING", "Stopped", "end_while_starting", "signals_stop"]


# the lists of the blocks running (innermost last): each gets every signal
_LISTENING = []


def _ours(signum, handler):
    """Whether the handler in place for ``signum`` may be replaced: Python's
    own (Ctrl-C as KeyboardInterrupt), the default, or a block's. A signal
    set to be ignored (``nohup`` ignores SIGHUP, a shell's background job
    SIGINT) stays ignored, and a handler of the program that called the
    command stays in place."""
    if handler is signal.SIG_DFL or handler is _stop:
        return True
    return signum == signal.SIGINT and handler is signal.default_int_handler


# signals that arrived during an import, to raise once it is done
_DEFERRED = set()
# how soon a deferred signal is looked at again (seconds)
_AGAIN_AFTER = 0.02


def _importing(frame):
    """Whether ``frame`` runs inside an import (of a module, or of one an
    extension module asks for as it loads)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def _send_again(signum):
    """Deliver a deferred ``signum`` to the main thread again, if a block
    still listens (else the work is done: it is dropped)."""
    if _LISTENING and signum in _DEFERRED:
        signal.pthread_kill(threading.main_thread().ident, signum)


def _stop(signum, frame):
    if signum not in _DEFERRED:
        for received in _LISTENING:
            received.append(signum)
    if _importing(frame):
        # not raised inside an import: the importing code (numpy's, for
        # one) may turn any error into an ImportError of its own, and leave
        # a module half made. While the command starts, nothing is done
        # yet: it ends at once; later, the stop is raised once the import
        # is done
        if _ENDING_WHILE_STARTING:
            _ENDING_WHILE_STARTING[0](signum)
        _defer(signum)
        return
    _DEFERRED.discard(signum)
    if held_back(signum):  # raised as the step that holds it ends
        return
    raise Stopped(signum)


def _defer(signum):
    """Deliver ``signum`` again in a moment (:func:`_send_again`)."""
    _DEFERRED.add(signum)
    timer = threading.Timer(_AGAIN_AFTER, _send_again, (signum,))
    timer.daemon = True
    timer.start()


# while a command starts as a process of its own: what ends it at once
_ENDING_WHILE_STARTING = []


def end_while_starting(end=None):
    """While a command starts (imports, options), a signal arriving inside
    an import calls ``end(signum)``, which ends the process (nothing is
    done yet to tidy); None: no longer starting."""
    _ENDING_WHILE_STARTING[:] = [end] if end is not None else []


def _quiet_unraisable(previous):
    """A ``sys.unraisablehook`` that says nothing of a :class:`Stopped`
    Python could not raise (it arrived while Python ran a callback of its
    own, a finaliser for instance) but delivers its signal again in a
    moment, and hands anything else to ``previous``."""

    def hook(unraisable):
        if isinstance(unraisable.exc_value, Stopped):
            _defer(unraisable.exc_value.signum)
            return
        previous(unraisable)

    return hook


@contextlib.contextmanager
def signals_stop(*, ignore_after=False):
    """Turn the signals of :data:`STOPPING` into :class:`Stopped` while the
    block runs (each file is written under a temporary name, removed when a
    write is cut short, so what is left is complete), then restore the
    handlers (``ignore_after``: ignore those signals instead, for a process
    whose work is done).

    Yields the list of the signals received while the block ran: Python
    ignores an exception raised while it runs some of its own callbacks, so
    a signal can arrive without stopping the block; the caller checks the
    list after it.
    """
    received = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # handlers can only be set from the main thread
        return
    previous = {}
    for signum in STOPPING:
        handler = signal.getsignal(signum)
        if _ours(signum, handler):
            previous[signum] = signal.signal(signum, _stop)
    hook = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable(hook)
    _LISTENING.append(received)
    outermost = not any(handler is _stop for handler in previous.values())
    try:
        yield received
    finally:
        for signum, handler in previous.items():  # first: the handlers
            signal.signal(signum, signal.SIG_IGN if ignore_after else handler)
        if outermost:
            _DEFERRED.clear()
        for at in range(len(_LISTENING) - 1, -1, -1):  # by identity
            if _LISTENING[at] is received:
                del _LISTENING[at]
                break
        sys.unraisablehook = hook
