"""The commands' progress bar: shown on a terminal (standard error a tty),
for inspect and balance alike, never with --quiet or into a pipe."""

import fcntl
import os
import pty
import struct
import termios

import pytest

from commands import COMMAND, run_command
from folders import write_pngs


def on_a_terminal(*args):
    """Run the installed command with a terminal for its output: (exit
    status, everything it wrote there)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, its output on a terminal of 80 columns
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execv(COMMAND, [COMMAND, *map(str, args)])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode()


@pytest.fixture
def src(tmp_path):
    return write_pngs(tmp_path / "src", {"cat": 30, "dog": 3})


@pytest.mark.parametrize("command", ["inspect", "balance"])
def test_a_bar_on_a_terminal_and_none_with_quiet(src, tmp_path, command):
    args = [command, src] + ([tmp_path / "dst"] if command == "balance" else [])
    code, shown = on_a_terminal(*args)
    assert code == 0
    total = 33 if command == "inspect" else 60
    assert f"{total}/{total} [" in shown and "file/s]" in shown  # tqdm's bar
    quiet = [command, src] + ([tmp_path / "quiet"] if command == "balance" else [])
    code, shown = on_a_terminal(*quiet, "--quiet")
    assert (code, shown) == (0, "")


def test_no_bar_into_a_pipe(src, tmp_path):
    done = run_command("inspect", src)
    assert done.returncode == 0 and done.stderr == ""
