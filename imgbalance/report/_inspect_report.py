"""The page of ``imgbalance inspect --report``: what a folder-per-class
dataset holds, with a seeded sample of thumbnails of every class."""

import os

from .. import __version__
from ..folder._inspect import summary_lines, survey_folder
from ..utils._display import shown_name
from ._page import (
    LIST_LIMIT,
    bars,
    bounded_list,
    check_report_path,
    esc,
    figure,
    page,
    write_page,
)

__all__ = ["inspect_report"]

# near-duplicate groups shown with thumbnails, and files per group
GROUPS_SHOWN, FILES_PER_GROUP = 30, 4


def inspect_report(
    root, path, *, thumbnails=12, duplicates=False, seed=0, n_jobs=None, progress=None
):
    """Write a self-contained HTML page describing a folder-per-class dataset.

    The page holds what :func:`~imgbalance.folder.inspect_folder` reports
    (class counts with the imbalance ratio as a bar chart, sizes, modes and
    formats, unreadable files with the reason, the hidden, non-image and
    linked-away entries left out, near-duplicate groups with
    ``duplicates``) and, for every class, thumbnails of a seeded sample of
    at most ``thumbnails`` images, each linked to its file. Images are
    inline (no other file, no network, no script): the page opens offline
    and can be attached to a ticket. Its size grows with the number of
    classes, not of images, and so does the memory it takes (the files are
    read a part at a time, as :func:`~imgbalance.folder.inspect_folder`
    does; not with ``duplicates``). Nothing in ``root`` is written.

    Parameters
    ----------
    root : str or os.PathLike
        The dataset: ``root/<class>/**/<image>``.
    path : str or os.PathLike
        The page to write (``.html``), outside ``root``. A file already
        there is replaced only when it is a report of imgbalance.
    thumbnails : int, default=12
        Thumbnails per class at most (0: none).
    duplicates : bool, default=False
        Also find and show groups of near-duplicate images.
    seed : int, default=0
        Seed of the sample of thumbnails: the files of a class whose paths,
        hashed with a key made of the seed, rank lowest (the same files
        whatever order the folder is read in).
    n_jobs, progress
        As for :func:`~imgbalance.folder.inspect_folder`.

    Returns
    -------
    report : dict
        What :func:`~imgbalance.folder.inspect_folder` returns.

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.report import inspect_report
    >>> root, out = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> for cls, n in [("cat", 3), ("dog", 1)]:
    ...     os.mkdir(os.path.join(root, cls))
    ...     for i in range(n):
    ...         Image.new("RGB", (8, 6), "red").save(
    ...             os.path.join(root, cls, f"{i}.png"))
    >>> report = inspect_report(root, os.path.join(out, "report.html"))
    >>> report["imbalance_ratio"], os.listdir(out)
    (3.0, ['report.html'])
    >>> import shutil; shutil.rmtree(root); shutil.rmtree(out)
    """
    _check_count(thumbnails)
    root, path = os.fspath(root), os.fspath(path)
    if not os.path.isdir(root):
        raise ValueError(
            f"root {root!r} is not a folder; give the dataset's folder "
            "(root/<class>/<image>)."
        )
    problem = check_report_path(path, "path", {"the dataset": root})
    if problem:
        raise ValueError(problem)
    report, samples = survey_folder(
        root,
        duplicates=duplicates,
        thumbnails=thumbnails,
        seed=seed,
        n_jobs=n_jobs,
        progress=progress,
    )
    sections = [
        _summary(report),
        "<h2>Classes</h2>\n"
        + bars(report["classes"], {"images": "images", "unreadable": "unreadable"}),
        _samples(report, samples, root, path, thumbnails),
        _problems(report),
    ]
    if duplicates:
        sections.append(_duplicates(report, root, path))
    title = f"imgbalance inspect: {report['root']}"
    subtitle = f"written by imgbalance {__version__}; nothing in the folder changed"
    write_page(path, page(title, subtitle, sections))
    return report


def _check_count(thumbnails):
    if (
        isinstance(thumbnails, bool)
        or not isinstance(thumbnails, int)
        or (thumbnails < 0)
    ):
        raise ValueError(
            f"thumbnails must be a number of images per class (0 or more); "
            f"got {thumbnails!r}."
        )


def _summary(report):
    lines = [
        f"{report['n_images']} readable images in {len(report['classes'])} classes",
        *summary_lines(report),
    ]
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<h2>Summary</h2>\n<ul class="summary">{items}</ul>'


