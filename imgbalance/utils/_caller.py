"""Warnings that point at the user's line, not at ours."""

import inspect
import warnings

__all__ = ["warn"]

# frames of these packages are skipped: the warning names the first line
# outside them (a pipeline's call, the user's fit_transform...)
_LIBRARIES = ("imgbalance", "sklearn", "imblearn", "joblib")


def warn(message, category=UserWarning):
    """``warnings.warn(message, category)``, attributed to the first caller
    outside imgbalance, scikit-learn, imbalanced-learn and joblib."""
    frame, level = inspect.currentframe().f_back, 2
    while frame is not None:
        package = frame.f_globals.get("__name__", "").partition(".")[0]
        if package not in _LIBRARIES:
            break
        frame, level = frame.f_back, level + 1
    del frame
    warnings.warn(message, category, stacklevel=level)
