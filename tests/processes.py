"""Python code run in a fresh process: what a new user's interpreter sees
(nothing imported yet, one thread), whatever this test process holds."""

import subprocess
import sys


def run_python(script, *args, timeout=120):
    """``python -c script args...``: the finished process, text output."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
