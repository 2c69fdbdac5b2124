"""One self-contained HTML page: inline style, no script, images inline;
its pieces (count bars, thumbnail grids, bounded lists) and its safe
writing (checked before anything is read, written under a temporary name,
never over a file it did not write)."""

import html
import os
import re
import secrets
import stat
from urllib.parse import quote

from ._thumbnails import make_thumbnail

__all__ = [
    "GENERATOR",
    "LIST_LIMIT",
    "PageNotWritten",
    "bars",
    "bounded_list",
    "check_report_path",
    "check_run_page",
    "breakable",
    "figure",
    "notes_and_skipped",
    "page",
    "write_page",
]

# rows of a list shown at most (then "and N more")
LIST_LIMIT = 500

# marks a page as ours: only such a file is ever replaced
GENERATOR = '<meta name="generator" content="imgbalance report">'

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 1.5em auto;
  max-width: 72em; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { margin-top: 1.6em;
  border-bottom: 1px solid #ddd; } h3 { margin: 1em 0 .3em; }
.meta { color: #555; } .note { color: #8a5a00; }
table { border-collapse: collapse; } td, th { padding: .15em .6em;
  text-align: left; vertical-align: top; } th { border-bottom: 1px solid #bbb; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { height: .9em; background: #4c78a8; display: inline-block; }
.bar.after { background: #f58518; } .bar.unreadable { background: #e45756; }
td.bars { width: 24em; }
.grid { display: grid; gap: .6em;
  grid-template-columns: repeat(auto-fill, minmax(var(--cell), 1fr)); }
figure { margin: 0; font-size: 11px; color: #444; overflow-wrap: break-word; }
figure img { display: block; image-rendering: pixelated;
  background: repeating-conic-gradient(#d6d6d6 0 25%, #fff 0 50%) 0 0 / 12px 12px; }
.pair { display: flex; gap: .3em; align-items: flex-start; padding: .3em;
  border: 1px solid #e4e4e4; border-radius: 4px; }
.pair figure { flex: 0 0 96px; width: 96px; }
.arrow { color: #999; margin-top: 1.6em; }
.legend .bar { width: 2em; margin: 0 .3em 0 1em; }
.unreadable td { font-size: 12px; } code { font-size: 12px; }
.groups { display: grid; gap: .6em;
  grid-template-columns: repeat(auto-fill, minmax(17em, 1fr)); }
.groups .group { border: 1px solid #e4e4e4; border-radius: 4px; padding: .3em; }
.groups .group p { margin: 0 0 .3em; font-size: 12px; }
.groups .grid { gap: .3em; }
"""


def esc(text):
    """``text`` as HTML text or attribute value."""
    return html.escape(str(text), quote=True)


def breakable(text):
    """``text`` escaped, with places to break a line after the separators
    of file names (``/``, ``_``, ``-``, ``.``), so that a long name wraps
    between its parts rather than in the middle of a word."""
    return re.sub(r"([/_-]|\.(?!\d))", r"\1<wbr>", esc(text))


def page(title, subtitle, sections):
    """The whole page: ``sections`` are HTML fragments, in order."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{GENERATOR}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<h1>{esc(title)}</h1>\n<p class="meta">{esc(subtitle)}</p>\n'
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )


def bars(rows, columns):
    """A table of counts with bars: ``rows`` are dicts with ``name`` and a
    number per key of ``columns`` (key -> heading); each number gets a
    bar scaled to the largest of all. Every row carries its numbers as
    ``data-`` attributes."""
    largest = max([1] + [row[key] for row in rows for key in columns])
    head = "".join(f'<th class="n">{esc(h)}</th>' for h in columns.values())
    lines = [f'<table class="counts"><tr><th>class</th>{head}<th></th></tr>']
    for row in rows:
        data = " ".join(f'data-{key}="{row[key]}"' for key in columns)
        cells = "".join(f'<td class="n">{row[key]}</td>' for key in columns)
        drawn = "<br>".join(
            f'<span class="bar {key}" style="width:{100 * row[key] / largest:.1f}%"'
            f' title="{esc(heading)}: {row[key]}"></span>'
            for key, heading in columns.items()
        )
        lines.append(
            f'<tr class="class-count" data-class="{esc(row["name"])}" {data}>'
            f'<td>{esc(row["name"])}</td>{cells}<td class="bars">{drawn}</td></tr>'
        )
    lines.append("</table>")
    if len(columns) > 1:
        legend = "".join(
            f'<span class="bar {key}"></span>{esc(heading)}'
            for key, heading in columns.items()
        )
        lines.append(f'<p class="legend meta">{legend}</p>')
    return "\n".join(lines)


def link(target, report_path):
    """A relative link from the page at ``report_path`` to the file
    ``target`` (both paths on this machine)."""
    folder = os.path.dirname(os.path.abspath(report_path))
    relative = os.path.relpath(os.path.abspath(target), folder)
    # the name's bytes, percent-encoded: any file name, UTF-8 or not
    return quote(os.fsencode(relative.replace(os.sep, "/")), safe="/")


def figure(file, caption, report_path, *, kind="image"):
    """The thumbnail of the image ``file`` with its caption (a list of
    lines), linked to the file from the page at ``report_path``; where no
    thumbnail can be made, the reason instead."""
    # the first line is a file's name: it may break between its parts
    lines = "<br>".join(
        breakable(line) if n == 0 else esc(line) for n, line in enumerate(caption)
    )
    try:
        thumbnail = make_thumbnail(file)
    except OSError as exc:
        body = f'<div class="note">{esc(f"no thumbnail: {exc}")}</div>'
    else:
        body = (
            f'<a href="{esc(link(file, report_path))}"><img src="{thumbnail.uri}" '
            f'width="{thumbnail.width}" height="{thumbnail.height}" '
            f'alt="{esc(caption[0])}"></a>'
        )
    return f'<figure class="{kind}">{body}<figcaption>{lines}</figcaption></figure>'


def check_run_page(summary, path, thumbnails):
    """Refuse a page of a run that cannot be made: a dry run (it wrote
    nothing to show), a count of thumbnails below 0, or a path inside the
    run's folders (see :func:`check_report_path`); returns the path."""
    if (
        isinstance(thumbnails, bool)
        or not isinstance(thumbnails, int)
        or thumbnails < 0
    ):
        raise ValueError(
            f"thumbnails must be a number of images per class (0 or more); "
            f"got {thumbnails!r}."
        )
    if summary.get("dry_run"):
        raise ValueError(
            "a dry run writes no images, so there is nothing to show; run "
            "without dry_run (--dry-run) to write the report."
        )
    path = os.fspath(path)
    problem = check_report_path(
        path,
        "path",
        {"the source folder": summary["src"], "the destination folder": summary["dst"]},
    )
    if problem:
        raise ValueError(problem)
    return path


def notes_and_skipped(summary):
    """A run's notes and the source files it left out as unreadable, as
    the balance and split pages show them."""
    parts = []
    notes = summary.get("notes") or []
    if notes:
        parts.append("<h3>Notes</h3>")
        parts.append(
            '<ul class="notes">'
            + "".join(f'<li class="note">{esc(note)}</li>' for note in notes)
            + "</ul>"
        )
    skipped = summary.get("skipped") or []
    if skipped:
        parts.append("<h3>Left out as unreadable</h3>")
        parts.append(
            bounded_list(
                [
                    f"<code>{esc(s['path'])}</code> ({esc(s['class'])}): "
                    f"{esc(s['reason'])}"
                    for s in skipped
                ],
                LIST_LIMIT,
                "the --json summary lists them all",
            )
        )
    return parts


def bounded_list(items, limit, more):
    """``items`` (HTML fragments) as list items, at most ``limit`` of them,
    then a line saying how many more there are (``more`` says where)."""
    shown = [f"<li>{item}</li>" for item in items[:limit]]
    if len(items) > limit:
        shown.append(f'<li class="note">and {len(items) - limit} more ({more})</li>')
    return "<ul>" + "".join(shown) + "</ul>"


def check_report_path(path, option, folders):
    """Why the page cannot be written to ``path``, or None. ``folders``:
    name -> folder the page must stay out of (the data is never written).
    A file already there is replaced only when it is a page of ours."""
    if not os.fspath(path):
        return f"{option} is empty; give a file name such as report.html."
    path = os.path.abspath(path)
    real = os.path.realpath(path)
    for name, folder in folders.items():
        folder = os.path.realpath(folder)
        if os.path.commonpath([real, folder]) == folder:
            return (
                f"{option} {path!r} is inside {name}; give a file outside it "
                f"(nothing is ever written into {name})."
            )
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        return f"{option}: the folder {parent!r} does not exist; create it first."
    if os.path.isdir(path):
        return f"{option} {path!r} is a folder; give a file name such as report.html."
    if not path.lower().endswith((".html", ".htm")):
        return f"{option} {path!r}: give the file the extension .html."
    limit = _name_limit(parent)
    if len(os.fsencode(os.path.basename(path))) > limit:
        return (
            f"{option}: the file name is longer than {limit} bytes; give a shorter one."
        )
    if os.path.lexists(path) and not is_our_page(path):
        return (
            f"{option} {path!r} exists and is not an imgbalance report (or not "
            "a regular file); give a new file name (it is left as it is)."
        )
    if not os.access(parent, os.W_OK):
        return f"{option}: the folder {parent!r} cannot be written to."
    return None


def _name_limit(folder):
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255


def is_our_page(path):
    """Whether ``path`` is a regular file holding a page of ours (a FIFO or
    a device is never opened)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as file:
            return GENERATOR.encode() in file.read(4096)
    except OSError:
        return False


class PageNotWritten(OSError):
    """The page could not be written (the reason: ``str``)."""


def write_page(path, text):
    """Write ``text`` to ``path`` whole or not at all, and never over a file
    that is not a page of ours, even one made while the page was built:
    written under a temporary name in the same folder (created new, with
    the usual permissions), then linked to ``path`` where nothing is (the
    link fails if a file appeared), or renamed over a page of ours."""
    try:
        _write(path, text)
    except OSError as exc:
        raise PageNotWritten(str(exc)) from exc


def _write(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    unique = f"{os.getpid()}-{secrets.token_hex(4)}"  # never a stale one's name
    temporary = os.path.join(folder, f".imgbalance-report-{unique}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        # names are shown escaped already; a stray undecodable byte of a
        # name must not stop the page
        with os.fdopen(
            handle, "w", encoding="utf-8", errors="backslashreplace"
        ) as file:
            file.write(text)
        _put_in_place(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _put_in_place(temporary, path):
    if not os.path.lexists(path):
        try:
            os.link(temporary, path)  # fails if a file appeared meanwhile
            return
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            if not os.path.lexists(path):
                os.replace(temporary, path)
                return
    if not is_our_page(path):
        raise FileExistsError(
            f"{path!r} appeared while the page was built and is not an "
            "imgbalance report; it is left as it is"
        )
    os.replace(temporary, path)
