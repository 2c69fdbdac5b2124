"""The images of one folder-per-class dataset (a test part) with a
near-duplicate in another (the training part): leaks between two folders."""

import os
import warnings

import numpy as np

from ..datasets._scanning import relative_path, scan_image_folder
from ..duplicates._finding import SPLIT_THRESHOLD
from ..duplicates._hashing import hash_items
from ..duplicates._search import hamming_pairs
from ..utils._display import shown_name

__all__ = ["find_folder_leaks"]


def _hashed(root, what, n_jobs):
    """The scan of ``root``, the hash of each file, and the files that do
    not decode (position -> reason)."""
    with warnings.catch_warnings():  # empty classes: nothing to compare
        warnings.simplefilter("ignore", UserWarning)
        scan = scan_image_folder(root, what=what)
    failed = {}
    hashes = hash_items(scan.paths, n_jobs=n_jobs, failed=failed)
    return scan, hashes, failed


def _bits_apart(a, b):
    """Hamming distance of each pair of hash rows."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.int64)
    differ = np.bitwise_xor(a, b).view(np.uint8).reshape(len(a), -1)
    return np.unpackbits(differ, axis=1).sum(axis=1)


def find_folder_leaks(train, test, *, threshold=None, n_jobs=None):
    """The images of ``test`` with a near-duplicate in ``train``.

    Every image file of both folders is hashed once (the perceptual hash,
    JPEGs decoded at a reduced scale) and the pairs at most ``threshold``
    bits apart are found without comparing every pair. A leak is a test
    image whose near-duplicate (a re-encoded, resized, slightly shifted or
    brightened copy) is in the training part: a score measured on the test
    part then measures memory.

    Parameters
    ----------
    train, test : str or os.PathLike
        Two folder-per-class datasets.
    threshold : int or None, default=None
        Bits of 64 two near-duplicates' hashes may differ by; None: 8 (as
        :func:`~imgbalance.folder.split_folder` groups them).
    n_jobs : int or None, default=None
        Threads decoding and hashing the files.

    Returns
    -------
    report : dict
        ``train``, ``test``, ``threshold``, ``n_train``, ``n_test`` (image
        files), ``leaks`` (one ``{"test", "class", "train"}`` per leaking
        test image, ``train`` its near-duplicates as ``{"path", "class",
        "distance"}``, nearest first; paths relative to their folder),
        ``n_leaks``, ``across_classes`` (leaks whose two images are in
        different classes) and ``unreadable`` (``{"folder", "path",
        "reason"}``).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import find_folder_leaks
    >>> train, test = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, (3, 64, 64, 3), dtype=np.uint8)
    >>> for root, name, k in [(train, "a.png", 0), (train, "b.png", 1),
    ...                       (test, "c.png", 2), (test, "copy.jpg", 1)]:
    ...     os.makedirs(os.path.join(root, "cats"), exist_ok=True)
    ...     Image.fromarray(images[k]).save(os.path.join(root, "cats", name))
    >>> report = find_folder_leaks(train, test)
    >>> [(leak["test"], [m["path"] for m in leak["train"]]) for leak in report["leaks"]]
    [('cats/copy.jpg', ['cats/b.png'])]
    """
    threshold = SPLIT_THRESHOLD if threshold is None else threshold
    train_scan, train_hashes, train_failed = _hashed(train, "TRAIN", n_jobs)
    test_scan, test_hashes, test_failed = _hashed(test, "TEST", n_jobs)
    i, j = hamming_pairs(test_hashes, threshold, train_hashes)
    good = ~(np.isin(i, list(test_failed)) | np.isin(j, list(train_failed)))
    i, j = i[good], j[good]
    distance = _bits_apart(test_hashes[i], train_hashes[j])

    def name(scan, k):
        return relative_path(scan.paths[k], scan.root).replace(os.sep, "/")

    def label(scan, k):
        return scan.target_names[scan.target[k]]

    leaks, across = [], 0
    for a in np.unique(i).tolist():
        at = np.flatnonzero(i == a)
        at = at[np.lexsort((j[at], distance[at]))]
        matches = [
            {
                "path": name(train_scan, int(j[k])),
                "class": label(train_scan, int(j[k])),
                "distance": int(distance[k]),
            }
            for k in at
        ]
        leak = {"test": name(test_scan, a), "class": label(test_scan, a)}
        leaks.append(dict(leak, train=matches))
        across += any(m["class"] != leak["class"] for m in matches)
    unreadable = [
        {"folder": what, "path": name(scan, k), "reason": reason}
        for what, scan, failed in [
            ("TRAIN", train_scan, train_failed),
            ("TEST", test_scan, test_failed),
        ]
        for k, reason in sorted(failed.items())
    ] + [
        {"folder": what, "path": folder["path"], "reason": folder["reason"]}
        for what, scan in [("TRAIN", train_scan), ("TEST", test_scan)]
        for folder in scan.unreadable_folders
    ]
    return {
        "train": shown_name(os.fspath(train)),
        "test": shown_name(os.fspath(test)),
        "threshold": int(threshold),
        "n_train": len(train_scan.paths),
        "n_test": len(test_scan.paths),
        "leaks": leaks,
        "n_leaks": len(leaks),
        "across_classes": across,
        "unreadable": unreadable,
    }
