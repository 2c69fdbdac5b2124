"""DST checked before the first byte is written: apart from SRC, empty or an
earlier run's to resume, on a file system that takes the outputs' names."""

import contextlib
import json
import os

from ._files import links_to_folders
from ._journal import JOURNAL, MANIFEST, MARKER, SIZES, check_journal, check_manifest
from ._lock import LOCK, DestinationBusy, check_free
from ._refusal import BalanceRefused, option
from ._room import nearest_folder
from ._sources import SOURCES

__all__ = [
    "busy",
    "check_destination",
    "check_folders",
    "check_locations",
    "same_device",
]


def check_folders(options):
    """Refuse SRC and DST that cannot be used for a run of ``options`` (see
    :func:`check_locations`); a DST with an earlier run must have been
    written with its settings. Nothing is created."""
    src, dst = options.src, options.dst
    check_locations(src, dst)
    if options.originals == "hardlink" and not same_device(src, dst):
        raise BalanceRefused(
            f"{option('originals', 'hardlink')} needs SRC and DST on one file "
            f"system; use {option('originals', 'copy')} or "
            f"{option('originals', 'symlink')}."
        )
    try:
        check_free(dst)
    except DestinationBusy as held:
        raise busy(held) from None
    # early: before the plan's work (again when writing, under the lock)
    check_destination(dst, options.settings, options.resume)


def check_locations(src, dst):
    if not os.path.isdir(src):
        what = "does not exist" if not os.path.exists(src) else "is not a folder"
        raise BalanceRefused(f"SRC {src!r} {what}; give the dataset folder.")
    where = nesting(src, dst)
    if where == "at":
        raise BalanceRefused(f"DST {dst!r} is SRC; give a separate folder.")
    if where:
        raise BalanceRefused(
            f"DST {dst!r} is {where} SRC {src!r}: imgbalance never writes into "
            "the source dataset; give a folder outside it."
        )
    if os.path.islink(dst) and not os.path.exists(dst):
        raise BalanceRefused(
            f"DST {dst!r} is a symbolic link to {os.readlink(dst)!r}, which does "
            "not exist; give a folder (or create the one it points to)."
        )
    if os.path.exists(dst) and not os.path.isdir(dst):
        raise BalanceRefused(f"DST {dst!r} is a file; give a folder.")


def nesting(src, dst):
    """ "at", "inside" or "around" where DST (or, before it is made, its
    nearest existing folder) is SRC, inside it or around it, as the file
    system knows folders (device and inode: through symbolic links, and a
    bind mount of SRC elsewhere is still SRC); None where they are apart."""

    def chain(path):  # identities of the path's existing folders, upwards
        out = []
        path = os.path.realpath(path)
        while True:
            with contextlib.suppress(OSError):
                info = os.stat(path)
                out.append((info.st_dev, info.st_ino))
            parent = os.path.dirname(path)
            if parent == path:
                return out
            path = parent

    src_chain, dst_chain = chain(src), chain(dst)
    exists = os.path.isdir(dst)
    if exists and dst_chain[0] == src_chain[0]:
        return "at"
    if src_chain[0] in dst_chain:
        return "inside"
    if exists and dst_chain[0] in src_chain:
        return "around"
    return None


def same_device(src, dst):
    return os.stat(src).st_dev == os.stat(nearest_folder(dst)).st_dev


# the files a run keeps in DST about itself
BOOKKEEPING = (JOURNAL, MANIFEST, MARKER, SIZES, LOCK, SOURCES)


def check_destination(dst, settings, resume):
    """Refuse a DST with files this run did not write, or with symbolic
    links where a run writes. Returns True when completing an earlier
    run."""
    if not os.path.isdir(dst):
        return False
    links = links_to_folders(dst, BOOKKEEPING)
    if links:
        shown = ", ".join(
            f"{name!r} -> {os.readlink(os.path.join(dst, name))!r}"
            for name in links[:3]
        )
        raise BalanceRefused(
            f"DST {dst!r} holds {len(links)} symbolic link(s) where imgbalance "
            f"writes ({shown}{', ...' if len(links) > 3 else ''}); it writes "
            "only into DST's own folders and files, never through a link: "
            "remove them, or give a new folder."
        )
    if not set(os.listdir(dst)) - {LOCK, SOURCES}:
        return False
    marker = os.path.join(dst, MARKER)
    earlier = None
    if os.path.isfile(marker):
        with open(marker, "rb") as file:
            try:
                earlier = json.loads(file.read().decode("utf-8"))
            except ValueError as exc:
                earlier = exc
        if not isinstance(earlier, dict):
            raise BalanceRefused(
                f"DST {dst!r} holds a damaged record of an earlier run ({MARKER}: "
                f"{earlier if isinstance(earlier, ValueError) else 'not a record'}"
                "); give an empty or new folder."
            )
    if earlier is None:
        raise BalanceRefused(
            f"DST {dst!r} is not empty and was not written by imgbalance "
            "balance or split; give an empty or new folder."
        )
    if not resume:
        finished = os.path.isfile(os.path.join(dst, MANIFEST)) and not os.path.exists(
            os.path.join(dst, JOURNAL)
        )
        if finished:
            raise BalanceRefused(
                f"DST {dst!r} holds a finished run of imgbalance (its manifest is "
                "written); give an empty or new folder, or use "
                f"{option('resume', True)} to check it and make again what is "
                "missing."
            )
        raise BalanceRefused(
            f"DST {dst!r} holds an earlier run of imgbalance that did not finish; "
            f"use {option('resume', True)} to complete it, or give an empty or new "
            "folder."
        )
    check_journal(os.path.join(dst, JOURNAL))
    if not os.path.exists(os.path.join(dst, JOURNAL)) and os.path.exists(
        os.path.join(dst, MANIFEST)
    ):  # a finished run, whose manifest and sizes --resume reads
        check_manifest(dst)
    changed = sorted(k for k in settings if earlier.get(k) != settings[k])
    if changed:
        raise BalanceRefused(
            f"{option('resume')}: DST {dst!r} was written with other settings ("
            + ", ".join(
                f"{k}: {earlier.get(k)!r} then, {settings[k]!r} now" for k in changed
            )
            + "); run with the same settings, or give a new folder."
        )
    return True


def busy(busy):
    """The refusal for a DST another run holds."""
    dst, pid = busy.args
    return BalanceRefused(
        f"DST {dst!r} is being written by another imgbalance run"
        + (f" (process {pid})" if pid else "")
        + "; wait for it to end, or give another folder."
    )
