"""Collection settings for the doctests of the package (pytest's
``--doctest-modules`` imports every module under ``imgbalance/``)."""

import importlib.util

# the compiled kernels import numba, an optional extra ("fast")
collect_ignore = (
    []
    if importlib.util.find_spec("numba")
    else ["imgbalance/features/_numba_kernels.py"]
)
