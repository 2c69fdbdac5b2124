"""Scanning a folder-per-class image dataset: its classes and image files,
and what the scan leaves out. Shared by ``load_image_folder`` and the
folder commands."""

import os
import warnings
from types import SimpleNamespace

import numpy as np

from ..utils._compact import unsigned_type
from ..utils._spill import Spill
from ._names import spill_sorted
from ._path_table import PathTable

__all__ = [
    "IMAGE_EXTENSIONS",
    "count_image_folder",
    "relative_path",
    "scan_image_folder",
    "scan_image_table",
    "stream_image_folder",
]

#: File extensions taken as images, compared case-insensitively.
IMAGE_EXTENSIONS = (
    ".bmp",
    ".gif",
    ".jpeg",
    ".jpg",
    ".pgm",
    ".png",
    ".ppm",
    ".tif",
    ".tiff",
    ".webp",
)


def relative_path(path, root):
    """``os.path.relpath(path, root)``, cheaply for the paths the scanner
    made (``root`` joined with the relative path)."""
    prefix = root if not root or root.endswith(os.sep) else root + os.sep
    if path.startswith(prefix):
        return path[len(prefix) :]
    return os.path.relpath(path, root)


def _visible(name):
    return not name.startswith(".")


def _reason(exc):
    """An OSError in words, without the path (the caller names it)."""
    return exc.strerror or type(exc).__name__


def _open_scan(root, extensions, what):
    """A :class:`_Scan` of ``root`` and its class folders, refusing a
    ``root`` that is missing or not a folder."""
    root = os.fspath(root)
    if not os.path.exists(root):
        raise FileNotFoundError(f"{what}: the folder {root!r} does not exist.")
    if not os.path.isdir(root):
        raise NotADirectoryError(
            f"{what}: {root!r} is a file; give the folder that holds one "
            "sub-folder per class."
        )
    scan = _Scan(root, extensions)
    try:
        class_dirs = scan.class_folders()
    except PermissionError as exc:
        raise PermissionError(f"{what}: {exc}") from None
    return scan, class_dirs


def _survey(root, extensions, what, found_in):
    """Walk ``root``'s class folders, ``found_in(scan, name)`` giving what
    each holds (a sized value: its image files, or their count); the scan's
    fields with ``found``, the classes' values (those with an image)."""
    scan, class_dirs = _open_scan(root, extensions, what)
    found, target_names, empty = [], [], []
    for name in class_dirs:
        unlisted = len(scan.unlisted)
        of_class = found_in(scan, name)
        if not of_class:
            if len(scan.unlisted) == unlisted:  # else: not known to be empty
                empty.append(name)
            continue
        found.append(of_class)
        target_names.append(name)
    if not target_names:
        raise ValueError(
            f"{what}: {scan.root!r} has {scan.nothing_found(class_dirs)}; expected "
            f"{what}/<class>/<image>, one sub-folder per class."
        )
    if empty:
        warnings.warn(
            f"{len(empty)} class folder(s) of {scan.root!r} hold no image and are "
            f"left out: {', '.join(map(repr, empty))}.",
            UserWarning,
            stacklevel=3,
        )
    return SimpleNamespace(
        found=found,
        target_names=target_names,
        empty_classes=empty,
        root=scan.root,
        n_hidden=scan.n_hidden,
        n_other=scan.n_other,
        links_not_followed=sorted(scan.outside),
        unreadable_folders=scan.unlisted,
    )


def scan_image_folder(root, *, extensions=IMAGE_EXTENSIONS, what="root"):
    """The scan behind :func:`~imgbalance.datasets.load_image_folder`, as a
    namespace of the same fields, its errors calling the folder ``what``
    (the folder commands say SRC or DIR)."""
    survey = _survey(root, extensions, what, _Scan.images_of)
    class_paths = survey.found
    del survey.found
    survey.paths = [path for paths in class_paths for path in paths]
    survey.target = _class_codes(class_paths, np.intp)
    return survey


def _class_codes(found, dtype):
    """Each file's class code, from ``found``: what each class holds, in
    class order (sized)."""
    return np.repeat(np.arange(len(found), dtype=dtype), [len(f) for f in found])


def scan_image_table(root, *, extensions=IMAGE_EXTENSIONS, what="root"):
    """:func:`scan_image_folder` with ``paths`` a
    :class:`~imgbalance.datasets._path_table.PathTable`: the same paths in
    the same order, held in a temporary file with a few bytes each in
    memory rather than as a list of Python strings (``balance`` and
    ``split`` on a million files)."""
    spill = Spill()
    survey = _survey(
        root, extensions, what, lambda scan, name: scan.table_of(name, spill)
    )
    class_ends = survey.found
    del survey.found
    survey.paths = PathTable(
        survey.root, spill, np.concatenate([c.ends for c in class_ends])
    )
    # a byte a file where there are at most 256 classes
    survey.target = _class_codes(class_ends, unsigned_type(len(class_ends)))
    return survey


def count_image_folder(root, *, extensions=IMAGE_EXTENSIONS, what="root"):
    """:func:`scan_image_folder`'s fields without the files: ``counts`` (the
    number of image files of each class) in place of ``paths`` and
    ``target``. Nothing is kept per file."""
    survey = _survey(root, extensions, what, _Scan.count_of)
    survey.counts = survey.found
    del survey.found
    return survey


