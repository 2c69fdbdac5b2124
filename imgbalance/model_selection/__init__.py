"""Model selection on image collections: splits that keep near-duplicate
images (and images made from one source) on one side."""

from ..utils._lazy import lazy_exports

__all__ = ["NearDuplicateSplit", "near_duplicate_groups", "train_test_split"]

# they import scikit-learn: imported when first used
__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "NearDuplicateSplit": "._leak_free",
        "near_duplicate_groups": "._leak_free",
        "train_test_split": "._leak_free",
    },
)
