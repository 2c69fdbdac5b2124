"""Collection settings for the doctests of the package (pytest's
``--doctest-modules`` imports every module under ``imgbalance/``)."""

import importlib.util

# optional extras: the compiled kernels import numba ("fast"); the doctests
# of the PyTorch bridge need torch
collect_ignore = []
if importlib.util.find_spec("numba") is None:
    collect_ignore.append("imgbalance/features/_numba_kernels.py")
if importlib.util.find_spec("torch") is None:
    collect_ignore.append("imgbalance/torch.py")
