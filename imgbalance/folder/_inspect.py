"""What a folder-per-class dataset holds: classes, sizes, modes, bad files."""

import os
import warnings

import numpy as np
from PIL import Image

from .._contract._checking import check_files
from .._contract._files import large_image_message
from ..datasets._scanning import scan_image_folder
from ..utils._display import shown_name

__all__ = ["examine_folder", "inspect_folder", "summary_lines"]


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
            "files": [_shown(data, readable[k]) for k in group],
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


def _shown(data, k):
    """File ``k`` of the scan, as a report names it."""
    return shown_name(os.path.relpath(data.paths[k], data.root))


def inspect_folder(root, *, duplicates=False, n_jobs=None, progress=None):
    """Describe a folder-per-class dataset without changing anything.

    Every image file found by :func:`~imgbalance.datasets.load_image_folder`
    is decoded once (so truncated and corrupt files are found).

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
    return examine_folder(
        root, duplicates=duplicates, n_jobs=n_jobs, progress=progress
    )[0]


def examine_folder(root, *, duplicates=False, n_jobs=None, progress=None):
    """:func:`inspect_folder`'s report, with the scan it read (paths,
    labels, class names) and what decoding each file told (a compact
    ``Checked``, in the scan's order)."""
    with warnings.catch_warnings():  # empty classes: in the report
        warnings.simplefilter("ignore", UserWarning)
        data = scan_image_folder(root, what="DIR")
    total = len(data.paths)
    counted = None if progress is None else (lambda n: progress(n, total))
    checked = check_files(data.paths, n_jobs, progress=counted)
    ok = checked.ok
    target = np.asarray(data.target, dtype=np.intp)
    n_classes = len(data.target_names)
    read = np.bincount(target[ok], minlength=n_classes).tolist()
    unread = np.bincount(target[~ok], minlength=n_classes).tolist()
    classes = [
        {"name": shown_name(name), "images": n, "unreadable": m}
        for name, n, m in zip(data.target_names, read, unread)
    ]
    counts = [c["images"] for c in classes]
    readable = np.flatnonzero(ok)
    sizes = checked.size[readable]
    report = {
        "root": shown_name(data.root),
        "classes": classes,
        "n_images": len(readable),
        "imbalance_ratio": (max(counts) / min(counts)) if min(counts) > 0 else None,
        "empty_classes": [
            shown_name(name) for name in sorted(data.empty_classes + _emptied(data, ok))
        ],
        "sizes": {
            "width": _spread(sizes[:, 0]),
            "height": _spread(sizes[:, 1]),
            "distinct": len(np.unique(sizes, axis=0)),
        },
        "modes": _tally(checked.modes, checked.mode[readable]),
        "formats": _tally(checked.formats, checked.format[readable]),
        "unreadable": [
            {
                "path": _shown(data, k),
                "class": shown_name(data.target_names[target[k]]),
                "reason": reason,
            }
            for k, reason in sorted(checked.reasons.items())
        ]
        + [
            {key: shown_name(value) for key, value in folder.items()}
            for folder in data.unreadable_folders
        ],
        "large_images": [
            {"path": _shown(data, readable[i]), "width": w, "height": h}
            for i in _above_limit(sizes).tolist()
            for w, h in [sizes[i].tolist()]
            if large_image_message((w, h)) is not None
        ],
        "hidden_entries": data.n_hidden,
        "other_files": data.n_other,
        "links_not_followed": [
            shown_name(os.path.relpath(p, data.root)) for p in data.links_not_followed
        ],
    }
    if duplicates:
        report["duplicates"] = _duplicate_groups(data, readable)
    return report, data, checked


def _above_limit(sizes):
    """Positions of the ``sizes`` (width, height rows) above Pillow's
    decompression-bomb limit, found without a Python object per file."""
    limit = Image.MAX_IMAGE_PIXELS
    if limit is None or not len(sizes):
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(sizes[:, 0] * sizes[:, 1] > limit)


def _emptied(data, ok):
    """The classes of the scan ``data`` none of whose files can be read
    (``ok``: whether each can)."""
    readable = np.bincount(
        np.asarray(data.target, dtype=np.intp)[ok], minlength=len(data.target_names)
    )
    return [name for name, n in zip(data.target_names, readable.tolist()) if n == 0]


def _spread(values):
    """min, median and max of some sizes (None without any)."""
    if len(values) == 0:
        return None
    return {
        "min": int(values.min()),
        "median": float(np.median(values)),
        "max": int(values.max()),
    }


def _tally(names, codes):
    """Name -> count of the codes given (into ``names``), sorted by name."""
    found = np.bincount(codes, minlength=len(names))
    return dict(sorted((names[c], int(n)) for c, n in enumerate(found) if n))


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
