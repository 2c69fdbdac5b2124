"""Reading a balanced folder's manifest: one row per output file, with its
class, source, method and the parameters applied."""

import csv
import json
import os

from ._journal import JOURNAL, MANIFEST

__all__ = ["neighbor_of", "read_manifest"]


def read_manifest(dst):
    """The rows of ``dst/manifest.csv`` (dicts: ``output``, ``class``,
    ``source``, ``method``, ``seed``, ``parameters``, ``note``), refused
    with the fix when ``dst`` was not written by ``imgbalance balance`` or
    its run has not finished."""
    dst = os.fspath(dst)
    manifest = os.path.join(dst, MANIFEST)
    if os.path.exists(os.path.join(dst, JOURNAL)):
        raise ValueError(
            f"{dst!r} is still being written (its run has not finished); run "
            "imgbalance balance again to finish it, then read its manifest."
        )
    if not os.path.isfile(manifest):
        raise FileNotFoundError(
            f"{manifest!r} does not exist: give a folder written by "
            "imgbalance balance (its manifest names each file's source)."
        )
    with open(manifest, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    if rows and not {"output", "class", "source", "parameters"} <= set(rows[0]):
        raise ValueError(f"{manifest!r} is not a manifest imgbalance wrote.")
    return rows


def neighbor_of(row):
    """The neighbour of a SMOTE image's row, else None."""
    if row.get("method") != "smote":
        return None
    return json.loads(row["parameters"]).get("neighbor")
