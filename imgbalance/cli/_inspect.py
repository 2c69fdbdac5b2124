"""The ``imgbalance inspect`` subcommand; its ``HELP`` is what ``--help`` says."""

import argparse
import importlib.util
import os

from PIL import Image

from ..folder import inspect_folder
from ..folder._inspect import summary_lines
from ..report._page import PageNotWritten
from ._jobs_option import add_jobs_option
from ._output import fail, print_json, say
from ._progress import Progress
from ._report_options import add_report_options
from ._signals import Stopped, signals_stop

# the command's own text (a constant: docstrings are stripped under -OO)
HELP = """Describe a folder-per-class dataset: classes, imbalance, sizes, bad files.

Decodes every image once (so corrupt and truncated files are found) and
changes nothing in DIR. Prints per-class counts, the imbalance ratio, a
summary of sizes, modes and formats, unreadable files with the reason, and
the hidden, non-image and linked-away entries left out; with --duplicates,
the groups of near-duplicate images.

With --report FILE.html, also writes a self-contained HTML page (images
inline, no script) with the counts as bars and thumbnails of each class.

Exit status: 0 every image file could be read; 1 some could not (they are
listed); 2 usage error (DIR is not a dataset, --plot or --report cannot be
written) or a worker process lost (killed: use fewer --jobs); 128 + the number of a signal that stopped it: 130 Ctrl-C, 143
SIGTERM, 129 a closed terminal (SIGHUP)...
"""

PROG = "imgbalance inspect"


def format_parser(parser):
    """Add the arguments of ``imgbalance inspect`` to ``parser``."""
    parser.add_argument("src", metavar="DIR", help="the dataset: DIR/<class>/<image>")
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON on stdout"
    )
    add_jobs_option(parser, "decoding the files")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but errors; the exit status tells whether every "
        "file can be read",
    )
    parser.add_argument(
        "--duplicates",
        action="store_true",
        help="also list groups of near-duplicate images (perceptual hash, at most "
        "6 of 64 bits apart), within and across classes",
    )
    add_report_options(
        parser,
        "also write a self-contained HTML page: class counts as bars, "
        "thumbnails of a seeded sample of each class, sizes, modes, unreadable "
        "files (and near-duplicate groups with --duplicates); outside DIR",
        "thumbnails per class in the --report page",
    )
    parser.add_argument(
        "--plot",
        type=_file_name,
        metavar="FILE.png",
        help="draw the class distribution as a bar chart, in a file outside DIR "
        "(PNG, or any format matplotlib knows by the extension; needs matplotlib: "
        "pip install 'imgbalance[plot]')",
    )


