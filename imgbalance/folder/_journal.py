"""What a run keeps in DST about itself: the marker (its settings), the
journal (a line per output written, with its manifest row) and, at the end,
the manifest put together from the journal in plan order."""

import csv
import io
import itertools
import json
import os

import numpy as np

from ._files import open_no_follow, write_atomically
from ._journal_order import lines_in_order
from ._refusal import BalanceRefused, option

__all__ = [
    "JOURNAL",
    "JournalChanged",
    "MANIFEST",
    "MANIFEST_COLUMNS",
    "MARKER",
    "SIZES",
    "Rows",
    "check_journal",
    "check_manifest",
    "cut_partial_line",
    "files_done",
    "journal_line",
    "journal_record",
    "manifest_rows",
    "parameters_json",
    "row",
    "write_manifest",
]

MANIFEST = "manifest.csv"
MARKER = ".imgbalance-run.json"
# a line per output written: "k <tab> output (JSON) <tab> size <tab> manifest
# row (JSON)" (size -1: not known, for rows taken back from a manifest
# without sizes)
JOURNAL = ".imgbalance-journal.tsv"
# once the manifest is written: the size of each output, a line each in
# plan order (the journal is removed), so that a later --resume tells the
# outputs changed since
SIZES = ".imgbalance-sizes.tsv"
_TAB = b"\t"
MANIFEST_COLUMNS = ["output", "class", "source", "method", "seed", "parameters", "note"]


class JournalChanged(OSError):
    """DST's journal lost or gained lines while the run wrote (the command
    exits with status 3: ``--resume`` checks it and finishes)."""

    def __init__(self, path, reason):
        super().__init__(f"DST's journal {path!r} changed during the run ({reason})")


def row(item, applied=None):
    """The manifest row of ``item``; ``applied``: the JSON of what
    augmenting applied to it."""
    if item.method == "augment":
        parameters = '{"applied": ' + applied + "}"
    elif item.method == "original" and item.action != "encode":
        parameters = json.dumps({"originals": item.action})
    else:
        parameters = parameters_json(item.parameters or {})
    return [
        item.output.replace(os.sep, "/"),
        item.label,
        item.relative.replace(os.sep, "/"),
        item.method,
        item.seed,
        parameters,
        item.note,
    ]


def plain(value):
    """JSON for numpy scalars and arrays in the applied parameters."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# made once: json.dumps with options makes an encoder a call
_TEXT = json.JSONEncoder(ensure_ascii=False)
_PARAMETERS = json.JSONEncoder(sort_keys=True, default=plain)


def parameters_json(parameters):
    """The JSON of an output's parameters (keys sorted, numpy values as
    Python's)."""
    return _PARAMETERS.encode(parameters)


