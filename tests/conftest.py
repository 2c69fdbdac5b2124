"""Test configuration shared by the whole suite."""

import os

# scikit-learn's common checks run their array-API check (with NumPy inputs)
# only when SciPy was imported with this set; set it before anything imports
# SciPy so that check is executed rather than skipped.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