def _file_name(text):
    """``--plot``: a file name, not nothing."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"give a file name, such as classes.png; got {text!r}"
        )
    return text


def _text(report):
    lines = [f"dataset: {report['root']}", ""]
    width = max([len("class")] + [len(c["name"]) for c in report["classes"]])
    lines.append(f"{'class'.ljust(width)}  images  unreadable")
    for c in report["classes"]:
        lines.append(
            f"{c['name'].ljust(width)}  {c['images']:6d}  {c['unreadable']:10d}"
        )
    lines.append(f"{'total'.ljust(width)}  {report['n_images']:6d}")
    lines += summary_lines(report)
    if report["unreadable"]:
        lines.append(f"unreadable files ({len(report['unreadable'])}):")
        lines += [f"  {u['path']}: {u['reason']}" for u in report["unreadable"]]
    if report["large_images"]:
        lines.append(
            f"above Pillow's decompression-bomb limit of {Image.MAX_IMAGE_PIXELS} "
            f"pixels, read in full ({len(report['large_images'])}):"
        )
        lines += [
            f"  {g['path']}: {g['width']}x{g['height']}" for g in report["large_images"]
        ]
    lines.append(
        f"left out: {report['hidden_entries']} hidden "
        f"{'entry' if report['hidden_entries'] == 1 else 'entries'}, "
        f"{report['other_files']} non-image files, "
        f"{len(report['links_not_followed'])} links leading out of DIR"
    )
    lines += [f"  not followed: {p}" for p in report["links_not_followed"]]
    if "duplicates" in report:
        groups = report["duplicates"]
        lines.append(
            f"near-duplicate groups ({len(groups)}; perceptual hash, at most 6 of "
            "64 bits apart):"
        )
        for group in groups:
            classes = sorted(set(group["classes"]))
            across = f"; across classes: {', '.join(classes)}" * (len(classes) > 1)
            lines.append(
                "  " + ", ".join(group["files"]) + f"   ({group['distance']} bits apart"
                f"{across})"
            )
    return "\n".join(lines)


def _plot_problem(path, root):
    """Why the chart cannot be written to ``path``, or None; found before
    DIR is read."""
    path = os.path.abspath(path)
    root = os.path.realpath(root)
    folder = os.path.dirname(path)
    if os.path.commonpath([os.path.realpath(path), root]) == root:
        return (
            f"--plot {path!r} is inside DIR; inspect changes nothing in the "
            "dataset: give a file outside it."
        )
    if not os.path.isdir(folder):
        return f"--plot: the folder {folder!r} does not exist; create it first."
    if os.path.isdir(path):
        return f"--plot {path!r} is a folder; give a file name such as classes.png."
    if importlib.util.find_spec("matplotlib") is None:
        return "--plot needs matplotlib: pip install 'imgbalance[plot]'."
    from matplotlib.backend_bases import FigureCanvasBase

    extension = os.path.splitext(path)[1].lower().lstrip(".")
    formats = FigureCanvasBase.get_supported_filetypes()
    if extension not in formats:
        return (
            f"--plot {path!r}: give the file an extension matplotlib can "
            f"write ({', '.join(sorted(formats))})."
        )
    return None


def _plot(report, path):
    """Draw the class counts as a bar chart in ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [c["name"] for c in report["classes"]]
    counts = [c["images"] for c in report["classes"]]
    figure, axes = plt.subplots(figsize=(max(4, 0.5 * len(names) + 2), 3.5))
    axes.bar(range(len(names)), counts, color="tab:blue")
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_ylabel("images")
    ratio = report["imbalance_ratio"]
    axes.set_title(
        f"{report['n_images']} images"
        + (f", imbalance ratio {ratio:.1f}" if ratio is not None else "")
    )
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=100)
    finally:
        plt.close(figure)


def main(args):
    """Run ``imgbalance inspect``; return the exit code."""
    if not os.path.isdir(args.src):
        what = "is a file" if os.path.exists(args.src) else "does not exist"
        message = (
            f"DIR {args.src!r} {what}; give the dataset's folder (DIR/<class>/<image>)."
        )
        return fail(PROG, message, 2, args.json)
    if args.plot:
        problem = _plot_problem(args.plot, args.src)
        if problem:
            return fail(PROG, problem, 2, args.json)
    if args.report is not None:
        from ..report._page import check_report_path

        problem = check_report_path(args.report, "--report", {"DIR": args.src})
        if problem:
            return fail(PROG, problem, 2, args.json)
    try:
        with signals_stop():
            report = _inspect(args)
    except Stopped as exc:  # DIR untouched, no page left half-written
        message = f"interrupted ({exc.name}); nothing was written."
        return fail(PROG, message, 128 + exc.signum, args.json)
    except (OSError, ValueError) as exc:
        if isinstance(exc, PageNotWritten):  # not DIR's fault
            exc = f"--report {args.report!r} cannot be written: {exc}"
        return fail(PROG, exc, 2, args.json)
    if args.plot:
        try:
            _plot(report, args.plot)
        except OSError as exc:
            message = f"--plot {args.plot!r} cannot be written: {exc}"
            return fail(PROG, message, 2, args.json)
    code = 1 if report["unreadable"] else 0
    if args.json:
        print_json(
            dict(report, plot=args.plot, html_report=args.report, exit_code=code)
        )
    elif not args.quiet:
        say(_text(report))
        if args.plot:
            say(f"bar chart written to {args.plot}")
        if args.report:
            say(f"report written to {args.report}")
    return code


def _inspect(args):
    """The report, and the page with ``--report``."""
    progress = Progress(not args.quiet)
    options = dict(duplicates=args.duplicates, n_jobs=args.jobs, progress=progress)
    try:
        if args.report is None:
            return inspect_folder(args.src, **options)
        from ..report import inspect_report

        return inspect_report(
            args.src, args.report, thumbnails=args.thumbnails, **options
        )
    finally:
        progress.close()
