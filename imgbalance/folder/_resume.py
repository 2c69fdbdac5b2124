"""Starting a run in DST, or taking up an earlier one: what is done already,
and what must be made again because its source changed."""

import json
import os

import numpy as np

from ._files import open_no_follow, remove_temporaries, write_atomically, write_text
from ._journal import (
    JOURNAL,
    MANIFEST,
    MARKER,
    Rows,
    check_journal,
    check_manifest,
    cut_partial_line,
    journal_line,
    journal_record,
    manifest_rows,
)
from ._refusal import BalanceRefused, option
from ._sources import SOURCES
from ._worker_journals import fold_worker_journals, worker_journals

__all__ = ["changed_sources", "start", "write_record"]


def start(run, resuming):
    """Prepare DST for ``run``: the record of SRC and the run's marker; when
    resuming, no temporary files left over, and what is done already: the
    outputs that exist as planned and as written (same size), recorded in
    the journal (or in the manifest and sizes of a run that finished, whose
    rows go back to the journal), made from files of SRC that did not change
    since.

    Returns ``done`` (bool per output). The journal then holds only lines
    of outputs of the plan, by the names the plan gives them.
    """
    dst, plan = run.options.dst, run.plan
    os.makedirs(dst, exist_ok=True)
    done = np.zeros(len(plan), dtype=bool)
    if not resuming:
        write_atomically(
            os.path.join(dst, SOURCES), lambda t: write_record(t, run.record)
        )
        settings = json.dumps(run.options.settings, indent=1, sort_keys=True)
        write_atomically(os.path.join(dst, MARKER), lambda t: write_text(t, settings))
        return done
    journal = os.path.join(dst, JOURNAL)
    # a finished run: no journal, its manifest (a run stopped after writing
    # its manifest but before removing its journal has both: the journal,
    # with the sizes written, is the record then)
    finished = not os.path.exists(journal) and os.path.exists(
        os.path.join(dst, MANIFEST)
    )
    check_journal(journal)  # before anything is changed
    for path in worker_journals(dst):  # a Dask cluster's (_worker_journals)
        check_journal(path)
    if finished:
        check_manifest(dst)
    redo = outputs_of_changed_sources(dst, run.record, plan)
    remove_temporaries(dst)
    cut_partial_line(journal)  # or the next line would be appended to it
    fold_worker_journals(dst)
    if finished:  # its rows back to a journal, in plan order, with their sizes
        rows = Rows()
        with open_no_follow(journal, "ab") as out:
            for k, (row, size) in enumerate(manifest_rows(dst)):
                out.write(journal_line(k, row[0], size, rows.line(row)))
    if not os.path.exists(journal):
        return done
    foreign = False  # lines of outputs the plan does not have
    with open(journal, "rb") as file:
        for line in file:
            k, output, size = journal_record(line)
            name = _name_in_plan(plan, k, output)
            if name is not None:  # still there, whole?
                done[k] = still_there(os.path.join(dst, name), size)
            else:
                foreign = True
    if foreign:  # the manifest is made of the journal's lines: theirs only
        write_atomically(journal, lambda t: _lines_of_plan(journal, t, plan))
    done[redo] = False
    return done


def _name_in_plan(plan, k, output):
    """The plan's name of output ``k`` if a journal line of it named
    ``output`` is of the plan (the same output at the same place), else
    None."""
    if not 0 <= k < len(plan):
        return None
    name = plan.name(k)
    return name if name.replace(os.sep, "/") == output.replace(os.sep, "/") else None


def _lines_of_plan(journal, path, plan):
    """Copy the lines of ``journal`` that are of ``plan`` to ``path``."""
    with open(journal, "rb") as lines, open(path, "wb") as kept:
        for line in lines:
            if _name_in_plan(plan, *journal_record(line)[:2]) is not None:
                kept.write(line)


def still_there(path, size):
    """Whether the output at ``path`` is there, not empty, and of the size
    it was written with (``size``; -1: not known)."""
    try:
        actual = os.lstat(path).st_size
    except FileNotFoundError:
        return False
    return actual > 0 and size in (-1, actual)


def write_record(path, sources):
    with open(path, "wb") as file:
        sources.write(file)


def outputs_of_changed_sources(dst, record, plan):
    """The outputs (positions in the plan) to make again because the file
    they came from changed since the run in ``dst`` began (``record``: SRC
    as it is now)."""
    redo = np.zeros(len(plan), dtype=bool)
    changed = changed_sources(dst, record)
    if not changed:
        return redo
    changed = set(changed)
    touched = np.array([plan.relative(s) in changed for s in range(len(plan.paths))])
    if plan.method == "smote":  # one embedding for all: every image made again
        redo[plan.n_originals :] = True
    redo |= touched[plan.output_sources()]
    return redo


def changed_sources(dst, sources):
    """The files of SRC changed since the run in ``dst`` began; refuses when
    files were added, removed, or turned readable or unreadable (the plan
    would not be the same)."""
    try:
        added, removed, flipped, changed = sources.compare(os.path.join(dst, SOURCES))
    except (OSError, ValueError) as exc:
        raise BalanceRefused(
            f"{option('resume')}: DST {dst!r} has no readable record of SRC "
            f"({SOURCES}: {exc}), so what changed in SRC cannot be told; give a "
            "new folder."
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
            f"{option('resume')}: files of SRC changed since the run in DST began: "
            f"{'; '.join(parts)}; the plan would not be the same. Give a new "
            "folder, or put SRC back as it was."
        )
    return changed
