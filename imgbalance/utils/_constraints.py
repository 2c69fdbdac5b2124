"""scikit-learn's parameter validation, imported in this one place.

It lives in a private module of scikit-learn (``sklearn.utils._param_validation``)
that imbalanced-learn uses too; every ``_parameter_constraints`` and
``validate_params`` of imgbalance takes it from here, so a move upstream is
met once.
"""

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "validate_parameter_constraints",
    "validate_params",
]
