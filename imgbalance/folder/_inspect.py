"""What a folder-per-class dataset holds: classes, sizes, modes, bad files."""

import os
import warnings
from collections import Counter

import numpy as np
from PIL import Image

from .._contract._checking import CHECK_PART, check_files, check_parts
from .._contract._files import large_image_message
from ..datasets._scanning import (
    count_image_folder,
    scan_image_folder,
    stream_image_folder,
)
from ..utils._display import shown_name
from ._samples import ClassSamples

__all__ = ["examine_folder", "inspect_folder", "summary_lines", "survey_folder"]


def _duplicate_groups(data, readable):
    """Groups of near-duplicate files among the readable ones (positions in
    the scan ``data``), by the perceptual hash at its default threshold."""
    from ..duplicates._finding import DEFAULT_THRESHOLD, duplicate_groups
    from ..duplicates._hashing import hash_items
    from ..duplicates._search import hamming_pairs

    if len(readable) == 0:
        return []
    with warnings.catch_warnings():  # large images: reported already
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        hashes = hash_items([data.paths[k] for k in readable])
    i, j = hamming_pairs(hashes, DEFAULT_THRESHOLD["perceptual"])
    return [
        {
            "files": [_shown(data.paths[readable[k]], data.root) for k in group],
            "classes": [
                shown_name(data.target_names[data.target[readable[k]]]) for k in group
            ],
            "distance": _widest(hashes[np.asarray(group)]),
        }
        for group in duplicate_groups(len(readable), i, j)
    ]


def _widest(hashes):
    """The largest Hamming distance between two of ``hashes`` (one row of
    uint64 words each): how far apart a group's most different files are."""
    rows = hashes.view(np.uint8).reshape(len(hashes), -1)
    differ = np.bitwise_xor(rows[:, None], rows[None, :])
    return int(np.unpackbits(differ, axis=-1).sum(axis=-1).max())


def _shown(path, root):
    """A path under ``root``, as a report names it."""
    return shown_name(os.path.relpath(path, root))


def inspect_folder(root, *, duplicates=False, n_jobs=None, progress=None):
    """Describe a folder-per-class dataset without changing anything.

    Every image file found by :func:`~imgbalance.datasets.load_image_folder`
    is decoded once (so truncated and corrupt files are found). The files
    are counted, then read and decoded a part at a time: memory does not
    grow with their number (but with ``duplicates``, which compares a hash
    of every file with the others').

    Parameters
    ----------
    root : str or os.PathLike
        ``root/<class>/**/<image>``.
    duplicates : bool, default=False
        Also find groups of near-duplicate images (perceptual hash, at most
        6 of 64 bits apart; see :func:`imgbalance.duplicates.find_duplicates`),
        within and across classes.
    n_jobs : int or None, default=None
        Worker processes decoding the files (joblib), once the work left
        pays for starting them; the report does not depend on it.
    progress : callable or None, default=None
        Called as ``progress(n, total)`` as files are decoded: ``n`` just
        checked, of ``total`` image files.

    Returns
    -------
    report : dict
        ``root``; ``classes`` (list of ``{"name", "images", "unreadable"}``,
        ``images`` counting the readable ones); ``n_images`` (readable);
        ``imbalance_ratio`` (largest over smallest class, readable images;
        None with fewer than one image in a class); ``empty_classes`` (class
        folders without an image file it can read);
        ``sizes`` (``width`` and ``height``: min, median, max; ``distinct``:
        how many different sizes); ``modes`` and ``formats`` (counts);
        ``unreadable`` (list of ``{"path", "class", "reason"}``, paths
        relative to ``root``: the files that cannot be decoded, then the
        folders that cannot be listed, their paths ending with ``/``); ``large_images`` (list of ``{"path", "width",
        "height"}``: readable images above Pillow's decompression-bomb limit,
        ``PIL.Image.MAX_IMAGE_PIXELS``); ``hidden_entries``, ``other_files`` (counts)
        and ``links_not_followed`` (relative paths); with ``duplicates``,
        ``duplicates`` (list of ``{"files", "classes", "distance"}``: each
        group's relative paths, their classes, and the most bits two of its
        hashes differ by).

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.folder import inspect_folder
    >>> root = tempfile.mkdtemp()
    >>> for cls, n in [("cat", 3), ("dog", 1)]:
    ...     os.mkdir(os.path.join(root, cls))
    ...     for i in range(n):
    ...         Image.new("RGB", (8, 6)).save(os.path.join(root, cls, f"{i}.png"))
    >>> open(os.path.join(root, "dog", "bad.png"), "w").close()
    >>> report = inspect_folder(root)
    >>> [(c["name"], c["images"], c["unreadable"]) for c in report["classes"]]
    [('cat', 3, 0), ('dog', 1, 1)]
    >>> report["imbalance_ratio"], report["modes"], report["unreadable"][0]["reason"]
    (3.0, {'RGB': 4}, 'empty file (0 bytes)')
    >>> import shutil; shutil.rmtree(root)
    """
    report, _ = survey_folder(
        root, duplicates=duplicates, n_jobs=n_jobs, progress=progress
    )
    return report


