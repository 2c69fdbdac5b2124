"""The page of ``imgbalance leaks --report``: each leaking test image beside
its near-duplicate in the training folder."""

import os

from .. import __version__
from ._inspect_report import LIST_LIMIT, _check_count
from ._page import bounded_list, esc, figure, page, write_page

__all__ = ["leaks_report"]


def leaks_report(report, path, *, thumbnails=12):
    """Write a self-contained HTML page of the leaks between two folders.

    Parameters
    ----------
    report : dict
        What :func:`~imgbalance.folder.find_folder_leaks` returned.
    path : str or os.PathLike
        The page to write (``.html``), outside both folders. A file already
        there is replaced only when it is a report of imgbalance.
    thumbnails : int, default=12
        Leaks shown with the two images side by side, at most (0: none);
        the others are listed.

    Returns
    -------
    path : str

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from imgbalance.folder import find_folder_leaks
    >>> from imgbalance.report import leaks_report
    >>> train, test, out = tempfile.mkdtemp(), tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> image = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)
    >>> for root in (train, test):
    ...     os.mkdir(os.path.join(root, "cats"))
    ...     Image.fromarray(image).save(os.path.join(root, "cats", "a.png"))
    >>> report = find_folder_leaks(train, test)
    >>> os.path.basename(leaks_report(report, os.path.join(out, "leaks.html")))
    'leaks.html'
    """
    from ._page import check_report_path

    _check_count(thumbnails)
    path = os.fspath(path)
    problem = check_report_path(
        path,
        "path",
        {"the training folder": report["train"], "the test folder": report["test"]},
    )
    if problem:
        raise ValueError(problem)
    train, test = report["train"], report["test"]
    items = [
        f"{report['n_train']} training and {report['n_test']} test images; "
        f"{report['n_leaks']} test image(s) with a near-duplicate in training "
        f"(perceptual hash, at most {report['threshold']} of 64 bits apart), "
        f"{report['across_classes']} across classes",
    ]
    sections = [
        "<h2>Run</h2>",
        '<ul class="settings">'
        + "".join(f"<li>{esc(i)}</li>" for i in items)
        + "</ul>",
        f"<h2>Leaks ({report['n_leaks']})</h2>",
    ]
    pairs, rest = [], []
    for number, leak in enumerate(report["leaks"]):
        nearest = leak["train"][0]
        title = f"{nearest['distance']} bits apart"
        if number >= thumbnails:
            rest.append(f"{leak['test']} ~ {nearest['path']} ({title})")
            continue
        pairs.append(
            '<div class="pair">'
            + figure(
                os.path.join(test, *leak["test"].split("/")),
                [leak["test"], "test"],
                path,
            )
            + f'<span class="arrow">~ {esc(title)}</span>'
            + figure(
                os.path.join(train, *nearest["path"].split("/")),
                [nearest["path"], "train"],
                path,
            )
            + "</div>"
        )
    sections.append(f'<div class="grid" style="--cell:240px">{"".join(pairs)}</div>')
    if rest:
        sections.append(
            bounded_list(
                [esc(line) for line in rest],
                LIST_LIMIT,
                "the --json report lists them all",
            )
        )
    if report["unreadable"]:
        sections.append("<h3>Unreadable</h3>")
        sections.append(
            bounded_list(
                [
                    f"<code>{esc(u['folder'])}: {esc(u['path'])}</code>: {esc(u['reason'])}"
                    for u in report["unreadable"]
                ],
                LIST_LIMIT,
                "the --json report lists them all",
            )
        )
    title = f"imgbalance leaks: {test} against {train}"
    write_page(
        path,
        page(
            title,
            f"written by imgbalance {__version__}; nothing in the folders changed",
            sections,
        ),
    )
    return path
