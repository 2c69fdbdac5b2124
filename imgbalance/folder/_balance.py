"""Write a balanced copy of a folder-per-class dataset, safely.

The copy is planned first (which file each output comes from, its name, its
seed), then written: every file under a temporary hidden name, renamed when
complete, and recorded with its manifest row in a journal (from which the
manifest is put together at the end, so that memory does not grow with the
rows). An interrupted run is completed by running again with
``resume=True``: the plan is made again (it depends only on the source
folder and the options), files already recorded are kept and the others
written, so the result equals an uninterrupted run's.
"""

import contextlib
import csv
import io
import itertools
import json
import math
import numbers
import os
import shutil
import warnings
from dataclasses import dataclass

import numpy as np
from imblearn.utils import check_sampling_strategy
from joblib import cpu_count, effective_n_jobs
from PIL import Image

from .. import __version__
from .._pillow import large_image_message, large_images_quiet
from .._validation import _stack, check_image_collection, load_image
from ..augment import default_augmenter
from ..datasets._folder import relative_path, scan_image_folder
from ..over_sampling import EmbeddingSMOTE, RandomImageOverSampler
from ..over_sampling._augmenting import (
    _backend_kind,
    _ItemSource,
    _opencv_single_thread,
    _render,
    plan_augmentation,
)
from ._checking import check_files, codes
from ._refusal import BalanceRefused
from ._room import check_room, nearest_folder
from ._inspect import shown_name
from ._pool import end_with_parent, run_tasks
from ._lock import LOCK, DestinationBusy, check_free, exclusive_run
from ._sources import SOURCES, SourceRecord

__all__ = ["BalanceRefused", "balance_folder", "parse_strategy"]

MANIFEST = "manifest.csv"
MARKER = ".imgbalance-run.json"
# a line per output written: "k <tab> output (JSON) <tab> manifest row (JSON)"
JOURNAL = ".imgbalance-journal.tsv"
TEMPORARY = ".imgbalance-tmp-"
MANIFEST_COLUMNS = ["output", "class", "source", "method", "seed", "parameters", "note"]

# Pillow format -> the extension of files we write in it
_EXTENSION = {
    "BMP": ".bmp",
    "GIF": ".gif",
    "JPEG": ".jpg",
    "PNG": ".png",
    "PPM": ".ppm",
    "TIFF": ".tif",
    "WEBP": ".webp",
}
# extensions that already name a format correctly
_FORMAT_OF_EXTENSION = {
    ".bmp": "BMP",
    ".gif": "GIF",
    ".jpeg": "JPEG",
    ".jpg": "JPEG",
    ".pgm": "PPM",
    ".png": "PNG",
    ".ppm": "PPM",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".webp": "WEBP",
}
_SAVE_OPTIONS = {"JPEG": {"quality": 95}, "WEBP": {"quality": 95}}
_TAG = {"random": "dup", "augment": "aug", "smote": "smote"}
# what a job holds in memory at a time: outputs, and pixels of their sources
_BATCH = 256
_BATCH_PIXELS = 2**23


def parse_strategy(text):
    """A ``--strategy`` value as an imbalanced-learn ``sampling_strategy``.

    Parameters
    ----------
    text : str
        ``auto``, ``minority``, ``not-majority``, ``not-minority``, ``all``,
        a float in (0, 1] (the minority-to-majority ratio wanted, two
        classes only) or ``CLASS=N,CLASS=N,...`` (the number of images each
        named class should have).

    Returns
    -------
    sampling_strategy : str, float or dict

    Examples
    --------
    >>> from imgbalance.folder import parse_strategy
    >>> parse_strategy("not-majority"), parse_strategy("0.5")
    ('not majority', 0.5)
    >>> parse_strategy("cat=100,sea lion=80")
    {'cat': 100, 'sea lion': 80}
    """
    words = {
        "auto": "auto",
        "minority": "minority",
        "not-majority": "not majority",
        "not-minority": "not minority",
        "all": "all",
    }
    text = text.strip()
    if text in words:
        return words[text]
    if "=" in text:
        targets = {}
        for part in text.split(","):
            name, _, count = part.rpartition("=")
            name = name.strip()
            if name in targets:
                raise BalanceRefused(
                    f"--strategy names {name!r} twice; give each class once."
                )
            try:
                targets[name] = int(count)
            except ValueError:
                targets[name] = -1
            if targets[name] < 0:
                raise BalanceRefused(
                    f"--strategy: {part!r} is not CLASS=N with N a whole number "
                    "of images (0 or more)."
                )
        return targets
    try:
        ratio = float(text)
    except ValueError:
        raise BalanceRefused(
            f"--strategy: {text!r} is not one of {', '.join(words)}, a float or "
            "CLASS=N,CLASS=N."
        ) from None
    if not 0 < ratio <= 1:  # NaN too
        raise BalanceRefused(
            f"--strategy {text}: a float is the size the smaller class should "
            "reach, as a fraction of the larger one: a number in (0, 1]."
        )
    return ratio


@dataclass(slots=True)
class _Output:
    """One file of the plan, made when a job or the manifest needs it."""

    k: int  # position in the plan
    output: str  # relative to DST
    label: str
    source: str  # absolute path of the source file
    relative: str  # the source's path in SRC
    method: str  # original, random, augment or smote
    action: str  # copy, hardlink, symlink, encode, render or array
    format: str = None  # Pillow format written, for encode, render, array
    seed: object = ""
    parameters: dict = None
    note: str = ""
    task: int = -1  # render: index in the augmentation plan; array: in arrays