def stream_image_folder(root, target_names, *, extensions=IMAGE_EXTENSIONS, size=1024):
    """Yield ``(labels, paths)`` parts of ``size`` image files (the last
    one smaller) of the classes ``target_names`` of ``root`` (a
    :func:`count_image_folder`'s), ``labels`` their class codes, in no set
    order: a folder of a million files is read without holding its list.
    What the walk leaves out is counted by :func:`count_image_folder`; a
    folder that cannot be read is passed over here (one whose listing
    fails part way keeps the files read before), and so is a class folder
    turned since into a symbolic link leading out of ``root``."""
    scan = _Scan(root, extensions)
    labels, paths = [], []
    for code, name in enumerate(target_names):
        if not scan.inside(os.path.join(scan.root, name)):
            continue  # a link leading out, not followed
        for found in scan.walk(name, size):
            while found:
                taken = found[: size - len(paths)]
                del found[: len(taken)]
                paths += taken
                labels += [code] * len(taken)
                if len(paths) == size:
                    yield np.array(labels, dtype=np.intp), paths
                    labels, paths = [], []
    if paths:
        yield np.array(labels, dtype=np.intp), paths


class _Scan:
    """One walk of a folder-per-class dataset, counting what it leaves out:
    hidden entries, other files, symbolic links leading out of ``root``,
    folders that cannot be listed."""

    def __init__(self, root, extensions):
        self.root = os.fspath(root)
        self.extensions = tuple(ext.lower() for ext in extensions)
        self.real_root = os.path.realpath(root)
        self.n_hidden = self.n_other = self.n_loose_images = 0
        self.outside = []  # symbolic links leading out of root: not followed
        self.unlisted = []  # {"path", "class", "reason"} of folders not read

    def inside(self, path):
        real = os.path.realpath(path)
        return os.path.commonpath([self.real_root, real]) == self.real_root

    def class_folders(self):
        """The visible folders of ``root`` (sorted), counting the rest."""
        class_dirs = []
        try:
            with os.scandir(self.root) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            raise PermissionError(
                f"the folder {self.root!r} cannot be read ({_reason(exc)}); "
                "give read access to it."
            ) from None
        for entry in entries:
            if not _visible(entry.name):
                self.n_hidden += 1
            elif entry.is_symlink() and not self.inside(entry.path):
                self.outside.append(entry.path)
            elif entry.is_dir():
                class_dirs.append(entry.name)
            else:
                self.n_other += 1  # files directly in root
                self.n_loose_images += entry.name.lower().endswith(self.extensions)
        return class_dirs

    def images_of(self, name):
        """The image files of class folder ``name``, at any depth, sorted."""
        class_paths = [path for paths in self.walk(name) for path in paths]
        class_paths.sort()
        return class_paths

    def table_of(self, name, spill):
        """:meth:`images_of` as their paths relative to ``root``, encoded,
        sorted and written to ``spill`` (a
        :class:`~imgbalance.utils._spill.Spill`): the same order, without a
        Python string per file. Returns their :class:`~._names.Stored`
        place there."""
        return spill_sorted(
            spill,
            (
                [os.fsencode(relative_path(path, self.root)) for path in paths]
                for paths in self.walk(name, 4096)
            ),
        )

    def count_of(self, name):
        """How many image files class folder ``name`` holds, at any depth."""
        return sum(len(paths) for paths in self.walk(name, 4096))

    def walk(self, name, size=None):
        """Yield the image files of class folder ``name``, at any depth, a
        folder's at a time (at most ``size`` at a time, if given).

        The folders are walked with a stack of their own, not by recursion
        (a tree thousands of folders deep is walked like any other);
        symbolic links to folders are not entered, and a folder that cannot
        be listed is recorded in ``unlisted``: what it was found to hold
        counts for nothing, but for the files already yielded when ``size``
        cut its listing in parts."""
        pending = [os.path.join(self.root, name)]
        while pending:
            folder = pending.pop()
            counts = self.n_hidden, self.n_other, len(self.outside)
            found, subfolders = [], []
            try:
                # entries sorted as they come, not listed first: a folder of a
                # million files holds a million paths, not as many entries too
                with os.scandir(folder) as listing:
                    for entry in listing:
                        self._sort_entry(entry, found, subfolders)
                        if size is not None and len(found) >= size:
                            yield found
                            found = []
            except OSError as exc:  # a folder read in part counts for nothing
                self.n_hidden, self.n_other = counts[:2]
                del self.outside[counts[2] :]
                relative = relative_path(folder, self.root).replace(os.sep, "/")
                self.unlisted.append(
                    {
                        "path": relative + "/",
                        "class": name,
                        "reason": f"folder cannot be read: {_reason(exc)}",
                    }
                )
                continue
            if found:
                yield found
            del found
            pending.extend(sorted(subfolders, reverse=True))

    def _sort_entry(self, entry, class_paths, subfolders):
        """Count ``entry`` (of a class folder) among what is left out, or
        add it to the images or the folders to walk."""
        if not _visible(entry.name):
            self.n_hidden += 1
            return
        try:
            is_dir = entry.is_dir()  # follows a link, as os.walk does
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                subfolders.append(entry.path)
            elif not self.inside(entry.path):
                self.outside.append(entry.path)
        elif not entry.name.lower().endswith(self.extensions):
            self.n_other += 1
        elif entry.is_symlink() and not self.inside(entry.path):
            self.outside.append(entry.path)
        else:
            class_paths.append(entry.path)

    def nothing_found(self, class_dirs):
        """What a folder without a class of images holds, in words."""
        if self.unlisted:
            first = self.unlisted[0]
            return (
                f"{len(class_dirs)} class folder(s), none holding an image it "
                f"can read ({len(self.unlisted)} folder(s) cannot be read, the "
                f"first: {first['path']}: {first['reason']})"
            )
        if self.n_loose_images:
            return (
                f"{self.n_loose_images} image file(s) directly in it and no class "
                "folder holding an image"
            )
        if class_dirs:
            return (
                f"{len(class_dirs)} class folder(s), none holding an image "
                f"({', '.join(self.extensions)})"
            )
        return "no class folder"
