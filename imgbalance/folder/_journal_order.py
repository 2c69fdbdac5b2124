"""The journal's lines in plan order, whatever order the jobs wrote them in.

The jobs append their lines as they end, so the journal is in no set
order, and the manifest is in plan order. The journal is read a part at a
time, each part sorted by output position and kept in an unnamed
temporary file in DST (which has room for the run's files), and the parts
are merged: memory holds a part of the journal, not an entry per output.
A journal of one part is sorted in memory.
"""

import heapq
import itertools
import tempfile

from ._files import TEMPORARY

__all__ = ["lines_in_order"]

# journal lines sorted in memory at a time (a few hundred bytes each)
PART_LINES = 16384
# parts merged at a time (each an open file)
MERGED_AT_ONCE = 64


def position(line):
    """The output position ``k`` a journal line starts with."""
    return int(line[: line.index(b"\t")])


def lines_in_order(journal, folder, n):
    """Yield, for each output position from 0 to ``n - 1``, the last line
    of the binary ``journal`` file that records it (an output journaled
    twice, written again, counts as its last writing said).

    Parameters
    ----------
    journal : binary file
        Read from where it stands to its end: whole lines, each starting
        with an output position below ``n``.
    folder : str
        Where the sorted parts are kept (unnamed files, gone when closed).
    n : int
        The number of outputs.

    Raises
    ------
    ValueError
        A position without a line (the journal does not record every
        output).
    """
    parts = []
    try:
        lines = _sorted_parts(journal, folder, parts)
        if parts:
            while len(parts) > MERGED_AT_ONCE:  # not too many files open
                _merge_in_groups(parts, folder)
            lines = heapq.merge(*parts, key=position)  # stable: journal order
        yield from _last_of_each(lines, n)
    finally:
        for part in parts:
            part.close()


def _merge_in_groups(parts, folder):
    """Merge ``parts`` (sorted files, in journal order) in groups of
    :data:`MERGED_AT_ONCE`, each into one file, in place, keeping their
    order."""
    groups = [
        parts[i : i + MERGED_AT_ONCE] for i in range(0, len(parts), MERGED_AT_ONCE)
    ]
    for group in groups:
        merged = _part_file(folder)
        parts.append(merged)  # closed by the caller, whatever happens
        merged.writelines(heapq.merge(*group, key=position))
        merged.seek(0)
        for part in group:
            part.close()
            parts.remove(part)


def _part_file(folder):
    return tempfile.TemporaryFile(dir=folder, prefix=f"{TEMPORARY}sort-")


def _sorted_parts(journal, folder, parts):
    """Sort ``journal`` a part at a time into files appended to ``parts``
    (in journal order); a journal of one part is returned sorted, as a
    list, with no file."""
    while True:
        part = list(itertools.islice(journal, PART_LINES))
        part.sort(key=position)  # stable: the later line of an output last
        if not parts and len(part) < PART_LINES:
            return part  # the whole journal
        if not part:
            return None
        file = _part_file(folder)
        parts.append(file)
        file.writelines(part)
        file.seek(0)


def _last_of_each(lines, n):
    """The last of each run of ``lines`` (sorted by position) of one
    position, checking that the positions are 0 to ``n - 1``."""
    expected, held = 0, None  # the next position, the line of the last
    for line in lines:
        k = position(line)
        if k == expected - 1:  # the position held, journaled again
            held = line
            continue
        if k >= n:
            raise ValueError(f"the journal has a line for output {k}, of {n}")
        if k != expected:
            raise ValueError(f"the journal has no line for output {expected}")
        if held is not None:
            yield held
        held, expected = line, expected + 1
    if held is not None:
        yield held
    if expected != n:
        raise ValueError(f"the journal has no line for output {expected}")