class Rows:
    """Manifest rows as CSV text, one at a time."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def line(self, row):
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(row)
        return self.buffer.getvalue()


def journal_line(k, output, size, row_text):
    """Output ``k`` written (``size`` bytes; -1: not known), with its
    manifest row: a line of the journal (JSON escapes the tabs and line ends
    that names may hold)."""
    output, row_text = _TEXT.encode(output), _TEXT.encode(row_text)
    return f"{k}\t{output}\t{size}\t{row_text}\n".encode()


def journal_record(line):
    """``(k, output, size)`` of a journal line (``k<TAB>"output"<TAB>size
    <TAB>row``, see :func:`journal_line`); ValueError if it is not one."""
    k, output, size, _ = line.split(b"\t", 3)
    k, output, size = int(k), json.loads(output), int(size)
    if k < 0 or size < -1 or not isinstance(output, str):
        raise ValueError("not a record")
    return k, output, size


def check_journal(path):
    """Refuse a journal whose lines are not all records (a last line cut
    short by a kill is fine: it is dropped)."""
    if not os.path.exists(path):
        return
    with open(path, "rb") as file:
        for number, line in enumerate(file, start=1):
            if not line.endswith(b"\n"):
                return  # cut short
            try:
                journal_record(line)
                # the manifest is made of the rows: each must be JSON text
                if not isinstance(json.loads(line.split(_TAB, 3)[3]), str):
                    raise ValueError("its manifest row is not text")
            except ValueError as exc:
                raise BalanceRefused(
                    f"{option('resume')}: the journal {path!r} is damaged at line "
                    f"{number} ({exc}); remove it and run again with "
                    f"{option('resume', True)} (the files it listed are then "
                    "written again)."
                ) from None


def cut_partial_line(path):
    """Drop a last line left without its end by a run that stopped."""
    if not os.path.exists(path):
        return
    with open_no_follow(path, "rb+") as file:
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


def files_done(dst):
    """How many outputs an earlier run journaled in ``dst`` (0 without one)."""
    try:
        with open(os.path.join(dst, JOURNAL), "rb") as journal:
            return sum(1 for _ in journal)
    except OSError:
        return 0


_CHUNK = 4096  # rows decoded at a time


def write_manifest(dst, plan):
    """The manifest: the rows the jobs made, from the journal (each
    output's last line), in plan order, into a temporary file, then
    renamed; first, the outputs' sizes in the same order (:data:`SIZES`).
    Both are written in one reading of the journal, put in plan order a
    part at a time (``_journal_order``)."""
    journal_path = os.path.join(dst, JOURNAL)

    def write(sizes_path, manifest_path):
        with (
            open(journal_path, "rb") as journal,
            open(sizes_path, "w", encoding="ascii") as sizes,
            open(manifest_path, "w", newline="", encoding="utf-8") as manifest,
        ):
            manifest.write(",".join(getattr(plan, "columns", MANIFEST_COLUMNS)) + "\n")
            lines = lines_in_order(journal, dst, len(plan))
            while True:
                fields = [
                    line.split(_TAB, 3) for line in itertools.islice(lines, _CHUNK)
                ]
                if not fields:
                    break
                # checked as written, or by check_journal
                sizes.write("".join(f"{int(f[2])}\n" for f in fields))
                # the rows are JSON strings: decoded together, in one call
                rows = b"[" + b",".join(f[3] for f in fields) + b"]"
                manifest.write("".join(json.loads(rows)))

    try:
        write_atomically(
            os.path.join(dst, MANIFEST),
            lambda manifest: write_atomically(  # renamed first
                os.path.join(dst, SIZES), lambda sizes: write(sizes, manifest)
            ),
        )
    except ValueError as exc:  # its lines are this run's: something changed them
        raise JournalChanged(journal_path, exc) from None


def manifest_rows(dst):
    """The rows of a finished run's manifest (without its header), each
    with the recorded size of its output (-1 where none was recorded), one
    at a time: ``(row, size)``. Checked as they come: a header of ours,
    every row of its length (no blank line); :func:`check_manifest` reads
    them all before anything is changed."""
    path = os.path.join(dst, MANIFEST)
    recorded = os.path.lexists(os.path.join(dst, SIZES))
    sizes = _sizes(dst)
    try:
        with open(path, newline="", encoding="utf-8") as file:
            rows = csv.reader(file)
            header = next(rows, [])
            if header[:1] != ["output"]:
                raise _damaged(MANIFEST, "line 1", "not the header imgbalance writes")
            for number, row in enumerate(rows, start=2):
                if len(row) != len(header) or not row[0]:
                    what = (
                        "a blank line"
                        if not any(row)
                        else f"{len(row)} fields, not {len(header)}"
                    )
                    raise _damaged(MANIFEST, f"line {number}", what)
                yield row, next(sizes, None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _damaged(MANIFEST, "reading it", exc) from None
    if recorded and next(sizes, None) is not None:
        raise _damaged(SIZES, "its end", f"more sizes than rows of {MANIFEST}")


def _sizes(dst):
    """The sizes :func:`write_manifest` recorded, one at a time (-1 each
    without a record: a run finished by an earlier version)."""
    path = os.path.join(dst, SIZES)
    if not os.path.lexists(path):
        while True:
            yield -1
    try:
        with open(path, encoding="ascii") as file:
            for number, line in enumerate(file, start=1):
                size = int(line)
                if size < 0:
                    raise ValueError(f"a size of {size}")
                yield size
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _damaged(SIZES, "reading it", exc) from None


def _damaged(name, where, what):
    return BalanceRefused(
        f"{option('resume')}: DST's {name} is damaged ({where}: {what}); remove "
        f"it and run again with {option('resume', True)} (the outputs are then "
        "checked and written again), or give a new folder."
    )


def check_manifest(dst):
    """Refuse a finished run's manifest (or its sizes) that is not as
    written, before anything is changed (see :func:`manifest_rows`)."""
    for _, size in manifest_rows(dst):
        if size is None:
            raise _damaged(SIZES, "its end", f"fewer sizes than rows of {MANIFEST}")