def survey_folder(
    root, *, duplicates=False, thumbnails=0, seed=0, n_jobs=None, progress=None
):
    """:func:`inspect_folder`'s report, and a seeded sample of at most
    ``thumbnails`` readable files of each class (a :class:`ClassSamples`).

    The files are read a part at a time, memory not growing with their
    number, but with ``duplicates``, which compares a hash of every file
    with the others'."""
    if duplicates:
        report, _, _, samples = examine_folder(
            root,
            duplicates=True,
            thumbnails=thumbnails,
            seed=seed,
            n_jobs=n_jobs,
            progress=progress,
        )
        return report, samples
    with warnings.catch_warnings():  # empty classes: in the report
        warnings.simplefilter("ignore", UserWarning)
        survey = count_image_folder(root, what="DIR")
    total = sum(survey.counts)
    parts = stream_image_folder(survey.root, survey.target_names, size=CHECK_PART)
    tally = _Tally(survey, thumbnails, seed)
    for code, paths, checked in check_parts(parts, total, n_jobs, CHECK_PART):
        tally.add(code, paths, checked)
        if progress is not None:
            progress(len(paths), total)
    return tally.report(), tally.samples


def examine_folder(
    root, *, duplicates=False, thumbnails=0, seed=0, n_jobs=None, progress=None
):
    """:func:`survey_folder` reading the whole list of files at once:
    ``(report, scan, checked, samples)``, with the scan it read (paths,
    labels, class names) and what decoding each file told (a compact
    ``Checked``, in the scan's order)."""
    with warnings.catch_warnings():  # empty classes: in the report
        warnings.simplefilter("ignore", UserWarning)
        data = scan_image_folder(root, what="DIR")
    total = len(data.paths)
    counted = None if progress is None else (lambda n: progress(n, total))
    checked = check_files(data.paths, n_jobs, progress=counted)
    tally = _Tally(data, thumbnails, seed)
    tally.add(data.target, data.paths, checked)
    report = tally.report()
    if duplicates:
        report["duplicates"] = _duplicate_groups(data, np.flatnonzero(checked.ok))
    return report, data, checked, tally.samples


