"""The ``backend`` parameter shared by augmentations and feature extractors:
"default" (numpy and Pillow), a fast path (OpenCV, installed with
imgbalance; numba, from the ``fast`` extra), or "auto" (the fast path when
it imports)."""

import functools
import importlib.util

__all__ = ["opencv_available", "resolve_backend", "resolve_opencv"]


@functools.cache
def opencv_available():
    """Whether OpenCV (``opencv-python-headless``) imports.

    It is installed with imgbalance; on a platform without its wheel, the
    augmentations with ``backend="auto"`` take the Pillow path instead.

    Returns
    -------
    available : bool

    Examples
    --------
    >>> from imgbalance.augment import opencv_available
    >>> isinstance(opencv_available(), bool)
    True
    """
    return importlib.util.find_spec("cv2") is not None


def resolve_backend(backend, fast, available, needs):
    """``"default"`` or ``fast`` for a ``backend`` parameter's value.

    Parameters
    ----------
    backend : {"auto", "default"} or str
        The parameter's value; ``fast`` names the optional path.
    fast : str
        The optional path's name, such as ``"opencv"``.
    available : callable
        Says whether the optional path imports; called only for "auto" and
        for ``fast`` (so "default" never imports it).
    needs : (str, str)
        What it needs and how to install it, for the message:
        ``("OpenCV", "pip install opencv-python-headless")``.

    Returns
    -------
    backend : str
    """
    if backend == "auto":
        return fast if available() else "default"
    if backend == fast and not available():
        name, install = needs
        raise ImportError(
            f"backend={fast!r} needs {name}: {install}, or use backend='default'."
        )
    return backend


def resolve_opencv(backend, available=None):
    """:func:`resolve_backend` for a parameter whose fast path is OpenCV:
    ``"default"`` or ``"opencv"``. ``available`` replaces
    :func:`opencv_available` (for callers that look it up in their own
    module)."""
    return resolve_backend(
        backend,
        "opencv",
        available or opencv_available,
        ("OpenCV", "pip install opencv-python-headless"),
    )
