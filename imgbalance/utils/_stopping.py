"""The signals that stop a command, the exception they become, and the
steps they must not cut in two."""

import contextlib
import signal

__all__ = ["STOPPING", "Stopped", "held_back", "signals_held"]

# the signals whose default action ends the process and which a command
# turns into a clean stop: Ctrl-C, kill, a closed terminal, the user-defined
# ones, an alarm, the CPU-time limit (ulimit -t) before its SIGKILL. Left
# alone: SIGQUIT (asks for a core dump), SIGPIPE (Python ignores it: a
# closed pipe is an error on write), the profilers' SIGPROF and SIGVTALRM.
STOPPING = tuple(
    getattr(signal, name)
    for name in (
        "SIGHUP",
        "SIGINT",
        "SIGTERM",
        "SIGUSR1",
        "SIGUSR2",
        "SIGALRM",
        "SIGXCPU",
    )
    if hasattr(signal, name)
)


class Stopped(BaseException):
    """A signal of :data:`STOPPING` arrived: ``signum`` and ``name``."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


# the signals held back by each signals_held block running (innermost last)
_HELD = []


def held_back(signum):
    """Whether a :func:`signals_held` block holds ``signum`` back (it is
    then raised as the block ends); called by the command's handlers."""
    if not _HELD:
        return False
    _HELD[-1].append(signum)
    return True


@contextlib.contextmanager
def signals_held():
    """Hold back a stop (a signal of :data:`STOPPING`, turned into
    :class:`Stopped` by the command's handlers) inside the block: it is
    raised as the block ends. For a step and the set-up of its undoing,
    such as a lock taken and its release registered, which a stop between
    the two would leave half done. Outside a command (no handler of ours in
    place) signals act as they would."""
    _HELD.append([])
    try:
        yield
    finally:
        held = _HELD.pop()
        if held and _HELD:
            _HELD[-1].extend(held)
        elif held:
            raise Stopped(held[0])