class _Plan:
    """Every output of a run, by position ``k``: the originals (one per
    source, unless they are left out), then the generated images.

    Held in arrays, a few bytes an output, so that memory grows with the
    dataset by little more than the list of its files: an output's name and
    record are made when needed (:meth:`name`, :meth:`items`).

    Parameters
    ----------
    src : str
    paths : list of str
        The readable sources.
    label_codes, label_names : ndarray of int, list of str
        The class of each source.
    written, written_formats : ndarray of int, list of str
        The Pillow format each source's outputs are written in.
    notes, note_texts : ndarray of int, list of str
        What writing a source in that format changes ("" for nothing).
    originals, image_format, method : str
        The options.
    sources : ndarray of int
        The source of each generated image.
    seeds : ndarray of int or int
        Their seeds (one for all but with ``method="augment"``).
    parameters : list of dict or None
        Per generated image (``method="smote"``).
    """

    def __init__(
        self,
        src,
        paths,
        label_codes,
        label_names,
        written,
        written_formats,
        notes,
        note_texts,
        originals,
        image_format,
        method,
        sources,
        seeds,
        parameters=None,
    ):
        self.src, self.paths = src, paths
        self.label_codes, self.label_names = label_codes, label_names
        self.written, self.written_formats = written, written_formats
        self.notes, self.note_texts = notes, note_texts
        self.originals, self.image_format, self.method = (
            originals,
            image_format,
            method,
        )
        self.sources = np.asarray(sources, dtype=np.int64)
        self.seeds, self.parameters = seeds, parameters
        self.n_originals = len(paths) if originals != "none" else 0
        self.counters = _occurrence(self.sources)  # j in <stem>_aug<j>
        if method == "random" and image_format == "keep":
            self.generated_action = "copy"  # the source file, byte for byte
        else:
            self.generated_action = {
                "random": "encode",
                "augment": "render",
                "smote": "array",
            }[method]
        self.renamed = {}  # k -> name, where a name was taken
        self._give_unique_names()

    def __len__(self):
        return self.n_originals + len(self.sources)

    def _positions(self, ks):
        """``(k, source, j, seed)`` of outputs ``ks`` as Python numbers,
        made a slice at a time (``j``: the output's number among those made
        from its source)."""
        ks = np.asarray(ks, dtype=np.int64)
        for start in range(0, len(ks), 4096):
            part = ks[start : start + 4096]
            generated = part >= self.n_originals
            g = np.where(generated, part - self.n_originals, 0)
            sources, counters = part, np.zeros_like(part)
            if len(self.sources):
                sources = np.where(generated, self.sources[g], part)
                counters = np.where(generated, self.counters[g], 0)
            if np.ndim(self.seeds) and len(self.seeds) == 0:  # nothing to make
                seeds = [0] * len(part)
            elif np.ndim(self.seeds):
                seeds = np.where(generated, self.seeds[g], 0).tolist()
            else:
                seeds = [self.seeds] * len(part)
            yield from zip(part.tolist(), sources.tolist(), counters.tolist(), seeds)

    def _name(self, k, s, j, relative):
        """Output ``k``'s path relative to DST (``s``, ``j``: see
        :meth:`_positions`; ``relative``: the source's path in SRC)."""
        name = self.renamed.get(k)
        if name is not None:
            return name
        if k < self.n_originals:
            return relative if self.image_format == "keep" else self._named(relative, s)
        return self._named(relative, s, f"_{_TAG[self.method]}{j}")

    def _named(self, relative, s, tag=""):
        """``relative`` (source ``s``'s path) with ``tag`` after its stem
        and the extension of the format its outputs are written in."""
        root, ext = os.path.splitext(relative)
        written = self.written_formats[self.written[s]]
        ext = ext.lower()
        if _FORMAT_OF_EXTENSION.get(ext) != written:
            ext = _EXTENSION[written]
        return root + tag + ext

    def name(self, k):
        """Output ``k``'s path, relative to DST."""
        for k, s, j, _ in self._positions([k]):
            return self._name(k, s, j, relative_path(self.paths[s], self.src))

    def _give_unique_names(self):
        """Rename the outputs whose name (ignoring case) an earlier output
        has: ``stem-1``, ``stem-2``... the first name no output has.

        Finds candidates by hash (an array, 8 bytes an output), then
        compares the names themselves: the result does not depend on
        Python's hash seed.
        """
        n = len(self)
        hashes = np.fromiter(
            (
                hash(
                    self._name(k, s, j, relative_path(self.paths[s], self.src)).lower()
                )
                for k, s, j, _ in self._positions(np.arange(n))
            ),
            dtype=np.int64,
            count=n,
        )
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(same) == 0:
            return
        holders = {}  # lower-case name -> the outputs that want it
        for k in np.unique(np.concatenate([order[same], order[same + 1]])):
            holders.setdefault(self.name(int(k)).lower(), []).append(int(k))
        given = set()

        def free(name):
            low = name.lower()
            if low in given:
                return False
            first = int(np.searchsorted(ordered, hash(low), side="left"))
            last = int(np.searchsorted(ordered, hash(low), side="right"))
            return all(self.name(int(k)).lower() != low for k in order[first:last])

        for k in sorted(k for ks in holders.values() for k in ks[1:]):
            folder, base = os.path.split(self.name(k))
            stem, ext = os.path.splitext(base)
            i = 1
            while not free(os.path.join(folder, f"{stem}-{i}{ext}")):
                i += 1
            self.renamed[k] = os.path.join(folder, f"{stem}-{i}{ext}")
            given.add(self.renamed[k].lower())

    def items(self, ks):
        """The records (:class:`_Output`) of outputs ``ks``."""
        for k, s, j, seed in self._positions(ks):
            path = self.paths[s]
            relative = relative_path(path, self.src)
            name = self._name(k, s, j, relative)
            label = self.label_names[self.label_codes[s]]
            written = self.written_formats[self.written[s]]
            note = self.note_texts[self.notes[s]]
            if k < self.n_originals and self.image_format == "keep":
                yield _Output(
                    k, name, label, path, relative, "original", self.originals
                )
            elif k < self.n_originals:
                yield _Output(
                    k,
                    name,
                    label,
                    path,
                    relative,
                    "original",
                    "encode",
                    written,
                    note=note,
                )
            else:
                g = k - self.n_originals
                if self.generated_action == "copy":
                    written, note = None, ""
                yield _Output(
                    k,
                    name,
                    label,
                    path,
                    relative,
                    self.method,
                    self.generated_action,
                    written,
                    seed,
                    self.parameters[g] if self.parameters is not None else {},
                    note,
                    task=g,
                )

    def folders(self, ks):
        """The folders (relative to DST) of outputs ``ks``."""
        sources = {s for _, s, _, _ in self._positions(ks)}
        return sorted(
            {os.path.dirname(relative_path(self.paths[s], self.src)) for s in sources}
        )