class _Tally:
    """The figures of an inspect report, added up a part of the files at a
    time (``survey``: the scan's fields; its classes, ``target_names``),
    with a sample of each class's files (``thumbnails`` a class at most,
    drawn by ``seed``)."""

    def __init__(self, survey, thumbnails=0, seed=0):
        self.survey = survey
        n_classes = len(survey.target_names)
        self.samples = ClassSamples(survey.root, n_classes, thumbnails, seed)
        self.read = np.zeros(n_classes, dtype=np.int64)
        self.unread = np.zeros(n_classes, dtype=np.int64)
        self.sizes, self.modes, self.formats = Counter(), Counter(), Counter()
        self.unreadable, self.large = [], []  # (class, path, ...) of some files

    def add(self, labels, paths, checked):
        """Add the files ``paths`` of classes ``labels`` (a code, or one a
        file), ``checked`` (a ``Checked`` of them)."""
        labels = np.broadcast_to(np.asarray(labels, dtype=np.intp), len(paths))
        self.samples.add(labels, paths, checked)
        ok, n_classes = checked.ok, len(self.read)
        self.read += np.bincount(labels[ok], minlength=n_classes)
        self.unread += np.bincount(labels[~ok], minlength=n_classes)
        readable = np.flatnonzero(ok)
        sizes = checked.size[readable]
        if len(sizes):  # a count a size, not a Python object a file
            found, counts = np.unique(sizes, axis=0, return_counts=True)
            self.sizes.update(dict(zip(map(tuple, found.tolist()), counts.tolist())))
        for table, codes, tally in [
            (checked.modes, checked.mode, self.modes),
            (checked.formats, checked.format, self.formats),
        ]:
            found = np.bincount(codes[readable], minlength=len(table)).tolist()
            tally.update({table[c]: n for c, n in enumerate(found) if n})
        for k, reason in checked.reasons.items():
            self.unreadable.append((int(labels[k]), paths[k], reason))
        for i in _above_limit(sizes).tolist():
            w, h = sizes[i].tolist()
            if large_image_message((w, h)) is not None:
                k = int(readable[i])
                self.large.append((int(labels[k]), paths[k], w, h))

    def report(self):
        """The report's dict (see :func:`inspect_folder`)."""
        survey, names = self.survey, self.survey.target_names
        counts = self.read.tolist()
        emptied = [name for name, n in zip(names, counts) if n == 0]
        return {
            "root": shown_name(survey.root),
            "classes": [
                {"name": shown_name(name), "images": n, "unreadable": m}
                for name, n, m in zip(names, counts, self.unread.tolist())
            ],
            "n_images": sum(counts),
            "imbalance_ratio": (max(counts) / min(counts)) if min(counts) > 0 else None,
            "empty_classes": [
                shown_name(name) for name in sorted(survey.empty_classes + emptied)
            ],
            "sizes": {
                "width": _spread(self._sizes_along(0)),
                "height": _spread(self._sizes_along(1)),
                "distinct": len(self.sizes),
            },
            "modes": dict(sorted(self.modes.items())),
            "formats": dict(sorted(self.formats.items())),
            "unreadable": [
                {
                    "path": _shown(path, survey.root),
                    "class": shown_name(names[code]),
                    "reason": reason,
                }
                for code, path, reason in sorted(self.unreadable)
            ]
            + [
                {key: shown_name(value) for key, value in folder.items()}
                for folder in survey.unreadable_folders
            ],
            "large_images": [
                {"path": _shown(path, survey.root), "width": w, "height": h}
                for _, path, w, h in sorted(self.large)
            ],
            "hidden_entries": survey.n_hidden,
            "other_files": survey.n_other,
            "links_not_followed": [
                _shown(p, survey.root) for p in survey.links_not_followed
            ],
        }

    def _sizes_along(self, axis):
        """Width (``axis`` 0) or height -> how many readable files have it."""
        counts = Counter()
        for size, n in self.sizes.items():
            counts[size[axis]] += n
        return counts


def _above_limit(sizes):
    """Positions of the ``sizes`` (width, height rows) above Pillow's
    decompression-bomb limit, found without a Python object per file."""
    limit = Image.MAX_IMAGE_PIXELS
    if limit is None or not len(sizes):
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(sizes.prod(axis=1, dtype=np.int64) > limit)


def _spread(counts):
    """min, median and max of some sizes given as ``{value: count}`` (None
    without any): the median is np.median's of the values repeated."""
    if not counts:
        return None
    values = sorted(counts)
    ends = np.cumsum([counts[v] for v in values])  # past each value's last
    n = int(ends[-1])
    middle = [
        values[np.searchsorted(ends, k, side="right")] for k in {n // 2, (n - 1) // 2}
    ]
    return {
        "min": int(values[0]),
        "median": float(sum(middle) / len(middle)),
        "max": int(values[-1]),
    }


def summary_lines(report):
    """The summary of an :func:`inspect_folder` report as lines of text:
    the imbalance ratio, sizes, modes and formats, empty class folders."""
    ratio = report["imbalance_ratio"]
    lines = [
        "imbalance ratio (largest / smallest class): "
        + (f"{ratio:.2f}" if ratio is not None else "undefined (a class has no image)")
    ]
    sizes = report["sizes"]
    if sizes["width"] is not None:
        w, h = sizes["width"], sizes["height"]
        lines.append(
            f"sizes: width {w['min']}-{w['max']} (median {w['median']:g}), height "
            f"{h['min']}-{h['max']} (median {h['median']:g}); "
            f"{sizes['distinct']} distinct size(s)"
        )
    lines.append(
        "modes: "
        + (", ".join(f"{k} {v}" for k, v in report["modes"].items()) or "none")
        + "; formats: "
        + (", ".join(f"{k} {v}" for k, v in report["formats"].items()) or "none")
    )
    if report["empty_classes"]:
        lines.append(
            "class folders without images: " + ", ".join(report["empty_classes"])
        )
    return lines
