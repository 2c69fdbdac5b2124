"""Folder-per-class datasets on disk: inspect them, write balanced copies."""

from ._balance import BalanceRefused, balance_folder, parse_strategy
from ._inspect import inspect_folder

__all__ = ["BalanceRefused", "balance_folder", "inspect_folder", "parse_strategy"]