def _samples(report, samples, root, path, thumbnails):
    """Each class's thumbnails (``samples``: the files drawn, a
    ``ClassSamples``)."""
    parts = ["<h2>Samples</h2>"]
    if thumbnails == 0:
        return parts[0] + '\n<p class="note">no thumbnails asked for.</p>'
    for c, row in enumerate(report["classes"]):
        figures = []
        drawn = samples.drawn(c)
        for file in drawn:
            relative = shown_name(os.path.relpath(file.path, root))
            caption = [relative, f"{file.width}x{file.height} {file.mode}"]
            figures.append(figure(file.path, caption, path))
        readable = row["images"]
        shown = f"{len(drawn)} of {readable}" if readable else "no images"
        parts.append(
            f'<h3 data-class="{esc(row["name"])}">{esc(row["name"])} '
            f'<span class="meta">({shown})</span></h3>\n'
            f'<div class="grid" style="--cell:110px">{"".join(figures)}</div>'
        )
    return "\n".join(parts)


def _problems(report):
    parts = [f"<h2>Unreadable files ({len(report['unreadable'])})</h2>"]
    if report["unreadable"]:
        rows = [
            f'<tr class="unreadable-file"><td><code>{esc(u["path"])}</code></td>'
            f"<td>{esc(u['class'])}</td><td>{esc(u['reason'])}</td></tr>"
            for u in report["unreadable"][:LIST_LIMIT]
        ]
        more = len(report["unreadable"]) - LIST_LIMIT
        parts.append(
            '<table class="unreadable"><tr><th>file</th><th>class</th>'
            "<th>reason</th></tr>" + "".join(rows) + "</table>"
        )
        if more > 0:
            parts.append(
                f'<p class="note">and {more} more (imgbalance inspect --json '
                "lists them all)</p>"
            )
    else:
        parts.append("<p>none: every image file decodes.</p>")
    if report["large_images"]:
        parts.append(
            f"<h3>Above Pillow's decompression-bomb limit "
            f"({len(report['large_images'])})</h3>"
        )
        parts.append(
            bounded_list(
                [
                    f"<code>{esc(g['path'])}</code>: {g['width']}x{g['height']}"
                    for g in report["large_images"]
                ],
                LIST_LIMIT,
                "imgbalance inspect --json lists them all",
            )
        )
    parts.append("<h2>Left out</h2>")
    parts.append(
        f'<ul class="left-out"><li data-hidden="{report["hidden_entries"]}">'
        f"{report['hidden_entries']} hidden entries</li>"
        f'<li data-other="{report["other_files"]}">{report["other_files"]} '
        "non-image files</li>"
        f'<li data-links="{len(report["links_not_followed"])}">'
        f"{len(report['links_not_followed'])} links leading out of the folder "
        "(not followed)</li></ul>"
    )
    if report["links_not_followed"]:
        parts.append(
            bounded_list(
                [f"<code>{esc(p)}</code>" for p in report["links_not_followed"]],
                LIST_LIMIT,
                "imgbalance inspect --json lists them all",
            )
        )
    return "\n".join(parts)


def _duplicates(report, root, path):
    groups = report["duplicates"]
    parts = [
        f"<h2>Near-duplicate groups ({len(groups)})</h2>",
        '<p class="meta">perceptual hash, at most 6 of 64 bits apart; the first '
        f"{GROUPS_SHOWN} groups with thumbnails</p>",
    ]
    cards, rest = [], []
    for number, group in enumerate(groups):
        classes = sorted(set(group["classes"]))
        across = f"; across {', '.join(classes)}" if len(classes) > 1 else ""
        title = (
            f"group {number + 1}: {len(group['files'])} files, {group['distance']} "
            f"of 64 bits apart{across}"
        )
        if number >= GROUPS_SHOWN:
            rest.append(f"{title}: {', '.join(group['files'])}")
            continue
        figures = [
            figure(os.path.join(root, relative), [relative], path)
            for relative in group["files"][:FILES_PER_GROUP]
        ]
        cards.append(
            f'<div class="group"><p>{esc(title)}</p>'
            f'<div class="grid" style="--cell:80px">{"".join(figures)}</div></div>'
        )
    parts.append(f'<div class="groups">{"".join(cards)}</div>')
    parts += [f'<p class="group">{esc(line)}</p>' for line in rest]
    return "\n".join(parts)
