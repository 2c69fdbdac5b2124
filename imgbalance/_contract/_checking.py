"""Checking the source files: each decoded once, in parts, the results kept
compactly (a few bytes a file).

Light on purpose: a worker process that checks files imports this module,
Pillow and numpy (and OpenCV for the quick check of JPEG files, where there
are files enough to pay for its import), not scikit-learn.
"""

import collections
import contextlib
import os
import sys

import numpy as np

from ..utils._parallel import effective_jobs, n_tasks
from ..utils._pool import end_with_parent, run_tasks
from ._files import check_image_file
from ._jpeg import JPEG_EXTENSIONS

__all__ = ["CHECK_PART", "Checked", "check_files", "check_many", "check_parts", "codes"]

# seconds of checking left from which worker processes (about 0.2 s to
# start each) take the rest
_CHECKS_PAY_AFTER = 0.3
# seconds the check of a file takes at the least (a 4x4 PNG: 40 us)
_CHECK_LEAST = 3e-5


def check_many(paths, run_pid, quick=False):
    """:func:`check_image_file` of each path, compactly: the reasons (None
    where readable), the formats, the modes and the sizes. In a worker
    process (not the run's own, ``run_pid``), it ends with its parent.
    ``quick``: the whole check has files enough for the quick check of
    JPEG files to pay for importing OpenCV (:func:`_opencv_for`)."""
    if os.getpid() != run_pid:
        end_with_parent()
    if quick:
        _opencv_for(paths)
    infos = [check_image_file(path) for path in paths]
    return (
        [info.reason for info in infos],
        [info.format for info in infos],
        [info.mode for info in infos],
        np.array([info.size or (0, 0) for info in infos], dtype=np.int64),
    )


class Checked:
    """What decoding each source told, a few bytes a file: ``ok``, the
    Pillow ``format`` and ``mode`` (codes into ``formats`` and ``modes``:
    Pillow has a few dozen of each, a byte each a file), ``size`` (width,
    height; int32, which holds any size Pillow opens: multiply them as
    int64) and ``reasons`` (position -> why unreadable)."""

    def __init__(self, n):
        self.ok = np.zeros(n, dtype=bool)
        self.format = np.zeros(n, dtype=np.uint8)
        self.mode = np.zeros(n, dtype=np.uint8)
        self.size = np.zeros((n, 2), dtype=np.int32)
        self.formats, self.modes, self.reasons = [None], [None], {}

    def add(self, start, part):
        """Store a part checked by :func:`check_many` from ``start``;
        returns where the next part starts."""
        reasons, formats, modes, sizes = part
        stop = start + len(reasons)
        for i, reason in enumerate(reasons):
            if reason is not None:
                self.reasons[start + i] = reason
        self.ok[start:stop] = [reason is None for reason in reasons]
        format_codes, mode_codes = (
            codes(formats, self.formats),
            codes(modes, self.modes),
        )
        if max(len(self.formats), len(self.modes)) > 256:  # a byte each: never seen
            raise ValueError("more than 256 image formats or modes")
        self.format[start:stop] = format_codes
        self.mode[start:stop] = mode_codes
        self.size[start:stop] = sizes.reshape(-1, 2)
        return stop


def codes(values, table):
    """Positions of ``values`` in ``table`` (a list, extended with new
    values)."""
    index = {value: i for i, value in enumerate(table)}
    out = []
    for value in values:
        if value not in index:
            index[value] = len(table)
            table.append(value)
        out.append(index[value])
    return out


CHECK_PART = 1024  # files checked by a job: what it returns at once

# files from which the quick check of JPEG files (``_jpeg``: about 50 us a
# file less) pays for importing OpenCV (about 20 ms and 16 MB, in each
# process that checks files)
QUICK_PAYS_FROM = 1000


def _opencv_for(paths):
    """Import OpenCV, which the quick check of JPEG files uses once it is
    imported, where ``paths`` hold a JPEG file (not for other formats)."""
    if "cv2" in sys.modules or not any(
        path.lower().endswith(JPEG_EXTENSIONS) for path in paths
    ):
        return
    with contextlib.suppress(ImportError):  # a broken install: Pillow checks
        import cv2  # noqa: F401


def _checked(tasks, sizes, n_jobs):
    """:func:`check_many` of each task (``sizes``: their numbers of files),
    in order, in worker processes once the work pays for them; a worker
    checking files imports only this module's light needs (and OpenCV,
    where there are JPEG files enough for their quick check)."""
    return run_tasks(
        check_many,
        tasks,
        sizes,
        n_jobs,
        pays_after=_CHECKS_PAY_AFTER,
        preload=(__name__,),
        least_per_unit=_CHECK_LEAST,
    )


def check_files(paths, n_jobs=None, progress=None):
    """:func:`check_image_file` of every path as a :class:`Checked`, in
    parts; parts go to ``n_jobs`` worker processes once the work left pays
    for them (decoding small files holds the GIL too much for threads).
    ``progress``, if given, is called with the number of files of each part
    checked."""
    n_parts = max(1, -(-len(paths) // CHECK_PART))
    if effective_jobs(n_jobs) > 1:  # parts small enough to share out
        n_parts = max(n_parts, n_tasks(len(paths) // 64, n_jobs))
    bounds = np.linspace(0, len(paths), n_parts + 1).astype(int).tolist()
    quick, run_pid = len(paths) >= QUICK_PAYS_FROM, os.getpid()
    # made as they are taken: the parts in flight hold their paths as
    # strings, not the whole folder's
    tasks = ((paths[a:b], run_pid, quick) for a, b in zip(bounds[:-1], bounds[1:]))
    parts = _checked(tasks, np.diff(bounds).tolist(), n_jobs)
    checked, start = Checked(len(paths)), 0
    for part in parts:
        stop = checked.add(start, part)
        if progress is not None:
            progress(stop - start)
        start = stop
    return checked


def check_parts(parts, total, n_jobs=None, size=CHECK_PART):
    """Yield ``(labels, paths, checked)`` for each ``(labels, paths)`` of
    ``parts`` (an iterator of parts of ``size`` files, the last one
    smaller, ``total`` files in all: a streamed scan), ``checked`` a
    :class:`Checked` of the part's files: the parts are taken as they are
    checked, in worker processes once the work pays for them, as
    :func:`check_files`."""
    taken, run_pid = collections.deque(), os.getpid()
    quick = total >= QUICK_PAYS_FROM

    def tasks():
        for labels, paths in parts:
            taken.append((labels, paths))
            yield paths, run_pid, quick

    sizes = [size] * max(1, -(-total // size))
    for part in _checked(tasks(), sizes, n_jobs):
        labels, paths = taken.popleft()
        checked = Checked(len(paths))
        checked.add(0, part)
        yield labels, paths, checked
