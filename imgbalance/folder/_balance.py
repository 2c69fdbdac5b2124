"""Write a balanced copy of a folder-per-class dataset, safely.

The copy is planned first (which file each output comes from, its name, its
seed), then written: every file under a temporary hidden name, renamed when
complete, and recorded in a journal. An interrupted run is completed by
running again with ``resume=True``: the plan is made again (it depends only
on the source folder and the options), files already recorded are kept and
the others written, so the result equals an uninterrupted run's.
"""

import contextlib
import csv
import json
import os
import shutil
import warnings
from dataclasses import dataclass

import numpy as np
from imblearn.utils import check_sampling_strategy
from joblib import Parallel, delayed, effective_n_jobs
from PIL import Image

from .. import __version__
from .._validation import load_image
from ..augment import default_augmenter
from ..datasets import load_image_folder
from ..over_sampling import EmbeddingSMOTE, RandomImageOverSampler
from ..over_sampling._augmenting import (
    _backend_kind,
    _ItemSource,
    _opencv_single_thread,
    _render,
    plan_augmentation,
)
from ._inspect import check_image_file

__all__ = ["BalanceRefused", "balance_folder", "parse_strategy"]

MANIFEST = "manifest.csv"
MARKER = ".imgbalance-run.json"
JOURNAL = ".imgbalance-journal.jsonl"
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
_BATCH = 64  # outputs per job: what a job holds in memory at a time


class BalanceRefused(ValueError):
    """A request refused before anything is written: a usage or safety
    problem (the ``imgbalance balance`` command exits with status 2).

    Examples
    --------
    >>> import tempfile
    >>> from imgbalance.folder import BalanceRefused, balance_folder
    >>> src = tempfile.mkdtemp()
    >>> try:
    ...     balance_folder(src, src)
    ... except BalanceRefused as refusal:
    ...     print(refusal)
    DST '...' is SRC; give a separate folder.
    """


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
            try:
                targets[name.strip()] = int(count)
            except ValueError:
                raise BalanceRefused(
                    f"--strategy: {part!r} is not CLASS=N with N a whole number."
                ) from None
        return targets
    try:
        return float(text)
    except ValueError:
        raise BalanceRefused(
            f"--strategy: {text!r} is not one of {', '.join(words)}, a float or "
            "CLASS=N,CLASS=N."
        ) from None


@dataclass(slots=True)  # one per output file: kept small
class _Output:
    """One file of the plan."""

    output: str  # relative to DST
    label: str
    source: str  # absolute path of the source file
    method: str  # original, random, augment or smote
    action: str  # copy, hardlink, symlink, encode, render or array
    format: str = None  # Pillow format written, for encode, render, array
    seed: object = ""
    parameters: dict = None
    note: str = ""
    task: int = -1  # render: index in the augmentation plan; array: in arrays


def _same_or_nested(a, b):
    return os.path.commonpath([a, b]) in (a, b)


def _check_locations(src, dst):
    if not os.path.isdir(src):
        what = "does not exist" if not os.path.exists(src) else "is not a folder"
        raise BalanceRefused(f"SRC {src!r} {what}; give the dataset folder.")
    real_src, real_dst = os.path.realpath(src), os.path.realpath(dst)
    if real_src == real_dst:
        raise BalanceRefused(f"DST {dst!r} is SRC; give a separate folder.")
    if _same_or_nested(real_src, real_dst):
        where = (
            "inside"
            if os.path.commonpath([real_src, real_dst]) == real_src
            else ("around")
        )
        raise BalanceRefused(
            f"DST {dst!r} is {where} SRC {src!r}: imgbalance never writes into "
            "the source dataset; give a folder outside it."
        )
    if os.path.exists(dst) and not os.path.isdir(dst):
        raise BalanceRefused(f"DST {dst!r} is a file; give a folder.")


def _same_device(src, dst):
    existing = os.path.abspath(dst)
    while not os.path.exists(existing):  # the nearest folder that exists
        existing = os.path.dirname(existing)
    return os.stat(src).st_dev == os.stat(existing).st_dev


def _check_destination(dst, settings, resume):
    """Refuse a DST with files this run did not write. Returns True when
    completing an earlier run."""
    if not os.path.isdir(dst) or not os.listdir(dst):
        return False
    marker = os.path.join(dst, MARKER)
    earlier = None
    if os.path.isfile(marker):
        with open(marker, encoding="utf-8") as file:
            try:
                earlier = json.load(file)
            except ValueError:
                earlier = None
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


