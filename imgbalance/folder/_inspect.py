"""What a folder-per-class dataset holds: classes, sizes, modes, bad files."""

import os
import warnings

import numpy as np
from PIL import Image

from .._contract._files import check_image_file, large_image_message
from ..datasets._scanning import scan_image_folder
from ..utils._display import shown_name

__all__ = ["examine_folder", "inspect_folder", "summary_lines"]


def _duplicate_groups(readable, root, class_of):
    """Groups of near-duplicate files among ``readable`` (ImageFileInfo),
    by the perceptual hash at its default threshold."""
    from ..duplicates._finding import DEFAULT_THRESHOLD, duplicate_groups
    from ..duplicates._hashing import hash_items
    from ..duplicates._search import hamming_pairs

    if not readable:
        return []
    with warnings.catch_warnings():  # large images: reported already
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        hashes = hash_items([info.path for info in readable])
    i, j = hamming_pairs(hashes, DEFAULT_THRESHOLD["perceptual"])
    return [
        {
            "files": [shown_name(os.path.relpath(readable[k].path, root)) for k in g],
            "classes": [class_of[readable[k].path] for k in g],
        }
        for g in duplicate_groups(len(readable), i, j)
    ]


def inspect_folder(root, *, duplicates=False):
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

    Returns
    -------
    report : dict
        ``root``; ``classes`` (list of ``{"name", "images", "unreadable"}``,
        ``images`` counting the readable ones); ``n_images`` (readable);
        ``imbalance_ratio`` (largest over smallest class, readable images;
        None with fewer than one image in a class); ``empty_classes``;
        ``sizes`` (``width`` and ``height``: min, median, max; ``distinct``:
        how many different sizes); ``modes`` and ``formats`` (counts);
        ``unreadable`` (list of ``{"path", "class", "reason"}``, paths
        relative to ``root``); ``large_images`` (list of ``{"path", "width",
        "height"}``: readable images above Pillow's decompression-bomb limit,
        ``PIL.Image.MAX_IMAGE_PIXELS``); ``hidden_entries``, ``other_files`` (counts)
        and ``links_not_followed`` (relative paths); with ``duplicates``,
        ``duplicates`` (list of ``{"files", "classes"}``: each group's
        relative paths and their classes).

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
    return examine_folder(root, duplicates=duplicates)[0]


def examine_folder(root, *, duplicates=False):
    """:func:`inspect_folder`'s report, with the scan it read (paths,
    labels, class names) and what decoding each file told (``ImageFileInfo``
    in the scan's order)."""
    with warnings.catch_warnings():  # empty classes: in the report
        warnings.simplefilter("ignore", UserWarning)
        data = scan_image_folder(root, what="DIR")
    root = data.root
    infos = [check_image_file(path) for path in data.paths]
    ok = np.array([info.ok for info in infos], dtype=bool)
    target = np.asarray(data.target, dtype=np.intp)
    n_classes = len(data.target_names)
    read = np.bincount(target[ok], minlength=n_classes).tolist()
    unread = np.bincount(target[~ok], minlength=n_classes).tolist()
    classes = [
        {"name": shown_name(name), "images": n, "unreadable": m}
        for name, n, m in zip(data.target_names, read, unread)
    ]
    counts = [c["images"] for c in classes]
    readable = [info for info in infos if info.ok]
    sizes = np.array([info.size for info in readable]).reshape(-1, 2)

    def summary(values):
        if len(values) == 0:
            return None
        return {
            "min": int(values.min()),
            "median": float(np.median(values)),
            "max": int(values.max()),
        }

    def tally(values):
        out = {}
        for value in values:
            out[value] = out.get(value, 0) + 1
        return dict(sorted(out.items()))

    report = {
        "root": shown_name(root),
        "classes": classes,
        "n_images": len(readable),
        "imbalance_ratio": (max(counts) / min(counts)) if min(counts) > 0 else None,
        "empty_classes": [shown_name(name) for name in data.empty_classes],
        "sizes": {
            "width": summary(sizes[:, 0]),
            "height": summary(sizes[:, 1]),
            "distinct": len({tuple(s) for s in sizes.tolist()}),
        },
        "modes": tally(info.mode for info in readable),
        "formats": tally(info.format for info in readable),
        "unreadable": [
            {
                "path": shown_name(os.path.relpath(info.path, root)),
                "class": shown_name(data.target_names[t]),
                "reason": info.reason,
            }
            for info, t in zip(infos, data.target)
            if not info.ok
        ],
        "large_images": [
            {
                "path": shown_name(os.path.relpath(info.path, root)),
                "width": info.size[0],
                "height": info.size[1],
            }
            for info in readable
            if large_image_message(info.size) is not None
        ],
        "hidden_entries": data.n_hidden,
        "other_files": data.n_other,
        "links_not_followed": [
            shown_name(os.path.relpath(p, root)) for p in data.links_not_followed
        ],
    }
    if duplicates:
        class_of = {
            info.path: shown_name(data.target_names[t])
            for info, t in zip(infos, data.target)
        }
        report["duplicates"] = _duplicate_groups(readable, root, class_of)
    return report, data, infos


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
