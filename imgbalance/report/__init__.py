"""Self-contained HTML reports: what a dataset holds, what balancing and
splitting did."""

from ._balance_report import balance_report
from ._browser import screenshot
from ._compare_report import compare_report
from ._inspect_report import inspect_report
from ._leaks_report import leaks_report
from ._split_report import split_report

__all__ = [
    "balance_report",
    "compare_report",
    "inspect_report",
    "leaks_report",
    "screenshot",
    "split_report",
]
