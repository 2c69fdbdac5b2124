"""The page of ``imgbalance balance --report``: the counts before and after,
and for every grown class generated images beside their sources, captioned
with what the manifest says was applied."""

import json
import math
import os
import random

from .. import __version__
from ..folder._manifest import neighbor_of, read_manifest
from ..utils._display import shown_name
from ._page import (
    bars,
    check_run_page,
    esc,
    figure,
    notes_and_skipped,
    page,
    write_page,
)

__all__ = ["balance_report", "describe_row"]


def sample(n, k, rng):
    """``k`` of ``range(n)`` drawn by ``rng``, in order (all when n <= k)."""
    return list(range(n)) if n <= k else sorted(rng.sample(range(n), k))


def _number(value, decimals=2):
    """A drawn value as a caption shows it: at most ``decimals`` decimals,
    trailing zeros dropped (cards stay short)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        shown = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if shown in ("-0", "") else shown
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_number(v) for v in value) + ")"
    return str(value)


def _applied(record):
    """One augmentation record as a line: ``RandomAffine: angle -6.66°,
    scale 1.01, ...``."""
    name = record.get("transform", "augmentation")
    if name == "RandomFlip" and not (
        record.get("horizontal") or record.get("vertical")
    ):
        return "RandomFlip: not flipped"
    values = []
    for key, value in record.items():
        if key == "transform":
            continue
        if key == "angle":
            values.append(f"angle {_number(value, 1)}°")
        else:
            values.append(f"{key} {_number(value)}")
    return f"{name}: {', '.join(values)}" if values else name


def describe_row(row):
    """What a manifest row says was done to make its file, as caption
    lines."""
    parameters = json.loads(row.get("parameters") or "{}")
    method = row.get("method")
    if method == "augment":
        applied = parameters.get("applied") or []
        lines = [_applied(r) for r in applied] or ["augmented (nothing recorded)"]
    elif method == "smote":
        lines = [
            f"SMOTE: gap {_number(parameters.get('gap'))} of the way to "
            f"{parameters.get('neighbor')}"
        ]
    elif method == "random":
        lines = ["a copy of the source"]
    else:
        lines = [str(method)]
    if row.get("note"):
        lines.append(row["note"])
    return lines


def balance_report(summary, path, *, thumbnails=12, seed=0):
    """Write a self-contained HTML page of what a balancing run did.

    The page holds the class counts before and after (as bars), the run's
    settings, the source files left out, and, for every grown class, a
    seeded sample of at most ``thumbnails`` generated images, each beside
    its source (and, for SMOTE, its neighbour), captioned with what was
    applied as the manifest records it (rotation angle, scale, shift,
    flip, crop, colour changes; SMOTE's neighbour and gap) and linked to
    the files. Images are inline: the page opens offline. Nothing in the
    source or destination folder is written.

    Parameters
    ----------
    summary : dict
        What :func:`~imgbalance.folder.balance_folder` returned for a run
        that wrote its files (not a dry run).
    path : str or os.PathLike
        The page to write (``.html``), outside both folders. A file
        already there is replaced only when it is a report of imgbalance.
    thumbnails : int, default=12
        Generated images shown per grown class, at most (0: none).
    seed : int, default=0
        Seed of the sample shown.

    Returns
    -------
    shown : dict
        Each grown class to the manifest rows shown for it.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import balance_folder
    >>> from imgbalance.report import balance_report
    >>> src, out = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> for name, n in [("cat", 4), ("dog", 2)]:
    ...     os.mkdir(os.path.join(src, name))
    ...     for i in range(n):
    ...         image = np.full((8, 8), 60 * i, dtype=np.uint8)
    ...         Image.fromarray(image).save(os.path.join(src, name, f"{i}.png"))
    >>> summary = balance_folder(src, os.path.join(out, "balanced"))
    >>> shown = balance_report(summary, os.path.join(out, "report.html"))
    >>> [row["output"] for row in shown["dog"]]
    ['dog/1_aug0.png', 'dog/0_aug0.png']
    >>> import shutil; shutil.rmtree(src); shutil.rmtree(out)
    """
    path = check_run_page(summary, path, thumbnails)
    src, dst = summary["src"], summary["dst"]
    rows = read_manifest(dst)
    made = {}
    for row in rows:
        if row["method"] != "original":
            made.setdefault(row["class"], []).append(row)
    rng = random.Random(seed)
    shown = {}
    shown_counts = [dict(c, name=shown_name(c["name"])) for c in summary["classes"]]
    sections = [
        _settings(summary),
        "<h2>Classes</h2>\n"
        + bars(shown_counts, {"before": "before", "after": "after"}),
    ]
    for entry in summary["classes"]:
        name = entry["name"]
        rows_of_class = made.get(name, [])
        if not rows_of_class:
            continue
        chosen = [rows_of_class[i] for i in sample(len(rows_of_class), thumbnails, rng)]
        shown[name] = chosen
        pairs = "".join(_pair(row, src, dst, path) for row in chosen)
        cell = 350 if summary["method"] == "smote" else 240
        sections.append(
            f'<h3 data-class="{esc(shown_name(name))}">{esc(shown_name(name))} '
            '<span class="meta">'
            f"({entry['before']} &rarr; {entry['after']}; {len(chosen)} of "
            f"{len(rows_of_class)} generated images shown)</span></h3>\n"
            f'<div class="grid" style="--cell:{cell}px">{pairs}</div>'
        )
    if thumbnails == 0:
        sections.append('<p class="note">no thumbnails asked for.</p>')
    title = f"imgbalance balance: {shown_name(src)} \u2192 {shown_name(dst)}"
    manifest = shown_name(os.path.join(dst, "manifest.csv"))
    subtitle = f"written by imgbalance {__version__} from {manifest}"
    write_page(path, page(title, subtitle, sections))
    return shown


def _settings(summary):
    added = sum(c["after"] - c["before"] for c in summary["classes"])
    items = [
        f"method: {summary['method']}",
        f"strategy: {summary['strategy']}",
        f"seed: {summary['seed']}",
        f"{added} images made; {len(summary.get('skipped') or [])} source "
        "file(s) left out as unreadable",
    ]
    parts = [
        "<h2>Run</h2>",
        '<ul class="settings">'
        + "".join(f"<li>{esc(item)}</li>" for item in items)
        + "</ul>",
    ]
    parts += notes_and_skipped(summary)
    return "\n".join(parts)


def _pair(row, src, dst, path):
    """A generated image beside its source (and its SMOTE neighbour)."""
    output = os.path.join(dst, *row["output"].split("/"))
    source = os.path.join(src, *row["source"].split("/"))
    caption = [shown_name(row["output"]), *map(shown_name, describe_row(row))]
    parts = [
        figure(source, [shown_name(row["source"]), "source"], path, kind="source"),
        '<span class="arrow">&rarr;</span>',
        figure(output, caption, path, kind="generated"),
    ]
    neighbor = neighbor_of(row)
    if neighbor is not None:
        parts += [
            '<span class="arrow">&larr;</span>',
            figure(
                os.path.join(src, *neighbor.split("/")),
                [shown_name(neighbor), "neighbour"],
                path,
                kind="neighbour",
            ),
        ]
    return (
        f'<div class="pair" data-output="{esc(row["output"])}">{"".join(parts)}</div>'
    )
