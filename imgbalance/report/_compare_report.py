"""The page of ``imgbalance compare --report``: the strategies ranked with
their intervals, every fold's score drawn, per-class recall, the
recommendation, why, and how to apply it."""

import math
import os

from .. import __version__
from ..utils._display import shown_name
from ._page import check_report_path, esc, page, write_page

__all__ = ["compare_report"]


def _svg_scores(comparison, rows):
    """Each strategy's fold scores (dots), mean (bar) and 95 % interval
    (line) on the first metric, as inline SVG."""
    metric = comparison.metrics[0]
    width, left, row_height = 720, 290, 22
    height = row_height * len(rows) + 30
    values = [
        v
        for s in range(len(rows))
        for v in comparison.scores[metric][s].tolist()
        if not math.isnan(v)
    ]
    low = min(values + [1.0]) if values else 0.0
    low = max(0.0, math.floor(low * 10) / 10)

    def x(value):
        return left + (value - low) / (1 - low + 1e-12) * (width - left - 20)

    parts = [
        f'<svg class="scores" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="fold scores per strategy">'
    ]
    for tick in [low + k * (1 - low) / 4 for k in range(5)]:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="0" y2="{height - 20}" '
            f'stroke="#ddd"/><text x="{x(tick):.1f}" y="{height - 6}" font-size="10" '
            f'text-anchor="middle">{tick:.2f}</text>'
        )
    for s, row in enumerate(rows):
        y = row_height * s + 14
        parts.append(
            f'<text x="{left - 8}" y="{y + 4}" font-size="12" text-anchor="end">'
            f"{esc(row['strategy'])}</text>"
        )
        if not math.isnan(row[f"{metric} low"]):
            parts.append(
                f'<line class="interval" x1="{x(row[f"{metric} low"]):.1f}" '
                f'x2="{x(row[f"{metric} high"]):.1f}" y1="{y}" y2="{y}" '
                'stroke="#222" stroke-width="2"/>'
            )
        for value in comparison.scores[metric][s].tolist():
            if not math.isnan(value):
                parts.append(
                    f'<circle class="fold" cx="{x(value):.1f}" cy="{y}" r="3" '
                    'fill="#4c78a8" fill-opacity="0.6"/>'
                )
        if not math.isnan(row[metric]):
            parts.append(
                f'<line class="mean" x1="{x(row[metric]):.1f}" x2="{x(row[metric]):.1f}" '
                f'y1="{y - 7}" y2="{y + 7}" stroke="#e45756" stroke-width="3"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _num(value, spec=".3f"):
    """A number as the page shows it ("–" for NaN)."""
    return "–" if value is None or math.isnan(value) else format(value, spec)


def _ranking(comparison, rows, held_out):
    metric = comparison.metrics[0]
    ranked = sorted(
        rows, key=lambda r: -(r[metric] if not math.isnan(r[metric]) else -1)
    )
    head = (
        "<tr><th>strategy</th><th class='n'>mean</th><th class='n'>95 % interval</th>"
        "<th class='n'>vs baseline</th><th class='n'>p</th>"
        "<th class='n'>expected gain</th><th class='n'>folds</th>"
        + ("<th class='n'>held-out test</th>" if held_out else "")
        + "<th class='n'>fit s</th></tr>"
    )
    lines = [f'<table class="ranking">{head}']
    for row in ranked:
        cells = [
            f"<td>{esc(row['strategy'])}</td>",
            f"<td class='n'>{_num(row[metric])}</td>",
            f"<td class='n'>{_num(row[f'{metric} low'])} – "
            f"{_num(row[f'{metric} high'])}</td>",
            f"<td class='n'>{_num(row['vs baseline'], '+.3f')}</td>",
            f"<td class='n'>{_num(row['p vs baseline'], '.2f')}</td>",
            f"<td class='n'>{_num(row['expected gain'], '+.3f')}</td>",
            f"<td class='n'>{row['folds']}"
            + (f" ({row['failed folds']} failed)" if row["failed folds"] else "")
            + "</td>",
        ]
        if held_out:
            scores = held_out.get(row["strategy"], {})
            cells.append(
                f"<td class='n'>{_num(scores[metric])}</td>"
                if metric in scores
                else "<td class='n'>failed</td>"
            )
        cells.append(f"<td class='n'>{_num(row['fit time'], '.2f')}</td>")
        lines.append(
            f'<tr class="strategy" data-strategy="{esc(row["strategy"])}">'
            + "".join(cells)
            + "</tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _recall(comparison, rows):
    head = "".join(
        f"<th class='n'>{esc(shown_name(str(c)))}</th>" for c in comparison.classes
    )
    lines = [f'<table class="recall"><tr><th>strategy</th>{head}</tr>']
    for row in rows:
        cells = []
        for value in row["recall per class"]:
            if math.isnan(value):
                cells.append("<td class='n'>–</td>")
            else:
                shade = int(255 - 155 * value)
                cells.append(
                    f"<td class='n' style='background:rgb({shade},{shade},255)'>"
                    f"{value:.2f}</td>"
                )
        lines.append(f"<tr><td>{esc(row['strategy'])}</td>{''.join(cells)}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def compare_report(comparison, path, *, title, applied=None, held_out=None, notes=()):
    """Write a self-contained HTML page of a strategy comparison.

    Parameters
    ----------
    comparison : StrategyComparison
        What :func:`~imgbalance.model_selection.compare_strategies`
        returned.
    path : str or os.PathLike
        The page to write (``.html``). A file already there is replaced only
        when it is a report of imgbalance.
    title : str
        What was compared (a folder's name).
    applied : list of str or None, default=None
        How to apply the recommendation (a command, lines of Python); None:
        the pipeline that does.
    held_out : dict or None, default=None
        What :meth:`StrategyComparison.held_out
        <imgbalance.model_selection.StrategyComparison.held_out>` returned,
        when there is a held-out test part.
    notes : sequence of str, default=()
        More to say (files left out, a time budget reached).

    Returns
    -------
    path : str

    Examples
    --------
    >>> import os, tempfile
    >>> from imgbalance.datasets import load_digits_images, make_imbalance
    >>> from imgbalance.model_selection import compare_strategies
    >>> from imgbalance.report import compare_report
    >>> images, target = load_digits_images(return_X_y=True)
    >>> X, y = make_imbalance(images, target, ratio=10, random_state=0)
    >>> result = compare_strategies(X, y, strategies=["none", "class weights"], cv=2)
    >>> page = compare_report(result, os.path.join(tempfile.mkdtemp(), "c.html"),
    ...                       title="digits")
    >>> os.path.basename(page)
    'c.html'
    """
    path = os.fspath(path)
    problem = check_report_path(path, "path", {})
    if problem:
        raise ValueError(problem)
    if applied is None:
        from ..model_selection._advice import how_to_apply

        applied = how_to_apply(comparison, comparison.recommendation)
    rows = comparison.rows()
    metric = comparison.metrics[0]
    folds = comparison.scores[metric].shape[1]
    facts = [
        f"{len(comparison.classes)} classes; {folds} folds "
        f"({comparison.n_train:.0f} training and {comparison.n_test:.0f} test images "
        f"each on average); scores: {', '.join(comparison.metrics)}",
        "intervals and p-values: Nadeau and Bengio's corrected resampled "
        "t-statistic (fold scores of overlapping training sets are not "
        "independent); baseline: " + comparison.baseline,
    ]
    if not comparison.complete:
        facts.append("the time budget ended the comparison before every fold")
    facts += list(notes)
    sections = [
        "<h2>Recommendation</h2>",
        f'<p class="recommendation">{esc(comparison.reason)}</p>',
        "<h3>To apply it</h3>",
        "<pre>" + esc("\n".join(applied)) + "</pre>",
        "<h2>Ranking</h2>",
        '<ul class="settings">'
        + "".join(f"<li>{esc(f)}</li>" for f in facts)
        + "</ul>",
        _ranking(comparison, rows, held_out),
        f"<h2>Every fold ({esc(metric)})</h2>",
        '<p class="meta">dots: folds; red: the mean; black: the 95 % interval</p>',
        _svg_scores(comparison, rows),
        "<h2>Recall per class (mean over the folds)</h2>",
        _recall(comparison, rows),
    ]
    if comparison.failures:
        sections.append(f"<h2>Folds that failed ({len(comparison.failures)})</h2>")
        sections.append(
            "<ul>"
            + "".join(
                f"<li>{esc(f['strategy'])}, fold {f['fold'] + 1}: {esc(f['reason'])}</li>"
                for f in comparison.failures[:200]
            )
            + "</ul>"
        )
    write_page(
        path,
        page(
            f"imgbalance compare: {title}",
            f"written by imgbalance {__version__}",
            sections,
        ),
    )
    return path
