"""The sources of a run: SRC scanned, every file checked by decoding it
once, the readable ones with their classes (refused where the options say
an unreadable file stops the run)."""

import os
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .._contract._checking import Checked, check_files
from .._contract._files import large_image_message
from ..datasets._scanning import scan_image_table
from ..utils._compact import positions_of
from ..utils._counting import count_codes
from ..utils._display import shown_name
from ..utils._spill import SpillError
from ._journal import MANIFEST
from ._refusal import BalanceRefused, option
from ._room import nearest_folder
from ._sources import SourceRecord

__all__ = ["Sources", "read_sources", "scan_sources"]


@dataclass(frozen=True, eq=False)
class Sources:
    """The files of SRC a run reads.

    ``paths`` are the readable sources (a
    :class:`~imgbalance.datasets._path_table.PathTable`: SRC joined to each
    relative path),
    ``keep`` their positions among the scanned files, ``checked`` what
    decoding every scanned file told (None once planning has used it up);
    ``label_codes`` index ``label_names`` (every class folder with an image
    file): :attr:`y` makes each readable source's class name from them
    where a step needs the names, :meth:`classes` counts them.
    ``unreadable`` lists the files left out (``path`` relative to SRC,
    ``class``, ``reason``); ``record`` is what a later ``resume`` compares
    SRC with.
    """

    src: str
    paths: list
    keep: np.ndarray
    checked: Checked
    label_codes: np.ndarray
    label_names: list
    unreadable: list
    empty_classes: list
    links_not_followed: list
    record: SourceRecord

    def relative(self, i):
        """Readable source ``i``'s path in SRC."""
        return self.paths.relative(i)

    @property
    def y(self):
        """Each readable source's class name (made when asked: a few bytes
        a file where the codes take one or two)."""
        return self.labels(np.arange(len(self.label_codes)))

    def labels(self, positions):
        """The class names of the readable sources at ``positions``."""
        names = np.array(self.label_names, dtype=object)
        return names[self.label_codes[positions]].astype(str)

    def classes(self):
        """The classes with a readable source, in name order, and their
        numbers of sources: ``numpy.unique(y, return_counts=True)``."""
        counts = count_codes(self.label_codes, minlength=len(self.label_names))
        present = np.flatnonzero(counts)
        names = np.array(self.label_names, dtype=object)[present].astype(str)
        return names, counts[present]

    def codes(self, names):
        """The class codes of class ``names`` (in :attr:`label_names`)."""
        return [self.label_names.index(name) for name in names]

    @property
    def sizes(self):
        """(width, height) of each readable source."""
        size = self.checked.size
        return size if len(self.keep) == len(size) else size[self.keep]

    def pixels(self):
        """The number of pixels of each readable source: uint32 where all
        are below 2**32 (4 bytes a file), made a part at a time."""
        return pixel_counts(self.sizes)


def read_sources(options):
    """Scan SRC and check every file (``options``: the run's
    :class:`~imgbalance.folder._options.Options`); returns the
    :class:`Sources`."""
    src, begun = options.src, getattr(options, "begun", None)
    if begun is not None:  # on a Dask cluster: scanned, checks begun
        scan = begun.scan
        checked = begun.finish(options.dask)
    else:
        scan = scan_sources(src, options.dst)
        checked = check_files(scan.paths, options.n_jobs)
    unreadable = [
        {
            "path": os.path.relpath(scan.paths[i], src),
            "class": scan.target_names[scan.target[i]],
            "reason": reason,
        }
        for i, reason in sorted(checked.reasons.items())
    ] + scan.unreadable_folders
    if unreadable:
        _refuse_unreadable(unreadable, options.on_error, len(scan.paths), checked)
    keep = positions_of(checked.ok)  # held for the run: int32
    paths = scan.paths.take(keep)
    label_codes = scan.target[keep]
    # a class none of whose files can be read is left out as an empty one
    emptied = np.flatnonzero(  # (np.setdiff1d imports numpy.ma: 10-20 ms)
        count_codes(label_codes, minlength=len(scan.target_names)) == 0
    )
    return Sources(
        src=src,
        paths=paths,
        keep=keep,
        checked=checked,
        label_codes=label_codes,
        label_names=list(scan.target_names),
        unreadable=unreadable,
        empty_classes=sorted(
            scan.empty_classes + [scan.target_names[c] for c in emptied.tolist()]
        ),
        links_not_followed=[os.path.relpath(p, src) for p in scan.links_not_followed],
        record=SourceRecord(src, scan.paths, checked.ok),
    )


