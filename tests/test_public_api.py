"""Every public name is documented: an Examples section (run as a doctest
by `make test`) and a page in the API reference."""

import importlib
import inspect
import pathlib

import pytest

MODULES = [
    "imgbalance",
    "imgbalance.over_sampling",
    "imgbalance.under_sampling",
    "imgbalance.augment",
    "imgbalance.features",
    "imgbalance.datasets",
    "imgbalance.utils",
    "imgbalance.class_weight",
    "imgbalance.torch",
    "imgbalance.folder",
    "imgbalance.duplicates",
    "imgbalance.report",
]
API = (pathlib.Path(__file__).parents[1] / "docs" / "api.rst").read_text()


def public_callables():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                yield module_name, name, obj


@pytest.mark.parametrize(
    "module_name, name, obj",
    list(public_callables()),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_documented(module_name, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert "\nExamples\n--------\n" in doc, f"{module_name}.{name}: no Examples"
    # the API page lists it under its public module (the top-level re-exports
    # are listed under their subpackage)
    home = obj.__module__.split("._")[0].replace("imgbalance.", "", 1)
    if module_name != "imgbalance":
        home = module_name.replace("imgbalance.", "", 1)
    assert f"   {home}.{name}\n" in API, f"{home}.{name} is not in docs/api.rst"
