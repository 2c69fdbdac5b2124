"""Sphinx configuration: numpydoc API pages and a sphinx-gallery of examples.

Built by ``make docs`` with warnings as errors; every example in
``examples/plot_*.py`` is executed and its figures rendered.
"""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
# albumentations (an example uses it) would ask the package index for a newer
# version on import; the build stays offline
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import imgbalance  # noqa: E402

project = "imgbalance"
copyright = "the imgbalance developers"
author = "the imgbalance developers"
version = release = imgbalance.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
templates_path = ["_templates"]

autosummary_generate = True
autodoc_default_options = {"members": False, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(quickstart|torch_class_weights)\.py",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "show_memory": False,
    "remove_config_comments": True,
}

html_theme = "alabaster"
html_theme_options = {"description": "Balance imbalanced image datasets"}
html_static_path = []