def _conversion_note(mode, image_format):
    """What storing an image of ``mode`` as ``image_format`` changes."""
    if image_format != "JPEG":
        return ""
    if mode in ("RGBA", "LA", "PA"):
        return "alpha dropped: JPEG has none"
    if mode == "P":
        return "palette to RGB: JPEG has no palette"
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        return "16-bit to 8-bit: JPEG has 8 bits"
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
        _save(load_image(item.source), dst_path, item.format)


def _check_many(paths):
    return [check_image_file(path) for path in paths]


def _check_files(paths, n_jobs):
    """:func:`check_image_file` of every path, spread over ``n_jobs``
    processes (decoding small files holds the GIL too much for threads)."""
    n_jobs = effective_n_jobs(n_jobs)
    if n_jobs == 1 or len(paths) < 256:
        return _check_many(paths)
    bounds = np.linspace(0, len(paths), 4 * n_jobs + 1).astype(int)
    parts = Parallel(n_jobs=n_jobs)(
        delayed(_check_many)(paths[a:b]) for a, b in zip(bounds[:-1], bounds[1:])
    )
    return [info for part in parts for info in part]


def _run_job(dst, items, augmenter, arrays, in_process):
    """Write ``items`` (a job's share of the plan; ``arrays`` holds the
    images of its "array" items by task); return the outputs written and
    what augmenting applied to each rendered one (as JSON, made here rather
    than in the parent process, which would do it for every job).

    A job in a worker process runs OpenCV on one thread: the jobs already
    fill the cores (``in_process`` jobs leave that global setting alone).
    """
    limit = contextlib.nullcontext() if in_process else _opencv_single_thread()
    with limit:
        return _write_items(dst, items, augmenter, arrays)


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
            _ItemSource(unique),
            sources,
            np.array([item.seed for item in renders], dtype=np.int64),
        )
        for item, image, record in zip(renders, images, records):
            _save(image, os.path.join(dst, item.output), item.format)
            applied[item.output] = json.dumps(record, sort_keys=True, default=_plain)
    return [item.output for item in items], applied


def _relative(path, root):
    """``os.path.relpath(path, root)``, cheaply for the paths the scanner
    made (``root`` joined with the relative path)."""
    prefix = os.path.join(root, "")
    if path.startswith(prefix):
        return path[len(prefix) :]
    return os.path.relpath(path, root)


def _unique_name(folder, stem, ext, taken):
    """``folder/stem+ext``, or ``stem-1``, ``stem-2``... if a name that
    differs only by case was given already. ``taken`` holds the hashes of
    the names given (a collision of hashes only costs a suffix)."""
    name, k = f"{stem}{ext}", 1
    while hash(os.path.join(folder, name).lower()) in taken:
        name, k = f"{stem}-{k}{ext}", k + 1
    taken.add(hash(os.path.join(folder, name).lower()))
    return os.path.join(folder, name)


def _written_format(info, image_format):
    """The Pillow format of the files made from a source."""
    if image_format != "keep":
        return image_format
    if info.format in _EXTENSION:
        return info.format
    if info.format == "MPO":  # a camera's JPEG with extra frames
        return "JPEG"
    return "PNG"


