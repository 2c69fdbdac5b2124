"""Model selection on image collections: which balancing strategy, compared
with honest uncertainty, and splits that keep near-duplicate images (and
images made from one source) on one side."""

from ..utils._lazy import lazy_exports

__all__ = [
    "NearDuplicateSplit",
    "Strategy",
    "StrategyComparison",
    "compare_strategies",
    "near_duplicate_groups",
    "train_test_split",
]

# they import scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "NearDuplicateSplit": "._leak_free",
        "Strategy": "._panel",
        "StrategyComparison": "._comparison",
        "compare_strategies": "._compare",
        "near_duplicate_groups": "._leak_free",
        "train_test_split": "._leak_free",
    },
)
