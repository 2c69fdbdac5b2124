"""The progress bar both commands show on a terminal (tqdm, installed with
imgbalance): on standard error, never with --quiet or where standard error
is not a terminal."""

import sys

__all__ = ["Progress"]


class Progress:
    """A progress bar made when the total is known: call it with the work
    just done and the total (``total`` may come with the first call)."""

    def __init__(self, shown, unit="file"):
        self.shown = shown and sys.stderr.isatty()
        self.unit, self.bar = unit, None

    def start(self, total):
        if self.shown and self.bar is None:
            from tqdm import tqdm

            # no monitor thread (it only helps bars updated rarely): a
            # process of one thread can fork its workers
            tqdm.monitor_interval = 0
            self.bar = tqdm(total=total, unit=self.unit, file=sys.stderr)

    def __call__(self, n, total=None):
        if total is not None:
            self.start(total)
        if self.bar is not None:
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
