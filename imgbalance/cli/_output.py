"""What the command prints: standard output that may be closed early, one
line per error, and one JSON object for scripts.

A closed standard output (``imgbalance inspect DIR | head``) is not an
error: what is left to print is dropped, the work goes on, and the exit
status is the one the work earns.
"""

import json
import os
import sys

__all__ = ["fail", "flush_stdout", "print_json", "say"]


def _drop_stdout():
    """Send what is still to be printed to the null device (its buffer
    included, so that the interpreter's last flush finds nothing to say)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file: leave it
        pass
    finally:
        os.close(devnull)


def flush_stdout():
    """Flush standard output; a reader that went away is not an error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()


def say(text=""):
    """Print ``text`` and a line end on standard output, now; characters
    its encoding cannot hold (an ASCII or a code-page output) as ``\\xe9``,
    ``\\u00e9`` escapes."""
    try:
        sys.stdout.write(f"{text}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except UnicodeEncodeError:  # raised before anything is written
        encoding = sys.stdout.encoding
        say(text.encode(encoding, "backslashreplace").decode(encoding))


def print_json(value):
    """Print ``value`` as one JSON object on standard output (with JSON's
    own escapes where its encoding cannot hold a character)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(value, indent=2)
    say(text)


def fail(prog, message, code, as_json=False):
    """Report an error: ``prog: message`` on standard error, one line
    (line breaks inside the message, from a file name or a library's text,
    are shown as ``\\n``) and, for ``--json``, ``{"error": message,
    "exit_code": code}`` on standard output. Returns ``code``."""
    message = str(message).replace("\r", "\\r").replace("\n", "\\n")
    try:
        print(f"{prog}: {message}", file=sys.stderr, flush=True)
    except (BrokenPipeError, ValueError):  # standard error closed too
        pass
    if as_json:
        print_json({"error": message, "exit_code": code})
    return code
