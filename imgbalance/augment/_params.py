"""Parameters of estimator-like objects, without importing scikit-learn.

Augmentations follow scikit-learn's estimator rules (keyword arguments
stored as is by ``__init__``; ``get_params``, ``set_params``, ``clone``;
a ``repr`` of the parameters that differ from the defaults) but are
rendered in worker processes that should start quickly: importing
``sklearn.base`` takes 1.5 s or more, far longer than rendering a batch of
images. So the parameter protocol is written here, and scikit-learn's
parameter validation is imported when an augmentation is first checked,
not when :mod:`imgbalance.augment` is imported.
"""

import inspect
import math

__all__ = ["Parameters", "lazy_constraints"]


class lazy_constraints:
    """A class's ``_parameter_constraints``, made on first use.

    Decorates a function of no arguments that imports scikit-learn's
    constraint classes and returns the dict; the dict is then kept on the
    class that asked.
    """

    def __init__(self, make):
        self.make = make
        self.__doc__ = make.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner):
        constraints = self.make()
        setattr(owner, self.name, constraints)
        return constraints


class Parameters:
    """``get_params``, ``set_params``, ``repr`` and parameter validation, as
    scikit-learn's ``BaseEstimator`` gives them, for estimator-like objects
    (``sklearn.base.clone`` and ``GridSearchCV`` need only these)."""

    @classmethod
    def _get_param_names(cls):
        """The parameters: the keyword arguments of ``__init__``, sorted."""
        init = cls.__init__
        if init is object.__init__:
            return []
        parameters = inspect.signature(init).parameters.values()
        for p in parameters:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"{cls.__name__}.__init__ takes *{p.name}: an augmentation's "
                    "parameters must be named keyword arguments."
                )
        return sorted(
            p.name for p in parameters if p.name != "self" and p.kind != p.VAR_KEYWORD
        )

    def get_params(self, deep=True):
        """Get the parameters of this object.

        Parameters
        ----------
        deep : bool, default=True
            Also give those of the objects it holds (``name__param``).

        Returns
        -------
        params : dict
            Parameter name -> value.
        """
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update(
                    (f"{name}__{key}", sub) for key, sub in value.get_params().items()
                )
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters, of this object or of those it holds
        (``name__param``).

        Parameters
        ----------
        **params : dict
            Parameter name -> new value.

        Returns
        -------
        self : object
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, nest, sub_key = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. Valid "
                    f"parameters are: {self._get_param_names()!r}."
                )
            if nest:
                nested.setdefault(name, {})[sub_key] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def _validate_params(self):
        """Check the parameters against ``_parameter_constraints``, with
        scikit-learn's parameter validation (its messages and rules)."""
        from ..utils._constraints import validate_parameter_constraints

        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )

    def __repr__(self):
        defaults = inspect.signature(type(self).__init__).parameters
        shown = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if _changed(value, defaults[name].default)
        ]
        return f"{type(self).__name__}({', '.join(shown)})"


def _changed(value, default):
    """Whether a parameter differs from its default, as scikit-learn's repr
    tells: no default, or another repr (NaN and NaN are the same)."""
    if default is inspect.Parameter.empty:
        return True
    return repr(value) != repr(default) and not (_is_nan(value) and _is_nan(default))


def _is_nan(value):
    return isinstance(value, float) and math.isnan(value)