def _occurrence(values):
    """For each position, how many earlier positions hold the same value."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    lengths = np.diff(np.r_[starts, len(values)])
    out = np.empty(len(values), dtype=np.int64)
    out[order] = np.arange(len(values)) - np.repeat(starts, lengths)
    return out


def _check_locations(src, dst):
    if not os.path.isdir(src):
        what = "does not exist" if not os.path.exists(src) else "is not a folder"
        raise BalanceRefused(f"SRC {src!r} {what}; give the dataset folder.")
    where = _nesting(src, dst)
    if where == "at":
        raise BalanceRefused(f"DST {dst!r} is SRC; give a separate folder.")
    if where:
        raise BalanceRefused(
            f"DST {dst!r} is {where} SRC {src!r}: imgbalance never writes into "
            "the source dataset; give a folder outside it."
        )
    if os.path.islink(dst) and not os.path.exists(dst):
        raise BalanceRefused(
            f"DST {dst!r} is a symbolic link to {os.readlink(dst)!r}, which does "
            "not exist; give a folder (or create the one it points to)."
        )
    if os.path.exists(dst) and not os.path.isdir(dst):
        raise BalanceRefused(f"DST {dst!r} is a file; give a folder.")


def _nesting(src, dst):
    """ "at", "inside" or "around" where DST (or, before it is made, its
    nearest existing folder) is SRC, inside it or around it, as the file
    system knows folders (device and inode: through symbolic links, and a
    bind mount of SRC elsewhere is still SRC); None where they are apart."""

    def chain(path):  # identities of the path's existing folders, upwards
        out = []
        path = os.path.realpath(path)
        while True:
            with contextlib.suppress(OSError):
                info = os.stat(path)
                out.append((info.st_dev, info.st_ino))
            parent = os.path.dirname(path)
            if parent == path:
                return out
            path = parent

    src_chain, dst_chain = chain(src), chain(dst)
    exists = os.path.isdir(dst)
    if exists and dst_chain[0] == src_chain[0]:
        return "at"
    if src_chain[0] in dst_chain:
        return "inside"
    if exists and dst_chain[0] in src_chain:
        return "around"
    return None


def _targets_of(strategy, sampling_strategy, names, sizes):
    """The class sizes a float or dict ``--strategy`` asks for, as a dict;
    refused in the CLI's words where a class would have to shrink."""
    if isinstance(sampling_strategy, dict):
        have = dict(zip(names.tolist(), sizes.tolist()))
        for name, target in sampling_strategy.items():
            if target < have[name]:
                raise BalanceRefused(
                    f"--strategy {name}={target}: {name!r} has {have[name]} "
                    f"images already, and balancing only adds images; give "
                    f"at least {have[name]}."
                )
        return sampling_strategy
    small, large = np.argmin(sizes), np.argmax(sizes)
    if sampling_strategy * sizes[large] < sizes[small]:
        # rounded up, so that the ratio said is one that passes
        least = math.ceil(sizes[small] / sizes[large] * 1000) / 1000
        raise BalanceRefused(
            f"--strategy {strategy}: the smaller class {str(names[small])!r} "
            f"already has {sizes[small]} images, {sizes[small] / sizes[large]:.3g} "
            f"times the {sizes[large]} of {str(names[large])!r}; give a ratio of "
            f"at least {least:g} (1 to balance them)."
        )
    # as imbalanced-learn counts it; 0 new images is a copy here, not an error
    return {str(names[small]): max(int(sizes[large] * sampling_strategy), sizes[small])}


def _large_sources_note(src, paths, sizes):
    """A note (in a list, or an empty list) naming the sources above
    Pillow's decompression-bomb limit: they are read in full all the same."""
    large = [i for i, size in enumerate(sizes) if large_image_message(size)]
    if not large:
        return []
    width, height = sizes[large[0]]
    return [
        f"{len(large)} source(s) above Pillow's decompression-bomb limit of "
        f"{Image.MAX_IMAGE_PIXELS} pixels, read in full (the first: "
        f"{shown_name(relative_path(paths[large[0]], src))}, {width}x{height})."
    ]


def _files_done(dst):
    """How many outputs an earlier run journaled in ``dst`` (0 without one)."""
    try:
        with open(os.path.join(dst, JOURNAL), "rb") as journal:
            return sum(1 for _ in journal)
    except OSError:
        return 0


def _same_device(src, dst):
    return os.stat(src).st_dev == os.stat(nearest_folder(dst)).st_dev


def _check_destination(dst, settings, resume):
    """Refuse a DST with files this run did not write. Returns True when
    completing an earlier run."""
    if not os.path.isdir(dst) or not set(os.listdir(dst)) - {LOCK, SOURCES}:
        return False
    marker = os.path.join(dst, MARKER)
    earlier = None
    if os.path.isfile(marker):
        with open(marker, "rb") as file:
            try:
                earlier = json.loads(file.read().decode("utf-8"))
            except ValueError as exc:
                earlier = exc
        if not isinstance(earlier, dict):
            raise BalanceRefused(
                f"DST {dst!r} holds a damaged record of an earlier run ({MARKER}: "
                f"{earlier if isinstance(earlier, ValueError) else 'not a record'}"
                "); give an empty or new folder."
            )
    if earlier is None:
        raise BalanceRefused(
            f"DST {dst!r} is not empty and was not written by imgbalance "
            "balance; give an empty or new folder."
        )
    if not resume:
        raise BalanceRefused(
            f"DST {dst!r} holds an earlier run of imgbalance balance; use "
            "--resume to complete it, or give an empty or new folder."
        )
    _check_journal(os.path.join(dst, JOURNAL))
    changed = sorted(k for k in settings if earlier.get(k) != settings[k])
    if changed:
        raise BalanceRefused(
            f"--resume: DST {dst!r} was written with other settings ("
            + ", ".join(
                f"{k}: {earlier.get(k)!r} then, {settings[k]!r} now" for k in changed
            )
            + "); run with the same settings, or give a new folder."
        )
    return True


