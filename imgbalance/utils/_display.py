"""Names shown to a user: file names as text any output can hold."""

import os

__all__ = ["shown_name"]


def shown_name(name):
    """``name`` as text that any UTF-8 output can hold on one line: bytes of
    a file name that are not UTF-8 (which Python keeps as lone surrogates)
    are shown as ``\\xff`` escapes, control characters (a newline, a tab)
    as ``\\n``, ``\\t`` or ``\\x1b``."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        name = "".join(
            repr(c)[1:-1] if ord(c) < 32 or ord(c) == 127 else c for c in name
        )
    return name