def scan_sources(src, dst):
    """The scan of SRC (classes and image files), refused where SRC is not
    a dataset, has a class named as the manifest, or has names the outputs
    in ``dst`` cannot carry (:func:`check_names`)."""
    with warnings.catch_warnings():  # empty classes: reported in the summary
        warnings.simplefilter("ignore", UserWarning)
        try:
            scan = scan_image_table(src, what="SRC")
        except SpillError:  # not SRC's fault: the temporary folder's
            raise
        except (OSError, ValueError) as exc:
            raise BalanceRefused(str(exc)) from None
    taken = [n for n in scan.target_names if n.lower() == MANIFEST.lower()]
    if taken:
        raise BalanceRefused(
            f"SRC has a class folder named {taken[0]!r}, the name of the "
            "manifest written in DST; rename that folder."
        )
    check_names(scan.paths, dst)
    return scan


def _refuse_unreadable(unreadable, on_error, n_files, checked):
    """Refuse unreadable files with ``on_error="fail"``, and a SRC none of
    whose files can be read."""
    first = unreadable[0]
    if on_error == "fail":
        folders = sum(u["path"].endswith("/") for u in unreadable)
        counts = [
            f"{n} {kind}(s)"
            for n, kind in [(len(unreadable) - folders, "file"), (folders, "folder")]
            if n
        ]
        fix = "give read access to them" if folders else "Remove or replace them"
        raise BalanceRefused(
            f"{' and '.join(counts)} of SRC cannot be read (the first: "
            f"{shown_name(first['path'])}: {first['reason']}); `imgbalance "
            f"inspect SRC` lists them all. {fix}, or use "
            f"{option('on_error', 'skip')} to leave them out."
        )
    if not checked.ok.any():
        raise BalanceRefused(
            f"none of the {n_files} image files of SRC can be read (the "
            f"first: {shown_name(first['path'])}: {first['reason']}); nothing "
            "to balance."
        )


def large_sources_note(sources):
    """A note (in a list, or an empty list) naming the sources above
    Pillow's decompression-bomb limit: they are read in full all the same."""
    sizes, limit = sources.sizes, Image.MAX_IMAGE_PIXELS
    # candidates found in numpy, not a Python object per file
    above = (
        np.flatnonzero(sources.pixels() > limit).tolist()
        if limit is not None and len(sizes)
        else []
    )
    large = [i for i in above if large_image_message(tuple(sizes[i].tolist()))]
    if not large:
        return []
    width, height = sizes[large[0]]
    return [
        f"{len(large)} source(s) above Pillow's decompression-bomb limit of "
        f"{Image.MAX_IMAGE_PIXELS} pixels, read in full (the first: "
        f"{shown_name(sources.relative(large[0]))}, {width}x{height})."
    ]


def pixel_counts(sizes):
    """Width times height of each of ``sizes`` (rows of two), multiplied as
    int64 a part at a time; uint32 where all fit (a few bytes a file, not
    the products' int64 all at once)."""
    out = np.empty(len(sizes), dtype=np.uint32)
    for low in range(0, len(sizes), 2**16):
        part = sizes[low : low + 2**16].prod(axis=1, dtype=np.int64)
        if part.size and part.max() >= 2**32:  # rare: above 4 gigapixels
            return sizes.prod(axis=1, dtype=np.int64)
        out[low : low + len(part)] = part
    return out


# room an output's name needs beyond its source's: "_aug" and a number, a
# new extension, and the temporary prefix with a process id while written
NAME_ROOM = 48


def check_names(paths, dst):
    """Refuse file and class names the outputs cannot carry: not UTF-8 (the
    manifest is UTF-8 text), or too long once an output's additions are
    made to them."""
    limit = name_max(dst) - NAME_ROOM
    not_utf8, too_long = [], []
    for relative in paths.relatives():
        try:
            parts = relative.encode("utf-8").split(os.sep.encode())
        except UnicodeEncodeError:
            not_utf8.append(shown_name(relative))
            continue
        if len(parts[-1]) > limit:
            too_long.append(relative)
    if not_utf8:
        raise BalanceRefused(
            f"{len(not_utf8)} file name(s) of SRC are not UTF-8 text, which the "
            f"manifest is ({', '.join(not_utf8[:3])}"
            f"{', ...' if len(not_utf8) > 3 else ''}); rename them."
        )
    if too_long:
        raise BalanceRefused(
            f"{len(too_long)} file name(s) of SRC are longer than the {limit} bytes "
            f"that leave room for the outputs' names ({too_long[0]!r}"
            f"{', ...' if len(too_long) > 1 else ''}); shorten them."
        )


def name_max(dst):
    """The longest file name DST's file system takes (255 where unknown)."""
    try:
        return os.pathconf(nearest_folder(dst), "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255
