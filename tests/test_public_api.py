"""Every public name is documented: its parameters as numpydoc says them, an
Examples section (run as a doctest by `make test`) and a page in the API
reference. The public modules are found by walking the package, as
imbalanced-learn's docstring test does, not listed by hand."""

import importlib
import inspect
import pathlib
import pkgutil

import pytest

import imgbalance

numpydoc_validate = pytest.importorskip("numpydoc.validate")

API = (pathlib.Path(__file__).parents[1] / "docs" / "api.rst").read_text()
# numpydoc's checks of the parameters: none missing, none unknown, in order
PARAMETER_CHECKS = {"PR01", "PR02", "PR03"}


def public_modules():
    """imgbalance and every module of it without a private part in its name
    (the PyTorch bridge only where torch imports)."""
    yield "imgbalance"
    for info in pkgutil.walk_packages(imgbalance.__path__, "imgbalance."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if info.name == "imgbalance.torch" and importlib.util.find_spec("torch") is None:
            continue
        yield info.name


def public_callables():
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                yield module_name, name, obj


def own_methods(cls):
    """The public methods ``cls`` defines in imgbalance (inherited ones from
    scikit-learn or imbalanced-learn keep their own documentation)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("imgbalance"):
            continue
        for name, member in vars(klass).items():
            if not name.startswith("_") and inspect.isfunction(member):
                yield name, member


CALLABLES = list(public_callables())
IDS = [f"{module}.{name}" for module, name, _ in CALLABLES]


def test_the_walk_finds_the_public_modules():
    found = set(public_modules())
    assert {
        "imgbalance",
        "imgbalance.base",
        "imgbalance.over_sampling",
        "imgbalance.under_sampling",
        "imgbalance.augment",
        "imgbalance.features",
        "imgbalance.datasets",
        "imgbalance.utils",
        "imgbalance.class_weight",
        "imgbalance.folder",
        "imgbalance.duplicates",
        "imgbalance.report",
        "imgbalance.cli",
    } <= found
    assert not any("._" in name for name in found)


@pytest.mark.parametrize("module_name, name, obj", CALLABLES, ids=IDS)
def test_documented(module_name, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert "\nExamples\n--------\n" in doc, f"{module_name}.{name}: no Examples"
    # the API page lists it under its public module (the top-level re-exports
    # are listed under their subpackage)
    home = obj.__module__.split("._")[0].replace("imgbalance.", "", 1)
    if module_name != "imgbalance":
        home = module_name.replace("imgbalance.", "", 1)
    assert f"   {home}.{name}\n" in API, f"{home}.{name} is not in docs/api.rst"


@pytest.mark.parametrize("module_name, name, obj", CALLABLES, ids=IDS)
def test_parameters_documented(module_name, name, obj):
    """numpydoc's parameter checks on the object and on its own methods."""
    targets = [(f"{obj.__module__}.{obj.__qualname__}", obj)]
    if inspect.isclass(obj):
        targets += [
            (f"{obj.__module__}.{obj.__qualname__}.{method}", member)
            for method, member in own_methods(obj)
        ]
    problems = []
    for qualname, _ in targets:
        result = numpydoc_validate.validate(qualname)
        problems += [
            f"{qualname}: {code} {message}"
            for code, message in result["errors"]
            if code in PARAMETER_CHECKS
        ]
    assert not problems, "\n".join(problems)
