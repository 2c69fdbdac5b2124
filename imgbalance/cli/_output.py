"""What the command prints: standard output that may be closed early, one
line per error, and one JSON object for scripts.

A standard output that goes away (``imgbalance inspect DIR | head``) or
was closed before the command started is not an error: what is left to
print is dropped, the work goes on, and the exit status is the one the
work earns. One that cannot be written (a full disk, an error of its
device) is the same, but said once, in one line on standard error.
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


_unwritable_said = []  # standard output's error, once said


def _unwritable(exc):
    """Standard output cannot be written: said once on standard error, and
    what is left to print dropped."""
    if not _unwritable_said:
        _unwritable_said.append(exc)
        try:
            print(
                f"imgbalance: standard output could not be written ({exc}); what "
                "was left to print is dropped.",
                file=sys.stderr,
                flush=True,
            )
        except (OSError, ValueError, AttributeError):  # standard error too
            pass
    _drop_stdout()


def flush_stdout():
    """Flush standard output; a reader that went away is not an error."""
    if sys.stdout is None:  # closed before the command started
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except OSError as exc:
        _unwritable(exc)


def say(text=""):
    """Print ``text`` and a line end on standard output, now; characters
    its encoding cannot hold (an ASCII or a code-page output) as ``\\xe9``,
    ``\\u00e9`` escapes."""
    if sys.stdout is None:  # closed before the command started
        return
    try:
        sys.stdout.write(f"{text}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except OSError as exc:  # a full disk, an error of the device
        _unwritable(exc)
    except UnicodeEncodeError:  # raised before anything is written
        encoding = sys.stdout.encoding
        say(text.encode(encoding, "backslashreplace").decode(encoding))


def print_json(value):
    """Print ``value`` as one JSON object on standard output (with JSON's
    own escapes where its encoding cannot hold a character)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
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