def _extension(source, written):
    ext = os.path.splitext(source)[1].lower()
    return ext if _FORMAT_OF_EXTENSION.get(ext) == written else _EXTENSION[written]


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
    followed. Memory holds one batch of images per job (for
    ``method="smote"``: the images of the classes to grow).

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
    resuming = _check_destination(dst, settings, resume)

    with warnings.catch_warnings():  # empty classes: reported in the summary
        warnings.simplefilter("ignore", UserWarning)
        data = load_image_folder(src)
    infos = _check_files(data.paths, n_jobs)
    unreadable = [
        {
            "path": os.path.relpath(info.path, src),
            "class": data.target_names[t],
            "reason": info.reason,
        }
        for info, t in zip(infos, data.target)
        if not info.ok
    ]
    if unreadable and on_error == "fail":
        listed = "\n".join(f"  {u['path']}: {u['reason']}" for u in unreadable[:20])
        more = (
            f"\n  ... and {len(unreadable) - 20} more" if len(unreadable) > 20 else ""
        )
        raise BalanceRefused(
            f"{len(unreadable)} file(s) of SRC cannot be read:\n{listed}{more}\n"
            "Remove or replace them, or use --on-error skip to leave them out."
        )
    keep = np.flatnonzero([info.ok for info in infos])
    if len(keep) == 0:
        raise BalanceRefused(
            f"none of the {len(infos)} image files of SRC can be read (the first: "
            f"{unreadable[0]['path']}: {unreadable[0]['reason']}); nothing to balance."
        )
    paths = [data.paths[i] for i in keep]
    infos = [infos[i] for i in keep]
    names = np.array(data.target_names, dtype=object)
    y = names[data.target[keep]].astype(str)
    if isinstance(sampling_strategy, dict):
        unknown = sorted(set(sampling_strategy) - set(y))
        if unknown:
            raise BalanceRefused(
                f"--strategy names {', '.join(map(repr, unknown))}, not classes of "
                f"SRC (they are {', '.join(map(repr, data.target_names))})."
            )
    try:
        to_add = check_sampling_strategy(sampling_strategy, y, "over-sampling")
    except ValueError as exc:
        raise BalanceRefused(f"--strategy: {exc}") from None

    plan, arrays, notes = _plan(
        src,
        paths,
        infos,
        y,
        method,
        sampling_strategy,
        to_add,
        seed,
        originals,
        image_format,
    )
    counts = {name: int(np.sum(y == name)) for name in np.unique(y)}
    del infos, paths, y  # per-file lists the plan no longer needs
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
        "notes": notes,
    }
    if on_plan is not None:
        on_plan(dict(summary))
    if dry_run:
        return summary

    augmenter_ = default_augmenter() if augmenter is None else augmenter
    done, applied = _start(dst, settings, plan, resuming)
    summary["already_done"] = len(done)
    todo = [item for item in plan if item.output not in done]
    for folder in sorted({os.path.dirname(item.output) for item in todo}):
        os.makedirs(os.path.join(dst, folder), exist_ok=True)
    jobs = _batches(todo)
    in_process = effective_n_jobs(n_jobs) == 1 or _backend_kind() == "threads"
    results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_run_job)(
            dst,
            batch,
            augmenter_,
            {item.task: arrays[item.task] for item in batch if item.action == "array"},
            in_process,
        )
        for batch in jobs
    )
    with open(os.path.join(dst, JOURNAL), "a", encoding="utf-8") as journal:
        for outputs, records in results:  # a line per job, once its files exist
            applied.update(records)
            entry = {"outputs": outputs, "applied": records}
            journal.write(json.dumps(entry) + "\n")
            journal.flush()
            summary["written"] += len(outputs)
            if progress is not None:
                progress(len(outputs))
    _write_manifest(dst, src, plan, applied)
    os.remove(os.path.join(dst, JOURNAL))
    return summary


def _plan(
    src, paths, infos, y, method, strategy, to_add, seed, originals, image_format
):
    """The outputs, in order: originals, then generated images class by class.

    ``strategy`` is the ``sampling_strategy`` given, ``to_add`` the checked
    class -> number of images to add (imbalanced-learn's
    ``check_sampling_strategy``).

    Returns the plan, the images made in memory (for smote) and notes for
    the user.
    """
    notes = []
    taken = set()
    plan = []
    shared = {name: name for name in map(str, np.unique(y))}
    labels = [shared[name] for name in map(str, y)]  # one str object a class
    formats = [_written_format(info, image_format) for info in infos]
    how = {"originals": originals}  # one dict shared by the rows it describes
    if originals != "none":
        for path, label, info, written in zip(paths, labels, infos, formats):
            r = _relative(path, src)
            if image_format == "keep":
                output = _unique_name(*os.path.split(r), "", taken)
                plan.append(
                    _Output(output, label, path, "original", originals, parameters=how)
                )
            else:
                folder, name = os.path.split(r)
                stem = os.path.splitext(name)[0]
                output = _unique_name(folder, stem, _extension(r, written), taken)
                plan.append(
                    _Output(
                        output,
                        label,
                        path,
                        "original",
                        "encode",
                        written,
                        note=_conversion_note(info.mode, written),
                    )
                )
    arrays = None
    if method == "random":
        sampler = RandomImageOverSampler(sampling_strategy=strategy, random_state=seed)
        sampler.fit_resample(paths, y)
        sources = sampler.sample_indices_[len(paths) :]
        per_sample = [{}] * len(sources)
        seeds = [seed] * len(sources)
    elif method == "augment":
        sources, plan_seeds = plan_augmentation(y, to_add, seed)
        per_sample = [{}] * len(sources)
        seeds = [int(s) for s in plan_seeds]
    else:
        sources, arrays, per_sample, notes = _smote(src, paths, infos, y, to_add, seed)
        seeds = [seed] * len(sources)
    counters = {}
    for k, (source, params) in enumerate(zip(sources, per_sample)):
        r = _relative(paths[source], src)
        folder, name = os.path.split(r)
        stem = os.path.splitext(name)[0]
        written = formats[source]
        j = counters.get(source, 0)
        counters[source] = j + 1
        output = _unique_name(
            folder, f"{stem}_{_TAG[method]}{j}", _extension(r, written), taken
        )
        mode = infos[source].mode
        if method == "random" and image_format == "keep":
            action, written, note = "copy", None, ""
        else:
            action = {"random": "encode", "augment": "render", "smote": "array"}[method]
            note = _conversion_note(mode, written)
        plan.append(
            _Output(
                output,
                labels[source],
                paths[source],
                method,
                action,
                written,
                seeds[k],
                params,
                note,
                task=k,
            )
        )
    return plan, arrays, notes


