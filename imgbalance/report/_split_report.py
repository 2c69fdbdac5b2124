"""The page of ``imgbalance split --report``: each class's counts per part,
and the groups kept on one side with thumbnails."""

import os

from .. import __version__
from ..utils._display import shown_name
from ._inspect_report import LIST_LIMIT
from ._page import (
    bars,
    bounded_list,
    check_run_page,
    esc,
    figure,
    notes_and_skipped,
    page,
    write_page,
)

__all__ = ["split_report"]

FILES_PER_GROUP = 4


def split_report(summary, path, *, thumbnails=12):
    """Write a self-contained HTML page of what a split did.

    The page holds each class's counts per part (as bars), the run's
    settings and notes, the source files left out, and the groups of
    near-duplicate or derived images that were kept on one side, the first
    ``thumbnails`` of them with thumbnails of their files (linked to the
    files written).

    Parameters
    ----------
    summary : dict
        What :func:`~imgbalance.folder.split_folder` returned for a split
        that wrote its files (not a dry run).
    path : str or os.PathLike
        The page to write (``.html``), outside both folders. A file already
        there is replaced only when it is a report of imgbalance.
    thumbnails : int, default=12
        Groups shown with thumbnails, at most (0: none).

    Returns
    -------
    path : str
        The page written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import split_folder
    >>> from imgbalance.report import split_report
    >>> src, out = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> rng = np.random.default_rng(0)
    >>> for name, n in [("cat", 8), ("dog", 4)]:
    ...     os.mkdir(os.path.join(src, name))
    ...     for i in range(n):
    ...         image = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    ...         Image.fromarray(image).save(os.path.join(src, name, f"{i}.png"))
    >>> summary = split_folder(src, os.path.join(out, "split"), test=0.25)
    >>> page = split_report(summary, os.path.join(out, "split.html"))
    >>> os.path.basename(page)
    'split.html'
    >>> import shutil; shutil.rmtree(src); shutil.rmtree(out)
    """
    path = check_run_page(summary, path, thumbnails)
    src, dst = summary["src"], summary["dst"]
    parts = summary["parts"]
    rows = [dict(c, name=shown_name(c["name"])) for c in summary["classes"]]
    sections = [
        "<h2>Run</h2>",
        _settings(summary),
        "<h2>Classes</h2>",
        bars(rows, {part: part for part in parts}),
        _groups(summary, dst, path, thumbnails),
    ]
    title = f"imgbalance split: {shown_name(src)} \u2192 {shown_name(dst)}"
    manifest = shown_name(os.path.join(dst, "manifest.csv"))
    write_page(
        path,
        page(title, f"written by imgbalance {__version__} from {manifest}", sections),
    )
    return path


def _settings(summary):
    total = {
        part: sum(c[part] for c in summary["classes"]) for part in summary["parts"]
    }
    items = [
        "parts: " + ", ".join(f"{part} {n}" for part, n in total.items()),
        f"seed: {summary['seed']}; near-duplicates: perceptual hashes at most "
        f"{summary['threshold']} of 64 bits apart",
        f"{summary['n_groups']} group(s) kept on one side; "
        f"{len(summary.get('skipped') or [])} source file(s) left out as unreadable",
    ]
    parts = [
        '<ul class="settings">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
    ]
    parts += notes_and_skipped(summary)
    return "\n".join(parts)


def _groups(summary, dst, path, thumbnails):
    groups = summary["groups"]
    parts = [
        f"<h2>Groups kept on one side ({summary['n_groups']})</h2>",
        '<p class="meta">near-duplicates, and images made from one source; the '
        f"first {thumbnails} with thumbnails</p>",
    ]
    cards, rest = [], []
    for number, group in enumerate(groups):
        title = (
            f"group {number + 1}: {len(group['files'])} files, all in {group['part']}"
        )
        if number >= thumbnails:
            rest.append(f"{title}: {', '.join(group['files'])}")
            continue
        figures = [
            figure(
                os.path.join(dst, group["part"], *relative.split("/")),
                [shown_name(relative)],
                path,
            )
            for relative in group["files"][:FILES_PER_GROUP]
        ]
        cards.append(
            f'<div class="group"><p>{esc(title)}</p>'
            f'<div class="grid" style="--cell:80px">{"".join(figures)}</div></div>'
        )
    parts.append(f'<div class="groups">{"".join(cards)}</div>')
    if rest:
        parts.append(
            bounded_list(
                [esc(line) for line in rest], LIST_LIMIT, "the manifest lists them all"
            )
        )
    return "\n".join(parts)
