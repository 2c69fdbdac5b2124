"""The plan of a split: every readable source, by position, to
``DST/<part>/<its path in SRC>``, with its part and group in the manifest."""

import os
from dataclasses import dataclass

import numpy as np

from ._plan import Plan

__all__ = ["SPLIT_COLUMNS", "SplitOutput", "SplitPlan"]

SPLIT_COLUMNS = ["output", "class", "source", "part", "group"]


@dataclass(slots=True)
class SplitOutput:
    """One file of a split, made when a job or the manifest needs it."""

    k: int
    output: str  # relative to DST
    label: str
    source: str  # absolute path of the source file
    relative: str  # the source's path in SRC
    action: str  # copy, hardlink or reflink
    part: str
    group: int
    format: str = None
    task: int = -1

    def manifest_row(self, applied=None):
        return [
            self.output.replace(os.sep, "/"),
            self.label,
            self.relative.replace(os.sep, "/"),
            self.part,
            self.group,
        ]


class SplitPlan(Plan):
    """Every source to the part it was given: output ``k`` is source ``k``
    (a plan of originals only, with the part folder before the class).

    Parameters
    ----------
    sources : Sources
        The readable sources.
    parts : ndarray of int
        The part of each source (an index into ``part_names``).
    part_names : tuple of str
    groups : ndarray of int
        The group of each source (near-duplicates and derived images share
        one).
    originals : {"copy", "hardlink", "reflink"}
    """

    columns = SPLIT_COLUMNS

    def __init__(self, sources, parts, part_names, groups, originals):
        self.src, self.paths = sources.src, sources.paths
        self.label_codes, self.label_names = sources.label_codes, sources.label_names
        self.parts, self.part_names = np.asarray(parts), tuple(part_names)
        self.groups = np.asarray(groups, dtype=np.int64)
        self.method, self.originals, self.image_format = "split", originals, "keep"
        self.sources = np.empty(0, dtype=np.int64)  # nothing generated
        self.seeds, self.parameters, self.counters = 0, None, self.sources
        self.n_originals, self.width = len(self.paths), 1
        self.generated_action, self.kept_notes, self.formats = "copy", {}, None
        self.renamed = {}
        self._give_unique_names()

    def _output_name(self, k, s, j, relative):
        name = self.renamed.get(k)
        if name is not None:
            return name
        return os.path.join(self.part_names[self.parts[s]], relative)

    def items(self, ks):
        """The records (:class:`SplitOutput`) of outputs ``ks``."""
        for k, s, j, _, relative in self._positions(ks):
            yield SplitOutput(
                k,
                self._output_name(k, s, j, relative),
                self.label_names[self.label_codes[s]],
                self.paths.path_of(relative),  # not read again
                relative,
                self.originals,
                self.part_names[self.parts[s]],
                int(self.groups[s]),
            )

    def folders(self, ks=None):
        """The folders (relative to DST) of outputs ``ks`` (None: all)."""
        ks = np.arange(len(self)) if ks is None else np.asarray(ks)
        return sorted({os.path.dirname(self.name(int(k))) for k in ks})
