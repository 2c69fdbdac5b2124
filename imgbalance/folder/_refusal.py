"""The refusal of a folder request, before anything is written, and the
words its messages use for the options.

The library's messages name its parameters (``n_jobs=1000``); the command
runs it inside :func:`spoken_as` with its own flags, so that the same
messages name them (``--jobs 1000``).
"""

import contextlib
import contextvars

__all__ = ["BalanceRefused", "option", "spoken_as"]

_WORDS = contextvars.ContextVar("imgbalance_option_words", default=None)
_NO_VALUE = object()


class BalanceRefused(ValueError):
    """A request refused before anything is written: a usage or safety
    problem (the ``imgbalance balance`` command exits with status 2).

    Examples
    --------
    >>> import tempfile
    >>> from imgbalance.folder import BalanceRefused, balance_folder
    >>> src = tempfile.mkdtemp()
    >>> try:
    ...     balance_folder(src, src)
    ... except BalanceRefused as refusal:
    ...     print(refusal)
    DST '...' is SRC; give a separate folder.
    >>> try:
    ...     balance_folder(src, src + "-out", method="mirror")
    ... except BalanceRefused as refusal:
    ...     print(refusal)
    method='mirror' is not augment, random or smote.
    """


def option(name, value=_NO_VALUE):
    """An option as a message says it: the parameter (``name``, or
    ``name=value``), or inside :func:`spoken_as` the command's flag
    (``--flag`` or ``--flag value``; a value of True is the flag alone)."""
    words = _WORDS.get()
    if words is None:
        return name if value is _NO_VALUE else f"{name}={value!r}"
    flag, spell = words[name]
    if value is _NO_VALUE or value is True:
        return flag
    return f"{flag} {spell(value)}"


@contextlib.contextmanager
def spoken_as(words):
    """Within the block, :func:`option` says the command's flags.

    Parameters
    ----------
    words : dict
        Parameter name -> ``(flag, spell)``: the flag, and a function that
        writes a value as it is typed on the command line.
    """
    token = _WORDS.set(words)
    try:
        yield
    finally:
        _WORDS.reset(token)