def _write_atomically(path, write):
    """``write(temporary_path)``, then rename: no partial file at ``path``."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{TEMPORARY}{os.getpid()}-{name}")
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise


def _to_image(array, image_format):
    """A PIL image of ``array`` that ``image_format`` can store."""
    image = Image.fromarray(array)
    if image_format == "JPEG":
        if image.mode in ("I;16", "I"):
            image = Image.fromarray((array >> 8).astype(np.uint8))
        elif image.mode == "LA":
            image = image.convert("L")
        elif image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
    return image


def _refuse_wide_pixels(src, paths, pairs, pair, mode, written):
    """32-bit pixels (mode I: integers, F: floats) have no full scale that
    8- or 16-bit formats could map them to without a guess (an int32
    gradient from 0 to 1000 would come out black): refused, with the files."""
    files = [relative_path(paths[i], src) for i in np.flatnonzero(pairs == pair)]
    kind = "32-bit integer (mode I)" if mode == "I" else "32-bit float (mode F)"
    raise BalanceRefused(
        f"{len(files)} image(s) of SRC hold {kind} pixels, which {written} "
        f"cannot store without choosing a scale ({', '.join(files[:3])}"
        f"{', ...' if len(files) > 3 else ''}); use --format keep, or convert "
        "them to 8 or 16 bits first."
    )


def _conversion_note(mode, image_format):
    """What storing an image of ``mode`` as ``image_format`` changes."""
    if image_format != "JPEG":
        return ""
    if mode in ("RGBA", "LA", "PA"):
        return "alpha dropped: JPEG has none"
    if mode == "P":
        return "palette to RGB: JPEG has no palette"
    if mode in ("I;16", "I;16B", "I;16L"):
        return "16-bit to 8-bit: JPEG has 8 bits"
    if mode == "1":
        return "1-bit to 8-bit gray for JPEG"
    if mode not in ("L", "RGB"):
        return f"{mode} to RGB for JPEG"
    return ""


def _save(array, path, image_format):
    image = _to_image(array, image_format)
    _write_atomically(
        path,
        lambda temporary: image.save(
            temporary, format=image_format, **_SAVE_OPTIONS.get(image_format, {})
        ),
    )


def _write_original(item, dst_path):
    if item.action == "copy":
        _write_atomically(dst_path, lambda t: shutil.copyfile(item.source, t))
    elif item.action == "hardlink":
        _write_atomically(dst_path, lambda t: os.link(item.source, t))
    elif item.action == "symlink":
        target = os.path.abspath(item.source)
        _write_atomically(dst_path, lambda t: os.symlink(target, t))
    else:  # encode: decoded (EXIF orientation applied), stored in the new format
        _save(_decode(item.source), dst_path, item.format)


# room an output's name needs beyond its source's: "_aug" and a number, a
# new extension, and the temporary prefix with a process id while written
_NAME_ROOM = 48


def _check_names(src, paths, dst):
    """Refuse file and class names the outputs cannot carry: not UTF-8 (the
    manifest is UTF-8 text), or too long once an output's additions are
    made to them."""
    limit = _name_max(dst) - _NAME_ROOM
    not_utf8, too_long = [], []
    for path in paths:
        relative = relative_path(path, src)
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


def _name_max(dst):
    """The longest file name DST's file system takes (255 where unknown)."""
    try:
        return os.pathconf(nearest_folder(dst), "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255


def _capped_jobs(n_jobs):
    """``n_jobs``, at most one per core for worker processes on this machine
    (more only add start-up and switching: 1000 asked for would start 1000
    processes), and a note when it was cut."""
    if n_jobs is None or _backend_kind() != "processes":
        return n_jobs, None
    cores = cpu_count()
    if effective_n_jobs(n_jobs) <= cores:
        return n_jobs, None
    return cores, f"--jobs {n_jobs}: {cores} jobs, one per core of this machine."


# seconds of writing left from which worker processes take the rest: each
# starts by importing the render engine (2-3 s, scikit-learn included), so a
# second job pays for itself only on about twice that much work
_WRITES_PAY_AFTER = 6.0


def _run_job(items, dst, augmenter, arrays, run_pid):
    """Write ``items`` (a job's share of the plan; ``arrays`` holds the
    images of its "array" items by task).

    Returns the journal's lines for them, manifest rows included (made here
    rather than in the parent process, which would make them for every job
    in turn).

    A job in a worker process runs OpenCV on one thread (the jobs already
    fill the cores) and watches its parent. A job in the run's own process
    ``run_pid`` (one job, threads, a cluster's threads) leaves that global
    setting alone and starts no watchdog.
    """
    in_process = os.getpid() == run_pid
    if not in_process:
        end_with_parent()
    limit = contextlib.nullcontext() if in_process else _opencv_single_thread()
    with limit, large_images_quiet():  # the plan's notes name them
        return _write_items(dst, items, augmenter, arrays)


class SourceUnreadable(OSError):
    """A file of SRC could be read when checked, but not when used: it
    changed during the run (the command exits with status 3)."""

    def __init__(self, reason):
        super().__init__(
            f"a file of SRC changed during the run and cannot be read now ({reason})"
        )


def _decode(path, index=None):
    """The pixels of a source file; one that no longer decodes stops the run
    with :class:`SourceUnreadable`."""
    try:
        return load_image(path, index=index)
    except ValueError as exc:  # load_image's: the file does not decode
        raise SourceUnreadable(exc) from None


class _Sources(_ItemSource):
    """The source files a job renders from, decoded by :func:`_decode`."""

    def __call__(self, index):
        return _decode(self.items[index], int(self.positions[index]))


def _write_items(dst, items, augmenter, arrays):
    applied = {}
    renders = [item for item in items if item.action == "render"]
    for item in items:
        path = os.path.join(dst, item.output)
        if item.action == "array":
            _save(arrays[item.task], path, item.format)
        elif item.action != "render":
            _write_original(item, path)
    if renders:  # grouped by source: each decoded once
        unique, sources = np.unique(
            np.array([item.source for item in renders], dtype=object),
            return_inverse=True,
        )
        images, records = _render(
            augmenter,
            _Sources(unique),
            sources,
            np.array([item.seed for item in renders], dtype=np.int64),
        )
        for item, image, record in zip(renders, images, records):
            _save(image, os.path.join(dst, item.output), item.format)
            applied[item.k] = json.dumps(record, sort_keys=True, default=_plain)
    rows = _Rows()
    return b"".join(
        _journal_line(
            item.k,
            item.output,
            os.lstat(os.path.join(dst, item.output)).st_size,
            rows.line(_row(item, applied.get(item.k))),
        )
        for item in items
    )


def _row(item, applied=None):
    """The manifest row of ``item``; ``applied``: the JSON of what
    augmenting applied to it."""
    if item.method == "augment":
        parameters = '{"applied": ' + applied + "}"
    elif item.method == "original" and item.action != "encode":
        parameters = json.dumps({"originals": item.action})
    else:
        parameters = json.dumps(item.parameters or {}, sort_keys=True, default=_plain)
    return [
        item.output.replace(os.sep, "/"),
        item.label,
        item.relative.replace(os.sep, "/"),
        item.method,
        item.seed,
        parameters,
        item.note,
    ]


class _Rows:
    """Manifest rows as CSV text, one at a time."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def line(self, row):
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(row)
        return self.buffer.getvalue()


def _journal_line(k, output, size, row_text):
    """Output ``k`` written (``size`` bytes; -1: not known), with its
    manifest row: a line of the journal (JSON escapes the tabs and line ends
    that names may hold)."""
    output, row_text = (json.dumps(v, ensure_ascii=False) for v in (output, row_text))
    return f"{k}\t{output}\t{size}\t{row_text}\n".encode()


def _written_format(source_format, image_format):
    """The Pillow format of the files made from a source."""
    if image_format != "keep":
        return image_format
    if source_format in _EXTENSION:
        return source_format
    if source_format == "MPO":  # a camera's JPEG with extra frames
        return "JPEG"
    return "PNG"


def balance_folder(
    src,
    dst,
    *,
    method="augment",
    strategy="auto",
    seed=0,
    n_jobs=None,
    originals="copy",
    image_format="keep",
    on_error="fail",
    dry_run=False,
    resume=False,
    augmenter=None,
    on_plan=None,
    progress=None,
):
    """Write a balanced copy of the folder-per-class dataset ``src`` to ``dst``.

    ``dst/<class>/`` gets the originals (copied, linked or re-encoded) and
    the generated images, named after their source (``<stem>_aug0.png``),
    and ``dst/manifest.csv`` one row per output file: output path, class,
    source path, method, seed, the parameters applied and a note (such as a
    conversion for JPEG). The pixels generated equal what the in-memory
    sampler's ``fit_resample`` returns for the same seed and images (JPEG
    output is lossy: use ``image_format="PNG"`` for exact pixels).

    Safety: nothing is written into ``src``; ``dst`` equal to, inside or
    around ``src`` is refused, and so is a non-empty ``dst`` this function
    did not write, unless ``resume`` completes an earlier run made with the
    same settings. Each file is written under a hidden temporary name and
    renamed when complete. Symbolic links leading out of ``src`` are not
    followed. Memory holds one batch of images per job (at most 256, fewer
    for big images: about 8 million pixels; for ``method="smote"``: the
    images of the classes to grow), the list of
    files, and a few numbers per file: on 100 000 images, peak memory is
    within 1.1x of that on 20 000 (``benchmarks/bench_folder_memory.py``).

    Parameters
    ----------
    src, dst : str or os.PathLike
        The dataset (``src/<class>/**/<image>``) and the folder to write.
    method : {"augment", "random", "smote"}, default="augment"
        :class:`~imgbalance.over_sampling.AugmentingOverSampler` (default
        augmentations), :class:`~imgbalance.over_sampling.RandomImageOverSampler`
        (copies of the source files) or
        :class:`~imgbalance.over_sampling.EmbeddingSMOTE` (images of one size).
    strategy : str, float or dict, default="auto"
        The ``sampling_strategy`` (see :func:`parse_strategy`).
    seed : int, default=0
        The ``random_state``.
    n_jobs : int or None, default=None
        Parallel jobs (joblib) checking and writing files.
    originals : {"copy", "hardlink", "symlink", "none"}, default="copy"
        How the original images reach ``dst``.
    image_format : {"keep", "PNG", "JPEG"}, default="keep"
        Format of the files written; with a format, originals are re-encoded
        too (``originals`` must then be "copy" or "none").
    on_error : {"fail", "skip"}, default="fail"
        Unreadable source files: refuse to start (listing them), or leave
        them out and report them.
    dry_run : bool, default=False
        Plan and report; write nothing.
    resume : bool, default=False
        Complete an interrupted run in ``dst``.
    augmenter : augmentation or None, default=None
        For ``method="augment"``; None uses
        :func:`~imgbalance.augment.default_augmenter`.
    on_plan : callable or None, default=None
        Called with the summary of the plan (``written`` still 0) once it is
        made, before anything is written.
    progress : callable or None, default=None
        Called with the number of files just written, as they are.

    Returns
    -------
    summary : dict
        ``classes`` (``{"name", "before", "after"}``), ``planned_files``,
        ``written`` (this run), ``already_done`` (from an earlier run),
        ``skipped`` (unreadable files left out, with the reason),
        ``empty_classes``, ``links_not_followed``, ``notes`` (such as a
        class too small for SMOTE's neighbours), ``manifest`` and the
        settings.

    Raises
    ------
    BalanceRefused
        A usage or safety problem, found before anything is written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import balance_folder
    >>> src, dst = tempfile.mkdtemp(), os.path.join(tempfile.mkdtemp(), "out")
    >>> rng = np.random.default_rng(0)
    >>> for cls, n in [("cat", 4), ("dog", 1)]:
    ...     os.mkdir(os.path.join(src, cls))
    ...     for i in range(n):
    ...         pixels = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    ...         Image.fromarray(pixels).save(os.path.join(src, cls, f"{i}.png"))
    >>> summary = balance_folder(src, dst, seed=0)
    >>> [(c["name"], c["before"], c["after"]) for c in summary["classes"]]
    [('cat', 4, 4), ('dog', 1, 4)]
    >>> sorted(os.listdir(os.path.join(dst, "dog")))
    ['0.png', '0_aug0.png', '0_aug1.png', '0_aug2.png']
    >>> with open(os.path.join(dst, "manifest.csv")) as manifest:
    ...     print(manifest.readlines()[-1].split(",")[:5])
    ['dog/0_aug2.png', 'dog', 'dog/0.png', 'augment', '...']
    """
    src, dst = os.fspath(src), os.fspath(dst)
    if method not in _TAG:
        raise BalanceRefused(f"--method: {method!r} is not augment, random or smote.")
    if originals not in ("copy", "hardlink", "symlink", "none"):
        raise BalanceRefused(
            f"--originals: {originals!r} is not copy, hardlink, symlink or none."
        )
    image_format = image_format.upper() if image_format != "keep" else "keep"
    if image_format not in ("keep", "PNG", "JPEG"):
        raise BalanceRefused(f"--format: {image_format!r} is not keep, png or jpeg.")
    if on_error not in ("fail", "skip"):
        raise BalanceRefused(f"--on-error: {on_error!r} is not fail or skip.")
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral) or n_jobs == 0):
        raise BalanceRefused(
            f"--jobs {n_jobs}: give a number of jobs (1, 2...), or -1 for one per core."
        )
    if not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise BalanceRefused(
            f"--seed {seed}: give a whole number from 0 to 4294967295 (2**32 - 1)."
        )
    if image_format != "keep" and originals in ("hardlink", "symlink"):
        raise BalanceRefused(
            f"--originals {originals} links the source files, which --format "
            f"{image_format.lower()} would re-encode; use --originals copy or none."
        )
    _check_locations(src, dst)
    if originals == "hardlink" and not _same_device(src, dst):
        raise BalanceRefused(
            "--originals hardlink needs SRC and DST on one file system; use "
            "--originals copy or symlink."
        )
    sampling_strategy = (
        parse_strategy(strategy) if isinstance(strategy, str) else (strategy)
    )
    settings = {
        "src": os.path.realpath(src),
        "method": method,
        "strategy": strategy if isinstance(strategy, str) else repr(strategy),
        "seed": seed,
        "originals": originals,
        "format": image_format,
        "on_error": on_error,
        "augmenter": repr(augmenter) if augmenter is not None else None,
        "imgbalance": __version__,
    }
    try:
        check_free(dst)
    except DestinationBusy as busy:
        raise _busy(busy) from None
    _check_destination(dst, settings, resume)  # early: before the plan's work

    with warnings.catch_warnings():  # empty classes: reported in the summary
        warnings.simplefilter("ignore", UserWarning)
        try:
            data = scan_image_folder(src, what="SRC")
        except (OSError, ValueError) as exc:
            raise BalanceRefused(str(exc)) from None
    taken = [n for n in data.target_names if n.lower() == MANIFEST.lower()]
    if taken:
        raise BalanceRefused(
            f"SRC has a class folder named {taken[0]!r}, the name of the "
            "manifest written in DST; rename that folder."
        )
    _check_names(src, data.paths, dst)
    n_jobs, jobs_note = _capped_jobs(n_jobs)
    checked = check_files(data.paths, n_jobs)
    unreadable = [
        {
            "path": os.path.relpath(data.paths[i], src),
            "class": data.target_names[data.target[i]],
            "reason": reason,
        }
        for i, reason in sorted(checked.reasons.items())
    ]
    if unreadable and on_error == "fail":
        first = unreadable[0]
        raise BalanceRefused(
            f"{len(unreadable)} file(s) of SRC cannot be read (the first: "
            f"{shown_name(first['path'])}: {first['reason']}); `imgbalance inspect "
            "SRC` lists them all. Remove or replace them, or use --on-error skip "
            "to leave them out."
        )
    keep = np.flatnonzero(checked.ok)
    sources = SourceRecord(src, data.paths, checked.ok)  # for a later --resume
    if resume and os.path.isfile(os.path.join(dst, MARKER)):
        _changed_sources(dst, sources)  # early: before the plan's work
    if len(keep) == 0:
        raise BalanceRefused(
            f"none of the {len(data.paths)} image files of SRC can be read (the "
            f"first: {unreadable[0]['path']}: {unreadable[0]['reason']}); nothing "
            "to balance."
        )
    paths = [data.paths[i] for i in keep] if len(keep) < len(data.paths) else data.paths
    label_codes = data.target[keep]
    y = np.array(data.target_names, dtype=object)[label_codes].astype(str)
    if isinstance(sampling_strategy, dict):
        unknown = sorted(set(sampling_strategy) - set(y))
        unread = [name for name in unknown if name in data.target_names]
        if unread:
            raise BalanceRefused(
                f"--strategy names {', '.join(map(repr, unread))}, whose images "
                "all cannot be read (left out by --on-error skip); leave it out "
                "of --strategy."
            )
        if unknown:
            readable = sorted(set(y))
            raise BalanceRefused(
                f"--strategy names {', '.join(map(repr, unknown))}, not classes of "
                f"SRC (they are {', '.join(map(repr, readable))})."
            )
    names, sizes = np.unique(y, return_counts=True)
    if isinstance(sampling_strategy, float) and len(names) > 2:
        example = ",".join(f"{name}={sizes.max()}" for name in names[:2])
        raise BalanceRefused(
            f"--strategy {strategy}: a float sets the smaller of two classes, and "
            f"SRC has {len(names)}; give the size each class should reach "
            f"(such as --strategy {example}), or auto, minority, not-majority, "
            "not-minority or all."
        )
    if isinstance(sampling_strategy, (dict, float)):
        sampling_strategy = _targets_of(strategy, sampling_strategy, names, sizes)
    try:
        to_add = check_sampling_strategy(sampling_strategy, y, "over-sampling")
    except ValueError as exc:
        raise BalanceRefused(f"--strategy: {exc}") from None
    n_new = sum(int(n) for n in to_add.values())
    source_sizes = checked.size[keep]  # (width, height) of each kept source
    source_pixels = source_sizes.prod(axis=1)
    # SMOTE holds its new images and the grown classes' in memory, decoded
    # (up to 4 bytes a pixel: RGBA, or 16-bit gray with alpha)
    held = 0
    if method == "smote":
        grown = np.isin(y, [str(label) for label, n in to_add.items() if n])
        held = 4 * (
            n_new * float(np.median(source_pixels)) + float(source_pixels[grown].sum())
        )
    check_room(
        dst,
        n_new,
        originals,
        sources.size[keep],
        held_bytes=held,
        n_done=_files_done(dst) if resume else 0,
    )

    plan, arrays, notes = _plan(
        src,
        paths,
        label_codes,
        list(data.target_names),
        checked,
        keep,
        y,
        method,
        sampling_strategy,
        to_add,
        seed,
        originals,
        image_format,
    )
    counts = dict(zip(names.tolist(), sizes.tolist()))
    # the size of most sources (for the jobs' memory), then per-file arrays
    # the plan no longer needs go
    pixels = int(np.percentile(source_pixels, 90))
    large_note = _large_sources_note(src, paths, source_sizes)
    del checked, y, source_sizes, source_pixels
    after = dict(counts)
    for label, n_new in to_add.items():
        after[str(label)] += int(n_new)
    summary = {
        "src": src,
        "dst": dst,
        "method": method,
        "strategy": settings["strategy"],
        "seed": seed,
        "classes": [
            {"name": str(name), "before": counts[name], "after": after[name]}
            for name in counts
        ],
        "planned_files": len(plan),
        "written": 0,
        "already_done": 0,
        "skipped": unreadable,
        "empty_classes": list(data.empty_classes),
        "links_not_followed": [
            os.path.relpath(p, src) for p in data.links_not_followed
        ],
        "manifest": os.path.join(dst, MANIFEST),
        "dry_run": dry_run,
        "notes": notes + ([jobs_note] if jobs_note else []) + large_note,
    }
    if on_plan is not None:
        on_plan(dict(summary))
    if dry_run:
        return summary

    augmenter_ = default_augmenter() if augmenter is None else augmenter
    try:
        with exclusive_run(dst):
            # again, now that no other run can write: one may have ended
            resuming = _check_destination(dst, settings, resume)
            _write_outputs(
                dst,
                settings,
                sources,
                plan,
                resuming,
                arrays,
                augmenter_,
                n_jobs,
                pixels,
                summary,
                progress,
            )
    except DestinationBusy as busy:
        raise _busy(busy) from None
    return summary


def _busy(busy):
    """The refusal for a DST another run holds."""
    dst, pid = busy.args
    return BalanceRefused(
        f"DST {dst!r} is being written by another imgbalance balance run"
        + (f" (process {pid})" if pid else "")
        + "; wait for it to end, or give another folder."
    )


def _write_outputs(
    dst,
    settings,
    sources,
    plan,
    resuming,
    arrays,
    augmenter_,
    n_jobs,
    pixels,
    summary,
    progress,
):
    """Write what the plan still needs, journal each job, then the manifest;
    ``summary`` gets the counts."""
    done, line_at = _start(dst, settings, sources, plan, resuming)
    summary["already_done"] = int(done.sum())
    todo = np.flatnonzero(~done)
    for folder in plan.folders(todo):
        os.makedirs(os.path.join(dst, folder), exist_ok=True)
    tasks = [
        (
            batch,
            dst,
            augmenter_,
            {item.task: arrays[item.task] for item in batch if item.action == "array"},
            os.getpid(),
        )
        for batch in (
            list(plan.items(ks))
            for ks in _batches(plan, todo, _batch_size(pixels, len(todo), n_jobs))
        )
    ]
    results = run_tasks(
        _run_job, tasks, n_jobs, pays_after=_WRITES_PAY_AFTER, ordered=False
    )
    journal_path = os.path.join(dst, JOURNAL)
    try:
        with open(journal_path, "ab") as journal:
            at = journal.tell()
            for lines in results:  # recorded once the files exist
                journal.write(lines)
                journal.flush()
                lines = lines.split(b"\n")[:-1]  # each ends with one, none inside
                for line in lines:
                    line_at[int(line[: line.index(b"\t")])] = at
                    at += len(line) + 1
                summary["written"] += len(lines)
                if progress is not None:
                    progress(len(lines))
    except BaseException:  # an error, or a signal: stop the jobs, then tidy
        results.close()
        _remove_temporaries(dst)
        raise
    _write_manifest(dst, plan, line_at)
    if resuming:  # what DST now matches (after the outputs of changed files)
        _write_atomically(
            os.path.join(dst, SOURCES), lambda t: _write_record(t, sources)
        )
    os.remove(journal_path)


def _plan(
    src,
    paths,
    label_codes,
    label_names,
    checked,
    keep,
    y,
    method,
    strategy,
    to_add,
    seed,
    originals,
    image_format,
):
    """The outputs: originals, then generated images class by class.

    ``checked`` describes every scanned file, ``keep`` the readable ones
    (``paths``, of classes ``label_codes`` into ``label_names``, or ``y`` as
    names); ``strategy`` is the ``sampling_strategy`` given, ``to_add`` the
    checked class -> number of images to add (imbalanced-learn's
    ``check_sampling_strategy``).

    Returns the :class:`_Plan`, the images made in memory (for smote) and
    notes for the user.
    """
    # the written format and what writing in it changes, per (format, mode)
    pairs = checked.format[keep].astype(np.int64) * len(checked.modes) + (
        checked.mode[keep]
    )
    unique, pair_codes = np.unique(pairs, return_inverse=True)
    written_formats, note_texts = [], []
    written_of, note_of = [], []
    for pair in unique:
        source_format = checked.formats[pair // len(checked.modes)]
        mode = checked.modes[pair % len(checked.modes)]
        written = _written_format(source_format, image_format)
        if mode in ("I", "F") and written != source_format:
            _refuse_wide_pixels(src, paths, pairs, pair, mode, written)
        written_of.append(codes([written], written_formats)[0])
        note_of.append(codes([_conversion_note(mode, written)], note_texts)[0])
    written = np.array(written_of, dtype=np.int32)[pair_codes.ravel()]
    notes = np.array(note_of, dtype=np.int32)[pair_codes.ravel()]

    arrays, parameters, messages = None, None, []
    if method == "random":
        sampler = RandomImageOverSampler(sampling_strategy=strategy, random_state=seed)
        sampler.fit_resample(paths, y)
        sources, seeds = sampler.sample_indices_[len(paths) :], seed
    elif method == "augment":
        sources, seeds = plan_augmentation(y, to_add, seed)
        seeds = np.asarray(seeds, dtype=np.int64)
    else:
        sources, arrays, parameters, messages = _smote(
            src, paths, checked, keep, y, to_add, seed
        )
        seeds = seed
    plan = _Plan(
        src,
        paths,
        label_codes,
        label_names,
        written,
        written_formats,
        notes,
        note_texts,
        originals,
        image_format,
        method,
        sources,
        seeds,
        parameters,
    )
    return plan, arrays, messages


def _smote(src, paths, checked, keep, y, to_add, seed):
    """EmbeddingSMOTE on the images of the classes to grow (``to_add``:
    class -> number of images to add)."""
    grown = [label for label, n in to_add.items() if n > 0]
    members = np.flatnonzero(np.isin(y, grown))
    if len(members) == 0:  # nothing to make
        return members, [], [], []
    shapes = {
        (tuple(checked.size[keep[i]]), checked.modes[checked.mode[keep[i]]])
        for i in members
    }
    if len(shapes) > 1:
        raise BalanceRefused(
            "--method smote interpolates between images of one size and mode; "
            f"the classes to grow hold {len(shapes)} kinds "
            f"({', '.join(f'{w}x{h} {m}' for (w, h), m in sorted(shapes)[:4])}). "
            "Use --method augment, or resize them first."
        )
    # only the images of the classes to grow are decoded: EmbeddingSMOTE
    # reads no other (its embedding and neighbours are those classes'), so
    # the images made are those of fit_resample on the whole folder, and one
    # class to grow (any two-class folder) works as well as several
    sampler = EmbeddingSMOTE(random_state=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            pixels = _stack(check_image_collection([paths[i] for i in members]))
            images, sources, neighbors, gaps = sampler._synthesize(
                pixels,
                y[members],
                {label: int(to_add[label]) for label in grown},
                keep_originals=False,
            )
        except ValueError as exc:  # say, a class of one image
            raise BalanceRefused(f"--method smote: {exc}") from None
    sources, neighbors = members[sources], members[neighbors]
    per_sample = [
        {"neighbor": os.path.relpath(paths[b], src).replace(os.sep, "/"), "gap": g}
        for b, g in zip(neighbors, gaps.tolist())
    ]
    notes = [str(w.message) for w in caught]
    return sources, list(images), per_sample, notes


def _batch_size(pixels, n_outputs, n_jobs):
    """Outputs per job: at most ``_BATCH``, about ``_BATCH_PIXELS`` pixels of
    sources of ``pixels`` pixels, and few enough that each of the ``n_jobs``
    gets four jobs or more (so that they finish together)."""
    by_memory = _BATCH_PIXELS // max(pixels, 1)
    by_balance = -(-n_outputs // (4 * effective_n_jobs(n_jobs)))
    return max(1, min(_BATCH, by_memory, by_balance))


def _batches(plan, ks, size):
    """Outputs ``ks`` in jobs of at most ``size``; renders grouped by
    source, so that a job decodes each source once."""
    if plan.generated_action == "render":
        plain = ks[ks < plan.n_originals]
        renders = ks[ks >= plan.n_originals]
        renders = renders[
            np.lexsort((renders, plan.sources[renders - plan.n_originals]))
        ]
        groups = (plain, renders)
    else:
        groups = (ks,)
    return [group[i : i + size] for group in groups for i in range(0, len(group), size)]


def _start(dst, settings, sources, plan, resuming):
    """Prepare ``dst``: the record of SRC and the run's marker; when
    resuming, no temporary files left over, and what is done already: the
    outputs that exist as planned and as written (same size), recorded in
    the journal (or in the manifest of a run that finished, whose rows go
    back to the journal), made from files of SRC that did not change since.

    Returns ``done`` (bool per output) and ``line_at`` (offset of each
    output's line in the journal; -1 for none).
    """
    os.makedirs(dst, exist_ok=True)
    done = np.zeros(len(plan), dtype=bool)
    line_at = np.full(len(plan), -1, dtype=np.int64)
    if not resuming:
        _write_atomically(
            os.path.join(dst, SOURCES), lambda t: _write_record(t, sources)
        )
        _write_atomically(
            os.path.join(dst, MARKER),
            lambda t: _write_text(t, json.dumps(settings, indent=1, sort_keys=True)),
        )
        return done, line_at
    journal = os.path.join(dst, JOURNAL)
    _check_journal(journal)  # before anything is changed
    redo = _outputs_of_changed_sources(dst, sources, plan)
    _remove_temporaries(dst)
    _cut_partial_line(journal)  # or the next line would be appended to it
    manifest = os.path.join(dst, MANIFEST)
    if os.path.exists(manifest):  # a finished run: its rows, in plan order
        rows = _Rows()
        with (
            open(manifest, newline="", encoding="utf-8") as file,
            open(journal, "ab") as out,
        ):
            for k, row in enumerate(itertools.islice(csv.reader(file), 1, None)):
                out.write(_journal_line(k, row[0], -1, rows.line(row)))
    if not os.path.exists(journal):
        return done, line_at
    with open(journal, "rb") as file:
        at = 0
        for line in file:
            k, output, size = _journal_record(line)
            name = plan.name(k) if 0 <= k < len(plan) else None
            if name is not None and name.replace(os.sep, "/") == (
                output.replace(os.sep, "/")
            ):  # the same output at the same place, still there, whole?
                line_at[k] = at
                done[k] = _still_there(os.path.join(dst, name), size)
            at += len(line)
    done[redo] = False
    return done, line_at


def _still_there(path, size):
    """Whether the output at ``path`` is there, not empty, and of the size
    it was written with (``size``; -1: not known)."""
    try:
        actual = os.lstat(path).st_size
    except FileNotFoundError:
        return False
    return actual > 0 and size in (-1, actual)


def _write_record(path, sources):
    with open(path, "wb") as file:
        sources.write(file)


def _outputs_of_changed_sources(dst, sources, plan):
    """The outputs (positions in the plan) to make again because the file
    they came from changed since the run in ``dst`` began."""
    redo = np.zeros(len(plan), dtype=bool)
    changed = _changed_sources(dst, sources)
    if not changed:
        return redo
    changed = set(changed)
    touched = np.array([relative_path(p, plan.src) in changed for p in plan.paths])
    if plan.method == "smote":  # one embedding for all: every image made again
        redo[plan.n_originals :] = True
    for k, s, _, _ in plan._positions(np.arange(len(plan))):
        if touched[s]:
            redo[k] = True
    return redo


def _changed_sources(dst, sources):
    """The files of SRC changed since the run in ``dst`` began; refuses when
    files were added, removed, or turned readable or unreadable (the plan
    would not be the same)."""
    try:
        added, removed, flipped, changed = sources.compare(os.path.join(dst, SOURCES))
    except (OSError, ValueError) as exc:
        raise BalanceRefused(
            f"--resume: DST {dst!r} has no readable record of SRC ({SOURCES}: "
            f"{exc}), so what changed in SRC cannot be told; give a new folder."
        ) from None
    parts = [
        f"{len(names)} {what} ({', '.join(map(repr, names[:3]))}"
        f"{', ...' if len(names) > 3 else ''})"
        for names, what in [
            (added, "added"),
            (removed, "removed"),
            (flipped, "now readable or unreadable"),
        ]
        if names
    ]
    if parts:
        raise BalanceRefused(
            f"--resume: files of SRC changed since the run in DST began: "
            f"{'; '.join(parts)}; the plan would not be the same. Give a new "
            "folder, or put SRC back as it was."
        )
    return changed


def _remove_temporaries(dst):
    """Remove the files that writes cut short left under temporary names."""
    for folder, _, files in os.walk(dst):
        for name in files:
            if name.startswith(TEMPORARY):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, name))


def _journal_record(line):
    """``(k, output, size)`` of a journal line (``k<TAB>"output"<TAB>size
    <TAB>row``, see :func:`_journal_line`); ValueError if it is not one."""
    k, output, size, _ = line.split(b"\t", 3)
    k, output, size = int(k), json.loads(output), int(size)
    if k < 0 or size < -1 or not isinstance(output, str):
        raise ValueError("not a record")
    return k, output, size


def _check_journal(path):
    """Refuse a journal whose lines are not all records (a last line cut
    short by a kill is fine: it is dropped)."""
    if not os.path.exists(path):
        return
    with open(path, "rb") as file:
        for number, line in enumerate(file, start=1):
            if not line.endswith(b"\n"):
                return  # cut short
            try:
                _journal_record(line)
            except ValueError as exc:
                raise BalanceRefused(
                    f"--resume: the journal {path!r} is damaged at line {number} "
                    f"({exc}); remove it and run again with --resume (the files it "
                    "listed are then written again)."
                ) from None


def _cut_partial_line(path):
    """Drop a last line left without its end by a run that stopped."""
    if not os.path.exists(path):
        return
    with open(path, "rb+") as file:
        data_end = file.seek(0, os.SEEK_END)
        if data_end == 0:
            return
        file.seek(data_end - 1)
        if file.read(1) == b"\n":
            return
        keep = 0
        file.seek(0)
        for line in file:
            if line.endswith(b"\n"):
                keep += len(line)
        file.truncate(keep)


def _write_text(path, text):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _write_manifest(dst, plan, line_at):
    """The manifest: the rows the jobs made, from the journal, in plan
    order, into a temporary file, then renamed."""

    def write(path):
        with (
            open(os.path.join(dst, JOURNAL), "rb") as journal,
            open(path, "w", newline="", encoding="utf-8") as file,
        ):
            file.write(",".join(MANIFEST_COLUMNS) + "\n")
            for at in line_at.tolist():
                journal.seek(at)
                file.write(json.loads(journal.readline().split(b"\t", 3)[3]))

    _write_atomically(os.path.join(dst, MANIFEST), write)


def _plain(value):
    """JSON for numpy scalars and arrays in the applied parameters."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
