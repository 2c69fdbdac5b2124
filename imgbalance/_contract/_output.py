"""Where a sampler's array output goes: in memory, the ``.npy`` file named
by ``fit_resample(..., out=path)``, or a new file in the configured
``memmap_folder`` (:func:`imgbalance.utils.config_context`).

A file is written a part of rows at a time with plain file writes (no page
of it stays in the process), under a temporary name renamed when done (a
fit that fails leaves nothing), and comes back as a :class:`numpy.memmap`
of it. The sampler whose ``fit_resample`` runs holds its destination for
the others it runs inside it, which work in memory.
"""

import contextlib
import contextvars
import errno
import os
import shutil
import uuid

import numpy as np

from ..utils._config import config_context, get_config
from ._out_of_core import gather_rows, mapped_file, on_disk

__all__ = [
    "ResampledArray",
    "check_destination",
    "destination_for",
    "new_output",
    "out_of_core",
    "resampling_into",
    "take_resampled",
]

# where the sampler whose fit_resample is running writes its array output
_DESTINATION = contextvars.ContextVar("imgbalance_destination", default=None)


class _Destination:
    """Where a sampler's array output goes: the file ``path`` (named with
    ``fit_resample``'s ``out``), or a new file in ``folder``. ``explicit``:
    named by ``out`` (refused for an input whose output is not an array)."""

    def __init__(self, path, folder, owner, explicit):
        self.path, self.folder, self.owner = path, folder, owner
        self.explicit = explicit
        self.outputs = []

    def named(self):
        """The setting that names the file, for messages."""
        if self.explicit:
            return f"out {self.path!r}"
        return f"memmap_folder {self.folder!r}"

    def elsewhere(self):
        """How to write to another disk, for messages."""
        if self.explicit:
            return "name a file on another disk with out"
        return "set memmap_folder to a folder on another disk"

    def check_room(self, nbytes):
        """Refuse to write ``nbytes`` where the disk has less free, before
        the first byte (``OSError``, errno ENOSPC)."""
        folder = os.path.dirname(self.path) if self.explicit else self.folder
        try:
            free = shutil.disk_usage(folder).free
        except OSError:  # the write tells
            return
        if nbytes > free:
            raise OSError(
                errno.ENOSPC,
                f"{self.named()}: the output takes {_megabytes(nbytes)} and its "
                f"disk has {_megabytes(free)} free; free some space, or "
                f"{self.elsewhere()}.",
            )

    def failed_write(self, error, written, nbytes):
        """The error to raise for ``error`` (an ``OSError``) met after
        ``written`` of ``nbytes`` bytes: a full disk, or a file larger than
        the system allows, named with the fix; any other as it is."""
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return error
        reason = (
            "the file is larger than this system allows"
            if error.errno == errno.EFBIG
            else "the disk is full"
        )
        return OSError(
            error.errno,
            f"{self.named()}: {reason} ({error.strerror}) after "
            f"{_megabytes(written)} of the output's {_megabytes(nbytes)}; "
            f"free some space, or {self.elsewhere()}. Nothing was left.",
        )

    def discard(self):
        """Remove what was written (a fit that failed)."""
        for output in self.outputs:
            output.discard()


