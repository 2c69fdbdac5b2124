"""A balanced folder's files with the groups of cross-validation that keep
each source image and everything made from it on one side of a split."""

import os

import numpy as np

from ._manifest import neighbor_of, read_manifest

__all__ = ["manifest_groups"]


def _find(parent, k):
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def manifest_groups(dst):
    """The files of a folder written by ``imgbalance balance``, their
    classes, and a group for each set of files that share a source image.

    Augmented copies of one image are near-duplicates of it: in two folds
    they make the score measure memory. Give ``groups`` to
    :class:`sklearn.model_selection.GroupKFold` (or
    ``StratifiedGroupKFold``) so that an original, its augmented and random
    copies, and the SMOTE images made from it (with their neighbour's
    group joined) never land on both sides of a split.

    Parameters
    ----------
    dst : str or os.PathLike
        The balanced folder (its ``manifest.csv`` is read).

    Returns
    -------
    paths : ndarray of shape (n_files,), object
        The path of each file (``dst`` joined to the manifest's
        ``output``), in the manifest's order.
    y : ndarray of shape (n_files,), object
        The class of each file.
    groups : ndarray of shape (n_files,), int64
        The group of each file, numbered from 0 in order of first
        appearance.

    Raises
    ------
    FileNotFoundError
        ``dst`` has no manifest (not a folder ``imgbalance balance`` wrote).
    ValueError
        The run writing ``dst`` has not finished, or the manifest is not
        one imgbalance wrote.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import balance_folder, manifest_groups
    >>> src = tempfile.mkdtemp()
    >>> for name, n in [("cat", 4), ("dog", 2)]:
    ...     os.mkdir(os.path.join(src, name))
    ...     for i in range(n):
    ...         image = np.full((8, 8), 60 * i, dtype=np.uint8)
    ...         Image.fromarray(image).save(os.path.join(src, name, f"{i}.png"))
    >>> dst = os.path.join(tempfile.mkdtemp(), "balanced")
    >>> summary = balance_folder(src, dst, seed=0)
    >>> paths, y, groups = manifest_groups(dst)
    >>> [os.path.relpath(p, dst) for p in paths][-2:], groups.tolist()
    (['dog/1_aug0.png', 'dog/0_aug0.png'], [0, 1, 2, 3, 4, 5, 5, 4])
    >>> import shutil; shutil.rmtree(src); shutil.rmtree(os.path.dirname(dst))
    """
    dst = os.fspath(dst)
    rows = read_manifest(dst)
    number = {}  # source file -> its number
    parent = []
    for row in rows:
        for source in (row["source"], neighbor_of(row)):
            if source is not None and source not in number:
                number[source] = len(parent)
                parent.append(len(parent))
        neighbor = neighbor_of(row)
        if neighbor is not None:  # a SMOTE image joins its two sources
            a, b = _find(parent, number[row["source"]]), _find(parent, number[neighbor])
            parent[max(a, b)] = min(a, b)
    roots = [_find(parent, number[row["source"]]) for row in rows]
    _, groups = np.unique(roots, return_inverse=True)
    first = {}
    ordered = np.array([first.setdefault(g, len(first)) for g in groups.tolist()])
    paths = np.array(
        [os.path.join(dst, *row["output"].split("/")) for row in rows], dtype=object
    )
    y = np.array([row["class"] for row in rows], dtype=object)
    return paths, y, ordered.astype(np.int64)
