"""Describe a folder-per-class dataset: classes, imbalance, sizes, bad files.

Decodes every image once (so corrupt and truncated files are found) and
changes nothing. Prints per-class counts, the imbalance ratio, a summary of
sizes, modes and formats, unreadable files with the reason, and the hidden,
non-image and linked-away entries left out.
"""

import json
import sys

from ..folder import inspect_folder


def format_parser(parser):
    """Add the arguments of ``imgbalance inspect`` to ``parser``."""
    parser.add_argument("src", metavar="DIR", help="the dataset: DIR/<class>/<image>")
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON on stdout"
    )
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        help="draw the class distribution as a bar chart (needs matplotlib: "
        "pip install 'imgbalance[plot]')",
    )


def _text(report):
    lines = [f"SRC: {report['root']}", ""]
    width = max([len("class")] + [len(c["name"]) for c in report["classes"]])
    lines.append(f"{'class'.ljust(width)}  images  unreadable")
    for c in report["classes"]:
        lines.append(
            f"{c['name'].ljust(width)}  {c['images']:6d}  {c['unreadable']:10d}"
        )
    lines.append(f"{'total'.ljust(width)}  {report['n_images']:6d}")
    ratio = report["imbalance_ratio"]
    lines.append(
        "imbalance ratio (largest / smallest class): "
        + (f"{ratio:.2f}" if ratio is not None else "undefined (a class has no image)")
    )
    sizes = report["sizes"]
    if sizes["width"] is not None:
        w, h = sizes["width"], sizes["height"]
        lines.append(
            f"sizes: width {w['min']}-{w['max']} (median {w['median']:g}), height "
            f"{h['min']}-{h['max']} (median {h['median']:g}); "
            f"{sizes['distinct']} distinct size(s)"
        )
    lines.append(
        "modes: "
        + ", ".join(f"{k} {v}" for k, v in report["modes"].items())
        + "; formats: "
        + ", ".join(f"{k} {v}" for k, v in report["formats"].items())
    )
    if report["empty_classes"]:
        lines.append(
            "class folders without images: " + ", ".join(report["empty_classes"])
        )
    if report["unreadable"]:
        lines.append(f"unreadable files ({len(report['unreadable'])}):")
        lines += [f"  {u['path']}: {u['reason']}" for u in report["unreadable"]]
    lines.append(
        f"left out: {report['hidden_entries']} hidden entries, "
        f"{report['other_files']} non-image files, "
        f"{len(report['links_not_followed'])} links leading out of DIR"
    )
    lines += [f"  not followed: {p}" for p in report["links_not_followed"]]
    return "\n".join(lines)


def _plot(report, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "imgbalance inspect: --plot needs matplotlib: pip install "
            "'imgbalance[plot]'",
            file=sys.stderr,
        )
        return False
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
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def main(args):
    """Run ``imgbalance inspect``; return the exit code."""
    try:
        report = inspect_folder(args.src)
    except (OSError, ValueError) as exc:
        print(f"imgbalance inspect: {exc}", file=sys.stderr)
        return 2
    if args.plot and not _plot(report, args.plot):
        return 2
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(_text(report))
    return 0
