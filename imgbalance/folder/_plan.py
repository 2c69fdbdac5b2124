"""The plan of a run: every output, by position, with its source, method,
seed, format and a name no other output has."""

import os
from dataclasses import dataclass

import numpy as np

from ..utils._compact import unsigned_type
from ._formats import EXTENSION, FORMAT_OF_EXTENSION, conversion_note
from ._journal import row

__all__ = ["Output", "Plan", "narrow"]

TAG = {"random": "dup", "augment": "aug", "smote": "smote"}


@dataclass(slots=True)
class Output:
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

    def manifest_row(self, applied=None):
        """The output's manifest row (``applied``: the JSON of what
        augmenting applied to it)."""
        return row(self, applied)


class Plan:
    """Every output of a run, by position ``k``: the originals (one per
    source, unless they are left out), then the generated images.

    Held in arrays, a few bytes an output, so that memory grows with the
    dataset by little more than the list of its files: an output's name and
    record are made when needed (:meth:`name`, :meth:`items`).

    Parameters
    ----------
    sources : Sources
        The readable sources, with their classes.
    formats : Formats
        The format each source's outputs are written in.
    generated : Generated
        The images added: their sources, seeds and parameters.
    options : Options
        The run's options (method, originals, image_format).
    capped : dict, default=None
        Class -> (images it had, images it keeps) of the classes cut by
        ``max_per_class``: their originals' rows say so.
    """

    def __init__(self, sources, formats, generated, options, capped=None):
        self.src, self.paths = sources.src, sources.paths
        self.label_codes, self.label_names = sources.label_codes, sources.label_names
        self.formats = formats
        self.method, self.originals = options.method, options.originals
        self.image_format = options.image_format
        self.sources = narrow(np.asarray(generated.sources), len(self.paths))
        self.seeds, self.parameters = generated.seeds, generated.parameters
        self.n_originals = len(self.paths) if self.originals != "none" else 0
        self.counters = occurrence(self.sources)  # j in <stem>_aug<j>
        self.counters = narrow(self.counters, self.counters.max(initial=0) + 1)
        # j zero-padded to one width, so that names sort as they were made
        self.width = len(str(int(self.counters.max()))) if len(self.counters) else 1
        if self.method == "random" and self.image_format == "keep":
            self.generated_action = "copy"  # the source file, byte for byte
        else:
            self.generated_action = {
                "random": "encode",
                "augment": "render",
                "smote": "array",
            }[self.method]
        # what writing images made in memory changes, by format: their mode
        # is theirs (one for all), not their sources'
        self.array_mode = generated.array_mode
        self.kept_notes = {
            name: f"kept: {kept} of its class's {before}, drawn by the seed (a cap "
            f"of {kept} per class)"
            for name, (before, kept) in (capped or {}).items()
        }
        self.renamed = {}  # k -> name, where a name was taken
        self._give_unique_names()

    def __len__(self):
        return self.n_originals + len(self.sources)

    def _positions(self, ks):
        """``(k, source, j, seed, relative)`` of outputs ``ks`` as Python
        numbers, made a slice at a time (``j``: the output's number among
        those made from its source; ``relative``: the source's path in SRC,
        the slice's read together; ``ks``: integers, or a range: not made
        all at once)."""
        for start in range(0, len(ks), 4096):
            part = np.asarray(ks[start : start + 4096], dtype=np.int64)
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
            names = self.paths.relatives(sources)
            yield from zip(
                part.tolist(), sources.tolist(), counters.tolist(), seeds, names
            )

    def relative(self, s):
        """Source ``s``'s path in SRC."""
        return self.paths.relative(s)

    def _output_name(self, k, s, j, relative):
        """Output ``k``'s path relative to DST (``s``, ``j``: see
        :meth:`_positions`; ``relative``: the source's path in SRC)."""
        name = self.renamed.get(k)
        if name is not None:
            return name
        if k < self.n_originals:
            return (
                relative
                if self.image_format == "keep"
                else self._with_format(relative, s)
            )
        return self._with_format(relative, s, f"_{TAG[self.method]}{j:0{self.width}d}")

    def _with_format(self, relative, s, tag=""):
        """``relative`` (source ``s``'s path) with ``tag`` after its stem
        and the extension of the format its outputs are written in."""
        root, ext = os.path.splitext(relative)
        written = self.formats.name(s)
        ext = ext.lower()
        if FORMAT_OF_EXTENSION.get(ext) != written:
            ext = EXTENSION[written]
        return root + tag + ext

    def name(self, k):
        """Output ``k``'s path, relative to DST."""
        for k, s, j, _, relative in self._positions([k]):
            return self._output_name(k, s, j, relative)

    def _give_unique_names(self):
        """Rename the outputs whose name (ignoring case) an earlier output
        has: ``stem-1``, ``stem-2``... the first name no output has.

        Finds candidates by hash (an array, 8 bytes an output), then
        compares the names themselves: the result does not depend on
        Python's hash seed. Where no two hashes are equal (the common
        case) the array is sorted in place and nothing more is held.
        """
        hashes = self._name_hashes()
        hashes.sort()
        if not np.any(hashes[1:] == hashes[:-1]):
            return
        hashes = self._name_hashes()  # made again, to find whose they are
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

    def _name_hashes(self):
        """The hash of every output's name, lower case, by position."""
        n = len(self)
        return np.fromiter(
            (
                hash(self._output_name(k, s, j, relative).lower())
                for k, s, j, _, relative in self._positions(range(n))
            ),
            dtype=np.int64,
            count=n,
        )

    def items(self, ks):
        """The records (:class:`Output`) of outputs ``ks``."""
        for k, s, j, seed, relative in self._positions(ks):
            path = self.paths.path_of(relative)  # not read again
            name = self._output_name(k, s, j, relative)
            label = self.label_names[self.label_codes[s]]
            written, note = self.formats.name(s), self.formats.note(s)
            if k < self.n_originals and self.image_format == "keep":
                yield Output(
                    k,
                    name,
                    label,
                    path,
                    relative,
                    "original",
                    self.originals,
                    note=self.kept_notes.get(label, ""),
                )
            elif k < self.n_originals:
                yield Output(
                    k,
                    name,
                    label,
                    path,
                    relative,
                    "original",
                    "encode",
                    written,
                    note="; ".join(n for n in (note, self.kept_notes.get(label)) if n),
                )
            else:
                g = k - self.n_originals
                if self.generated_action == "copy":
                    written, note = None, ""
                elif self.generated_action == "array":
                    note = conversion_note(self.array_mode, written)
                yield Output(
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

    def output_sources(self):
        """The source of every output, by position."""
        return np.concatenate([np.arange(self.n_originals), self.sources])

    def folders(self, ks=None):
        """The folders (relative to DST) of outputs ``ks`` (None: all)."""
        used = np.zeros(len(self.paths), dtype=bool)  # a byte a source, no set
        if ks is None:
            used[: self.n_originals] = True
            used[self.sources] = True
        else:  # a part at a time: not a copy of all of ks
            for start in range(0, len(ks), 2**16):
                part = np.asarray(ks[start : start + 2**16], dtype=np.int64)
                used[part[part < self.n_originals]] = True
                made = part[part >= self.n_originals] - self.n_originals
                used[self.sources[made]] = True
        return sorted(
            {os.path.dirname(name) for name in self.paths.relatives(used.nonzero()[0])}
        )


def narrow(values, bound):
    """``values`` (whole numbers from 0 to below ``bound``) in the smallest
    unsigned dtype that holds them: the plan holds a few per output."""
    return values.astype(unsigned_type(bound), copy=False)


def occurrence(values):
    """For each position, how many earlier positions hold the same value
    (the smallest unsigned type for positions below ``len(values)``; found
    a part at a time: beside the sort's order, a few bytes a value)."""
    n = len(values)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.ones(n, dtype=bool)  # where a run of one value starts
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    del ordered
    starts = np.flatnonzero(first)
    del first
    out = np.empty(n, dtype=unsigned_type(n))
    for low in range(0, n, 2**16):
        at = np.arange(low, min(low + 2**16, n))
        # each position's place in the sorted order, less where its run starts
        out[order[at]] = at - starts[np.searchsorted(starts, at, side="right") - 1]
    return out
