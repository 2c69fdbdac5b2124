"""imgbalance's settings, as scikit-learn's: :func:`set_config`,
:func:`get_config` and :func:`config_context`, one value per thread.

They say where the samplers write the images they return
(``memmap_folder``) and how large a part of the images is worked on at a
time (``working_memory``). Light on purpose: no scikit-learn import.
"""

import contextlib
import os
import threading
from numbers import Real

__all__ = ["config_context", "get_config", "set_config"]

_DEFAULTS = {"memmap_folder": None, "working_memory": 64}
_local = threading.local()


def _config():
    if not hasattr(_local, "config"):
        _local.config = dict(_DEFAULTS)
    return _local.config


def get_config():
    """The current values of imgbalance's settings.

    Returns
    -------
    config : dict
        ``memmap_folder`` and ``working_memory``, as :func:`set_config`
        describes them.

    See Also
    --------
    set_config : Change them.
    config_context : Change them within a ``with`` block.

    Examples
    --------
    >>> from imgbalance.utils import get_config
    >>> get_config()
    {'memmap_folder': None, 'working_memory': 64}
    """
    return dict(_config())


def _check(name, value):
    if name == "memmap_folder":
        if value is not None and not isinstance(value, (str, os.PathLike)):
            raise TypeError(
                "memmap_folder must be None or the path of a folder (str or "
                f"os.PathLike); got {type(value).__name__}."
            )
        return None if value is None else os.fspath(value)
    if isinstance(value, bool) or not isinstance(value, Real) or not value > 0:
        raise ValueError(
            f"working_memory must be a positive number of MiB; got {value!r}."
        )
    return value


def set_config(memmap_folder=None, working_memory=None):
    """Set imgbalance's settings for the current thread.

    The same habit as :func:`sklearn.set_config`: a setting left at None
    keeps its value. They hold in the thread that sets them (scikit-learn's
    do too): worker processes, such as those of ``GridSearchCV(n_jobs=2)``,
    start from the defaults; there, give each sampler's ``fit_resample``
    its ``out`` or set them inside the estimator's code.

    Parameters
    ----------
    memmap_folder : str or os.PathLike, default=None
        A folder where every sampler's array output is written, as a new
        ``.npy`` file (named after the sampler, never replacing a file),
        and returned as a :class:`numpy.memmap` opened on it: what a
        pipeline or a loop over samplers needs when their outputs are
        larger than the memory. The files are left for you to delete.
        Sequences (lists of paths...), DataFrames and sparse matrices stay
        in memory. A sampler's ``fit_resample(X, y, out=path)`` names the
        file instead. Pass ``""`` to go back to the default (in memory).
        Default: in memory.

    working_memory : float, default=None
        The MiB of images a sampler holds at a time when its input or its
        output is on disk (a :class:`numpy.memmap`): images are read,
        checked, made and written a part of this size at a time, and the
        input's pages are given back to the system after each part. The
        same meaning as scikit-learn's setting of this name, for
        imgbalance's own passes. Default: 64.

    See Also
    --------
    get_config : The current values.
    config_context : Settings within a ``with`` block.

    Examples
    --------
    >>> from imgbalance.utils import get_config, set_config
    >>> set_config(working_memory=16)
    >>> get_config()["working_memory"]
    16
    >>> set_config(working_memory=64)
    """
    config = _config()
    if memmap_folder is not None:
        config["memmap_folder"] = _check("memmap_folder", memmap_folder) or None
    if working_memory is not None:
        config["working_memory"] = _check("working_memory", working_memory)


@contextlib.contextmanager
def config_context(*, memmap_folder=None, working_memory=None):
    """imgbalance's settings within a ``with`` block (restored after it).

    Parameters
    ----------
    memmap_folder : str or os.PathLike, default=None
        See :func:`set_config`; None keeps the current value, ``""`` sets
        it back to in memory.

    working_memory : float, default=None
        See :func:`set_config`; None keeps the current value.

    Yields
    ------
    None

    See Also
    --------
    set_config : The settings, for the rest of the thread.

    Examples
    --------
    Every sampler in the block writes its images to a new file in the
    folder and returns a :class:`numpy.memmap` of it:

    >>> import tempfile
    >>> import numpy as np
    >>> from imgbalance.over_sampling import RandomImageOverSampler
    >>> from imgbalance.utils import config_context
    >>> X = np.zeros((6, 8, 8, 3), dtype=np.uint8)
    >>> y = [0, 0, 0, 0, 1, 1]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with config_context(memmap_folder=folder):
    ...         X_res, y_res = RandomImageOverSampler(random_state=0).fit_resample(X, y)
    ...     print(type(X_res).__name__, X_res.shape, X_res.filename.endswith(".npy"))
    ...     del X_res
    memmap (8, 8, 8, 3) True
    """
    old = get_config()
    try:
        set_config(memmap_folder=memmap_folder, working_memory=working_memory)
        yield
    finally:
        _config().update(old)
