"""Folder-per-class datasets on disk: inspect them, split them without
leaks, write balanced copies."""

from ..utils._lazy import lazy_exports
from ._groups import manifest_groups
from ._inspect import inspect_folder

__all__ = [
    "BalanceRefused",
    "balance_folder",
    "find_folder_leaks",
    "inspect_folder",
    "manifest_groups",
    "parse_strategy",
    "split_folder",
]

# the writer imports scikit-learn and the samplers: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "BalanceRefused": "._balance",
        "balance_folder": "._balance",
        "find_folder_leaks": "._leaks",
        "parse_strategy": "._balance",
        "split_folder": "._split",
    },
)