def _check_writable(folder, named, fix):
    """Refuse a ``folder`` this process cannot make files in (no write
    permission, a read-only file system), before any work."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(
            errno.EACCES,
            f"{named}: no file can be made in the folder {folder!r} (no write "
            f"permission, or a read-only file system); {fix}.",
        )


def check_destination(out, owner, X):
    """Where ``owner`` (a sampler's name) writes its array output: ``out``
    (checked before any work), else the configured ``memmap_folder``, else
    None (in memory).

    Parameters
    ----------
    out : str, os.PathLike or None
        ``fit_resample``'s ``out``.
    owner : str
        The sampler's name, for messages and file names.
    X : object
        The input, which ``out`` must not name.

    Returns
    -------
    destination : object or None
    """
    if out is None:
        folder = get_config()["memmap_folder"]
        if folder is None:
            return None
        if not os.path.isdir(folder):
            raise FileNotFoundError(
                f"memmap_folder {folder!r} is not a folder; create it, or set "
                "another in imgbalance.utils.config_context."
            )
        _check_writable(
            folder,
            f"memmap_folder {folder!r}",
            "set another in imgbalance.utils.config_context",
        )
        return _Destination(None, folder, owner, explicit=False)
    if not isinstance(out, (str, os.PathLike)):
        raise TypeError(
            f"out must be the path (str or os.PathLike) of the .npy file to "
            f"write; got {type(out).__name__}."
        )
    path = os.path.abspath(os.fspath(out))
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"out {path!r} is a folder; name the .npy file to write in it."
        )
    if not os.path.isdir(os.path.dirname(path)):
        raise FileNotFoundError(
            f"out {path!r}: the folder {os.path.dirname(path)!r} does not "
            "exist; create it first."
        )
    _check_writable(
        os.path.dirname(path),
        f"out {path!r}",
        "name a file in a folder you can write to",
    )
    root = mapped_file(X) if isinstance(X, np.ndarray) else None
    if (
        root is not None
        and root.filename
        and os.path.exists(path)
        and os.path.samefile(path, root.filename)
    ):
        raise ValueError(f"out {path!r} is the file X is read from; name another file.")
    return _Destination(path, None, owner, explicit=True)


@contextlib.contextmanager
def resampling_into(destination):
    """``destination`` for the sampler's own output within the block;
    samplers it runs inside (an under-sampler on an embedding) work in
    memory. What was written is removed if the block fails."""
    token = _DESTINATION.set(destination)
    try:
        with config_context(memmap_folder=""):
            yield
    except BaseException:
        if destination is not None:
            destination.discard()
        raise
    finally:
        _DESTINATION.reset(token)


def _writes_array(collection):
    """Whether a sampler's output for ``collection`` is an array: images,
    or a numpy table (not a DataFrame, sparse matrix or sequence)."""
    return collection.kind == "images" or (
        collection.kind == "table" and isinstance(collection.data, np.ndarray)
    )


def destination_for(collection):
    """The destination of the running sampler's output for ``collection``
    (None: in memory). ``out`` with an input whose output is not an array
    raises ``ValueError``, before any work."""
    destination = _DESTINATION.get()
    if destination is None or _writes_array(collection):
        return destination
    if destination.explicit:
        kind = {"sequence": "a sequence of images"}.get(
            collection.kind, "a DataFrame or a sparse matrix"
        )
        raise ValueError(
            f"out writes an array to a .npy file, but X is {kind}, whose "
            "output keeps its container; leave out=None, or give X as a "
            "numpy array (or numpy.memmap)."
        )
    return None


def out_of_core(collection):
    """Whether a sampler works on ``collection`` a part at a time: an array
    on disk, or an output to be written to a file."""
    return _writes_array(collection) and (
        on_disk(collection.data) or destination_for(collection) is not None
    )


def _megabytes(nbytes):
    return f"{nbytes / 2**20:,.1f} MB"


def _write_at(fd, data, offset):
    """Write the bytes of the C-contiguous array ``data`` at ``offset`` of
    the open file ``fd`` (plain writes: no page of the file is mapped)."""
    view = memoryview(data.reshape(-1)).cast("B")
    while len(view):
        if hasattr(os, "pwrite"):
            written = os.pwrite(fd, view, offset)
        else:  # pragma: no cover - Windows
            os.lseek(fd, offset, os.SEEK_SET)
            written = os.write(fd, view)
        view, offset = view[written:], offset + written


def _new_file(prefix, suffix):
    """Create a file of a name of its own, ``prefix`` + a random part +
    ``suffix``, with the permissions any new file gets (the umask's)."""
    while True:
        path = f"{prefix}{uuid.uuid4().hex[:12]}{suffix}"
        try:
            open(path, "xb").close()
        except FileExistsError:
            continue
        return path


class ResampledArray:
    """A sampler's output array, written a part of rows at a time: in
    memory, or in a ``.npy`` file (the one ``out`` names written under a
    temporary name, renamed when done; a new one of the ``memmap_folder``
    under its own name), returned by :meth:`result` as a
    :class:`numpy.memmap` of it (mode "r+")."""

    def __init__(self, shape, dtype, destination=None):
        self.shape, self.dtype = tuple(shape), np.dtype(dtype)
        self._file = self.path = None
        if destination is None:
            self.array = np.empty(self.shape, self.dtype)
            return
        self.array = None
        self._destination = destination
        self._row_nbytes = int(np.prod(self.shape[1:])) * self.dtype.itemsize
        self._written = 0
        destination.check_room(self.shape[0] * self._row_nbytes)
        if destination.path is not None:
            self.path = destination.path
            self._temp = _new_file(self.path + ".", ".part")
        else:
            name = os.path.join(destination.folder, destination.owner + "-")
            self._temp = self.path = _new_file(name, ".npy")
        destination.outputs.append(self)
        with self._writing():
            header = np.lib.format.open_memmap(
                self._temp, mode="w+", dtype=self.dtype, shape=self.shape
            )
            self._offset = header.offset
            del header
            flags = os.O_WRONLY | getattr(os, "O_BINARY", 0)
            self._file = os.open(self._temp, flags)

    @contextlib.contextmanager
    def _writing(self):
        """A full disk met within the block raised with what to do."""
        try:
            yield
        except OSError as error:
            nbytes = self.shape[0] * self._row_nbytes
            failure = self._destination.failed_write(error, self._written, nbytes)
            if failure is error:
                raise
            raise failure from error

    def write(self, start, rows):
        """Put ``rows`` at rows ``start ..`` of the output."""
        if self._file is None:
            self.array[start : start + len(rows)] = rows
            return
        rows = np.ascontiguousarray(rows, dtype=self.dtype)
        with self._writing():
            _write_at(self._file, rows, self._offset + start * self._row_nbytes)
        self._written += rows.nbytes

    def write_at(self, positions, rows):
        """Put ``rows`` at rows ``positions`` (increasing) of the output."""
        positions = np.asarray(positions)
        if len(positions) == 0:
            return
        # runs of consecutive positions, each written at once
        breaks = np.flatnonzero(np.diff(positions) != 1) + 1
        for run in np.split(np.arange(len(positions)), breaks):
            self.write(int(positions[run[0]]), rows[run[0] : run[-1] + 1])

    def result(self):
        """The output: the array, or a :class:`numpy.memmap` of the file."""
        if self.array is not None:
            return self.array
        os.close(self._file)
        self._file = None
        if self._temp != self.path:
            os.replace(self._temp, self.path)
        self._temp = None
        return np.load(self.path, mmap_mode="r+")

    def discard(self):
        """Remove the file of an output not finished."""
        if self._file is not None:
            os.close(self._file)
            self._file = None
        if getattr(self, "_temp", None) is not None:
            with contextlib.suppress(OSError):
                os.remove(self._temp)
            self._temp = None


def new_output(collection, n_rows):
    """The output array for ``n_rows`` images of ``collection``'s dtype and
    trailing shape, where the running sampler writes it."""
    data = collection.data
    return ResampledArray(
        (n_rows,) + data.shape[1:], data.dtype, destination_for(collection)
    )


def take_resampled(collection, indices):
    """The items of ``collection`` at ``indices``, as the running sampler
    returns them: :meth:`ImageCollection.take`, or for an array on disk or
    an output to a file, copied a part at a time."""
    if not out_of_core(collection):
        return collection.take(indices)
    indices = np.asarray(indices, dtype=np.intp)
    output = new_output(collection, len(indices))
    gather_rows(collection.data, indices, output.write)
    return output.result()