def _smote(src, paths, infos, y, to_add, seed):
    """EmbeddingSMOTE on the images of the classes to grow (``to_add``:
    class -> number of images to add)."""
    grown = [label for label, n in to_add.items() if n > 0]
    members = np.flatnonzero(np.isin(y, grown))
    shapes = {(infos[i].size, infos[i].mode) for i in members}
    if len(shapes) > 1:
        raise BalanceRefused(
            "--method smote interpolates between images of one size and mode; "
            f"the classes to grow hold {len(shapes)} kinds "
            f"({', '.join(f'{w}x{h} {m}' for (w, h), m in sorted(shapes)[:4])}). "
            "Use --method augment, or resize them first."
        )
    targets = {label: int(np.sum(y == label)) + int(to_add[label]) for label in grown}
    sampler = EmbeddingSMOTE(sampling_strategy=targets, random_state=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            images, _ = sampler.fit_resample([paths[i] for i in members], y[members])
        except ValueError as exc:  # say, a class of one image
            raise BalanceRefused(f"--method smote: {exc}") from None
    n = len(members)
    sources = members[sampler.sample_indices_[n:]]
    neighbors = members[sampler.neighbor_indices_]
    per_sample = [
        {"neighbor": os.path.relpath(paths[b], src).replace(os.sep, "/"), "gap": g}
        for b, g in zip(neighbors, sampler.gaps_.tolist())
    ]
    notes = [str(w.message) for w in caught]
    return sources, list(images[n:]), per_sample, notes


def _batches(items):
    """Jobs of at most ``_BATCH`` outputs; renders grouped by source so a
    job decodes each source once."""
    plain = [item for item in items if item.action != "render"]
    renders = sorted(
        (item for item in items if item.action == "render"),
        key=lambda item: (item.source, item.task),
    )
    return [
        group[i : i + _BATCH]
        for group in (plain, renders)
        for i in range(0, len(group), _BATCH)
    ]


def _start(dst, settings, plan, resuming):
    """Prepare ``dst``: the run's marker; when resuming, what the journal
    says is done (and still there), and no temporary files left over."""
    os.makedirs(dst, exist_ok=True)
    done, applied = set(), {}
    if resuming:
        for folder, _, files in os.walk(dst):
            for name in files:
                if name.startswith(TEMPORARY):
                    os.remove(os.path.join(folder, name))
        journal = os.path.join(dst, JOURNAL)
        if os.path.exists(journal):
            with open(journal, encoding="utf-8") as file:
                for line in file:
                    try:
                        entry = json.loads(line)
                    except ValueError:  # cut short when the run stopped
                        continue
                    done.update(entry["outputs"])
                    applied.update(entry["applied"])
        if os.path.exists(os.path.join(dst, MANIFEST)):
            done.update(item.output for item in plan)  # an earlier run finished
            applied.update(_applied_from_manifest(dst))
        done = {o for o in done if os.path.lexists(os.path.join(dst, o))}
    else:
        _write_atomically(
            os.path.join(dst, MARKER),
            lambda t: _write_text(t, json.dumps(settings, indent=1, sort_keys=True)),
        )
    return done, applied


def _applied_from_manifest(dst):
    with open(os.path.join(dst, MANIFEST), newline="", encoding="utf-8") as file:
        return {
            row["output"]: json.dumps(
                json.loads(row["parameters"])["applied"], sort_keys=True
            )
            for row in csv.DictReader(file)
            if row["method"] == "augment"
        }


def _write_text(path, text):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _write_manifest(dst, src, plan, applied):
    """The manifest, row by row into a temporary file, then renamed."""

    def write(path):
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(MANIFEST_COLUMNS)
            for item in plan:
                if item.method == "augment":  # {"applied": [...]}, by the jobs
                    parameters = '{"applied": ' + applied[item.output] + "}"
                else:
                    parameters = json.dumps(
                        item.parameters or {}, sort_keys=True, default=_plain
                    )
                writer.writerow(
                    [
                        item.output.replace(os.sep, "/"),
                        item.label,
                        _relative(item.source, src).replace(os.sep, "/"),
                        item.method,
                        item.seed,
                        parameters,
                        item.note,
                    ]
                )

    _write_atomically(os.path.join(dst, MANIFEST), write)


def _plain(value):
    """JSON for numpy scalars and arrays in the applied parameters."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
