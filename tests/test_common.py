"""scikit-learn's and imbalanced-learn's common estimator checks, really run."""

import pytest
from imblearn.utils.estimator_checks import estimator_checks_generator
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_sklearn_checks,
)

from imgbalance.features import (
    ColorHistogram,
    GaborFeatures,
    HOGFeatures,
    ImageLoader,
    LBPFeatures,
    LocalContrastFeatures,
    LocalOutlierFeatures,
    PatchDictionaryFeatures,
    PixelFeatures,
)
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imblearn.under_sampling import NearMiss

from imgbalance.under_sampling import (
    DuplicateUnderSampler,
    EmbeddingUnderSampler,
    RandomImageUnderSampler,
)

SAMPLERS = [
    RandomImageOverSampler(random_state=0),
    RandomImageUnderSampler(random_state=0),
    AugmentingOverSampler(random_state=0),
    EmbeddingSMOTE(random_state=0),
    EmbeddingSMOTE(generation="interpolate", random_state=0),
    EmbeddingUnderSampler(random_state=0),
    EmbeddingUnderSampler(NearMiss(), random_state=0),
    DuplicateUnderSampler(),
]
# The common checks feed 2-D data: each row is then an image one pixel high,
# so HOG runs with 1x1 cells there. DaisyFeatures needs images more than two
# pixels each way, so it cannot take them: tests/test_daisy.py checks it in a
# pipeline and a grid search instead.
TRANSFORMERS = [
    PixelFeatures(),
    HOGFeatures(pixels_per_cell=(1, 1), cells_per_block=(1, 1)),
    ColorHistogram(),
    ImageLoader(),
    LBPFeatures(),
    GaborFeatures(frequencies=(0.25,), n_orientations=2),
    PatchDictionaryFeatures(
        n_atoms=2, patch_size=(1, 2), pooling=(1, 1), random_state=0
    ),
    LocalContrastFeatures(),
    LocalOutlierFeatures(),
]

# Checks that are expected to fail, per estimator class, each with its reason.
# An entry here must fail: pytest's strict xfail turns an unexpected pass red.
EXPECTED_FAILED_CHECKS = {
    "DuplicateUnderSampler": {
        "check_samplers_fit_resample": (
            "the check wants a cleaner to remove images of every class on "
            "random data; DuplicateUnderSampler removes near-duplicates only, "
            "and random data has none"
        ),
    },
}


def expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


# The checks feed standard-normal floats, which ImageLoader reads on 0..1 and
# clips, with its warning (tests/test_image_loader.py checks that warning).
@pytest.mark.filterwarnings(
    r"ignore:X\[\d+\].*float values from .* that float images are read on"
    ":UserWarning"
)
@parametrize_with_sklearn_checks(
    SAMPLERS + TRANSFORMERS, expected_failed_checks=expected_failed_checks
)
def test_sklearn_common_checks(estimator, check):
    check(estimator)


def _imblearn_checks(estimators):
    # imbalanced-learn's parametrize_with_checks hands pytest a generator,
    # which pytest 9 deprecates; build the same (estimator, check) list here.
    params = []
    for estimator in estimators:
        for param in estimator_checks_generator(
            estimator,
            expected_failed_checks=expected_failed_checks(estimator),
            mark="xfail",
        ):
            est, check = param.values if hasattr(param, "values") else param
            check_name = getattr(check, "func", check).__name__
            params.append(
                pytest.param(
                    *(param.values if hasattr(param, "values") else param),
                    marks=getattr(param, "marks", ()),
                    id=f"{type(est).__name__}-{check_name}",
                )
            )
    return params


@pytest.mark.parametrize("estimator, check", _imblearn_checks(SAMPLERS))
def test_imblearn_common_checks(estimator, check):
    check(estimator)


def test_common_checks_are_collected():
    """Guard against a silently empty parametrisation."""
    from sklearn.utils.estimator_checks import (
        estimator_checks_generator as sklearn_generator,
    )

    for estimator in SAMPLERS:
        assert len(list(estimator_checks_generator(estimator))) >= 14
    for estimator in SAMPLERS + TRANSFORMERS:
        assert len(list(sklearn_generator(estimator))) >= 30
