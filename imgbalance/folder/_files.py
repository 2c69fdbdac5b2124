"""Files written whole or not at all: under a temporary hidden name, renamed
when complete; the temporary files a stopped run left, removed; and every
place written checked to be DST's own (no symbolic link leads a write out
of DST: folders are checked without following links, bookkeeping files
opened with ``O_NOFOLLOW``)."""

import contextlib
import os
import stat

__all__ = [
    "TEMPORARY",
    "UnsafeDestination",
    "folder_problem",
    "links_to_folders",
    "make_real_folder",
    "open_no_follow",
    "remove_temporaries",
    "write_atomically",
    "write_text",
]

TEMPORARY = ".imgbalance-tmp-"
# where O_NOFOLLOW is missing (Windows), links are checked before opening
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


class UnsafeDestination(OSError):
    """A folder of DST became a symbolic link (or a file) while a run wrote
    it: writing there would write outside DST. The run stops (status 3)."""


def write_atomically(path, write):
    """``write(temporary_path)``, then rename: no partial file at ``path``.
    An entry already at the temporary name (a link someone left there) is
    removed first: what is written goes to a new file of DST."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{TEMPORARY}{os.getpid()}-{name}")
    try:
        if os.path.lexists(temporary):
            os.remove(temporary)
        write(temporary)
        os.replace(temporary, path)  # replaces a link at path, never follows it
    except BaseException:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise


def open_no_follow(path, mode):
    """``open(path, mode)`` for the bookkeeping files of DST ("ab" or
    "rb+"), refusing a symbolic link at ``path`` (an ``OSError``) rather
    than writing where it leads."""
    flags = {"ab": os.O_WRONLY | os.O_APPEND | os.O_CREAT, "rb+": os.O_RDWR}[mode]
    if not _NO_FOLLOW and os.path.islink(path):  # pragma: no cover - Windows
        raise UnsafeDestination(f"{path!r} is a symbolic link")
    return os.fdopen(os.open(path, flags | _NO_FOLLOW, 0o644), mode)


def _walk_folders(root):
    """Every folder under ``root`` (itself included), without recursion
    and without following symbolic links: (path, entries)."""
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except (FileNotFoundError, NotADirectoryError):
            continue
        yield folder, entries
        pending.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))


def remove_temporaries(dst):
    """Remove the files that writes cut short left under temporary names."""
    for _, entries in _walk_folders(dst):
        for entry in entries:
            if entry.name.startswith(TEMPORARY):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(entry.path)


def links_to_folders(dst, names=()):
    """The symbolic links under ``dst`` that lead to a folder, and those
    at ``names`` (DST's bookkeeping files) whatever they lead to: the
    paths relative to ``dst``, sorted. Links to files (originals linked
    with ``--originals symlink``) are DST's own outputs."""
    found = [name for name in names if os.path.islink(os.path.join(dst, name))]
    for _, entries in _walk_folders(dst):
        for entry in entries:
            if entry.is_symlink() and entry.is_dir():
                found.append(os.path.relpath(entry.path, dst))
    return sorted(found)


def folder_problem(dst, folder):
    """Why ``dst/folder`` (``folder`` relative) cannot be written into, or
    None: a part of it, below DST, is a symbolic link or a file. Checked
    without following links (``lstat``); missing parts are fine."""
    path = dst
    for part in folder.split(os.sep) if folder else ():
        path = os.path.join(path, part)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(mode):
            return (
                f"{os.path.relpath(path, dst)!r} in DST is a symbolic link (to "
                f"{os.readlink(path)!r}); imgbalance writes only into DST's own "
                "folders, never through a link"
            )
        if not stat.S_ISDIR(mode):
            return f"{os.path.relpath(path, dst)!r} in DST is a file, not a folder"
    return None


def make_real_folder(dst, folder):
    """Create ``dst/folder`` where it is missing, checking every part below
    DST as it goes (:func:`folder_problem`); :class:`UnsafeDestination`
    where one is a link or a file."""
    path = dst
    for part in folder.split(os.sep) if folder else ():
        path = os.path.join(path, part)
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode) or not stat.S_ISDIR(mode):
            raise UnsafeDestination(folder_problem(dst, folder))


def write_text(path, text):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
