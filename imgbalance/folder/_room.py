"""Room for a plan: DST's free space and inodes, and this machine's memory,
checked before anything is planned or written."""

import os

import numpy as np

from ._journal import files_done
from ._refusal import BalanceRefused, option

__all__ = ["check_room", "check_room_for", "nearest_folder"]


def nearest_folder(path):
    """``path``, or the nearest folder above it that exists (where DST's
    file system can be asked about before DST is made)."""
    folder = os.path.abspath(path)
    while not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    return folder


# Memory the plan and its bookkeeping take per output file: about 115 bytes
# measured on a dry run of 2 million files; the rest is margin for writing.
_PLAN_BYTES_PER_FILE = 200


def _size_text(n_bytes):
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n_bytes < 1000 or unit == "TB":
            return (
                f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.1f} {unit}"
            )
        n_bytes /= 1000


def _available_memory():
    """Bytes of memory a new task can have: Linux's MemAvailable (which
    counts the page cache it can drop), else the machine's total, capped by
    this process's address-space limit (``ulimit -v``) less what it uses;
    None when nothing tells."""
    found = []
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    if not found:
        try:
            found.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError, AttributeError):
            pass
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit != resource.RLIM_INFINITY:
            with open("/proc/self/statm", encoding="ascii") as statm:
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            found.append(max(0, limit - used))
    except (ImportError, OSError, ValueError, IndexError):
        pass
    return min(found) if found else None


def check_room_for(options, sources, growth):
    """Refuse a run DST's disk or this machine's memory cannot hold (see
    :func:`check_room`), for the images ``growth`` adds to ``sources``."""
    n_new = sum(int(n) for n in growth.adding.values())
    # SMOTE holds its new images and the grown classes' in memory, decoded
    # (up to 4 bytes a pixel: RGBA, or 16-bit gray with alpha)
    held = 0
    if options.method == "smote":
        pixels = sources.pixels()
        grown = np.isin(
            sources.label_codes,
            sources.codes(str(c) for c, n in growth.adding.items() if n),
        )
        held = 4 * (n_new * float(np.median(pixels)) + float(pixels[grown].sum()))
    file_sizes = sources.record.sizes(sources.keep)
    check_room(options, n_new, file_sizes, held_bytes=held)


def check_room(options, n_new, source_sizes, held_bytes=0):
    """Refuse a plan that DST's file system or this machine's memory cannot
    hold, before anything is planned or written.

    The bytes are estimated: each new image as large as the median source
    (``source_sizes``: the bytes of each readable source, an array this
    check reorders), originals copied
    as they are (links take no room), the part an earlier run wrote taken
    off when resuming. Memory: the plan's bookkeeping per file, and
    ``held_bytes`` (what the method keeps in memory at once, such as
    SMOTE's images).
    """
    dst, originals = options.dst, options.originals
    n_done = files_done(dst) if options.resume else 0
    n_copies = len(source_sizes) if originals != "none" else 0
    n_files = n_new + n_copies
    left = max(0, n_files - n_done) / max(n_files, 1)  # the part still to write
    folder = nearest_folder(dst)
    try:
        room = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs (Windows): writing tells
        room = None
    if room is not None:
        # the median found in place: ``source_sizes`` is the caller's to
        # reorder (the record's sizes, made for this check)
        need = n_new * float(np.median(source_sizes, overwrite_input=True))
        if originals == "copy":
            need += float(source_sizes.sum())
        need *= left
        free = room.f_bavail * room.f_frsize
        if need > free:
            raise BalanceRefused(
                f"the plan writes {round(n_files * left)} files, about "
                f"{_size_text(need)}, and DST's file system has "
                f"{_size_text(free)} free ({folder}); free some room, choose "
                f"another DST, or ask for fewer images with {option('strategy')}."
            )
        files_left = round(n_files * left)
        if room.f_files and files_left > room.f_favail:  # f_files 0: no limit
            raise BalanceRefused(
                f"the plan writes {files_left} files and DST's file system has "
                f"room for {room.f_favail} more ({folder}); choose another DST "
                f"or ask for fewer images with {option('strategy')}."
            )
    memory = _available_memory()
    need = n_files * _PLAN_BYTES_PER_FILE + held_bytes
    if memory is not None and need > memory:
        raise BalanceRefused(
            f"a plan of {n_files} files needs about {_size_text(need)} of memory "
            f"and {_size_text(memory)} is available; ask for fewer images with "
            f"{option('strategy')}."
        )
