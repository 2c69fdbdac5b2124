"""List the images of a folder-per-class dataset, the unreadable ones found
by the checks of ``imgbalance inspect``."""

import os
import warnings

import numpy as np

from .._contract._checking import check_files
from ..utils._caller import warn
from ..utils._display import shown_name
from ._scanning import IMAGE_EXTENSIONS, scan_image_folder

__all__ = ["load_image_folder"]

ON_ERROR = ("raise", "skip", "ignore")


def load_image_folder(
    root, *, extensions=IMAGE_EXTENSIONS, on_error="raise", n_jobs=None
):
    """List the images of a folder-per-class dataset, each file checked.

    ``root/<class>/**/<image>``: each visible sub-folder of ``root`` is a
    class, named after the folder, and holds that class's images at any
    depth, as scikit-learn's :func:`~sklearn.datasets.load_files` and
    torchvision's ``ImageFolder`` expect. Classes are sorted by name; paths
    are sorted within a class. Hidden files and folders (name starting with
    ``.``), files of other extensions and files directly in ``root`` are
    ignored (and counted). Symbolic links leading out of ``root`` are not
    followed (and listed); linked sub-folders are not entered. Class folders
    without any image are left out of the classes and reported in a warning
    and in ``empty_classes``.

    Every image file is decoded once to check it, as ``imgbalance inspect``
    does (the same checks: JPEGs at a reduced scale, which still reads the
    whole file, so truncated and corrupt files are found), and nothing is
    kept in memory but what the check told. A file that cannot be read
    stops the load (``on_error="raise"``) or is left out and listed
    (``"skip"``), so that no pipeline meets it later, deep inside a
    cross-validation fold.

    Parameters
    ----------
    root : str or os.PathLike
        The dataset folder.
    extensions : tuple of str, default=IMAGE_EXTENSIONS
        File extensions taken as images, compared case-insensitively.
    on_error : {"raise", "skip", "ignore"}, default="raise"
        Unreadable files: raise ``ValueError`` naming them, leave them out
        (listed in ``unreadable``; a class left without a readable image is
        left out as an empty one), or ``"ignore"``: decode nothing and list
        every file (the fastest, for folders checked already).
    n_jobs : int or None, default=None
        Worker processes checking the files (joblib), once the work left
        pays for starting them; the result does not depend on it.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``paths`` (list of str, ``root`` joined with each file's relative
        path), ``target`` (ndarray of int, index into ``target_names``),
        ``target_names`` (list of str), ``empty_classes`` (list of str),
        ``unreadable`` (list of ``{"path", "class", "reason"}``, paths
        relative to ``root``: the files that cannot be decoded, then the
        folders that cannot be listed, their paths ending with ``/``),
        ``root`` (str), ``n_hidden`` (hidden files
        and folders seen), ``n_other`` (files of other extensions, and files
        directly in ``root``) and ``links_not_followed`` (list of str).

    Raises
    ------
    FileNotFoundError
        ``root`` does not exist.
    NotADirectoryError
        ``root`` is not a folder.
    ValueError
        No class folder of ``root`` holds an image, or (``on_error="raise"``)
        a file cannot be read.

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.datasets import load_image_folder
    >>> root = tempfile.mkdtemp()
    >>> for cls, n in [("cat", 2), ("dog", 1)]:
    ...     os.mkdir(os.path.join(root, cls))
    ...     for i in range(n):
    ...         Image.new("L", (4, 4)).save(os.path.join(root, cls, f"{i}.png"))
    >>> data = load_image_folder(root)
    >>> data.target_names, data.target.tolist()
    (['cat', 'dog'], [0, 0, 1])
    >>> [os.path.relpath(p, root) for p in data.paths] == [
    ...     os.path.join("cat", "0.png"), os.path.join("cat", "1.png"),
    ...     os.path.join("dog", "0.png")]
    True
    >>> with open(os.path.join(root, "dog", "cut.png"), "wb") as file:
    ...     _ = file.write(b"\\x89PNG")
    >>> load_image_folder(root)
    Traceback (most recent call last):
    ...
    ValueError: 1 file(s) of '...' cannot be read (the first: dog/cut.png: ...
    >>> data = load_image_folder(root, on_error="skip")
    >>> len(data.paths), data.unreadable[0]["path"]
    (3, 'dog/cut.png')
    >>> import shutil; shutil.rmtree(root)
    """
    from sklearn.utils import Bunch  # here: scanning needs no scikit-learn

    if not isinstance(on_error, str) or on_error not in ON_ERROR:
        raise ValueError(f"on_error={on_error!r} is not 'raise', 'skip' or 'ignore'.")
    with warnings.catch_warnings():  # said below, with the unreadable classes
        warnings.simplefilter("ignore", UserWarning)
        scan = scan_image_folder(root, extensions=extensions)
    found = vars(scan)
    folders = found.pop("unreadable_folders")
    found["unreadable"] = []
    if folders and on_error == "raise":
        first = folders[0]
        raise ValueError(
            f"{len(folders)} folder(s) of {scan.root!r} cannot be read (the "
            f"first: {shown_name(first['path'])}: {first['reason']}); give read "
            "access to them, or leave them out with on_error='skip' (they are "
            "then listed in unreadable)."
        )
    if on_error != "ignore":
        _leave_out_unreadable(found, check_files(scan.paths, n_jobs), on_error)
    found["unreadable"] += folders
    if found["empty_classes"]:
        empty = found["empty_classes"]
        warn(
            f"{len(empty)} class folder(s) of {scan.root!r} hold no readable "
            f"image and are left out: {', '.join(map(repr, empty))}."
        )
    return Bunch(**found)


def _leave_out_unreadable(found, checked, on_error):
    """Refuse (``on_error="raise"``) or leave out the files ``checked``
    found unreadable, and the classes that keeps without an image."""
    root, paths, target = found["root"], found["paths"], found["target"]
    names = found["target_names"]
    unreadable = [
        {
            "path": os.path.relpath(paths[k], root).replace(os.sep, "/"),
            "class": names[target[k]],
            "reason": reason,
        }
        for k, reason in sorted(checked.reasons.items())
    ]
    if not unreadable:
        return
    if on_error == "raise":
        first = unreadable[0]
        raise ValueError(
            f"{len(unreadable)} file(s) of {root!r} cannot be read (the first: "
            f"{shown_name(first['path'])}: {first['reason']}); leave them out "
            "with on_error='skip' (they are then listed in unreadable), or "
            "remove or replace them."
        )
    keep = np.flatnonzero(checked.ok)
    kept_codes = target[keep]
    present = np.unique(kept_codes)
    new_code = np.full(len(names), -1, dtype=np.intp)
    new_code[present] = np.arange(len(present))
    found["paths"] = [paths[k] for k in keep]
    found["target"] = new_code[kept_codes]
    found["target_names"] = [names[c] for c in present]
    emptied = [names[c] for c in range(len(names)) if new_code[c] < 0]
    found["empty_classes"] = sorted(found["empty_classes"] + emptied)
    found["unreadable"] = unreadable
    if not found["paths"]:
        raise ValueError(
            f"none of the {len(paths)} image files of {root!r} can be read (the "
            f"first: {shown_name(unreadable[0]['path'])}: "
            f"{unreadable[0]['reason']})."
        )
