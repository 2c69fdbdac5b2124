"""A report rendered to a PNG by headless Chromium: a picture to attach, and
the browser's own check that the page loads cleanly."""

import os
import re
import shutil
import subprocess
import tempfile
from urllib.request import pathname2url

__all__ = ["find_chromium", "screenshot"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# what Chromium logs for each console message of the page
_CONSOLE = re.compile(r":CONSOLE(?::\d+|\(\d+\))\] (.*)$")
# no network, no first-run work, a profile of its own
_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def find_chromium():
    """The path of a Chromium (or Chrome) executable, or None."""
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(page, png, *, width=1100, height=1400, browser=None, timeout=60):
    """Render the HTML file ``page`` to the PNG file ``png`` with headless
    Chromium, and return the messages the page wrote to the browser's
    console (a report of imgbalance has no script: none).

    Parameters
    ----------
    page, png : str or os.PathLike
    width, height : int, default=(1100, 1400)
        The window, in CSS pixels: the top of the page is captured.
    browser : str or None, default=None
        The browser's executable; None looks for ``chromium``,
        ``chromium-browser``, ``google-chrome``.
    timeout : float, default=60
        Seconds before the browser is stopped.

    Returns
    -------
    console : list of str

    Raises
    ------
    FileNotFoundError
        When no browser is found (on Debian and Ubuntu: ``apt install
        chromium``).
    RuntimeError
        When the browser fails or writes no picture (its last words).

    Examples
    --------
    Needs Chromium, so not run here (tests/test_report_browser.py runs it):

    >>> from imgbalance.report import inspect_report, screenshot
    >>> inspect_report("data/train", "train.html")  # doctest: +SKIP
    >>> screenshot("train.html", "train.png")  # doctest: +SKIP
    []
    """
    hint = "install it (Debian, Ubuntu: apt install chromium) or pass browser="
    if browser is None:
        browser = find_chromium()
        if browser is None:
            looked = ", ".join(_NAMES)
            raise FileNotFoundError(f"no Chromium found (looked for {looked}); {hint}.")
    elif shutil.which(browser) is None:
        raise FileNotFoundError(f"browser {browser!r} is not a program; {hint}.")
    page, png = os.path.abspath(page), os.path.abspath(png)
    with tempfile.TemporaryDirectory(prefix="imgbalance-browser-") as profile:
        flags = list(_FLAGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses root otherwise
        done = subprocess.run(
            [
                browser,
                *flags,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                "file://" + pathname2url(page),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    if done.returncode != 0 or not os.path.isfile(png):
        last = " ".join(done.stderr.strip().splitlines()[-1:]) or "no message"
        raise RuntimeError(
            f"{browser} exited with {done.returncode} and wrote no {png!r}: {last}"
        )
    return [m.group(1) for m in map(_CONSOLE.search, done.stderr.splitlines()) if m]
