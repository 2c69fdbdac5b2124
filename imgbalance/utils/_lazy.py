"""Public names of a package imported on first use (PEP 562), so that the
command's ``--help`` or ``inspect`` does not import scikit-learn."""

import importlib

__all__ = ["lazy_exports"]


def lazy_exports(namespace, exports):
    """``(__getattr__, __dir__)`` for the package whose globals are
    ``namespace``: ``exports`` maps each public name to the submodule that
    defines it (``".over_sampling"``), imported when the name is first
    used."""

    def __getattr__(name):
        if name not in exports:
            raise AttributeError(
                f"module {namespace['__name__']!r} has no attribute {name!r}"
            )
        module = importlib.import_module(exports[name], namespace["__name__"])
        value = getattr(module, name)
        namespace[name] = value  # found directly from now on
        return value

    def __dir__():
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
