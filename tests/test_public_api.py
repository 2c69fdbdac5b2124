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
        if (
            info.name == "imgbalance.torch"
            and importlib.util.find_spec("torch") is None
        ):
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


def test_docstrings_stripped():
    """Under ``python -OO`` (no docstrings) every sub-package imports, the
    shared texts are not put anywhere, and the command's help is whole."""
    import subprocess
    import sys

    modules = ", ".join(sorted(public_modules()))
    script = (
        f"import {modules}\n"
        "from imgbalance.over_sampling import EmbeddingSMOTE\n"
        "assert EmbeddingSMOTE.__doc__ is None\n"
        "from imgbalance.cli import main\n"
        "main(['--help'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-OO", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "inspect      Describe a folder-per-class dataset" in done.stdout
    assert "balance      Write a balanced copy of a folder-per-class" in done.stdout
    done = subprocess.run(
        [sys.executable, "-OO", "-m", "imgbalance", "balance", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Write a balanced copy of a folder-per-class dataset, safely." in done.stdout


def test_fill_docs_refuses_a_marker_without_a_text():
    from imgbalance.utils._docstrings import fill_docs

    def documented():
        """Summary.

        Parameters
        ----------
        <random_state>
            It seeds nothing here.
        """

    fill_docs(documented)
    assert "    random_state : int, RandomState instance or None" in documented.__doc__
    assert documented.__doc__.count("It seeds nothing here.") == 1

    def unknown():
        """Summary.

        <no_such_text>
        """

    with pytest.raises(
        ValueError,
        match=r"unknown: the docstring's marker "
        r"<no_such_text> names no shared text",
    ):
        fill_docs(unknown)

    def plain():
        """Summary without a marker."""

    with pytest.raises(ValueError, match="plain: fill_docs found no <marker>"):
        fill_docs(plain)

    def marked():
        """Summary.

        <random_state>
        """

    with pytest.raises(ValueError, match=r"texts no marker asks for: \['extra'\]"):
        fill_docs(extra="text")(marked)


def test_the_top_level_exports_every_sampler_and_nothing_else():
    """The stated rule (imgbalance's docstring): every estimator of
    over_sampling and under_sampling, and the version."""
    import imgbalance.over_sampling
    import imgbalance.under_sampling

    samplers = {
        name
        for module in (imgbalance.over_sampling, imgbalance.under_sampling)
        for name in module.__all__
        if hasattr(getattr(module, name), "fit_resample")
    }
    assert len(samplers) == 6
    assert set(imgbalance.__all__) == samplers | {"__version__"}
    for name in samplers:
        assert getattr(imgbalance, name).__module__.startswith("imgbalance.")
